/*
 * NAME
 *	session - per-connection SMTP stage engine: the connection
 * SYNOPSIS
 *	#include "forgeguard/session.h"
 * DESCRIPTION
 *	Runs facts -> findings -> verdict at every stage and logs one
 *	verdict line per stage; txn.c does the same for the stages of a
 *	transaction and writes its summary line.  This file holds the
 *	connection's life: connect (which resets everything the previous
 *	connection established), HELO, unknown commands and internal
 *	errors, and what every stage shares.
 *	Connect and HELO verdicts cannot be replied to there (libmilter
 *	cannot set a reply at connect; a HELO reject makes Postfix refuse
 *	every later MAIL), so their refusing findings are logged now and
 *	enforced at MAIL FROM or RCPT TO (reject_stage).
 * STANDARDS
 *	RFC 5321 3.3 (transactions), 4.1.1.1 (HELO).
 * DIAGNOSTICS
 *	fg_session_new fails with FG_ENOMEM.  Nothing else fails: bad input
 *	becomes findings, and an internal error becomes the internal
 *	check's tempfail, logged with the stage it happened in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forgeguard/deadline.h"
#include "forgeguard/str.h"
#include "session_impl.h"

/* fg_sess_now - the monotonic clock */
struct timespec
fg_sess_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

/* fg_sess_ms_since - milliseconds since t0 */
double
fg_sess_ms_since(struct timespec t0)
{
	struct timespec t = fg_sess_now();

	return (double)(t.tv_sec - t0.tv_sec) * 1e3 +
	       (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
}

/* fg_sess_macro - a macro value or NULL */
const char *
fg_sess_macro(const struct fg_macros *m, const char *name)
{
	if (m == NULL || m->get == NULL)
		return NULL;
	return m->get(m->arg, name);
}

/* fg_sess_take_qid - remember the queue id once the MTA has one */
void
fg_sess_take_qid(struct fg_session *s, const struct fg_macros *m)
{
	const char *i = fg_sess_macro(m, "i");

	if (s->txn != NULL && i != NULL && i[0] != '\0')
		fg_str_copy_cut(s->txn->qid, sizeof(s->txn->qid), i);
}

/* fg_sess_ctx - the check context of a stage, its DNS budget from now */
void
fg_sess_ctx(struct fg_session *s, struct fg_check_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->conf = s->conf;
	c->env = &s->env;
	c->deadline = fg_deadline_after(s->conf->dns_timeout_ms);
	c->conn = &s->conn;
	c->txn = s->txn != NULL ? &s->txn->f : NULL;
}

/* reset_conn - forget everything the previous connection established */
static void
reset_conn(struct fg_session *s)
{
	memset(&s->conn, 0, sizeof(s->conn));
	s->conn.fcrdns_result = FG_R_COUNT;
	fg_findings_reset(&s->conn_f);
	fg_findings_reset(&s->helo_f);
	fg_str_copy_cut(s->conn.client.addr, sizeof(s->conn.client.addr),
			"unknown");
	fg_str_copy_cut(s->conn.client.name, sizeof(s->conn.client.name),
			"unknown");
}

/* fg_session_new - a session holding a reference to conf and log */
enum fg_err
fg_session_new(struct fg_conf *conf, struct fg_log *log,
	       struct fg_session **out)
{
	struct fg_session *s = calloc(1, sizeof(*s));

	*out = s;
	if (s == NULL)
		return FG_ENOMEM;
	s->conf = fg_conf_ref(conf);
	s->log = fg_log_ref(log);
	s->lead_space = 1;
	fg_str_copy_cut(s->sid, sizeof(s->sid), "-");
	reset_conn(s);
	return FG_OK;
}

/* fg_session_set_engines - the SPF engine and resolver this session uses */
void
fg_session_set_engines(struct fg_session *s, struct fg_spf *spf,
		       struct fg_dns *dns)
{
	fg_dns_free(s->env.dns);
	s->env.spf = spf;
	s->env.dns = dns != NULL ? fg_dns_ref(dns) : NULL;
}

/* fg_session_set_keycache - the DKIM key cache this session uses */
void
fg_session_set_keycache(struct fg_session *s, struct fg_keycache *kc)
{
	s->env.keys = kc;
}

/* fg_session_set_signkeys - the signing keys of the session's snapshot */
void
fg_session_set_signkeys(struct fg_session *s, struct fg_signkeys *k)
{
	fg_signkeys_unref(s->signkeys);
	s->signkeys = fg_signkeys_ref(k);
}

/* fg_session_set_clock - a fixed time for the date checks (tests) */
void
fg_session_set_clock(struct fg_session *s, int64_t utc)
{
	s->clock = utc;
}

/* fg_session_set_lead_space - do header values keep their leading space */
void
fg_session_set_lead_space(struct fg_session *s, int yes)
{
	s->lead_space = yes;
}

/* fg_session_needs_body - does this session's configuration read bodies */
int
fg_session_needs_body(const struct fg_session *s)
{
	return fg_registry_needs_body(s->conf) || s->signkeys != NULL;
}

/* fg_sess_vline - the parts of a log line every stage shares */
void
fg_sess_vline(const struct fg_session *s, struct fg_vline *v, enum fg_stage st,
	      const struct fg_findings *f, const struct fg_verdict *vd)
{
	memset(v, 0, sizeof(*v));
	v->stage = st;
	v->sid = s->sid;
	v->qid = s->txn != NULL ? s->txn->qid : "";
	v->client_name = s->conn.client.name;
	v->client_addr = s->conn.client.addr;
	if (s->conn.has_helo) {
		v->helo.p = s->conn.helo;
		v->helo.n = s->conn.helo_len > FG_HELO_MAX ? FG_HELO_MAX
							   : s->conn.helo_len;
	}
	if (s->txn != NULL) {
		v->from.p = s->txn->from;
		v->from.n = s->txn->from_len;
	}
	v->findings = f;
	v->verdict = vd;
}

/* fg_sess_emit - format and write one line */
void
fg_sess_emit(const struct fg_session *s, const struct fg_vline *v)
{
	char line[FG_LOG_LINE_MAX];
	struct fg_buf b;

	fg_buf_init(&b, line, sizeof(line));
	fg_verdict_format(v, s->conf->log_format, &b);
	fg_log_line(s->log, FG_LOG_INFO, b.data, b.len);
}

/* fg_sess_now_only - the part of a verdict that can be enforced before
 * RCPT: refusals are logged now and held; deferred says what they would
 * be */
void
fg_sess_now_only(const struct fg_conf *conf, const struct fg_findings *f,
		 struct fg_verdict *vd, enum fg_action *deferred)
{
	size_t k;

	*deferred = vd->would > FG_ACT_TAG ? vd->would : FG_ACT_ACCEPT;
	vd->action = FG_ACT_ACCEPT;
	for (k = 0; k < f->n; k++) {
		enum fg_action a = fg_policy_action(conf, &f->v[k]);

		if (a > FG_ACT_TAG)
			a = FG_ACT_LOG;
		if (a > vd->action)
			vd->action = a;
	}
	vd->would = vd->action;
	vd->has_reply = 0;
}

/* early_stage - connect or HELO: run, log, hold; always accepts */
static void
early_stage(struct fg_session *s, enum fg_stage st, struct fg_findings *f,
	    struct timespec t0, struct fg_verdict *out)
{
	struct fg_check_ctx c;
	struct fg_vline v;
	enum fg_action deferred;

	fg_findings_reset(f);
	fg_sess_ctx(s, &c);
	fg_registry_run(st, &c, f);
	fg_policy_decide(s->conf, f, out);
	fg_sess_now_only(s->conf, f, out, &deferred);
	fg_sess_vline(s, &v, st, f, out);
	v.deferred = deferred;
	v.ms = fg_sess_ms_since(t0);
	fg_sess_emit(s, &v);
	out->action = FG_ACT_ACCEPT;
}

/* fcrdns_result - client.fcrdns's result, for iprev; FG_R_COUNT if none */
static int
fcrdns_result(const struct fg_findings *f)
{
	size_t k;

	for (k = 0; k < f->n; k++)
		if (f->v[k].check == FG_CHK_CLIENT_FCRDNS)
			return f->v[k].result;
	return FG_R_COUNT;
}

/* fg_session_connect - a new SMTP connection */
void
fg_session_connect(struct fg_session *s, const char *sid, const char *hostname,
		   const struct fg_ip *ip, const struct fg_macros *m,
		   struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();

	if (s->txn != NULL)
		fg_session_abort(s);
	fg_str_copy_cut(s->sid, sizeof(s->sid), sid);
	reset_conn(s);
	fg_checks_client(
		s->conf, hostname, ip, fg_sess_macro(m, "{client_addr}"),
		fg_sess_macro(m, "{client_name}"),
		fg_sess_macro(m, "{client_ptr}"), fg_sess_macro(m, "j"),
		fg_sess_macro(m, "{daemon_addr}"), &s->conn.client);
	early_stage(s, FG_STAGE_CONNECT, &s->conn_f, t0, out);
	s->conn.fcrdns_result = fcrdns_result(&s->conn_f);
}

/* fg_session_helo - HELO or EHLO */
void
fg_session_helo(struct fg_session *s, const char *helo,
		const struct fg_macros *m, struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();

	fg_checks_helo_facts(&s->conn, helo);
	early_stage(s, FG_STAGE_HELO, &s->helo_f, t0, out);
}

/* fg_session_unknown - a command Postfix did not recognise */
void
fg_session_unknown(struct fg_session *s, const char *cmd,
		   struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();
	struct fg_check_ctx c;
	struct fg_findings f;
	struct fg_vline v;

	fg_findings_reset(&f);
	fg_sess_ctx(s, &c);
	c.cmd = cmd;
	c.cmd_len = fg_checks_unknown_verb(cmd);
	fg_registry_run(FG_STAGE_UNKNOWN, &c, &f);
	fg_policy_decide(s->conf, &f, out);
	fg_sess_vline(s, &v, FG_STAGE_UNKNOWN, &f, out);
	v.extra_key = "cmd";
	v.extra.p = cmd; /* not f.v[0]: disabled_checks may leave f empty */
	v.extra.n = c.cmd_len;
	v.ms = fg_sess_ms_since(t0);
	fg_sess_emit(s, &v);
}

/* internal - the internal finding and its verdict, counted in the
 * transaction */
static void
internal(struct fg_session *s, const char *what, struct fg_findings *f,
	 struct fg_verdict *out)
{
	fg_findings_reset(f);
	fg_findings_add(f, FG_CHK_INTERNAL, FG_R_TEMPERROR, what, FG_NOPOS, "",
			0);
	fg_policy_decide(s->conf, f, out);
	if (s->txn != NULL)
		fg_sess_note_txn(s, f, f->n, out);
}

/* fg_sess_internal_finding - an internal error the summary line will
 * report: the verdict, counted in the transaction, no line of its own */
void
fg_sess_internal_finding(struct fg_session *s, const char *what,
			 struct fg_verdict *out)
{
	struct fg_findings f;

	internal(s, what, &f, out);
}

/* fg_session_internal - an internal error at a stage: tempfail, logged */
void
fg_session_internal(struct fg_session *s, enum fg_stage stage, const char *what,
		    struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();
	struct fg_findings f;
	struct fg_vline v;

	internal(s, what, &f, out);
	fg_sess_vline(s, &v, stage, &f, out);
	v.ms = fg_sess_ms_since(t0);
	fg_sess_emit(s, &v);
}

/* fg_session_free - log an unfinished transaction and free */
void
fg_session_free(struct fg_session *s)
{
	struct fg_verdict vd;

	if (s == NULL)
		return;
	if (s->txn != NULL) {
		memset(&vd, 0, sizeof(vd));
		vd.decider = -1;
		vd.action = s->txn->txn_action;
		vd.would = s->txn->txn_would > vd.action ? s->txn->txn_would
							 : vd.action;
		fg_sess_txn_end(s, FG_STAGE_CLOSE, &vd);
	}
	fg_conf_unref(s->conf);
	fg_log_unref(s->log);
	fg_dns_free(s->env.dns);
	fg_signkeys_unref(s->signkeys);
	free(s);
}
