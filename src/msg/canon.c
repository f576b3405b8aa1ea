/*
 * NAME
 *	canon - DKIM simple and relaxed canonicalization
 * SYNOPSIS
 *	#include "forgeguard/canon.h"
 * DESCRIPTION
 *	The body canonicalizers pass the input through wherever the
 *	canonical form is the input itself, which in real mail is nearly
 *	everywhere: a run of such bytes is handed to the sink in one piece,
 *	straight from the MTA's chunk, and only what differs (a tab, two
 *	blanks, blanks at the end of a line, held empty lines) is written
 *	from a small buffer.  The scan over ordinary bytes takes eight at a
 *	time.  Only CRLF ends a line (a lone CR or LF is data, as in the
 *	message); empty lines are counted and written when content
 *	follows, so the ones at the end are never written (when they are
 *	contiguous in the chunk the run simply goes on over them).  simple
 *	writes a CRLF for an empty body; relaxed writes nothing (RFC 6376
 *	errata 1384).
 * STANDARDS
 *	RFC 6376 3.4.1 to 3.4.4, 3.7 (what is hashed).
 * DIAGNOSTICS
 *	None.
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "forgeguard/canon.h"
#include "forgeguard/str.h"

/* Bytes that change the state of a relaxed body canonicalizer. */
static const unsigned char special_relaxed[256] = {
	['\r'] = 1,
	[' '] = 1,
	['\t'] = 1,
};

/* Verbatim runs at least this long go to the sink without a copy. */
#define DIRECT_MIN 512

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
	if (n >= DIRECT_MIN) {
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

#define NO_HOLD SIZE_MAX

/*
 * Where a feed is in its chunk.  The canonical body so far is what was
 * written, then p[run..end) where end is hold (when set) or i, then
 * the held empty lines, then one blank when b->wsp.  When hold is set,
 * p[hold..i) is exactly those held lines, so content that follows
 * lets the run go on over them.
 */
struct pos {
	const unsigned char *p;
	size_t i;
	size_t run;
	size_t hold;
};

/* settle - write the verbatim run; the held lines stay held */
static void
settle(struct fg_canon_body *b, struct pos *s)
{
	size_t end = s->hold != NO_HOLD ? s->hold : s->i;

	if (end > s->run)
		out(b, s->p + s->run, end - s->run);
	s->hold = NO_HOLD;
	s->run = s->i;
}

/* content_start - content at s->i: what was held back comes first */
static void
content_start(struct fg_canon_body *b, struct pos *s)
{
	if (!b->line && b->empty > 0) {
		if (s->hold != NO_HOLD) {
			s->hold = NO_HOLD; /* verbatim in the run */
			b->empty = 0;
		} else {
			settle(b, s);
			held_lines(b);
		}
	}
	if (b->wsp) {
		settle(b, s);
		out(b, " ", 1);
		b->wsp = 0;
	}
	b->line = 1;
}

/* scan_relaxed - past the bytes from i that relaxed leaves as they are:
 * anything but CR, blank and tab, and a blank between two of those */
static size_t
scan_relaxed(const unsigned char *p, size_t i, size_t n)
{
#ifdef __SSE2__
	/* sixteen bytes at a time: stop at a tab, a CR, or a blank that
	 * the next byte (the 17th for the last) does not let stand */
	const __m128i sp = _mm_set1_epi8(' '), ht = _mm_set1_epi8('\t'),
		      cr = _mm_set1_epi8('\r');

	for (; i + 16 < n; i += 16) {
		__m128i x =
			_mm_loadu_si128((const __m128i *)(const void *)(p + i));
		unsigned blank =
			(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp));
		unsigned other = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, ht), _mm_cmpeq_epi8(x, cr)));
		unsigned special = blank | other |
				   (unsigned)special_relaxed[p[i + 16]] << 16;
		unsigned stop = other | (blank & (special >> 1));

		if (stop != 0)
			return i + (size_t)__builtin_ctz(stop);
	}
#endif
	for (;;) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* eight bytes at a time while none is below 0x21; the lowest
		 * flagged byte is exact (borrows only flag bytes above it) */
		while (i + 8 <= n) {
			uint64_t x, m;

			memcpy(&x, p + i, 8);
			m = (x - 0x2121212121212121ULL) & ~x &
			    0x8080808080808080ULL;
			if (m != 0) {
				i += (size_t)__builtin_ctzll(m) >> 3;
				break;
			}
			i += 8;
		}
#endif
		while (i < n && !special_relaxed[p[i]])
			i++;
		if (i < n && p[i] == ' ' && i + 1 < n &&
		    !special_relaxed[p[i + 1]]) {
			i += 2;
			continue;
		}
		return i;
	}
}

