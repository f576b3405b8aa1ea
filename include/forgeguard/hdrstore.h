/*
 * hdrstore.h - every header field of one message, raw, in order
 *
 * The MTA hands header fields over one at a time; the store keeps each
 * field's name and value bytes exactly as they came (the leading space
 * after the colon included, folding line ends as sent), so that checks
 * which sign or verify bytes (DKIM, ARC) see what the sender wrote, and
 * so that the position of every field is known when one must be
 * removed.  Values longer than FG_HEADER_FIELD_MAX are kept cut, with
 * their full length; fields past FG_HDRSTORE_FIELDS_MAX or
 * FG_HDRSTORE_BYTES_MAX are counted, not kept.
 */
#ifndef FG_HDRSTORE_H
#define FG_HDRSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/err.h"
#include "forgeguard/str.h"

struct fg_hdrfield {
	uint32_t name_off, name_len; /* in the arena */
	uint32_t value_off, value_len; /* kept bytes, in the arena */
	uint32_t full_len; /* the value's length as sent */
};

struct fg_hdrstore {
	struct fg_hdrfield *f;
	size_t n, cap; /* fields kept, allocated */
	char *arena;
	size_t used, acap;
	size_t seen; /* fields handed over, kept or not */
	size_t not_kept; /* past the store's bounds */
};

/* fg_hdrstore_init - an empty store */
void fg_hdrstore_init(struct fg_hdrstore *h);
/* fg_hdrstore_fini - free what the store holds, then empty it */
void fg_hdrstore_fini(struct fg_hdrstore *h);
/*
 * fg_hdrstore_add - keep one field; FG_ENOMEM when memory ran out (the
 * field is then not kept and the caller must not accept the message)
 */
enum fg_err fg_hdrstore_add(struct fg_hdrstore *h, const char *name, size_t nn,
			    const char *value, size_t vn) FG_WUR;
/* fg_hdrstore_name - the name of field i */
struct fg_view fg_hdrstore_name(const struct fg_hdrstore *h, size_t i);
/* fg_hdrstore_value - the kept value bytes of field i */
struct fg_view fg_hdrstore_value(const struct fg_hdrstore *h, size_t i);
/* fg_hdrstore_is - is field i named name (ASCII case-insensitively) */
int fg_hdrstore_is(const struct fg_hdrstore *h, size_t i, const char *name);

#endif
