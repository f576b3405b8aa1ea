/*
 * fuzz_canon - the DKIM canonicalizers on arbitrary bytes
 *
 * The body, fed whole and fed in the chunks the first input byte
 * chooses, must give the same canonical bytes as the slow model of
 * tests/common/canonref.h, for both simple and relaxed; relaxed output never has a blank before a CRLF, two blanks
 * in a row or a tab (a lone CR is data, so " \r" may stand), and both
 * end in CRLF unless empty.  A header field (up to
 * the first NUL) canonicalizes without running past its value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/canon.h"
#include "../common/canonref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* run - canonicalize data in chunks of step (0: whole) */
static void
run(enum fg_canon c, const uint8_t *data, size_t size, size_t step,
    struct canonref_out *o)
{
	static struct fg_canon_body b;
	size_t i;

	fg_canon_body_init(&b, c, canonref_collect, o);
	if (step == 0)
		fg_canon_body_feed(&b, data, size);
	else
		for (i = 0; i < size; i += step)
			fg_canon_body_feed(&b, data + i,
					   size - i < step ? size - i : step);
	fg_canon_body_end(&b);
	if (b.total != o->n)
		__builtin_trap();
}

/* relaxed_ok - no blank before CRLF, no two blanks, CRLF at the end */
static void
relaxed_ok(const struct canonref_out *o)
{
	size_t i;

	for (i = 0; i + 1 < o->n; i++)
		if ((o->p[i] == ' ' && (o->p[i + 1] == ' ' ||
					(o->p[i + 1] == '\r' && i + 2 < o->n &&
					 o->p[i + 2] == '\n'))) ||
		    o->p[i] == '\t')
			__builtin_trap();
	if (o->n > 0 &&
	    (o->n < 2 || o->p[o->n - 2] != '\r' || o->p[o->n - 1] != '\n'))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t step = size > 0 ? (size_t)data[0] % 17 + 1 : 1;
	const char *nul = memchr(data, '\0', size);
	int c;

	for (c = 0; c < 2; c++) {
		struct canonref_out whole = { NULL, 0, 0 },
				    parts = { NULL, 0, 0 };

		size_t rn;
		unsigned char *ref;

		run((enum fg_canon)c, data, size, 0, &whole);
		run((enum fg_canon)c, data, size, step, &parts);
		if (whole.n != parts.n ||
		    (whole.n > 0 && memcmp(whole.p, parts.p, whole.n) != 0))
			__builtin_trap();
		ref = canonref_body(c == FG_CANON_RELAXED, data, size, &rn);
		if (rn != whole.n || (rn > 0 && memcmp(ref, whole.p, rn) != 0))
			__builtin_trap();
		free(ref);
		if (c == FG_CANON_RELAXED)
			relaxed_ok(&whole);
		else if (whole.n < 2)
			__builtin_trap(); /* simple: at least a CRLF */
		free(whole.p);
		free(parts.p);
	}
	if (nul != NULL) {
		struct canonref_out h = { NULL, 0, 0 };
		size_t nn = (size_t)(nul - (const char *)data);

		fg_canon_header(FG_CANON_RELAXED, (const char *)data, nn,
				nul + 1, size - nn - 1, 1, canonref_collect,
				&h);
		fg_canon_header(FG_CANON_SIMPLE, (const char *)data, nn,
				nul + 1, size - nn - 1, 0, canonref_collect,
				&h);
		free(h.p);
	}
	return 0;
}
