/*
 * NAME
 *	forgeguard-check - run the forgeguard policy on one message, offline
 * SYNOPSIS
 *	forgeguard-check [-c FILE | -B] [--now EPOCH] [--client-ip IP
 *	    [--client-name NAME] [--client-ptr NAME] [--helo NAME]
 *	    [--auth LOGIN] --from 'PATH [PARAM...]' --rcpt 'PATH [PARAM...]'
 *	    [--rcpt ...]] [MESSAGE|-]
 *	forgeguard-check [-c FILE | -B] [--now EPOCH] --mbox FILE |
 *	    --maildir DIR
 *	forgeguard-check -V
 * DESCRIPTION
 *	Reads the daemon's configuration file unless -c names another (-B:
 *	the built-in defaults, also used when that file does not exist) and
 *	says first which it read.
 *	Drives the daemon's session engine (no libmilter) through connect,
 *	HELO, MAIL, RCPT, the message's header fields and end of message,
 *	prints every verdict line the daemon would log, the Received: chain
 *	hop by hop with the trust boundary, the header fields it would add
 *	(Authentication-Results, a DKIM-Signature per key when the
 *	configuration signs and the client is trusted or authenticated, an
 *	ARC set when it seals mail this site forwards),
 *	and one final line "final: ACTION [CODE X.Y.Z TEXT]".  The message's body
 *	is read too: DKIM signatures are verified (keys from DNS), with
 *	"now" fixed by --now for results that do not depend on the day.
 *	Without --client-ip the message is taken as one this server already
 *	delivered: its top Received: field (the one Postfix adds and hides
 *	from milters) gives the client, HELO and time, Return-Path: the
 *	sender and X-Original-To:/Delivered-To: the recipient; the
 *	Authentication-Results this server stamped on delivery are skipped,
 *	not judged as forged.  An empty message is refused.  The batch
 *	modes do that for every message of an mbox or a Maildir and print
 *	one line per message, then a count per action and per finding.
 * DIAGNOSTICS
 *	Exit status: 0 delivered (accept, log, tag), 2 usage or configuration
 *	error or no message, 3 quarantine, 4 tempfail, 5 reject, 6 discard.
 *	Batch modes exit 0 when every message was read, 2 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "forgeguard/addr.h"
#include "forgeguard/chain.h"
#include "forgeguard/conf.h"
#include "forgeguard/hdrstore.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/keycache.h"
#include "forgeguard/log.h"
#include "forgeguard/received.h"
#include "forgeguard/session.h"
#include "forgeguard/split.h"
#include "forgeguard/spf.h"
#include "forgeguard/str.h"

#define MAX_RCPTS 1000
#define MAX_ARGS 32
#define MESSAGE_MAX (64u << 20)
/* Messages read from one mbox or Maildir. */
#define BATCH_MAX 1000000
/* Distinct check:result pairs counted in a batch. */
#define TALLY_MAX 128

