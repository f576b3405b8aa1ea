/*
 * NAME
 *	hdrstore - keep a message's header fields, raw and in order
 * SYNOPSIS
 *	#include "forgeguard/hdrstore.h"
 * DESCRIPTION
 *	One arena of bytes and one array of fields, both grown by doubling;
 *	fields refer to the arena by offset, so growing never invalidates
 *	them.  Nothing is parsed here: the header facts (message.c) and
 *	the signature checks read the store.
 * STANDARDS
 *	RFC 5322 2.2 (header fields), 2.2.3 (folding).
 * DIAGNOSTICS
 *	FG_ENOMEM from fg_hdrstore_add.
 */
#include <stdlib.h>
#include <string.h>

#include "forgeguard/bounds.h"
#include "forgeguard/hdrstore.h"

/* First allocations: most messages have 10 to 40 fields, 2 to 8 kB. */
#define FIELDS_FIRST 32
#define ARENA_FIRST 4096

/* fg_hdrstore_init - an empty store */
void
fg_hdrstore_init(struct fg_hdrstore *h)
{
	memset(h, 0, sizeof(*h));
}

/* fg_hdrstore_fini - free, then empty */
void
fg_hdrstore_fini(struct fg_hdrstore *h)
{
	free(h->f);
	free(h->arena);
	fg_hdrstore_init(h);
}

/* room - space for one more field of n bytes */
static enum fg_err
room(struct fg_hdrstore *h, size_t n)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : FIELDS_FIRST;
		struct fg_hdrfield *f = realloc(h->f, cap * sizeof(*f));

		if (f == NULL)
			return FG_ENOMEM;
		h->f = f;
		h->cap = cap;
	}
	if (h->used + n > h->acap) {
		size_t cap = h->acap ? h->acap : ARENA_FIRST;
		char *a;

		while (cap < h->used + n)
			cap *= 2;
		a = realloc(h->arena, cap);
		if (a == NULL)
			return FG_ENOMEM;
		h->arena = a;
		h->acap = cap;
	}
	return FG_OK;
}

/* fg_hdrstore_add - keep one field */
enum fg_err
fg_hdrstore_add(struct fg_hdrstore *h, const char *name, size_t nn,
		const char *value, size_t vn)
{
	struct fg_hdrfield *f;
	size_t keep = vn > FG_HEADER_FIELD_MAX ? FG_HEADER_FIELD_MAX : vn;

	h->seen++;
	if (nn > FG_HEADER_FIELD_MAX)
		nn = FG_HEADER_FIELD_MAX;
	if (h->n >= FG_HDRSTORE_FIELDS_MAX ||
	    h->used + nn + keep > FG_HDRSTORE_BYTES_MAX) {
		h->not_kept++;
		return FG_OK;
	}
	if (room(h, nn + keep) != FG_OK)
		return FG_ENOMEM;
	f = &h->f[h->n++];
	f->name_off = (uint32_t)h->used;
	f->name_len = (uint32_t)nn;
	memcpy(h->arena + h->used, name, nn);
	h->used += nn;
	f->value_off = (uint32_t)h->used;
	f->value_len = (uint32_t)keep;
	f->full_len = vn > UINT32_MAX ? UINT32_MAX : (uint32_t)vn;
	memcpy(h->arena + h->used, value, keep);
	h->used += keep;
	return FG_OK;
}

/* fg_hdrstore_name - the name of field i */
struct fg_view
fg_hdrstore_name(const struct fg_hdrstore *h, size_t i)
{
	struct fg_view v = { h->arena + h->f[i].name_off, h->f[i].name_len };

	return v;
}

/* fg_hdrstore_value - the kept value bytes of field i */
struct fg_view
fg_hdrstore_value(const struct fg_hdrstore *h, size_t i)
{
	struct fg_view v = { h->arena + h->f[i].value_off, h->f[i].value_len };

	return v;
}

/* fg_hdrstore_is - is field i named name */
int
fg_hdrstore_is(const struct fg_hdrstore *h, size_t i, const char *name)
{
	return fg_str_caseeqz(h->arena + h->f[i].name_off, h->f[i].name_len,
			      name);
}
