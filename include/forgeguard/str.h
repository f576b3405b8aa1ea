/*
 * str.h - ASCII classification, comparison and escaping
 *
 * Every classifier takes an int holding an unsigned char value and never
 * depends on the locale.  Bytes >= 0x80 are never letters or digits.
 */
#ifndef FG_STR_H
#define FG_STR_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/buf.h"
#include "forgeguard/err.h"

#define FG_IS_DIGIT(c) ((c) >= '0' && (c) <= '9')
#define FG_IS_UPPER(c) ((c) >= 'A' && (c) <= 'Z')
#define FG_IS_LOWER(c) ((c) >= 'a' && (c) <= 'z')
#define FG_IS_ALPHA(c) (FG_IS_UPPER(c) || FG_IS_LOWER(c))
#define FG_IS_ALNUM(c) (FG_IS_ALPHA(c) || FG_IS_DIGIT(c))
#define FG_IS_XDIGIT(c)                                  \
	(FG_IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || \
	 ((c) >= 'A' && (c) <= 'F'))
#define FG_IS_SPACE(c)                                              \
	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n' || \
	 (c) == '\v' || (c) == '\f')
#define FG_IS_WSP(c) ((c) == ' ' || (c) == '\t')
#define FG_IS_CTL(c) (((c) >= 0 && (c) < 0x20) || (c) == 0x7f)
#define FG_IS_PRINT(c) ((c) >= 0x20 && (c) < 0x7f)
#define FG_IS_8BIT(c) ((c) >= 0x80)
#define FG_TO_LOWER(c) (FG_IS_UPPER(c) ? (c) + ('a' - 'A') : (c))
#define FG_TO_UPPER(c) (FG_IS_LOWER(c) ? (c) - ('a' - 'A') : (c))

/* A (pointer, length) view into someone else's bytes. */
struct fg_view {
	const char *p;
	size_t n;
};

/* fg_str_eq - exact equality of two byte ranges */
int fg_str_eq(const char *a, size_t an, const char *b, size_t bn);
/* fg_str_caseeq - ASCII case-insensitive equality of two byte ranges */
int fg_str_caseeq(const char *a, size_t an, const char *b, size_t bn);
/* fg_str_caseeqz - fg_str_caseeq against a NUL-terminated string */
int fg_str_caseeqz(const char *a, size_t an, const char *z);
/* fg_str_has_suffix_ci - does a end with suffix, ASCII case-insensitively */
int fg_str_has_suffix_ci(const char *a, size_t an, const char *s, size_t sn);
/* fg_str_lower - lower-case ASCII letters in place */
void fg_str_lower(char *p, size_t n);
/* fg_str_copy - copy n bytes into dst[cap] with a NUL; FG_ETOOLONG if not */
enum fg_err
fg_str_copy(char *dst, size_t cap, const char *src, size_t n) FG_WUR;
/* fg_str_copy_cut - copy a C string into dst[cap], cut to fit, with NUL */
void fg_str_copy_cut(char *dst, size_t cap, const char *src);
/*
 * fg_str_next_line - the next line of the NUL-terminated text at *cur
 * (without its LF) in *line; *cur moves past it.  0 when no line is
 * left; "a\n" is one line, "" none.
 */
int fg_str_next_line(const char **cur, struct fg_view *line);
/* fg_str_parse_u64 - decimal digits only, overflow and max checked */
enum fg_err
fg_str_parse_u64(const char *p, size_t n, uint64_t max, uint64_t *out) FG_WUR;
/*
 * fg_str_escape - append a log-safe copy of p[0..n) to b
 *
 * Printable ASCII is kept except backslash and double quote, which are
 * escaped; everything else becomes \xHH.  At most max output bytes are
 * written; a cut value ends in "...".
 */
void fg_str_escape(struct fg_buf *b, const char *p, size_t n, size_t max);
/* fg_str_escape_json - as fg_str_escape, but valid inside a JSON string */
void fg_str_escape_json(struct fg_buf *b, const char *p, size_t n, size_t max);
/*
 * fg_str_sanitize - append a copy safe for an SMTP reply text
 *
 * Printable ASCII is kept, anything else becomes '?', at most max bytes.
 */
void fg_str_sanitize(struct fg_buf *b, const char *p, size_t n, size_t max);

#endif
