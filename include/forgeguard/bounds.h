/*
 * bounds.h - every limit forgeguard applies to input, with its reason
 *
 * A parser never loops or copies beyond these.  Where a number comes from
 * an RFC the section is named; otherwise the reason is given.
 */
#ifndef FG_BOUNDS_H
#define FG_BOUNDS_H

/* RFC 5321 4.5.3.1.1: local part at most 64 octets. */
#define FG_LOCAL_PART_MAX 64
/* RFC 5321 4.5.3.1.2: domain at most 255 octets. */
#define FG_DOMAIN_MAX 255
/* RFC 1035 2.3.4: label at most 63 octets. */
#define FG_LABEL_MAX 63
/* RFC 5321 4.5.3.1.3: path at most 256 octets including the brackets. */
#define FG_PATH_MAX 256
/* RFC 5321 4.5.3.1.3: path 256 with brackets, so a mailbox 254. */
#define FG_MAILBOX_MAX 254
/* Source routes are obsolete (RFC 5321 4.1.1.3); bound their length. */
#define FG_ROUTE_MAX 512
/* Room for a whole MAIL/RCPT argument as a client may send it:
 * RFC 5321 4.5.3.1.4 command line 512, extended by RFC 1869 params. */
#define FG_CMDLINE_MAX 4096
/* ESMTP parameters examined per MAIL or RCPT command. */
#define FG_PARAMS_MAX 16
/* Canonical address: local part, "@", domain. */
#define FG_ADDR_MAX (FG_LOCAL_PART_MAX + 1 + FG_DOMAIN_MAX)
/* RFC 5321 4.5.3.1.5: reply line at most 512 octets including CRLF. */
#define FG_REPLY_LINE_MAX 512
/* Text of one reply: the line less "NNN X.YYY.ZZZ " and CRLF. */
#define FG_REPLY_TEXT_MAX 480
/* A client value quoted inside a reply text. */
#define FG_REPLY_VALUE_MAX 128
/* A client value quoted in a log line, after escaping. */
#define FG_LOG_VALUE_MAX 256
/* One verdict line. */
#define FG_LOG_LINE_MAX 4096
/* Findings kept per stage; more are counted, not kept. */
#define FG_FINDINGS_MAX 32
/* Recipients listed in a log line (all are counted). */
#define FG_LOG_RCPTS_MAX 8
/* Longest configuration line, after joining continuation lines. */
#define FG_CONF_LINE_MAX 65536
/* Entries in one configuration list (networks, domains, ...). */
#define FG_CONF_LIST_MAX 4096
/* Lines in a sender_login_map file. */
#define FG_LOGIN_MAP_MAX 100000
/* Addresses and domains one login may own. */
#define FG_LOGIN_MAP_ITEMS_MAX 256
/* Longest SMTP verb kept from an unknown command. */
#define FG_VERB_MAX 32
/* Longest HELO argument examined (RFC 5321 command line 512). */
#define FG_HELO_MAX 512
/* Longest SASL login name kept. */
#define FG_LOGIN_MAX 256
/* Session id: 8 hex digits plus NUL. */
#define FG_SID_MAX 9
/* Postfix queue ids are at most 16 characters (long ids); leave room. */
#define FG_QUEUE_ID_MAX 32

/* Terms in one SPF record (RFC 7208 4.6.4 allows 10 lookups; a record
 * of more terms than this is refused as permerror, not truncated). */
#define FG_SPF_TERMS_MAX 64
/* Longest SPF record examined: RFC 7208 3.4 advises against records that
 * do not fit a 512-byte UDP answer; 4096 is generous. */
#define FG_SPF_RECORD_MAX 4096

/* Resource records kept from one DNS answer; more are counted. */
#define FG_DNS_RR_MAX 64
/* Bytes of decoded answer data kept (names, joined TXT strings). */
#define FG_DNS_ARENA_MAX 16384
/* One TXT record after joining its strings (RFC 7208 3.3 allows several
 * strings; records beyond this are cut and marked). */
#define FG_DNS_TXT_MAX 4096
/* Longest deadline a caller may ask for, milliseconds. */
#define FG_DNS_TIMEOUT_MAX 60000

/* Bytes of one Received: field examined; the rest is counted as cut.
 * RFC 5322 2.1.1 allows 998 per line, and folded fields from Exchange
 * and Gmail reach 1-2 kB; 8 kB is generous, 1 MB fields are cut. */
