/*
 * spfrec.h - SPF record syntax (RFC 7208 section 12)
 *
 * A pure, bounded parser: it records each term as a view into the record
 * and says exactly what is wrong and where.  Evaluation is elsewhere.
 */
#ifndef FG_SPFREC_H
#define FG_SPFREC_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/str.h"

enum fg_spf_mech {
	FG_SPF_ALL,
	FG_SPF_INCLUDE,
	FG_SPF_A,
	FG_SPF_MX,
	FG_SPF_PTR,
	FG_SPF_IP4,
	FG_SPF_IP6,
	FG_SPF_EXISTS,
	FG_SPF_REDIRECT, /* modifiers from here on */
	FG_SPF_EXP,
	FG_SPF_UNKNOWN_MOD,
};

struct fg_spf_term {
	enum fg_spf_mech kind;
	char qualifier; /* '+', '-', '~', '?' (mechanisms) */
	struct fg_view name; /* as written */
	struct fg_view arg; /* domain-spec, network or modifier value;
				  * n == 0 when absent */
	struct fg_cidr net; /* ip4, ip6 */
	int cidr4, cidr6; /* a, mx: -1 when absent */
	int has_macro; /* arg holds a macro-expand */
};

struct fg_spf_record {
	struct fg_spf_term t[FG_SPF_TERMS_MAX];
	size_t n;
	int redirect; /* index of redirect=, -1 */
	int exp; /* index of exp=, -1 */
	size_t lookups; /* include, a, mx, ptr, exists, redirect (4.6.4) */
	size_t errpos; /* on error: offset in the record */
	const char *why;
};

/*
 * fg_spfrec_is_spf - does a TXT record select itself as SPF (4.5: starts
 * with "v=spf1" followed by a blank or the end, case-insensitively)
 */
int fg_spfrec_is_spf(const char *p, size_t n);
/* fg_spfrec_parse - parse a record; FG_ESYNTAX with why and errpos */
enum fg_err
fg_spfrec_parse(const char *p, size_t n, struct fg_spf_record *out) FG_WUR;
/*
 * fg_spfrec_macro_string - is p[0..n) a valid macro-string (7.1); with
 * exp set, an explain-string instead: blanks and the c, r and t letters
 * allowed (7.3, 12).  Sets *has_macro.
 */
int fg_spfrec_macro_string(const char *p, size_t n, int exp, int *has_macro,
			   size_t *errpos);

#endif
