/*
 * session.h - the SMTP-stage state machine, without libmilter
 *
 * One struct fg_session per milter connection.  Each stage function takes
 * what libmilter handed over (arguments and a macro lookup), runs the
 * stage's checks, logs one verdict line, and returns the verdict the
 * glue must enforce.  Connect and HELO verdicts (and MAIL verdicts with
 * reject_stage = rcpt) are held back and delivered at the first
 * recipient, where postmaster@ of a local domain is exempt.
 *
 * The session keeps the configuration snapshot it was created with.
 */
#ifndef FG_SESSION_H
#define FG_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/bounds.h"
#include "forgeguard/chain.h"
#include "forgeguard/conf.h"
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

/* What end of message asks the glue to do besides the verdict. */
struct fg_eom_ops {
	int quarantine;
	char quarantine_reason[256];
	int add_authres;
	char authres
		[1024]; /* the field body, without "Authentication-Results:" */
	size_t ndel; /* Authentication-Results fields to delete */
	unsigned del[FG_AUTHRES_DEL_MAX]; /* their 1-based indexes */
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
/* fg_session_set_clock - fix "now" (UTC seconds) for tests; 0: real */
void fg_session_set_clock(struct fg_session *s, int64_t utc);
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
/* fg_session_header - one header field; always accepts: a field that
 * could not be kept makes fg_session_eoh tempfail */
void fg_session_header(struct fg_session *s, const char *name,
		       const char *value, struct fg_verdict *out);
/* fg_session_eoh - end of headers */
void fg_session_eoh(struct fg_session *s, const struct fg_macros *m,
		    struct fg_verdict *out);
/* fg_session_eom - end of message: the summary line and header work */
void fg_session_eom(struct fg_session *s, const struct fg_macros *m,
		    struct fg_verdict *out, struct fg_eom_ops *ops);
/* fg_session_abort - RSET or a failed transaction */
void fg_session_abort(struct fg_session *s);
/* fg_session_unknown - a command Postfix did not recognise */
void fg_session_unknown(struct fg_session *s, const char *cmd,
			struct fg_verdict *out);
/* fg_session_internal - an internal error in the glue: tempfail, logged */
void fg_session_internal(struct fg_session *s, const char *what,
			 struct fg_verdict *out);

#endif
