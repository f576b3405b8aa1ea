/*
 * NAME
 *	txn - per-connection SMTP stage engine: the transaction
 * SYNOPSIS
 *	#include "forgeguard/session.h"
 * DESCRIPTION
 *	MAIL FROM allocates the transaction; end of message, abort and
 *	close free it in one call (fg_sess_txn_end), after its summary
 *	line.  What happens on the way:
 *	- refusing findings of connect, HELO and (reject_stage = rcpt)
 *	  MAIL are held and delivered at the first recipient, where
 *	  postmaster@ of a local domain is exempt (RFC 5321 4.5.1); an
 *	  authenticated client's held connect and HELO findings are
 *	  dropped at MAIL, as for trusted networks;
 *	- header fields are kept raw in the transaction's header store;
 *	  end of headers builds the header facts and the Received: chain
 *	  from it and runs the header checks;
 *	- the body is counted (and, for the checks that read it, handed
 *	  to them) chunk by chunk;
 *	- end of message is two steps: fg_session_eom decides and returns
 *	  the header edits, the glue applies them, and fg_session_eom_done
 *	  writes the one summary line with the outcome that really
 *	  happened; quarantine is applied there, the only stage where
 *	  libmilter allows it.
 * STANDARDS
 *	RFC 5321 3.3 (transactions), 4.5.1 (postmaster); RFC 8601 (the
 *	Authentication-Results field), 5 (removing forged ones).
 * DIAGNOSTICS
 *	A transaction that cannot be allocated, a header field that cannot
 *	be kept and a header too large to be cleaned are internal errors:
 *	tempfailed, never accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forgeguard/authres.h"
#include "forgeguard/chain.h"
#include "forgeguard/str.h"
#include "session_impl.h"

/* fg_sess_note_txn - fold f[0..count) into the transaction summary */
void
fg_sess_note_txn(struct fg_session *s, const struct fg_findings *f,
		 size_t count, const struct fg_verdict *vd)
{
	struct fg_txn *t = s->txn;
	size_t k;

	for (k = 0; k < count && k < f->n; k++)
		if (f->v[k].result != FG_R_PASS &&
		    f->v[k].check != FG_CHK_CLIENT_TRUSTED)
			fg_findings_append(&t->txn_f, &f->v[k]);
	if (vd->action > t->txn_action)
		t->txn_action = vd->action;
	/* a refused recipient leaves the message logged, not refused */
	if (vd->action <= FG_ACT_QUARANTINE && vd->action > t->msg_action)
		t->msg_action = vd->action;
	else if (vd->action > FG_ACT_QUARANTINE && t->msg_action < FG_ACT_LOG)
		t->msg_action = FG_ACT_LOG;
	/* what dry-run softened, for "would=" in the summary */
	if (vd->would > vd->action && vd->would > t->txn_would)
		t->txn_would = vd->would;
	if (vd->action == FG_ACT_QUARANTINE && !t->quarantine &&
	    vd->decider >= 0) {
		const struct fg_finding *x = &f->v[vd->decider];

		t->quarantine = 1;
		(void)snprintf(
			t->quarantine_reason, sizeof(t->quarantine_reason),
			"forgeguard: %s=%s", fg_catalog_get(x->check)->name,
			fg_catalog_result_name(x->result));
	}
}

/* summary - the one line per transaction */
static void
summary(struct fg_session *s, enum fg_stage end, const struct fg_verdict *vd)
{
	struct fg_txn *t = s->txn;
	struct fg_view rv[FG_LOG_RCPTS_MAX];
	struct fg_vline v;
	char left[24];
	size_t k, listed = t->nrcpt < FG_LOG_RCPTS_MAX ? t->nrcpt
						       : FG_LOG_RCPTS_MAX;

	for (k = 0; k < listed; k++) {
		rv[k].p = t->rcpt[k];
		rv[k].n = t->rcpt_len[k];
	}
	fg_sess_vline(s, &v, end, &t->txn_f, vd);
	v.summary = 1;
	v.rcpts = rv;
	v.nrcpts_listed = listed;
	v.nrcpts = t->nrcpt;
	v.nrejected = t->nrejected;
	if (t->signed_by[0] != '\0' && end == FG_STAGE_EOM) {
		v.extra4_key = "sign";
		v.extra4.p = t->signed_by;
		v.extra4.n = strlen(t->signed_by);
	}
	if (t->sealed_by[0] != '\0' && end == FG_STAGE_EOM) {
		v.extra2_key = "arc_seal";
		v.extra2.p = t->sealed_by;
		v.extra2.n = strlen(t->sealed_by);
	}
	if (t->authres_left_out > 0) {
		v.extra_key = "authres_left_out";
		v.extra.p = left;
		v.extra.n = (size_t)snprintf(left, sizeof(left), "%zu",
					     t->authres_left_out);
	}
	v.ms = fg_sess_ms_since(t->t0);
	fg_sess_emit(s, &v);
}

