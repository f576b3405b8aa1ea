/*
 * NAME
 *	authres - write the Authentication-Results field
 * SYNOPSIS
 *	#include "forgeguard/authres.h"
 * DESCRIPTION
 *	Entries are kept as tokens in one arena: "method=result", then
 *	reason="..." and ptype.property=value.  Rendering puts each entry
 *	on its own line and folds between tokens when a line would pass
 *	FG_AUTHRES_COLUMNS (a tab counted as 8 columns); a token is never
 *	split, so a quoted string is never folded.  A rendering longer than
 *	FG_AUTHRES_FIELD_MAX is tried again without the entry of lowest
 *	priority (the latest among equals) until it fits.
 * STANDARDS
 *	RFC 8601 2.2 (the field), 2.7 (methods and properties), 2.3
 *	(pvalue); RFC 5322 2.1.1 (78 characters per line), 2.2.3 (folding).
 * DIAGNOSTICS
 *	None: what does not fit is left out and counted.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/authres.h"
#include "forgeguard/str.h"

#define TAB_COLUMNS 8

/* fg_authres_init - no entries yet */
void
fg_authres_init(struct fg_authres *a, const char *authserv_id,
		const char *field_name)
{
	a->authserv_id = authserv_id;
	a->first_col = strlen(field_name) + 2; /* "Name: " */
	a->n = 0;
	a->lost = 0;
	a->used = 0;
	a->full = 0;
	a->skip = 0;
}

/* token_begin - start a token in the arena; 0 if it cannot be added */
static int
token_begin(struct fg_authres *a, struct fg_buf *b)
{
	struct fg_authres_entry *e;

	if (a->n == 0 || a->full || a->skip)
		return 0;
	e = &a->e[a->n - 1];
	if (e->ntok >= sizeof(e->tok) / sizeof(e->tok[0]) ||
	    a->used >= sizeof(a->arena) - 1)
		return 0;
	e->tok[e->ntok] = (unsigned)a->used;
	fg_buf_init(b, a->arena + a->used, sizeof(a->arena) - a->used);
	return 1;
}

/* token_end - keep the token (NUL included), unless it was cut */
static void
token_end(struct fg_authres *a, const struct fg_buf *b)
{
	if (b->truncated) {
		a->full = 1;
		return;
	}
	a->e[a->n - 1].ntok++;
	a->used += b->len + 1;
}

/* fg_authres_method - start an entry "method=result" */
void
fg_authres_method(struct fg_authres *a, int prio, const char *method,
		  const char *result)
{
	struct fg_buf b;

	a->skip = 0;
	if (a->n >= FG_AUTHRES_ENTRIES_MAX || a->full) {
		a->lost++;
		a->skip = 1;
		return;
	}
	a->e[a->n].prio = prio;
	a->e[a->n].ntok = 0;
	a->n++;
	if (token_begin(a, &b)) {
		(void)fg_buf_printf(&b, "%s=%s", method, result);
		token_end(a, &b);
	}
	if (a->e[a->n - 1].ntok == 0) {
		a->n--; /* no room for even the method */
		a->lost++;
		a->skip = 1;
	}
}

/* quoted - value as a quoted string, escaped, non-printables as '?' */
static void
quoted(struct fg_buf *b, const char *v)
{
	(void)fg_buf_putc(b, '"');
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c == '"' || c == '\\')
			(void)fg_buf_putc(b, '\\');
		(void)fg_buf_putc(b, FG_IS_PRINT(c) ? c : '?');
	}
	(void)fg_buf_putc(b, '"');
}

/* fg_authres_reason - reason="..." for the current entry */
void
fg_authres_reason(struct fg_authres *a, const char *why)
{
	struct fg_buf b;

	if (!token_begin(a, &b))
		return;
	(void)fg_buf_puts(&b, "reason=");
	quoted(&b, why);
	token_end(a, &b);
}