struct env {
	const char *client_ip;
	const char *client_name;
	const char *client_ptr;
	const char *auth;
	const char *our_host;
	/* a delivered message: the authserv-id of the stamps this server
	 * added on delivery; NULL when the envelope was given */
	const char *stamp_id;
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

/* copy_view - a view into a NUL-terminated buffer, cut */
static void
copy_view(char *dst, size_t cap, const char *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
}

/* Set in batch mode: verdict lines are not printed. */
struct sink {
	int quiet;
	char findings[1024]; /* the last summary line's findings */
};

/* print_line - log sink: verdict lines to stdout */
static void
print_line(void *arg, enum fg_log_level level, const char *line, size_t len)
{
	struct sink *k = arg;
	const char *f;

	if (k->quiet) {
		/* keep "findings=..." of the transaction summary */
		if (memmem(line, len, " stage=summary ", 15) == NULL ||
		    (f = memmem(line, len, " findings=", 10)) == NULL)
			return;
		f += 10;
		copy_view(k->findings, sizeof(k->findings), f, strcspn(f, " "));
		return;
	}
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

/* blank - nothing but blanks and line ends: no message at all */
static int
blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* Feeding one message to a session through the daemon's splitter. */
struct feed {
	struct fg_session *s;
	int skip_top; /* the first Received: stands for the current hop */
	/* a delivered message: the fields this server added on delivery
	 * (its own Authentication-Results) are above the first field the
	 * message came with; NULL when the envelope was given */
	const char *srvid;
	size_t stamps; /* our own stamps skipped */
	int eoh_done;
	struct fg_verdict eoh; /* end of headers' verdict */
	int refused; /* end of headers refused: the body is not sent */
};

/* delivery_field - a field that delivery puts above the message's own:
 * the local delivery agent's, Postfix's Received:, and what milters
 * insert at the top */
static int
delivery_field(const char *name)
{
	static const char *const names[] = {
		"Return-Path",
		"X-Original-To",
		"Delivered-To",
		"Received",
		"Authentication-Results",
		"DKIM-Signature",
		"ARC-Seal",
		"ARC-Message-Signature",
		"ARC-Authentication-Results",
	};
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (fg_header_name_is(name, names[k]))
			return 1;
	return 0;
}

/* feed_header - one field to the session */
static void
feed_header(void *arg, const char *name, const char *value)
{
	struct feed *f = arg;
	struct fg_verdict v;

	if (f->skip_top && fg_str_caseeqz(name, strlen(name), "Received")) {
		f->skip_top = 0;
		return;
	}
	if (f->srvid != NULL && delivery_field(name)) {
		char id[FG_DOMAIN_MAX + 1];

		if (fg_header_name_is(name, "Authentication-Results") &&
		    fg_header_authserv_id(value, strlen(value), id,
					  sizeof(id)) == FG_OK &&
		    strcasecmp(id, f->srvid) == 0) {
			f->stamps++;
			return;
		}
	} else {
		f->srvid = NULL; /* the message's own fields from here */
	}
	fg_session_header(f->s, name, value, &v);
}

/* feed_eoh - end of headers */
static void
feed_eoh(void *arg)
{
	struct feed *f = arg;

	fg_session_eoh(f->s, NULL, &f->eoh);
	f->eoh_done = 1;
	f->refused = f->eoh.action == FG_ACT_TEMPFAIL ||
		     f->eoh.action == FG_ACT_REJECT ||
		     f->eoh.action == FG_ACT_DISCARD;
}

/* feed_body - one body chunk, unless the message was refused */
static void
feed_body(void *arg, const unsigned char *p, size_t n)
{
	struct feed *f = arg;
	struct fg_verdict v;

	if (!f->refused)
		(void)fg_session_body(f->s, p, n, &v);
}

/* feed - the message's header and body to the session, as Postfix
 * would send them; the verdict of end of headers lands in *eoh */
static size_t
feed(struct fg_session *s, const char *msg, size_t len, const char *srvid,
     int skip_top, struct fg_verdict *eoh)
{
	struct feed f;
	struct fg_split_sink sink = { feed_header, feed_eoh, feed_body, &f };

	memset(&f, 0, sizeof(f));
	f.s = s;
	f.skip_top = skip_top;
	f.srvid = srvid;
	if (fg_split(msg, len, FG_SPLIT_MBOX, &sink) != FG_OK)
		fprintf(stderr, "forgeguard-check: out of memory splitting "
				"the message\n");
	if (!f.eoh_done)
		feed_eoh(&f);
	*eoh = f.eoh;
	return f.stamps;
}

/* store_header - split sink: keep a field in a header store */
static void
store_header(void *arg, const char *name, const char *value)
{
	if (fg_hdrstore_add(arg, name, strlen(name), value, strlen(value)) !=
	    FG_OK)
		fprintf(stderr, "forgeguard-check: out of memory reading the "
				"header\n");
}

/* no_eoh - split sink: nothing to do at end of headers */
static void
no_eoh(void *arg)
{
}

/* no_body - split sink: the body is not needed */
static void
no_body(void *arg, const unsigned char *p, size_t n)
{
}

/* value_of - field i's value without the blanks after the colon */
static struct fg_view
value_of(const struct fg_hdrstore *h, size_t i)
{
	struct fg_view v = fg_hdrstore_value(h, i);

	while (v.n > 0 && (*v.p == ' ' || *v.p == '\t'))
		v.p++, v.n--;
	return v;
}

/* What a delivered message says about how it arrived. */
struct inferred {
	char ip[FG_IP_TEXT_MAX + 1];
	char helo[FG_RCVD_NAME_MAX + 1];
	char rdns[FG_RCVD_NAME_MAX + 1];
	char by[FG_RCVD_NAME_MAX + 1];
	char from[FG_PATH_MAX + 1];
	char rcpt[FG_PATH_MAX + 1];
	int64_t when;
	int have_top; /* a top Received: with an address */
};

/* infer_top - the top Received: field: client, HELO, time */
static void
infer_top(struct fg_view v, struct inferred *inf)
{
	struct fg_rcvd r;
	struct fg_buf b;

	if (fg_received_parse(v.p, v.n, &r) != FG_OK || !r.has_ip)
		return;
	inf->have_top = 1;
	fg_buf_init(&b, inf->ip, sizeof(inf->ip));
	fg_ipaddr_format(&r.ip, &b);
	memcpy(inf->helo, r.helo, sizeof(inf->helo));
	memcpy(inf->rdns, r.rdns, sizeof(inf->rdns));
	memcpy(inf->by, r.by, sizeof(inf->by));
	inf->when = r.has_date ? r.date.utc : 0;
	if (inf->rcpt[0] == '\0' && r.for_[0] != '\0')
		memcpy(inf->rcpt, r.for_, sizeof(inf->rcpt));
}

/* infer - the envelope of a delivered message from its header */
static void
infer(const char *msg, size_t len, struct inferred *inf)
{
	struct fg_hdrstore h;
	struct fg_split_sink sink = { store_header, no_eoh, no_body, &h };
	int seen_received = 0;
	size_t i;

	memset(inf, 0, sizeof(*inf));
	fg_hdrstore_init(&h);
	if (fg_split(msg, len, 0, &sink) != FG_OK)
		fprintf(stderr, "forgeguard-check: out of memory reading the "
				"header\n");
	for (i = 0; i < h.n; i++) {
		struct fg_view v = value_of(&h, i);

		if (fg_hdrstore_is(&h, i, "Received") && !seen_received++)
			infer_top(v, inf);
		else if (fg_hdrstore_is(&h, i, "Return-Path") &&
			 inf->from[0] == '\0')
			copy_view(inf->from, sizeof(inf->from), v.p, v.n);
		else if ((fg_hdrstore_is(&h, i, "X-Original-To") ||
			  fg_hdrstore_is(&h, i, "Delivered-To")) &&
			 inf->rcpt[0] == '\0')
			copy_view(inf->rcpt, sizeof(inf->rcpt), v.p, v.n);
	}
	fg_hdrstore_fini(&h);
	if (inf->from[0] == '\0')
		memcpy(inf->from, "<>", 3);
	if (inf->rcpt[0] == '\0')
		memcpy(inf->rcpt, "<postmaster>", 13);
}

/* iso - a UTC time as 2023-11-14T22:13:20Z */
static const char *
iso(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "@%lld", (long long)t);
	return buf;
}

/* esc - s escaped (\xHH for control and 8-bit bytes, cut), "-" if empty:
 * header text may hold anything, and must not drive the terminal */
static const char *
esc(char *dst, size_t cap, const char *s)
{
	struct fg_buf b;

	if (s[0] == '\0')
		return "-";
	fg_buf_init(&b, dst, cap);
	fg_str_escape(&b, s, strlen(s), FG_LOG_VALUE_MAX);
	return dst;
}

/* print_chain - the chain hop by hop, with the trust boundary */
static void
print_chain(const struct fg_session *s)
{
	struct fg_chain_out res;
	const struct fg_message *m = fg_session_message(s, &res);
	size_t i;

	if (m == NULL)
		return;
	printf("chain: %zu Received: field%s, trust boundary at hop %zu%s\n",
	       m->nreceived, m->nreceived == 1 ? "" : "s", res.boundary,
	       res.fail ? "" : ", pass");
	if (res.fail) {
		char why[FG_LOG_VALUE_MAX * 4 + 8];

		printf("chain: fail: %s\n", esc(why, sizeof(why), res.reason));
	}
	for (i = 0; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;
		char ip[FG_IP_TEXT_MAX + 1] = "-", when[40] = "-";
		char e[6][FG_LOG_VALUE_MAX * 4 + 8];
		const char *mark = i < res.boundary    ? "trusted"
				   : i == res.boundary ? "boundary"
						       : "outside";
		struct fg_buf b;

		if (r->has_ip) {
			fg_buf_init(&b, ip, sizeof(ip));
			fg_ipaddr_format(&r->ip, &b);
		}
		if (r->has_date)
			(void)iso(r->date.utc, when, sizeof(when));
		if (!m->hops[i].parsed) {
			printf("  hop %zu %-8s unparseable\n", i, mark);
			continue;
		}
		printf("  hop %zu %-8s %s from %s [%s] helo=%s rdns=%s by=%s "
		       "with=%s%s%s date=%s\n",
		       i, mark, fg_received_kind_name(r->kind),
		       esc(e[0], sizeof(e[0]), r->from_name), ip,
		       esc(e[1], sizeof(e[1]), r->has_helo ? r->helo : ""),
		       esc(e[2], sizeof(e[2]), r->rdns),
		       esc(e[3], sizeof(e[3]), r->by),
		       esc(e[4], sizeof(e[4]), r->with), r->id[0] ? " id=" : "",
		       r->id[0] ? esc(e[5], sizeof(e[5]), r->id) : "", when);
	}
	if (m->nhops < m->nreceived + 1)
		printf("  ... %zu more not kept\n",
		       m->nreceived + 1 - m->nhops);
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

/* done - in batch mode keep the verdict, else print the final line */
static int
done(const struct fg_verdict *v, struct fg_verdict *last)
{
	if (last == NULL)
		return final(v);
	*last = *v;
	return 0;
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
		"usage: forgeguard-check [-c FILE | -B] [--now EPOCH]\n"
		"         [--client-ip IP [--client-name NAME] "
		"[--client-ptr NAME]\n"
		"         [--helo NAME] [--auth LOGIN] --from 'PATH "
		"[PARAM...]'\n"
		"         --rcpt 'PATH [PARAM...]' [--rcpt ...]] [MESSAGE|-]\n"
		"       forgeguard-check [-c FILE | -B] [--now EPOCH]\n"
		"         --mbox FILE | --maildir DIR\n"
		"       forgeguard-check -V\n"
		"  -c FILE  configuration (default %s;\n"
		"           the built-in defaults when it does not exist)\n"
		"  -B       the built-in defaults\n",
		FG_CONF_DEFAULT_PATH);
	exit(2);
}

/* run - one SMTP session through the engine; the exit status.  The
 * final verdict lands in *last when last is not NULL. */
static int
run(struct fg_session *s, struct env *e, const char *helo, char *from,
    char **rcpts, int nrcpt, char *msg, size_t len, int skip_top,
    struct fg_verdict *last)
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
		return done(&v, last);
	}
	memset(&worst, 0, sizeof(worst));
	for (k = 0; k < nrcpt; k++) {
		split_cmd(rcpts[k], argv, MAX_ARGS);
		fg_session_rcpt(s, (const char *const *)argv, &m, &v);
		if (v.action == FG_ACT_DISCARD) {
			fg_session_abort(s);
			return done(&v, last);
		}
		if (!refused(&v))
			accepted++;
		else if (v.action > worst.action)
			worst = v;
	}
	if (accepted == 0) {
		fg_session_abort(s);
		return done(&worst, last);
	}
	fg_session_data(s, &m, &v);
	if (msg != NULL) { /* no MESSAGE: the envelope alone is judged */
		size_t n = feed(s, msg, len, e->stamp_id, skip_top, &v);

		if (n > 0 && last == NULL)
			printf("delivery: %zu Authentication-Results field%s "
			       "of "
			       "%s skipped: this server added %s on delivery\n",
			       n, n > 1 ? "s" : "", e->stamp_id,
			       n > 1 ? "them" : "it");
	}
	if (last != NULL) {
		*last = v;
		if (refused(&v)) {
			fg_session_abort(s);
			return 0;
		}
		fg_session_eom(s, &m, &v, &ops);
		fg_session_eom_done(s, NULL, &v);
		if (v.action > last->action)
			*last = v;
		return 0;
	}
	print_chain(s);
	if (refused(&v)) {
		fg_session_abort(s);
		return final(&v);
	}
	fg_session_eom(s, &m, &v, &ops);
	if (!refused(&v)) {
		for (k = 0; (size_t)k < ops.ndel; k++)
			printf("delete: Authentication-Results #%u\n",
			       ops.del[k]);
		if (ops.add_authres)
			printf("header: Authentication-Results: %s\n",
			       ops.authres);
		if (ops.quarantine)
			printf("quarantine: %s\n", ops.quarantine_reason);
		for (k = 0; (size_t)k < ops.nsign; k++)
			printf("header: DKIM-Signature: %s\n", ops.sign[k]);
		if (ops.arc_as != NULL)
			printf("header: ARC-Seal: %s\n"
			       "header: ARC-Message-Signature: %s\n"
			       "header: ARC-Authentication-Results: %s\n",
			       ops.arc_as, ops.arc_ams, ops.arc_aar);
	}
	fg_session_eom_done(s, NULL, &v);
	return final(&v);
}

