/*
 * NAME
 *	buf - capped byte buffer over caller-owned storage
 * SYNOPSIS
 *	#include "forgeguard/buf.h"
 * DESCRIPTION
 *	A struct fg_buf never grows and never overflows: appends keep what
 *	fits and remember that they were cut.  It replaces strcpy, strcat and
 *	sprintf everywhere in forgeguard.
 * DIAGNOSTICS
 *	Appends return FG_ETOOLONG when output was cut.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/buf.h"

/* fg_buf_init - use storage[0..cap) as an empty buffer (cap >= 1) */
void
fg_buf_init(struct fg_buf *b, char *storage, size_t cap)
{
	b->data = storage;
	b->cap = cap;
	fg_buf_reset(b);
}

/* fg_buf_reset - empty the buffer, clear the truncated flag */
void
fg_buf_reset(struct fg_buf *b)
{
	b->len = 0;
	b->truncated = 0;
	if (b->cap > 0)
		b->data[0] = '\0';
}

/* fg_buf_append - append n bytes */
enum fg_err
fg_buf_append(struct fg_buf *b, const void *p, size_t n)
{
	size_t room;

	if (b->cap == 0)
		return FG_ETOOLONG;
	room = b->cap - 1 - b->len;
	if (n > room) {
		n = room;
		b->truncated = 1;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return b->truncated ? FG_ETOOLONG : FG_OK;
}

/* fg_buf_puts - append a NUL-terminated string */
enum fg_err
fg_buf_puts(struct fg_buf *b, const char *s)
{
	return fg_buf_append(b, s, strlen(s));
}

/* fg_buf_putc - append one byte */
enum fg_err
fg_buf_putc(struct fg_buf *b, int c)
{
	char ch = (char)c;

	return fg_buf_append(b, &ch, 1);
}

/* fg_buf_vprintf - append formatted text from a va_list */
enum fg_err
fg_buf_vprintf(struct fg_buf *b, const char *fmt, va_list ap)
{
	size_t room;
	int n;

	if (b->cap == 0)
		return FG_ETOOLONG;
	room = b->cap - b->len;
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		b->truncated = 1;
		return FG_EINVAL;
	}
	if ((size_t)n >= room) {
		b->len = b->cap - 1;
		b->truncated = 1;
		return FG_ETOOLONG;
	}
	b->len += (size_t)n;
	return b->truncated ? FG_ETOOLONG : FG_OK;
}

/* fg_buf_printf - append formatted text */
enum fg_err
fg_buf_printf(struct fg_buf *b, const char *fmt, ...)
{
	va_list ap;
	enum fg_err err;

	va_start(ap, fmt);
	err = fg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return err;
}

/* fg_buf_truncate - cut back to len bytes (no-op if already shorter) */
void
fg_buf_truncate(struct fg_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}
