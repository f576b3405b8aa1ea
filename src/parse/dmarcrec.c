/*
 * NAME
 *	dmarcrec - parse DMARC policy records
 * SYNOPSIS
 *	#include "forgeguard/dmarcrec.h"
 * DESCRIPTION
 *	A record is a tag=value list whose first tag is v=DMARC1 (the
 *	version compared exactly, the tag names case-sensitively, the
 *	policy words case-insensitively).  p, sp and np take none,
 *	quarantine or reject; psd takes y, n or u; t takes y or n; adkim
 *	and aspf take r or s (an unknown value keeps the default, relaxed);
 *	pct, which RFC 9989 removed, is read only as 0 (t=y) or 100 (t=n).
 *	rua is kept as written for the reports; ruf and fo are only noted.
 * STANDARDS
 *	RFC 9989 4.7 (tags), 4.8 (formal definition), Appendix on RFC 7489
 *	records (pct).
 * DIAGNOSTICS
 *	FG_ESYNTAX with a static reason.
 */
#include <string.h>

#include "forgeguard/dmarcrec.h"
#include "forgeguard/str.h"
#include "forgeguard/tagvalue.h"

/* fg_dmarcrec_is_dmarc - "v" FWS? "=" FWS? "DMARC1" then ";" or end */
int
fg_dmarcrec_is_dmarc(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n || p[i++] != 'v')
		return 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (i == n || p[i++] != '=')
		return 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	if (n - i < 6 || memcmp(p + i, "DMARC1", 6) != 0)
		return 0;
	for (i += 6; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	return i == n || p[i] == ';';
}

/* policy - a dmarc-request word */
static enum fg_dmarc_policy
policy(const struct fg_view *v)
{
	if (v == NULL)
		return FG_DMARC_P_UNSET;
	if (fg_str_caseeqz(v->p, v->n, "none"))
		return FG_DMARC_P_NONE;
	if (fg_str_caseeqz(v->p, v->n, "quarantine"))
		return FG_DMARC_P_QUARANTINE;
	if (fg_str_caseeqz(v->p, v->n, "reject"))
		return FG_DMARC_P_REJECT;
	return FG_DMARC_P_UNSET;
}

/* is - a one-word value, case-insensitively */
static int
is(const struct fg_view *v, const char *word)
{
	return v != NULL && fg_str_caseeqz(v->p, v->n, word);
}

/* fg_dmarcrec_parse - one record */
enum fg_err
fg_dmarcrec_parse(const char *p, size_t n, struct fg_dmarcrec *r)
{
	struct fg_taglist tl;
	const struct fg_view *v;

	memset(r, 0, sizeof(*r));
	if (!fg_dmarcrec_is_dmarc(p, n)) {
		r->why = "not a DMARC1 record";
		return FG_ESYNTAX;
	}
	if (fg_tagvalue_parse(p, n, &tl) != FG_OK) {
		r->why = tl.why;
		return FG_ESYNTAX;
	}
	r->p = policy(fg_tagvalue_get(&tl, "p"));
	r->sp = policy(fg_tagvalue_get(&tl, "sp"));
	r->np = policy(fg_tagvalue_get(&tl, "np"));
	v = fg_tagvalue_get(&tl, "psd");
	r->psd = is(v, "y")   ? FG_DMARC_PSD_Y
		 : is(v, "n") ? FG_DMARC_PSD_N
			      : FG_DMARC_PSD_U;
	r->testing = is(fg_tagvalue_get(&tl, "t"), "y");
	if (fg_tagvalue_get(&tl, "t") == NULL) {
		/* RFC 7489's pct: 0 meant "apply to none of it" */
		v = fg_tagvalue_get(&tl, "pct");
		r->testing = v != NULL && fg_str_eq(v->p, v->n, "0", 1);
	}
	r->adkim_strict = is(fg_tagvalue_get(&tl, "adkim"), "s");
	r->aspf_strict = is(fg_tagvalue_get(&tl, "aspf"), "s");
	if ((v = fg_tagvalue_get(&tl, "rua")) != NULL && v->n > 0) {
		r->has_rua = 1;
		if (fg_str_copy(r->rua, sizeof(r->rua), v->p,
				v->n < sizeof(r->rua)
					? v->n
					: sizeof(r->rua) - 1) != FG_OK)
			r->rua[0] = '\0';
	}
	r->has_ruf = (v = fg_tagvalue_get(&tl, "ruf")) != NULL && v->n > 0;
	if ((v = fg_tagvalue_get(&tl, "fo")) != NULL &&
	    fg_str_copy(r->fo, sizeof(r->fo), v->p,
			v->n < sizeof(r->fo) ? v->n : sizeof(r->fo) - 1) !=
		    FG_OK)
		r->fo[0] = '\0';
	return FG_OK;
}

/* fg_dmarc_policy_name - "none", "quarantine", "reject", "?" */
const char *
fg_dmarc_policy_name(enum fg_dmarc_policy p)
{
	switch (p) {
	case FG_DMARC_P_NONE:
		return "none";
	case FG_DMARC_P_QUARANTINE:
		return "quarantine";
	case FG_DMARC_P_REJECT:
		return "reject";
	case FG_DMARC_P_UNSET:
		break;
	}
	return "?";
}
