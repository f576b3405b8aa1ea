/*
 * NAME
 *	log - verdict and daemon message sinks
 * SYNOPSIS
 *	#include "forgeguard/log.h"
 * DESCRIPTION
 *	A reference-counted sink.  syslog lines go to facility mail with the
 *	ident given at open; file lines get a Postfix-like
 *	"Mon DD HH:MM:SS forgeguard[pid]: " prefix, stderr and stdout lines
 *	"forgeguard[pid]: ".  Each line is one write(2), so lines from
 *	concurrent sessions never interleave.
 *	This is the only file that includes <syslog.h>.
 * DIAGNOSTICS
 *	fg_log_open explains a bad target or an unopenable file in err.
 *	A failed write is not reported: logging never fails a session.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "forgeguard/bounds.h"
#include "forgeguard/log.h"
#include "forgeguard/str.h"

enum sink_kind { SINK_SYSLOG, SINK_FD, SINK_FILE, SINK_CALLBACK };

struct fg_log {
	atomic_int refs;
	enum sink_kind kind;
	int fd;
	char ident[32];
	atomic_long pid; /* for the "ident[pid]:" prefix; getpid is a
			  * system call, and this is the hot path */
	fg_log_fn fn;
	void *arg;
};

/* log_alloc - a sink with one reference */
static struct fg_log *
log_alloc(enum sink_kind kind, const char *ident)
{
	struct fg_log *log = calloc(1, sizeof(*log));

	if (log == NULL)
		return NULL;
	atomic_init(&log->refs, 1);
	atomic_init(&log->pid, (long)getpid());
	log->kind = kind;
	log->fd = -1;
	if (fg_str_copy(log->ident, sizeof(log->ident), ident, strlen(ident)) !=
	    FG_OK) {
		/* a cut ident still names us */
	}
	return log;
}

