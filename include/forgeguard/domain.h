/*
 * domain.h - DNS host name syntax (RFC 5321 Domain) and comparison
 */
#ifndef FG_DOMAIN_H
#define FG_DOMAIN_H

#include <stddef.h>

#include "forgeguard/err.h"

/* Flags for fg_domain_check. */
#define FG_DOMAIN_UTF8 0x1 /* U-labels allowed (RFC 6531) */
#define FG_DOMAIN_TRAILING_DOT 0x2 /* one final "." allowed */
#define FG_DOMAIN_UNDERSCORE 0x4 /* "_" allowed (DNS, not hosts) */

struct fg_domain_info {
	size_t labels; /* number of labels */
	int has_8bit; /* a byte >= 0x80 was seen */
	int trailing_dot; /* ended in "." */
	int all_numeric_tld; /* last label is all digits */
	int looks_like_ipv4; /* four all-digit labels */
};

/*
 * fg_domain_check - is p[0..n) an RFC 5321 Domain
 *
 * sub-domain = Let-dig [Ldh-str], labels of at most 63 and a total of at
 * most 255 octets.  On FG_ESYNTAX/FG_ETOOLONG *errpos is the offending
 * byte offset.  info may be NULL.
 */
enum fg_err fg_domain_check(const char *p, size_t n, int flags,
			    struct fg_domain_info *info, size_t *errpos) FG_WUR;
/*
 * fg_domain_canon - lower-cased copy without the trailing dot into
 * dst[cap]; FG_ETOOLONG if it does not fit
 */
enum fg_err
fg_domain_canon(const char *p, size_t n, char *dst, size_t cap) FG_WUR;
/*
 * fg_domain_within - is name equal to zone, or (when subdomains) below it;
 * both canonical.  A zone starting with "." matches only below it.
 */
int fg_domain_within(const char *name, size_t nn, const char *zone, size_t zn,
		     int subdomains);

#endif
