/*
 * milter.h - the libmilter glue, seen from main.c
 */
#ifndef FG_MILTER_H
#define FG_MILTER_H

#include "forgeguard/conf.h"
#include "forgeguard/dns.h"
#include "forgeguard/log.h"

struct fg_milter_opts {
	const char *conf_path; /* reloaded on SIGHUP; NULL: built-in */
	const char *socket; /* the milter socket */
	int foreground; /* for log_target = auto */
	unsigned socket_mode; /* chmod of a unix: socket */
	const char *user; /* chown of a unix: socket, or NULL */
};

/*
 * fg_milter_setup - register with libmilter and open the socket, while
 * still privileged; conf, log and dns become the daemon's (references
 * taken)
 */
int fg_milter_setup(struct fg_conf *conf, struct fg_log *log,
		    struct fg_dns *dns, const struct fg_milter_opts *o);
/* fg_milter_run - serve until SIGTERM/SIGINT; 0 on a clean stop */
int fg_milter_run(void);
/* fg_milter_open_dns - the resolver a configuration asks for */
struct fg_dns *
fg_milter_open_dns(const struct fg_conf *conf, struct fg_buf *err);
/* fg_milter_open_log - the sink for a configuration's log_target */
struct fg_log *fg_milter_open_log(const struct fg_conf *conf, int foreground,
				  struct fg_buf *err);

#endif