/* Everything one check of one message needs. */
struct tool {
	struct fg_conf *conf;
	struct fg_log *log;
	struct sink sink;
	struct fg_dns *dns;
	struct fg_spf *spf;
	struct fg_keycache *keys;
	struct fg_signkeys *signkeys; /* dkim_sign_keys, decoded */
	int64_t now; /* --now, 0: none */
	/* batch tallies */
	size_t nmsg, per_action[FG_ACT_COUNT];
	char tally_name[TALLY_MAX][64];
	size_t tally_n[TALLY_MAX], ntally;
};

/* one_message - check one message; inferred envelope unless e is set */
static int
one_message(struct tool *t, struct env *given, const char *helo, char *from,
	    char **rcpts, int nrcpt, char *msg, size_t len,
	    struct fg_verdict *last)
{
	struct fg_session *s;
	struct inferred inf;
	struct env e;
	char *rcptv[1];
	int rc;

	if (fg_session_new(t->conf, t->log, &s) != FG_OK) {
		fprintf(stderr, "forgeguard-check: out of memory\n");
		return 2;
	}
	fg_session_set_engines(s, t->spf, t->dns);
	fg_session_set_keycache(s, t->keys);
	fg_session_set_signkeys(s, t->signkeys);
	if (t->now != 0)
		fg_session_set_clock(s, t->now);
	if (given != NULL) {
		rc = run(s, given, helo, from, rcpts, nrcpt, msg, len, 0, last);
		fg_session_free(s);
		return rc;
	}
	infer(msg, len, &inf);
	memset(&e, 0, sizeof(e));
	e.client_ip = inf.have_top ? inf.ip : "0.0.0.0";
	e.client_name = inf.rdns[0] ? inf.rdns : "unknown";
	e.client_ptr = inf.rdns[0] ? inf.rdns : NULL;
	e.our_host = inf.by[0] ? inf.by : t->conf->authserv_id;
	e.stamp_id = t->conf->authserv_id;
	if (inf.when != 0 && t->now == 0)
		fg_session_set_clock(s, inf.when);
	if (last == NULL) {
		char h[FG_LOG_VALUE_MAX * 4 + 8], f[sizeof(h)], r[sizeof(h)];

		printf("envelope: inferred from the header: client %s helo %s "
		       "from %s rcpt %s\n",
		       e.client_ip, esc(h, sizeof(h), inf.helo),
		       esc(f, sizeof(f), inf.from),
		       esc(r, sizeof(r), inf.rcpt));
	}
	rcptv[0] = inf.rcpt;
	rc = run(s, &e, inf.helo[0] ? inf.helo : NULL, inf.from, rcptv, 1, msg,
		 len, inf.have_top, last);
	fg_session_free(s);
	return rc;
}

