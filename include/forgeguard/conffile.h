/*
 * conffile.h - tokenizer for Postfix-style "key = value" files
 *
 * Comments start with "#" as the first non-blank character of a line;
 * a line that starts with whitespace continues the previous one (joined
 * with one space).  The tokenizer knows nothing about which keys exist.
 */
#ifndef FG_CONFFILE_H
#define FG_CONFFILE_H

#include <stddef.h>

#include "forgeguard/err.h"
#include "forgeguard/str.h"

struct fg_conffile {
	const char *p;
	size_t n;
	size_t pos;
	unsigned line; /* line number of the next physical line */
	char *scratch; /* caller-owned, holds one logical line */
	size_t cap;
};

struct fg_confline {
	struct fg_view key;
	struct fg_view value;
	unsigned line; /* where the logical line started */
};

/* fg_conffile_init - tokenize text[0..n) using scratch[cap] */
void fg_conffile_init(struct fg_conffile *cf, const char *text, size_t n,
		      char *scratch, size_t cap);
/*
 * fg_conffile_next - the next "key = value"; FG_ENOTFOUND at the end,
 * FG_ESYNTAX or FG_ETOOLONG with why and out->line on a bad line (the
 * tokenizer has moved past it, so the caller may go on)
 */
enum fg_err fg_conffile_next(struct fg_conffile *cf, struct fg_confline *out,
			     const char **why) FG_WUR;
/*
 * fg_conffile_item - split the next list item (separated by whitespace
 * or commas) off *list; 0 when the list is exhausted
 */
int fg_conffile_item(struct fg_view *list, struct fg_view *item);

#endif
