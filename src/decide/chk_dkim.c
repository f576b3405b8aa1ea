/*
 * NAME
 *	chk_dkim - the dkim check: the message's DKIM result
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	Every signature is judged by the verifier (auth/dkim.c) and
 *	reported one by one in the verdict line and in
 *	Authentication-Results; the policy acts on one result for the
 *	message, the best of its signatures: a message with one good
 *	signature and one broken by a mailing list is a pass.  A signature
 *	whose key is in testing mode (t=y) is never a pass for the policy:
 *	RFC 6376 3.6.1 says such mail is treated as unsigned.
 * STANDARDS
 *	RFC 6376 3.6.1 (t=y), 6.1; RFC 8601 2.7.1; RFC 7372 (5.7.20,
 *	5.7.21).
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/checks.h"

/* policy_result - what a signature counts as for the policy */
static enum fg_dkim_result
policy_result(const struct fg_dkim_sig *g)
{
	return g->result == FG_DKIM_PASS && g->testing ? FG_DKIM_NEUTRAL
						       : g->result;
}

/* to_result - a DKIM result as a finding result */
static enum fg_result
to_result(enum fg_dkim_result r)
{
	switch (r) {
	case FG_DKIM_PASS:
		return FG_R_PASS;
	case FG_DKIM_TEMPERROR:
		return FG_R_TEMPERROR;
	case FG_DKIM_POLICY:
		return FG_R_POLICY;
	case FG_DKIM_FAIL:
		return FG_R_FAIL;
	case FG_DKIM_NEUTRAL:
		return FG_R_NEUTRAL;
	case FG_DKIM_PERMERROR:
		return FG_R_PERMERROR;
	case FG_DKIM_NONE:
		return FG_R_NONE;
	}
	return FG_R_TEMPERROR;
}

/* fg_chk_dkim - the best result among the message's signatures */
void
fg_chk_dkim(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_txn_facts *t = c->txn;
	const struct fg_dkim_sig *best = NULL;
	size_t k, n = t->dkim != NULL ? fg_dkim_count(t->dkim) : 0;
	char v[FG_REPLY_VALUE_MAX + 1];
	int len;

	if (t->dkim_failed) {
		fg_check_add(c, out, FG_R_TEMPERROR, "out of memory", FG_NOPOS,
			     "", 0);
		return;
	}
	if (t->dkim == NULL)
		return; /* no header was judged: nothing was signed */
	for (k = 0; k < n; k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(t->dkim, k);

		if (best == NULL || policy_result(g) < policy_result(best))
			best = g;
	}
	if (best == NULL) {
		fg_check_add(c, out, FG_R_NONE, NULL, FG_NOPOS, "", 0);
		return;
	}
	len = best->named
		      ? snprintf(v, sizeof(v), "d=%s s=%s", best->d, best->s)
		      : snprintf(v, sizeof(v), "a signature");
	fg_check_add(c, out, to_result(policy_result(best)),
		     best->result == FG_DKIM_PASS && best->testing
			     ? "key in testing mode (t=y)"
			     : best->why,
		     FG_NOPOS, v,
		     (size_t)len < sizeof(v) ? (size_t)len : sizeof(v) - 1);
}

/* fg_checks_dkim_temperror - a signature whose key could not be fetched */
int
fg_checks_dkim_temperror(const struct fg_txn_facts *t)
{
	size_t k, n = t->dkim != NULL ? fg_dkim_count(t->dkim) : 0;

	for (k = 0; k < n; k++)
		if (fg_dkim_get(t->dkim, k)->result == FG_DKIM_TEMPERROR)
			return 1;
	return 0;
}

/* fg_checks_dkim_aligned - the best result of the aligned signatures */
enum fg_dkim_result
fg_checks_dkim_aligned(const struct fg_txn_facts *t, const char *domain)
{
	enum fg_dkim_result best = FG_DKIM_NONE;
	size_t k, n = t->dkim != NULL ? fg_dkim_count(t->dkim) : 0;

	for (k = 0; k < n; k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(t->dkim, k);

		if (g->named && fg_checks_aligned(g->d, domain) &&
		    policy_result(g) < best)
			best = policy_result(g);
	}
	return best;
}
