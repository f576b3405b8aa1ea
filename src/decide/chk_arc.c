/*
 * NAME
 *	chk_arc - the arc check: the message's Authenticated Received Chain
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	The chain is validated by auth/arc.c alongside the DKIM
 *	signatures; this check reports its status: none (no ARC field),
 *	pass, fail with the field and instance that broke it, or temperror
 *	when a key could not be fetched (never a fail policy acts on).  The
 *	value names the set the result is about (the newest for a pass).
 * STANDARDS
 *	RFC 8617 4.4, 5.2; RFC 8601 2.7 (results).
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>

#include "forgeguard/checks.h"

/* to_result - a chain status as a finding result */
static enum fg_result
to_result(enum fg_arc_result r)
{
	switch (r) {
	case FG_ARC_PASS:
		return FG_R_PASS;
	case FG_ARC_FAIL:
		return FG_R_FAIL;
	case FG_ARC_NONE:
		return FG_R_NONE;
	case FG_ARC_TEMPERROR:
		return FG_R_TEMPERROR;
	}
	return FG_R_TEMPERROR;
}

/* fg_chk_arc - the chain's status */
void
fg_chk_arc(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_txn_facts *t = c->txn;
	const struct fg_arc *a = t->arc;
	const struct fg_arc_set *set;
	unsigned inst;

	if (!t->arc_on)
		return;
	if (a == NULL) {
		fg_check_add(c, out, t->arc_failed ? FG_R_TEMPERROR : FG_R_NONE,
			     t->arc_failed ? "out of memory" : NULL, FG_NOPOS,
			     "", 0);
		return;
	}
	inst = a->result != FG_ARC_PASS && a->why_inst > 0 &&
			       a->why_inst <= a->n
		       ? a->why_inst
		       : (unsigned)a->n;
	if (inst == 0 || a->result == FG_ARC_NONE) {
		fg_check_add(c, out, to_result(a->result),
			     a->reason[0] ? a->reason : NULL, FG_NOPOS, "", 0);
		return;
	}
	set = &a->sets[inst - 1];
	fg_check_addf(c, out, to_result(a->result),
		      a->reason[0] ? a->reason : NULL, "i=%u d=%s s=%s", inst,
		      set->d[0] ? set->d : "?", set->s[0] ? set->s : "?");
}
