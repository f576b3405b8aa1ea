/*
 * NAME
 *	fgreport - forgeguard-report: DMARC aggregate reports from the log
 * SYNOPSIS
 *	forgeguard-report --org NAME --email ADDR --receiver DOMAIN
 *		[--begin EPOCH] [--end EPOCH] [--out DIR] [--send]
 *		[--sendmail PATH] [--no-verify] [-c CONF] [FILE...]
 * DESCRIPTION
 *	Reads log lines (files, or standard input) for "dmarc-record" lines
 *	that forgeguard logs with dmarc_records = yes, keeps the records of
 *	[begin, end), and writes one RFC 9990 report per policy domain,
 *	gzipped, named receiver!domain!begin!end!id.xml.gz.  With --send
 *	each report is mailed through sendmail(1) to the domain's rua=
 *	mailto: addresses, in order: a destination outside the policy
 *	domain's organizational domain must authorise it
 *	(DOMAIN._report._dmarc.HOST, RFC 9990 4), and one whose size limit
 *	("!10m") the message would pass is skipped.  One line per report
 *	says what was written and sent.
 * DIAGNOSTICS
 *	Exit 0 when every report was written (and sent where asked), 1 when
 *	one could not be, 2 on a usage or configuration error.  Records
 *	that do not read are counted and reported on standard error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "forgeguard/base64.h"
#include "forgeguard/conf.h"
#include "forgeguard/deadline.h"
#include "forgeguard/dmarc.h"
#include "forgeguard/dns.h"
#include "forgeguard/report.h"
#include "forgeguard/str.h"

struct opts {
	const char *org, *email, *receiver, *out, *sendmail, *conf;
	int64_t begin, end;
	int send, verify;
};

static void
usage(void)
{
	fprintf(stderr,
		"usage: forgeguard-report --org NAME --email ADDR --receiver "
		"DOMAIN [--begin EPOCH] [--end EPOCH] [--out DIR] [--send] "
		"[--sendmail PATH] [--no-verify] [-c CONF] [FILE...]\n");
	exit(2);
}

/* read_file - every record of one input into g */
static void
read_file(FILE *f, const struct opts *o, struct fg_report *g, size_t *bad)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct fg_report_rec *r = malloc(sizeof(*r));

	if (r == NULL)
		exit(1);
	while ((n = getline(&line, &cap, f)) >= 0) {
		int k = fg_report_line(line, (size_t)n, r);

		if (k < 0)
			(*bad)++;
		if (k <= 0 || r->time < o->begin || r->time >= o->end)
			continue;
		if (fg_report_add(g, r) != FG_OK)
			exit(1);
	}
	free(line);
	free(r);
}

/* gzip - data into a gzip member (RFC 1952); its length, 0 on error */
static size_t
gzip(const char *in, size_t n, unsigned char **out)
{
	z_stream z;
	size_t cap = n + n / 100 + 64;

	memset(&z, 0, sizeof(z));
	*out = malloc(cap);
	if (*out == NULL || deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
					 Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = *out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		return 0;
	}
	deflateEnd(&z);
	return z.total_out;
}

