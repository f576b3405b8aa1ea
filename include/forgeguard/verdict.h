/*
 * verdict.h - one log line per stage, and one summary per transaction
 *
 * Lines are versioned key=value (v=1) or JSON with the same facts.  Every
 * client-supplied value is escaped and bounded, so a hostile HELO cannot
 * forge or split a log line.
 */
#ifndef FG_VERDICT_H
#define FG_VERDICT_H

#include <stddef.h>

#include "forgeguard/buf.h"
#include "forgeguard/conf.h"
#include "forgeguard/policy.h"
#include "forgeguard/str.h"

struct fg_vline {
	enum fg_stage stage;
	int summary; /* the per-transaction summary line */
	const char *sid;
	const char *qid; /* "" until known */
	const char *client_name;
	const char *client_addr;
	struct fg_view helo; /* p NULL: not yet seen */
	struct fg_view from; /* p NULL: not yet seen */
	const struct fg_view *rcpts; /* the recipients to list */
	size_t nrcpts_listed;
	size_t nrcpts; /* summary: recipients accepted */
	size_t nrejected; /* summary: recipients refused */
	const char *extra_key; /* an extra client value, e.g. "cmd" */
	struct fg_view extra;
	const char *extra2_key; /* and a second one */
	struct fg_view extra2;
	const char *extra3_key; /* and a third */
	struct fg_view extra3;
	const char *extra4_key; /* and a fourth */
	struct fg_view extra4;
	const struct fg_findings *findings;
	int only_problems; /* leave pass findings out */
	const struct fg_verdict *verdict;
	enum fg_action deferred; /* > accept: waits for a later stage */
	int exempt; /* postmaster@ exemption applied */
	double ms;
};

/* fg_verdict_format - the line for v in the given format */
void fg_verdict_format(const struct fg_vline *v, enum fg_log_format fmt,
		       struct fg_buf *out);

#endif
