/*
 * received.h - parse one Received: field into the claims it makes
 *
 * The parser records what a hop says about itself (RFC 5321 4.4
 * Time-stamp-line and the forms real MTAs write); it never decides
 * whether to believe it.  Text fields are NUL-terminated copies, cut at
 * their bound; names lose a trailing dot, nothing else is changed.
 */
#ifndef FG_RECEIVED_H
#define FG_RECEIVED_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/date.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"

/* What kind of step the field records. */
enum fg_rcvd_kind {
	FG_RCVD_RELAY, /* received over the network from an address */
	FG_RCVD_LOCAL, /* no network address: local injection, pickup */
	FG_RCVD_FETCH, /* retrieved over IMAP or POP (fetchmail) */
	FG_RCVD_FILTER, /* a content filter's own pass (qmail-scanner) */
};

/* Where evidence of authentication was found. */
enum fg_rcvd_auth {
	FG_RCVD_AUTH_NONE,
	FG_RCVD_AUTH_PROTO, /* "with ESMTPA", "ESMTPSA", "asmtp" (RFC 3848) */
	FG_RCVD_AUTH_WEB, /* "with HTTP", "via HTTP", webmail comments */
	FG_RCVD_AUTH_BITS, /* "(authenticated bits=0)" (Sendmail) */
	FG_RCVD_AUTH_AS, /* "(authenticated as USER)" */
	FG_RCVD_AUTH_SENDER, /* "(Authenticated sender: USER)" (Postfix) */
	FG_RCVD_AUTH_MECH, /* "(AUTH: MECH USER)" (Courier); detail = MECH */
	FG_RCVD_AUTH_ACCOUNT, /* "(account USER)" (CommuniGate) */
};

/* Protocol flags, from "with" (RFC 3848) and comments. */
#define FG_RCVD_P_ESMTP 0x01
#define FG_RCVD_P_TLS 0x02
#define FG_RCVD_P_AUTH 0x04
#define FG_RCVD_P_LMTP 0x08
#define FG_RCVD_P_HTTP 0x10
#define FG_RCVD_P_UTF8 0x20

/* Parse notes: what was odd, in any field. */
#define FG_RCVD_N_CUT 0x001 /* longer than FG_RCVD_MAX */
#define FG_RCVD_N_NUL 0x002 /* NUL bytes (dropped) */
#define FG_RCVD_N_8BIT 0x004 /* bytes >= 0x80 */
#define FG_RCVD_N_UNCLOSED 0x008 /* a comment, bracket or quote not closed */
#define FG_RCVD_N_DEEP 0x010 /* comments nested too deep */
#define FG_RCVD_N_BAD_IP 0x020 /* an address-looking value that is not one */
#define FG_RCVD_N_BAD_BY 0x040 /* a "by" value that is not a host */
#define FG_RCVD_N_NO_DATE 0x080 /* no date, or one that did not parse */
#define FG_RCVD_N_TOKENS 0x100 /* more than FG_RCVD_TOKENS_MAX tokens */
#define FG_RCVD_N_UNKNOWN 0x200 /* words outside any clause */

#define FG_RCVD_NAME_MAX FG_DOMAIN_MAX

struct fg_rcvd {
	enum fg_rcvd_kind kind;
	/* from: the name as written (an address literal keeps brackets) */
	char from_name[FG_RCVD_NAME_MAX + 1];
	char helo[FG_RCVD_NAME_MAX + 1]; /* the HELO claim, "" if none */
	int has_helo;
	char rdns[FG_RCVD_NAME_MAX + 1]; /* the reverse DNS name claimed */
	char tcp_host[FG_RCVD_NAME_MAX + 1]; /* the name beside the address */
	int has_ip;
	struct fg_ip ip; /* IPv4-mapped IPv6 folded to IPv4 */
	unsigned port; /* 0: not given */
	char bad_ip[FG_RCVD_WORD_MAX + 1]; /* N_BAD_IP: what was written */
	char ident[FG_LOCAL_PART_MAX + 1]; /* RFC 1413 or login beside it */
	char by[FG_RCVD_NAME_MAX + 1];
	char via[FG_RCVD_WORD_MAX + 1];
	char with[FG_RCVD_WORD_MAX + 1];
	unsigned proto; /* FG_RCVD_P_* */
	char id[FG_RCVD_WORD_MAX + 1];
	char for_[FG_PATH_MAX + 1]; /* as written, brackets kept */
	char envfrom[FG_PATH_MAX + 1]; /* envelope-from, brackets removed */
	enum fg_rcvd_auth auth;
	char auth_detail[FG_RCVD_WORD_MAX + 1];
	int has_date;
	struct fg_date date;
	unsigned notes; /* FG_RCVD_N_* */
	size_t unknown_words; /* words no clause claimed */
};

/*
 * fg_received_parse - one field body (after "Received:"), folding and
 * all.  FG_ESYNTAX when it has neither a from, a by nor a date clause
 * (out still holds what was found); FG_OK otherwise.
 */
enum fg_err
fg_received_parse(const char *p, size_t n, struct fg_rcvd *out) FG_WUR;
/* fg_received_kind_name - "relay", "local", "fetch", "filter" */
const char *fg_received_kind_name(enum fg_rcvd_kind k);

#endif
