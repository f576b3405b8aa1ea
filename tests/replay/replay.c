/*
 * replay - golden session replays through the session engine
 *
 * Each tests/replay/cases/NAME.in is a script; NAME.out holds the verdict
 * lines and replies it must produce (ms= values masked).  Script lines:
 *   set KEY = VALUE            configuration, before the first connect
 *   connect IP|- HOSTNAME [%MACRO=VALUE ...]
 *   helo ARG | mail ARG... | rcpt ARG... | unknown CMD
 *   data | eoh | eom | abort | close
 *   header NAME: VALUE         one header field; the rest of the line
 *                              after the colon is the value, its leading
 *                              blank included, as the MTA sends it
 *                              (escapes as below, blanks kept)
 *   body TEXT                  one body line; CRLF is added
 *   message FILE               a message file (beside the script), fed as
 *                              the daemon gets it: fields, end of headers
 *                              (its verdict printed), body chunks
 *   header*N NAME: VALUE       the same field N times
 *   bigheader NAME BYTES       one field of BYTES bytes ("x" and blanks)
 *   clock EPOCH                fix the session's "now" (UTC seconds)
 *   dns NAME TYPE VALUE        a record for the fake resolver (A, AAAA,
 *                              MX "PREF\\sNAME", PTR, TXT, TIMEOUT); with
 *                              any dns line the SPF checks run
 *   expect TEXT                the output must hold TEXT (escapes as
 *                              below), --update or not: what a case is
 *                              for cannot vanish from its golden file
 *   [%MACRO=VALUE ...] may follow any command (e.g. %{auth_authen}=alice)
 * Tokens are separated by one blank; \s is a blank, \xHH any byte but NUL,
 * \\ a backslash.  "# ..." lines are comments.
 * Usage: replay DIR [--update]   prints "replay: N passed, N failed".
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/session.h"
#include "forgeguard/spf.h"
#include "forgeguard/split.h"
#include "../common/unescape.h"

#define MAXTOK 64
#define MAXMAC 16

struct out {
	char *p;
	size_t n, cap;
};

static void
out_put(struct out *o, const char *s, size_t n)
{
	if (o->n + n + 1 > o->cap) {
		o->cap = (o->n + n + 1) * 2;
		o->p = realloc(o->p, o->cap);
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

/* capture - log sink; masks the timing so output is stable */
static void
capture(void *arg, enum fg_log_level level, const char *line, size_t len)
{
	struct out *o = arg;
	const char *ms = NULL, *p;

	for (p = line; (p = strstr(p, " ms=")) != NULL && p < line + len; p++)
		ms = p;
	if (ms == NULL) {
		for (p = line;
		     (p = strstr(p, ",\"ms\":")) != NULL && p < line + len; p++)
			ms = p;
		if (ms != NULL) {
			out_put(o, line, (size_t)(ms - line));
			out_put(o, ",\"ms\":*", 7);
			for (p = ms + 6;
			     p < line + len &&
			     (*p == '.' || (*p >= '0' && *p <= '9'));
			     p++)
				;
			out_put(o, p, (size_t)(line + len - p));
			out_put(o, "\n", 1);
			return;
		}
	}
	if (ms == NULL) {
		out_put(o, line, len);
	} else {
		out_put(o, line, (size_t)(ms - line));
		out_put(o, " ms=*", 5);
		for (p = ms + 4;
		     p < line + len && (*p == '.' || (*p >= '0' && *p <= '9'));
		     p++)
			;
		out_put(o, p, (size_t)(line + len - p));
	}
	out_put(o, "\n", 1);
}

struct macros {
	char *name[MAXMAC], *value[MAXMAC];
	int n;
};

static const char *
getsym(void *arg, const char *name)
{
	struct macros *m = arg;
	int k;

	for (k = 0; k < m->n; k++)
		if (strcmp(m->name[k], name) == 0)
			return m->value[k];
	return NULL;
}

static void
put_verdict(struct out *o, const char *stage, const struct fg_verdict *v)
{
	char line[1200];
	int n = snprintf(line, sizeof(line), "=> %s: %s", stage,
			 fg_catalog_action_name(v->action));

	if (v->has_reply &&
	    (v->action == FG_ACT_REJECT || v->action == FG_ACT_TEMPFAIL))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %s %s",
			      v->reply.rcode, v->reply.xcode, v->reply.text);
	out_put(o, line, (size_t)n);
	out_put(o, "\n", 1);
}

