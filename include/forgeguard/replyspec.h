/*
 * replyspec.h - the syntax of a reply template, "CODE X.Y.Z TEXT"
 *
 * Reply templates come from the check catalogue and from reply.CHECK
 * keys.  The configuration checks every template it loads with
 * fg_replyspec_check; the reply builder splits them with
 * fg_replyspec_parse.  Placeholders in TEXT: {value} (the offending
 * client value), {check} (the check id) and {reason}.
 */
#ifndef FG_REPLYSPEC_H
#define FG_REPLYSPEC_H

#include "forgeguard/err.h"

struct fg_replyspec {
	char rcode[4]; /* "550" */
	char xcode[12]; /* "5.7.1" */
	const char *text; /* into the template, after the codes */
};

/*
 * fg_replyspec_parse - split "CODE X.Y.Z TEXT": a 4xx or 5xx code, an
 * RFC 3463 enhanced code of the same class; why names a problem
 */
enum fg_err fg_replyspec_parse(const char *spec, struct fg_replyspec *out,
			       const char **why) FG_WUR;
/*
 * fg_replyspec_check - a template fit to be configured: it parses, its
 * text is printable ASCII, not empty, leaves room for a value, and
 * names no placeholder but {value}, {check} and {reason}
 */
enum fg_err fg_replyspec_check(const char *spec, const char **why) FG_WUR;

#endif
