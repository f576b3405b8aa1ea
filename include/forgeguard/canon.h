/*
 * canon.h - DKIM canonicalization of header fields and of the body
 *
 * The canonical bytes go to a sink (the hashers), so nothing is copied
 * beyond a small output buffer.  Header fields come from the header
 * store: the value as sent, its leading space kept, folded lines joined
 * with LF or CRLF.  The body comes in chunks with CRLF line ends, as
 * the MTA sends it, and is canonicalized as it streams: trailing empty
 * lines are held back until something follows them.
 */
#ifndef FG_CANON_H
#define FG_CANON_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/dkimsig.h"

/* Where canonical bytes go. */
typedef void fg_canon_sink(void *arg, const void *p, size_t n);

/* Bytes of canonical body gathered before the sink is called. */
#define FG_CANON_BUF 16384

struct fg_canon_body {
	enum fg_canon c;
	fg_canon_sink *sink;
	void *arg;
	int cr; /* a CR waits for its LF */
	int line; /* the current line has content */
	int wsp; /* relaxed: blanks wait for more content */
	uint64_t empty; /* empty lines held back */
	uint64_t total; /* canonical bytes produced */
	size_t n;
	unsigned char buf[FG_CANON_BUF];
};

/*
 * fg_canon_header - one field, canonical, to sink; with crlf the line
 * end too (every field but the signature's own, RFC 6376 3.7)
 */
void
fg_canon_header(enum fg_canon c, const char *name, size_t nn, const char *value,
		size_t vn, int crlf, fg_canon_sink *sink, void *arg);
/* fg_canon_body_init - a canonicalizer that writes to sink */
void fg_canon_body_init(struct fg_canon_body *b, enum fg_canon c,
			fg_canon_sink *sink, void *arg);
/* fg_canon_body_feed - the next body bytes */
void
fg_canon_body_feed(struct fg_canon_body *b, const unsigned char *p, size_t n);
/* fg_canon_body_end - the end of the body: what is still held back */
void fg_canon_body_end(struct fg_canon_body *b);

#endif
