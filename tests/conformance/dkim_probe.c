/*
 * dkim_probe - DKIM verification for the conformance harness
 *
 * Usage: dkim_probe [-a] ZONE NOW FILE...
 * ZONE holds one TXT record per line, "NAME VALUE" (the value is the rest
 * of the line), or "NAME TIMEOUT"; they are served by the in-memory
 * resolver.  NOW fixes the clock (UTC seconds).  Each FILE is a message,
 * fed as the daemon gets one from Postfix (fg_split, mbox quoting
 * undone); one line is printed per file:
 *   FILE RESULT[ (WHY)] d=D s=S | ...
 * one entry per signature, "none" for a message without one.  With -a
 * the ARC chain is validated instead, and the line is
 *   FILE arc=RESULT oldest-pass=N[ trail=ok|mismatch][ (FIELD i=N: WHY)]
 * (trail: a passing chain held against the message's Received: fields)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/arc.h"
#include "forgeguard/deadline.h"
#include "forgeguard/dkim.h"
#include "forgeguard/split.h"

/* What the splitter fed. */
struct msg {
	struct fg_hdrstore h;
	struct fg_dkim *d;
	struct fg_arc arc;
	int started;
};

static int arc_mode;

static void
on_header(void *arg, const char *name, const char *value)
{
	struct msg *m = arg;

	if (fg_hdrstore_add(&m->h, name, strlen(name), value, strlen(value)) !=
	    FG_OK)
		exit(3);
}

static struct fg_dns *dns;
static struct fg_dkim_opts opts = { .max_signatures = 10,
				    .min_rsa_bits = 1024,
				    .skew = 3600 };

static void
on_eoh(void *arg)
{
	struct msg *m = arg;

	fg_dkim_headers(m->d, &m->h, &opts, dns, NULL);
	if (arc_mode)
		fg_arc_headers(&m->arc, m->d, &m->h);
	m->started = 1;
}

static void
on_body(void *arg, const unsigned char *p, size_t n)
{
	struct msg *m = arg;

	(void)fg_dkim_body(m->d, p, n);
}

/* zone - the records of a zone file into the fake resolver */
static void
zone(const char *path)
{
	FILE *f = fopen(path, "r");
	static char line[65536];

	if (f == NULL || fg_dns_new_fake(&dns) != FG_OK)
		exit(2);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *sp = strchr(line, ' ');

		line[strcspn(line, "\r\n")] = '\0';
		if (sp == NULL)
			continue;
		*sp++ = '\0';
		if (fg_dns_fake_add(dns, line,
				    strcmp(sp, "TIMEOUT") == 0 ? 0 : FG_DNS_TXT,
				    sp) != FG_OK)
			exit(2);
	}
	fclose(f);
}

/* one - verify one file, print its line */
static void
one(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n, cap = 1 << 20, len = 0, k;
	char *text = malloc(cap);
	struct msg m;
	struct fg_split_sink sink = { on_header, on_eoh, on_body, &m };
	char why[512];

	if (f == NULL || text == NULL) {
		printf("%s unreadable\n", path);
		return;
	}
	while ((n = fread(text + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap && (text = realloc(text, cap *= 2)) == NULL)
			exit(3);
	}
	fclose(f);
	memset(&m, 0, sizeof(m));
	fg_hdrstore_init(&m.h);
	m.d = fg_dkim_new();
	if (m.d == NULL || fg_split(text, len, FG_SPLIT_MBOX, &sink) != FG_OK)
		exit(3);
	if (!m.started)
		on_eoh(&m);
	fg_dkim_finish(m.d, fg_deadline_after(2000));
	if (arc_mode) {
		fg_arc_finish(&m.arc, m.d, NULL);
		printf("%s arc=%s oldest-pass=%u", path,
		       fg_arc_result_name(m.arc.result), m.arc.oldest_pass);
		if (m.arc.result == FG_ARC_PASS) {
			struct fg_message fm;
			const char *t;

			fg_message_init(&fm);
			if (fg_message_build(&fm, &m.h, "probe.invalid") !=
			    FG_OK)
				exit(3);
			t = fg_arc_trail(&m.arc, &fm, why, sizeof(why));
			printf(" trail=%s", t == NULL ? "ok" : "mismatch");
			if (t != NULL)
				printf(" (%s: %s)", t, why);
			fg_message_fini(&fm);
		}
		fg_arc_reason(&m.arc, why, sizeof(why));
		if (why[0] != '\0')
			printf(" (%s)", why);
		printf("\n");
		fg_arc_fini(&m.arc);
		goto done;
	}
	printf("%s", path);
	if (fg_dkim_count(m.d) == 0)
		printf(" none");
	for (k = 0; k < fg_dkim_count(m.d); k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(m.d, k);

		printf("%s %s", k ? " |" : "", fg_dkim_result_name(g->result));
		if (g->why != NULL)
			printf(" (%s)", g->why);
		if (g->named)
			printf(" d=%s s=%s", g->d, g->s);
	}
	printf("\n");
done:
	fg_dkim_free(m.d);
	fg_hdrstore_fini(&m.h);
	free(text);
}

int
main(int argc, char **argv)
{
	int k;

	if (argc > 1 && strcmp(argv[1], "-a") == 0) {
		arc_mode = 1;
		opts.skip_dkim = 1;
		opts.arc_room = FG_ARC_SIGS_MAX;
		argv++, argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: dkim_probe [-a] ZONE NOW FILE...\n");
		return 2;
	}
	zone(argv[1]);
	opts.now = strtoll(argv[2], NULL, 10);
	for (k = 3; k < argc; k++)
		one(argv[k]);
	fg_dns_free(dns);
	return 0;
}
