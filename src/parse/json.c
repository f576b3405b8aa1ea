/*
 * NAME
 *	json - a bounded JSON reader
 * SYNOPSIS
 *	#include "forgeguard/json.h"
 * DESCRIPTION
 *	A recursive-descent reader of RFC 8259 values into a flat node
 *	array, bounded in nodes and depth, so that a hostile or cut log
 *	line costs a known amount.  Strings are checked (escapes, no raw
 *	control characters) but decoded only on demand.
 * STANDARDS
 *	RFC 8259 (JSON), RFC 3629 (UTF-8 of \u escapes).
 * DIAGNOSTICS
 *	FG_ESYNTAX with the offset of the first bad byte; FG_ETOOLONG when
 *	the value has more nodes than room, or is nested too deep.
 */
#include <string.h>

#include "forgeguard/json.h"

struct reader {
	const char *p;
	size_t n, i;
	struct fg_json_node *nodes;
	size_t cap, used;
	enum fg_err err;
};

static size_t value(struct reader *r, int depth);

/* fail - remember the first error */
static size_t
fail(struct reader *r, enum fg_err e)
{
	if (r->err == FG_OK)
		r->err = e;
	return FG_JSON_NONE;
}

/* ws - skip blanks */
static void
ws(struct reader *r)
{
	while (r->i < r->n && (r->p[r->i] == ' ' || r->p[r->i] == '\t' ||
			       r->p[r->i] == '\n' || r->p[r->i] == '\r'))
		r->i++;
}

/* node - a new node of type t */
static size_t
node(struct reader *r, enum fg_json_type t)
{
	struct fg_json_node *x;

	if (r->used == r->cap)
		return fail(r, FG_ETOOLONG);
	x = &r->nodes[r->used];
	memset(x, 0, sizeof(*x));
	x->type = t;
	x->child = x->next = FG_JSON_NONE;
	return r->used++;
}

