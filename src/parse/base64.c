/*
 * NAME
 *	base64 - decode and encode RFC 4648 base64
 * SYNOPSIS
 *	#include "forgeguard/base64.h"
 * DESCRIPTION
 *	A table-driven decoder that ignores folding whitespace, as DKIM
 *	requires for b=, bh= and p=, and refuses anything else: a byte
 *	outside the alphabet, '=' before the end, a final group of one
 *	character, non-zero bits left over.
 * STANDARDS
 *	RFC 4648 4; RFC 6376 3.2 (FWS in base64 values).
 * DIAGNOSTICS
 *	FG_ESYNTAX, FG_ETOOLONG.
 */
#include "forgeguard/base64.h"

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* value - the 6 bits of a base64 character; -1 for '=', -2 for a blank,
 * -3 for anything else */
static int
value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == '=')
		return -1;
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
		return -2;
	return -3;
}

/* fg_base64_decode - p[0..n) into out[0..cap) */
enum fg_err
fg_base64_decode(const char *p, size_t n, unsigned char *out, size_t cap,
		 size_t *len)
{
	unsigned acc = 0, bits = 0, pad = 0, chars = 0;
	size_t i, o = 0;

	*len = 0;
	for (i = 0; i < n; i++) {
		int v = value((unsigned char)p[i]);

		if (v == -2)
			continue;
		if (v == -3 || (v >= 0 && pad > 0))
			return FG_ESYNTAX;
		chars++;
		if (v == -1) {
			if (++pad > 2)
				return FG_ESYNTAX;
			continue;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return FG_ETOOLONG;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* whole groups of four, and no stray bits after the last byte */
	if (chars % 4 != 0 || acc != 0 || (pad > 0 && bits / 2 != pad))
		return FG_ESYNTAX;
	*len = o;
	return FG_OK;
}

/* fg_base64_encode - in[0..n) as base64 into out */
size_t
fg_base64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
			     in[i + 2];

		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = alphabet[(v >> 6) & 63];
		out[o++] = alphabet[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16 |
			     (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0);

		out[o++] = alphabet[v >> 18];
		out[o++] = alphabet[(v >> 12) & 63];
		out[o++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}