/* fg_sess_txn_end - the summary of an open transaction, then free it */
void
fg_sess_txn_end(struct fg_session *s, enum fg_stage end,
		const struct fg_verdict *vd)
{
	struct fg_txn *t = s->txn;

	if (t == NULL)
		return;
	summary(s, end, vd);
	fg_dns_cancel(s->env.dns, t->dmarc_q);
	fg_dkim_signer_free(t->signer);
	free(t->sign_fields);
	fg_dkim_signer_free(t->sealer);
	free(t->seal);
	fg_dkim_free(t->f.dkim);
	if (t->f.arc != NULL)
		fg_arc_fini(t->f.arc);
	free(t->f.arc);
	free(t->f.dmarc);
	fg_hdrstore_fini(&t->hdrs);
	fg_message_fini(&t->f.msg);
	free(t);
	s->txn = NULL;
}

/* hold - keep the refusing findings of f for a later stage */
static void
hold(struct fg_session *s, const struct fg_findings *f)
{
	size_t k;

	for (k = 0; k < f->n; k++)
		if (fg_policy_action(s->conf, &f->v[k]) >= FG_ACT_QUARANTINE)
			fg_findings_append(&s->txn->deferred, &f->v[k]);
}

/* txn_begin - a new transaction; 0 without memory */
static int
txn_begin(struct fg_session *s, const char *const *argv,
	  const struct fg_macros *m)
{
	const char *a = argv[0] != NULL ? argv[0] : "";
	const char *login = fg_sess_macro(m, "{auth_authen}");
	const char *tls = fg_sess_macro(m, "{tls_version}");
	struct fg_txn *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return 0;
	s->txn = t;
	t->t0 = fg_sess_now();
	fg_hdrstore_init(&t->hdrs);
	fg_message_init(&t->f.msg);
	t->from_len = strnlen(a, FG_WIRE_MAX);
	memcpy(t->from, a, t->from_len);
	t->f.authenticated = login != NULL && login[0] != '\0';
	if (t->f.authenticated)
		fg_str_copy_cut(t->f.login, sizeof(t->f.login), login);
	t->f.tls = tls != NULL && tls[0] != '\0';
	t->f.trusted = s->conn.client.trusted_net || t->f.authenticated;
	fg_sess_take_qid(s, m);
	return 1;
}

/* held_so_far - connect and HELO findings count for this transaction
 * (an authenticated client's are dropped, as for trusted networks) */
static void
held_so_far(struct fg_session *s)
{
	struct fg_verdict none;

	if (s->txn->f.authenticated)
		return;
	memset(&none, 0, sizeof(none));
	none.decider = -1;
	fg_sess_note_txn(s, &s->conn_f, s->conn_f.n, &none);
	fg_sess_note_txn(s, &s->helo_f, s->helo_f.n, &none);
	hold(s, &s->conn_f);
	hold(s, &s->helo_f);
}

/* fg_session_mail - MAIL FROM */
void
fg_session_mail(struct fg_session *s, const char *const *argv,
		const struct fg_macros *m, struct fg_verdict *out)
{
	struct fg_check_ctx c;
	struct fg_findings f;
	struct fg_vline v;
	struct fg_verdict held;
	enum fg_action deferred = FG_ACT_ACCEPT;
	struct fg_txn *t;
	size_t k, own;

	if (s->txn != NULL)
		fg_session_abort(s);
	if (!txn_begin(s, argv, m)) {
		fg_session_internal(s, FG_STAGE_MAIL,
				    "out of memory for a transaction", out);
		return;
	}
	t = s->txn;
	held_so_far(s);
	fg_checks_mail_facts(
		argv,
		t->f.authenticated ? fg_sess_macro(m, "{auth_authen}") : NULL,
		&t->f.mail);
	t->smtputf8 = t->f.mail.smtputf8;
	fg_findings_reset(&f);
	fg_sess_ctx(s, &c);
	fg_registry_run(FG_STAGE_MAIL, &c, &f);
	own = f.n;
	if (s->conf->reject_stage == FG_REJECT_AT_MAIL) {
		/* deliver everything held so far, now */
		for (k = 0; k < t->deferred.n; k++)
			fg_findings_append(&f, &t->deferred.v[k]);
		fg_findings_reset(&t->deferred);
		fg_policy_decide(s->conf, &f, out);
	} else {
		hold(s, &f);
		fg_policy_decide(s->conf, &t->deferred, &held);
		fg_policy_decide(s->conf, &f, out);
		fg_sess_now_only(s->conf, &f, out, &deferred);
		deferred = held.would > FG_ACT_TAG ? held.would : FG_ACT_ACCEPT;
	}
	fg_sess_note_txn(s, &f, own, out);
	fg_sess_vline(s, &v, FG_STAGE_MAIL, &f, out);
	v.deferred = deferred;
	v.ms = fg_sess_ms_since(t->t0);
	fg_sess_emit(s, &v);
}

/* keep_rcpt - list an accepted recipient for the summary */
static void
keep_rcpt(struct fg_txn *t, const char *a)
{
	size_t i = t->nrcpt;

	t->nrcpt++;
	if (i >= FG_LOG_RCPTS_MAX)
		return;
	t->rcpt_len[i] = strnlen(a, FG_WIRE_MAX);
	memcpy(t->rcpt[i], a, t->rcpt_len[i]);
	t->rcpt[i][t->rcpt_len[i]] = '\0';
}

/* with_held - the held findings join a recipient's, unless it is the
 * postmaster of one of our domains; 1 when it is exempt */
