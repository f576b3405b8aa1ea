/*
 * reply.h - the one builder of SMTP replies
 *
 * Every reply forgeguard sends goes through fg_reply_build, which only
 * produces what Postfix and libmilter accept: a 4xx or 5xx code whose
 * class matches the action, an RFC 3463 enhanced code of the same class,
 * printable ASCII text without CR or LF, bounded length, and a copy of
 * the text with '%' doubled for libmilter.
 */
#ifndef FG_REPLY_H
#define FG_REPLY_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/catalog.h"
#include "forgeguard/err.h"

struct fg_reply {
	char rcode[4]; /* "550" */
	char xcode[12]; /* "5.7.1" */
	char text[FG_REPLY_TEXT_MAX + 1]; /* as the client sees it */
	char wire[2 * FG_REPLY_TEXT_MAX + 1]; /* '%' doubled for libmilter */
};

/*
 * fg_reply_build - a reply for action (tempfail or reject) from spec,
 * with {value} replaced by the sanitized client value, {check} by the
 * check name and {reason} by the finding's reason (NULL: "rejected").
 * A spec of the wrong class is moved to the action's class.
 */
enum fg_err
fg_reply_build(struct fg_reply *out, enum fg_action action, const char *spec,
	       const char *check, const char *reason, const char *value,
	       size_t vn) FG_WUR;

/* fg_reply_append - add text to a built reply (a, b and c in turn, NULL
 * ends early), sanitized, within the bounds */
void fg_reply_append(struct fg_reply *r, const char *a, const char *b,
		     const char *c);

#endif
