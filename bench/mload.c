/*
 * bench/mload - a milter-protocol load generator
 *
 *   mload -s SOCKET [-c CONNS] [-d SECONDS] [-m MIX] [-b BYTES] [-P PID]
 *         [-n MESSAGES] [-f MESSAGE-FILE ...]
 *
 * CONNS threads (1 to 1000) each open milter connections the way Postfix
 * 3.7 does (protocol 6, offering every action and every protocol step
 * option), and send one SMTP session per connection: connect with a
 * TEST-NET client address, HELO, MAIL, RCPT, DATA, the header fields,
 * end of headers, the body in 64 kB chunks, end of message, QUIT.  Steps
 * the milter negotiated away are skipped, steps it asked not to answer
 * are not waited for, exactly as Postfix does.  MIX is a comma list of
 * message kinds used in turn:
 *   clean     an SPF-pass sender (example.org in the bench zones)
 *   spffail   a sender whose SPF fails for the client
 *   forged    a Received: chain claiming our own host (refused at EOH)
 *   dkim      a message carrying a DKIM-Signature header
 * With -f, the header fields and body of the given RFC 5322 files are
 * sent instead, in turn, from an SPF-pass client (a DKIM-signed corpus).
 * It runs for SECONDS (or MESSAGES messages) and prints messages per
 * second, latency per message and per stage (p50, p99, p99.9, in ms),
 * errors, and with -P the milter's peak and current RSS, as
 *   key=value lines (one "result" line, one "stage" line per stage).
 * Milter protocol: Sendmail's libmilter/mfdef.h, as spoken by Postfix.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
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

#include "../tests/common/milterpkt.h"

#define MAXCONN 1000
#define SAMPLES 2000000

enum {
	S_CONN,
	S_HELO,
	S_MAIL,
	S_RCPT,
	S_DATA,
	S_HDR,
	S_EOH,
	S_BODY,
	S_EOM,
	S_MSG,
	S_N
};
static const char *const stage_names[S_N] = { "connect", "helo", "mail",
					      "rcpt",    "data", "header",
					      "eoh",     "body", "eom",
					      "message" };

/* protocol step flags (mfdef.h) */
#define P_NOCONNECT 0x1
#define P_NOHELO 0x2
#define P_NOMAIL 0x4
#define P_NORCPT 0x8
#define P_NOBODY 0x10
#define P_NOHDRS 0x20
#define P_NOEOH 0x40
#define P_NR_HDR 0x80
#define P_NOUNKNOWN 0x100
#define P_NODATA 0x200
#define P_NR_CONN 0x1000
#define P_NR_HELO 0x2000
#define P_NR_MAIL 0x4000
#define P_NR_RCPT 0x8000
#define P_NR_DATA 0x10000
#define P_NR_UNKN 0x20000
#define P_NR_EOH 0x40000
#define P_NR_BODY 0x80000

struct opts {
	const char *sock;
	int conns;
	double seconds;
	long messages;
	char mix[8][16];
	int nmix;
	size_t body;
	int pid;
};

/* A message read from a file: header fields and body, as Postfix hands
 * them over (a field's name, then its value with folding kept). */
struct corpus_msg {
	char *names[256], *values[256];
	int nhdr;
	char *body;
	size_t bodylen;
};
static struct corpus_msg corpus[64];
static int ncorpus;

struct lat {
	double *v;
	size_t n, cap;
};

struct worker {
	pthread_t t;
	int id;
	long done, errors, refused;
	struct lat lat[S_N];
};

static struct opts O;
static int verbose; /* -v: print header changes the milter asks for */
static volatile int stop;
static long budget;
static pthread_mutex_t budget_lock = PTHREAD_MUTEX_INITIALIZER;

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
lat_add(struct lat *l, double ms)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		double *v;

		if (cap > SAMPLES)
			return;
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL)
			return;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = ms;
}

