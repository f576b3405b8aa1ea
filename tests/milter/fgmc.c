/*
 * fgmc - a small milter-protocol client for the tests (and the benchmark)
 *
 * Speaks milter protocol 6 to a milter socket the way Postfix 3.7 does:
 * offers every action and protocol option, honours the milter's SMFIP_NO*
 * and SMFIP_NR_* answers, sends the macros of each stage before its
 * command.  Reads a script on stdin and prints one line per reply:
 *   negotiate [ACTIONS] | connect HOST ADDR [PORT] | helo NAME | mail ARG... |
 *   rcpt ARG... | data | header NAME VALUE... | eoh | body TEXT... | eom |
 *   abort | unknown CMD | quit | quitnc | raw HEX | sleep MS
 * negotiate offers every action, or only the hex ACTIONS mask given (an MTA
 * that refuses header changes: 0x100 (0 means the version 1 set)).
 * Any command may carry macros as %NAME=VALUE tokens (\s is a blank).
 * Options: -r N repeats the script body N times on one connection after
 * the first "connect" ... and prints latency figures; -q quiet.
 * Usage: fgmc [-r N] [-q] unix:/path | inet:PORT@HOST < script
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../common/milterpkt.h"
#include "../common/unescape.h"

#define P_NO_CONNECT 0x1
#define P_NO_HELO 0x2
#define P_NO_MAIL 0x4
#define P_NO_RCPT 0x8
#define P_NO_BODY 0x10
#define P_NO_HDRS 0x20
#define P_NO_EOH 0x40
#define NR_HDR 0x80
#define P_NO_UNKNOWN 0x100
#define P_NO_DATA 0x200
#define NR_CONN 0x1000
#define NR_HELO 0x2000
#define NR_MAIL 0x4000
#define NR_RCPT 0x8000
#define NR_DATA 0x10000
#define NR_UNKN 0x20000
#define NR_EOH 0x40000
#define NR_BODY 0x80000
#define OFFER_PROTO 0x1FFFFFu
#define OFFER_ACTIONS 0x1FFu

static int fd = -1;
static uint32_t proto; /* what the milter asked for */
static int quiet;
/* the milter answered a body chunk with SMFIR_SKIP: no more body, as an
 * MTA would (until the next message) */
static int body_skipped;

static void
die(const char *what)
{
	fprintf(stderr, "fgmc: %s: %s\n", what, strerror(errno));
	exit(3);
}

/* no_hang - a reply that never comes fails the case after 10 s, so a
 * stuck milter (or a step it ignores) can never hang the test suite */
static int
no_hang(int s)
{
	struct timeval tv = { .tv_sec = 10 };

	(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return s;
}

static int
dial(const char *spec)
{
	int s;

	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", spec + 5);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			die("connect");
		return no_hang(s);
	}
	if (strncmp(spec, "inet:", 5) == 0 || strncmp(spec, "inet6:", 6) == 0) {
		const char *p = strchr(spec, ':') + 1;
		const char *at = strchr(p, '@');
		char port[16], host[256];
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;

		snprintf(port, sizeof(port), "%.*s", (int)(at - p), p);
		snprintf(host, sizeof(host), "%s", at + 1);
		if (getaddrinfo(host, port, &hints, &ai) != 0)
			die("getaddrinfo");
		s = socket(ai->ai_family, SOCK_STREAM, 0);
		if (s < 0 || connect(s, ai->ai_addr, ai->ai_addrlen) < 0)
			die("connect");
		freeaddrinfo(ai);
		return no_hang(s);
	}
	fprintf(stderr, "fgmc: bad socket %s\n", spec);
	exit(2);
}

/* send_all - one write for macros and command, as Postfix flushes */
static void
send_all(struct pkt *a, struct pkt *b)
{
	if (pkt_write2(fd, a, b) < 0)
		die("write");
}

/* lost - no reply: say whether the milter closed or kept silent past
 * no_hang's limit, which are different bugs */