/* syslog_facility - "syslog" (mail) or "syslog:NAME"; -1 otherwise */
static int
syslog_facility(const char *target)
{
	static const struct {
		const char *name;
		int facility;
	} f[] = {
		{ "mail", LOG_MAIL },     { "daemon", LOG_DAEMON },
		{ "user", LOG_USER },     { "local0", LOG_LOCAL0 },
		{ "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },
		{ "local3", LOG_LOCAL3 }, { "local4", LOG_LOCAL4 },
		{ "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
		{ "local7", LOG_LOCAL7 },
	};
	size_t k;

	if (strcmp(target, "syslog") == 0)
		return LOG_MAIL;
	if (strncmp(target, "syslog:", 7) != 0)
		return -1;
	for (k = 0; k < sizeof(f) / sizeof(f[0]); k++)
		if (strcmp(target + 7, f[k].name) == 0)
			return f[k].facility;
	return -1;
}

/* fg_log_target_valid - is target a well-formed log target */
int
fg_log_target_valid(const char *target)
{
	if (syslog_facility(target) >= 0 || strcmp(target, "stderr") == 0 ||
	    strcmp(target, "stdout") == 0)
		return 1;
	return strncmp(target, "file:/", 6) == 0;
}

/* fg_log_open - open a sink for a target string */
enum fg_err
fg_log_open(const char *target, const char *ident, struct fg_log **out,
	    struct fg_buf *err)
{
	struct fg_log *log;

	*out = NULL;
	if (!fg_log_target_valid(target)) {
		(void)fg_buf_printf(
			err,
			"bad log target \"%s\" (want syslog, stderr, "
			"stdout or file:/PATH)",
			target);
		return FG_ESYNTAX;
	}
	if (syslog_facility(target) >= 0) {
		log = log_alloc(SINK_SYSLOG, ident);
		if (log != NULL)
			openlog(log->ident, LOG_PID | LOG_NDELAY,
				syslog_facility(target));
	} else if (strncmp(target, "file:", 5) == 0) {
		/* O_NONBLOCK: a FIFO without a reader must not block the
		 * open; writes block again below */
		int fd = open(target + 5,
			      O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
				      O_NONBLOCK,
			      0640);

		if (fd >= 0)
			(void)fcntl(fd, F_SETFL,
				    fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		if (fd < 0) {
			(void)fg_buf_printf(err, "cannot open log file %s: %s",
					    target + 5, strerror(errno));
			return FG_EIO;
		}
		log = log_alloc(SINK_FILE, ident);
		if (log == NULL)
			close(fd);
		else
			log->fd = fd;
	} else {
		log = log_alloc(SINK_FD, ident);
		if (log != NULL)
			log->fd = strcmp(target, "stdout") == 0 ? 1 : 2;
	}
	if (log == NULL)
		return FG_ENOMEM;
	*out = log;
	return FG_OK;
}

/* fg_log_new_callback - a sink that hands every line to fn */
enum fg_err
fg_log_new_callback(fg_log_fn fn, void *arg, struct fg_log **out)
{
	struct fg_log *log = log_alloc(SINK_CALLBACK, "forgeguard");

	*out = log;
	if (log == NULL)
		return FG_ENOMEM;
	log->fn = fn;
	log->arg = arg;
	return FG_OK;
}

/* fg_log_ref - take one more reference */
struct fg_log *
fg_log_ref(struct fg_log *log)
{
	atomic_fetch_add(&log->refs, 1);
	return log;
}

/* fg_log_unref - drop a reference; the last one closes the sink */
void
fg_log_unref(struct fg_log *log)
{
	if (log == NULL || atomic_fetch_sub(&log->refs, 1) != 1)
		return;
	if (log->kind == SINK_FILE)
		close(log->fd);
	free(log);
}

/* syslog_prio - our level as a syslog priority */
static int
syslog_prio(enum fg_log_level level)
{
	switch (level) {
	case FG_LOG_ERR:
		return LOG_ERR;
	case FG_LOG_WARNING:
		return LOG_WARNING;
	case FG_LOG_INFO:
		return LOG_INFO;
	case FG_LOG_DEBUG:
		return LOG_DEBUG;
	}
	return LOG_INFO;
}

/* write_all - write the whole buffer, retrying on EINTR and short writes */
static void
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* fg_log_line - write one finished line */
void
fg_log_line(struct fg_log *log, enum fg_log_level level, const char *line,
	    size_t len)
{
	char storage[FG_LOG_LINE_MAX + 128];
	struct fg_buf b;

	if (log == NULL)
		return;
	switch (log->kind) {
	case SINK_CALLBACK:
		log->fn(log->arg, level, line, len);
		return;
	case SINK_SYSLOG:
		syslog(syslog_prio(level), "%.*s", (int)len, line);
		return;
	case SINK_FILE:
	case SINK_FD:
		break;
	}
	fg_buf_init(&b, storage, sizeof(storage));
	if (log->kind == SINK_FILE) {
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];

		if (localtime_r(&now, &tm) != NULL &&
		    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S ", &tm) > 0)
			(void)fg_buf_puts(&b, stamp);
	}
	(void)fg_buf_printf(
		&b, "%s[%ld]: ", log->ident,
		atomic_load_explicit(&log->pid, memory_order_relaxed));
	if (len > FG_LOG_LINE_MAX)
		len = FG_LOG_LINE_MAX;
	(void)fg_buf_append(&b, line, len);
	/* the storage has room for the newline even after a full line */
	b.data[b.len++] = '\n';
	write_all(log->fd, b.data, b.len);
}

/* fg_log_forked - the process is a new one (after fork): take its pid */
void
fg_log_forked(struct fg_log *log)
{
	if (log != NULL)
		atomic_store(&log->pid, (long)getpid());
}

/* fg_log_msg - format and write one daemon message */
void
fg_log_msg(struct fg_log *log, enum fg_log_level level, const char *fmt, ...)
{
	char storage[FG_LOG_LINE_MAX];
	struct fg_buf b;
	va_list ap;

	fg_buf_init(&b, storage, sizeof(storage));
	if (level == FG_LOG_ERR)
		(void)fg_buf_puts(&b, "error: ");
	else if (level == FG_LOG_WARNING)
		(void)fg_buf_puts(&b, "warning: ");
	va_start(ap, fmt);
	(void)fg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fg_log_line(log, level, b.data, b.len);
}

/* fg_log_lines - one message per line */
void
fg_log_lines(struct fg_log *log, enum fg_log_level level, const char *prefix,
	     const char *text)
{
	struct fg_view l;

	while (fg_str_next_line(&text, &l))
		fg_log_msg(log, level, "%s: %.*s", prefix, (int)l.n, l.p);
}

/* fg_log_stderr - one line on standard error per line of text */
void
fg_log_stderr(const char *prog, const char *text)
{
	struct fg_view l;

	while (fg_str_next_line(&text, &l))
		fprintf(stderr, "%s: %.*s\n", prog, (int)l.n, l.p);
}