/* limit - the size limit of a rua URI ("!10m"), 0 for none */
static uint64_t
limit(const char *uri)
{
	const char *bang = strchr(uri, '!');
	uint64_t v = 0, unit = 1;
	const char *p;

	if (bang == NULL)
		return 0;
	for (p = bang + 1; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	switch (*p) {
	case 'k':
		unit = 1024;
		break;
	case 'm':
		unit = 1024 * 1024;
		break;
	case 'g':
		unit = 1024ull * 1024 * 1024;
		break;
	case 't':
		unit = 1024ull * 1024 * 1024 * 1024;
		break;
	}
	return v * unit;
}

/* authorised - may host receive reports about domain (RFC 9990 4) */
static const char *
authorised(struct fg_dns *dns, const char *domain, const char *host)
{
	char od[FG_DOMAIN_MAX + 1], oh[FG_DOMAIN_MAX + 1];
	char q[2 * FG_DOMAIN_MAX + 32];
	struct fg_dns_answer *a;
	struct timespec dl = fg_deadline_after(10000);
	size_t k;
	const char *why = "no _report._dmarc record authorises it";

	if (dns == NULL)
		return NULL;
	if (!fg_dmarc_org_domain(dns, dl, domain, od, sizeof(od)) ||
	    !fg_dmarc_org_domain(dns, dl, host, oh, sizeof(oh)))
		return "organizational domain lookup failed";
	if (strcmp(od, oh) == 0)
		return NULL;
	if ((size_t)snprintf(q, sizeof(q), "%s._report._dmarc.%s", domain,
			     host) > 253)
		return "authorisation name too long";
	a = malloc(sizeof(*a));
	if (a == NULL)
		return "out of memory";
	fg_dns_lookup_by(dns, q, FG_DNS_TXT, dl, a);
	if (a->status == FG_DNS_TEMPERROR)
		why = "authorisation lookup failed";
	for (k = 0; a->status == FG_DNS_OK && k < a->n; k++) {
		const char *t = fg_dns_text(a, k);

		if (fg_dmarcrec_is_dmarc(t, strlen(t)))
			why = NULL;
	}
	free(a);
	return why;
}

/* mail - the report as one RFC 5322 message to rcpt through sendmail */
static int
mail(const struct opts *o, const char *domain, const char *rid,
     const char *fname, const unsigned char *gz, size_t gzn, const char *rcpt)
{
	int pfd[2], status;
	pid_t pid;
	FILE *w;
	char *b64 = malloc(4 * ((gzn + 2) / 3) + 1), date[64];
	size_t n, k;
	time_t now = time(NULL);

	if (b64 == NULL || pipe(pfd) != 0)
		return 0;
	n = fg_base64_encode(gz, gzn, b64);
	pid = fork();
	if (pid == 0) {
		dup2(pfd[0], 0);
		close(pfd[0]);
		close(pfd[1]);
		execl(o->sendmail, "sendmail", "-oi", "-f", o->email, "--",
		      rcpt, (char *)NULL);
		_exit(127);
	}
	close(pfd[0]);
	w = fdopen(pfd[1], "w");
	if (pid < 0 || w == NULL) {
		free(b64);
		return 0;
	}
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
		 gmtime(&now));
	fprintf(w,
		"From: %s\nTo: %s\nSubject: Report Domain: %s Submitter: %s "
		"Report-ID: <%s>\nDate: %s\nMessage-ID: <%s>\n"
		"MIME-Version: 1.0\n"
		"Content-Type: multipart/mixed; boundary=\"fg-%s\"\n\n"
		"--fg-%s\nContent-Type: text/plain; charset=us-ascii\n\n"
		"This is a DMARC aggregate report (RFC 9990) for %s from %s.\n"
		"--fg-%s\nContent-Type: application/gzip\n"
		"Content-Transfer-Encoding: base64\n"
		"Content-Disposition: attachment; filename=\"%s\"\n\n",
		o->email, rcpt, domain, o->receiver, rid, date, rid, rid, rid,
		domain, o->receiver, rid, fname);
	for (k = 0; k < n; k += 76)
		fprintf(w, "%.*s\n", (int)(n - k < 76 ? n - k : 76), b64 + k);
	fprintf(w, "--fg-%s--\n", rid);
	free(b64);
	fclose(w);
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* send_all - the report to each usable rua mailto: of the domain */
static int
send_all(const struct opts *o, struct fg_dns *dns, const char *domain,
	 const char *rua, const char *rid, const char *fname,
	 const unsigned char *gz, size_t gzn)
{
	char list[512], *save = NULL, *uri;
	int ok = 1;
	size_t msg = 4 * ((gzn + 2) / 3) + 2048; /* encoded, with headers */

	fg_str_copy_cut(list, sizeof(list), rua);
	for (uri = strtok_r(list, ",", &save); uri != NULL;
	     uri = strtok_r(NULL, ",", &save)) {
		char addr[FG_ADDR_MAX + 1];
		const char *at, *why;
		uint64_t max;

		while (*uri == ' ' || *uri == '\t')
			uri++;
		if (strncmp(uri, "mailto:", 7) != 0) {
			printf("  %s: skipped: not a mailto: URI\n", uri);
			continue;
		}
		fg_str_copy_cut(addr, sizeof(addr), uri + 7);
		addr[strcspn(addr, "! \t")] = '\0';
		at = strrchr(addr, '@');
		max = limit(uri);
		if (at == NULL) {
			printf("  %s: skipped: no address\n", uri);
			continue;
		}
		if (max != 0 && msg > max) {
			printf("  %s: skipped: the report (%zu bytes) is over "
			       "its limit\n",
			       uri, msg);
			continue;
		}
		why = o->verify ? authorised(dns, domain, at + 1) : NULL;
		if (why != NULL) {
			printf("  %s: skipped: %s\n", uri, why);
			continue;
		}
		if (!mail(o, domain, rid, fname, gz, gzn, addr)) {
			printf("  %s: sendmail failed\n", uri);
			ok = 0;
			continue;
		}
		printf("  %s: sent\n", uri);
	}
	return ok;
}

/* one - write (and send) the report of domain k; 0 on failure */
static int
one(const struct opts *o, struct fg_report *g, size_t k, struct fg_dns *dns)
{
	const char *domain = fg_report_domain(g, k);
	char rid[96], fname[2 * FG_DOMAIN_MAX + 96], path[4096];
	char *xml = NULL;
	size_t xn = 0, records, gzn;
	unsigned char *gz = NULL;
	FILE *m = open_memstream(&xml, &xn);
	struct fg_report_meta meta = { o->org,
				       o->email,
				       o->receiver,
				       rid,
				       o->begin,
				       o->end,
				       "forgeguard-report " PACKAGE_VERSION };
	int ok = 1;

	snprintf(rid, sizeof(rid), "%lld.%lld.%zu@%s", (long long)o->begin,
		 (long long)o->end, k, o->receiver);
	if (m == NULL)
		return 0;
	records = fg_report_xml(g, k, &meta, m);
	fclose(m);
	gzn = gzip(xml, xn, &gz);
	snprintf(fname, sizeof(fname), "%s!%s!%lld!%lld!%zu.xml.gz",
		 o->receiver, domain, (long long)o->begin, (long long)o->end,
		 k);
	printf("%s: %llu messages, %zu records, %zu bytes gzipped", domain,
	       (unsigned long long)fg_report_messages(g, k), records, gzn);
	if (gzn == 0) {
		printf(": compression failed\n");
		ok = 0;
	} else if (o->out != NULL) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", o->out, fname);
		f = fopen(path, "wb");
		ok = f != NULL && fwrite(gz, 1, gzn, f) == gzn;
		if (f != NULL && fclose(f) != 0)
			ok = 0;
		printf(ok ? ", written to %s\n" : ", cannot write %s\n", path);
	} else {
		printf("\n");
	}
	if (ok && o->send)
		ok = send_all(o, dns, domain, fg_report_rua(g, k), rid, fname,
			      gz, gzn);
	free(xml);
	free(gz);
	return ok;
}