#define FG_RCVD_MAX 8192
/* Tokens (words and comments) of one Received: field examined. */
#define FG_RCVD_TOKENS_MAX 64
/* Words inside one comment examined. */
#define FG_RCVD_COMMENT_WORDS_MAX 16
/* Comment nesting depth; deeper is recorded as garbage, not followed. */
#define FG_RCVD_COMMENT_DEPTH 8
/* A Received: id, protocol or via word kept. */
#define FG_RCVD_WORD_MAX 128
/* Received: fields kept per message (RFC 5321 6.3 suggests treating
 * 100 hops as a loop); more are counted, not kept. */
#define FG_RCVD_KEPT_MAX 128
/* Header fields examined per message; more are counted (a finding). */
#define FG_HEADERS_MAX 1000
/* Bytes of one header field examined (Postfix header_size_limit is
 * 102400 for the whole header by default). */
#define FG_HEADER_FIELD_MAX 65536
/* Total header bytes examined per message. */
#define FG_HEADER_TOTAL_MAX (1024 * 1024)
/* Header fields a transaction keeps, raw, for the checks that need the
 * bytes (DKIM, ARC) and for removing forged Authentication-Results:
 * Postfix's header_size_limit (102400 by default) stops far below this.
 * A header past it cannot be cleaned with certainty and is tempfailed. */
#define FG_HDRSTORE_FIELDS_MAX 100000
#define FG_HDRSTORE_BYTES_MAX (4 * 1024 * 1024)
/* Seconds libmilter waits for the MTA's next command on a session (its
 * default is 7,210): past Postfix's smtpd_timeout of 300 s. */
#define FG_MILTER_TIMEOUT_S 600
/* Body bytes handed to the milter per chunk by Postfix and Sendmail
 * (MILTER_CHUNK_SIZE); the offline splitter feeds the same. */
#define FG_BODY_CHUNK_MAX 65535
/* Addresses in one From: field examined. */
#define FG_FROM_ADDRS_MAX 32

/* One Authentication-Results field we write; past it, the entries of
 * lowest priority are left out (and a comment says so). */
#define FG_AUTHRES_FIELD_MAX 4096
/* Method entries in one Authentication-Results field. */
#define FG_AUTHRES_ENTRIES_MAX 48
/* Properties (and a reason) of one entry. */
#define FG_AUTHRES_PROPS_MAX 8
/* Folded lines of our Authentication-Results stay within this. */
#define FG_AUTHRES_COLUMNS 78

/* Tags in one tag=value list (RFC 6376 3.2): DKIM-Signature has 15
 * defined tags, key records 7, DMARC 11; more is refused, not cut. */
#define FG_TAGS_MAX 32
/* Bytes of one tag name (RFC 6376 3.2 tag-name: ALPHA *ALNUMPUNC). */
#define FG_TAG_NAME_MAX 32
/* A DKIM-Signature field examined: b= of an 8192-bit key is 1.4 kB and
 * h= of 100 fields 2 kB; 16 kB is generous.  A longer one is permerror. */
#define FG_DKIM_SIG_MAX 16384
/* Decoded b= (an RSA-8192 signature is 1024 bytes; ed25519 64). */
#define FG_DKIM_B_MAX 1024
/* Decoded bh= (SHA-256: 32 bytes; SHA-1: 20). */
#define FG_DKIM_BH_MAX 64
/* Field names one h= may list; more is permerror (over-signing a dozen
 * fields twice is well under it). */
#define FG_DKIM_H_MAX 128
/* Decoded p= of a key record (RSA-8192 SubjectPublicKeyInfo: 1.1 kB). */
#define FG_DKIM_KEY_MAX 2048
/* Signatures verified per message by default (max_signatures). */
#define FG_DKIM_SIGS_DEFAULT 10
/* The most max_signatures may be (each is a key lookup and a verify). */
#define FG_DKIM_SIGS_MAX 50
/* Parsed keys cached, and the longest a cached key lives (seconds). */
#define FG_KEYCACHE_MAX 10000
#define FG_KEYCACHE_TTL_MAX 3600

/* DKIM-Signature d= domains remembered per message. */
#define FG_DKIM_D_MAX 8

/* Stack of each session thread: the deepest chain (a Received: field
 * parse under the header stage, a verdict line) needs under 100 kB. */
#define FG_THREAD_STACK (512 * 1024)

#endif
