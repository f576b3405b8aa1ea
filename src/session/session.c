/*
 * NAME
 *	session - per-connection SMTP stage engine
 * SYNOPSIS
 *	#include "forgeguard/session.h"
 * DESCRIPTION
 *	Runs facts -> findings -> verdict at every stage, logs one verdict
 *	line per stage and one summary line per transaction, and remembers
 *	what must be delivered later:
 *	- connect and HELO verdicts cannot be replied to there (libmilter
 *	  cannot set a reply at connect; a HELO reject makes Postfix refuse
 *	  every later MAIL), so their refusing findings wait for MAIL FROM
 *	  (reject_stage = mail) or RCPT TO (reject_stage = rcpt, the default,
 *	  which also holds MAIL findings back);
 *	- at RCPT, postmaster@ of a local domain is exempt from the held
 *	  findings (RFC 5321 4.5.1);
 *	- an authenticated client's held connect and HELO findings are
 *	  dropped at MAIL, as for trusted networks;
 *	- quarantine is applied at end of message, the only stage where
 *	  libmilter allows it.
 *	Transaction state is reset in one place, txn_reset, at MAIL FROM,
 *	end of message and abort.
 * STANDARDS
 *	RFC 5321 3.3 (transactions), 4.5.1 (postmaster); RFC 8601 (the
 *	Authentication-Results field).
 * DIAGNOSTICS
 *	fg_session_new fails with FG_ENOMEM.  Nothing else fails: bad input
 *	becomes findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forgeguard/addr.h"
#include "forgeguard/chain.h"
#include "forgeguard/checks.h"
#include "forgeguard/helo.h"
#include "forgeguard/session.h"
#include "forgeguard/str.h"
#include "forgeguard/verdict.h"

/* Bytes of a client path kept for the log lines. */
#define WIRE_MAX FG_LOG_VALUE_MAX

struct fg_session {
	struct fg_conf *conf;
	struct fg_log *log;
	char sid[FG_SID_MAX];
	char qid[FG_QUEUE_ID_MAX];
	int connected;
	struct fg_client client;
	struct fg_findings conn_f;
	struct fg_findings helo_f;
	char helo[FG_HELO_MAX + 1];
	size_t helo_len;
	int has_helo;
	struct fg_spf_env env;
	int helo_spf_done;
	struct fg_spf_outcome helo_spf; /* reused for the null sender */

	/* the transaction, reset by txn_reset */
	int in_txn;
	struct timespec txn_t0;
	char from[WIRE_MAX + 1];
	size_t from_len;
	int smtputf8;
	int authenticated;
	struct fg_findings deferred; /* refusing findings held for RCPT */
	struct fg_findings txn_f; /* non-pass findings, for the summary */
	size_t nrcpt;
	size_t nrejected;
	char rcpt[FG_LOG_RCPTS_MAX][WIRE_MAX + 1];
	size_t rcpt_len[FG_LOG_RCPTS_MAX];
	enum fg_action txn_action; /* strongest of any stage */
	enum fg_action msg_action; /* what happened to the message itself */
	enum fg_action txn_would;
	int quarantine;
	char quarantine_reason[256];
	int fcrdns_result; /* FG_R_COUNT: not evaluated */
	int mail_spf_done;
	struct fg_spf_outcome mail_spf;
	char spf_identity[FG_ADDR_MAX + 1]; /* smtp.mailfrom for A-R */
	char login[FG_LOGIN_MAX + 1]; /* SASL login, "" if none */
	int tls;
	struct fg_message msg; /* the header facts */
	int chain_done;
	int hdr_failed; /* a header field could not be kept */
	struct fg_chain_out chain;
	int64_t clock; /* fixed UTC time for tests; 0: the real clock */
};

/* now - monotonic time */
static struct timespec
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

/* ms_since - milliseconds since t0 */
static double
ms_since(struct timespec t0)
{
	struct timespec t = now();

	return (double)(t.tv_sec - t0.tv_sec) * 1e3 +
	       (double)(t.tv_nsec - t0.tv_nsec) / 1e6;
}

