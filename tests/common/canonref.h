/*
 * canonref.h - RFC 6376 body canonicalization, the slow obvious way
 *
 * The model the streaming canonicalizer (src/msg/canon.c) is checked
 * against, by the unit tests and fuzz_canon: the whole body at once,
 * split into lines at CRLF, each line rewritten on its own (relaxed:
 * every run of blanks and tabs becomes one blank, blanks at the end go),
 * a last line without CRLF given one when anything is left of it, the
 * empty lines at the end dropped, and simple's empty body made one
 * CRLF.  Written from the RFC's text, sharing nothing with canon.c.
 * Also the sink that gathers what the streaming code writes.
 * Header-only, for test programs; the caller frees the results.
 */
#ifndef FG_TESTS_CANONREF_H
#define FG_TESTS_CANONREF_H

#include <stdlib.h>
#include <string.h>

/* What a canonicalizer wrote, gathered by canonref_collect (its sink). */
struct canonref_out {
	unsigned char *p;
	size_t n, cap;
};

static void
canonref_collect(void *arg, const void *p, size_t n)
{
	struct canonref_out *o = arg;

	if (o->n + n > o->cap) {
		o->cap = (o->n + n) * 2 + 64;
		o->p = realloc(o->p, o->cap);
		if (o->p == NULL)
			abort();
	}
	memcpy(o->p + o->n, p, n);
	o->n += n;
}

/* canonref_line - one line's content, relaxed or not, into o; its
 * length */
static size_t
canonref_line(int relaxed, const unsigned char *p, size_t n, unsigned char *o)
{
	size_t i, k = 0;

	if (!relaxed) {
		memcpy(o, p, n);
		return n;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t') {
			if (i == 0 || (p[i - 1] != ' ' && p[i - 1] != '\t'))
				o[k++] = ' '; /* the first of a run */
			continue;
		}
		o[k++] = p[i];
	}
	while (k > 0 && o[k - 1] == ' ')
		k--;
	return k;
}

/* canonref_body - the canonical body of p[0..n); its length in *len */
static unsigned char *
canonref_body(int relaxed, const unsigned char *p, size_t n, size_t *len)
{
	unsigned char *o = malloc(2 * n + 3);
	size_t i = 0, k = 0, keep = 0;

	if (o == NULL)
		abort();
	while (i < n) {
		size_t e = i, l;

		while (e < n &&
		       !(p[e] == '\r' && e + 1 < n && p[e + 1] == '\n'))
			e++;
		l = canonref_line(relaxed, p + i, e - i, o + k);
		if (e == n && l == 0)
			break; /* nothing left of a last line without CRLF */
		k += l;
		o[k++] = '\r';
		o[k++] = '\n';
		if (l > 0)
			keep = k; /* the end of the last line with content */
		i = e < n ? e + 2 : n;
	}
	k = keep;
	if (!relaxed && k == 0) {
		o[k++] = '\r';
		o[k++] = '\n';
	}
	*len = k;
	return o;
}

#endif
