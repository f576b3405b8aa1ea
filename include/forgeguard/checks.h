/*
 * checks.h - the facts checks look at, and the checks themselves
 *
 * Every stage runs facts -> findings -> verdict.  The session gathers
 * facts into struct fg_conn_facts (the connection: client, HELO) and
 * struct fg_txn_facts (one transaction: MAIL, the RCPT being judged,
 * the header facts), then the registry runs the stage's checks from
 * checks.def in order.  A check reads facts and appends findings
 * through fg_check_add, which stamps the check's own id; it decides no
 * action, logs nothing and keeps no state of its own.  A lookup check
 * (SPF) also records its outcome in the facts, for the checks of later
 * stages and for Authentication-Results.
 */
#ifndef FG_CHECKS_H
#define FG_CHECKS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "forgeguard/addr.h"
#include "forgeguard/bounds.h"
#include "forgeguard/catalog.h"
#include "forgeguard/conf.h"
#include "forgeguard/arc.h"
#include "forgeguard/dkim.h"
#include "forgeguard/dmarc.h"
#include "forgeguard/dns.h"
#include "forgeguard/helo.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/message.h"
#include "forgeguard/policy.h"
#include "forgeguard/spf.h"

/* What is known about the client, from the connect arguments and macros. */
struct fg_client {
	int ip_known;
	struct fg_ip ip;
	char addr[FG_IP_TEXT_MAX + 8]; /* text form, "unknown" */
	char name[FG_DOMAIN_MAX + 1]; /* verified name or "unknown" */
	char ptr[FG_DOMAIN_MAX + 1]; /* PTR name, "" if not told */
	char our_host[FG_DOMAIN_MAX + 1]; /* the "j" macro, "" if absent */
	int daemon_ip_known;
	struct fg_ip daemon_ip;
	int trusted_net;
};

/* What the connection has established; reset at every connect. */
struct fg_conn_facts {
	struct fg_client client;
	int has_helo;
	char helo[FG_HELO_MAX + 2]; /* the argument, one byte past the max */
	size_t helo_len; /* at most FG_HELO_MAX + 1: over the max is seen */
	struct fg_helo helo_parse;
	int helo_spf_done;
	struct fg_spf_outcome helo_spf; /* also the null sender's result */
	int fcrdns_result; /* FG_R_COUNT: not evaluated */
};

/* Whether a MAIL or RCPT command's path and parameters follow RFC 5321
 * 4.1.2, and the first problem if not; pointers into its arguments. */
struct fg_cmd_syntax {
	const char *arg; /* argv[0] */
	size_t arg_len;
	int ok;
	const char *why; /* !ok: what is wrong */
	size_t errpos; /* and where (FG_NOPOS: nowhere in particular) */
	const char *bad; /* the offending argument */
	size_t bad_len;
};

/* Facts from one MAIL FROM command; pointers into its arguments are
 * valid during the MAIL stage only. */
struct fg_mail {
	struct fg_cmd_syntax syntax;
	int path_ok; /* the path parsed */
	struct fg_path path;
	struct fg_params params;
	int has_size; /* a valid SIZE= */
	uint64_t size;
	const char *size_text;
	size_t size_len;
	int smtputf8;
	const char *login; /* SASL login or NULL */
};

/* Facts from one RCPT TO command, valid during that stage. */
struct fg_rcpt {
	struct fg_cmd_syntax syntax;
	struct fg_path path; /* why non-NULL when it did not parse */
	size_t accepted; /* recipients accepted before this one */
};

/* What the current connection says about the current hop. */
struct fg_chain_in {
	const struct fg_client *client;
	const char *helo; /* "" if none */
	const char *login; /* SASL login or NULL */
	int tls; /* the session used TLS */
	int64_t now; /* UTC seconds */
};

/* The Received: chain as judged at end of headers. */
struct fg_chain_out {
	size_t boundary; /* first untrusted hop; nhops when all trusted */
	int fail; /* x-received-chain=fail */
	char reason[160]; /* why, for the Authentication-Results field */
};

/* What one transaction has established, from MAIL FROM on. */
struct fg_txn_facts {
	int authenticated;
	char login[FG_LOGIN_MAX + 1]; /* SASL login, "" if none */
	int tls;
	int trusted; /* trusted network or authenticated */
	struct fg_mail mail;
	int mail_spf_done;
	struct fg_spf_outcome mail_spf;
	char spf_identity[FG_ADDR_MAX + 1]; /* smtp.mailfrom, "" if none */
	struct fg_rcpt rcpt; /* the recipient being judged */
	struct fg_message msg; /* header facts, from end of headers on */
	struct fg_chain_in chain_in;
	struct fg_chain_out chain;
	int chain_done;
	struct fg_dkim *dkim; /* the signatures, NULL when not verified */
	int dkim_failed; /* DKIM could not even start (no memory) */
	int arc_on; /* the arc check runs on this message */
	int arc_failed; /* ARC could not even start (no memory) */
	struct fg_dmarc_out *dmarc; /* the DMARC evaluation, NULL if none */
	const char *dmarc_override; /* why the policy was not applied */
	enum fg_dmarc_policy dmarc_dis; /* the disposition applied */
	struct fg_arc *arc; /* its ARC sets, NULL when it has none */
};

/* The engines a session may use; any may be NULL. */
struct fg_engines {
	struct fg_spf *spf; /* libspf2, for spf_engine = libspf2 */
	struct fg_dns *dns;
	struct fg_keycache *keys; /* decoded DKIM keys */
};