/* tally - count a message's action and findings */
static void
tally(struct tool *t, const struct fg_verdict *v)
{
	char *f = t->sink.findings, *save = NULL, *it;
	size_t k;

	t->nmsg++;
	t->per_action[v->action]++;
	if (strcmp(f, "none") == 0)
		return;
	for (it = strtok_r(f, ",", &save); it != NULL;
	     it = strtok_r(NULL, ",", &save)) {
		for (k = 0; k < t->ntally; k++)
			if (strcmp(t->tally_name[k], it) == 0)
				break;
		if (k == t->ntally) {
			if (t->ntally == TALLY_MAX)
				continue;
			copy_view(t->tally_name[k], sizeof(t->tally_name[k]),
				  it, strlen(it));
			t->ntally++;
		}
		t->tally_n[k]++;
	}
}

/* batch_one - one message of a batch: one line, then the tally */
static void
batch_one(struct tool *t, const char *where, char *msg, size_t len)
{
	struct fg_verdict v;

	memset(&v, 0, sizeof(v));
	memcpy(t->sink.findings, "none", 5);
	(void)one_message(t, NULL, NULL, NULL, NULL, 0, msg, len, &v);
	printf("%s\t%s\t%s", where, fg_catalog_action_name(v.action),
	       t->sink.findings);
	if (v.has_reply &&
	    (v.action == FG_ACT_REJECT || v.action == FG_ACT_TEMPFAIL))
		printf("\t%s %s %s", v.reply.rcode, v.reply.xcode,
		       v.reply.text);
	printf("\n");
	tally(t, &v);
}

