/*
 * NAME
 *	addr - parse SMTP envelope paths and ESMTP parameters
 * SYNOPSIS
 *	#include "forgeguard/addr.h"
 * DESCRIPTION
 *	A cursor parser for the RFC 5321 Path grammar: optional source
 *	route, Dot-string or Quoted-string local part, Domain or address
 *	literal, and the null reverse-path.  UTF-8 is accepted where RFC
 *	6531 allows it and recorded; the caller decides whether SMTPUTF8 was
 *	negotiated.
 * STANDARDS
 *	RFC 5321 4.1.2 (Path, Mailbox, Local-part, esmtp-param), 4.1.3
 *	(address literals), 4.5.3.1 (sizes); RFC 6531 3.3 (UTF-8).
 * DIAGNOSTICS
 *	FG_ESYNTAX or FG_ETOOLONG with why and the byte offset.
 */
#include <string.h>

#include "forgeguard/addr.h"
#include "forgeguard/domain.h"

struct cur {
	const char *p;
	size_t n;
	size_t i;
};

/* is_atext - RFC 5322 atext, plus UTF-8 bytes (RFC 6531) */
static int
is_atext(int c)
{
	if (FG_IS_ALNUM(c) || FG_IS_8BIT(c))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* fail - record an error at the cursor */
static enum fg_err
fail(struct fg_path *out, const struct cur *c, const char *why, enum fg_err err)
{
	out->why = why;
	out->errpos = c->i;
	return err;
}

/* canon_put - append to the canonical address, bounded */
static enum fg_err
canon_put(struct fg_path *out, size_t *len, int ch)
{
	if (*len >= FG_ADDR_MAX)
		return FG_ETOOLONG;
	out->addr[(*len)++] = (char)ch;
	out->addr[*len] = '\0';
	return FG_OK;
}

/* parse_route - "@dom,@dom:" (RFC 5321 A-d-l), facts only */
static enum fg_err
parse_route(struct cur *c, struct fg_path *out)
{
	size_t start = c->i;

	while (c->i < c->n && c->p[c->i] == '@') {
		size_t d = ++c->i, pos;

		while (c->i < c->n && c->p[c->i] != ',' && c->p[c->i] != ':')
			c->i++;
		if (fg_domain_check(c->p + d, c->i - d, FG_DOMAIN_UTF8, NULL,
				    &pos) != FG_OK) {
			c->i = d + pos;
			return fail(out, c, "bad domain in source route",
				    FG_ESYNTAX);
		}
		if (c->i - start > FG_ROUTE_MAX)
			return fail(out, c, "source route too long",
				    FG_ETOOLONG);
		if (c->i >= c->n)
			return fail(out, c, "unterminated source route",
				    FG_ESYNTAX);
		if (c->p[c->i++] == ':') {
			out->has_route = 1;
			return FG_OK;
		}
	}
	return fail(out, c, "bad source route", FG_ESYNTAX);
}

/* parse_quoted - Quoted-string, unquoted into the canonical form */
static enum fg_err
parse_quoted(struct cur *c, struct fg_path *out, size_t *len)
{
	c->i++; /* opening quote */
	out->is_quoted = 1;
	for (;;) {
		int ch;

		if (c->i >= c->n)
			return fail(out, c, "unclosed quoted string",
				    FG_ESYNTAX);
		ch = (unsigned char)c->p[c->i];
		if (ch == '"') {
			c->i++;
			return FG_OK;
		}
		if (ch == '\\') {
			c->i++;
			if (c->i >= c->n)
				return fail(out, c, "unclosed quoted string",
					    FG_ESYNTAX);
			ch = (unsigned char)c->p[c->i];
			if (!FG_IS_PRINT(ch))
				return fail(out, c,
					    "bad quoted pair in local part",
					    FG_ESYNTAX);
		} else if (!FG_IS_PRINT(ch) && !FG_IS_8BIT(ch)) {
			return fail(out, c, "control character in local part",
				    FG_ESYNTAX);
		}
		if (FG_IS_8BIT(ch))
			out->has_8bit = 1;
		if (canon_put(out, len, ch) != FG_OK ||
		    *len > FG_LOCAL_PART_MAX)
			return fail(out, c, "local part too long", FG_ETOOLONG);
		c->i++;
	}
}

/* parse_dotstring - Dot-string: Atom *("." Atom) */
static enum fg_err
parse_dotstring(struct cur *c, struct fg_path *out, size_t *len)
{
	int need_atext = 1;

	while (c->i < c->n) {
		int ch = (unsigned char)c->p[c->i];

		if (ch == '.') {
			if (need_atext)
				return fail(out, c,
					    "empty atom in local part (dot at "
					    "start, end or twice)",
					    FG_ESYNTAX);
			need_atext = 1;
		} else if (is_atext(ch)) {
			need_atext = 0;
			if (FG_IS_8BIT(ch))
				out->has_8bit = 1;
		} else {
			break;
		}
		if (canon_put(out, len, ch) != FG_OK ||
		    *len > FG_LOCAL_PART_MAX)
			return fail(out, c, "local part too long", FG_ETOOLONG);
		c->i++;
	}
	if (*len == 0)
		return fail(out, c, "empty local part", FG_ESYNTAX);
	if (need_atext)
		return fail(out, c, "local part ends with a dot", FG_ESYNTAX);
	return FG_OK;
}

/* domain_end - where the domain stops: '>', or the end, or a space */
static size_t
domain_end(const struct cur *c, int bracketed)
{
	size_t j = c->i;

	if (j < c->n && c->p[j] == '[') {
		while (j < c->n && c->p[j] != ']')
			j++;
		return j < c->n ? j + 1 : j;
	}
	while (j < c->n && c->p[j] != '>' && !(c->p[j] == ' ' && !bracketed))
		j++;
	return j;
}

/* parse_domain - Domain or address-literal after the "@" */
static enum fg_err
parse_domain(struct cur *c, struct fg_path *out, size_t *len, int bracketed)
{
	size_t e = domain_end(c, bracketed), pos, k;
	const char *d = c->p + c->i;
	size_t dn = e - c->i;
	struct fg_domain_info info;
	enum fg_err err;

	out->domain.p = d;
	out->domain.n = dn;
	if (dn == 0)
		return fail(out, c, "empty domain", FG_ESYNTAX);
	if (d[0] == '[') {
		if (d[dn - 1] != ']')
			return fail(out, c, "unclosed address literal",
				    FG_ESYNTAX);
		out->domain_literal = 1;
		if (dn > 7 && fg_str_caseeq(d + 1, 5, "IPv6:", 5))
			err = fg_ipaddr_parse6(d + 6, dn - 7,
					       &out->literal_ip) == FG_OK &&
					      fg_ipaddr_smtp6_ok(d + 6, dn - 7)
				      ? FG_OK
				      : FG_ESYNTAX;
		else
			err = fg_ipaddr_parse4(d + 1, dn - 2, &out->literal_ip);
		if (err)
			return fail(out, c, "bad address literal", FG_ESYNTAX);
	} else {
		err = fg_domain_check(d, dn, FG_DOMAIN_UTF8, &info, &pos);
		if (err) {
			c->i += pos;
			return fail(out, c,
				    err == FG_ETOOLONG ? "domain too long"
						       : "bad domain",
				    err);
		}
		if (info.has_8bit)
			out->has_8bit = 1;
	}
	for (k = 0; k < dn; k++) {
		int ch = (unsigned char)d[k];

		if (canon_put(out, len, FG_TO_LOWER(ch)) != FG_OK)
			return fail(out, c, "address too long", FG_ETOOLONG);
	}
	c->i = e;
	return FG_OK;
}

/* parse_mailbox - Local-part "@" domain, or bare "Postmaster" */
static enum fg_err
parse_mailbox(struct cur *c, struct fg_path *out, int bracketed)
{
	size_t len = 0, lstart = c->i;
	enum fg_err err;

	if (c->i < c->n && c->p[c->i] == '"')
		err = parse_quoted(c, out, &len);
	else
		err = parse_dotstring(c, out, &len);
	if (err)
		return err;
	out->local.p = c->p + lstart;
	out->local.n = c->i - lstart;
	/* RFC 5321 4.5.3.1.1 counts the local part as sent, quotes included */
	if (out->local.n > FG_LOCAL_PART_MAX)
		return fail(out, c, "local part too long", FG_ETOOLONG);
	if (c->i >= c->n || c->p[c->i] != '@') {
		if (bracketed &&
		    fg_str_caseeqz(out->local.p, out->local.n, "postmaster") &&
		    c->i < c->n && c->p[c->i] == '>') {
			out->postmaster_bare = 1;
			out->addr_at = len;
			return FG_OK;
		}
		return fail(
			out, c,
			c->i < c->n && c->p[c->i] == '"'
				? "quote inside local part"
				: "missing @ or bad character in local part",
			FG_ESYNTAX);
	}
	out->addr_at = len;
	if (canon_put(out, &len, '@') != FG_OK)
		return fail(out, c, "address too long", FG_ETOOLONG);
	c->i++;
	err = parse_domain(c, out, &len, bracketed);
	if (err)
		return err;
	/* RFC 5321 4.5.3.1.3: a path is at most 256 octets with its
	 * brackets, so a mailbox at most 254 */
	if (out->local.n + 1 + out->domain.n > FG_MAILBOX_MAX)
		return fail(out, c, "address longer than 254 octets",
			    FG_ETOOLONG);
	return FG_OK;
}

/* fg_addr_parse_path - parse a Reverse-path or Forward-path */
enum fg_err
fg_addr_parse_path(const char *p, size_t n, int flags, struct fg_path *out)
{
	struct cur c = { p, n, 0 };
	enum fg_err err;

	memset(out, 0, sizeof(*out));
	if (n > FG_CMDLINE_MAX)
		return fail(out, &c, "address too long", FG_ETOOLONG);
	if (n > 0 && p[0] == '<') {
		out->bracketed = 1;
		c.i = 1;
	} else if (!(flags & FG_ADDR_BARE)) {
		return fail(out, &c, "missing <", FG_ESYNTAX);
	}
	if (out->bracketed && c.i < n && p[c.i] == '>') {
		out->is_null = 1;
		c.i++;
	} else {
		if (out->bracketed && c.i < n && p[c.i] == '@') {
			err = parse_route(&c, out);
			if (err)
				return err;
		}
		err = parse_mailbox(&c, out, out->bracketed);
		if (err)
			return err;
		if (out->bracketed) {
			if (c.i >= n || p[c.i] != '>')
				return fail(out, &c, "missing >", FG_ESYNTAX);
			c.i++;
		}
	}
	out->end = c.i;
	if (c.i < n && !((flags & FG_ADDR_PREFIX) && p[c.i] == ' '))
		return fail(out, &c, "unexpected text after the address",
			    FG_ESYNTAX);
	if (out->bracketed && out->end > FG_PATH_MAX + FG_ROUTE_MAX)
		return fail(out, &c, "path too long", FG_ETOOLONG);
	return FG_OK;
}

/* fg_addr_domain - canonical domain part of a parsed path */
const char *
fg_addr_domain(const struct fg_path *path)
{
	if (path->is_null || path->postmaster_bare)
		return "";
	return path->addr + path->addr_at + 1;
}

/* fg_addr_is_postmaster - local part "postmaster" (any case) or bare */
int
fg_addr_is_postmaster(const struct fg_path *path)
{
	if (path->is_null)
		return 0;
	return path->postmaster_bare ||
	       fg_str_caseeq(path->addr, path->addr_at, "postmaster", 10);
}

/* fg_addr_parse_param - add one "KEY[=VALUE]" token */
enum fg_err
fg_addr_parse_param(const char *p, size_t n, struct fg_params *out)
{
	size_t i = 0, k;
	struct fg_param param;

	out->why = NULL;
	out->errpos = 0;
	if (n == 0 || !FG_IS_ALNUM((unsigned char)p[0])) {
		out->why =
			"parameter keyword must start with a letter or digit";
		return FG_ESYNTAX;
	}
	while (i < n && (FG_IS_ALNUM((unsigned char)p[i]) || p[i] == '-'))
		i++;
	param.key.p = p;
	param.key.n = i;
	param.value.p = NULL;
	param.value.n = 0;
	if (i < n) {
		if (p[i] != '=') {
			out->why = "bad character in parameter keyword";
			out->errpos = i;
			return FG_ESYNTAX;
		}
		if (i + 1 >= n) {
			out->why = "empty parameter value";
			out->errpos = i + 1;
			return FG_ESYNTAX;
		}
		for (k = i + 1; k < n; k++) {
			int c = (unsigned char)p[k];

			/* esmtp-value = 1*(%d33-60 / %d62-126), UTF-8 ok */
			if (!FG_IS_8BIT(c) && (c < 33 || c > 126 || c == '=')) {
				out->why = "bad character in parameter value";
				out->errpos = k;
				return FG_ESYNTAX;
			}
		}
		param.value.p = p + i + 1;
		param.value.n = n - i - 1;
	}
	if (out->count >= FG_PARAMS_MAX) {
		out->dropped++;
		return FG_OK;
	}
	out->v[out->count++] = param;
	return FG_OK;
}

/* fg_addr_param_find - the parameter named key, or NULL */
const struct fg_param *
fg_addr_param_find(const struct fg_params *ps, const char *key)
{
	size_t k;

	for (k = 0; k < ps->count; k++)
		if (fg_str_caseeqz(ps->v[k].key.p, ps->v[k].key.n, key))
			return &ps->v[k];
	return NULL;
}