static int
with_held(struct fg_session *s, struct fg_findings *f)
{
	const struct fg_txn *t = s->txn;
	const struct fg_rcpt *r = &t->f.rcpt;
	size_t k;

	if (t->deferred.n == 0)
		return 0;
	if (r->path.why == NULL &&
	    fg_checks_is_local_postmaster(s->conf, &s->conn.client, &r->path))
		return 1;
	for (k = 0; k < t->deferred.n; k++)
		fg_findings_append(f, &t->deferred.v[k]);
	return 0;
}

/* fg_session_rcpt - RCPT TO */
void
fg_session_rcpt(struct fg_session *s, const char *const *argv,
		const struct fg_macros *m, struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();
	const char *a = argv[0] != NULL ? argv[0] : "";
	struct fg_check_ctx c;
	struct fg_findings f;
	struct fg_vline v;
	struct fg_view rv;
	struct fg_txn *t = s->txn;
	size_t own;
	int exempt;

	if (t == NULL) {
		/* the MTA never sends RCPT outside a transaction */
		fg_session_internal(s, FG_STAGE_RCPT, "RCPT without MAIL", out);
		return;
	}
	fg_sess_take_qid(s, m);
	fg_checks_rcpt_facts(argv, t->smtputf8, t->nrcpt, &t->f.rcpt);
	fg_findings_reset(&f);
	fg_sess_ctx(s, &c);
	fg_registry_run(FG_STAGE_RCPT, &c, &f);
	own = f.n;
	exempt = with_held(s, &f);
	fg_policy_decide(s->conf, &f, out);
	if (out->action == FG_ACT_REJECT || out->action == FG_ACT_TEMPFAIL)
		t->nrejected++;
	else {
		keep_rcpt(t, a);
		if (t->f.rcpt.path.why == NULL &&
		    t->f.rcpt.path.addr[0] != '\0' &&
		    s->conf->arc_seal_recipient_domains.n > 0) {
			const char *d = t->f.rcpt.path.addr +
					t->f.rcpt.path.addr_at + 1;

			t->seal_rcpt |= fg_conf_name_in(
				&s->conf->arc_seal_recipient_domains, d,
				strlen(d), 1);
		}
	}
	fg_sess_note_txn(s, &f, own, out);
	fg_sess_vline(s, &v, FG_STAGE_RCPT, &f, out);
	rv.p = a;
	rv.n = strnlen(a, FG_WIRE_MAX);
	v.rcpts = &rv;
	v.nrcpts_listed = 1;
	v.exempt = exempt;
	v.ms = fg_sess_ms_since(t0);
	fg_sess_emit(s, &v);
}

/* accept_verdict - a verdict that accepts and says nothing */
static void
accept_verdict(struct fg_verdict *out)
{
	memset(out, 0, sizeof(*out));
	out->decider = -1;
}

/* fg_session_data - DATA */
void
fg_session_data(struct fg_session *s, const struct fg_macros *m,
		struct fg_verdict *out)
{
	accept_verdict(out);
	fg_sess_take_qid(s, m);
}

/* fg_session_header - one header field, kept raw for end of headers */
void
fg_session_header(struct fg_session *s, const char *name, const char *value,
		  struct fg_verdict *out)
{
	struct fg_txn *t = s->txn;
	size_t vn = strlen(value);
	enum fg_err err;

	accept_verdict(out);
	if (t == NULL || t->hdr_failed)
		return;
	/* the store holds values as sent, with the space after the colon;
	 * an MTA that did not agree to send it (no SMFIP_HDR_LEADSPC) has
	 * taken it away: put the usual one back */
	if (s->lead_space) {
		err = fg_hdrstore_add(&t->hdrs, name, strlen(name), value, vn);
	} else {
		char *v = malloc(vn + 2);

		err = FG_ENOMEM;
		if (v != NULL) {
			v[0] = ' ';
			memcpy(v + 1, value, vn + 1);
			err = fg_hdrstore_add(&t->hdrs, name, strlen(name), v,
					      vn + 1);
			free(v);
		}
	}
	/* answered at end of headers, the first step that has a reply
	 * whether or not the MTA waits for one per field */
	if (err != FG_OK)
		t->hdr_failed = 1;
}

/* eoh_facts - the header facts and the chain; 0 after an internal error */
static int
eoh_facts(struct fg_session *s, struct fg_verdict *out)
{
	struct fg_txn *t = s->txn;
	struct fg_chain_in *in = &t->f.chain_in;

	if (t->hdr_failed) {
		fg_session_internal(s, FG_STAGE_HEADER,
				    "out of memory keeping a header field",
				    out);
		return 0;
	}
	if (t->hdrs.not_kept > 0) {
		/* a forged Authentication-Results among them could not be
		 * removed: never deliver what cannot be cleaned */
		fg_session_internal(s, FG_STAGE_HEADER,
				    "header too large to examine in full", out);
		return 0;
	}
	if (fg_message_build(&t->f.msg, &t->hdrs, s->conf->authserv_id) !=
	    FG_OK) {
		fg_session_internal(s, FG_STAGE_HEADER,
				    "out of memory at end of headers", out);
		return 0;
	}
	in->client = &s->conn.client;
	in->helo = s->conn.has_helo ? s->conn.helo : "";
	in->login = t->f.authenticated ? t->f.login : NULL;
	in->tls = t->f.tls;
	in->now = s->clock != 0 ? s->clock : (int64_t)time(NULL);
	fg_chain_hop0(&t->f.msg.hops[0], in);
	t->f.chain.boundary = fg_chain_boundary(s->conf, in, &t->f.msg);
	return 1;
}

