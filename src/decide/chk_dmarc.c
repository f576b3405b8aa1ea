/*
 * NAME
 *	chk_dmarc - the dmarc check: the author domain's policy, applied
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	At end of message, after SPF, DKIM and ARC: the author domain of
 *	each From: address is evaluated (auth/dmarc.c) with the MAIL FROM
 *	domain when SPF passed (nothing for the null sender) and the d= of
 *	every DKIM signature that passed (not a key in testing mode); with
 *	several addresses the strictest outcome stands.  A message with
 *	several From: fields, or one that does not parse, is permerror:
 *	never a pass.  A fail is enforced as its policy says (reject,
 *	quarantine, or a tag for p=none), one step lower for t=y, and not at
 *	all when the client is a trusted forwarder (dmarc_trusted_forwarders)
 *	or a trusted ARC sealer's chain passed (arc_trusted_sealers, RFC
 *	8617 7.2.1); the override is named.  A reject that a failed SPF or
 *	DKIM key lookup could have prevented is deferred (451).  Trusted
 *	and authenticated clients are not judged, as for SPF; without a
 *	resolver DMARC does not run.
 * STANDARDS
 *	RFC 9989 4.4, 5.3, 5.4 (enforcement), 5.5 (local policy); RFC 8617
 *	7.2.1; RFC 9990 (override reasons).
 * DIAGNOSTICS
 *	None.
 */
#include <stdlib.h>
#include <string.h>

#include "forgeguard/checks.h"

/* Distinct author domains evaluated per message: each is a tree walk of
 * up to 8 questions, and a From: of 100 addresses must not become 800. */
#define AUTHORS_MAX 4

/* severity - how strict an outcome is, for several author domains */
static int
severity(const struct fg_dmarc_out *o)
{
	switch (o->result) {
	case FG_DMARC_FAIL:
		return 4 + (int)o->policy;
	case FG_DMARC_TEMPERROR:
		return 3;
	case FG_DMARC_PERMERROR:
		return 2;
	case FG_DMARC_NONE:
		return 1;
	case FG_DMARC_PASS:
		break;
	}
	return 0;
}

/* inputs - the identifiers that passed */
static void
inputs(const struct fg_txn_facts *t, struct fg_dmarc_in *in)
{
	size_t k, n = t->dkim != NULL ? fg_dkim_count(t->dkim) : 0;
	const char *at = strrchr(t->spf_identity, '@');

	memset(in, 0, sizeof(*in));
	if (t->mail_spf_done && t->mail_spf.result == FG_SPF_R_PASS &&
	    !t->mail.path.is_null && at != NULL)
		in->spf_domain = at + 1;
	for (k = 0; k < n && in->ndkim < FG_DMARC_DKIM_MAX; k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(t->dkim, k);

		if (g->result == FG_DKIM_PASS && !g->testing && g->named)
			in->dkim[in->ndkim++] = g->d;
	}
}

/* evaluate - the strictest outcome among the author domains, into o; 0
 * without memory, 2 when there are too many to evaluate */
static int
evaluate(struct fg_check_ctx *c, struct fg_dmarc_out *o)
{
	const struct fg_message *m = &c->txn->msg;
	struct fg_dmarc_in in;
	struct fg_dmarc_out *one;
	size_t k, authors = 0;

	memset(o, 0, sizeof(*o));
	o->result = FG_DMARC_PERMERROR;
	if (m->nfrom != 1 || !m->from_ok || m->from.n == 0) {
		o->why = m->nfrom == 0  ? "no From: field"
			 : m->nfrom > 1 ? "several From: fields"
					: "From: does not parse";
		return 1;
	}
	one = malloc(sizeof(*one));
	if (one == NULL)
		return 0;
	inputs(c->txn, &in);
	in.org_mode = (enum fg_dmarc_org)c->conf->dmarc_org_domain;
	for (k = 0; k < m->from.n; k++) {
		size_t j;

		in.author = fg_from_domain(&m->from, k);
		for (j = 0; j < k; j++)
			if (strcmp(fg_from_domain(&m->from, j), in.author) == 0)
				break;
		if (j < k)
			continue; /* a domain already evaluated */
		if (++authors > AUTHORS_MAX) {
			/* not evaluated, so never let through on what the
			 * first four say: a p=reject domain fifth in the
			 * list must not escape its policy */
			free(one);
			return 2;
		}
		fg_dmarc_eval(c->env->dns, c->deadline, &in, one);
		if (authors == 1 || severity(one) > severity(o))
			*o = *one;
	}
	free(one);
	return 1;
}

