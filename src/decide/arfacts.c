/*
 * NAME
 *	arfacts - what the checks found, as Authentication-Results entries
 * SYNOPSIS
 *	#include "forgeguard/authres.h"
 * DESCRIPTION
 *	One entry per method result: spf (the MAIL FROM result, or the
 *	HELO one alone), dkim (one per signature, with enough of it to
 *	tell two apart: header.d, header.i, header.s, header.a, header.b),
 *	iprev, and x-received-chain.  What a check did not evaluate is not
 *	written, except dkim=none for a message without signatures when
 *	DKIM was verified.
 * STANDARDS
 *	RFC 8601 2.7.1 (dkim, with header.a and header.b from RFC 8601
 *	2.7.1 and the IANA registry), 2.7.2 (spf), 2.7.3 (iprev).
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>

#include "forgeguard/authres.h"
#include "forgeguard/checks.h"

/* iprev_result - RFC 8601 2.7.3 result for client.fcrdns's */
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

/* spf - spf=, for MAIL FROM or (alone) HELO */
static void
spf(struct fg_authres *a, const struct fg_conn_facts *c,
    const struct fg_txn_facts *t)
{
	if (!t->mail_spf_done && !c->helo_spf_done)
		return;
	fg_authres_method(a, FG_AR_PRIO_SPF, "spf",
			  fg_spf_result_name(t->mail_spf_done
						     ? t->mail_spf.result
						     : c->helo_spf.result));
	if (t->mail_spf_done && t->spf_identity[0] != '\0')
		fg_authres_prop(a, "smtp.mailfrom", t->spf_identity);
	if (c->helo_spf_done)
		fg_authres_prop(a, "smtp.helo", c->helo);
}

/* dkim - one dkim= per signature, or dkim=none */
static void
dkim(struct fg_authres *a, const struct fg_txn_facts *t)
{
	size_t k, n;

	if (t->dkim == NULL && !t->dkim_failed)
		return;
	n = t->dkim != NULL ? fg_dkim_count(t->dkim) : 0;
	if (t->dkim_failed) {
		fg_authres_method(a, FG_AR_PRIO_SIGNATURE, "dkim", "temperror");
		fg_authres_reason(a, "out of memory");
		return;
	}
	if (n == 0)
		fg_authres_method(a, FG_AR_PRIO_SIGNATURE, "dkim", "none");
	for (k = 0; k < n; k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(t->dkim, k);

		fg_authres_method(a, FG_AR_PRIO_SIGNATURE, "dkim",
				  fg_dkim_result_name(g->result));
		if (g->result == FG_DKIM_PASS && g->testing)
			fg_authres_reason(a, "key in testing mode (t=y)");
		else if (g->why != NULL)
			fg_authres_reason(a, g->why);
		if (!g->named)
			continue;
		fg_authres_prop(a, "header.d", g->d);
		if (g->parsed && g->i[0] != '\0')
			fg_authres_prop(a, "header.i", g->i);
		fg_authres_prop(a, "header.s", g->s);
		if (!g->parsed)
			continue;
		fg_authres_prop(a, "header.a", fg_dkim_alg_name(g->alg));
		fg_authres_prop(a, "header.b", g->b);
	}
}

/* sealers - "sealed by D1 D2 ..." of a chain, oldest first, the first
 * ARC_SEALERS_SHOWN of them */
#define ARC_SEALERS_SHOWN 6
static void
sealers(const struct fg_arc *r, char *dst, size_t cap)
{
	struct fg_buf b;
	size_t i;

	fg_buf_init(&b, dst, cap);
	(void)fg_buf_puts(&b, "sealed by");
	for (i = 0; i < r->n && i < ARC_SEALERS_SHOWN; i++)
		(void)fg_buf_printf(&b, " %s",
				    r->sets[i].d[0] ? r->sets[i].d : "?");
	if (r->n > ARC_SEALERS_SHOWN)
		(void)fg_buf_printf(&b, " and %zu more",
				    r->n - ARC_SEALERS_SHOWN);
}

