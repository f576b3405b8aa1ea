/*
 * addr.h - SMTP envelope paths (RFC 5321 4.1.2) and ESMTP parameters
 *
 * The parser records facts (null path, source route, quoted local part,
 * 8-bit bytes, address literal) and a canonical form for comparison:
 * the local part unquoted, "@", the domain lower-cased.  Whether 8-bit
 * bytes are acceptable (SMTPUTF8) is for the checks to decide.
 */
#ifndef FG_ADDR_H
#define FG_ADDR_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/str.h"

/* Flags for fg_addr_parse_path. */
#define FG_ADDR_PREFIX 0x1 /* stop after the path; out->end says where */
#define FG_ADDR_BARE 0x2 /* accept a path without angle brackets */

struct fg_path {
	int is_null; /* "<>" */
	int bracketed; /* written with "<" ">" */
	int has_route; /* "@a,@b:" source route, ignored */
	int is_quoted; /* local part was a quoted-string */
	int has_8bit; /* bytes >= 0x80 in local part or domain */
	int domain_literal; /* domain was an address literal */
	int postmaster_bare; /* "<Postmaster>" without a domain */
	struct fg_ip literal_ip;
	struct fg_view local; /* wire form, quotes included */
	struct fg_view domain; /* wire form, brackets included */
	char addr[FG_ADDR_MAX + 1]; /* canonical local@domain, "" for <> */
	size_t addr_at; /* offset of '@' in addr */
	size_t end; /* bytes of input used */
	size_t errpos; /* on error: offset of the problem */
	const char *why; /* on error: what is wrong */
};

/*
 * fg_addr_parse_path - parse a Reverse-path or Forward-path
 *
 * FG_OK or FG_ESYNTAX/FG_ETOOLONG with out->why and out->errpos.
 */
enum fg_err fg_addr_parse_path(const char *p, size_t n, int flags,
			       struct fg_path *out) FG_WUR;
/* fg_addr_domain - canonical domain part of a parsed path ("" if none) */
const char *fg_addr_domain(const struct fg_path *path);
/* fg_addr_is_postmaster - local part "postmaster" (any case) or bare */
int fg_addr_is_postmaster(const struct fg_path *path);

struct fg_param {
	struct fg_view key;
	struct fg_view value; /* n == 0 and p == NULL when no "=" */
};

struct fg_params {
	struct fg_param v[FG_PARAMS_MAX];
	size_t count; /* kept */
	size_t dropped; /* beyond FG_PARAMS_MAX */
	size_t errpos; /* on error: offset in the token */
	const char *why; /* on error: what is wrong */
};

/*
 * fg_addr_parse_param - add one "KEY[=VALUE]" token (RFC 5321 4.1.2
 * esmtp-param; VALUE may hold UTF-8 per RFC 6531)
 */
enum fg_err
fg_addr_parse_param(const char *p, size_t n, struct fg_params *out) FG_WUR;
/* fg_addr_param_find - the parameter named key, or NULL */
const struct fg_param *
fg_addr_param_find(const struct fg_params *ps, const char *key);

#endif
