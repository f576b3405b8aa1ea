/*
 * session_impl.h - the session's state, by lifetime
 *
 * struct fg_session lives as long as the milter connection.  Its
 * connection part (facts and findings of connect and HELO) is reset at
 * every connect, XCLIENT reconnects included.  Everything one message
 * owns hangs off struct fg_txn: allocated at MAIL FROM, freed in one
 * call (txn_end) at end of message, abort or close.
 */
#ifndef FG_SESSION_IMPL_H
#define FG_SESSION_IMPL_H

#include <time.h>

#include "forgeguard/checks.h"
#include "forgeguard/hdrstore.h"
#include "forgeguard/session.h"
#include "forgeguard/verdict.h"

/* Bytes of a client path kept for the log lines. */
#define FG_WIRE_MAX FG_LOG_VALUE_MAX

/* One transaction: MAIL FROM to end of message or abort. */
struct fg_txn {
	struct timespec t0;
	char qid[FG_QUEUE_ID_MAX];
	char from[FG_WIRE_MAX + 1]; /* as sent, for the log */
	size_t from_len;
	int smtputf8;
	struct fg_txn_facts f;
	struct fg_findings deferred; /* refusing findings held for RCPT */
	struct fg_findings txn_f; /* non-pass findings, for the summary */
	size_t nrcpt;
	size_t nrejected;
	char rcpt[FG_LOG_RCPTS_MAX][FG_WIRE_MAX + 1];
	size_t rcpt_len[FG_LOG_RCPTS_MAX];
	enum fg_action txn_action; /* strongest of any stage */
	enum fg_action msg_action; /* what happened to the message itself */
	enum fg_action txn_would;
	int quarantine;
	char quarantine_reason[256];
	struct fg_hdrstore hdrs; /* every header field, raw */
	int hdr_failed; /* a header field could not be kept */
	uint64_t body_bytes;
	int eom_decided; /* fg_session_eom ran; fg_session_eom_done ends */
	struct fg_verdict eom; /* what end of message decided */
	size_t authres_left_out;
	/* the author's _dmarc record, asked for at end of headers so that
	 * it arrives while the body streams; collected before DMARC runs
	 * (the resolver's cache then answers the walk's first question) */
	struct fg_dns_query *dmarc_q;
	/* our own mail: the signer, from end of headers; what it signs
	 * with, or why it did not, for the log */
	struct fg_dkim_signer *signer;
	char *sign_fields; /* FG_SIGN_KEYS_MAX fields, made at eom */
	char signed_by[256];
	/* mail this site forwards: the ARC set it adds */
	int seal_rcpt; /* a recipient is in arc_seal_recipient_domains */
	struct fg_dkim_signer *sealer; /* the body hash, from eoh */
	const struct fg_signkey *seal_key;
	struct fg_arc_seal_out *seal; /* made at eom */
	char sealed_by[400];
};

struct fg_session {
	struct fg_conf *conf;
	struct fg_log *log;
	struct fg_engines env;
	struct fg_signkeys *signkeys; /* NULL: nothing is signed */
	int64_t clock; /* fixed UTC time for tests; 0: the real clock */
	int lead_space; /* header values arrive with their leading space */
	char sid[FG_SID_MAX];
	/* the connection, reset at every connect */
	struct fg_conn_facts conn;
	struct fg_findings conn_f;
	struct fg_findings helo_f;
	/* the transaction, NULL outside one */
	struct fg_txn *txn;
};

/* fg_sess_macro - a macro value or NULL */
const char *fg_sess_macro(const struct fg_macros *m, const char *name);
/* fg_sess_now - the monotonic clock */
struct timespec fg_sess_now(void);
/* fg_sess_ms_since - milliseconds since t0 */
double fg_sess_ms_since(struct timespec t0);
/* fg_sess_ctx - the check context of a stage, its DNS budget from now */
void fg_sess_ctx(struct fg_session *s, struct fg_check_ctx *c);
/* fg_sess_vline - the parts of a log line every stage shares */
void
fg_sess_vline(const struct fg_session *s, struct fg_vline *v, enum fg_stage st,
	      const struct fg_findings *f, const struct fg_verdict *vd);
/* fg_sess_emit - format and write one line */
void fg_sess_emit(const struct fg_session *s, const struct fg_vline *v);
/* fg_sess_now_only - what of a verdict can be enforced before RCPT:
 * refusals become log (held for later); deferred gets what they are */
void fg_sess_now_only(const struct fg_conf *conf, const struct fg_findings *f,
		      struct fg_verdict *vd, enum fg_action *deferred);
/* fg_sess_note_txn - fold f[0..count) into the transaction summary */
void fg_sess_note_txn(struct fg_session *s, const struct fg_findings *f,
		      size_t count, const struct fg_verdict *vd);
/* fg_sess_internal_finding - an internal error the summary line will
 * report: the verdict, counted in the transaction, no line of its own */
void fg_sess_internal_finding(struct fg_session *s, const char *what,
			      struct fg_verdict *out);
/* fg_sess_txn_end - log the summary of an open transaction (end: the
 * stage it ended at, vd what happened) and free it */
void fg_sess_txn_end(struct fg_session *s, enum fg_stage end,
		     const struct fg_verdict *vd);
/* fg_sess_take_qid - remember the queue id once the MTA has one */
void fg_sess_take_qid(struct fg_session *s, const struct fg_macros *m);

#endif
