/*
 * NAME
 *	dkimsig - parse DKIM-Signature fields and DKIM key records
 * SYNOPSIS
 *	#include "forgeguard/dkimsig.h"
 * DESCRIPTION
 *	Both are tag=value lists (tagvalue.c).  Unknown tags are ignored,
 *	as RFC 6376 requires.  A selector may hold underscores (it is a DNS
 *	name, not a host name); d= and the domain of i= are compared
 *	lower-cased.
 * STANDARDS
 *	RFC 6376 3.5 (the signature's tags), 3.6.1 (key records), 6.1.1
 *	(what makes a signature unusable before its key is fetched);
 *	RFC 8463 (ed25519-sha256); RFC 8616 (UTF-8 in d= and i=).
 * DIAGNOSTICS
 *	FG_ESYNTAX with a static reason in why.
 */
#include <string.h>

#include "forgeguard/base64.h"
#include "forgeguard/dkimsig.h"
#include "forgeguard/domain.h"
#include "forgeguard/tagvalue.h"

/* fail - the reason a signature or key is unusable */
static enum fg_err
fail(const char **why, const char *reason)
{
	*why = reason;
	return FG_ESYNTAX;
}

/* number - decimal digits, at most max */
static int
number(const struct fg_view *v, uint64_t max, uint64_t *out)
{
	return v->n > 0 && fg_str_parse_u64(v->p, v->n, max, out) == FG_OK;
}

/* dns_name - a DNS name (d=, s=) into dst, lower-cased when canon */
static int
dns_name(const struct fg_view *v, char *dst, size_t cap, int canon)
{
	size_t pos;

	if (fg_domain_check(v->p, v->n, FG_DOMAIN_UTF8 | FG_DOMAIN_UNDERSCORE,
			    NULL, &pos) != FG_OK)
		return 0;
	if (canon)
		return fg_domain_canon(v->p, v->n, dst, cap) == FG_OK;
	return fg_str_copy(dst, cap, v->p, v->n) == FG_OK;
}

/* algorithm - a= */
static int
algorithm(const struct fg_view *v, enum fg_dkim_alg *a)
{
	if (fg_str_caseeqz(v->p, v->n, "rsa-sha256"))
		*a = FG_DKIM_RSA_SHA256;
	else if (fg_str_caseeqz(v->p, v->n, "rsa-sha1"))
		*a = FG_DKIM_RSA_SHA1;
	else if (fg_str_caseeqz(v->p, v->n, "ed25519-sha256"))
		*a = FG_DKIM_ED25519_SHA256;
	else
		return 0;
	return 1;
}

/* one_canon - "simple" or "relaxed" */
static int
one_canon(const char *p, size_t n, enum fg_canon *c)
{
	if (fg_str_caseeqz(p, n, "simple"))
		*c = FG_CANON_SIMPLE;
	else if (fg_str_caseeqz(p, n, "relaxed"))
		*c = FG_CANON_RELAXED;
	else
		return 0;
	return 1;
}

/* canon - c= "header[/body]"; the body defaults to simple */
static int
canon(const struct fg_view *v, struct fg_dkimsig *s)
{
	const char *slash = memchr(v->p, '/', v->n);

	s->bcanon = FG_CANON_SIMPLE;
	if (slash == NULL)
		return one_canon(v->p, v->n, &s->hcanon);
	return one_canon(v->p, (size_t)(slash - v->p), &s->hcanon) &&
	       one_canon(slash + 1, v->n - (size_t)(slash - v->p) - 1,
			 &s->bcanon);
}

/* is_fws - folding whitespace */
static int
is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* trimmed - v without FWS at both ends */
static struct fg_view
trimmed(const char *p, size_t n)
{
	struct fg_view v = { p, n };

	while (v.n > 0 && is_fws(*v.p))
		v.p++, v.n--;
	while (v.n > 0 && is_fws(v.p[v.n - 1]))
		v.n--;
	return v;
}

/* headers - h=: colon-separated field names, From among them for DKIM;
 * for an AMS empty names are skipped and ARC-Seal is refused */
static enum fg_err
headers(const struct fg_view *v, enum fg_sigkind kind, struct fg_dkimsig *s)
{
	size_t i = 0, k;
	int from = 0;

	while (i <= v->n) {
		const char *c = memchr(v->p + i, ':', v->n - i);
		size_t e = c ? (size_t)(c - v->p) : v->n;
		struct fg_view name = trimmed(v->p + i, e - i);

		i = e + 1;
		if (name.n == 0 && kind == FG_SIG_AMS)
			continue;
		if (name.n == 0)
			return fail(&s->why, "empty field name in h=");
		if (kind == FG_SIG_AMS &&
		    fg_str_caseeqz(name.p, name.n, "arc-seal"))
			return fail(&s->why, "h= names ARC-Seal");
		for (k = 0; k < name.n; k++)
			if (name.p[k] <= 32 || name.p[k] >= 127)
				return fail(&s->why, "bad field name in h=");
		if (s->nh == FG_DKIM_H_MAX)
			return fail(&s->why, "too many fields in h=");
		s->h[s->nh++] = name;
		from |= fg_str_caseeqz(name.p, name.n, "from");
	}
	if (!from && kind == FG_SIG_DKIM)
		return fail(&s->why, "From is not signed (h= lacks from)");
	return FG_OK;
}

