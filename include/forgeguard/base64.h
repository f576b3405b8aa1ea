/*
 * base64.h - RFC 4648 base64, as DKIM writes it
 *
 * DKIM's b=, bh= and p= values are base64 with folding whitespace
 * anywhere (RFC 6376 3.2: FWS is ignored in these values).  The decoder
 * skips blanks, tabs, CR and LF, requires correct padding, and writes at
 * most cap bytes.
 */
#ifndef FG_BASE64_H
#define FG_BASE64_H

#include <stddef.h>

#include "forgeguard/err.h"

/* fg_base64_decode - p[0..n) into out[0..cap); *len the bytes written;
 * FG_ESYNTAX for a byte outside the alphabet or bad padding, FG_ETOOLONG
 * when the result does not fit */
enum fg_err fg_base64_decode(const char *p, size_t n, unsigned char *out,
			     size_t cap, size_t *len) FG_WUR;
/* fg_base64_encode - in[0..n) as base64 into out (4 * ((n + 2) / 3) + 1
 * bytes); returns the length written, NUL excluded */
size_t fg_base64_encode(const unsigned char *in, size_t n, char *out);

#endif