/* scan - past the content bytes from i that need nothing done */
static size_t
scan(const struct fg_canon_body *b, const unsigned char *p, size_t i, size_t n)
{
	const unsigned char *cr;

	if (b->c == FG_CANON_RELAXED)
		return scan_relaxed(p, i, n);
	cr = memchr(p + i, '\r', n - i);
	return cr != NULL ? (size_t)(cr - p) : n;
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

/* line_end - a CRLF at s->i (its CR excluded when the chunk began) */
static void
line_end(struct fg_canon_body *b, struct pos *s)
{
	b->wsp = 0; /* relaxed: blanks at the end of a line go */
	if (b->line) {
		b->line = 0; /* verbatim, in the run */
		return;
	}
	if (b->empty == 0)
		s->hold = s->i;
	b->empty++;
}

/* fg_canon_body_feed - the next body bytes */
void
fg_canon_body_feed(struct fg_canon_body *b, const unsigned char *p, size_t n)
{
	struct pos s = { p, 0, 0, NO_HOLD };
	int relaxed = b->c == FG_CANON_RELAXED;

	if (n == 0)
		return;
	if (b->cr) {
		/* the last chunk ended in a CR, excluded from its run */
		b->cr = 0;
		if (p[0] == '\n') {
			b->wsp = 0;
			if (b->line)
				out(b, "\r\n", 2);
			else
				b->empty++;
			b->line = 0;
			s.i = s.run = 1;
		} else {
			content_start(b, &s);
			out(b, "\r", 1); /* a lone CR is data */
		}
	}
	while (s.i < n) {
		unsigned char c = p[s.i];

		if (c == '\r' && s.i + 1 == n) {
			settle(b, &s);
			b->cr = 1;
			s.i = s.run = n;
		} else if (c == '\r' && p[s.i + 1] == '\n') {
			line_end(b, &s);
			s.i += 2;
			if (s.hold == NO_HOLD && !b->line && b->empty > 0)
				s.run = s.i; /* the held line is not in a run */
		} else if (relaxed && (c == ' ' || c == '\t') &&
			   !(c == ' ' && !b->wsp && s.i + 1 < n &&
			     !special_relaxed[p[s.i + 1]])) {
			/* blanks that are not one space before content:
			 * left out, written as one space if content follows */
			settle(b, &s);
			while (s.i < n && (p[s.i] == ' ' || p[s.i] == '\t'))
				s.i++;
			b->wsp = 1;
			s.run = s.i;
		} else {
			content_start(b, &s);
			s.i = scan(b, p, s.i + 1, n);
		}
	}
	settle(b, &s);
}

/* fg_canon_body_end - the end of the body */
void
fg_canon_body_end(struct fg_canon_body *b)
{
	struct pos s = { NULL, 0, 0, NO_HOLD };

	if (b->cr) {
		b->cr = 0;
		content_start(b, &s);
		out(b, "\r", 1);
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

/* relaxed_value - unfolded, blanks collapsed, none at either end; the
 * runs between blanks written whole */
static void
relaxed_value(struct hbuf *h, const char *v, size_t n)
{
	size_t i = 0, s;
	int wsp = 0, any = 0;

	while (i < n) {
		char c = v[i];

		if (c == '\r' || c == '\n') {
			i++; /* unfolding */
			continue;
		}
		if (c == ' ' || c == '\t') {
			wsp = 1;
			i++;
			continue;
		}
		if (wsp && any)
			hput(h, " ", 1);
		wsp = 0;
		any = 1;
		for (s = i; i < n && v[i] != ' ' && v[i] != '\t' &&
			    v[i] != '\r' && v[i] != '\n';
		     i++)
			;
		hput(h, v + s, i - s);
	}
}

/* lower_name - the field name in lower case */
static void
lower_name(struct hbuf *h, const char *name, size_t nn)
{
	char l[64];
	size_t k, j;

	for (k = 0; k < nn; k += j) {
		for (j = 0; j < sizeof(l) && k + j < nn; j++)
			l[j] = (char)FG_TO_LOWER((unsigned char)name[k + j]);
		hput(h, l, j);
	}
}

/* fg_canon_header - one field, canonical, to sink */
void
fg_canon_header(enum fg_canon c, const char *name, size_t nn, const char *value,
		size_t vn, int crlf, fg_canon_sink *sink, void *arg)
{
	struct hbuf h = { sink, arg, 0, { 0 } };

	if (c == FG_CANON_SIMPLE) {
		hput(&h, name, nn);
		hput(&h, ":", 1);
		simple_value(&h, value, vn);
	} else {
		lower_name(&h, name, nn);
		hput(&h, ":", 1);
		relaxed_value(&h, value, vn);
	}
	if (crlf)
		hput(&h, "\r\n", 2);
	if (h.n > 0)
		sink(arg, h.b, h.n);
}