/* macro - a macro value or NULL */
static const char *
macro(const struct fg_macros *m, const char *name)
{
	if (m == NULL || m->get == NULL)
		return NULL;
	return m->get(m->arg, name);
}

/* take_qid - remember the queue id once Postfix has one */
static void
take_qid(struct fg_session *s, const struct fg_macros *m)
{
	const char *i = macro(m, "i");

	if (i != NULL && i[0] != '\0')
		fg_str_copy_cut(s->qid, sizeof(s->qid), i);
}

/* txn_reset - forget the transaction */
static void
txn_reset(struct fg_session *s)
{
	s->in_txn = 0;
	s->from_len = 0;
	s->from[0] = '\0';
	s->smtputf8 = 0;
	s->authenticated = 0;
	fg_findings_reset(&s->deferred);
	fg_findings_reset(&s->txn_f);
	s->nrcpt = 0;
	s->nrejected = 0;
	s->txn_action = FG_ACT_ACCEPT;
	s->msg_action = FG_ACT_ACCEPT;
	s->txn_would = FG_ACT_ACCEPT;
	s->quarantine = 0;
	s->quarantine_reason[0] = '\0';
	s->qid[0] = '\0';
	s->mail_spf_done = 0;
	s->spf_identity[0] = '\0';
	s->login[0] = '\0';
	s->tls = 0;
	fg_message_fini(&s->msg);
	s->chain_done = 0;
	s->hdr_failed = 0;
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
	fg_str_copy_cut(s->sid, sizeof(s->sid), "-");
	fg_str_copy_cut(s->client.addr, sizeof(s->client.addr), "unknown");
	fg_str_copy_cut(s->client.name, sizeof(s->client.name), "unknown");
	s->fcrdns_result = FG_R_COUNT;
	txn_reset(s);
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

/* vline_init - the parts of a log line every stage shares */
static void
vline_init(const struct fg_session *s, struct fg_vline *v, enum fg_stage st,
	   const struct fg_findings *f, const struct fg_verdict *vd)
{
	memset(v, 0, sizeof(*v));
	v->stage = st;
	v->sid = s->sid;
	v->qid = s->qid;
	v->client_name = s->client.name;
	v->client_addr = s->client.addr;
	if (s->has_helo) {
		v->helo.p = s->helo;
		v->helo.n = s->helo_len;
	}
	if (s->in_txn) {
		v->from.p = s->from;
		v->from.n = s->from_len;
	}
	v->findings = f;
	v->verdict = vd;
}

/* emit - format and write one line */
static void
emit(const struct fg_session *s, const struct fg_vline *v)
{
	char line[FG_LOG_LINE_MAX];
	struct fg_buf b;

	fg_buf_init(&b, line, sizeof(line));
	fg_verdict_format(v, s->conf->log_format, &b);
	fg_log_line(s->log, FG_LOG_INFO, b.data, b.len);
}

/* note_txn - fold f[0..count) into the transaction summary */
static void
note_txn(struct fg_session *s, const struct fg_findings *f, size_t count,
	 const struct fg_verdict *vd)
{
	size_t k;

	for (k = 0; k < count && k < f->n; k++)
		if (f->v[k].result != FG_R_PASS &&
		    f->v[k].check != FG_CHK_CLIENT_TRUSTED)
			fg_findings_append(&s->txn_f, &f->v[k]);
	if (vd->action > s->txn_action)
		s->txn_action = vd->action;
	/* a refused recipient leaves the message logged, not refused */
	if (vd->action <= FG_ACT_QUARANTINE && vd->action > s->msg_action)
		s->msg_action = vd->action;
	else if (vd->action > FG_ACT_QUARANTINE && s->msg_action < FG_ACT_LOG)
		s->msg_action = FG_ACT_LOG;
	/* what dry-run softened, for "would=" in the summary */
	if (vd->would > vd->action && vd->would > s->txn_would)
		s->txn_would = vd->would;
	if (vd->action == FG_ACT_QUARANTINE && !s->quarantine &&
	    vd->decider >= 0) {
		const struct fg_finding *x = &f->v[vd->decider];

		s->quarantine = 1;
		(void)snprintf(
			s->quarantine_reason, sizeof(s->quarantine_reason),
			"forgeguard: %s=%s", fg_catalog_get(x->check)->name,
			fg_catalog_result_name(x->result));
	}
}

/* hold - keep the refusing findings of f for a later stage */
static void
hold(struct fg_session *s, const struct fg_findings *f)
{
	size_t k;

	for (k = 0; k < f->n; k++)
		if (fg_policy_action(s->conf, &f->v[k]) >= FG_ACT_QUARANTINE)
			fg_findings_append(&s->deferred, &f->v[k]);
}

/* now_only - the part of a verdict that can be enforced before RCPT */
static void
now_only(const struct fg_conf *conf, const struct fg_findings *f,
	 struct fg_verdict *vd, enum fg_action *deferred)
{
	size_t k;

	*deferred = vd->would > FG_ACT_TAG ? vd->would : FG_ACT_ACCEPT;
	vd->action = FG_ACT_ACCEPT;
	for (k = 0; k < f->n; k++) {
		enum fg_action a = fg_policy_action(conf, &f->v[k]);

		/* a held refusal is logged now, enforced later */
		if (a > FG_ACT_TAG)
			a = FG_ACT_LOG;
		if (a > vd->action)
			vd->action = a;
	}
	vd->would = vd->action;
	vd->has_reply = 0;
}

/* client_from - the client facts from the connect arguments and macros */
static void
client_from(struct fg_session *s, const char *hostname, const struct fg_ip *ip,
	    const struct fg_macros *m)
{
	struct fg_client *c = &s->client;
	const char *addr = macro(m, "{client_addr}");
	const char *name = macro(m, "{client_name}");
	const char *ptr = macro(m, "{client_ptr}");
	const char *j = macro(m, "j");
	const char *daddr = macro(m, "{daemon_addr}");
	struct fg_buf b;

	memset(c, 0, sizeof(*c));
	if (addr != NULL &&
	    fg_ipaddr_parse(addr, strnlen(addr, 64), &c->ip) == FG_OK)
		c->ip_known = 1;
	else if (ip != NULL && ip->family != FG_IP_NONE) {
		c->ip = *ip;
		c->ip_known = 1;
	}
	fg_buf_init(&b, c->addr, sizeof(c->addr));
	if (c->ip_known) {
		fg_ipaddr_normalize(&c->ip);
		fg_ipaddr_format(&c->ip, &b);
	} else {
		(void)fg_buf_puts(&b, "unknown");
	}
	/* libmilter passes "[addr]" when the name is not verified */
	if (name == NULL)
		name = hostname != NULL && hostname[0] != '[' ? hostname
							      : "unknown";
	fg_str_copy_cut(c->name, sizeof(c->name), name[0] ? name : "unknown");
	fg_str_copy_cut(c->ptr, sizeof(c->ptr), ptr != NULL ? ptr : "");
	fg_str_copy_cut(c->our_host, sizeof(c->our_host), j != NULL ? j : "");
	if (daddr != NULL &&
	    fg_ipaddr_parse(daddr, strnlen(daddr, 64), &c->daemon_ip) == FG_OK)
		c->daemon_ip_known = 1;
	c->trusted_net = c->ip_known &&
			 fg_conf_net_in(&s->conf->trusted_networks, &c->ip);
}

/* fg_session_connect - a new SMTP connection */
void
fg_session_connect(struct fg_session *s, const char *sid, const char *hostname,
		   const struct fg_ip *ip, const struct fg_macros *m,
		   struct fg_verdict *out)
{
	struct timespec t0 = now();
	struct fg_vline v;
	enum fg_action deferred;
	size_t k;

	if (s->in_txn)
		fg_session_abort(s);
	fg_str_copy_cut(s->sid, sizeof(s->sid), sid);
	s->connected = 1;
	s->has_helo = 0;
	s->helo_len = 0;
	fg_findings_reset(&s->helo_f);
	fg_findings_reset(&s->conn_f);
	client_from(s, hostname, ip, m);
	fg_checks_connect(s->conf, &s->client, &s->conn_f);
	fg_findings_drop_disabled(s->conf, &s->conn_f);
	s->fcrdns_result = FG_R_COUNT;
	for (k = 0; k < s->conn_f.n; k++)
		if (s->conn_f.v[k].check == FG_CHK_CLIENT_FCRDNS)
			s->fcrdns_result = s->conn_f.v[k].result;
	fg_policy_decide(s->conf, &s->conn_f, out);
	now_only(s->conf, &s->conn_f, out, &deferred);
	vline_init(s, &v, FG_STAGE_CONNECT, &s->conn_f, out);
	v.deferred = deferred;
	v.ms = ms_since(t0);
	emit(s, &v);
	out->action = FG_ACT_ACCEPT;
}

/* helo_spf - spf.helo, for a host name from an untrusted client */
static void
helo_spf(struct fg_session *s, const struct fg_helo *h)
{
	s->helo_spf_done = 0;
	if (s->client.trusted_net || s->env.dns == NULL ||
	    s->conf->disabled[FG_CHK_SPF_HELO])
		return;
	if (h->kind != FG_HELO_HOSTNAME || h->labels < 2)
		return;
	fg_checks_spf(s->conf, &s->env, &s->client, FG_CHK_SPF_HELO, s->helo,
		      NULL, s->helo, &s->helo_spf, &s->helo_f);
	s->helo_spf_done = 1;
}

/* fg_session_helo - HELO or EHLO */
void
fg_session_helo(struct fg_session *s, const char *helo,
		const struct fg_macros *m, struct fg_verdict *out)
{
	struct timespec t0 = now();
	struct fg_vline v;
	struct fg_helo h;
	enum fg_action deferred;
	size_t n = strnlen(helo, FG_HELO_MAX + 1);

	s->helo_len = n > FG_HELO_MAX ? FG_HELO_MAX : n;
	memcpy(s->helo, helo, s->helo_len);
	s->helo[s->helo_len] = '\0';
	s->has_helo = 1;
	fg_findings_reset(&s->helo_f);
	fg_checks_helo(s->conf, &s->client, helo, n, &h, &s->helo_f);
	helo_spf(s, &h);
	fg_findings_drop_disabled(s->conf, &s->helo_f);
	fg_policy_decide(s->conf, &s->helo_f, out);
	now_only(s->conf, &s->helo_f, out, &deferred);
	vline_init(s, &v, FG_STAGE_HELO, &s->helo_f, out);
	v.deferred = deferred;
	v.ms = ms_since(t0);
	emit(s, &v);
	out->action = FG_ACT_ACCEPT;
}

/* mail_facts - remember what the transaction needs from MAIL */
static void
mail_facts(struct fg_session *s, const char *const *argv,
	   const struct fg_macros *m)
{
	const char *a = argv[0] != NULL ? argv[0] : "";
	const char *login = macro(m, "{auth_authen}");
	const char *tls = macro(m, "{tls_version}");

	s->from_len = strnlen(a, WIRE_MAX);
	memcpy(s->from, a, s->from_len);
	s->from[s->from_len] = '\0';
	s->authenticated = login != NULL && login[0] != '\0';
	if (s->authenticated)
		fg_str_copy_cut(s->login, sizeof(s->login), login);
	s->tls = tls != NULL && tls[0] != '\0';
}

/* spf_identity - smtp.mailfrom for Authentication-Results: a quoted
 * local part stays quoted as sent (RFC 8601 2.7.2 pvalue), the domain
 * canonical */
static void
spf_identity(struct fg_session *s, const struct fg_path *p)
{
	struct fg_buf b;

	fg_buf_init(&b, s->spf_identity, sizeof(s->spf_identity));
	if (p->is_quoted)
		(void)fg_buf_append(&b, p->local.p, p->local.n);
	else
		(void)fg_buf_append(&b, p->addr, p->addr_at);
	(void)fg_buf_printf(&b, "@%s", fg_addr_domain(p));
	if (b.truncated)
		s->spf_identity[0] = '\0'; /* leave the property out */
}

/* mail_spf - spf.mailfrom; HELO stands in for the null sender (7208 2.4) */
static void
mail_spf(struct fg_session *s, const struct fg_mail *m, struct fg_findings *f)
{
	size_t k;

	if (s->client.trusted_net || s->authenticated || !m->path_ok ||
	    s->env.dns == NULL || s->conf->disabled[FG_CHK_SPF_MAILFROM])
		return;
	for (k = 0; k < f->n; k++)
		if (f->v[k].check == FG_CHK_SENDER_SYNTAX &&
		    f->v[k].result != FG_R_PASS)
			return;
	if (!m->path.is_null) {
		fg_checks_spf(s->conf, &s->env, &s->client, FG_CHK_SPF_MAILFROM,
			      s->helo, m->path.addr, m->path.addr, &s->mail_spf,
			      f);
		spf_identity(s, &m->path);
	} else if (s->helo_spf_done) {
		/* 2.4: the HELO identity's result, already evaluated */
		s->mail_spf = s->helo_spf;
		fg_checks_spf_finding(FG_CHK_SPF_MAILFROM, &s->mail_spf,
				      s->helo, f);
	} else {
		return;
	}
	s->mail_spf_done = 1;
}

/* fg_session_mail - MAIL FROM */
void
fg_session_mail(struct fg_session *s, const char *const *argv,
		const struct fg_macros *m, struct fg_verdict *out)
{
	struct fg_findings f;
	struct fg_mail mail;
	struct fg_vline v;
	struct fg_verdict held;
	enum fg_action deferred = FG_ACT_ACCEPT;
	size_t k, own;

	if (s->in_txn)
		fg_session_abort(s);
	txn_reset(s);
	s->in_txn = 1;
	s->txn_t0 = now();
	take_qid(s, m);
	mail_facts(s, argv, m);
	memset(&mail, 0, sizeof(mail));
	mail.login = s->authenticated ? macro(m, "{auth_authen}") : NULL;
	if (!s->authenticated) {
		/* connect and HELO findings count for this transaction */
		struct fg_verdict none;

		memset(&none, 0, sizeof(none));
		none.decider = -1;
		note_txn(s, &s->conn_f, s->conn_f.n, &none);
		note_txn(s, &s->helo_f, s->helo_f.n, &none);
		hold(s, &s->conn_f);
		hold(s, &s->helo_f);
	}
	fg_findings_reset(&f);
	fg_checks_mail(s->conf, argv, s->client.trusted_net || s->authenticated,
		       &mail, &f);
	mail_spf(s, &mail, &f);
	fg_findings_drop_disabled(s->conf, &f);
	s->smtputf8 = mail.smtputf8;
	own = f.n;
	if (s->conf->reject_stage == FG_REJECT_AT_MAIL) {
		/* deliver everything held so far, now */
		for (k = 0; k < s->deferred.n; k++)
			fg_findings_append(&f, &s->deferred.v[k]);
		fg_findings_reset(&s->deferred);
		fg_policy_decide(s->conf, &f, out);
	} else {
		hold(s, &f);
		fg_policy_decide(s->conf, &s->deferred, &held);
		fg_policy_decide(s->conf, &f, out);
		now_only(s->conf, &f, out, &deferred);
		deferred = held.would > FG_ACT_TAG ? held.would : FG_ACT_ACCEPT;
	}
	note_txn(s, &f, own, out);
	vline_init(s, &v, FG_STAGE_MAIL, &f, out);
	v.deferred = deferred;
	v.ms = ms_since(s->txn_t0);
	emit(s, &v);
}

/* keep_rcpt - list an accepted recipient for the summary */
static void
keep_rcpt(struct fg_session *s, const char *a)
{
	size_t i = s->nrcpt;

	s->nrcpt++;
	if (i >= FG_LOG_RCPTS_MAX)
		return;
	s->rcpt_len[i] = strnlen(a, WIRE_MAX);
	memcpy(s->rcpt[i], a, s->rcpt_len[i]);
	s->rcpt[i][s->rcpt_len[i]] = '\0';
}

/* fg_session_rcpt - RCPT TO */
void
fg_session_rcpt(struct fg_session *s, const char *const *argv,
		const struct fg_macros *m, struct fg_verdict *out)
{
	struct timespec t0 = now();
	const char *a = argv[0] != NULL ? argv[0] : "";
	struct fg_findings f;
	struct fg_path path;
	struct fg_vline v;
	struct fg_view rv;
	size_t k, own;
	int exempt = 0;

	take_qid(s, m);
	fg_findings_reset(&f);
	fg_checks_rcpt(s->conf, argv, s->smtputf8, s->nrcpt, &path, &f);
	fg_findings_drop_disabled(s->conf, &f);
	own = f.n;
	if (s->deferred.n > 0) {
		exempt = path.why == NULL &&
			 fg_checks_is_local_postmaster(s->conf, &s->client,
						       &path);
		for (k = 0; !exempt && k < s->deferred.n; k++)
			fg_findings_append(&f, &s->deferred.v[k]);
	}
	fg_policy_decide(s->conf, &f, out);
	if (out->action == FG_ACT_REJECT || out->action == FG_ACT_TEMPFAIL)
		s->nrejected++;
	else
		keep_rcpt(s, a);
	note_txn(s, &f, own, out);
	vline_init(s, &v, FG_STAGE_RCPT, &f, out);
	rv.p = a;
	rv.n = strnlen(a, WIRE_MAX);
	v.rcpts = &rv;
	v.nrcpts_listed = 1;
	v.exempt = exempt;
	v.ms = ms_since(t0);
	emit(s, &v);
}

/* fg_session_data - DATA */
void
fg_session_data(struct fg_session *s, const struct fg_macros *m,
		struct fg_verdict *out)
{
	memset(out, 0, sizeof(*out));
	out->decider = -1;
	take_qid(s, m);
}

/* fg_session_set_clock - a fixed time for the date checks (tests) */
void
fg_session_set_clock(struct fg_session *s, int64_t utc)
{
	s->clock = utc;
}

/* fg_session_message - the header facts and chain judged at end of
 * headers, until the transaction ends; NULL before */
const struct fg_message *
fg_session_message(const struct fg_session *s, struct fg_chain_out *chain)
{
	if (!s->chain_done)
		return NULL;
	*chain = s->chain;
	return &s->msg;
}

/* fg_session_header - one header field */
void
fg_session_header(struct fg_session *s, const char *name, const char *value,
		  struct fg_verdict *out)
{
	memset(out, 0, sizeof(*out));
	out->decider = -1;
	if (!s->in_txn)
		return;
	/* the failure is answered at end of headers, the first step that
	 * has a reply whether or not the MTA waits for one per field */
	if (fg_message_header(&s->msg, name, value, strlen(value),
			      s->conf->authserv_id) != FG_OK)
		s->hdr_failed = 1;
}

/* header_facts - what the header checks need from the envelope */
static void
header_facts(const struct fg_session *s, struct fg_hdr_facts *h)
{
	const char *at = strrchr(s->spf_identity, '@');

	h->trusted = s->client.trusted_net || s->authenticated;
	h->spf_pass_domain = "";
	if (s->mail_spf_done && s->mail_spf.result == FG_SPF_R_PASS && at)
		h->spf_pass_domain = at + 1;
}

/* fg_session_eoh - end of headers: header.* and received.* */
void
fg_session_eoh(struct fg_session *s, const struct fg_macros *m,
	       struct fg_verdict *out)
{
	struct timespec t0 = now();
	struct fg_chain_in in;
	struct fg_hdr_facts hf;
	struct fg_findings f;
	struct fg_vline v;

	memset(out, 0, sizeof(*out));
	out->decider = -1;
	take_qid(s, m);
	if (!s->in_txn)
		return;
	if (s->hdr_failed) {
		fg_session_internal(s, "out of memory keeping a Received: hop",
				    out);
		return;
	}
	if (fg_message_hop0(&s->msg) != FG_OK) {
		fg_session_internal(s, "out of memory at end of headers", out);
		return;
	}
	in.client = &s->client;
	in.helo = s->has_helo ? s->helo : "";
	in.login = s->authenticated ? s->login : NULL;
	in.tls = s->tls;
	in.now = s->clock != 0 ? s->clock : (int64_t)time(NULL);
	fg_chain_hop0(&s->msg.hops[0], &in);
	header_facts(s, &hf);
	fg_findings_reset(&f);
	fg_checks_header(s->conf, &s->msg, &hf, &f);
	fg_chain_check(s->conf, &in, &s->msg, &s->chain, &f);
	s->chain_done = 1;
	fg_findings_drop_disabled(s->conf, &f);
	fg_policy_decide(s->conf, &f, out);
	note_txn(s, &f, f.n, out);
	vline_init(s, &v, FG_STAGE_HEADER, &f, out);
	v.only_problems = 0;
	v.ms = ms_since(t0);
	emit(s, &v);
	if (out->action == FG_ACT_QUARANTINE)
		out->action = FG_ACT_ACCEPT; /* applied at end of message */
}

/* summary - the one line per transaction */
static void
summary(struct fg_session *s, enum fg_stage end, const struct fg_verdict *vd)
{
	struct fg_view rv[FG_LOG_RCPTS_MAX];
	struct fg_vline v;
	size_t k, listed = s->nrcpt < FG_LOG_RCPTS_MAX ? s->nrcpt
						       : FG_LOG_RCPTS_MAX;

	for (k = 0; k < listed; k++) {
		rv[k].p = s->rcpt[k];
		rv[k].n = s->rcpt_len[k];
	}
	vline_init(s, &v, end, &s->txn_f, vd);
	v.summary = 1;
	v.rcpts = rv;
	v.nrcpts_listed = listed;
	v.nrcpts = s->nrcpt;
	v.nrejected = s->nrejected;
	v.ms = ms_since(s->txn_t0);
	emit(s, &v);
}

/* iprev_result - RFC 8601 2.7.3 result for our fcrdns finding */
static const char *
iprev_result(int r)
{
	switch (r) {
	case FG_R_PASS:
		return "pass";
	case FG_R_FAIL:
		return "fail";
	case FG_R_NONE:
		return "permerror";
	default:
		return NULL;
	}
}

/* authres_reason - reason="..." (RFC 8601 2.2: a quoted-string) */
static void
authres_reason(struct fg_buf *b, const char *why)
{
	size_t k;

	(void)fg_buf_puts(b, " reason=\"");
	for (k = 0; why[k] != '\0'; k++) {
		unsigned char c = (unsigned char)why[k];

		if (c == '"' || c == '\\')
			(void)fg_buf_putc(b, '\\');
		(void)fg_buf_putc(b, FG_IS_PRINT(c) ? c : '?');
	}
	(void)fg_buf_putc(b, '"');
}

/* authres - the Authentication-Results field body (RFC 8601 2.7) */
static void
authres(struct fg_session *s, struct fg_eom_ops *ops)
{
	struct fg_buf b;
	const char *iprev = iprev_result(s->fcrdns_result);
	int methods = 0;

	fg_buf_init(&b, ops->authres, sizeof(ops->authres));
	(void)fg_buf_puts(&b, s->conf->authserv_id);
	if (s->mail_spf_done || s->helo_spf_done) {
		enum fg_spf_result r = s->mail_spf_done ? s->mail_spf.result
							: s->helo_spf.result;

		(void)fg_buf_printf(&b, ";\n\tspf=%s", fg_spf_result_name(r));
		if (s->mail_spf_done && s->spf_identity[0] != '\0')
			(void)fg_buf_printf(&b, " smtp.mailfrom=%s",
					    s->spf_identity);
		if (s->helo_spf_done)
			(void)fg_buf_printf(&b, " smtp.helo=%s", s->helo);
		methods++;
	}
	if (iprev != NULL && s->client.ip_known) {
		(void)fg_buf_printf(&b, ";\n\tiprev=%s policy.iprev=%s", iprev,
				    s->client.addr);
		methods++;
	}
	if (s->chain_done) {
		(void)fg_buf_printf(&b, ";\n\tx-received-chain=%s",
				    s->chain.fail ? "fail" : "pass");
		if (s->chain.fail)
			authres_reason(&b, s->chain.reason);
		methods++;
	}
	if (methods == 0)
		(void)fg_buf_puts(&b, "; none");
	ops->add_authres = !b.truncated;
}

/* fg_session_eom - end of message */
void
fg_session_eom(struct fg_session *s, const struct fg_macros *m,
	       struct fg_verdict *out, struct fg_eom_ops *ops)
{
	memset(ops, 0, sizeof(*ops));
	memset(out, 0, sizeof(*out));
	out->decider = -1;
	take_qid(s, m);
	/* refused recipients are counted in the summary; the message
	 * itself was taken for the others */
	out->action = s->msg_action;
	out->would = s->txn_would > out->action ? s->txn_would : out->action;
	if (s->quarantine) {
		ops->quarantine = 1;
		fg_str_copy_cut(ops->quarantine_reason,
				sizeof(ops->quarantine_reason),
				s->quarantine_reason);
		out->action = FG_ACT_QUARANTINE;
	}
	authres(s, ops);
	ops->ndel = s->msg.ndel < FG_AUTHRES_DEL_MAX ? s->msg.ndel
						     : FG_AUTHRES_DEL_MAX;
	memcpy(ops->del, s->msg.del, ops->ndel * sizeof(ops->del[0]));
	summary(s, FG_STAGE_EOM, out);
	/* the message is settled; what remains for the glue is headers */
	if (out->action != FG_ACT_QUARANTINE)
		out->action = FG_ACT_ACCEPT;
	txn_reset(s);
}

/* fg_session_abort - RSET or a failed transaction */
void
fg_session_abort(struct fg_session *s)
{
	struct fg_verdict vd;

	if (s->in_txn) {
		memset(&vd, 0, sizeof(vd));
		vd.decider = -1;
		vd.action = s->txn_action;
		vd.would = s->txn_would > vd.action ? s->txn_would : vd.action;
		summary(s, FG_STAGE_ABORT, &vd);
	}
	txn_reset(s);
}

/* fg_session_unknown - a command Postfix did not recognise */
void
fg_session_unknown(struct fg_session *s, const char *cmd,
		   struct fg_verdict *out)
{
	struct timespec t0 = now();
	struct fg_findings f;
	struct fg_vline v;
	size_t verb;

	fg_findings_reset(&f);
	verb = fg_checks_unknown(s->conf, cmd, &f);
	fg_findings_drop_disabled(s->conf, &f);
	fg_policy_decide(s->conf, &f, out);
	vline_init(s, &v, FG_STAGE_UNKNOWN, &f, out);
	v.extra_key = "cmd";
	v.extra.p = cmd; /* not f.v[0]: disabled_checks may leave f empty */
	v.extra.n = verb;
	v.ms = ms_since(t0);
	emit(s, &v);
}

/* fg_session_internal - an internal error in the glue */
void
fg_session_internal(struct fg_session *s, const char *what,
		    struct fg_verdict *out)
{
	struct timespec t0 = now();
	struct fg_findings f;
	struct fg_vline v;

	fg_findings_reset(&f);
	fg_findings_add(&f, FG_CHK_INTERNAL, FG_R_TEMPERROR, what, FG_NOPOS, "",
			0);
	fg_policy_decide(s->conf, &f, out);
	if (s->in_txn)
		note_txn(s, &f, f.n, out);
	vline_init(s, &v, FG_STAGE_CONNECT, &f, out);
	v.ms = ms_since(t0);
	emit(s, &v);
}

/* fg_session_free - log an unfinished transaction and free */
void
fg_session_free(struct fg_session *s)
{
	struct fg_verdict vd;

	if (s == NULL)
		return;
	if (s->in_txn) {
		memset(&vd, 0, sizeof(vd));
		vd.decider = -1;
		vd.action = s->txn_action;
		vd.would = s->txn_would > vd.action ? s->txn_would : vd.action;
		summary(s, FG_STAGE_CLOSE, &vd);
	}
	fg_message_fini(&s->msg);
	fg_conf_unref(s->conf);
	fg_log_unref(s->log);
	fg_dns_free(s->env.dns);
	free(s);
}
