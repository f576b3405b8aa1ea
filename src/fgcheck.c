/*
 * NAME
 *	forgeguard-check - run the forgeguard policy on one message, offline
 * SYNOPSIS
 *	forgeguard-check [-c FILE] --client-ip IP [--client-name NAME]
 *	    [--client-ptr NAME] [--helo NAME] [--auth LOGIN]
 *	    --from 'PATH [PARAM...]' --rcpt 'PATH [PARAM...]' [--rcpt ...]
 *	    [MESSAGE|-]
 * DESCRIPTION
 *	Drives the daemon's session engine (no libmilter) through connect,
 *	HELO, MAIL, RCPT, the message's header fields and end of message,
 *	prints every verdict line the daemon would log, the header it would
 *	add, and one final line "final: ACTION [CODE X.Y.Z TEXT]".
 * DIAGNOSTICS
 *	Exit status: 0 delivered (accept, log, tag), 2 usage or configuration
 *	error, 3 quarantine, 4 tempfail, 5 reject, 6 discard.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forgeguard/addr.h"
#include "forgeguard/conf.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/log.h"
#include "forgeguard/session.h"
#include "forgeguard/spf.h"
#include "forgeguard/str.h"

#define MAX_RCPTS 1000
#define MAX_ARGS 32
#define MESSAGE_MAX (64u << 20)

struct env {
	const char *client_ip;
	const char *client_name;
	const char *client_ptr;
	const char *auth;
	const char *our_host;
};

/* getsym - the macros a real Postfix would send */
static const char *
getsym(void *arg, const char *name)
{
	const struct env *e = arg;

	if (strcmp(name, "{client_addr}") == 0)
		return e->client_ip;
	if (strcmp(name, "{client_name}") == 0)
		return e->client_name;
	if (strcmp(name, "{client_ptr}") == 0)
		return e->client_ptr;
	if (strcmp(name, "{auth_authen}") == 0)
		return e->auth;
	if (strcmp(name, "j") == 0)
		return e->our_host;
	return NULL;
}

/* print_line - log sink: verdict lines to stdout */
static void
print_line(void *arg, enum fg_log_level level, const char *line, size_t len)
{
	fwrite(line, 1, len, stdout);
	fputc('\n', stdout);
}

/* path_end - where a path that did not parse probably ends: the first
 * blank outside quotes, after the closing '>' when it started with '<' */
static size_t
path_end(const char *s)
{
	int quoted = 0, closed = s[0] != '<';
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\\' && quoted && s[i + 1] != '\0')
			i++;
		else if (s[i] == '"')
			quoted = !quoted;
		else if (s[i] == '>' && !quoted)
			closed = 1;
		else if (s[i] == ' ' && !quoted && closed)
			return i;
	}
	return i;
}

/* split_cmd - "PATH PARAM..." into argv; the path's end found by the parser */
static void
split_cmd(char *s, char **argv, int max)
{
	struct fg_path path;
	size_t n = strlen(s), end;
	int argc = 0;

	if (fg_addr_parse_path(s, n, FG_ADDR_PREFIX | FG_ADDR_BARE, &path) ==
	    FG_OK)
		end = path.end;
	else
		end = path_end(s);
	argv[argc++] = s;
	s += end;
	while (*s != '\0' && argc < max - 1) {
		*s++ = '\0';
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		argv[argc++] = s;
		s += strcspn(s, " ");
	}
	argv[argc] = NULL;
}

