/*
 * msgsplit.h - a message split into a header store and its body, for the
 * Check suites that verify what senders signed (DKIM, ARC)
 *
 * tmsg_parse feeds text through the daemon's splitter; tmsg_load reads a
 * file of tests/data/DIR first (SRCDIR is the source tree) and appends
 * extra to its body.  tmsg_free releases.
 */
#ifndef FG_MSGSPLIT_H
#define FG_MSGSPLIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/hdrstore.h"
#include "forgeguard/split.h"

struct tmsg {
	struct fg_hdrstore h;
	unsigned char *body;
	size_t n;
};

static inline void
tmsg_header(void *arg, const char *name, const char *value)
{
	struct tmsg *m = arg;

	ck_assert(fg_hdrstore_add(&m->h, name, strlen(name), value,
				  strlen(value)) == FG_OK);
}

static inline void
tmsg_eoh(void *arg)
{
	(void)arg;
}

static inline void
tmsg_body(void *arg, const unsigned char *p, size_t n)
{
	struct tmsg *m = arg;

	m->body = realloc(m->body, m->n + n);
	memcpy(m->body + m->n, p, n);
	m->n += n;
}

/* tmsg_parse - text through the splitter into m */
static inline void
tmsg_parse(const char *text, size_t n, struct tmsg *m)
{
	struct fg_split_sink sink = { tmsg_header, tmsg_eoh, tmsg_body, m };

	memset(m, 0, sizeof(*m));
	fg_hdrstore_init(&m->h);
	ck_assert(fg_split(text, n, 0, &sink) == FG_OK);
}

/* tmsg_load - tests/data/DIR/FILE, extra appended, into m */
static inline void
tmsg_load(const char *dir, const char *file, const char *extra, struct tmsg *m)
{
	char path[512], *text = malloc(1 << 20);
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tests/data/%s/%s", SRCDIR, dir, file);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	n = fread(text, 1, (1 << 20) - 4096, f);
	fclose(f);
	n += (size_t)snprintf(text + n, 4096, "%s", extra);
	tmsg_parse(text, n, m);
	free(text);
}

/* tmsg_free - release */
static inline void
tmsg_free(struct tmsg *m)
{
	fg_hdrstore_fini(&m->h);
	free(m->body);
}

#endif