/* arc - arc= with the client's address and the oldest pass (RFC 8617
 * 10.1); the sealing domains and the trusted sealer a pass rests on as
 * comments, which no registered property carries */
static void
arc(struct fg_authres *a, const struct fg_conn_facts *c,
    const struct fg_txn_facts *t)
{
	const struct fg_arc *r = t->arc;
	char n[16], note[ARC_SEALERS_SHOWN * (FG_DOMAIN_MAX + 1) + 96];

	if (!t->arc_on)
		return;
	fg_authres_method(a, FG_AR_PRIO_SIGNATURE, "arc",
			  t->arc_failed ? "temperror"
			  : r == NULL   ? "none"
					: fg_arc_result_name(r->result));
	if (t->arc_failed)
		fg_authres_reason(a, "out of memory");
	if (r == NULL)
		return;
	if (r->reason[0] != '\0')
		fg_authres_reason(a, r->reason);
	if (r->n > 0) {
		sealers(r, note, sizeof(note));
		fg_authres_comment(a, note);
	}
	if (r->trusted > 0) {
		const struct fg_arc_set *s = &r->sets[r->trusted - 1];

		snprintf(note, sizeof(note),
			 "trusted sealer %s i=%u says spf=%s dkim=%s dmarc=%s",
			 s->d, s->inst, s->spf_pass ? "pass" : "-",
			 s->dkim_pass ? "pass" : "-",
			 s->dmarc_pass ? "pass" : "-");
		fg_authres_comment(a, note);
	}
	if (r->result == FG_ARC_NONE)
		return;
	if (c->client.ip_known)
		fg_authres_prop(a, "smtp.remote-ip", c->client.addr);
	if (r->result == FG_ARC_PASS) {
		snprintf(n, sizeof(n), "%u", r->oldest_pass);
		fg_authres_prop(a, "header.oldest-pass", n);
	}
}

/* dmarc - dmarc= with header.from and policy.dmarc (the disposition
 * applied); the policy found and an override as comments */
static void
dmarc(struct fg_authres *a, const struct fg_txn_facts *t)
{
	const struct fg_dmarc_out *o = t->dmarc;
	char note[FG_DOMAIN_MAX + 96];

	if (o == NULL)
		return;
	fg_authres_method(a, FG_AR_PRIO_POLICY, "dmarc",
			  fg_dmarc_result_name(o->result));
	if ((o->result == FG_DMARC_TEMPERROR ||
	     o->result == FG_DMARC_PERMERROR) &&
	    o->why != NULL)
		fg_authres_reason(a, o->why);
	if (o->policy_domain[0] != '\0') {
		snprintf(note, sizeof(note), "%s=%s dis=%s%s",
			 o->which[0] ? o->which : "p",
			 fg_dmarc_policy_name(o->policy),
			 fg_dmarc_policy_name(t->dmarc_dis),
			 o->testing ? " t=y" : "");
		fg_authres_comment(a, note);
	}
	if (t->dmarc_override != NULL)
		fg_authres_comment(a, t->dmarc_override);
	if (o->author[0] != '\0')
		fg_authres_prop(a, "header.from", o->author);
	if (o->policy_domain[0] != '\0')
		fg_authres_prop(a, "policy.dmarc",
				fg_dmarc_policy_name(t->dmarc_dis));
}

/* fg_authres_facts - the entries for a transaction's facts */
void
fg_authres_facts(struct fg_authres *a, const struct fg_conn_facts *c,
		 const struct fg_txn_facts *t)
{
	const char *iprev = iprev_result(c->fcrdns_result);

	spf(a, c, t);
	dkim(a, t);
	arc(a, c, t);
	dmarc(a, t);
	if (iprev != NULL && c->client.ip_known) {
		fg_authres_method(a, FG_AR_PRIO_IPREV, "iprev", iprev);
		fg_authres_prop(a, "policy.iprev", c->client.addr);
	}
	if (t->chain_done) {
		fg_authres_method(a, FG_AR_PRIO_LOW, "x-received-chain",
				  t->chain.fail ? "fail" : "pass");
		if (t->chain.fail)
			fg_authres_reason(a, t->chain.reason);
	}
}