static void
lost(const char *stage)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		printf("%s: no reply within 10 s\n", stage);
	else
		printf("%s: closed\n", stage);
}

/* reply - read replies until a final one; print them; 1 if final found */
static int
reply(const char *stage)
{
	for (;;) {
		uint32_t len;
		char cmd, *data;

		if (pkt_read_full(fd, &len, 4) < 0) {
			lost(stage);
			return -1;
		}
		len = ntohl(len);
		if (len == 0 || len > 1 << 20) {
			printf("%s: bad length %u\n", stage, len);
			return -1;
		}
		data = malloc(len);
		if (pkt_read_full(fd, data, len) < 0) {
			lost(stage);
			free(data);
			return -1;
		}
		cmd = data[0];
		data[len - 1 > 0 ? len - 1 : 0] =
			len > 1 ? data[len - 1] : '\0';
		switch (cmd) {
		case 'c':
			if (!quiet)
				printf("%s: continue\n", stage);
			free(data);
			return 1;
		case 'a':
			printf("%s: accept\n", stage);
			free(data);
			return 1;
		case 'r':
			printf("%s: reject\n", stage);
			free(data);
			return 1;
		case 't':
			printf("%s: tempfail\n", stage);
			free(data);
			return 1;
		case 'd':
			printf("%s: discard\n", stage);
			free(data);
			return 1;
		case 'y':
			printf("%s: reply %.*s\n", stage,
			       (int)strnlen(data + 1, len - 1), data + 1);
			free(data);
			return 1;
		case 'i': {
			uint32_t idx;
			const char *name = data + 5;

			memcpy(&idx, data + 1, 4);
			if (!quiet) {
				printf("%s: insheader %u %s: ", stage,
				       ntohl(idx), name);
				for (const char *v = name + strlen(name) + 1;
				     v < data + len && *v; v++)
					fputs(*v == '\n'   ? "\\n"
					      : *v == '\t' ? "\\t"
							   : (char[]){ *v, 0 },
					      stdout);
				printf("\n");
			}
			break;
		}
		case 'h':
			if (!quiet)
				printf("%s: addheader %s\n", stage, data + 1);
			break;
		case 'm':
			if (!quiet)
				printf("%s: chgheader %s\n", stage, data + 5);
			break;
		case 'q':
			printf("%s: quarantine %s\n", stage, data + 1);
			break;
		case 's':
			printf("%s: skip\n", stage);
			body_skipped = 1;
			free(data);
			return 1;
		case 'p':
			break;
		default:
			printf("%s: unexpected reply '%c'\n", stage, cmd);
			free(data);
			return -1;
		}
		free(data);
	}
}

static void
negotiate(uint32_t actions)
{
	struct pkt p;
	uint32_t v[3] = { htonl(6), htonl(actions), htonl(OFFER_PROTO) };
	uint32_t len, r[3];
	char *data;

	pkt_start(&p, 'O');
	pkt_add(&p, v, sizeof(v));
	pkt_end(&p);
	send_all(NULL, &p);
	if (pkt_read_full(fd, &len, 4) < 0)
		die("negotiate");
	len = ntohl(len);
	data = malloc(len);
	if (len < 13 || pkt_read_full(fd, data, len) < 0 || data[0] != 'O')
		die("negotiate reply");
	memcpy(r, data + 1, 12);
	proto = ntohl(r[2]);
	printf("negotiate: version %u actions 0x%x protocol 0x%x%s\n",
	       ntohl(r[0]), ntohl(r[1]), proto, len > 13 ? " symlist" : "");
	free(data);
}