/* hex4 - four hex digits at p */
static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = p[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

/* string - a string's contents, checked; its view */
static int
string(struct reader *r, struct fg_view *out)
{
	size_t s;

	if (r->i >= r->n || r->p[r->i] != '"')
		return 0;
	s = ++r->i;
	while (r->i < r->n && r->p[r->i] != '"') {
		unsigned char c = (unsigned char)r->p[r->i];
		unsigned u, lo;

		if (c < 0x20)
			return 0;
		if (c != '\\') {
			r->i++;
			continue;
		}
		if (r->i + 1 >= r->n)
			return 0;
		c = (unsigned char)r->p[r->i + 1];
		if (c == 'u') {
			if (r->i + 6 > r->n || !hex4(r->p + r->i + 2, &u))
				return 0;
			r->i += 6;
			if (u >= 0xDC00 && u <= 0xDFFF)
				return 0; /* a lone low surrogate */
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (r->i + 6 > r->n || r->p[r->i] != '\\' ||
				    r->p[r->i + 1] != 'u' ||
				    !hex4(r->p + r->i + 2, &lo) ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return 0;
				r->i += 6;
			}
			continue;
		}
		if (strchr("\"\\/bfnrt", (char)c) == NULL || c == '\0')
			return 0;
		r->i += 2;
	}
	if (r->i >= r->n)
		return 0;
	out->p = r->p + s;
	out->n = r->i - s;
	r->i++;
	return 1;
}

/* number - -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
number(struct reader *r, struct fg_view *out)
{
	size_t s = r->i, d;

	if (r->i < r->n && r->p[r->i] == '-')
		r->i++;
	d = r->i;
	while (r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '9')
		r->i++;
	if (r->i == d || (r->p[d] == '0' && r->i - d > 1))
		return 0;
	if (r->i < r->n && r->p[r->i] == '.') {
		d = ++r->i;
		while (r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '9')
			r->i++;
		if (r->i == d)
			return 0;
	}
	if (r->i < r->n && (r->p[r->i] == 'e' || r->p[r->i] == 'E')) {
		r->i++;
		if (r->i < r->n && (r->p[r->i] == '+' || r->p[r->i] == '-'))
			r->i++;
		d = r->i;
		while (r->i < r->n && r->p[r->i] >= '0' && r->p[r->i] <= '9')
			r->i++;
		if (r->i == d)
			return 0;
	}
	out->p = r->p + s;
	out->n = r->i - s;
	return 1;
}

/* word - true, false or null */
static size_t
word(struct reader *r, const char *w, enum fg_json_type t)
{
	size_t n = strlen(w);

	if (r->n - r->i < n || memcmp(r->p + r->i, w, n) != 0)
		return fail(r, FG_ESYNTAX);
	r->i += n;
	return node(r, t);
}

/* members - the members or elements of an object or array at x */
static size_t
members(struct reader *r, size_t x, int object, int depth)
{
	size_t last = FG_JSON_NONE;
	char close = object ? '}' : ']';

	r->i++;
	ws(r);
	if (r->i < r->n && r->p[r->i] == close) {
		r->i++;
		return x;
	}
	for (;;) {
		struct fg_view key = { NULL, 0 };
		size_t v;

		ws(r);
		if (object) {
			if (!string(r, &key))
				return fail(r, FG_ESYNTAX);
			ws(r);
			if (r->i >= r->n || r->p[r->i] != ':')
				return fail(r, FG_ESYNTAX);
			r->i++;
		}
		v = value(r, depth + 1);
		if (v == FG_JSON_NONE)
			return FG_JSON_NONE;
		r->nodes[v].key = key;
		if (last == FG_JSON_NONE)
			r->nodes[x].child = v;
		else
			r->nodes[last].next = v;
		last = v;
		ws(r);
		if (r->i < r->n && r->p[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->p[r->i] == close) {
			r->i++;
			return x;
		}
		return fail(r, FG_ESYNTAX);
	}
}

/* value - one value at r->i */
static size_t
value(struct reader *r, int depth)
{
	size_t x;
	struct fg_view v;

	if (depth > FG_JSON_DEPTH)
		return fail(r, FG_ETOOLONG);
	ws(r);
	if (r->i >= r->n)
		return fail(r, FG_ESYNTAX);
	switch (r->p[r->i]) {
	case '{':
	case '[':
		x = node(r, r->p[r->i] == '{' ? FG_JSON_OBJECT : FG_JSON_ARRAY);
		if (x == FG_JSON_NONE)
			return x;
		return members(r, x, r->nodes[x].type == FG_JSON_OBJECT, depth);
	case '"':
		if (!string(r, &v))
			return fail(r, FG_ESYNTAX);
		x = node(r, FG_JSON_STRING);
		break;
	case 't':
		return word(r, "true", FG_JSON_TRUE);
	case 'f':
		return word(r, "false", FG_JSON_FALSE);
	case 'n':
		return word(r, "null", FG_JSON_NULL);
	default:
		if (!number(r, &v))
			return fail(r, FG_ESYNTAX);
		x = node(r, FG_JSON_NUMBER);
		break;
	}
	if (x != FG_JSON_NONE)
		r->nodes[x].raw = v;
	return x;
}

/* fg_json_parse - one value into nodes */
enum fg_err
fg_json_parse(const char *p, size_t n, struct fg_json_node *nodes, size_t cap,
	      size_t *count, size_t *errpos)
{
	struct reader r = { p, n, 0, nodes, cap, 0, FG_OK };

	*count = 0;
	if (value(&r, 0) == FG_JSON_NONE || r.err != FG_OK) {
		*errpos = r.i;
		return r.err != FG_OK ? r.err : FG_ESYNTAX;
	}
	ws(&r);
	if (r.i != n) {
		*errpos = r.i;
		return FG_ESYNTAX;
	}
	*count = r.used;
	return FG_OK;
}

/* fg_json_get - the member named key */
size_t
fg_json_get(const struct fg_json_node *nodes, size_t obj, const char *key)
{
	size_t k;

	if (obj == FG_JSON_NONE || nodes[obj].type != FG_JSON_OBJECT)
		return FG_JSON_NONE;
	for (k = nodes[obj].child; k != FG_JSON_NONE; k = nodes[k].next)
		if (fg_str_eq(nodes[k].key.p, nodes[k].key.n, key, strlen(key)))
			return k;
	return FG_JSON_NONE;
}

/* put - one decoded byte, cut at cap */
static void
put(char *dst, size_t cap, size_t *o, unsigned char c)
{
	if (*o + 1 < cap)
		dst[(*o)++] = (char)c;
}

/* utf8 - a code point as UTF-8 */
static void
utf8(char *dst, size_t cap, size_t *o, unsigned u)
{
	if (u < 0x80) {
		put(dst, cap, o, (unsigned char)u);
	} else if (u < 0x800) {
		put(dst, cap, o, (unsigned char)(0xC0 | (u >> 6)));
		put(dst, cap, o, (unsigned char)(0x80 | (u & 0x3F)));
	} else if (u < 0x10000) {
		put(dst, cap, o, (unsigned char)(0xE0 | (u >> 12)));
		put(dst, cap, o, (unsigned char)(0x80 | ((u >> 6) & 0x3F)));
		put(dst, cap, o, (unsigned char)(0x80 | (u & 0x3F)));
	} else {
		put(dst, cap, o, (unsigned char)(0xF0 | (u >> 18)));
		put(dst, cap, o, (unsigned char)(0x80 | ((u >> 12) & 0x3F)));
		put(dst, cap, o, (unsigned char)(0x80 | ((u >> 6) & 0x3F)));
		put(dst, cap, o, (unsigned char)(0x80 | (u & 0x3F)));
	}
}

/* fg_json_string - a string node, decoded */
int
fg_json_string(const struct fg_json_node *x, char *dst, size_t cap)
{
	const char *p = x->raw.p;
	size_t i, o = 0, n = x->raw.n;

	if (x->type != FG_JSON_STRING || cap == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned u, lo;

		if (p[i] != '\\') {
			put(dst, cap, &o, (unsigned char)p[i]);
			continue;
		}
		switch (p[++i]) {
		case 'b':
			put(dst, cap, &o, '\b');
			break;
		case 'f':
			put(dst, cap, &o, '\f');
			break;
		case 'n':
			put(dst, cap, &o, '\n');
			break;
		case 'r':
			put(dst, cap, &o, '\r');
			break;
		case 't':
			put(dst, cap, &o, '\t');
			break;
		case 'u':
			(void)hex4(p + i + 1, &u);
			i += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				(void)hex4(p + i + 3, &lo);
				u = 0x10000 + ((u - 0xD800) << 10) +
				    (lo - 0xDC00);
				i += 6;
			}
			utf8(dst, cap, &o, u);
			break;
		default: /* " \ / */
			put(dst, cap, &o, (unsigned char)p[i]);
			break;
		}
	}
	dst[o] = '\0';
	return 1;
}

/* fg_json_int - a number node as an integer */
int
fg_json_int(const struct fg_json_node *x, int64_t *out)
{
	uint64_t v;
	int neg;

	if (x->type != FG_JSON_NUMBER || x->raw.n == 0)
		return 0;
	neg = x->raw.p[0] == '-';
	if (fg_str_parse_u64(x->raw.p + neg, x->raw.n - (size_t)neg,
			     (uint64_t)INT64_MAX, &v) != FG_OK)
		return 0;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 1;
}
