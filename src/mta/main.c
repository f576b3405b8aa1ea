/*
 * NAME
 *	forgeguard - anti-forgery policy milter for Postfix and Sendmail
 * SYNOPSIS
 *	forgeguard [-c FILE | -B] [-f] [-n] [-p SOCKET] [-u USER] [-D] [-V]
 * DESCRIPTION
 *	Loads the configuration (FILE, else /etc/forgeguard/forgeguard.conf
 *	when it exists, else the built-in defaults), opens the milter socket
 *	while still root, drops privileges to "user", detaches unless -f,
 *	and serves milter sessions until SIGTERM.  SIGHUP reloads the file.
 *	-B ignores any file and uses the built-in defaults; -u overrides
 *	the user to run as.
 *	-n checks the configuration and exits 0 or 1; -D prints every key
 *	with its default; -V prints the version.
 *	This is the only place that calls exit(), always before serving.
 * DIAGNOSTICS
 *	Exit status 0 on success, 1 on a configuration or start-up error,
 *	2 on a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forgeguard/bounds.h"
#include "forgeguard/catalog.h"
#include "forgeguard/conf.h"
#include "forgeguard/dkimsign.h"
#include "forgeguard/log.h"
#include "milter.h"

/* usage - print the synopsis and exit 2 */
static void
usage(void)
{
	fprintf(stderr,
		"usage: forgeguard [-c FILE | -B] [-f] [-n] "
		"[-p SOCKET] [-u USER] [-D | -N | -P] [-V]\n"
		"  -c FILE    configuration file (default %s)\n"
		"  -B         built-in defaults, no file\n"
		"  -u USER    run as USER (overrides user =)\n"
		"  -f         stay in the foreground\n"
		"  -n         check the configuration and exit\n"
		"  -p SOCKET  unix:/PATH, inet:PORT@HOST or "
		"inet6:PORT@HOST\n"
		"  -D         print every key with its default\n"
		"  -N         print the settings the file makes (postconf -n)\n"
		"  -P         print every setting in effect (postconf)\n"
		"  -V         print the version\n",
		FG_CONF_DEFAULT_PATH);
	exit(2);
}

/* dump_defaults - every option and check, as a sample configuration */
static void
dump_defaults(void)
{
	struct fg_conf_doc d;
	size_t i;
	int id;

	for (i = 0; fg_conf_doc_get(i, &d); i++)
		printf("# %s\n%s = %s\n\n", d.doc, d.name, d.def);
	printf("# Per-check actions (accept, log, tag, quarantine, tempfail,"
	       " reject, discard)\n# and replies; the built-in defaults:\n");
	for (id = 0; id < FG_CHK_COUNT; id++) {
		const struct fg_catalog_check *c = fg_catalog_get(id);
		size_t k;

		printf("# %s: %s\n", c->name, c->doc);
		for (k = 0; k < sizeof(c->rules) / sizeof(c->rules[0]) &&
			    c->rules[k].reply != NULL;
		     k++)
			printf("#action.%s.%s = %s\n#reply.%s.%s = %s\n",
			       c->name,
			       fg_catalog_result_name(c->rules[k].result),
			       fg_catalog_action_name(c->rules[k].action),
			       c->name,
			       fg_catalog_result_name(c->rules[k].result),
			       c->rules[k].reply);
		printf("#dry_run.%s = no\n\n", c->name);
	}
}

/* print_setting - one "key = value" line of -N or -P */
static void
print_setting(void *arg, const char *key, const char *value)
{
	(void)arg;
	printf("%s = %s\n", key, value);
}

/* load - the configuration the options ask for, or exit 1 */
static struct fg_conf *
load(const char *path, int explicit_path)
{
	char estore[8192];
	struct fg_buf err;
	struct fg_conf *conf;
	enum fg_err e;

	fg_buf_init(&err, estore, sizeof(estore));
	if (path != NULL && !explicit_path && access(path, F_OK) != 0 &&
	    errno == ENOENT)
		path = NULL;
	e = fg_conf_load(path, &conf, &err);
	if (e) {
		fg_log_stderr("forgeguard", err.data);
		exit(1);
	}
	return conf;
}

/* drop_privileges - become user, or refuse to run as root */
static void
drop_privileges(const struct fg_conf *conf, const char *user)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return;
	if (user[0] == '\0') {
		if (conf->allow_root)
			return;
		fprintf(stderr, "forgeguard: refusing to serve as root: set "
				"user = NAME (or allow_root = yes)\n");
		exit(1);
	}
	pw = getpwnam(user);
	if (pw == NULL) {
		fprintf(stderr, "forgeguard: unknown user %s\n", user);
		exit(1);
	}
	if (setgroups(1, &pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		fprintf(stderr, "forgeguard: cannot become %s: %s\n", user,
			strerror(errno));
		exit(1);
	}
	if (setuid(0) == 0 || geteuid() == 0 || getuid() == 0) {
		fprintf(stderr, "forgeguard: still root after dropping "
				"privileges\n");
		exit(1);
	}
}

