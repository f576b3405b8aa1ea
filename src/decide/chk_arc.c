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
#include "forgeguard/domain.h"

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

/* sealed_by - could a Received: field's by host have sealed for d: the
 * host is d or below it, or d is within the host's last two labels */
static int
sealed_by(const char *by, const char *d)
{
	size_t n = strlen(by), dots = 0;
	const char *org = by;

	if (by[0] == '\0' || d[0] == '\0')
		return 0;
	if (fg_domain_within(by, n, d, strlen(d), 1))
		return 1;
	for (org = by + n; org > by; org--)
		if (org[-1] == '.' && ++dots == 2)
			break;
	return dots == 2 && fg_domain_within(d, strlen(d), org, strlen(org), 1);
}

/* hop_of - the first hop from `from` on whose by host sealed for d; 0
 * when none */
static size_t
hop_of(const struct fg_message *m, size_t from, const char *d)
{
	size_t h;

	for (h = from; h < m->nhops; h++)
		if (m->hops[h].parsed && sealed_by(m->hops[h].r.by, d))
			return h;
	return 0;
}

/* same_ip - is text the address ip */
static int
same_ip(const char *text, const struct fg_ip *ip)
{
	struct fg_ip a;

	if (fg_ipaddr_parse(text, strlen(text), &a) != FG_OK)
		return 0;
	fg_ipaddr_normalize(&a);
	return fg_ipaddr_equal(&a, ip);
}

/* fg_chk_arc_trail - a passing chain against the Received: trail */
void
fg_chk_arc_trail(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_txn_facts *t = c->txn;
	const struct fg_arc *a = t->arc;
	const struct fg_message *m = &t->msg;
	size_t prev = 0, h;
	unsigned i;

	if (a == NULL || a->result != FG_ARC_PASS)
		return;
	/* hops[0] is this server's own step; the trail starts at 1 */
	for (i = (unsigned)a->n; i >= 1; i--) {
		const struct fg_arc_set *s = &a->sets[i - 1];

		h = hop_of(m, prev + 1, s->d);
		if (h == 0) {
			fg_check_addf(c, out, FG_R_MISMATCH,
				      hop_of(m, 1, s->d)
					      ? "sealers in another order "
						"than the trail"
					      : "a sealer that wrote no "
						"Received: field",
				      "i=%u d=%s", i, s->d);
			return;
		}
		if (s->remote_ip[0] != '\0' && m->hops[h].r.has_ip &&
		    !same_ip(s->remote_ip, &m->hops[h].r.ip)) {
			fg_check_addf(c, out, FG_R_MISMATCH,
				      "smtp.remote-ip is not the address its "
				      "hop received from",
				      "i=%u d=%s remote-ip=%s hop %zu", i, s->d,
				      s->remote_ip, h);
			return;
		}
		prev = h;
	}
	fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, "", 0);
}