/* dial - a connected socket, or -1 */
static int
dial(const char *spec)
{
	int s = -1;

	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", spec + 5);
		s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (s >= 0 &&
		    connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			close(s);
			s = -1;
		}
	} else if (strncmp(spec, "inet:", 5) == 0) {
		const char *p = spec + 5, *at = strchr(p, '@');
		char port[16], host[256];
		struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;

		if (at == NULL)
			return -1;
		snprintf(port, sizeof(port), "%.*s", (int)(at - p), p);
		snprintf(host, sizeof(host), "%s", at + 1);
		if (getaddrinfo(host, port, &hints, &ai) != 0)
			return -1;
		s = socket(ai->ai_family, SOCK_STREAM, 0);
		if (s >= 0 && connect(s, ai->ai_addr, ai->ai_addrlen) < 0) {
			close(s);
			s = -1;
		}
		freeaddrinfo(ai);
	}
	if (s >= 0) {
		struct timeval tv = { .tv_sec = 30 };

		(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	return s;
}

/* macros - a SMFIC_MACRO packet for cmd with name/value pairs */
static void
macros(struct pkt *p, char cmd, const char *const *kv)
{
	pkt_start(p, 'D');
	pkt_add(p, &cmd, 1);
	for (; kv[0] != NULL; kv += 2) {
		pkt_addz(p, kv[0]);
		pkt_addz(p, kv[1]);
	}
	pkt_end(p);
}

/*
 * reply - read until a final reply: 'c' continue (0), a refusal (1), or
 * an error (-1); header modifications at end of message are read over
 */
static int
reply(int fd)
{
	static __thread char buf[PKT_MAX];

	for (;;) {
		uint32_t len;

		if (pkt_read_full(fd, &len, 4) < 0)
			return -1;
		len = ntohl(len);
		if (len == 0 || len > sizeof(buf) ||
		    pkt_read_full(fd, buf, len) < 0)
			return -1;
		switch (buf[0]) {
		case 'c':
		case 'a':
			return 0;
		case 'r':
		case 't':
		case 'd':
		case 'y':
			return 1;
		case 'h':
		case 'i':
			if (verbose) { /* 'i': a 4-byte index before the name */
				const char *nm =
					buf + 1 + (buf[0] == 'i' ? 4 : 0);

				fprintf(stderr, "mload: add %s: %s\n", nm,
					nm + strlen(nm) + 1);
			}
			continue;
		case 'm':
		case 'e':
		case 'q':
		case 'p':
		case '+':
		case '-':
		case '2':
		case 'b':
		case 'f':
			continue; /* modifications at end of message */
		default:
			return -1;
		}
	}
}

/* step - send one command (with its macros), time its reply */
static int
step(int fd, struct worker *w, int stage, struct pkt *mac, struct pkt *cmd,
     int noreply)
{
	double t0 = now();
	int r;

	if (pkt_write2(fd, mac, cmd) < 0)
		return -1;
	if (noreply)
		return 0;
	r = reply(fd);
	if (r >= 0)
		lat_add(&w->lat[stage], (now() - t0) * 1e3);
	return r;
}

/* negotiate - what Postfix 3.7 offers; the milter's choice in *proto */
static int
negotiate(int fd, uint32_t *proto)
{
	struct pkt p;
	uint32_t v[3] = { htonl(6), htonl(0x1ff), htonl(0x1fffff) }, len;
	char buf[1024];

	pkt_start(&p, 'O');
	pkt_add(&p, v, sizeof(v));
	pkt_end(&p);
	if (pkt_write2(fd, NULL, &p) < 0 || pkt_read_full(fd, &len, 4) < 0)
		return -1;
	len = ntohl(len);
	if (len < 13 || len > sizeof(buf) || pkt_read_full(fd, buf, len) < 0 ||
	    buf[0] != 'O')
		return -1;
	memcpy(proto, buf + 9, 4);
	*proto = ntohl(*proto);
	return 0;
}

/* one_message - a whole SMTP session of one message on its own
 * milter connection; 0 delivered, 1 refused, -1 error */
static int
one_message(struct worker *w, long seq)
{
	static const char *const hdr_common[][2] = {
		{ "To", "Bob <bob@ours.example>" },
		{ "Subject", "benchmark message" },
		{ "Date", "Tue, 14 Nov 2023 22:13:20 +0000" },
		{ "Message-ID", "<bench.1@example.org>" },
		{ "MIME-Version", "1.0" },
		{ "Content-Type", "text/plain; charset=utf-8" },
		{ "X-Mailer", "mload" },
		{ "Received", "from laptop.example.org (laptop.example.org "
			      "[192.0.2.77]) by "
			      "mail.example.org (Postfix) with ESMTPSA id "
			      "4SVq1X2Yz9; Tue, 14 "
			      "Nov 2023 22:13:19 +0000" },
	};
	static __thread struct pkt mac, cmd;
	const char *kind = O.mix[seq % O.nmix];
	char client[32], sender[64];
	uint32_t proto = 0;
	double t0 = now();
	int fd, r = 0;
	size_t k, sent;

	snprintf(client, sizeof(client), "192.0.2.%ld", 10 + seq % 200);
	if (strcmp(kind, "spffail") == 0)
		snprintf(client, sizeof(client), "203.0.113.%ld",
			 1 + seq % 200);
	snprintf(sender, sizeof(sender), "<user%ld@example.org>", seq % 1000);
	fd = dial(O.sock);
	if (fd < 0)
		return -1;
	if (negotiate(fd, &proto) < 0)
		goto fail;
	{
		const char *kv[] = { "{client_addr}",
				     client,
				     "{client_name}",
				     "mail.example.org",
				     "j",
				     "mx.ours.example",
				     "{daemon_addr}",
				     "198.51.100.25",
				     NULL };

		macros(&mac, 'C', kv);
	}
	pkt_start(&cmd, 'C');
	pkt_addz(&cmd, "mail.example.org");
	pkt_add(&cmd, "4", 1);
	pkt_add(&cmd, &(uint16_t){ htons(25) }, 2);
	pkt_addz(&cmd, client);
	pkt_end(&cmd);
	if (!(proto & P_NOCONNECT) &&
	    (r = step(fd, w, S_CONN, &mac, &cmd, proto & P_NR_CONN)) != 0)
		goto done;
	pkt_start(&cmd, 'H');
	pkt_addz(&cmd, "mail.example.org");
	pkt_end(&cmd);
	if (!(proto & P_NOHELO) &&
	    (r = step(fd, w, S_HELO, NULL, &cmd, proto & P_NR_HELO)) != 0)
		goto done;
	{
		const char *kv[] = { "i", "4SVq1X2Yz9", "{mail_addr}", sender,
				     NULL };

		macros(&mac, 'M', kv);
	}
	pkt_start(&cmd, 'M');
	pkt_addz(&cmd, sender);
	pkt_addz(&cmd, "SIZE=4000");
	pkt_end(&cmd);
	if (!(proto & P_NOMAIL) &&
	    (r = step(fd, w, S_MAIL, &mac, &cmd, proto & P_NR_MAIL)) != 0)
		goto done;
	pkt_start(&cmd, 'R');
	pkt_addz(&cmd, "<bob@ours.example>");
	pkt_end(&cmd);
	if (!(proto & P_NORCPT) &&
	    (r = step(fd, w, S_RCPT, NULL, &cmd, proto & P_NR_RCPT)) != 0)
		goto done;
	pkt_start(&cmd, 'T');
	pkt_end(&cmd);
	if (!(proto & P_NODATA) &&
	    (r = step(fd, w, S_DATA, NULL, &cmd, proto & P_NR_DATA)) != 0)
		goto done;
	if (!(proto & P_NOHDRS) && ncorpus > 0) {
		const struct corpus_msg *cm = &corpus[seq % ncorpus];

		for (k = 0; k < (size_t)cm->nhdr; k++) {
			pkt_start(&cmd, 'L');
			pkt_addz(&cmd, cm->names[k]);
			pkt_addz(&cmd, cm->values[k]);
			pkt_end(&cmd);
			if ((r = step(fd, w, S_HDR, NULL, &cmd,
				      proto & P_NR_HDR)) != 0)
				goto done;
		}
	} else if (!(proto & P_NOHDRS)) {
		for (k = 0; k < 8 + 3; k++) {
			const char *n, *v;

			if (k < 8) {
				n = hdr_common[k][0];
				v = hdr_common[k][1];
			} else if (k == 8) {
				n = "From";
				v = "Alice <user@example.org>";
			} else if (k == 9 && strcmp(kind, "forged") == 0) {
				n = "Received";
				v = "from intranet.ours.example "
				    "(intranet.ours.example "
				    "[10.0.0.5]) by mx.ours.example (Postfix) "
				    "with "
				    "ESMTP id 4AbC; Tue, 14 Nov 2023 22:00:00 "
				    "+0000";
			} else if (k == 9 && strcmp(kind, "dkim") == 0) {
				n = "DKIM-Signature";
				v = "v=1; a=rsa-sha256; c=relaxed/relaxed; "
				    "d=example.org; s=bench; "
				    "h=from:to:subject:date; "
				    "bh=47DEQpj8HBSa+/"
				    "TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; "
				    "b=dGVzdA==";
			} else {
				n = "X-Bench";
				v = "1";
			}
			pkt_start(&cmd, 'L');
			pkt_addz(&cmd, n);
			pkt_addz(&cmd, v);
			pkt_end(&cmd);
			if ((r = step(fd, w, S_HDR, NULL, &cmd,
				      proto & P_NR_HDR)) != 0)
				goto done;
		}
	}
	pkt_start(&cmd, 'N');
	pkt_end(&cmd);
	if (!(proto & P_NOEOH) &&
	    (r = step(fd, w, S_EOH, NULL, &cmd, proto & P_NR_EOH)) != 0)
		goto done;
	for (sent = 0;
	     !(proto & P_NOBODY) &&
	     sent < (ncorpus ? corpus[seq % ncorpus].bodylen : O.body);) {
		size_t total = ncorpus ? corpus[seq % ncorpus].bodylen : O.body;
		size_t chunk = total - sent > 65535 ? 65535 : total - sent;

		pkt_start(&cmd, 'B');
		if (ncorpus)
			memcpy(cmd.buf + cmd.n,
			       corpus[seq % ncorpus].body + sent, chunk);
		else
			memset(cmd.buf + cmd.n, 'x', chunk);
		cmd.n += chunk;
		pkt_end(&cmd);
		sent += chunk;
		if ((r = step(fd, w, S_BODY, NULL, &cmd, proto & P_NR_BODY)) !=
		    0)
			goto done;
	}
	{
		const char *kv[] = { "i", "4SVq1X2Yz9", NULL };

		macros(&mac, 'E', kv);
	}
	pkt_start(&cmd, 'E');
	pkt_end(&cmd);
	r = step(fd, w, S_EOM, &mac, &cmd, 0);
done:
	if (r >= 0) {
		pkt_start(&cmd, r == 1 ? 'A' : 'Q');
		pkt_end(&cmd);
		(void)pkt_write2(fd, NULL, &cmd);
		if (r == 1) {
			pkt_start(&cmd, 'Q');
			pkt_end(&cmd);
			(void)pkt_write2(fd, NULL, &cmd);
		}
		lat_add(&w->lat[S_MSG], (now() - t0) * 1e3);
	}
	close(fd);
	return r;
fail:
	close(fd);
	return -1;
}

/* load_corpus - one message file; CRLF or LF line ends */
static int
load_corpus(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct corpus_msg *m;
	char *text, *p, *end;
	long n;

	if (f == NULL || ncorpus == 64)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = malloc((size_t)n + 1);
	if (text == NULL || fread(text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	text[n] = '\0';
	m = &corpus[ncorpus++];
	p = text;
	end = text + n;
	while (p < end && *p != '\r' && *p != '\n' && m->nhdr < 256) {
		char *colon = strchr(p, ':'), *e = p, *v;

		/* the field runs to a line end not followed by a blank */
		while (e < end && !(*e == '\n' && e + 1 < end && e[1] != ' ' &&
				    e[1] != '\t'))
			e++;
		if (colon == NULL || colon > e)
			return -1;
		*colon = '\0';
		v = colon + 1;
		while (*v == ' ')
			v++;
		m->names[m->nhdr] = p;
		m->values[m->nhdr++] = v;
		p = e + 1;
		*e = '\0';
		if (e > v && e[-1] == '\r')
			e[-1] = '\0';
	}
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	m->body = p;
	m->bodylen = (size_t)(end - p);
	return 0;
}

/* take - one more message from the budget, if there is a budget */
static int
take(void)
{
	int ok = 1;

	if (O.messages <= 0)
		return !stop;
	pthread_mutex_lock(&budget_lock);
	if (budget > 0)
		budget--;
	else
		ok = 0;
	pthread_mutex_unlock(&budget_lock);
	return ok && !stop;
}

static void *
work(void *arg)
{
	struct worker *w = arg;
	long seq = w->id;

	while (take()) {
		int r = one_message(w, seq);

		seq += O.conns;
		if (r < 0) {
			w->errors++;
			usleep(1000); /* a dead milter is not a busy loop */
		} else
			w->done++;
		if (r == 1)
			w->refused++;
	}
	return NULL;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const struct lat *l, double p)
{
	size_t i;

	if (l->n == 0)
		return 0;
	i = (size_t)(p * (double)(l->n - 1));
	return l->v[i];
}

/* rss - "VmHWM" or "VmRSS" of a process, kB */
static long
rss(int pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

/* cpu_ms - user plus system CPU a process has used, ms */
static double
cpu_ms(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold blanks */
	for (field = 2; p != NULL && field < 14; field++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mload -s SOCKET [-c CONNS] [-d SECONDS] "
			"[-n MESSAGES] [-m clean,spffail,forged,dkim] "
			"[-b BODYBYTES] [-P PID] [-f MESSAGE-FILE ...] [-v]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static struct worker ws[MAXCONN];
	struct lat all[S_N];
	long done = 0, errors = 0, refused = 0;
	double t0, t1, cpu0;
	int c, i, s;
	char mix[256] = "clean", *tok, *save;

	O.conns = 1;
	O.seconds = 5;
	O.body = 2048;
	while ((c = getopt(argc, argv, "s:c:d:n:m:b:P:f:v")) != -1) {
		switch (c) {
		case 's':
			O.sock = optarg;
			break;
		case 'c':
			O.conns = atoi(optarg);
			break;
		case 'd':
			O.seconds = atof(optarg);
			break;
		case 'n':
			O.messages = atol(optarg);
			break;
		case 'm':
			snprintf(mix, sizeof(mix), "%s", optarg);
			break;
		case 'b':
			O.body = (size_t)atol(optarg);
			break;
		case 'P':
			O.pid = atoi(optarg);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'f':
			if (load_corpus(optarg) < 0) {
				fprintf(stderr, "mload: cannot read %s\n",
					optarg);
				return 2;
			}
			break;
		default:
			usage();
		}
	}
	if (O.sock == NULL || O.conns < 1 || O.conns > MAXCONN)
		usage();
	for (tok = strtok_r(mix, ",", &save); tok && O.nmix < 8;
	     tok = strtok_r(NULL, ",", &save))
		snprintf(O.mix[O.nmix++], sizeof(O.mix[0]), "%s", tok);
	budget = O.messages;
	cpu0 = O.pid > 0 ? cpu_ms(O.pid) : 0;
	t0 = now();
	for (i = 0; i < O.conns; i++) {
		ws[i].id = i;
		if (pthread_create(&ws[i].t, NULL, work, &ws[i]) != 0) {
			fprintf(stderr, "mload: cannot start thread %d\n", i);
			return 1;
		}
	}
	if (O.messages <= 0) {
		struct timespec d = { (time_t)O.seconds,
				      (long)((O.seconds - (long)O.seconds) *
					     1e9) };

		nanosleep(&d, NULL);
		stop = 1;
	}
	for (i = 0; i < O.conns; i++)
		pthread_join(ws[i].t, NULL);
	t1 = now();
	memset(all, 0, sizeof(all));
	for (i = 0; i < O.conns; i++) {
		done += ws[i].done;
		errors += ws[i].errors;
		refused += ws[i].refused;
		for (s = 0; s < S_N; s++)
			for (size_t k = 0; k < ws[i].lat[s].n; k++)
				lat_add(&all[s], ws[i].lat[s].v[k]);
	}
	for (s = 0; s < S_N; s++)
		qsort(all[s].v, all[s].n, sizeof(double), cmpd);
	printf("result conns=%d seconds=%.2f messages=%ld refused=%ld "
	       "errors=%ld msgs_per_s=%.1f p50_ms=%.3f p99_ms=%.3f "
	       "p999_ms=%.3f",
	       O.conns, t1 - t0, done, refused, errors,
	       (double)done / (t1 - t0), pct(&all[S_MSG], 0.5),
	       pct(&all[S_MSG], 0.99), pct(&all[S_MSG], 0.999));
	if (O.pid > 0)
		printf(" rss_peak_kb=%ld rss_kb=%ld cpu_ms_per_msg=%.3f",
		       rss(O.pid, "VmHWM"), rss(O.pid, "VmRSS"),
		       done ? (cpu_ms(O.pid) - cpu0) / (double)done : 0.0);
	printf("\n");
	for (s = 0; s < S_MSG; s++)
		if (all[s].n > 0)
			printf("stage %s n=%zu p50_ms=%.3f p99_ms=%.3f "
			       "p999_ms=%.3f\n",
			       stage_names[s], all[s].n, pct(&all[s], 0.5),
			       pct(&all[s], 0.99), pct(&all[s], 0.999));
	return errors > 0 ? 1 : 0;
}
