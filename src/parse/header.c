/*
 * NAME
 *	header - From: mailbox lists and Authentication-Results ids
 * SYNOPSIS
 *	#include "forgeguard/header.h"
 * DESCRIPTION
 *	A cursor over the field body skips comments (nested, bounded)
 *	and folding white space, and reads the lexical tokens of RFC 5322
 *	3.2: atoms (dots allowed, for obs-phrase and obs-local-part),
 *	quoted strings, domain literals and specials.  A mailbox is either
 *	an addr-spec or a phrase followed by an angle-addr (an obsolete
 *	route before the addr-spec is skipped); a group ("name: a, b;")
 *	contributes its members.  Bytes >= 0x80 are taken as atext (RFC
 *	6532); RFC 2047 encoded words are plain atoms here.
 * STANDARDS
 *	RFC 5322 3.2.1-3.2.5, 3.4, 3.4.1, 3.6.2, 4.4; RFC 6532 3.2; RFC
 *	6854 (groups in From:); RFC 8601 2.2 (authserv-id).
 * DIAGNOSTICS
 *	FG_ESYNTAX with why and errpos.
 */
#include <string.h>

#include "forgeguard/domain.h"
#include "forgeguard/header.h"
#include "forgeguard/str.h"

/* Comment nesting followed in a header field. */
#define HDR_COMMENT_DEPTH 16

enum ttype { T_END, T_ATOM, T_QUOTED, T_LITERAL, T_SPECIAL, T_ERROR };

struct lex {
	const char *p;
	size_t n, i;
	enum ttype t;
	size_t ts, te; /* the token's bytes: p[ts..te) */
	const char *why;
};

