/*
 * NAME
 *	spfrec - parse SPF records (RFC 7208 section 12)
 * SYNOPSIS
 *	#include "forgeguard/spfrec.h"
 * DESCRIPTION
 *	Splits a record into terms and checks every one against the ABNF:
 *	qualifiers, mechanism names (case-insensitive), domain-specs made of
 *	macro-strings that end in a toplabel or a macro, ip4/ip6 networks
 *	with strict octets and prefix lengths, dual cidr lengths bound at
 *	the end of the term (so "a:foo:bar/baz.example.com" is a domain),
 *	redirect= and exp= at most once, unknown modifiers syntactically
 *	valid.  Macro transformers are bounded (1-3 digits, non-zero).
 * STANDARDS
 *	RFC 7208 4.5 (record selection), 4.6 (terms), 5 (mechanisms),
 *	6 (modifiers), 7.1 (macro syntax), 12 (ABNF).
 * DIAGNOSTICS
 *	FG_ESYNTAX with a reason and the byte offset in the record.
 */
#include <string.h>

#include "forgeguard/spfrec.h"

static const struct {
	const char *name;
	enum fg_spf_mech kind;
} mechs[] = {
	{ "all", FG_SPF_ALL }, { "include", FG_SPF_INCLUDE },
	{ "a", FG_SPF_A },     { "mx", FG_SPF_MX },
	{ "ptr", FG_SPF_PTR }, { "ip4", FG_SPF_IP4 },
	{ "ip6", FG_SPF_IP6 }, { "exists", FG_SPF_EXISTS },
};

/* fg_spfrec_is_spf - does a TXT record select itself as SPF */
int
fg_spfrec_is_spf(const char *p, size_t n)
{
	return n >= 6 && fg_str_caseeq(p, 6, "v=spf1", 6) &&
	       (n == 6 || p[6] == ' ');
}

/* fail - record an error */
static enum fg_err
fail(struct fg_spf_record *r, size_t pos, const char *why)
{
	r->errpos = pos;
	r->why = why;
	return FG_ESYNTAX;
}

/* is_delim - macro delimiter characters (7.1) */
static int
is_delim(int c)
{
	return c != '\0' && strchr(".-+,/_=", c) != NULL;
}

/* macro_expand - "%{...}", "%%", "%_", "%-" at p[i]; new i or 0 */
static size_t
macro_expand(const char *p, size_t n, size_t i, int exp)
{
	size_t digits = 0;
	int letter;

	if (i + 1 >= n)
		return 0;
	if (p[i + 1] == '%' || p[i + 1] == '_' || p[i + 1] == '-')
		return i + 2;
	if (p[i + 1] != '{' || i + 2 >= n)
		return 0;
	i += 2;
	letter = FG_TO_LOWER((unsigned char)p[i]);
	if (letter == '\0' || !strchr("slodiphcrtv", letter))
		return 0;
	if (!exp && strchr("crt", letter))
		return 0; /* 7.3: only in exp */
	i++;
	while (i < n && FG_IS_DIGIT((unsigned char)p[i])) {
		if (++digits > 3 || (digits == 1 && p[i] == '0'))
			return 0; /* nonzero, bounded */
		i++;
	}
	if (i < n && FG_TO_LOWER((unsigned char)p[i]) == 'r')
		i++;
	while (i < n && is_delim((unsigned char)p[i]))
		i++;
	if (i >= n || p[i] != '}')
		return 0;
	return i + 1;
}

/* fg_spfrec_macro_string - is p[0..n) a valid macro-string */
int
fg_spfrec_macro_string(const char *p, size_t n, int exp, int *has_macro,
		       size_t *errpos)
{
	size_t i = 0;

	*has_macro = 0;
	while (i < n) {
		int c = (unsigned char)p[i];

		if (c == '%') {
			size_t j = macro_expand(p, n, i, exp);

			if (j == 0) {
				*errpos = i;
				return 0;
			}
			*has_macro = 1;
			i = j;
		} else if ((c >= 0x21 && c <= 0x7e) || (c == ' ' && exp)) {
			i++;
		} else {
			*errpos = i;
			return 0;
		}
	}
	return 1;
}

