/*
 * fuzz_verdict.h - what every session harness asserts: a log line is one
 * line, a verdict a legal action, a refusal carries a reply of its class
 * (5xx/5.x.x for reject, 4xx/4.x.x for tempfail) without line breaks.
 */
#ifndef FG_FUZZ_VERDICT_H
#define FG_FUZZ_VERDICT_H

#include <string.h>

#include "forgeguard/session.h"

/* fuzz_drop - log sink: a verdict line never contains a line break */
static void
fuzz_drop(void *arg, enum fg_log_level l, const char *line, size_t len)
{
	if (memchr(line, '\n', len) || memchr(line, '\r', len))
		__builtin_trap();
}

/* fuzz_check - one verdict */
static void
fuzz_check(const struct fg_verdict *v)
{
	if ((unsigned)v->action >= FG_ACT_COUNT)
		__builtin_trap();
	if (v->action == FG_ACT_REJECT &&
	    (!v->has_reply || v->reply.rcode[0] != '5' ||
	     v->reply.xcode[0] != '5'))
		__builtin_trap();
	if (v->action == FG_ACT_TEMPFAIL &&
	    (!v->has_reply || v->reply.rcode[0] != '4' ||
	     v->reply.xcode[0] != '4'))
		__builtin_trap();
	if (v->has_reply &&
	    (strchr(v->reply.text, '\r') || strchr(v->reply.text, '\n')))
		__builtin_trap();
}

#endif