/* fg_authres_comment - "(text)" for the current entry, escaped */
void
fg_authres_comment(struct fg_authres *a, const char *text)
{
	struct fg_buf b;

	if (!token_begin(a, &b))
		return;
	(void)fg_buf_putc(&b, '(');
	for (; *text; text++) {
		unsigned char c = (unsigned char)*text;

		if (c == '(' || c == ')' || c == '\\')
			(void)fg_buf_putc(&b, '\\');
		(void)fg_buf_putc(&b, FG_IS_PRINT(c) ? c : '?');
	}
	(void)fg_buf_putc(&b, ')');
	token_end(a, &b);
}

/* bare_ok - can v be written as it is: a token, an address, an IP */
static int
bare_ok(const char *v)
{
	const char *p = v;

	if (*p == '\0')
		return 0;
	if (*p == '"') {
		/* a quoted local part, as the sender wrote it, then @domain */
		for (p++; *p && *p != '"'; p++)
			if (*p == '\\' && p[1] != '\0')
				p++;
		if (*p != '"' || p[1] != '@')
			return 0;
		p += 2;
	}
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (!FG_IS_PRINT(c) || c == ' ' || strchr("()<>,;\"[]\\", c))
			return 0;
	}
	return 1;
}

/* fg_authres_prop - ptype.property=value for the current entry */
void
fg_authres_prop(struct fg_authres *a, const char *name, const char *value)
{
	struct fg_buf b;

	if (!token_begin(a, &b))
		return;
	(void)fg_buf_printf(&b, "%s=", name);
	if (bare_ok(value))
		(void)fg_buf_puts(&b, value);
	else
		quoted(&b, value);
	token_end(a, &b);
}

/* put_token - a token on the current line, or folded onto the next */
static void
put_token(struct fg_buf *out, size_t *col, const char *t, int first)
{
	size_t n = strlen(t);

	if (first || *col + 1 + n > FG_AUTHRES_COLUMNS) {
		(void)fg_buf_puts(out, "\n\t");
		*col = TAB_COLUMNS;
	} else {
		(void)fg_buf_putc(out, ' ');
		(*col)++;
	}
	(void)fg_buf_puts(out, t);
	*col += n;
}

/* render - the field with the entries in keep[] (out->truncated when it
 * did not fit) */
static void
render(const struct fg_authres *a, const unsigned char *keep, size_t left_out,
       struct fg_buf *out)
{
	size_t col = a->first_col, k, i, shown = 0;

	out->len = 0;
	out->truncated = 0;
	out->data[0] = '\0';
	(void)fg_buf_puts(out, a->authserv_id);
	col += strlen(a->authserv_id);
	for (k = 0; k < a->n; k++) {
		if (!keep[k])
			continue;
		(void)fg_buf_putc(out, ';');
		for (i = 0; i < a->e[k].ntok; i++)
			put_token(out, &col, a->arena + a->e[k].tok[i], i == 0);
		shown++;
	}
	if (shown == 0) {
		(void)fg_buf_puts(out, "; none");
		col += 6;
	}
	if (left_out > 0) {
		char note[80];

		(void)snprintf(note, sizeof(note),
			       "(%zu result%s left out: the field was too "
			       "long)",
			       left_out, left_out == 1 ? "" : "s");
		put_token(out, &col, note, 0);
	}
}

/* lowest - the kept entry of lowest priority, the latest among equals */
static size_t
lowest(const struct fg_authres *a, const unsigned char *keep)
{
	size_t k, best = a->n;

	for (k = 0; k < a->n; k++)
		if (keep[k] &&
		    (best == a->n || a->e[k].prio <= a->e[best].prio))
			best = k;
	return best;
}

/* fg_authres_write - the field body, fitted */
size_t
fg_authres_write(const struct fg_authres *a, struct fg_buf *out)
{
	unsigned char keep[FG_AUTHRES_ENTRIES_MAX];
	size_t left_out = a->lost, k;

	memset(keep, 1, sizeof(keep));
	for (;;) {
		render(a, keep, left_out, out);
		if (!out->truncated)
			return left_out;
		k = lowest(a, keep);
		if (k == a->n)
			break;
		keep[k] = 0;
		left_out++;
	}
	out->len = 0;
	out->data[0] = '\0';
	return left_out;
}
