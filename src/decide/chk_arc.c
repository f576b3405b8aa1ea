/*
 * NAME
 *	chk_arc - the arc check: the message's Authenticated Received Chain
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	The chain is validated by auth/arc.c alongside the DKIM
 *	signatures; this check reports the status of a message that has
 *	ARC fields: pass, fail with the field and instance that broke it,
 *	or temperror
 *	when a key could not be fetched (never a fail policy acts on).  The
 *	value names the set the result is about (the newest for a pass).
 *	The arc.trail check holds a passing chain against the Received:
 *	trail, which no signature covers: the host that sealed set i also
 *	wrote a Received: field, so each sealing domain should be a by
 *	host, or the by host's domain (its last two labels), newer sets
 *	nearer the top, and the smtp.remote-ip its AAR recorded should be
 *	the from address of that field.  A chain replayed from another
 *	message, or pasted onto one, shows sealers that never handled it.
 * STANDARDS
 *	RFC 8617 4.4, 5.2; RFC 8601 2.7 (results).
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>
#include <string.h>

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
	case FG_ARC_NONE: /* not reported */
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
		/* no ARC field: nothing to report but arc=none */
		if (t->arc_failed)
			fg_check_add(c, out, FG_R_TEMPERROR, "out of memory",
				     FG_NOPOS, "", 0);
		return;
	}
	inst = a->result != FG_ARC_PASS && a->why_inst > 0 &&
			       a->why_inst <= a->n
		       ? a->why_inst
		       : (unsigned)a->n;
	if (a->result == FG_ARC_NONE)
		return;
	if (inst == 0) {
		fg_check_add(c, out, to_result(a->result),
			     a->reason[0] ? a->reason : NULL, FG_NOPOS, "", 0);
		return;
	}
	set = &a->sets[inst - 1];
	fg_check_addf(c, out, to_result(a->result),
		      a->reason[0] ? a->reason : NULL, "i=%u d=%s s=%s", inst,
		      set->d[0] ? set->d : "?", set->s[0] ? set->s : "?");
}

/* fg_chk_arc_trail - a passing chain against the Received: trail */
void
fg_chk_arc_trail(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_txn_facts *t = c->txn;
	char detail[FG_REPLY_VALUE_MAX + 1];
	const char *why;

	if (t->arc == NULL || t->arc->result != FG_ARC_PASS)
		return;
	why = fg_arc_trail(t->arc, &t->msg, detail, sizeof(detail));
	if (why == NULL)
		fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, "", 0);
	else
		fg_check_add(c, out, FG_R_MISMATCH, why, FG_NOPOS, detail,
			     strlen(detail));
}