/* identity - i=: [local-part] "@" domain, the domain within d= */
static enum fg_err
identity(const struct fg_view *v, struct fg_dkimsig *s)
{
	const char *at = NULL;
	char dom[FG_DOMAIN_MAX + 1];
	struct fg_view dv;
	size_t k;

	for (k = v->n; k > 0 && at == NULL; k--)
		if (v->p[k - 1] == '@')
			at = v->p + k - 1;
	if (at == NULL)
		return fail(&s->why, "i= has no @");
	dv.p = at + 1;
	dv.n = v->n - (size_t)(dv.p - v->p);
	if (!dns_name(&dv, dom, sizeof(dom), 1))
		return fail(&s->why, "i= domain is not a domain name");
	if (!fg_domain_within(dom, strlen(dom), s->d, strlen(s->d), 1))
		return fail(&s->why, "i= is not within d=");
	if (fg_str_copy(s->i, sizeof(s->i), v->p, v->n) != FG_OK)
		return fail(&s->why, "i= too long");
	s->has_i = 1;
	return FG_OK;
}

/* query - q=: dns/txt must be among the methods */
static int
query(const struct fg_view *v)
{
	size_t i = 0;

	while (i <= v->n) {
		const char *c = memchr(v->p + i, ':', v->n - i);
		size_t e = c ? (size_t)(c - v->p) : v->n;
		struct fg_view m = trimmed(v->p + i, e - i);

		if (fg_str_caseeqz(m.p, m.n, "dns/txt") ||
		    fg_str_caseeqz(m.p, m.n, "dns"))
			return 1;
		i = e + 1;
	}
	return 0;
}

/* times - t= and x=, x= not before t= */
static enum fg_err
times(const struct fg_taglist *tl, struct fg_dkimsig *s)
{
	const struct fg_view *t = fg_tagvalue_get(tl, "t");
	const struct fg_view *x = fg_tagvalue_get(tl, "x");
	uint64_t v;

	/* 12 digits are enough for any time (RFC 6376 3.5); more is junk */
	if (t != NULL) {
		if (!number(t, 999999999999ull, &v))
			return fail(&s->why, "t= is not a time");
		s->has_t = 1;
		s->t = (int64_t)v;
	}
	if (x != NULL) {
		if (!number(x, 999999999999ull, &v))
			return fail(&s->why, "x= is not a time");
		s->has_x = 1;
		s->x = (int64_t)v;
	}
	if (s->has_t && s->has_x && s->x < s->t)
		return fail(&s->why, "x= is before t=");
	return FG_OK;
}

/* instance - ARC i= */
static enum fg_err
instance(const struct fg_view *v, struct fg_dkimsig *s)
{
	uint64_t n;

	if (!number(v, 99999, &n))
		return fail(&s->why, "i= is not an instance number");
	s->inst = (unsigned)n;
	return FG_OK;
}

/* chain_value - ARC-Seal cv= */
static enum fg_err
chain_value(const struct fg_view *v, struct fg_dkimsig *s)
{
	if (fg_str_caseeqz(v->p, v->n, "none"))
		s->cv = FG_CV_NONE;
	else if (fg_str_caseeqz(v->p, v->n, "pass"))
		s->cv = FG_CV_PASS;
	else if (fg_str_caseeqz(v->p, v->n, "fail"))
		s->cv = FG_CV_FAIL;
	else
		return fail(&s->why, "cv= is not none, pass or fail");
	return FG_OK;
}

