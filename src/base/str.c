/*
 * NAME
 *	str - ASCII comparison, number parsing and escaping
 * SYNOPSIS
 *	#include "forgeguard/str.h"
 * DESCRIPTION
 *	Locale-free helpers over (pointer, length) byte ranges.  The escapers
 *	are the only way client-supplied bytes reach a log line or a reply.
 * DIAGNOSTICS
 *	fg_str_parse_u64 returns FG_ESYNTAX for anything but digits and
 *	FG_ETOOLONG for a value above the caller's maximum.
 */
#include <string.h>

#include "forgeguard/str.h"

static const char hexdig[] = "0123456789abcdef";

/* fg_str_eq - exact equality of two byte ranges */
int
fg_str_eq(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* fg_str_caseeq - ASCII case-insensitive equality of two byte ranges */
int
fg_str_caseeq(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	if (an != bn)
		return 0;
	for (i = 0; i < an; i++) {
		int ca = (unsigned char)a[i], cb = (unsigned char)b[i];

		if (FG_TO_LOWER(ca) != FG_TO_LOWER(cb))
			return 0;
	}
	return 1;
}

/* fg_str_caseeqz - fg_str_caseeq against a NUL-terminated string */
int
fg_str_caseeqz(const char *a, size_t an, const char *z)
{
	return fg_str_caseeq(a, an, z, strlen(z));
}

/* fg_str_has_suffix_ci - does a end with suffix, ASCII case-insensitively */
int
fg_str_has_suffix_ci(const char *a, size_t an, const char *s, size_t sn)
{
	if (sn > an)
		return 0;
	return fg_str_caseeq(a + an - sn, sn, s, sn);
}

/* fg_str_lower - lower-case ASCII letters in place */
void
fg_str_lower(char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		p[i] = (char)FG_TO_LOWER(c);
	}
}

/* fg_str_copy - copy n bytes into dst[cap] with a NUL; FG_ETOOLONG if not */
enum fg_err
fg_str_copy(char *dst, size_t cap, const char *src, size_t n)
{
	if (cap == 0)
		return FG_ETOOLONG;
	if (n >= cap) {
		memcpy(dst, src, cap - 1);
		dst[cap - 1] = '\0';
		return FG_ETOOLONG;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return FG_OK;
}

/* fg_str_next_line - one line of a text, and the rest */
int
fg_str_next_line(const char **cur, struct fg_view *line)
{
	const char *p = *cur, *nl;

	if (p == NULL || *p == '\0')
		return 0;
	nl = strchr(p, '\n');
	line->p = p;
	line->n = nl != NULL ? (size_t)(nl - p) : strlen(p);
	*cur = nl != NULL ? nl + 1 : p + line->n;
	return 1;
}

/* fg_str_parse_u64 - decimal digits only, overflow and max checked */
enum fg_err
fg_str_parse_u64(const char *p, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (n == 0)
		return FG_ESYNTAX;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (!FG_IS_DIGIT(c))
			return FG_ESYNTAX;
		/* max may be below one digit (7 days of 86400 s) */
		if ((uint64_t)(c - '0') > max ||
		    v > (max - (uint64_t)(c - '0')) / 10)
			return FG_ETOOLONG;
		v = v * 10 + (uint64_t)(c - '0');
	}
	*out = v;
	return FG_OK;
}

/* escape_one - the escaped form of byte c for a log value, into tmp */
static size_t
escape_one(int c, int json, char tmp[8])
{
	if (c == '\\' || c == '"') {
		tmp[0] = '\\';
		tmp[1] = (char)c;
		return 2;
	}
	if (FG_IS_PRINT(c)) {
		tmp[0] = (char)c;
		return 1;
	}
	if (json) {
		memcpy(tmp, "\\u00", 4);
		tmp[4] = hexdig[c >> 4];
		tmp[5] = hexdig[c & 15];
		return 6;
	}
	tmp[0] = '\\';
	tmp[1] = 'x';
	tmp[2] = hexdig[c >> 4];
	tmp[3] = hexdig[c & 15];
	return 4;
}

/* escape_into - shared body of the two escapers */
static void
escape_into(struct fg_buf *b, const char *p, size_t n, size_t max, int json)
{
	size_t used = 0, i;
	char tmp[8];

	for (i = 0; i < n; i++) {
		size_t k = escape_one((unsigned char)p[i], json, tmp);

		if (used + k > max) {
			(void)fg_buf_append(b, "...", 3);
			return;
		}
		(void)fg_buf_append(b, tmp, k);
		used += k;
	}
}

/* fg_str_escape - append a log-safe copy of p[0..n) to b */
void
fg_str_escape(struct fg_buf *b, const char *p, size_t n, size_t max)
{
	escape_into(b, p, n, max, 0);
}

/* fg_str_escape_json - as fg_str_escape, but valid inside a JSON string */
void
fg_str_escape_json(struct fg_buf *b, const char *p, size_t n, size_t max)
{
	escape_into(b, p, n, max, 1);
}

/* fg_str_sanitize - append a copy safe for an SMTP reply text */
void
fg_str_sanitize(struct fg_buf *b, const char *p, size_t n, size_t max)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (i >= max) {
			(void)fg_buf_append(b, "...", 3);
			return;
		}
		(void)fg_buf_putc(b, FG_IS_PRINT(c) ? c : '?');
	}
}

/* fg_str_copy_cut - a bounded copy of a C string, cut to fit */
void
fg_str_copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n;

	if (cap == 0)
		return;
	n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}
