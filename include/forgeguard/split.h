/*
 * split.h - a whole message, handed over the way an MTA hands it to a
 * milter
 *
 * forgeguard-check, the replay tool and the fuzzers read messages from
 * files; fg_split feeds them to a session exactly as Postfix does over
 * the milter protocol, so that every path through the session is the
 * daemon's:
 * - each header field as a name and a value; the value is everything
 *   after the colon, its leading space kept (SMFIP_HDR_LEADSPC), folded
 *   lines joined with a bare "\n", a NUL byte ending it;
 * - end of headers, at the first empty line, or at the first line that
 *   is neither a field nor a continuation (that line starts the body);
 * - the body in chunks of at most FG_BODY_CHUNK_MAX bytes, every line
 *   ending in CRLF, the last one too.
 * An mbox "From " envelope line at the very start is skipped; with
 * FG_SPLIT_MBOX, ">From " quoting in the body is undone as well.
 */
#ifndef FG_SPLIT_H
#define FG_SPLIT_H

#include <stddef.h>

#include "forgeguard/err.h"

#define FG_SPLIT_MBOX 1 /* undo mboxrd ">From " quoting in the body */

struct fg_split_sink {
	void (*header)(void *arg, const char *name, const char *value);
	void (*eoh)(void *arg);
	void (*body)(void *arg, const unsigned char *chunk, size_t len);
	void *arg;
};

/* fg_split - feed msg[0..len) to sink; FG_ENOMEM if a field or chunk
 * could not be held (what was fed so far stays fed) */
enum fg_err fg_split(const char *msg, size_t len, int flags,
		     const struct fg_split_sink *sink) FG_WUR;

#endif