/* is_atext - RFC 5322 3.2.3 atext, plus "." and 8-bit bytes */
static int
is_atext(unsigned char c)
{
	if (FG_IS_ALNUM(c) || FG_IS_8BIT(c) || c == '.')
		return 1;
	return c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* skip_cfws - blanks, folding and comments; 0 on an unclosed comment */
static int
skip_cfws(struct lex *l)
{
	int depth = 0;

	for (; l->i < l->n; l->i++) {
		char c = l->p[l->i];

		if (depth == 0 && !FG_IS_SPACE(c) && c != '(')
			return 1;
		if (c == '\\' && depth > 0 && l->i + 1 < l->n)
			l->i++;
		else if (c == '(' && ++depth > HDR_COMMENT_DEPTH)
			return 0;
		else if (c == ')' && depth > 0)
			depth--;
	}
	return depth == 0;
}

/* run_to - the end of a quoted string or literal opened at i */
static int
run_to(struct lex *l, char close)
{
	for (l->i++; l->i < l->n; l->i++) {
		char c = l->p[l->i];

		if (c == '\\' && l->i + 1 < l->n)
			l->i++;
		else if (c == close) {
			l->i++;
			return 1;
		} else if (c == '\0' || (c == '[' && close == ']'))
			return 0;
	}
	return 0;
}

/* next - the next token */
static void
next(struct lex *l)
{
	unsigned char c;

	if (!skip_cfws(l)) {
		l->t = T_ERROR;
		l->why = "unclosed or too deep comment";
		return;
	}
	l->ts = l->i;
	if (l->i >= l->n) {
		l->t = T_END;
		l->te = l->i;
		return;
	}
	c = (unsigned char)l->p[l->i];
	if (c == '"' || c == '[') {
		l->t = c == '"' ? T_QUOTED : T_LITERAL;
		if (!run_to(l, c == '"' ? '"' : ']')) {
			l->t = T_ERROR;
			l->why = c == '"' ? "unclosed quoted string"
					  : "unclosed domain literal";
		}
	} else if (is_atext(c)) {
		l->t = T_ATOM;
		while (l->i < l->n && is_atext((unsigned char)l->p[l->i]))
			l->i++;
	} else if (c != '\0' && strchr("<>@,:;", c) != NULL) {
		l->t = T_SPECIAL;
		l->i++;
	} else {
		l->t = T_ERROR;
		l->why = "character not allowed here";
	}
	l->te = l->i;
}

/* is_special - the current token is special character c */
static int
is_special(const struct lex *l, char c)
{
	return l->t == T_SPECIAL && l->p[l->ts] == c;
}

/* fail - record an error at the current token */
static enum fg_err
fail(struct fg_from *out, const struct lex *l, const char *why)
{
	if (out->why == NULL) {
		out->why = l->t == T_ERROR ? l->why : why;
		out->errpos = l->ts;
	}
	return FG_ESYNTAX;
}

/* keep - record one addr-spec p[ls..le) "@" p[ds..de) */
static enum fg_err
keep(struct fg_from *out, const struct lex *l, size_t ls, size_t le, size_t ds,
     size_t de)
{
	size_t need, at, k, bad;
	char *a;

	out->count++;
	if (l->p[ds] != '[' &&
	    fg_domain_check(l->p + ds, de - ds,
			    FG_DOMAIN_UTF8 | FG_DOMAIN_TRAILING_DOT |
				    FG_DOMAIN_UNDERSCORE,
			    NULL, &bad) != FG_OK)
		return fail(out, l, "domain is not a host name");
	if (de - ds > 1 && l->p[de - 1] == '.')
		de--;
	if (le - ls > FG_LOCAL_PART_MAX * 4 || de - ds > FG_DOMAIN_MAX)
		return fail(out, l, "address too long");
	need = (le - ls) + 1 + (de - ds) + 1;
	if (out->n == FG_FROM_ADDRS_MAX || out->used + need > FG_FROM_ARENA)
		return FG_OK; /* counted, not kept */
	a = out->arena + out->used;
	memcpy(a, l->p + ls, le - ls);
	at = le - ls;
	a[at] = '@';
	memcpy(a + at + 1, l->p + ds, de - ds);
	a[need - 1] = '\0';
	for (k = at + 1; k + 1 < need; k++)
		a[k] = (char)FG_TO_LOWER((unsigned char)a[k]);
	out->off[out->n] = (unsigned short)out->used;
	out->dom[out->n] = (unsigned short)(out->used + at + 1);
	out->n++;
	out->used += need;
	return FG_OK;
}

/* addr_spec - local-part "@" domain, the local part already read */
static enum fg_err
addr_spec(struct fg_from *out, struct lex *l, size_t ls, size_t le)
{
	size_t ds;

	if (!is_special(l, '@'))
		return fail(out, l, "expected @ after the local part");
	next(l);
	if (l->t != T_ATOM && l->t != T_LITERAL)
		return fail(out, l, "expected a domain after @");
	ds = l->ts;
	if (keep(out, l, ls, le, ds, l->te) != FG_OK)
		return FG_ESYNTAX;
	next(l);
	return FG_OK;
}

/* angle_addr - "<" [route ":"] addr-spec ">" */
static enum fg_err
angle_addr(struct fg_from *out, struct lex *l)
{
	size_t ls;

	next(l);
	if (is_special(l, '@')) { /* obs-route: "@a,@b:" */
		while (l->t != T_END && !is_special(l, ':') && l->t != T_ERROR)
			next(l);
		if (!is_special(l, ':'))
			return fail(out, l, "unterminated source route");
		next(l);
	}
	if (is_special(l, '>'))
		return fail(out, l, "empty angle address");
	if (l->t != T_ATOM && l->t != T_QUOTED)
		return fail(out, l, "expected a local part");
	ls = l->ts;
	next(l);
	if (addr_spec(out, l, ls, l->ts) != FG_OK)
		return FG_ESYNTAX;
	if (!is_special(l, '>'))
		return fail(out, l, "expected > after the address");
	next(l);
	return FG_OK;
}

/* mailbox - one mailbox, or a group of them */
static enum fg_err
mailbox(struct fg_from *out, struct lex *l, int in_group)
{
	size_t words = 0, first_s = l->ts, last_e = l->ts;

	while (l->t == T_ATOM || l->t == T_QUOTED) {
		if (words == 0)
			first_s = l->ts;
		last_e = l->te;
		words++;
		next(l);
	}
	if (is_special(l, '<'))
		return angle_addr(out, l);
	if (is_special(l, '@') && words == 1) {
		/* an addr-spec: the local part is the one word read */
		size_t le = last_e;

		return addr_spec(out, l, first_s, le);
	}
	if (is_special(l, ':') && words > 0 && !in_group) {
		out->group = 1;
		next(l);
		while (l->t != T_END && !is_special(l, ';')) {
			if (is_special(l, ',')) {
				next(l);
				continue;
			}
			if (mailbox(out, l, 1) != FG_OK)
				return FG_ESYNTAX;
		}
		if (!is_special(l, ';'))
			return fail(out, l, "group without its closing ;");
		next(l);
		return FG_OK;
	}
	return fail(out, l,
		    words ? "a name without an address"
			  : "expected an address");
}

/* fg_header_from_parse - the addresses of a From: field body */
enum fg_err
fg_header_from_parse(const char *p, size_t n, struct fg_from *out)
{
	struct lex l = { p, n, 0, T_END, 0, 0, NULL };

	memset(out, 0, sizeof(*out));
	next(&l);
	if (l.t == T_END)
		return fail(out, &l, "empty field");
	for (;;) {
		if (mailbox(out, &l, 0) != FG_OK)
			return FG_ESYNTAX;
		if (l.t == T_END)
			break;
		if (!is_special(&l, ','))
			return fail(out, &l, "expected , between addresses");
		next(&l);
		while (is_special(&l, ',')) /* obs-mbox-list: empty items */
			next(&l);
		if (l.t == T_END)
			break;
	}
	if (out->count == 0)
		return fail(out, &l, "no address");
	return FG_OK;
}

/* fg_header_authserv_id - the authserv-id of an A-R field body */
enum fg_err
fg_header_authserv_id(const char *p, size_t n, char *id, size_t cap)
{
	struct lex l = { p, n, 0, T_END, 0, 0, NULL };
	size_t s, e;

	if (cap == 0)
		return FG_EINVAL;
	id[0] = '\0';
	next(&l);
	if (l.t != T_ATOM && l.t != T_QUOTED)
		return FG_ESYNTAX;
	s = l.ts;
	e = l.te;
	if (l.t == T_QUOTED)
		s++, e--;
	if (fg_str_copy(id, cap, p + s, e - s) != FG_OK)
		return FG_ETOOLONG;
	return FG_OK;
}

/* fg_header_name_is - field name equality, ASCII case-insensitive */
int
fg_header_name_is(const char *name, const char *want)
{
	return fg_str_caseeqz(name, strlen(name), want);
}
