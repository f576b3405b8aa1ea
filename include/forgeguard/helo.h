/*
 * helo.h - what a client's HELO/EHLO argument is
 */
#ifndef FG_HELO_H
#define FG_HELO_H

#include <stddef.h>

#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"

enum fg_helo_kind {
	FG_HELO_INVALID = 0, /* none of the forms below */
	FG_HELO_EMPTY, /* nothing at all */
	FG_HELO_HOSTNAME, /* an RFC 5321 Domain */
	FG_HELO_LITERAL, /* [192.0.2.1] or [IPv6:2001:db8::1] */
	FG_HELO_BARE_IP, /* 192.0.2.1 or 2001:db8::1 without brackets */
};

struct fg_helo {
	enum fg_helo_kind kind;
	struct fg_ip ip; /* LITERAL and BARE_IP */
	size_t labels; /* HOSTNAME */
	int trailing_dot; /* HOSTNAME ended in "." */
	int has_8bit; /* a byte >= 0x80 anywhere */
	size_t errpos; /* INVALID: offset of the first bad byte */
	const char *why; /* INVALID: a short reason */
};

/*
 * fg_helo_parse - classify p[0..n)
 *
 * Never fails: everything is some kind, INVALID with a reason and offset
 * when nothing fits.  Whitespace around the name is not stripped (Postfix
 * already did); inside it makes the name invalid.
 */
void fg_helo_parse(const char *p, size_t n, struct fg_helo *out);

#endif