/* resolver - the configured resolver, for external destinations */
static struct fg_dns *
resolver(const struct opts *o)
{
	struct fg_conf *conf = NULL;
	struct fg_dns *dns = NULL;
	struct fg_dns_opts d;
	char e[1024];
	struct fg_buf err;

	fg_buf_init(&err, e, sizeof(e));
	/* the installed configuration, as the daemon reads it */
	if (fg_conf_load(o->conf != NULL ? o->conf
			 : access(FG_CONF_DEFAULT_PATH, R_OK) == 0
				 ? FG_CONF_DEFAULT_PATH
				 : NULL,
			 &conf, &err) != FG_OK) {
		fprintf(stderr, "forgeguard-report: %s\n", e);
		exit(2);
	}
	d.resolver = conf->dns_resolver;
	d.trust_anchor = conf->dns_trust_anchor;
	if (fg_dns_new(&d, &dns, &err) != FG_OK) {
		fprintf(stderr, "forgeguard-report: %s\n", e);
		exit(2);
	}
	fg_conf_unref(conf);
	return dns;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "org", 1, 0, 'O' },       { "email", 1, 0, 'E' },
		{ "receiver", 1, 0, 'R' },  { "begin", 1, 0, 'b' },
		{ "end", 1, 0, 'e' },       { "out", 1, 0, 'o' },
		{ "send", 0, 0, 's' },      { "sendmail", 1, 0, 'S' },
		{ "no-verify", 0, 0, 'n' }, { 0, 0, 0, 0 },
	};
	struct opts o = { NULL, NULL, NULL,      NULL, "/usr/sbin/sendmail",
			  NULL, 0,    INT64_MAX, 0,    1 };
	struct fg_report *g = fg_report_new();
	struct fg_dns *dns = NULL;
	size_t bad = 0, k, n;
	int c, ok = 1;

	while ((c = getopt_long(argc, argv, "c:", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.conf = optarg;
			break;
		case 'O':
			o.org = optarg;
			break;
		case 'E':
			o.email = optarg;
			break;
		case 'R':
			o.receiver = optarg;
			break;
		case 'b':
			o.begin = strtoll(optarg, NULL, 10);
			break;
		case 'e':
			o.end = strtoll(optarg, NULL, 10);
			break;
		case 'o':
			o.out = optarg;
			break;
		case 's':
			o.send = 1;
			break;
		case 'S':
			o.sendmail = optarg;
			break;
		case 'n':
			o.verify = 0;
			break;
		default:
			usage();
		}
	}
	if (o.org == NULL || o.email == NULL || o.receiver == NULL ||
	    g == NULL || o.begin >= o.end)
		usage();
	if (optind == argc) {
		read_file(stdin, &o, g, &bad);
	} else {
		for (; optind < argc; optind++) {
			FILE *f = strcmp(argv[optind], "-") == 0
					  ? stdin
					  : fopen(argv[optind], "r");

			if (f == NULL) {
				fprintf(stderr, "forgeguard-report: %s: %s\n",
					argv[optind], strerror(errno));
				return 2;
			}
			read_file(f, &o, g, &bad);
			if (f != stdin)
				fclose(f);
		}
	}
	if (bad > 0)
		fprintf(stderr, "forgeguard-report: %zu records did not read\n",
			bad);
	if (o.end == INT64_MAX)
		o.end = (int64_t)time(NULL);
	if (o.send && o.verify)
		dns = resolver(&o);
	n = fg_report_domains(g);
	for (k = 0; k < n; k++)
		ok &= one(&o, g, k, dns);
	printf("forgeguard-report: %zu reports\n", n);
	fg_dns_free(dns);
	fg_report_free(g);
	return ok ? 0 : 1;
}