/* batch_summary - messages per action, findings per check */
static void
batch_summary(const struct tool *t)
{
	size_t k;

	printf("summary: %zu messages", t->nmsg);
	for (k = 0; k < FG_ACT_COUNT; k++)
		if (t->per_action[k])
			printf(", %s %zu",
			       fg_catalog_action_name((enum fg_action)k),
			       t->per_action[k]);
	printf("\n");
	for (k = 0; k < t->ntally; k++)
		printf("summary: %-40s %zu\n", t->tally_name[k], t->tally_n[k]);
}

/* batch_mbox - every message of an mbox file */
static int
batch_mbox(struct tool *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *all, *p, *end, where[64];
	size_t len, n = 0;

	if (f == NULL) {
		fprintf(stderr, "forgeguard-check: %s: %s\n", path,
			strerror(errno));
		return 2;
	}
	all = read_all(f, &len);
	fclose(f);
	if (all == NULL)
		return 2;
	p = all;
	end = all + len;
	while (p < end && n < BATCH_MAX) {
		char *next = p, *body;

		/* a message starts after its "From " line, and runs to the
		 * next "From " at the start of a line after a blank line */
		if (strncmp(p, "From ", 5) == 0)
			p = memchr(p, '\n', (size_t)(end - p))
				    ? strchr(p, '\n') + 1
				    : end;
		body = p;
		next = p;
		for (;;) {
			next = memmem(next, (size_t)(end - next), "\n\nFrom ",
				      7);
			if (next == NULL) {
				next = end;
				break;
			}
			next += 2;
			break;
		}
		snprintf(where, sizeof(where), "%zu", ++n);
		batch_one(t, where, body, (size_t)(next - body));
		p = next;
	}
	free(all);
	batch_summary(t);
	return 0;
}