/* signature_bytes - b= and bh= decoded; b='s place in the input */
static enum fg_err
signature_bytes(const char *p, size_t n, const struct fg_view *b,
		const struct fg_view *bh, struct fg_dkimsig *s)
{
	size_t k, t = 0;
	const char *eq;

	if (fg_base64_decode(b->p, b->n, s->b, sizeof(s->b), &s->blen) !=
		    FG_OK ||
	    s->blen == 0)
		return fail(&s->why, "b= is not base64");
	if (bh != NULL && (fg_base64_decode(bh->p, bh->n, s->bh, sizeof(s->bh),
					    &s->bhlen) != FG_OK ||
			   s->bhlen == 0))
		return fail(&s->why, "bh= is not base64");
	for (k = 0; k < b->n && t < sizeof(s->b_text) - 4; k++)
		if (!is_fws(b->p[k]))
			s->b_text[t++] = b->p[k];
	s->b_text[t] = '\0';
	/* the value is deleted with its surrounding whitespace: from just
	 * after "=" to the ";" or the end (RFC 6376 3.7) */
	for (eq = b->p; eq > p && eq[-1] != '='; eq--)
		;
	s->b_start = (size_t)(eq - p);
	for (k = (size_t)(b->p + b->n - p); k < n && is_fws(p[k]); k++)
		;
	s->b_end = k;
	return FG_OK;
}

/* required - every tag RFC 6376 6.1.1 (RFC 8617 4.1.2, 4.1.3)
 * requires */
static enum fg_err
required(const struct fg_taglist *tl, enum fg_sigkind kind,
	 struct fg_dkimsig *s)
{
	static const char *const tags[][8] = {
		[FG_SIG_DKIM] = { "v", "a", "b", "bh", "d", "h", "s", NULL },
		[FG_SIG_AMS] = { "i", "a", "b", "bh", "d", "h", "s", NULL },
		[FG_SIG_AS] = { "i", "a", "b", "cv", "d", "s", NULL },
	};
	const struct fg_view *v = fg_tagvalue_get(tl, "v");
	size_t k;

	for (k = 0; tags[kind][k] != NULL; k++)
		if (fg_tagvalue_get(tl, tags[kind][k]) == NULL)
			return fail(&s->why, "a required tag is missing");
	if (kind == FG_SIG_DKIM && !fg_str_eq(v->p, v->n, "1", 1))
		return fail(&s->why, "incompatible version (v= is not 1)");
	if (kind == FG_SIG_AS && fg_tagvalue_get(tl, "h") != NULL)
		return fail(&s->why, "an ARC-Seal has no h=");
	return FG_OK;
}

/* arc_tags - i= and cv= of the ARC kinds; an ARC-Seal's header
 * canonicalization is relaxed whatever c= says */
static enum fg_err
arc_tags(const struct fg_taglist *tl, enum fg_sigkind kind,
	 struct fg_dkimsig *s)
{
	if (instance(fg_tagvalue_get(tl, "i"), s) != FG_OK)
		return FG_ESYNTAX;
	if (kind == FG_SIG_AS) {
		s->hcanon = FG_CANON_RELAXED;
		return chain_value(fg_tagvalue_get(tl, "cv"), s);
	}
	return FG_OK;
}

/* empty_item - ";" then only FWS before the next ";": the tag parser
 * skips such empty items, as DKIM verifiers in the field do, but the
 * grammar (RFC 6376 3.2) has none, and ARC validators refuse them */
static int
empty_item(const char *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (p[i] != ';')
			continue;
		for (k = i + 1; k < n && is_fws(p[k]); k++)
			;
		if (k < n && p[k] == ';')
			return 1;
	}
	return 0;
}

/* fg_dkimsig_parse - one DKIM-Signature value */
enum fg_err
fg_dkimsig_parse(const char *p, size_t n, struct fg_dkimsig *s)
{
	return fg_sig_parse(p, n, FG_SIG_DKIM, s);
}

/* fg_sig_parse - one DKIM-Signature, ARC-Message-Signature or ARC-Seal */
enum fg_err
fg_sig_parse(const char *p, size_t n, enum fg_sigkind kind,
	     struct fg_dkimsig *s)
{
	struct fg_taglist tl;
	const struct fg_view *v;
	uint64_t l;

