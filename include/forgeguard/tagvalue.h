/*
 * tagvalue.h - tag=value lists (RFC 6376 3.2)
 *
 * DKIM-Signature, DKIM key records, ARC-Seal, ARC-Message-Signature and
 * DMARC records are all "tag=value; tag=value" lists.  The parser
 * records each tag's name and value as views into the input, the value
 * without the folding whitespace around it (whitespace inside a value is
 * kept: the caller knows whether it means anything), and refuses what
 * RFC 6376 3.2 refuses: a name that is not ALPHA *(ALPHA / DIGIT / "_"),
 * a missing "=", a value byte that is a control character, a tag given
 * twice.  Empty list items (";;") are skipped, as the tools in the field
 * do.  Tag names are case-sensitive.
 */
#ifndef FG_TAGVALUE_H
#define FG_TAGVALUE_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"
#include "forgeguard/str.h"

struct fg_tag {
	struct fg_view name;
	struct fg_view value;
};

struct fg_taglist {
	struct fg_tag t[FG_TAGS_MAX];
	size_t n;
	const char *why; /* on error: what */
	size_t errpos; /* and where */
};

/* fg_tagvalue_parse - the tags of p[0..n); FG_ESYNTAX with why and errpos
 * (FG_ETOOLONG: more than FG_TAGS_MAX tags) */
enum fg_err
fg_tagvalue_parse(const char *p, size_t n, struct fg_taglist *out) FG_WUR;
/* fg_tagvalue_get - the value of a tag, or NULL when it is absent */
const struct fg_view *
fg_tagvalue_get(const struct fg_taglist *l, const char *name);

#endif
