/*
 * NAME
 *	tagvalue - parse RFC 6376 tag=value lists
 * SYNOPSIS
 *	#include "forgeguard/tagvalue.h"
 * DESCRIPTION
 *	One pass with a cursor: skip FWS, read a name, skip FWS, "=", then
 *	the value up to ";" or the end, trimmed of FWS at both ends.
 *	Values may hold bytes of 0x80 and above (RFC 8616 allows UTF-8 in
 *	DKIM tags); control bytes other than folding whitespace are
 *	refused.
 * STANDARDS
 *	RFC 6376 3.2 (tag=value lists), 3.5 (case-sensitive tags); RFC 8616.
 * DIAGNOSTICS
 *	FG_ESYNTAX or FG_ETOOLONG with a reason and a byte offset.
 */
#include <string.h>

#include "forgeguard/tagvalue.h"

/* is_fws - folding whitespace: blank, tab, CR, LF */
static int
is_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* bad - record an error */
static enum fg_err
bad(struct fg_taglist *out, const char *why, size_t pos)
{
	out->why = why;
	out->errpos = pos;
	return FG_ESYNTAX;
}

/* name_at - a tag name at p[i..n); its end, or i when there is none */
static size_t
name_at(const char *p, size_t n, size_t i)
{
	size_t s = i;

	if (i >= n || !FG_IS_ALPHA((unsigned char)p[i]))
		return s;
	while (i < n && i - s < FG_TAG_NAME_MAX &&
	       (FG_IS_ALNUM((unsigned char)p[i]) || p[i] == '_'))
		i++;
	return i;
}

/* value_end - where the value starting at i ends (";" or n) in *end;
 * 0 with *end at the offending byte for a control byte */
static int
value_end(const char *p, size_t n, size_t i, size_t *end)
{
	for (; i < n && p[i] != ';'; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && !is_fws(c)) || c == 0x7f) {
			*end = i;
			return 0;
		}
	}
	*end = i;
	return 1;
}

/* add - one parsed tag, refusing a second one of the same name */
static enum fg_err
add(struct fg_taglist *out, struct fg_view name, struct fg_view value,
    size_t pos)
{
	size_t k;

	for (k = 0; k < out->n; k++)
		if (fg_str_eq(out->t[k].name.p, out->t[k].name.n, name.p,
			      name.n))
			return bad(out, "duplicate tag", pos);
	if (out->n == FG_TAGS_MAX) {
		out->why = "too many tags";
		out->errpos = pos;
		return FG_ETOOLONG;
	}
	out->t[out->n].name = name;
	out->t[out->n].value = value;
	out->n++;
	return FG_OK;
}

/* fg_tagvalue_parse - the tags of p[0..n) */
enum fg_err
fg_tagvalue_parse(const char *p, size_t n, struct fg_taglist *out)
{
	size_t i = 0, e, v, ve;
	struct fg_view name, value;
	enum fg_err err;

	memset(out, 0, sizeof(*out));
	while (i < n) {
		while (i < n && is_fws((unsigned char)p[i]))
			i++;
		if (i < n && p[i] == ';') {
			i++; /* an empty item */
			continue;
		}
		if (i == n)
			break;
		e = name_at(p, n, i);
		if (e == i)
			return bad(out, "tag name expected", i);
		name.p = p + i;
		name.n = e - i;
		for (i = e; i < n && is_fws((unsigned char)p[i]); i++)
			;
		if (i >= n || p[i] != '=')
			return bad(out, "\"=\" expected after the tag name", i);
		for (v = i + 1; v < n && is_fws((unsigned char)p[v]); v++)
			;
		if (!value_end(p, n, v, &ve))
			return bad(out, "control character in a tag value", ve);
		for (e = ve; e > v && is_fws((unsigned char)p[e - 1]); e--)
			;
		value.p = p + v;
		value.n = e - v;
		err = add(out, name, value, (size_t)(name.p - p));
		if (err != FG_OK)
			return err;
		i = ve < n ? ve + 1 : n;
	}
	return FG_OK;
}

/* fg_tagvalue_get - the value of a tag, or NULL when it is absent */
const struct fg_view *
fg_tagvalue_get(const struct fg_taglist *l, const char *name)
{
	size_t k, nn = strlen(name);

	for (k = 0; k < l->n; k++)
		if (fg_str_eq(l->t[k].name.p, l->t[k].name.n, name, nn))
			return &l->t[k].value;
	return NULL;
}