/* dkim_start - the DKIM signatures and the ARC chain read, their keys
 * asked for, unless both checks are disabled; the ARC sets are
 * gathered only when the message has ARC fields */
static void
dkim_start(struct fg_session *s)
{
	struct fg_txn *t = s->txn;
	int dkim_on = !s->conf->disabled[FG_CHK_DKIM];
	int arc_sets = !s->conf->disabled[FG_CHK_ARC] && t->f.msg.narc > 0;
	struct fg_dkim_opts o = {
		.max_signatures = (size_t)s->conf->max_signatures,
		.partial_body_passes =
			s->conf->dkim_partial_body == FG_PARTIAL_PASS,
		.min_rsa_bits = (int)s->conf->dkim_min_rsa_bits,
		.now = t->f.chain_in.now,
		.skew = s->conf->clock_skew_s,
		.skip_dkim = !dkim_on,
		.arc_room = arc_sets ? FG_ARC_SIGS_MAX : 0,
	};

	t->f.arc_on = !s->conf->disabled[FG_CHK_ARC];
	if (!dkim_on && !arc_sets)
		return;
	t->f.dkim = fg_dkim_new();
	if (arc_sets && (t->f.arc = malloc(sizeof(*t->f.arc))) != NULL)
		fg_arc_init(t->f.arc);
	if (t->f.dkim == NULL || (arc_sets && t->f.arc == NULL)) {
		t->f.dkim_failed = dkim_on;
		t->f.arc_failed = arc_sets;
		fg_dkim_free(t->f.dkim);
		t->f.dkim = NULL;
		free(t->f.arc);
		t->f.arc = NULL;
		return;
	}
	fg_dkim_headers(t->f.dkim, &t->hdrs, &o, s->env.dns, s->env.keys);
	if (arc_sets)
		fg_arc_headers(t->f.arc, t->f.dkim, &t->hdrs);
}

/* dmarc_prefetch - ask for the first author's _dmarc record now: the
 * answer comes while the body streams, and the tree walk at end of
 * message starts from the cache instead of a round trip */
static void
dmarc_prefetch(struct fg_session *s)
{
	struct fg_txn *t = s->txn;
	char q[FG_DOMAIN_MAX + 8];
	const char *author;

	if (s->conf->disabled[FG_CHK_DMARC] || t->f.trusted ||
	    s->env.dns == NULL || t->f.msg.nfrom != 1 || !t->f.msg.from_ok ||
	    t->f.msg.from.n == 0)
		return;
	author = fg_from_domain(&t->f.msg.from, 0);
	if (author[0] == '\0' || strlen(author) > FG_DOMAIN_MAX - 7)
		return; /* _dmarc.NAME would pass 253 bytes: not asked */
	snprintf(q, sizeof(q), "_dmarc.%s", author);
	t->dmarc_q = fg_dns_start(s->env.dns, q, FG_DNS_TXT);
}

/*
 * sign_start - our own mail (trusted networks, authenticated clients)
 * whose From: domain, or a parent of it, has keys is signed with each;
 * without, the MAIL FROM domain's keys when dkim_sign_sender_domain
 */
static void
sign_start(struct fg_session *s)
{
	struct fg_txn *t = s->txn;
	const struct fg_conf *c = s->conf;
	struct fg_sign_req r;
	const char *dom = "";
	size_t k;

	if (s->signkeys == NULL || !t->f.trusted)
		return;
	memset(&r, 0, sizeof(r));
	if (t->f.msg.nfrom == 1 && t->f.msg.from_ok && t->f.msg.from.n > 0) {
		dom = fg_from_domain(&t->f.msg.from, 0);
		r.nkeys = fg_signkeys_for(s->signkeys, dom, r.keys);
	}
	if (r.nkeys == 0 && c->dkim_sign_sender_domain &&
	    !t->f.mail.path.is_null) {
		const char *at = strrchr(t->f.mail.path.addr, '@');

		if (at != NULL)
			r.nkeys = fg_signkeys_for(s->signkeys, at + 1, r.keys);
	}
	if (r.nkeys == 0) {
		snprintf(t->signed_by, sizeof(t->signed_by),
			 "none:no key for %s", dom[0] ? dom : "the author");
		return;
	}
	r.hc = c->dkim_sign_canon < 2 ? FG_CANON_RELAXED : FG_CANON_SIMPLE;
	r.bc = c->dkim_sign_canon % 2 == 0 ? FG_CANON_RELAXED : FG_CANON_SIMPLE;
	r.now = s->clock != 0 ? s->clock : (int64_t)time(NULL);
	r.expire_s = c->dkim_sign_expire_s;
	r.headers = &c->dkim_sign_headers;
	r.oversign = &c->dkim_oversign_headers;
	t->signer = fg_dkim_signer_new(&r);
	if (t->signer == NULL) {
		snprintf(t->signed_by, sizeof(t->signed_by),
			 "failed:out of memory");
		return;
	}
	t->signed_by[0] = '\0';
	for (k = 0; k < r.nkeys; k++) {
		size_t n = strlen(t->signed_by);

		snprintf(t->signed_by + n, sizeof(t->signed_by) - n, "%s%s/%s",
			 k ? "," : "", r.keys[k]->domain, r.keys[k]->selector);
	}
}