/* run_header - the header, header*N and bigheader commands */
static void
run_header(struct fg_session *s, char *line, struct out *o)
{
	struct fg_verdict v;
	long times = 1, k;
	char *name, *value, *colon;

	if (strncmp(line, "bigheader ", 10) == 0) {
		char *sp = strchr(line + 10, ' ');
		long n = sp ? strtol(sp + 1, NULL, 10) : 0;
		char *big = malloc((size_t)n + 1);

		*sp = '\0';
		for (k = 0; k < n; k++)
			big[k] = k % 64 == 63 ? ' ' : 'x';
		big[n] = '\0';
		fg_session_header(s, line + 10, big, &v);
		free(big);
		if (v.action != FG_ACT_ACCEPT)
			put_verdict(o, "header", &v);
		return;
	}
	if (line[6] == '*')
		times = strtol(line + 7, NULL, 10);
	name = strchr(line, ' ');
	colon = name ? strchr(name, ':') : NULL;
	if (colon == NULL) {
		out_put(o, "bad header line\n", 16);
		return;
	}
	*colon = '\0';
	name++;
	value = colon + 1;
	test_unescape(value);
	for (k = 0; k < times; k++) {
		fg_session_header(s, name, value, &v);
		if (v.action != FG_ACT_ACCEPT) {
			put_verdict(o, "header", &v);
			return;
		}
	}
}

/* run_body - one body line, CRLF added */
static void
run_body(struct fg_session *s, char *line, struct out *o)
{
	size_t n;
	char *chunk;
	struct fg_verdict v;

	test_unescape(line);
	n = strlen(line);
	chunk = malloc(n + 2);
	memcpy(chunk, line, n);
	memcpy(chunk + n, "\r\n", 2);
	(void)fg_session_body(s, (const unsigned char *)chunk, n + 2, &v);
	free(chunk);
	if (v.action != FG_ACT_ACCEPT)
		put_verdict(o, "body", &v);
}

/* Feeding a message file through the daemon's splitter. */
struct feed {
	struct fg_session *s;
	struct out *o;
};

static void
feed_header(void *arg, const char *name, const char *value)
{
	struct feed *f = arg;
	struct fg_verdict v;

	fg_session_header(f->s, name, value, &v);
}

static void
feed_eoh(void *arg)
{
	struct feed *f = arg;
	struct fg_verdict v;

	fg_session_eoh(f->s, NULL, &v);
	put_verdict(f->o, "eoh", &v);
}

static void
feed_body(void *arg, const unsigned char *p, size_t n)
{
	struct feed *f = arg;
	struct fg_verdict v;

	(void)fg_session_body(f->s, p, n, &v);
}

/* run_message - a message file next to the script */
static void
run_message(struct fg_session *s, const char *script, const char *name,
	    struct out *o)
{
	char path[16384];
	const char *slash = strrchr(script, '/');
	struct feed f = { s, o };
	struct fg_split_sink sink = { feed_header, feed_eoh, feed_body, &f };
	FILE *fp;
	char *text = NULL;
	size_t n = 0, cap = 0, r;

	snprintf(path, sizeof(path), "%.*s/%.4096s",
		 slash ? (int)(slash - script) : 1, slash ? script : ".", name);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		out_put(o, "bad message file\n", 17);
		return;
	}
	do {
		if (n == cap)
			text = realloc(text, cap = cap * 2 + 65536);
		r = fread(text + n, 1, cap - n, fp);
		n += r;
	} while (r > 0);
	fclose(fp);
	if (fg_split(text, n, 0, &sink) != FG_OK)
		out_put(o, "split failed\n", 13);
	free(text);
}

/* run_eom - end of message, its edits, and the summary */
static void
run_eom(struct fg_session *s, struct fg_macros *m, struct out *o)
{
	struct fg_eom_ops ops;
	struct fg_verdict v;
	unsigned *del = NULL;
	size_t ndel, k;
	char *header = NULL, *quarantine = NULL;

	fg_session_eom(s, m, &v, &ops);
	/* the edits stay valid until eom_done: keep what is printed */
	ndel = ops.ndel;
	if (ndel > 0) {
		del = malloc(ndel * sizeof(*del));
		memcpy(del, ops.del, ndel * sizeof(*del));
	}
	if (ops.add_authres)
		header = strdup(ops.authres);
	if (ops.quarantine)
		quarantine = strdup(ops.quarantine_reason);
	fg_session_eom_done(s, NULL, &v);
	put_verdict(o, "eom", &v);
	for (k = ndel; k > 0; k--) {
		char d[64];
		int dn = snprintf(d, sizeof(d),
				  "=> delete: Authentication-Results #%u\n",
				  del[k - 1]);

		out_put(o, d, (size_t)dn);
	}
	if (header != NULL) {
		out_put(o, "=> header: ", 11);
		out_put(o, header, strlen(header));
		out_put(o, "\n", 1);
	}
	if (quarantine != NULL) {
		out_put(o, "=> quarantine: ", 15);
		out_put(o, quarantine, strlen(quarantine));
		out_put(o, "\n", 1);
	}
	free(del);
	free(header);
	free(quarantine);
}