/* read_all - the whole message, capped */
static char *
read_all(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1), *nb;

	while (buf != NULL) {
		size_t r = fread(buf + n, 1, cap - n, f);

		n += r;
		if (r == 0)
			break;
		if (n == cap) {
			if (cap >= MESSAGE_MAX)
				break;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (nb == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
	}
	if (buf != NULL)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* feed_headers - each unfolded header field of the message */
static void
feed_headers(struct fg_session *s, char *msg, size_t len)
{
	size_t i = 0;
	struct fg_verdict v;

	while (i < len) {
		size_t start = i, colon;
		char *name, *value;

		if (msg[i] == '\n' ||
		    (msg[i] == '\r' && i + 1 < len && msg[i + 1] == '\n'))
			return; /* end of the header section */
		/* a field runs to a newline not followed by a blank */
		while (i < len && !(msg[i] == '\n' &&
				    (i + 1 >= len || (msg[i + 1] != ' ' &&
						      msg[i + 1] != '\t'))))
			i++;
		msg[i < len ? i : len] = '\0';
		if (i > start && msg[i - 1] == '\r')
			msg[i - 1] = '\0';
		i++;
		colon = strcspn(msg + start, ":");
		if (msg[start + colon] != ':')
			continue; /* not a field: the engine never sees it */
		msg[start + colon] = '\0';
		name = msg + start;
		value = msg + start + colon + 1;
		while (*value == ' ' || *value == '\t')
			value++;
		fg_session_header(s, name, value, &v);
	}
}

/* final - print the final line; the exit status for the action */
static int
final(const struct fg_verdict *v)
{
	static const int status[FG_ACT_COUNT] = {
		[FG_ACT_ACCEPT] = 0,   [FG_ACT_LOG] = 0,
		[FG_ACT_TAG] = 0,      [FG_ACT_QUARANTINE] = 3,
		[FG_ACT_TEMPFAIL] = 4, [FG_ACT_REJECT] = 5,
		[FG_ACT_DISCARD] = 6,
	};

	printf("final: %s", fg_catalog_action_name(v->action));
	if (v->has_reply &&
	    (v->action == FG_ACT_REJECT || v->action == FG_ACT_TEMPFAIL))
		printf(" %s %s %s", v->reply.rcode, v->reply.xcode,
		       v->reply.text);
	printf("\n");
	return status[v->action];
}

/* refused - does this verdict stop the command */
static int
refused(const struct fg_verdict *v)
{
	return v->action == FG_ACT_TEMPFAIL || v->action == FG_ACT_REJECT ||
	       v->action == FG_ACT_DISCARD;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: forgeguard-check [-c FILE] --client-ip IP "
		"[--client-name NAME] [--client-ptr NAME]\n"
		"         [--helo NAME] [--auth LOGIN] --from 'PATH [PARAM...]'"
		"\n         --rcpt 'PATH [PARAM...]' [--rcpt ...] "
		"[MESSAGE|-]\n");
	exit(2);
}

/* run - one SMTP session through the engine; the exit status */
static int
run(struct fg_session *s, struct env *e, const char *helo, char *from,
    char **rcpts, int nrcpt, char *msg, size_t len)
{
	struct fg_macros m = { getsym, e };
	struct fg_verdict v, worst;
	struct fg_eom_ops ops;
	struct fg_ip ip;
	char *argv[MAX_ARGS];
	int k, accepted = 0;

	if (fg_ipaddr_parse(e->client_ip, strlen(e->client_ip), &ip) != FG_OK) {
		fprintf(stderr, "forgeguard-check: bad --client-ip %s\n",
			e->client_ip);
		return 2;
	}
	fg_session_connect(s, "offline", e->client_name, &ip, &m, &v);
	if (helo != NULL)
		fg_session_helo(s, helo, &m, &v);
	split_cmd(from, argv, MAX_ARGS);
	fg_session_mail(s, (const char *const *)argv, &m, &v);
	if (refused(&v)) {
		fg_session_abort(s);
		return final(&v);
	}
	memset(&worst, 0, sizeof(worst));
	for (k = 0; k < nrcpt; k++) {
		split_cmd(rcpts[k], argv, MAX_ARGS);
		fg_session_rcpt(s, (const char *const *)argv, &m, &v);
		if (v.action == FG_ACT_DISCARD) {
			fg_session_abort(s);
			return final(&v);
		}
		if (!refused(&v))
			accepted++;
		else if (v.action > worst.action)
			worst = v;
	}
	if (accepted == 0) {
		fg_session_abort(s);
		return final(&worst);
	}
	fg_session_data(s, &m, &v);
	feed_headers(s, msg, len);
	fg_session_eoh(s, &m, &v);
	fg_session_eom(s, &m, &v, &ops);
	if (ops.add_authres)
		printf("header: Authentication-Results: %s\n", ops.authres);
	if (ops.quarantine)
		printf("quarantine: %s\n", ops.quarantine_reason);
	return final(&v);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "client-ip", required_argument, NULL, 'i' },
		{ "client-name", required_argument, NULL, 'N' },
		{ "client-ptr", required_argument, NULL, 'P' },
		{ "helo", required_argument, NULL, 'H' },
		{ "auth", required_argument, NULL, 'a' },
		{ "from", required_argument, NULL, 'f' },
		{ "rcpt", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct env e = { NULL, "unknown", NULL, NULL, NULL };
	const char *conf_path = NULL, *helo = NULL;
	char *from = NULL, *rcpts[MAX_RCPTS], *msg = NULL;
	char estore[8192];
	struct fg_buf err;
	struct fg_conf *conf;
	struct fg_log *log;
	struct fg_session *s;
	struct fg_dns *dns = NULL;
	struct fg_spf *spf = NULL;
	struct fg_dns_opts dopts;
	size_t len = 0;
	int c, nrcpt = 0, rc;

	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf_path = optarg;
			break;
		case 'i':
			e.client_ip = optarg;
			break;
		case 'N':
			e.client_name = optarg;
			break;
		case 'P':
			e.client_ptr = optarg;
			break;
		case 'H':
			helo = optarg;
			break;
		case 'a':
			e.auth = optarg;
			break;
		case 'f':
			from = optarg;
			break;
		case 'r':
			if (nrcpt >= MAX_RCPTS)
				usage();
			rcpts[nrcpt++] = optarg;
			break;
		default:
			usage();
		}
	}
	if (e.client_ip == NULL || from == NULL || nrcpt == 0 ||
	    argc - optind > 1)
		usage();
	if (e.client_ptr == NULL)
		e.client_ptr = e.client_name;
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		FILE *f = fopen(argv[optind], "rb");

		if (f == NULL) {
			fprintf(stderr, "forgeguard-check: %s: %s\n",
				argv[optind], strerror(errno));
			return 2;
		}
		msg = read_all(f, &len);
		fclose(f);
	} else if (optind < argc) {
		msg = read_all(stdin, &len);
	} else {
		msg = calloc(1, 1);
	}
	fg_buf_init(&err, estore, sizeof(estore));
	if (msg == NULL || fg_conf_load(conf_path, &conf, &err) != FG_OK) {
		fprintf(stderr, "forgeguard-check: %s\n",
			msg == NULL ? "out of memory" : err.data);
		free(msg);
		return 2;
	}
	e.our_host = conf->authserv_id;
	dopts.resolver = conf->dns_resolver;
	dopts.trust_anchor = conf->dns_trust_anchor;
	if (fg_dns_new(&dopts, &dns, &err) != FG_OK ||
	    fg_spf_new(&spf) != FG_OK) {
		fprintf(stderr, "forgeguard-check: %s\n",
			err.len ? err.data : "cannot set up SPF");
		return 2;
	}
	if (fg_log_new_callback(print_line, NULL, &log) != FG_OK ||
	    fg_session_new(conf, log, &s) != FG_OK) {
		fprintf(stderr, "forgeguard-check: out of memory\n");
		return 2;
	}
	fg_session_set_engines(s, spf, dns);
	rc = run(s, &e, helo, from, rcpts, nrcpt, msg, len);
	fg_session_free(s);
	fg_dns_free(dns);
	fg_spf_free(spf);
	fg_log_unref(log);
	fg_conf_unref(conf);
	free(msg);
	return rc;
}