/*
 * seal_start - mail this site forwards (from arc_seal_clients, or to a
 * recipient in arc_seal_recipient_domains) gets an ARC set at end of
 * message, sealed with arc_seal_domain's RSA key: its body hash is made
 * as the body streams
 */
static void
seal_start(struct fg_session *s)
{
	struct fg_txn *t = s->txn;
	const struct fg_conf *c = s->conf;
	struct fg_sign_req r;

	if (s->signkeys == NULL || c->arc_seal_domain[0] == '\0')
		return;
	if (!t->seal_rcpt &&
	    !(s->conn.client.ip_known &&
	      fg_conf_net_in(&c->arc_seal_clients, &s->conn.client.ip)))
		return;
	t->seal_key = fg_signkeys_sealer(s->signkeys, c->arc_seal_domain);
	if (t->seal_key == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.hc = r.bc = FG_CANON_RELAXED;
	r.now = s->clock != 0 ? s->clock : (int64_t)time(NULL);
	r.headers = &c->dkim_sign_headers;
	r.oversign = &c->dkim_oversign_headers;
	t->sealer = fg_dkim_signer_new(&r);
	if (t->sealer == NULL)
		snprintf(t->sealed_by, sizeof(t->sealed_by),
			 "failed:out of memory");
}

/* fg_session_eoh - end of headers: header.* and received.* */
void
fg_session_eoh(struct fg_session *s, const struct fg_macros *m,
	       struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();
	struct fg_check_ctx c;
	struct fg_findings f;
	struct fg_vline v;

	accept_verdict(out);
	fg_sess_take_qid(s, m);
	if (s->txn == NULL || !eoh_facts(s, out))
		return;
	fg_findings_reset(&f);
	fg_sess_ctx(s, &c);
	fg_registry_run(FG_STAGE_HEADER, &c, &f);
	s->txn->f.chain_done = 1;
	fg_policy_decide(s->conf, &f, out);
	fg_sess_note_txn(s, &f, f.n, out);
	fg_sess_vline(s, &v, FG_STAGE_HEADER, &f, out);
	v.ms = fg_sess_ms_since(t0);
	fg_sess_emit(s, &v);
	if (out->action == FG_ACT_QUARANTINE)
		out->action = FG_ACT_ACCEPT; /* applied at end of message */
	if (out->action < FG_ACT_TEMPFAIL) {
		dkim_start(s);
		dmarc_prefetch(s);
		sign_start(s);
		seal_start(s);
	}
}

/* fg_session_body - one body chunk; 1 while a check wants more */
int
fg_session_body(struct fg_session *s, const unsigned char *chunk, size_t len,
		struct fg_verdict *out)
{
	accept_verdict(out);
	if (s->txn == NULL)
		return 0;
	s->txn->body_bytes += len;
	if (s->txn->signer != NULL)
		fg_dkim_signer_body(s->txn->signer, chunk, len);
	if (s->txn->sealer != NULL)
		fg_dkim_signer_body(s->txn->sealer, chunk, len);
	return (s->txn->f.dkim != NULL &&
		fg_dkim_body(s->txn->f.dkim, chunk, len)) ||
	       s->txn->signer != NULL || s->txn->sealer != NULL;
}

/* fg_session_message - the header facts and chain judged at end of
 * headers, until the transaction ends; NULL before */
const struct fg_message *
fg_session_message(const struct fg_session *s, struct fg_chain_out *chain)
{
	if (s->txn == NULL || !s->txn->f.chain_done)
		return NULL;
	*chain = s->txn->f.chain;
	return &s->txn->f.msg;
}

/* authres - the Authentication-Results field (RFC 8601 2.7) */
static void
authres(struct fg_session *s, struct fg_eom_ops *ops)
{
	struct fg_authres *a = malloc(sizeof(*a));
	struct fg_buf b;

	if (a == NULL)
		return; /* ops->add_authres stays 0: eom tempfails */
	fg_authres_init(a, s->conf->authserv_id, "Authentication-Results");
	fg_authres_facts(a, &s->conn, &s->txn->f);
	fg_buf_init(&b, ops->authres, sizeof(ops->authres));
	s->txn->authres_left_out = fg_authres_write(a, &b);
	ops->add_authres = b.len > 0;
	free(a);
}

/* signatures - "d/s:result,..." of every DKIM signature, for the log */
static void
signatures(const struct fg_txn *t, char *dst, size_t cap)
{
	struct fg_buf b;
	size_t k, n = t->f.dkim != NULL ? fg_dkim_count(t->f.dkim) : 0;

	fg_buf_init(&b, dst, cap);
	for (k = 0; k < n; k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(t->f.dkim, k);

		(void)fg_buf_printf(
			&b, "%s%s/%s:%s%s", k ? "," : "", g->named ? g->d : "?",
			g->named ? g->s : "?", fg_dkim_result_name(g->result),
			g->testing ? "(testing)" : "");
	}
	if (n > 0 && fg_dkim_unreported(t->f.dkim) > 0)
		(void)fg_buf_printf(&b, ",+%zu", fg_dkim_unreported(t->f.dkim));
}

/* dmarc_text - "DOMAIN:p=reject:dis=quarantine[:t=y][:override=WHY]"
 * for the log: where the policy was found, which of p, sp, np applied,
 * the disposition applied ("tempfail" when the message was deferred) */
static void
dmarc_text(const struct fg_txn_facts *f, int tempfailed, char *dst, size_t cap)
{
	const struct fg_dmarc_out *o = f->dmarc;
	struct fg_buf b;

	fg_buf_init(&b, dst, cap);
	(void)fg_buf_printf(&b, "%s:%s=%s:dis=%s%s", o->policy_domain, o->which,
			    fg_dmarc_policy_name(o->policy),
			    tempfailed ? "tempfail"
				       : fg_dmarc_policy_name(f->dmarc_dis),
			    o->testing ? ":t=y" : "");
	if (f->dmarc_override != NULL)
		(void)fg_buf_printf(&b, ":override=%.*s",
				    (int)strcspn(f->dmarc_override, ":"),
				    f->dmarc_override);
}

/*
 * dmarc_applied - the disposition the verdict really applies, which the
 * log and the report record carry (RFC 9990: the policy applied, not the
 * one published): a dry run or an action configured below the policy
 * lowers it, with local_policy as the reason; 0 when the message is
 * tempfailed (it will come again, and is recorded then)
 */
static int
dmarc_applied(struct fg_txn *t, const struct fg_verdict *out)
{
	struct fg_txn_facts *f = &t->f;
	enum fg_dmarc_policy ceiling = FG_DMARC_P_NONE;

	if (f->dmarc == NULL)
		return 0;
	if (out->action == FG_ACT_TEMPFAIL)
		return 0;
	if (out->action >= FG_ACT_REJECT)
		ceiling = FG_DMARC_P_REJECT;
	else if (out->action == FG_ACT_QUARANTINE || t->quarantine)
		ceiling = FG_DMARC_P_QUARANTINE;
	if (f->dmarc_dis > ceiling) {
		f->dmarc_dis = ceiling;
		if (f->dmarc_override == NULL)
			f->dmarc_override =
				out->would > out->action
					? "local_policy: dry run"
					: "local_policy: the site's action "
					  "for this result is milder";
	}
	return 1;
}

/* dmarc_record - "dmarc-record {json}" in the verdict log, when asked
 * for and the author domain has a policy */
static void
dmarc_record(struct fg_session *s)
{
	struct fg_txn *t = s->txn;
	char line[4096], dom[FG_DOMAIN_MAX + 1] = "";
	struct fg_buf b;

	if (!s->conf->dmarc_records)
		return;
	if (t->nrcpt > 0) {
		const char *at = memchr(t->rcpt[0], '@', t->rcpt_len[0]);

		if (at != NULL) {
			size_t n =
				t->rcpt_len[0] - (size_t)(at + 1 - t->rcpt[0]);

			if (n > 0 && at[n] == '>')
				n--;
			if (fg_str_copy(dom, sizeof(dom), at + 1, n) != FG_OK)
				dom[0] = '\0';
			fg_str_lower(dom, strlen(dom));
		}
	}
	fg_buf_init(&b, line, sizeof(line));
	(void)fg_buf_puts(&b, "dmarc-record ");
	if (fg_dmarc_record(&s->conn, &t->f, dom,
			    s->clock != 0 ? s->clock : (int64_t)time(NULL), &b))
		fg_log_line(s->log, FG_LOG_INFO, line, b.len);
}

/* eom_checks - the checks of end of message, their line; the verdict */
static void
eom_checks(struct fg_session *s, const struct fg_macros *m,
	   struct fg_verdict *out)
{
	struct timespec t0 = fg_sess_now();
	struct fg_txn *t = s->txn;
	struct fg_check_ctx c;
	struct fg_findings f;
	struct fg_vline v;
	char sigs[1024], sets[2048], pol[512];
	int record;

	fg_sess_ctx(s, &c);
	if (t->f.dkim != NULL)
		fg_dkim_finish(t->f.dkim, c.deadline);
	if (t->f.arc != NULL)
		fg_arc_finish(t->f.arc, t->f.dkim,
			      &s->conf->arc_trusted_sealers);
	if (t->dmarc_q != NULL) {
		struct fg_dns_answer *a = malloc(sizeof(*a));

		/* into the resolver's cache; without memory, the walk asks
		 * again */
		if (a != NULL)
			fg_dns_wait(s->env.dns, t->dmarc_q, c.deadline, a);
		else
			fg_dns_cancel(s->env.dns, t->dmarc_q);
		t->dmarc_q = NULL;
		free(a);
	}
	fg_findings_reset(&f);
	fg_registry_run(FG_STAGE_EOM, &c, &f);
	fg_policy_decide(s->conf, &f, out);
	if (f.n == 0)
		return;
	record = dmarc_applied(t, out);
	fg_sess_note_txn(s, &f, f.n, out);
	fg_sess_vline(s, &v, FG_STAGE_EOM, &f, out);
	signatures(t, sigs, sizeof(sigs));
	if (sigs[0] != '\0') {
		v.extra_key = "dkim";
		v.extra.p = sigs;
		v.extra.n = strlen(sigs);
	}
	if (t->f.arc != NULL && t->f.arc->n > 0) {
		fg_arc_sets_text(t->f.arc, sets, sizeof(sets));
		v.extra2_key = "arc";
		v.extra2.p = sets;
		v.extra2.n = strlen(sets);
	}
	if (t->f.dmarc != NULL && t->f.dmarc->policy_domain[0] != '\0') {
		dmarc_text(&t->f, out->action == FG_ACT_TEMPFAIL, pol,
			   sizeof(pol));
		v.extra3_key = "dmarc";
		v.extra3.p = pol;
		v.extra3.n = strlen(pol);
	} else if (t->f.trusted && !s->conf->disabled[FG_CHK_DMARC]) {
		/* not judged, as for SPF, but the line says why */
		v.extra3_key = "dmarc";
		v.extra3.p = t->f.authenticated ? "not-judged:authenticated"
						: "not-judged:trusted";
		v.extra3.n = strlen(v.extra3.p);
	}
	v.ms = fg_sess_ms_since(t0);
	fg_sess_emit(s, &v);
	if (record)
		dmarc_record(s);
}

/* refuses - does a verdict stop the message */
static int
refuses(const struct fg_verdict *v)
{
	return v->action == FG_ACT_TEMPFAIL || v->action == FG_ACT_REJECT ||
	       v->action == FG_ACT_DISCARD;
}

/*
 * sign_fields - our DKIM-Signature fields, over the header as it will
 * be delivered (the fields this end of message deletes are forged
 * Authentication-Results, which are never signed); a signature that
 * cannot be made tempfails the message, or lets it go unsigned, as
 * dkim_sign_failure says, and the summary says which
 */
static void
sign_fields(struct fg_session *s, struct fg_eom_ops *ops,
	    struct fg_verdict *out)
{
	struct fg_txn *t = s->txn;
	const char *why = NULL;
	size_t k, nkeys;
	char *field;

	if (t->signer == NULL) {
		if (strncmp(t->signed_by, "failed:", 7) == 0)
			why = t->signed_by + 7;
		nkeys = 0;
	} else
		nkeys = fg_dkim_signer_keys(t->signer);
	if (nkeys > 0 && t->sign_fields == NULL &&
	    (t->sign_fields = malloc(FG_SIGN_KEYS_MAX * FG_SIGN_FIELD_MAX)) ==
		    NULL)
		why = "out of memory";
	for (k = 0; why == NULL && k < nkeys; k++) {
		field = t->sign_fields + k * FG_SIGN_FIELD_MAX;
		if (!fg_dkim_signer_field(t->signer, k, &t->hdrs, field,
					  FG_SIGN_FIELD_MAX, &why))
			break;
		/* without the leading space: the MTA's or the milter's */
		ops->sign[ops->nsign++] = field + 1;
	}
	if (why == NULL)
		return;
	ops->nsign = 0;
	if (s->conf->dkim_sign_failure == FG_SIGNFAIL_UNSIGNED) {
		snprintf(t->signed_by, sizeof(t->signed_by),
			 "unsigned:%s (dkim_sign_failure = unsigned)", why);
		return;
	}
	snprintf(t->signed_by, sizeof(t->signed_by), "failed:%s", why);
	fg_sess_internal_finding(s, "DKIM signing failed", out);
}

/*
 * seal_cv - the cv= of the set made now over a chain whose newest set
 * is instance inst, sealed by d (RFC 8617 5.1.2); NULL and why when it
 * cannot be told.  rec is the arc= this server recorded at first
 * receipt (mail a trusted list re-injects; NULL otherwise): a pass or a
 * fail then stands, though the list's footer has since broken the
 * newest AMS.  When no chain had come (arc=none), the sets now present
 * were made inside this site, so a newest set sealed by our own domain
 * whose seal has not failed continues as a pass.  Otherwise the chain
 * as validated now decides; a key that could not be fetched leaves no
 * cv at all rather than a fail that would end the chain for good.
 */
static const char *
seal_cv(const struct fg_session *s, unsigned inst, const char *d,
	const char *rec, const char **why)
{
	const struct fg_arc *a = s->txn->f.arc;

	if (inst == 0)
		return "none"; /* 5.1.1: instance 1 */
	if (rec != NULL &&
	    (strcmp(rec, "pass") == 0 || strcmp(rec, "fail") == 0))
		return rec;
	if (rec != NULL && strcmp(rec, "none") == 0 &&
	    strcasecmp(d, s->conf->arc_seal_domain) == 0 &&
	    (a == NULL || a->n == 0 || a->sets[a->n - 1].seal != FG_DKIM_FAIL))
		return "pass";
	if (a == NULL) {
		*why = s->txn->f.arc_failed ? "out of memory"
					    : "the chain was not validated";
		return NULL;
	}
	switch (a->result) {
	case FG_ARC_PASS:
		return "pass";
	case FG_ARC_TEMPERROR:
		*why = "the chain could not be validated (temperror)";
		return NULL;
	default:
		return "fail";
	}
}

/*
 * seal_fields - the ARC set of mail this site forwards.  Mail from a
 * trusted client (a list re-injecting it) carries the results this
 * server recorded at first receipt; other mail carries the results of
 * this end of message; seal_cv gives cv.  A chain whose newest seal
 * says cv=fail gets no set (RFC 8617 5.1.2: it cannot be continued).
 * A set that cannot be made is handled as a signature
 * (dkim_sign_failure).
 */
static void
seal_fields(struct fg_session *s, struct fg_eom_ops *ops,
	    struct fg_verdict *out)
{
	struct fg_txn *t = s->txn;
	struct fg_arc_seal_in in;
	const char *why = NULL, *last, *rec = NULL;
	char *aar = NULL, d[FG_DOMAIN_MAX + 1];
	unsigned inst;

	if (t->sealer == NULL) {
		if (strncmp(t->sealed_by, "failed:", 7) == 0)
			why = t->sealed_by + 7;
		goto done;
	}
	last = fg_arc_last_cv(&t->hdrs, &inst, d, sizeof(d));
	if (inst > 0 && strcmp(last, "fail") == 0) {
		snprintf(t->sealed_by, sizeof(t->sealed_by),
			 "none:the chain already failed (cv=fail at i=%u)",
			 inst);
		return;
	}
	memset(&in, 0, sizeof(in));
	in.key = t->seal_key;
	in.now = s->clock != 0 ? s->clock : (int64_t)time(NULL);
	in.instance = inst + 1;
	aar = malloc(FG_AUTHRES_FIELD_MAX);
	t->seal = malloc(sizeof(*t->seal));
	if (aar == NULL || t->seal == NULL) {
		why = "out of memory";
		goto done;
	}
	if (!t->f.trusted ||
	    !fg_arc_seal_aar_from(&t->hdrs, s->conf->authserv_id, aar,
				  FG_AUTHRES_FIELD_MAX, &rec)) {
		snprintf(aar, FG_AUTHRES_FIELD_MAX, "%s", ops->authres);
		rec = NULL;
	}
	in.cv = seal_cv(s, inst, d, rec, &why);
	if (in.cv == NULL)
		goto done;
	in.aar = aar;
	if (!fg_arc_seal(t->sealer, &t->hdrs, &in, t->seal, &why))
		goto done;
	ops->arc_aar = t->seal->aar + 1;
	ops->arc_ams = t->seal->ams + 1;
	ops->arc_as = t->seal->as + 1;
	snprintf(t->sealed_by, sizeof(t->sealed_by), "i=%u:cv=%s:%s/%s",
		 in.instance, in.cv, in.key->domain, in.key->selector);
done:
	free(aar);
	if (why == NULL)
		return;
	ops->arc_aar = ops->arc_ams = ops->arc_as = NULL;
	if (s->conf->dkim_sign_failure == FG_SIGNFAIL_UNSIGNED) {
		snprintf(t->sealed_by, sizeof(t->sealed_by),
			 "unsealed:%s (dkim_sign_failure = unsigned)", why);
		return;
	}
	snprintf(t->sealed_by, sizeof(t->sealed_by), "failed:%s", why);
	fg_sess_internal_finding(s, "ARC sealing failed", out);
}

/* fg_session_eom - end of message: decide, and say what to edit */
void
fg_session_eom(struct fg_session *s, const struct fg_macros *m,
	       struct fg_verdict *out, struct fg_eom_ops *ops)
{
	struct fg_txn *t = s->txn;

	memset(ops, 0, sizeof(*ops));
	accept_verdict(out);
	fg_sess_take_qid(s, m);
	if (t == NULL)
		return;
	eom_checks(s, m, out);
	if (refuses(out)) {
		/* refused here: nothing to edit */
		t->eom = *out;
		t->eom_decided = 1;
		return;
	}
	/* refused recipients are counted in the summary; the message
	 * itself was taken for the others */
	memset(out, 0, sizeof(*out));
	out->decider = -1;
	out->action = t->msg_action;
	out->would = t->txn_would > out->action ? t->txn_would : out->action;
	if (t->quarantine) {
		ops->quarantine = 1;
		fg_str_copy_cut(ops->quarantine_reason,
				sizeof(ops->quarantine_reason),
				t->quarantine_reason);
		out->action = FG_ACT_QUARANTINE;
	}
	authres(s, ops);
	if (!ops->add_authres)
		fg_sess_internal_finding(
			s, "out of memory for Authentication-Results", out);
	else {
		sign_fields(s, ops, out);
		seal_fields(s, ops, out);
	}
	ops->ndel = t->f.msg.ndel;
	ops->del = t->f.msg.del;
	t->eom = *out;
	t->eom_decided = 1;
}

/* fg_session_eom_done - the edits were applied (failed: what failed);
 * the summary line, and the verdict to enforce */
void
fg_session_eom_done(struct fg_session *s, const char *failed,
		    struct fg_verdict *out)
{
	struct fg_txn *t = s->txn;

	accept_verdict(out);
	if (t == NULL)
		return;
	if (!t->eom_decided)
		fg_sess_internal_finding(s, "end of message was not decided",
					 &t->eom);
	else if (failed != NULL)
		fg_sess_internal_finding(s, failed, &t->eom);
	*out = t->eom;
	fg_sess_txn_end(s, FG_STAGE_EOM, out);
	/* log and tag were logged and tagged: the message goes on */
	if (out->action < FG_ACT_QUARANTINE)
		out->action = FG_ACT_ACCEPT;
}

/* fg_session_abort - RSET or a failed transaction */
void
fg_session_abort(struct fg_session *s)
{
	struct fg_verdict vd;
	struct fg_txn *t = s->txn;

	if (t == NULL)
		return;
	memset(&vd, 0, sizeof(vd));
	vd.decider = -1;
	vd.action = t->txn_action;
	vd.would = t->txn_would > vd.action ? t->txn_would : vd.action;
	fg_sess_txn_end(s, FG_STAGE_ABORT, &vd);
}