/* run_script - execute one script; its output in o */
static int
run_script(const char *path, struct out *o)
{
	FILE *f = fopen(path, "r");
	/* a fixed authserv-id unless the script sets one: host names vary */
	char line[8192], conftext[8192] = "", err[4096];
	int has_authserv = 0, bad = 0;
	struct fg_session *s = NULL;
	struct fg_conf *conf = NULL;
	struct fg_log *log = NULL;
	struct fg_verdict v;
	struct fg_buf eb;
	struct fg_dns *dns = NULL;
	struct fg_spf *spf = NULL;

	if (f == NULL)
		return -1;
	if (fg_log_new_callback(capture, o, &log) != FG_OK) {
		fclose(f);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tok[MAXTOK], *p;
		const char *argv[MAXTOK];
		struct macros mac = { .n = 0 };
		struct fg_macros m = { getsym, &mac };
		int nt = 0, na = 0, k;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0' ||
		    strncmp(line, "expect ", 7) == 0)
			continue;
		if (strncmp(line, "dns ", 4) == 0) {
			char *fld[4], *sv = NULL, *p2;
			int nf = 0;
			static const struct {
				const char *n;
				int t;
			} types[] = {
				{ "A", FG_DNS_A },     { "AAAA", FG_DNS_AAAA },
				{ "MX", FG_DNS_MX },   { "PTR", FG_DNS_PTR },
				{ "TXT", FG_DNS_TXT }, { "TIMEOUT", 0 }
			};
			size_t ti;

			if (dns == NULL && (fg_dns_new_fake(&dns) != FG_OK ||
					    fg_spf_new(&spf) != FG_OK))
				break;
			for (p2 = strtok_r(line + 4, " ", &sv); p2 && nf < 3;
			     p2 = strtok_r(NULL, " ", &sv))
				fld[nf++] = p2;
			for (ti = 0;
			     nf >= 2 && ti < sizeof(types) / sizeof(*types);
			     ti++) {
				if (strcmp(types[ti].n, fld[1]) != 0)
					continue;
				if (nf == 3)
					test_unescape(fld[2]);
				if (fg_dns_fake_add(
					    dns, fld[0], types[ti].t,
					    types[ti].t
						    ? (nf == 3 ? fld[2] : "")
						    : "TIMEOUT") != FG_OK)
					out_put(o, "bad dns line\n", 13);
			}
			continue;
		}
		if (s != NULL && (strncmp(line, "header", 6) == 0 ||
				  strncmp(line, "bigheader ", 10) == 0)) {
			run_header(s, line, o);
			continue;
		}
		if (s != NULL && strncmp(line, "message ", 8) == 0) {
			run_message(s, path, line + 8, o);
			continue;
		}
		if (s != NULL && strncmp(line, "body ", 5) == 0) {
			run_body(s, line + 5, o);
			continue;
		}
		if (s != NULL && strncmp(line, "clock ", 6) == 0) {
			fg_session_set_clock(s, strtoll(line + 6, NULL, 10));
			continue;
		}
		if (strncmp(line, "set authserv_id", 15) == 0)
			has_authserv = 1;
		if (strncmp(line, "set ", 4) == 0) {
			strncat(conftext, line + 4,
				sizeof(conftext) - strlen(conftext) - 2);
			strcat(conftext, "\n");
			continue;
		}
		for (p = strtok(line, " "); p && nt < MAXTOK;
		     p = strtok(NULL, " "))
			tok[nt++] = p;
		for (k = 1; k < nt; k++) {
			char *eq;

			if (tok[k][0] == '%' && (eq = strchr(tok[k], '=')) &&
			    mac.n < MAXMAC) {
				*eq = '\0';
				test_unescape(eq + 1);
				mac.name[mac.n] = tok[k] + 1;
				mac.value[mac.n++] = eq + 1;
			} else {
				test_unescape(tok[k]);
				argv[na++] = tok[k];
			}
		}
		argv[na] = NULL;
		if (s == NULL && !has_authserv) {
			strncat(conftext, "authserv_id = mx.replay.example\n",
				sizeof(conftext) - strlen(conftext) - 1);
			has_authserv = 1;
		}
		if (s == NULL) {
			fg_buf_init(&eb, err, sizeof(err));
			if (fg_conf_load_text("replay", conftext,
					      strlen(conftext), &conf,
					      &eb) != FG_OK) {
				out_put(o, "config error: ", 14);
				out_put(o, err, strlen(err));
				out_put(o, "\n", 1);
				break;
			}
			if (fg_session_new(conf, log, &s) != FG_OK)
				break;
			fg_conf_unref(conf);
			if (dns != NULL)
				fg_session_set_engines(s, spf, dns);
		}
		if (strcmp(tok[0], "connect") == 0 && na >= 2) {
			struct fg_ip ip;
			int have = fg_ipaddr_parse(argv[0], strlen(argv[0]),
						   &ip) == FG_OK;

			fg_session_connect(s, "replay", argv[1],
					   have ? &ip : NULL, &m, &v);
			put_verdict(o, "connect", &v);
		} else if (strcmp(tok[0], "helo") == 0) {
			fg_session_helo(s, na ? argv[0] : "", &m, &v);
			put_verdict(o, "helo", &v);
		} else if (strcmp(tok[0], "mail") == 0) {
			if (na == 0)
				argv[na++] = "", argv[na] = NULL;
			fg_session_mail(s, argv, &m, &v);
			put_verdict(o, "mail", &v);
		} else if (strcmp(tok[0], "rcpt") == 0) {
			if (na == 0)
				argv[na++] = "", argv[na] = NULL;
			fg_session_rcpt(s, argv, &m, &v);
			put_verdict(o, "rcpt", &v);
		} else if (strcmp(tok[0], "unknown") == 0) {
			fg_session_unknown(s, na ? argv[0] : "", &v);
			put_verdict(o, "unknown", &v);
		} else if (strcmp(tok[0], "data") == 0) {
			fg_session_data(s, &m, &v);
			put_verdict(o, "data", &v);
		} else if (strcmp(tok[0], "eoh") == 0) {
			fg_session_eoh(s, &m, &v);
			put_verdict(o, "eoh", &v);
		} else if (strcmp(tok[0], "eom") == 0) {
			run_eom(s, &m, o);
		} else if (strcmp(tok[0], "abort") == 0) {
			fg_session_abort(s);
		} else if (strcmp(tok[0], "close") == 0) {
			fg_session_free(s);
			s = NULL;
			conftext[0] = conftext[0]; /* config kept */
		} else {
			/* a case with a line the tool does not know fails,
			 * even under --update: it did not run what it says */
			out_put(o, "bad script line\n", 16);
			bad++;
		}
	}
	fclose(f);
	fg_session_free(s);
	fg_log_unref(log);
	fg_dns_free(dns);
	fg_spf_free(spf);
	return bad > 0 ? -1 : 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