	memset(s, 0, sizeof(*s));
	if (n > FG_DKIM_SIG_MAX)
		return fail(&s->why, "signature field too long");
	if (fg_tagvalue_parse(p, n, &tl) != FG_OK)
		return fail(&s->why, tl.why);
	if (kind != FG_SIG_DKIM && empty_item(p, n))
		return fail(&s->why, "empty tag (\";;\")");
	if (required(&tl, kind, s) != FG_OK)
		return FG_ESYNTAX;
	if (!algorithm(fg_tagvalue_get(&tl, "a"), &s->alg))
		return fail(&s->why, "unknown algorithm (a=)");
	if (kind != FG_SIG_AS && (v = fg_tagvalue_get(&tl, "c")) != NULL) {
		if (!canon(v, s))
			return fail(&s->why, "unknown canonicalization (c=)");
		s->has_c = 1;
	}
	if (!dns_name(fg_tagvalue_get(&tl, "d"), s->d, sizeof(s->d), 1))
		return fail(&s->why, "d= is not a domain name");
	if (!dns_name(fg_tagvalue_get(&tl, "s"), s->s, sizeof(s->s), 0))
		return fail(&s->why, "s= is not a selector");
	if (kind != FG_SIG_AS &&
	    headers(fg_tagvalue_get(&tl, "h"), kind, s) != FG_OK)
		return FG_ESYNTAX;
	if (kind != FG_SIG_DKIM) {
		if (arc_tags(&tl, kind, s) != FG_OK)
			return FG_ESYNTAX;
	} else if ((v = fg_tagvalue_get(&tl, "i")) != NULL &&
		   identity(v, s) != FG_OK) {
		return FG_ESYNTAX;
	}
	if (kind != FG_SIG_AS && (v = fg_tagvalue_get(&tl, "l")) != NULL) {
		if (!number(v, UINT64_MAX, &l))
			return fail(&s->why, "l= is not a number");
		s->has_l = 1;
		s->l = l;
	}
	if ((v = fg_tagvalue_get(&tl, "q")) != NULL && !query(v))
		return fail(&s->why, "no known query method (q=)");
	if (times(&tl, s) != FG_OK)
		return FG_ESYNTAX;
	return signature_bytes(
		p, n, fg_tagvalue_get(&tl, "b"),
		kind == FG_SIG_AS ? NULL : fg_tagvalue_get(&tl, "bh"), s);
}

/* list_has - a colon-separated list holds item (case-insensitively) */
static int
list_has(const struct fg_view *v, const char *item)
{
	size_t i = 0;

	while (i <= v->n) {
		const char *c = memchr(v->p + i, ':', v->n - i);
		size_t e = c ? (size_t)(c - v->p) : v->n;
		struct fg_view m = trimmed(v->p + i, e - i);

		if (fg_str_caseeqz(m.p, m.n, item))
			return 1;
		i = e + 1;
	}
	return 0;
}

/* key_flags - h=, s=, t= of a key record */
static enum fg_err
key_flags(const struct fg_taglist *tl, struct fg_dkimkey *k)
{
	const struct fg_view *v;

	k->sha1_ok = k->sha256_ok = 1;
	if ((v = fg_tagvalue_get(tl, "h")) != NULL) {
		k->sha1_ok = list_has(v, "sha1");
		k->sha256_ok = list_has(v, "sha256");
	}
	if ((v = fg_tagvalue_get(tl, "s")) != NULL && !list_has(v, "*") &&
	    !list_has(v, "email"))
		return fail(&k->why, "key not for email (s=)");
	if ((v = fg_tagvalue_get(tl, "t")) != NULL) {
		k->testing = list_has(v, "y");
		k->strict = list_has(v, "s");
	}
	return FG_OK;
}

/* fg_dkimkey_parse - one key record */
enum fg_err
fg_dkimkey_parse(const char *p, size_t n, struct fg_dkimkey *k)
{
	struct fg_taglist tl;
	const struct fg_view *v;

	memset(k, 0, sizeof(*k));
	if (fg_tagvalue_parse(p, n, &tl) != FG_OK)
		return fail(&k->why, "key record does not parse");
	/* v=, when present, must come first and say DKIM1 (3.6.1) */
	v = fg_tagvalue_get(&tl, "v");
	if (v != NULL &&
	    (v != &tl.t[0].value || !fg_str_eq(v->p, v->n, "DKIM1", 5)))
		return fail(&k->why, "key record version is not DKIM1");
	v = fg_tagvalue_get(&tl, "k");
	if (v == NULL || fg_str_caseeqz(v->p, v->n, "rsa"))
		k->ktype = FG_DKIM_K_RSA;
	else if (fg_str_caseeqz(v->p, v->n, "ed25519"))
		k->ktype = FG_DKIM_K_ED25519;
	else
		return fail(&k->why, "unknown key type (k=)");
	if (key_flags(&tl, k) != FG_OK)
		return FG_ESYNTAX;
	v = fg_tagvalue_get(&tl, "p");
	if (v == NULL)
		return fail(&k->why, "key record has no p=");
	if (v->n == 0) {
		k->revoked = 1;
		return FG_OK;
	}
	if (fg_base64_decode(v->p, v->n, k->p, sizeof(k->p), &k->plen) !=
		    FG_OK ||
	    k->plen == 0)
		return fail(&k->why, "p= is not base64");
	return FG_OK;
}

/* fg_dkim_alg_name - "rsa-sha256", ... */
const char *
fg_dkim_alg_name(enum fg_dkim_alg a)
{
	switch (a) {
	case FG_DKIM_RSA_SHA256:
		return "rsa-sha256";
	case FG_DKIM_RSA_SHA1:
		return "rsa-sha1";
	case FG_DKIM_ED25519_SHA256:
		return "ed25519-sha256";
	}
	return "?";
}
