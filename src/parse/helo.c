/*
 * NAME
 *	helo - classify a HELO/EHLO argument
 * SYNOPSIS
 *	#include "forgeguard/helo.h"
 * DESCRIPTION
 *	Records what the client claimed: a host name, an address literal,
 *	a bare address, or nothing valid (with where and why).  Whether that
 *	is acceptable is for the helo checks to decide.
 * STANDARDS
 *	RFC 5321 4.1.1.1 (HELO/EHLO), 4.1.2 (Domain), 4.1.3 (address
 *	literals; General-address-literal is recognised but not accepted).
 * DIAGNOSTICS
 *	kind FG_HELO_INVALID with why and errpos.
 */
#include <string.h>

#include "forgeguard/bounds.h"
#include "forgeguard/domain.h"
#include "forgeguard/helo.h"
#include "forgeguard/str.h"

/* parse_literal - "[...]" forms of RFC 5321 4.1.3 */
static void
parse_literal(const char *p, size_t n, struct fg_helo *out)
{
	const char *in = p + 1;
	size_t inn = n - 2;

	if (p[n - 1] != ']') {
		out->why = "unclosed address literal";
		out->errpos = n;
		return;
	}
	if (inn > 5 && fg_str_caseeq(in, 5, "IPv6:", 5)) {
		if (fg_ipaddr_parse6(in + 5, inn - 5, &out->ip) == FG_OK &&
		    fg_ipaddr_smtp6_ok(in + 5, inn - 5)) {
			out->kind = FG_HELO_LITERAL;
			return;
		}
		out->why = "bad IPv6 address literal";
		out->errpos = 6;
		return;
	}
	if (fg_ipaddr_parse4(in, inn, &out->ip) == FG_OK) {
		out->kind = FG_HELO_LITERAL;
		return;
	}
	out->why = "bad address literal";
	out->errpos = 1;
}

/* fg_helo_parse - classify p[0..n) */
void
fg_helo_parse(const char *p, size_t n, struct fg_helo *out)
{
	struct fg_domain_info info;
	enum fg_err err;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->kind = FG_HELO_INVALID;
	if (n == 0) {
		out->kind = FG_HELO_EMPTY;
		out->why = "empty";
		return;
	}
	for (i = 0; i < n; i++)
		if (FG_IS_8BIT((unsigned char)p[i]))
			out->has_8bit = 1;
	if (n > FG_HELO_MAX) {
		out->why = "too long";
		out->errpos = FG_HELO_MAX;
		return;
	}
	if (p[0] == '[') {
		parse_literal(p, n, out);
		return;
	}
	if (fg_ipaddr_parse(p, n, &out->ip) == FG_OK) {
		out->kind = FG_HELO_BARE_IP;
		return;
	}
	err = fg_domain_check(p, n, FG_DOMAIN_TRAILING_DOT, &info,
			      &out->errpos);
	if (err == FG_OK && info.looks_like_ipv4) {
		/* 999.1.2.3: all digits, not an address, not a host name */
		out->why = "numeric labels that are not an address";
		return;
	}
	if (err == FG_OK) {
		out->kind = FG_HELO_HOSTNAME;
		out->labels = info.labels;
		out->trailing_dot = info.trailing_dot;
		return;
	}
	out->why = err == FG_ETOOLONG ? "label or name too long"
				      : "not a host name";
}