/* override - why the policy is not applied to this fail, or NULL */
static const char *
override(const struct fg_check_ctx *c, const char *author)
{
	const struct fg_txn_facts *t = c->txn;
	const char *name = c->conn->client.name;

	if (fg_conf_name_in(&c->conf->dmarc_exempt_domains, author,
			    strlen(author), 1))
		return "local_policy: the author domain is in "
		       "dmarc_exempt_domains";
	if (strcmp(name, "unknown") != 0 && name[0] != '\0' &&
	    fg_conf_name_in(&c->conf->dmarc_trusted_forwarder_names, name,
			    strlen(name), 1))
		return "trusted_forwarder: the client's verified name is in "
		       "dmarc_trusted_forwarder_names";
	if (c->conn->client.ip_known &&
	    fg_conf_net_in(&c->conf->dmarc_trusted_forwarders,
			   &c->conn->client.ip))
		return "trusted_forwarder: the client is in "
		       "dmarc_trusted_forwarders";
	if (t->arc != NULL && t->arc->result == FG_ARC_PASS &&
	    t->arc->trusted > 0)
		return "trusted_forwarder: a trusted ARC sealer's chain "
		       "passed";
	return NULL;
}

/* lowered - one step lower, for t=y */
static enum fg_dmarc_policy
lowered(enum fg_dmarc_policy p)
{
	return p == FG_DMARC_P_REJECT ? FG_DMARC_P_QUARANTINE : FG_DMARC_P_NONE;
}

/* fg_chk_dmarc - the author domain's policy, applied */
void
fg_chk_dmarc(struct fg_check_ctx *c, struct fg_findings *out)
{
	struct fg_txn_facts *t = c->txn;
	struct fg_dmarc_out *o;
	int e;
	static const enum fg_result by_dis[] = {
		[FG_DMARC_P_UNSET] = FG_R_FAIL,
		[FG_DMARC_P_NONE] = FG_R_FAIL,
		[FG_DMARC_P_QUARANTINE] = FG_R_QUARANTINE,
		[FG_DMARC_P_REJECT] = FG_R_REJECT,
	};

	/* no header seen (the transaction ended before its end of headers):
	 * no author to judge */
	if (t->trusted || !t->chain_done || c->env == NULL ||
	    c->env->dns == NULL)
		return;
	o = t->dmarc != NULL ? t->dmarc : malloc(sizeof(*o));
	if (o == NULL || (e = evaluate(c, o)) == 0) {
		free(o);
		t->dmarc = NULL;
		fg_check_add(c, out, FG_R_TEMPERROR, "out of memory", FG_NOPOS,
			     "", 0);
		return;
	}
	t->dmarc = o;
	t->dmarc_dis = FG_DMARC_P_NONE;
	if (e == 2) {
		memset(o, 0, sizeof(*o));
		o->result = FG_DMARC_PERMERROR;
		o->why = "more than 4 author domains";
		t->dmarc_dis = FG_DMARC_P_REJECT;
		fg_check_add(c, out, FG_R_POLICY,
			     "more than 4 author domains, not evaluated",
			     FG_NOPOS, fg_from_domain(&t->msg.from, 0),
			     strlen(fg_from_domain(&t->msg.from, 0)));
		return;
	}
	/* several authors, refused whatever they publish */
	if (t->msg.from.n > 1 &&
	    c->conf->dmarc_multiple_from == FG_MULTI_REFUSE) {
		t->dmarc_dis = FG_DMARC_P_REJECT;
		t->dmarc_override = "local_policy: several authors "
				    "(dmarc_multiple_from = refuse)";
		fg_check_add(c, out, FG_R_POLICY,
			     "several authors (dmarc_multiple_from = refuse)",
			     FG_NOPOS, o->author, strlen(o->author));
		return;
	}
	switch (o->result) {
	case FG_DMARC_NONE:
		return; /* dmarc=none in Authentication-Results only */
	case FG_DMARC_PASS:
		fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, o->author,
			     strlen(o->author));
		return;
	case FG_DMARC_TEMPERROR:
	case FG_DMARC_PERMERROR:
		fg_check_add(c, out,
			     o->result == FG_DMARC_TEMPERROR ? FG_R_TEMPERROR
							     : FG_R_PERMERROR,
			     o->why, FG_NOPOS, o->author, strlen(o->author));
		return;
	case FG_DMARC_FAIL:
		break;
	}
	t->dmarc_dis = o->testing ? lowered(o->policy) : o->policy;
	t->dmarc_override = override(c, o->author);
	if (t->dmarc_override != NULL)
		t->dmarc_dis = FG_DMARC_P_NONE;
	fg_check_add(c, out, by_dis[t->dmarc_dis],
		     t->dmarc_override != NULL ? t->dmarc_override
		     : o->testing ? "no aligned SPF or DKIM pass (policy "
				    "lowered one step: t=y)"
				  : o->why,
		     FG_NOPOS, o->author, strlen(o->author));
	/* an SPF or DKIM key lookup that failed could have aligned */
	if (t->mail_spf_done && t->mail_spf.result == FG_SPF_R_TEMPERROR)
		fg_findings_defer_last(out, FG_CHK_SPF_MAILFROM);
	else if (t->dkim != NULL && fg_checks_dkim_temperror(t))
		fg_findings_defer_last(out, FG_CHK_DKIM);
}
