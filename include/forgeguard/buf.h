/*
 * buf.h - a capped byte buffer over caller-owned storage
 *
 * Appends never write past the capacity; they keep what fits, keep the
 * buffer NUL-terminated, and report FG_ETOOLONG.  The truncated flag stays
 * set so that one check at the end covers a sequence of appends.
 */
#ifndef FG_BUF_H
#define FG_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "forgeguard/err.h"

struct fg_buf {
	char *data;
	size_t len;
	size_t cap; /* bytes of storage, including room for the NUL */
	int truncated;
};

/* fg_buf_init - use storage[0..cap) as an empty buffer (cap >= 1) */
void fg_buf_init(struct fg_buf *b, char *storage, size_t cap);
/* fg_buf_reset - empty the buffer, clear the truncated flag */
void fg_buf_reset(struct fg_buf *b);
/* fg_buf_append - append n bytes */
enum fg_err fg_buf_append(struct fg_buf *b, const void *p, size_t n);
/* fg_buf_puts - append a NUL-terminated string */
enum fg_err fg_buf_puts(struct fg_buf *b, const char *s);
/* fg_buf_putc - append one byte */
enum fg_err fg_buf_putc(struct fg_buf *b, int c);
/* fg_buf_printf - append formatted text */
enum fg_err
fg_buf_printf(struct fg_buf *b, const char *fmt, ...) FG_PRINTF(2, 3);
/* fg_buf_vprintf - append formatted text from a va_list */
enum fg_err
fg_buf_vprintf(struct fg_buf *b, const char *fmt, va_list ap) FG_PRINTF(2, 0);
/* fg_buf_truncate - cut back to len bytes (no-op if already shorter) */
void fg_buf_truncate(struct fg_buf *b, size_t len);

#endif