/* expected - each "expect TEXT" of the script at path found in got;
 * the missing ones printed */
static int
expected(const char *path, const char *name, const char *got)
{
	FILE *f = fopen(path, "r");
	char line[8192], text[8192];
	int ok = 1;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "expect ", 7) != 0)
			continue;
		memcpy(text, line + 7, strlen(line + 7) + 1);
		test_unescape(text);
		if (strstr(got, text) == NULL) {
			printf("FAIL %s: expected in the output: %s\n", name,
			       line + 7);
			ok = 0;
		}
	}
	fclose(f);
	return ok;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/replay/cases";
	int update = argc > 2 && strcmp(argv[2], "--update") == 0;
	char *names[1024], path[4096];
	int n = 0, k, pass = 0, fail = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		perror(dir);
		printf("replay: 0 passed, 1 failed\n");
		return 1;
	}
	while ((e = readdir(d)) != NULL && n < 1024) {
		size_t l = strlen(e->d_name);

		if (l > 3 && strcmp(e->d_name + l - 3, ".in") == 0)
			names[n++] = strndup(e->d_name, l - 3);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_names);
	for (k = 0; k < n; k++) {
		struct out o = { NULL, 0, 0 };
		char *want;

		snprintf(path, sizeof(path), "%s/%s.in", dir, names[k]);
		out_put(&o, "", 0);
		if (run_script(path, &o) != 0) {
			printf("FAIL %s: a line the replay tool does not know, "
			       "or the script could not be read\n",
			       names[k]);
			fail++;
			free(o.p);
			free(names[k]);
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s.out", dir, names[k]);
		if (update) {
			FILE *f = fopen(path, "w");

			fputs(o.p, f);
			fclose(f);
		}
		want = slurp(path);
		snprintf(path, sizeof(path), "%s/%s.in", dir, names[k]);
		if (!expected(path, names[k], o.p)) {
			fail++;
		} else if (want != NULL && strcmp(want, o.p) == 0) {
			pass++;
		} else {
			fail++;
			printf("FAIL %s\n--- want\n%s--- got\n%s", names[k],
			       want ? want : "(no .out file)\n", o.p);
		}
		free(want);
		free(o.p);
		free(names[k]);
	}
	printf("replay: %d passed, %d failed\n", pass, fail);
	return fail == 0 && pass > 0 ? 0 : 1;
}