/* Everything a check may read: the stage's facts and its DNS budget. */
struct fg_check_ctx {
	const struct fg_conf *conf;
	const struct fg_engines *env;
	struct timespec deadline; /* the stage's DNS lookups end by then */
	struct fg_conn_facts *conn;
	struct fg_txn_facts *txn; /* NULL before MAIL FROM */
	const char *cmd; /* an unknown command */
	size_t cmd_len; /* its verb */
	enum fg_check_id id; /* the check running (set by the registry) */
};

typedef void fg_check_fn(struct fg_check_ctx *c, struct fg_findings *out);

/* The check functions, one per entry of checks.def. */
#define FG_CHECK(id, name, stage, fn, ...) fg_check_fn fn;
#include "forgeguard/checks.def"
#undef FG_CHECK

/* fg_registry_run - every enabled check of a stage, in list order */
void fg_registry_run(enum fg_stage stage, struct fg_check_ctx *c,
		     struct fg_findings *out);
/* fg_registry_fn - the function of a check, NULL for internal */
fg_check_fn *fg_registry_fn(enum fg_check_id id);
/* fg_registry_needs_body - does an enabled check read the body */
int fg_registry_needs_body(const struct fg_conf *conf);

/* fg_check_add - a finding of the running check; value holds any bytes */
void fg_check_add(const struct fg_check_ctx *c, struct fg_findings *out,
		  enum fg_result r, const char *reason, size_t pos,
		  const char *value, size_t vlen);
/* fg_check_addf - the same with a printf-formatted value */
void fg_check_addf(const struct fg_check_ctx *c, struct fg_findings *out,
		   enum fg_result r, const char *reason, const char *fmt, ...)
	FG_PRINTF(5, 6);

/* fg_checks_client - the client facts from the connect arguments and
 * macro values (any may be NULL) */
void fg_checks_client(const struct fg_conf *conf, const char *hostname,
		      const struct fg_ip *ip, const char *addr,
		      const char *name, const char *ptr, const char *j,
		      const char *daemon_addr, struct fg_client *out);
/* fg_checks_helo_facts - remember and parse a HELO argument */
void fg_checks_helo_facts(struct fg_conn_facts *f, const char *helo);
/* fg_checks_mail_facts - parse a NULL-terminated MAIL argv */
void fg_checks_mail_facts(const char *const *argv, const char *login,
			  struct fg_mail *m);
/* fg_checks_rcpt_facts - parse a NULL-terminated RCPT argv */
void fg_checks_rcpt_facts(const char *const *argv, int smtputf8,
			  size_t accepted, struct fg_rcpt *r);
/* fg_checks_syntax_start - a command argument, good until a problem */
void fg_checks_syntax_start(struct fg_cmd_syntax *x, const char *arg, size_t n);
/* fg_checks_syntax_problem - the first problem of a command (later ones
 * are not recorded) */
void fg_checks_syntax_problem(struct fg_cmd_syntax *x, const char *why,
			      size_t pos, const char *bad, size_t n);
/* fg_checks_syntax_report - the running check's finding for a command's
 * syntax: pass with the argument, or invalid with the problem */
void
fg_checks_syntax_report(const struct fg_check_ctx *c, struct fg_findings *out,
			const struct fg_cmd_syntax *x);
/* fg_checks_unknown_verb - the verb's length in an unknown command */
size_t fg_checks_unknown_verb(const char *cmd);

/* fg_checks_is_our_ip - one of local_addresses, or Postfix's own */
int fg_checks_is_our_ip(const struct fg_conf *conf, const struct fg_client *c,
			const struct fg_ip *ip);
/*
 * fg_checks_is_our_name - our host name ("j"), one of local_hosts, or
 * (domains set) a name at or below one of local_domains
 */
int fg_checks_is_our_name(const struct fg_conf *conf, const struct fg_client *c,
			  const char *p, size_t n, int domains);
/* fg_checks_is_local_postmaster - postmaster of one of our domains */
int fg_checks_is_local_postmaster(const struct fg_conf *conf,
				  const struct fg_client *c,
				  const struct fg_path *path);
struct fg_authres;
/* fg_authres_facts - the Authentication-Results entries of what the
 * checks found (arfacts.c) */
void fg_authres_facts(struct fg_authres *a, const struct fg_conn_facts *c,
		      const struct fg_txn_facts *t);
/*
 * fg_dmarc_record - the DMARC report record (RFC 9990's content, one JSON
 * object) of a judged message into b; 0 when its author domain has no
 * policy, or the record did not fit
 */
int fg_dmarc_record(const struct fg_conn_facts *c, const struct fg_txn_facts *t,
		    const char *rcpt_domain, int64_t now, struct fg_buf *b);
/* fg_checks_dkim_temperror - does a signature's key lookup have failed */
int fg_checks_dkim_temperror(const struct fg_txn_facts *t);
/* fg_checks_dkim_aligned - the best result of the signatures whose d=
 * aligns with domain (a testing key never passes); FG_DKIM_NONE when
 * none does */
enum fg_dkim_result
fg_checks_dkim_aligned(const struct fg_txn_facts *t, const char *domain);
/* fg_checks_aligned - two domains equal, or one below the other (never
 * across a single-label suffix) */
int fg_checks_aligned(const char *a, const char *b);

#endif
