/*
 * NAME
 *	conffile - tokenize forgeguard.conf
 * SYNOPSIS
 *	#include "forgeguard/conffile.h"
 * DESCRIPTION
 *	Splits a configuration file into logical "key = value" lines the
 *	way Postfix reads main.cf: "#" comments on their own lines, blank
 *	lines ignored, continuation lines start with whitespace.  Keys are
 *	letters, digits, "_", "." and "-".  Values lose surrounding blanks.
 * DIAGNOSTICS
 *	A line number and a reason for: a NUL byte, a missing "=", a bad
 *	key, a continuation with nothing to continue, an over-long line.
 */
#include <string.h>

#include "forgeguard/conffile.h"

/* fg_conffile_init - tokenize text[0..n) using scratch[cap] */
void
fg_conffile_init(struct fg_conffile *cf, const char *text, size_t n,
		 char *scratch, size_t cap)
{
	cf->p = text;
	cf->n = n;
	cf->pos = 0;
	cf->line = 1;
	cf->scratch = scratch;
	cf->cap = cap;
}

/* phys_line - the next physical line [*s, *e) without its newline */
static int
phys_line(struct fg_conffile *cf, size_t *s, size_t *e)
{
	const char *nl;

	if (cf->pos >= cf->n)
		return 0;
	*s = cf->pos;
	nl = memchr(cf->p + cf->pos, '\n', cf->n - cf->pos);
	*e = nl ? (size_t)(nl - cf->p) : cf->n;
	cf->pos = nl ? *e + 1 : cf->n;
	if (*e > *s && cf->p[*e - 1] == '\r')
		(*e)--;
	cf->line++;
	return 1;
}

/* is_blank_or_comment - nothing but blanks, or a comment */
static int
is_blank_or_comment(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && FG_IS_WSP((unsigned char)p[i]))
		i++;
	return i == n || p[i] == '#';
}

/* trim - drop blanks on both ends of a view */
static void
trim(struct fg_view *v)
{
	while (v->n > 0 && FG_IS_WSP((unsigned char)v->p[0])) {
		v->p++;
		v->n--;
	}
	while (v->n > 0 && FG_IS_WSP((unsigned char)v->p[v->n - 1]))
		v->n--;
}

/* join_line - one logical line into scratch; returns its length */
static enum fg_err
join_line(struct fg_conffile *cf, size_t s, size_t e, size_t *len,
	  const char **why)
{
	size_t used = 0, ns, ne;
	enum fg_err err = FG_OK;

	for (;;) {
		size_t n = e - s;

		if (memchr(cf->p + s, '\0', n) != NULL && err == FG_OK) {
			*why = "NUL byte in configuration line";
			err = FG_ESYNTAX;
		}
		if (used + n + 1 >= cf->cap && err == FG_OK) {
			*why = "configuration line too long";
			err = FG_ETOOLONG;
		}
		if (err == FG_OK) {
			if (used > 0)
				cf->scratch[used++] = ' ';
			memcpy(cf->scratch + used, cf->p + s, n);
			used += n;
		}
		/* look ahead: continuation lines start with a blank */
		if (cf->pos >= cf->n ||
		    !FG_IS_WSP((unsigned char)cf->p[cf->pos]))
			break;
		{
			size_t save = cf->pos;
			unsigned save_line = cf->line;

			if (!phys_line(cf, &ns, &ne))
				break;
			if (is_blank_or_comment(cf->p + ns, ne - ns)) {
				/* a blank line ends the logical line */
				if (ne == ns || cf->p[ns] != '#') {
					cf->pos = save;
					cf->line = save_line;
					break;
				}
				continue;
			}
			s = ns;
			e = ne;
		}
	}
	*len = used;
	return err;
}

/* key_ok - letters, digits, "_", ".", "-" */
static int
key_ok(const struct fg_view *k)
{
	size_t i;

	if (k->n == 0)
		return 0;
	for (i = 0; i < k->n; i++) {
		int c = (unsigned char)k->p[i];

		if (!FG_IS_ALNUM(c) && c != '_' && c != '.' && c != '-')
			return 0;
	}
	return 1;
}

/* fg_conffile_next - the next "key = value" */
enum fg_err
fg_conffile_next(struct fg_conffile *cf, struct fg_confline *out,
		 const char **why)
{
	size_t s, e, len;
	const char *eq;
	enum fg_err err;

	for (;;) {
		if (!phys_line(cf, &s, &e))
			return FG_ENOTFOUND;
		if (!is_blank_or_comment(cf->p + s, e - s))
			break;
	}
	out->line = cf->line - 1;
	if (FG_IS_WSP((unsigned char)cf->p[s])) {
		*why = "continuation line without a line to continue";
		return FG_ESYNTAX;
	}
	err = join_line(cf, s, e, &len, why);
	if (err)
		return err;
	eq = memchr(cf->scratch, '=', len);
	if (eq == NULL) {
		*why = "missing \"=\" (expected: key = value)";
		return FG_ESYNTAX;
	}
	out->key.p = cf->scratch;
	out->key.n = (size_t)(eq - cf->scratch);
	out->value.p = eq + 1;
	out->value.n = len - out->key.n - 1;
	trim(&out->key);
	trim(&out->value);
	if (!key_ok(&out->key)) {
		*why = "bad key (letters, digits, \"_\", \".\", \"-\")";
		return FG_ESYNTAX;
	}
	return FG_OK;
}

/* fg_conffile_item - split the next list item off *list */
int
fg_conffile_item(struct fg_view *list, struct fg_view *item)
{
	size_t i = 0;

	while (i < list->n &&
	       (FG_IS_SPACE((unsigned char)list->p[i]) || list->p[i] == ','))
		i++;
	list->p += i;
	list->n -= i;
	if (list->n == 0)
		return 0;
	i = 0;
	while (i < list->n && !FG_IS_SPACE((unsigned char)list->p[i]) &&
	       list->p[i] != ',')
		i++;
	item->p = list->p;
	item->n = i;
	list->p += i;
	list->n -= i;
	return 1;
}