/* step - the SMFIP flags for a command: skipped?, no reply? */
static void
step_flags(char cmd, int *skip, int *noreply)
{
	static const struct {
		char cmd;
		uint32_t no, nr;
	} t[] = {
		{ 'C', P_NO_CONNECT, NR_CONN }, { 'H', P_NO_HELO, NR_HELO },
		{ 'M', P_NO_MAIL, NR_MAIL },    { 'R', P_NO_RCPT, NR_RCPT },
		{ 'T', P_NO_DATA, NR_DATA },    { 'L', P_NO_HDRS, NR_HDR },
		{ 'N', P_NO_EOH, NR_EOH },      { 'B', P_NO_BODY, NR_BODY },
		{ 'U', P_NO_UNKNOWN, NR_UNKN },
	};
	size_t k;

	*skip = 0;
	*noreply = 0;
	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		if (t[k].cmd == cmd) {
			*skip = (proto & t[k].no) != 0;
			*noreply = (proto & t[k].nr) != 0;
		}
	}
	if (cmd == 'A' || cmd == 'Q' || cmd == 'K')
		*noreply = 1;
}

/* run_line - one script line; 0 to go on, -1 when the milter closed */
static int
run_line(char *line, const char **stage_out)
{
	char *tok[64], *sv = NULL, *p, cmd = 0;
	int nt = 0, k, skip, noreply, macro_stage;
	struct pkt mac, c;
	int have_mac = 0;
	const char *stage;

	for (p = strtok_r(line, " ", &sv); p && nt < 64;
	     p = strtok_r(NULL, " ", &sv))
		tok[nt++] = p;
	if (nt == 0 || tok[0][0] == '#')
		return 0;
	stage = tok[0];
	*stage_out = stage;
	if (!strcmp(stage, "negotiate")) {
		negotiate(nt > 1 ? (uint32_t)strtoul(tok[1], NULL, 16)
				 : OFFER_ACTIONS);
		return 0;
	}
	if (!strcmp(stage, "sleep")) {
		usleep((useconds_t)atoi(tok[1]) * 1000);
		return 0;
	}
	if (!strcmp(stage, "connect"))
		cmd = 'C';
	else if (!strcmp(stage, "helo"))
		cmd = 'H';
	else if (!strcmp(stage, "mail"))
		cmd = 'M';
	else if (!strcmp(stage, "rcpt"))
		cmd = 'R';
	else if (!strcmp(stage, "data"))
		cmd = 'T';
	else if (!strcmp(stage, "header"))
		cmd = 'L';
	else if (!strcmp(stage, "eoh"))
		cmd = 'N';
	else if (!strcmp(stage, "body"))
		cmd = 'B';
	else if (!strcmp(stage, "eom"))
		cmd = 'E';
	else if (!strcmp(stage, "abort"))
		cmd = 'A';
	else if (!strcmp(stage, "unknown"))
		cmd = 'U';
	else if (!strcmp(stage, "quit"))
		cmd = 'Q';
	else if (!strcmp(stage, "quitnc"))
		cmd = 'K';
	else if (!strcmp(stage, "raw")) {
		struct pkt r;

		r.n = 0;
		for (k = 0; tok[1][k] && tok[1][k + 1]; k += 2) {
			char h[3] = { tok[1][k], tok[1][k + 1], 0 };

			r.buf[r.n++] = (char)strtol(h, NULL, 16);
		}
		send_all(NULL, &r);
		return reply("raw") < 0 ? -1 : 0;
	} else {
		fprintf(stderr, "fgmc: bad script line %s\n", stage);
		exit(2);
	}
	macro_stage = cmd;
	pkt_start(&mac, 'D');
	pkt_add(&mac, &(char){ (char)macro_stage }, 1);
	pkt_start(&c, cmd);
	for (k = 1; k < nt; k++) {
		char *eq;

		test_unescape(tok[k]);
		if (tok[k][0] == '%' && (eq = strchr(tok[k], '='))) {
			*eq = '\0';
			pkt_addz(&mac, tok[k] + 1);
			pkt_addz(&mac, eq + 1);
			have_mac = 1;
			continue;
		}
		if (cmd == 'C') {
			/* connect HOST ADDR [PORT] */
			pkt_addz(&c, tok[k]);
			if (k + 1 < nt) {
				const char *a = tok[k + 1];
				uint16_t port = htons(
					(uint16_t)(k + 2 < nt ? atoi(tok[k + 2])
							      : 25));

				pkt_add(&c, strchr(a, ':') ? "6" : "4", 1);
				pkt_add(&c, &port, 2);
				pkt_addz(&c, a);
			}
			break;
		}
		if (cmd == 'B') {
			pkt_add(&c, tok[k], strlen(tok[k]));
			if (k + 1 < nt)
				pkt_add(&c, " ", 1);
			continue;
		}
		if (cmd == 'L' && k >= 2) {
			/* the header value is the rest, blanks kept */
			for (; k < nt; k++) {
				test_unescape(tok[k]);
				pkt_add(&c, tok[k], strlen(tok[k]));
				if (k + 1 < nt)
					pkt_add(&c, " ", 1);
			}
			pkt_add(&c, "", 1);
			break;
		}
		pkt_addz(&c, tok[k]);
	}
	pkt_end(&c);
	pkt_end(&mac);
	step_flags(cmd, &skip, &noreply);
	if (skip) {
		if (!quiet)
			printf("%s: skipped (negotiated away)\n", stage);
		return 0;
	}
	if (cmd == 'B' && body_skipped) {
		if (!quiet)
			printf("%s: not sent (the milter skipped the body)\n",
			       stage);
		return 0;
	}
	if (cmd == 'E' || cmd == 'A' || cmd == 'M')
		body_skipped = 0;
	send_all(have_mac ? &mac : NULL, &c);
	if (noreply) {
		if (cmd == 'Q' || cmd == 'K' || cmd == 'A')
			return 0;
		if (!quiet)
			printf("%s: (no reply negotiated)\n", stage);
		return 0;
	}
	return reply(stage) < 0 ? -1 : 0;
}

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	char *lines[4096], buf[65536];
	int n = 0, k, repeat = 0, opt, body_from = -1, rc = 0;
	const char *stage = "";

	while ((opt = getopt(argc, argv, "r:q")) != -1) {
		if (opt == 'r')
			repeat = atoi(optarg);
		else if (opt == 'q')
			quiet = 1;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: fgmc [-r N] [-q] SOCKET < script\n");
		return 2;
	}
	while (n < 4096 && fgets(buf, sizeof(buf), stdin) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		lines[n++] = strdup(buf);
	}
	fd = dial(argv[optind]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (k = 0; k < n; k++) {
		char *l = strdup(lines[k]);
		int r = run_line(l, &stage);

		if (body_from < 0 && strncmp(lines[k], "connect", 7) == 0)
			body_from = k + 1;
		free(l);
		if (r < 0) {
			rc = 1;
			goto out;
		}
	}
	if (repeat > 0 && body_from >= 0) {
		/* the lines after connect, minus a trailing quit, N times */
		int last = n;
		double *lat = calloc((size_t)repeat, sizeof(double)), t0, all;

		while (last > body_from &&
		       strncmp(lines[last - 1], "quit", 4) == 0)
			last--;
		quiet = 1;
		all = now_ms();
		for (int i = 0; i < repeat; i++) {
			t0 = now_ms();
			for (k = body_from; k < last; k++) {
				char *l = strdup(lines[k]);
				int r = run_line(l, &stage);

				free(l);
				if (r < 0) {
					free(lat);
					rc = 1;
					goto out;
				}
			}
			lat[i] = now_ms() - t0;
		}
		all = now_ms() - all;
		qsort(lat, (size_t)repeat, sizeof(double), cmp_d);
		printf("repeat: %d transactions in %.1f ms, median %.3f ms, "
		       "p99 %.3f ms, max %.3f ms\n",
		       repeat, all, lat[repeat / 2], lat[(repeat * 99) / 100],
		       lat[repeat - 1]);
		free(lat);
	}
out:
	for (k = 0; k < n; k++)
		free(lines[k]);
	close(fd);
	return rc;
}
