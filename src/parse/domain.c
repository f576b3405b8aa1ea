/*
 * NAME
 *	domain - host name syntax and comparison
 * SYNOPSIS
 *	#include "forgeguard/domain.h"
 * DESCRIPTION
 *	fg_domain_check() validates the RFC 5321 Domain grammar (letters,
 *	digits, inner hyphens; U-labels when asked) with the RFC 1035 length
 *	limits and records facts about the name.  fg_domain_within() answers
 *	"is this name one of ours" for local_domains and local_hosts.
 * STANDARDS
 *	RFC 5321 4.1.2 (Domain), RFC 1035 2.3.4 (sizes), RFC 6531 3.3
 *	(U-labels with SMTPUTF8).
 * DIAGNOSTICS
 *	FG_ESYNTAX or FG_ETOOLONG with the byte offset of the problem.
 */
#include <string.h>

#include "forgeguard/bounds.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"

/* label_byte_ok - may c appear inside a label under flags */
static int
label_byte_ok(int c, int flags)
{
	if (FG_IS_ALNUM(c) || c == '-')
		return 1;
	if (c == '_' && (flags & FG_DOMAIN_UNDERSCORE))
		return 1;
	return FG_IS_8BIT(c) && (flags & FG_DOMAIN_UTF8);
}

/* fg_domain_check - is p[0..n) an RFC 5321 Domain */
enum fg_err
fg_domain_check(const char *p, size_t n, int flags, struct fg_domain_info *info,
		size_t *errpos)
{
	struct fg_domain_info tmp;
	size_t i, start = 0, numeric_labels = 0;
	int all_digits = 1;

	if (info == NULL)
		info = &tmp;
	memset(info, 0, sizeof(*info));
	*errpos = 0;
	if (n == 0)
		return FG_ESYNTAX;
	if (p[n - 1] == '.' && (flags & FG_DOMAIN_TRAILING_DOT) && n > 1) {
		info->trailing_dot = 1;
		n--;
	}
	if (n > FG_DOMAIN_MAX) {
		*errpos = FG_DOMAIN_MAX;
		return FG_ETOOLONG;
	}
	for (i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)p[i] : '.';

		if (c == '.') {
			size_t len = i - start;

			if (len == 0 || p[i - 1] == '-') {
				*errpos = i;
				return FG_ESYNTAX;
			}
			if (len > FG_LABEL_MAX) {
				*errpos = start + FG_LABEL_MAX;
				return FG_ETOOLONG;
			}
			info->labels++;
			numeric_labels += all_digits;
			info->all_numeric_tld = all_digits;
			start = i + 1;
			all_digits = 1;
			continue;
		}
		if (!label_byte_ok(c, flags) || (c == '-' && i == start)) {
			*errpos = i;
			return FG_ESYNTAX;
		}
		if (FG_IS_8BIT(c))
			info->has_8bit = 1;
		if (!FG_IS_DIGIT(c))
			all_digits = 0;
	}
	info->looks_like_ipv4 = info->labels == 4 && numeric_labels == 4;
	return FG_OK;
}

/* fg_domain_canon - lower-cased copy without the trailing dot */
enum fg_err
fg_domain_canon(const char *p, size_t n, char *dst, size_t cap)
{
	enum fg_err err;

	if (n > 1 && p[n - 1] == '.')
		n--;
	err = fg_str_copy(dst, cap, p, n);
	if (err)
		return err;
	fg_str_lower(dst, n);
	return FG_OK;
}

/* fg_domain_within - is name equal to zone, or below it */
int
fg_domain_within(const char *name, size_t nn, const char *zone, size_t zn,
		 int subdomains)
{
	if (zn > 0 && zone[0] == '.') {
		/* ".example.com": strictly below */
		return nn > zn && fg_str_has_suffix_ci(name, nn, zone, zn);
	}
	if (fg_str_caseeq(name, nn, zone, zn))
		return 1;
	if (!subdomains || nn <= zn + 1)
		return 0;
	return name[nn - zn - 1] == '.' &&
	       fg_str_has_suffix_ci(name, nn, zone, zn);
}
