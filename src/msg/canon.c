/*
 * NAME
 *	canon - DKIM simple and relaxed canonicalization
 * SYNOPSIS
 *	#include "forgeguard/canon.h"
 * DESCRIPTION
 *	The body canonicalizers run over spans: a run of ordinary bytes is
 *	copied in one piece, and only CR, LF, blank and tab change state.
 *	Only CRLF ends a line (a lone CR or LF is data, as in the message);
 *	empty lines are counted and written when content follows, so the
 *	ones at the end are never written.  simple writes a CRLF for an
 *	empty body; relaxed writes nothing (RFC 6376 errata 1384).
 * STANDARDS
 *	RFC 6376 3.4.1 to 3.4.4, 3.7 (what is hashed).
 * DIAGNOSTICS
 *	None.
 */
#include <string.h>

#include "forgeguard/canon.h"
#include "forgeguard/str.h"

/* Bytes that change the state of a body canonicalizer. */
static const unsigned char special_relaxed[256] = {
	['\r'] = 1,
	[' '] = 1,
	['\t'] = 1,
};

/* flush - hand the buffered canonical bytes to the sink */
static void
flush(struct fg_canon_body *b)
{
	if (b->n > 0)
		b->sink(b->arg, b->buf, b->n);
	b->n = 0;
}

/* out - canonical bytes, buffered; long runs go straight through */
static void
out(struct fg_canon_body *b, const void *p, size_t n)
{
	b->total += n;
	if (n >= sizeof(b->buf) / 2) {
		flush(b);
		b->sink(b->arg, p, n);
		return;
	}
	if (b->n + n > sizeof(b->buf))
		flush(b);
	memcpy(b->buf + b->n, p, n);
	b->n += n;
}

/* held_lines - the empty lines held back, now that content follows */
static void
held_lines(struct fg_canon_body *b)
{
	for (; b->empty > 0; b->empty--)
		out(b, "\r\n", 2);
}

/* content - ordinary bytes on the current line */
static void
content(struct fg_canon_body *b, const void *p, size_t n)
{
	if (!b->line)
		held_lines(b);
	if (b->wsp) {
		out(b, " ", 1);
		b->wsp = 0;
	}
	out(b, p, n);
	b->line = 1;
}

/* line_end - a CRLF */
static void
line_end(struct fg_canon_body *b)
{
	b->wsp = 0; /* relaxed: blanks at the end of a line go */
	if (b->line) {
		out(b, "\r\n", 2);
		b->line = 0;
	} else {
		b->empty++;
	}
}

/* fg_canon_body_init - a canonicalizer that writes to sink */
void
fg_canon_body_init(struct fg_canon_body *b, enum fg_canon c,
		   fg_canon_sink *sink, void *arg)
{
	memset(b, 0, offsetof(struct fg_canon_body, buf));
	b->c = c;
	b->sink = sink;
	b->arg = arg;
}

/* span_end - the end of the run of ordinary bytes from i */
static size_t
span_end(const struct fg_canon_body *b, const unsigned char *p, size_t i,
	 size_t n)
{
	const unsigned char *cr;

	if (b->c == FG_CANON_SIMPLE) {
		cr = memchr(p + i, '\r', n - i);
		return cr != NULL ? (size_t)(cr - p) : n;
	}
	while (i < n && !special_relaxed[p[i]])
		i++;
	return i;
}

/* fg_canon_body_feed - the next body bytes */
void
fg_canon_body_feed(struct fg_canon_body *b, const unsigned char *p, size_t n)
{
	size_t i = 0, e;

	while (i < n) {
		if (b->cr) {
			b->cr = 0;
			if (p[i] == '\n') {
				line_end(b);
				i++;
				continue;
			}
			content(b, "\r", 1); /* a lone CR is data */
		}
		if (p[i] == '\r') {
			b->cr = 1;
			i++;
		} else if (b->c == FG_CANON_RELAXED &&
			   (p[i] == ' ' || p[i] == '\t')) {
			b->wsp = 1;
			i++;
		} else {
			e = span_end(b, p, i, n);
			content(b, p + i, e - i);
			i = e;
		}
	}
}

/* fg_canon_body_end - the end of the body */
void
fg_canon_body_end(struct fg_canon_body *b)
{
	if (b->cr) {
		b->cr = 0;
		content(b, "\r", 1);
	}
	b->wsp = 0;
	if (b->line) {
		out(b, "\r\n", 2);
		b->line = 0;
	}
	/* simple: an empty body is one CRLF (RFC 6376 3.4.3) */
	if (b->c == FG_CANON_SIMPLE && b->total == 0)
		out(b, "\r\n", 2);
	b->empty = 0;
	flush(b);
}

/* A small output buffer for one header field. */
struct hbuf {
	fg_canon_sink *sink;
	void *arg;
	size_t n;
	char b[1024];
};

/* hput - bytes of a canonical header field */
static void
hput(struct hbuf *h, const char *p, size_t n)
{
	while (n > 0) {
		size_t k = sizeof(h->b) - h->n;

		if (k > n)
			k = n;
		memcpy(h->b + h->n, p, k);
		h->n += k;
		p += k;
		n -= k;
		if (h->n == sizeof(h->b)) {
			h->sink(h->arg, h->b, h->n);
			h->n = 0;
		}
	}
}

/* simple_value - the value as sent, a bare LF written as CRLF */
static void
simple_value(struct hbuf *h, const char *v, size_t n)
{
	size_t i, s = 0;

	for (i = 0; i < n; i++) {
		if (v[i] != '\n' || (i > 0 && v[i - 1] == '\r'))
			continue;
		hput(h, v + s, i - s);
		hput(h, "\r\n", 2);
		s = i + 1;
	}
	hput(h, v + s, n - s);
}

/* relaxed_value - unfolded, blanks collapsed, none at either end */
static void
relaxed_value(struct hbuf *h, const char *v, size_t n)
{
	size_t i;
	int wsp = 0, any = 0;

	for (i = 0; i < n; i++) {
		char c = v[i];

		if (c == '\r' || c == '\n')
			continue; /* unfolding */
		if (c == ' ' || c == '\t') {
			wsp = 1;
			continue;
		}
		if (wsp && any)
			hput(h, " ", 1);
		wsp = 0;
		any = 1;
		hput(h, &c, 1);
	}
}

/* fg_canon_header - one field, canonical, to sink */
void
fg_canon_header(enum fg_canon c, const char *name, size_t nn, const char *value,
		size_t vn, int crlf, fg_canon_sink *sink, void *arg)
{
	struct hbuf h = { sink, arg, 0, { 0 } };
	size_t k;

	if (c == FG_CANON_SIMPLE) {
		hput(&h, name, nn);
		hput(&h, ":", 1);
		simple_value(&h, value, vn);
	} else {
		for (k = 0; k < nn; k++) {
			char l = (char)FG_TO_LOWER((unsigned char)name[k]);

			hput(&h, &l, 1);
		}
		hput(&h, ":", 1);
		relaxed_value(&h, value, vn);
	}
	if (crlf)
		hput(&h, "\r\n", 2);
	if (h.n > 0)
		sink(arg, h.b, h.n);
}
