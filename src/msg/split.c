/*
 * NAME
 *	split - feed a message from a file as an MTA feeds a milter
 * SYNOPSIS
 *	#include "forgeguard/split.h"
 * DESCRIPTION
 *	Lines end in LF or CRLF on input.  Header fields follow RFC 5322
 *	2.2 with the obsolete syntax's blanks before the colon (4.5.8),
 *	which Postfix accepts too; a line that is neither a field nor a
 *	continuation ends the header section, as in Postfix's cleanup.
 *	Body lines are written with CRLF, as Postfix and Sendmail send
 *	them, in chunks no larger than theirs.
 * STANDARDS
 *	RFC 5322 2.1 (lines), 2.2 (fields), 2.2.3 (folding), 4.5.8;
 *	RFC 4155 (the mbox "From " line).
 * DIAGNOSTICS
 *	FG_ENOMEM.
 */
#include <stdlib.h>
#include <string.h>

#include "forgeguard/bounds.h"
#include "forgeguard/split.h"
#include "forgeguard/str.h"

/* A line of the input: [p, p + n), its LF (and CR) not included. */
struct line {
	const char *p;
	size_t n;
	size_t next; /* where the following line starts */
};

/* get_line - the line at pos; 0 at the end of the input */
static int
get_line(const char *msg, size_t len, size_t pos, struct line *l)
{
	const char *nl;

	if (pos >= len)
		return 0;
	l->p = msg + pos;
	nl = memchr(l->p, '\n', len - pos);
	l->n = nl != NULL ? (size_t)(nl - l->p) : len - pos;
	l->next = nl != NULL ? pos + l->n + 1 : len;
	if (l->n > 0 && l->p[l->n - 1] == '\r')
		l->n--;
	return 1;
}

/* field_name - the name's length when the line starts a field, else 0;
 * *colon is where the value starts */
static size_t
field_name(const struct line *l, size_t *colon)
{
	size_t i = 0, end;

	while (i < l->n && l->p[i] > 32 && l->p[i] < 127 && l->p[i] != ':')
		i++;
	end = i;
	while (i < l->n && (l->p[i] == ' ' || l->p[i] == '\t'))
		i++;
	if (end == 0 || i >= l->n || l->p[i] != ':')
		return 0;
	*colon = i + 1;
	return end;
}

/* A field being gathered: the name and the value so far. */
struct field {
	char *name;
	char *value;
	size_t n, cap;
};

/* value_add - append bytes to the value being gathered */
static enum fg_err
value_add(struct field *f, const char *p, size_t n)
{
	if (f->n + n + 1 > f->cap) {
		size_t cap = f->cap ? f->cap : 256;
		char *v;

		while (cap < f->n + n + 1)
			cap *= 2;
		v = realloc(f->value, cap);
		if (v == NULL)
			return FG_ENOMEM;
		f->value = v;
		f->cap = cap;
	}
	memcpy(f->value + f->n, p, n);
	f->n += n;
	f->value[f->n] = '\0';
	return FG_OK;
}

/* flush - hand the gathered field over, if there is one */
static void
flush(struct field *f, const struct fg_split_sink *sink)
{
	if (f->name != NULL)
		sink->header(sink->arg, f->name, f->value ? f->value : "");
	free(f->name);
	f->name = NULL;
	f->n = 0;
	if (f->value != NULL)
		f->value[0] = '\0';
}

/* start - a new field from its first line */
static enum fg_err
start(struct field *f, const struct line *l, size_t nn, size_t colon)
{
	f->name = malloc(nn + 1);
	if (f->name == NULL)
		return FG_ENOMEM;
	memcpy(f->name, l->p, nn);
	f->name[nn] = '\0';
	f->n = 0;
	return value_add(f, l->p + colon, l->n - colon);
}

/* headers - every field; the position where the body starts */
static enum fg_err
headers(const char *msg, size_t len, size_t *pos,
	const struct fg_split_sink *sink)
{
	struct field f = { NULL, NULL, 0, 0 };
	struct line l;
	enum fg_err err = FG_OK;
	size_t nn, colon;

	while (err == FG_OK && get_line(msg, len, *pos, &l)) {
		if (l.n == 0) {
			*pos = l.next; /* the empty line is not body */
			break;
		}
		if ((l.p[0] == ' ' || l.p[0] == '\t') && f.name != NULL) {
			err = value_add(&f, "\n", 1);
			if (err == FG_OK)
				err = value_add(&f, l.p, l.n);
		} else if ((nn = field_name(&l, &colon)) > 0) {
			flush(&f, sink);
			err = start(&f, &l, nn, colon);
		} else {
			break; /* not a header line: the body starts here */
		}
		*pos = l.next;
	}
	flush(&f, sink);
	free(f.value);
	return err;
}

/* A body chunk being filled. */
struct chunk {
	unsigned char *p;
	size_t n;
};

/* put - bytes into the chunk, handing over every full one */
static void
put(struct chunk *c, const char *p, size_t n, const struct fg_split_sink *sink)
{
	while (n > 0) {
		size_t k = FG_BODY_CHUNK_MAX - c->n;

		if (k > n)
			k = n;
		memcpy(c->p + c->n, p, k);
		c->n += k;
		p += k;
		n -= k;
		if (c->n == FG_BODY_CHUNK_MAX) {
			sink->body(sink->arg, c->p, c->n);
			c->n = 0;
		}
	}
}

/* is_quoted_from - a line ">...>From " that mboxrd quoting made */
static int
is_quoted_from(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && l->p[i] == '>')
		i++;
	return i > 0 && l->n - i >= 5 && memcmp(l->p + i, "From ", 5) == 0;
}

/* body - every line from pos on, with CRLF, in chunks */
static enum fg_err
body(const char *msg, size_t len, size_t pos, int flags,
     const struct fg_split_sink *sink)
{
	struct chunk c = { malloc(FG_BODY_CHUNK_MAX), 0 };
	struct line l;

	if (c.p == NULL)
		return FG_ENOMEM;
	while (get_line(msg, len, pos, &l)) {
		size_t skip = (flags & FG_SPLIT_MBOX) && is_quoted_from(&l);

		put(&c, l.p + skip, l.n - skip, sink);
		put(&c, "\r\n", 2, sink);
		pos = l.next;
	}
	if (c.n > 0)
		sink->body(sink->arg, c.p, c.n);
	free(c.p);
	return FG_OK;
}

/* fg_split - feed msg[0..len) to sink */
enum fg_err
fg_split(const char *msg, size_t len, int flags,
	 const struct fg_split_sink *sink)
{
	size_t pos = 0, colon;
	struct line l;
	enum fg_err err;

	if (get_line(msg, len, 0, &l) && l.n >= 5 &&
	    memcmp(l.p, "From ", 5) == 0 && field_name(&l, &colon) == 0)
		pos = l.next; /* the mbox envelope line */
	err = headers(msg, len, &pos, sink);
	if (err != FG_OK)
		return err;
	sink->eoh(sink->arg);
	return body(msg, len, pos, flags, sink);
}
