/*
 * log.h - where verdict lines and daemon messages go
 *
 * A struct fg_log is a reference-counted sink: syslog (facility mail),
 * stderr, stdout, a file, or a callback (tests and forgeguard-check).  Each
 * line is written with one write(2) so that concurrent sessions never
 * interleave inside a line.  Callers format and escape; the sink only adds
 * the Postfix-style prefix where the target has none of its own.
 */
#ifndef FG_LOG_H
#define FG_LOG_H

#include <stddef.h>

#include "forgeguard/buf.h"
#include "forgeguard/err.h"

enum fg_log_level {
	FG_LOG_ERR,
	FG_LOG_WARNING,
	FG_LOG_INFO,
	FG_LOG_DEBUG,
};

struct fg_log;

/* A callback sink receives each finished line (no newline). */
typedef void (*fg_log_fn)(void *arg, enum fg_log_level level, const char *line,
			  size_t len);

/*
 * fg_log_open - open a sink for target "syslog" (facility mail),
 * "syslog:FACILITY" (mail, daemon, user, local0 to local7), "stderr",
 * "stdout" or "file:PATH"; on error write a reason into err
 */
enum fg_err fg_log_open(const char *target, const char *ident,
			struct fg_log **out, struct fg_buf *err) FG_WUR;
/* fg_log_new_callback - a sink that hands every line to fn */
enum fg_err
fg_log_new_callback(fg_log_fn fn, void *arg, struct fg_log **out) FG_WUR;
/* fg_log_ref - take one more reference */
struct fg_log *fg_log_ref(struct fg_log *log);
/* fg_log_unref - drop a reference; the last one closes the sink (NULL ok) */
void fg_log_unref(struct fg_log *log);
/* fg_log_line - write one finished line */
void fg_log_line(struct fg_log *log, enum fg_log_level level, const char *line,
		 size_t len);
/* fg_log_msg - format and write one daemon message */
void fg_log_msg(struct fg_log *log, enum fg_log_level level, const char *fmt,
		...) FG_PRINTF(3, 4);
/* fg_log_lines - one message per line of text, each "prefix: LINE" (one
 * syslog record with line ends in it would show them as #012) */
void fg_log_lines(struct fg_log *log, enum fg_log_level level,
		  const char *prefix, const char *text);
/* fg_log_stderr - each line of text on standard error as "prog: LINE",
 * so that every one of several errors names the program */
void fg_log_stderr(const char *prog, const char *text);
/* fg_log_target_valid - is target a well-formed log target */
int fg_log_target_valid(const char *target);

/* fg_log_forked - after fork(): the sink's lines carry the new pid */
void fg_log_forked(struct fg_log *log);

#endif
