/*
 * session.h - the SMTP-stage state machine, without libmilter
 *
 * One struct fg_session per milter connection.  Each stage function takes
 * what libmilter handed over (arguments and a macro lookup), gathers the
 * stage's facts, runs the stage's checks (checks.def), logs one verdict
 * line, and returns the verdict the glue must enforce.  Connect and HELO
 * verdicts (and MAIL verdicts with reject_stage = rcpt) are held back and
 * delivered at the first recipient, where postmaster@ of a local domain
 * is exempt.  A transaction runs from MAIL FROM to end of message, abort
 * or close; end of message is two calls, so that the summary line tells
 * what really happened to the message:
 *
 *	fg_session_eom(s, &m, &v, &ops);    decide; the edits to make
 *	(apply ops unless v refuses the message)
 *	fg_session_eom_done(s, failed, &v); the summary; what to enforce
 *
 * The session keeps the configuration snapshot it was created with.
 */
#ifndef FG_SESSION_H
#define FG_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/bounds.h"
#include "forgeguard/checks.h"
#include "forgeguard/conf.h"
#include "forgeguard/dkimsign.h"
#include "forgeguard/dns.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/log.h"
#include "forgeguard/policy.h"
#include "forgeguard/spf.h"

/* Macro lookup: the value of a Postfix/Sendmail macro, or NULL. */
struct fg_macros {
	const char *(*get)(void *arg, const char *name);
	void *arg;
};

/* What end of message asks the glue to do besides the verdict; valid
 * until fg_session_eom_done. */
struct fg_eom_ops {
	int quarantine;
	char quarantine_reason[256];
	int add_authres;
	/* the field body, without "Authentication-Results:" and without a
	 * leading space */
	char authres[FG_AUTHRES_FIELD_MAX];
	size_t ndel; /* Authentication-Results fields to delete */
	const unsigned *del; /* their 1-based indexes, ascending */
	/* DKIM-Signature field bodies to add (our own mail), without a
	 * leading space, folded with LF and a tab; the transaction owns
	 * them until fg_session_eom_done */
	size_t nsign;
	const char *sign[FG_SIGN_KEYS_MAX];
	/* the ARC set to add (mail this site forwards), NULL: none; the
	 * same form, owned the same way */
	const char *arc_aar, *arc_ams, *arc_as;
};

struct fg_session;

/* fg_session_new - a session holding a reference to conf and log */
enum fg_err fg_session_new(struct fg_conf *conf, struct fg_log *log,
			   struct fg_session **out) FG_WUR;
/*
 * fg_session_set_engines - the SPF engine and resolver this session uses
 * (a reference to dns is taken); without them SPF checks do not run
 */
void fg_session_set_engines(struct fg_session *s, struct fg_spf *spf,
			    struct fg_dns *dns);
/* fg_session_set_keycache - the process's DKIM key cache (NULL: none;
 * it must outlive the session) */
void fg_session_set_keycache(struct fg_session *s, struct fg_keycache *kc);
/* fg_session_set_signkeys - the DKIM signing keys of the session's
 * snapshot (a reference is taken; NULL: nothing is signed) */
void fg_session_set_signkeys(struct fg_session *s, struct fg_signkeys *k);
/* fg_session_set_clock - fix "now" (UTC seconds) for tests; 0: real */
void fg_session_set_clock(struct fg_session *s, int64_t utc);
/*
 * fg_session_set_lead_space - whether header values arrive with the
 * blank after the colon (SMFIP_HDR_LEADSPC; the default, and what
 * fg_split feeds); without it the session puts one space back
 */
void fg_session_set_lead_space(struct fg_session *s, int yes);
/* fg_session_needs_body - does an enabled check read message bodies */
int fg_session_needs_body(const struct fg_session *s);
/*
 * fg_session_message - the header facts and the chain judged at end of
 * headers (hop 0 is the current hop), valid until end of message or
 * abort; NULL before end of headers
 */
const struct fg_message *
fg_session_message(const struct fg_session *s, struct fg_chain_out *chain);
/* fg_session_free - log an unfinished transaction and free (NULL ok) */
void fg_session_free(struct fg_session *s);
/*
 * fg_session_connect - a new SMTP connection (again, after XCLIENT);
 * hostname as libmilter gives it, ip NULL when unknown, sid for the logs;
 * always accepts: what it finds is enforced at MAIL or RCPT
 */
void fg_session_connect(struct fg_session *s, const char *sid,
			const char *hostname, const struct fg_ip *ip,
			const struct fg_macros *m, struct fg_verdict *out);
/* fg_session_helo - HELO or EHLO; always accepts, like connect */
void fg_session_helo(struct fg_session *s, const char *helo,
		     const struct fg_macros *m, struct fg_verdict *out);
/* fg_session_mail - MAIL FROM: argv[0] the path, then ESMTP params */
void fg_session_mail(struct fg_session *s, const char *const *argv,
		     const struct fg_macros *m, struct fg_verdict *out);
/* fg_session_rcpt - RCPT TO: argv[0] the path, then ESMTP params */
void fg_session_rcpt(struct fg_session *s, const char *const *argv,
		     const struct fg_macros *m, struct fg_verdict *out);
/* fg_session_data - DATA */
void fg_session_data(struct fg_session *s, const struct fg_macros *m,
		     struct fg_verdict *out);
/* fg_session_header - one header field, value as sent (see
 * fg_session_set_lead_space); always accepts: a field that could not be
 * kept makes fg_session_eoh tempfail */
void fg_session_header(struct fg_session *s, const char *name,
		       const char *value, struct fg_verdict *out);
/* fg_session_eoh - end of headers */
void fg_session_eoh(struct fg_session *s, const struct fg_macros *m,
		    struct fg_verdict *out);
/*
 * fg_session_body - one body chunk (CRLF line ends, as the MTA sends
 * them); 1 while a check wants more of the body, 0 when the rest may be
 * skipped
 */
int fg_session_body(struct fg_session *s, const unsigned char *chunk,
		    size_t len, struct fg_verdict *out);
/* fg_session_eom - end of message: the verdict, and the header edits
 * and quarantine to apply unless the verdict refuses the message */
void fg_session_eom(struct fg_session *s, const struct fg_macros *m,
		    struct fg_verdict *out, struct fg_eom_ops *ops);
/*
 * fg_session_eom_done - the glue applied the edits (failed: NULL, or
 * what failed, which tempfails the message); writes the summary line and
 * ends the transaction; out is the verdict to enforce
 */
void fg_session_eom_done(struct fg_session *s, const char *failed,
			 struct fg_verdict *out);
/* fg_session_abort - RSET or a failed transaction */
void fg_session_abort(struct fg_session *s);
/* fg_session_unknown - a command Postfix did not recognise */
void fg_session_unknown(struct fg_session *s, const char *cmd,
			struct fg_verdict *out);
/* fg_session_internal - an internal error in the glue at a stage:
 * tempfail, logged with that stage */
void fg_session_internal(struct fg_session *s, enum fg_stage stage,
			 const char *what, struct fg_verdict *out);

#endif