/* cmp_str - qsort order of names */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* batch_maildir - every message in DIR/new and DIR/cur, by name */
static int
batch_maildir(struct tool *t, const char *dir)
{
	static const char *const subs[] = { "new", "cur" };
	char path[4096];
	size_t k;
	int rc = 0;

	for (k = 0; k < 2; k++) {
		char **names = NULL;
		size_t n = 0, cap = 0, i;
		DIR *d;
		struct dirent *de;

		snprintf(path, sizeof(path), "%s/%s", dir, subs[k]);
		if ((d = opendir(path)) == NULL) {
			fprintf(stderr, "forgeguard-check: %s: %s\n", path,
				strerror(errno));
			rc = 2;
			continue;
		}
		while ((de = readdir(d)) != NULL && n < BATCH_MAX) {
			if (de->d_name[0] == '.')
				continue;
			if (n == cap) {
				char **nv =
					realloc(names, (cap = cap * 2 + 64) *
							       sizeof(*nv));

				if (nv == NULL)
					break;
				names = nv;
			}
			names[n++] = strdup(de->d_name);
		}
		closedir(d);
		if (n > 0) /* qsort wants an array, even an empty one */
			qsort(names, n, sizeof(*names), cmp_str);
		for (i = 0; i < n; i++) {
			FILE *f;
			char *msg;
			size_t len;

			snprintf(path, sizeof(path), "%s/%s/%s", dir, subs[k],
				 names[i]);
			if ((f = fopen(path, "rb")) == NULL) {
				fprintf(stderr, "forgeguard-check: %s: %s\n",
					path, strerror(errno));
				rc = 2;
			} else if ((msg = read_all(f, &len)) != NULL) {
				batch_one(t, path, msg, len);
				free(msg);
			}
			if (f != NULL)
				fclose(f);
			free(names[i]);
		}
		free(names);
	}
	batch_summary(t);
	return rc;
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
		{ "mbox", required_argument, NULL, 'm' },
		{ "maildir", required_argument, NULL, 'd' },
		{ "now", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct env e = { NULL, "unknown", NULL, NULL, NULL, NULL };
	const char *conf_path = FG_CONF_DEFAULT_PATH, *helo = NULL,
		   *mbox = NULL, *maildir = NULL;
	char *from = NULL, *rcpts[MAX_RCPTS], *msg = NULL;
	char estore[8192];
	struct fg_buf err;
	struct tool t;
	struct fg_dns_opts dopts;
	size_t len = 0;
	int c, nrcpt = 0, rc, explicit_path = 0;

	memset(&t, 0, sizeof(t));
	while ((c = getopt_long(argc, argv, "c:BhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf_path = optarg;
			explicit_path = 1;
			break;
		case 'B':
			conf_path = NULL;
			explicit_path = 1;
			break;
		case 'V':
			printf("forgeguard-check %s\n", PACKAGE_VERSION);
			return 0;
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
		case 'm':
			mbox = optarg;
			break;
		case 'd':
			maildir = optarg;
			break;
		case 'T': {
			uint64_t v;

			if (fg_str_parse_u64(optarg, strlen(optarg), INT64_MAX,
					     &v) != FG_OK ||
			    v == 0) {
				fprintf(stderr, "forgeguard-check: --now wants "
						"seconds since 1970\n");
				return 2;
			}
			t.now = (int64_t)v;
			break;
		}
		default:
			usage();
		}
	}
	if (mbox != NULL || maildir != NULL) {
		if ((mbox != NULL && maildir != NULL) || e.client_ip != NULL ||
		    optind != argc)
			usage();
	} else if ((e.client_ip != NULL && (from == NULL || nrcpt == 0)) ||
		   (e.client_ip == NULL && (from != NULL || nrcpt > 0)) ||
		   argc - optind > 1) {
		usage();
	}
	if (e.client_ptr == NULL)
		e.client_ptr = e.client_name;
	if (mbox == NULL && maildir == NULL) {
		if (optind < argc && strcmp(argv[optind], "-") != 0) {
			FILE *f = fopen(argv[optind], "rb");

			if (f == NULL) {
				fprintf(stderr, "forgeguard-check: %s: %s\n",
					argv[optind], strerror(errno));
				return 2;
			}
			msg = read_all(f, &len);
			fclose(f);
		} else if (optind < argc || e.client_ip == NULL) {
			msg = read_all(stdin, &len);
		}
		if (msg == NULL && (optind < argc || e.client_ip == NULL)) {
			fprintf(stderr, "forgeguard-check: out of memory\n");
			return 2;
		}
		if (msg != NULL && blank(msg, len)) {
			fprintf(stderr,
				"forgeguard-check: %s: no message (%s)\n",
				optind < argc && strcmp(argv[optind], "-") != 0
					? argv[optind]
					: "standard input",
				len == 0 ? "empty" : "only blank lines");
			free(msg);
			return 2;
		}
	}
	/* the daemon's file, as the daemon reads it: its built-in
	 * defaults only when the file does not exist and none was named */
	if (!explicit_path && access(conf_path, F_OK) != 0 && errno == ENOENT)
		conf_path = NULL;
	fg_buf_init(&err, estore, sizeof(estore));
	if (fg_conf_load(conf_path, &t.conf, &err) != FG_OK) {
		fg_log_stderr("forgeguard-check", err.data);
		free(msg);
		return 2;
	}
	printf("config: %s\n",
	       conf_path != NULL ? conf_path
	       : explicit_path   ? "built-in defaults (-B)"
				 : "built-in defaults (no " FG_CONF_DEFAULT_PATH
				 ")");
	e.our_host = t.conf->authserv_id;
	dopts.resolver = t.conf->dns_resolver;
	dopts.trust_anchor = t.conf->dns_trust_anchor;
	if (fg_dns_new(&dopts, &t.dns, &err) != FG_OK ||
	    fg_spf_new(&t.spf) != FG_OK || fg_keycache_new(&t.keys) != FG_OK) {
		fg_log_stderr("forgeguard-check",
			      err.len ? err.data : "cannot set up SPF");
		return 2;
	}
	if (fg_signkeys_load(t.conf, &t.signkeys, &err) != FG_OK) {
		fg_log_stderr("forgeguard-check",
			      err.len ? err.data : "out of memory");
		return 2;
	}
	t.sink.quiet = mbox != NULL || maildir != NULL;
	if (fg_log_new_callback(print_line, &t.sink, &t.log) != FG_OK) {
		fprintf(stderr, "forgeguard-check: out of memory\n");
		return 2;
	}
	if (mbox != NULL)
		rc = batch_mbox(&t, mbox);
	else if (maildir != NULL)
		rc = batch_maildir(&t, maildir);
	else
		rc = one_message(&t, e.client_ip != NULL ? &e : NULL, helo,
				 from, rcpts, nrcpt, msg, len, NULL);
	fg_dns_free(t.dns);
	fg_spf_free(t.spf);
	fg_keycache_free(t.keys);
	fg_signkeys_unref(t.signkeys);
	fg_log_unref(t.log);
	fg_conf_unref(t.conf);
	free(msg);
	return rc;
}