/* is_toplabel - RFC 7208 toplabel: LDH, not all-numeric, no edge '-' */
static int
is_toplabel(const char *p, size_t n)
{
	size_t i;
	int alpha = 0, dash = 0;

	if (n == 0 || p[0] == '-' || p[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (FG_IS_ALPHA(c))
			alpha = 1;
		else if (c == '-')
			dash = 1;
		else if (!FG_IS_DIGIT(c))
			return 0;
	}
	return alpha || dash;
}

/* domain_spec - macro-string domain-end */
static int
domain_spec(const char *p, size_t n, int *has_macro, size_t *errpos)
{
	size_t end = n, dot;

	if (n == 0) {
		*errpos = 0;
		return 0;
	}
	if (!fg_spfrec_macro_string(p, n, 0, has_macro, errpos))
		return 0;
	/* domain-end: a macro-expand, or "." toplabel [ "." ] */
	if (p[n - 1] == '}' || (n >= 2 && p[n - 2] == '%'))
		return 1;
	if (p[end - 1] == '.')
		end--;
	for (dot = end; dot > 0 && p[dot - 1] != '.'; dot--)
		;
	if (dot == 0 || !is_toplabel(p + dot, end - dot)) {
		*errpos = dot;
		return 0;
	}
	return 1;
}

/* cidr_len - "/N": digits without a leading zero, at most max */
static int
cidr_len(const char *p, size_t n, int max)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 3 || (n > 1 && p[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (!FG_IS_DIGIT((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v <= max ? v : -1;
}

/* trailing_digits - the digits at the end of p[0..n), as a start index */
static size_t
trailing_digits(const char *p, size_t n)
{
	while (n > 0 && FG_IS_DIGIT((unsigned char)p[n - 1]))
		n--;
	return n;
}

/* dual_cidr - strip "[/N4][//N6]" from the end; the length left, or -1 */
static long
dual_cidr(const char *p, size_t n, struct fg_spf_term *t)
{
	size_t d = trailing_digits(p, n);

	t->cidr4 = t->cidr6 = -1;
	if (d == n || d == 0 || p[d - 1] != '/')
		return (long)n;
	if (d >= 2 && p[d - 2] == '/') {
		t->cidr6 = cidr_len(p + d, n - d, 128);
		if (t->cidr6 < 0)
			return -1;
		n = d - 2;
		d = trailing_digits(p, n);
		if (d == n || d == 0 || p[d - 1] != '/')
			return (long)n;
	}
	t->cidr4 = cidr_len(p + d, n - d, 32);
	return t->cidr4 < 0 ? -1 : (long)(d - 1);
}

/* strict_ip4 - dotted quad, no leading zeros (ip4-network, qnum) */
static int
strict_ip4(const char *p, size_t n, struct fg_ip *ip)
{
	size_t i, start = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || p[i] == '.') {
			if (i - start > 1 && p[start] == '0')
				return 0;
			start = i + 1;
		}
	}
	return fg_ipaddr_parse4(p, n, ip) == FG_OK;
}

/* network - ip4/ip6 argument with its optional prefix */
static enum fg_err
network(struct fg_spf_record *r, struct fg_spf_term *t, size_t base)
{
	const char *p = t->arg.p, *slash;
	size_t n = t->arg.n, an;
	int v6 = t->kind == FG_SPF_IP6, len;

	slash = memchr(p, '/', n);
	an = slash ? (size_t)(slash - p) : n;
	if (v6 ? fg_ipaddr_parse6(p, an, &t->net.ip) != FG_OK
	       : !strict_ip4(p, an, &t->net.ip))
		return fail(r, base,
			    v6 ? "bad ip6 network" : "bad ip4 network");
	len = v6 ? 128 : 32;
	if (slash != NULL) {
		len = cidr_len(slash + 1, n - an - 1, v6 ? 128 : 32);
		if (len < 0)
			return fail(r, base + an, "bad prefix length");
	}
	t->net.prefix = (unsigned)len;
	return FG_OK;
}

/* mechanism - one directive */
static enum fg_err
mechanism(struct fg_spf_record *r, const char *p, size_t n, size_t base)
{
	struct fg_spf_term *t = &r->t[r->n];
	size_t i = 0, nl, k;
	size_t pos;
	long dn;

	t->qualifier = '+';
	if (n > 0 && strchr("+-~?", p[0]) != NULL)
		t->qualifier = p[i++];
	for (nl = i; nl < n && p[nl] != ':' && p[nl] != '/'; nl++)
		;
	t->name.p = p + i;
	t->name.n = nl - i;
	for (k = 0; k < sizeof(mechs) / sizeof(mechs[0]); k++)
		if (fg_str_caseeqz(p + i, nl - i, mechs[k].name))
			break;
	if (k == sizeof(mechs) / sizeof(mechs[0]))
		return fail(r, base + i, "unknown mechanism");
	t->kind = mechs[k].kind;
	t->cidr4 = t->cidr6 = -1;
	if (t->kind == FG_SPF_ALL)
		return nl == n ? FG_OK
			       : fail(r, base + nl, "all takes nothing");
	if (t->kind == FG_SPF_IP4 || t->kind == FG_SPF_IP6) {
		if (nl == n || p[nl] != ':')
			return fail(r, base + nl, "network missing");
		t->arg.p = p + nl + 1;
		t->arg.n = n - nl - 1;
		return network(r, t, base + nl + 1);
	}
	dn = (long)n;
	if (t->kind == FG_SPF_A || t->kind == FG_SPF_MX) {
		dn = dual_cidr(p, n, t);
		if (dn < 0 || (size_t)dn < nl)
			return fail(r, base + nl, "bad cidr length");
	}
	if ((size_t)dn == nl) {
		if (t->kind == FG_SPF_INCLUDE || t->kind == FG_SPF_EXISTS)
			return fail(r, base + nl, "domain-spec missing");
		return FG_OK;
	}
	if (p[nl] != ':')
		return fail(r, base + nl, "expected \":\"");
	t->arg.p = p + nl + 1;
	t->arg.n = (size_t)dn - nl - 1;
	if (!domain_spec(t->arg.p, t->arg.n, &t->has_macro, &pos))
		return fail(r, base + nl + 1 + pos, "bad domain-spec");
	return FG_OK;
}

/* modifier - name "=" value */
static enum fg_err
modifier(struct fg_spf_record *r, const char *p, size_t n, size_t eq,
	 size_t base)
{
	struct fg_spf_term *t = &r->t[r->n];
	size_t pos;

	t->name.p = p;
	t->name.n = eq;
	t->arg.p = p + eq + 1;
	t->arg.n = n - eq - 1;
	t->cidr4 = t->cidr6 = -1;
	if (fg_str_caseeqz(p, eq, "redirect") || fg_str_caseeqz(p, eq, "exp")) {
		int redirect = FG_TO_LOWER((unsigned char)p[0]) == 'r';
		int *slot = redirect ? &r->redirect : &r->exp;

		t->kind = redirect ? FG_SPF_REDIRECT : FG_SPF_EXP;
		if (*slot >= 0)
			return fail(r, base,
				    redirect ? "redirect= twice"
					     : "exp= twice");
		*slot = (int)r->n;
		if (!domain_spec(t->arg.p, t->arg.n, &t->has_macro, &pos))
			return fail(r, base + eq + 1 + pos, "bad domain-spec");
		return FG_OK;
	}
	t->kind = FG_SPF_UNKNOWN_MOD;
	if (!fg_spfrec_macro_string(t->arg.p, t->arg.n, 0, &t->has_macro, &pos))
		return fail(r, base + eq + 1 + pos, "bad modifier value");
	return FG_OK;
}

/* modifier_eq - where "name=" ends, when the term is a modifier */
static size_t
modifier_eq(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || !FG_IS_ALPHA((unsigned char)p[0]))
		return 0;
	for (i = 1; i < n; i++) {
		int c = (unsigned char)p[i];

		if (c == '=')
			return i;
		if (!FG_IS_ALNUM(c) && c != '-' && c != '_' && c != '.')
			return 0;
	}
	return 0;
}

/* fg_spfrec_parse - parse a record */
enum fg_err
fg_spfrec_parse(const char *p, size_t n, struct fg_spf_record *r)
{
	size_t i = 6;
	enum fg_err err;

	memset(r, 0, sizeof(*r));
	r->redirect = r->exp = -1;
	if (n > FG_SPF_RECORD_MAX)
		return fail(r, FG_SPF_RECORD_MAX, "record too long");
	if (!fg_spfrec_is_spf(p, n))
		return fail(r, 0, "not an SPF record");
	while (i < n) {
		size_t start, eq;

		if (p[i] != ' ')
			return fail(r, i, "terms must be separated by blanks");
		while (i < n && p[i] == ' ')
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && p[i] != ' ')
			i++;
		if (r->n >= FG_SPF_TERMS_MAX)
			return fail(r, start, "too many terms");
		eq = modifier_eq(p + start, i - start);
		err = eq ? modifier(r, p + start, i - start, eq, start)
			 : mechanism(r, p + start, i - start, start);
		if (err)
			return err;
		switch (r->t[r->n].kind) {
		case FG_SPF_INCLUDE:
		case FG_SPF_A:
		case FG_SPF_MX:
		case FG_SPF_PTR:
		case FG_SPF_EXISTS:
		case FG_SPF_REDIRECT:
			r->lookups++;
			break;
		default:
			break;
		}
		r->n++;
	}
	return FG_OK;
}
