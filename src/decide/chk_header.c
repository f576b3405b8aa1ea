/*
 * NAME
 *	chk_header - header.from, header.local_forgery, header.authres,
 *	header.limits
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	Judged at end of headers, on the header facts (message.c).
 *	header.local_forgery, at end of message, refuses a From: in one of
 *	our domains from an untrusted, unauthenticated client, unless the
 *	envelope sender's domain aligns with it and passed SPF, or a DKIM
 *	signature whose d= aligns with it passed (our own domain's mail
 *	sent through a signing provider).  When the SPF lookup or the DKIM
 *	key lookup that could have exempted it failed instead, the finding
 *	says so (the policy then defers a refusal, as Postfix's
 *	defer_if_reject does).  With the dkim check disabled, a
 *	DKIM-Signature whose d= aligns, unverified, still keeps the message
 *	from being refused (logged as neutral), as before DKIM was
 *	verified.
 * STANDARDS
 *	RFC 5322 3.6.2 (originator fields); RFC 8601 5 (forged
 *	Authentication-Results); RFC 7489 3.1 (relaxed alignment).
 * DIAGNOSTICS
 *	None.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/checks.h"

/* fg_chk_header_from - one From:, parsed, one author or a Sender: */
void
fg_chk_header_from(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;

	if (m->nfrom == 0)
		fg_check_add(c, out, FG_R_NONE, "no From: field", FG_NOPOS, "",
			     0);
	else if (m->nfrom > 1)
		fg_check_addf(c, out, FG_R_INVALID, "more than one From: field",
			      "%zu From: fields", m->nfrom);
	else if (!m->from_ok)
		fg_check_add(c, out, FG_R_INVALID, m->from.why, m->from.errpos,
			     m->from_raw, m->from_raw_len);
	else if (m->from.count > 1 && m->nsender == 0)
		fg_check_add(c, out, FG_R_INVALID,
			     "several authors and no Sender: field", FG_NOPOS,
			     m->from_raw, m->from_raw_len);
	else
		fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, "", 0);
}

/* dkim_claims - a DKIM-Signature whose d= aligns with domain d */
static int
dkim_claims(const struct fg_message *m, const char *d)
{
	size_t k;

	for (k = 0; k < m->ndkim_d; k++)
		if (fg_checks_aligned(m->dkim_d[k], d))
			return 1;
	return 0;
}

/* spf_domain - the envelope sender's domain if SPF said r for it */
static const char *
spf_domain(const struct fg_txn_facts *t, enum fg_spf_result r)
{
	const char *at = strrchr(t->spf_identity, '@');

	return t->mail_spf_done && t->mail_spf.result == r && at ? at + 1 : "";
}

/* forged - the finding for a local From: domain d from outside */
static void
forged(const struct fg_check_ctx *c, struct fg_findings *out, const char *d,
       const char *addr)
{
	const struct fg_message *m = &c->txn->msg;
	int dkim_on = !c->conf->disabled[FG_CHK_DKIM];

	if (!dkim_on && dkim_claims(m, d)) {
		fg_check_add(c, out, FG_R_NEUTRAL,
			     "a local domain in From: from outside, with an "
			     "aligned DKIM-Signature not yet verified",
			     FG_NOPOS, addr, strlen(addr));
		return;
	}
	if (fg_checks_aligned(d, spf_domain(c->txn, FG_SPF_R_TEMPERROR))) {
		fg_check_add(c, out, FG_R_FORGED,
			     "a local domain in From: from outside, and the "
			     "SPF lookup that could exempt it failed",
			     FG_NOPOS, addr, strlen(addr));
		fg_findings_defer_last(out, FG_CHK_SPF_MAILFROM);
		return;
	}
	if (dkim_on && fg_checks_dkim_aligned(c->txn, d) == FG_DKIM_TEMPERROR) {
		fg_check_add(c, out, FG_R_FORGED,
			     "a local domain in From: from outside, and the "
			     "DKIM key lookup that could exempt it failed",
			     FG_NOPOS, addr, strlen(addr));
		fg_findings_defer_last(out, FG_CHK_DKIM);
		return;
	}
	fg_check_add(c, out, FG_R_FORGED,
		     "a local domain in From: from outside", FG_NOPOS, addr,
		     strlen(addr));
}

/* fg_chk_header_local_forgery - our From: domain from an outsider */
void
fg_chk_header_local_forgery(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;
	size_t k;

	for (k = 0; m->from_ok && k < m->from.n; k++) {
		const char *d = fg_from_domain(&m->from, k);

		if (!fg_conf_name_in(&c->conf->local_domains, d, strlen(d), 1))
			continue;
		if (c->txn->trusted ||
		    fg_checks_aligned(d, spf_domain(c->txn, FG_SPF_R_PASS)) ||
		    (!c->conf->disabled[FG_CHK_DKIM] &&
		     fg_checks_dkim_aligned(c->txn, d) == FG_DKIM_PASS))
			return;
		forged(c, out, d, fg_from_addr(&m->from, k));
		return;
	}
}

/* fg_chk_header_authres - Authentication-Results claiming to be ours */
void
fg_chk_header_authres(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;

	if (m->ndel > 0)
		fg_check_addf(c, out, FG_R_FORGED,
			      "forged Authentication-Results removed",
			      "%zu field%s for %s", m->ndel,
			      m->ndel > 1 ? "s" : "", m->forged_id);
}

/* fg_chk_header_limits - more header than examined */
void
fg_chk_header_limits(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;

	if (m->over_fields == 0 && m->over_size == 0 && m->over_total == 0)
		return;
	fg_check_addf(c, out, FG_R_INVALID,
		      m->over_size ? "a field longer than examined"
				   : "more header than examined",
		      "%zu fields, %zu bytes; %zu fields not examined",
		      m->nfields, m->bytes, m->over_fields + m->over_total);
}