/*
 * small_stacks - libmilter starts a thread per connection with the
 * default 8 MB stack; glibc keeps only about 40 MB of freed stacks for
 * reuse, so at a few hundred connections every new thread maps and
 * faults in a fresh stack and every exit unmaps one (TLB shootdowns
 * across cores).  forgeguard's deepest call chain needs well under
 * 100 kB; 512 kB stacks stay in glibc's cache.
 */
static void
small_stacks(void)
{
	pthread_attr_t a;

	if (pthread_attr_init(&a) != 0)
		return;
	if (pthread_attr_setstacksize(&a, FG_THREAD_STACK) == 0)
		(void)pthread_setattr_default_np(&a);
	pthread_attr_destroy(&a);
}

/*
 * more_descriptors - raise the soft limit on open files to the hard one:
 * each session holds a socket and the DNS a few more, and at a soft
 * limit of 1,024 (or less) connections beyond it were accepted by
 * nobody and the MTA waited on them (issue 18 item 7).  Under systemd
 * the unit sets LimitNOFILE and setrlimit may be filtered: that is fine.
 */
static void
more_descriptors(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* detach - become a daemon */
static void
detach(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0) {
		perror("forgeguard: fork");
		exit(1);
	}
	if (pid > 0)
		exit(0);
	(void)setsid();
	if (chdir("/") != 0)
		exit(1);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

int
main(int argc, char **argv)
{
	const char *path = FG_CONF_DEFAULT_PATH, *sock = NULL, *user = NULL;
	int c, foreground = 0, check = 0, explicit_path = 0, rc, print = 0;
	struct fg_milter_opts o;
	struct fg_conf *conf;
	struct fg_log *log;
	struct fg_dns *dns;
	struct fg_signkeys *sk;
	char estore[4096];
	struct fg_buf err;

	while ((c = getopt(argc, argv, "c:Bfnp:u:DNPVh")) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			explicit_path = 1;
			break;
		case 'B':
			path = NULL;
			explicit_path = 1;
			break;
		case 'f':
			foreground = 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'p':
			sock = optarg;
			break;
		case 'D':
			dump_defaults();
			return 0;
		case 'N':
		case 'P':
			print = c;
			break;
		case 'V':
			printf("forgeguard %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	conf = load(path, explicit_path);
	if (print) {
		printf("# %s\n", conf->path ? conf->path : "built-in defaults");
		fg_conf_each(conf, print == 'P', print_setting, NULL);
		fg_conf_unref(conf);
		return 0;
	}
	fg_buf_init(&err, estore, sizeof(estore));
	if (check) {
		/* the resolver too: a trust anchor is read when it starts
		 * (no query is sent) */
		dns = fg_milter_open_dns(conf, &err);
		if (dns == NULL) {
			char prog[512];

			snprintf(prog, sizeof(prog), "forgeguard: %s",
				 conf->path ? conf->path : "built-in defaults");
			fg_log_stderr(prog, err.data);
			fg_conf_unref(conf);
			return 1;
		}
		fg_dns_free(dns);
		/* and every signing key decoded, as the start would */
		if (fg_signkeys_load(conf, &sk, &err) != FG_OK) {
			fg_log_stderr("forgeguard",
				      err.len ? err.data : "out of memory");
			fg_conf_unref(conf);
			return 1;
		}
		fg_signkeys_unref(sk);
		printf("%s: configuration OK\n",
		       conf->path ? conf->path : "built-in defaults");
		fg_buf_init(&err, estore, sizeof(estore));
		if (fg_conf_warnings(conf, &err) > 0)
			fg_log_stderr("forgeguard: warning", err.data);
		fg_conf_unref(conf);
		return 0;
	}
	log = fg_milter_open_log(conf, foreground, &err);
	if (log == NULL) {
		fg_log_stderr("forgeguard", err.data);
		return 1;
	}
	fg_buf_init(&err, estore, sizeof(estore));
	if (fg_conf_warnings(conf, &err) > 0)
		fg_log_lines(log, FG_LOG_WARNING, "configuration", err.data);
	fg_buf_init(&err, estore, sizeof(estore));
	o.conf_path = conf->path != NULL ? path : NULL; /* outlives conf */
	o.socket = sock ? sock : conf->socket;
	o.foreground = foreground;
	o.socket_mode = conf->socket_mode;
	o.user = user ? user : conf->user;
	dns = fg_milter_open_dns(conf, &err);
	if (dns == NULL) {
		fg_log_stderr("forgeguard", err.data);
		return 1;
	}
	more_descriptors();
	if (fg_milter_setup(conf, log, dns, &o) != 0)
		return 1;
	fg_dns_free(dns);
	drop_privileges(conf, o.user);
	if (!foreground) {
		detach();
		fg_log_forked(log);
	}
	fg_log_msg(log, FG_LOG_INFO, "listening on %s (configuration: %s)",
		   o.socket, conf->path ? conf->path : "built-in defaults");
	fg_log_unref(log);
	fg_conf_unref(conf);
	small_stacks();
	rc = fg_milter_run();
	return rc == 0 ? 0 : 1;
}
