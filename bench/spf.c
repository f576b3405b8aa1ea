/*
 * bench/spf - SPF check cost and thread use (not a test: it reports)
 *
 *   spf cached RESOLVER N      N checks of one sender after a warm-up:
 *                              CPU microseconds per check from the cache
 *   spf threads RESOLVER N MS  N concurrent checks (N threads, as
 *                              libmilter would run N sessions) against
 *                              RESOLVER with an MS deadline: the
 *                              process's peak thread count against N
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "forgeguard/dns.h"
#include "forgeguard/deadline.h"
#include "forgeguard/spf.h"

static struct fg_dns *dns;
static unsigned deadline_ms = 1000;
static int engine_libspf2;
static struct fg_spf *spf;

static double
cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int
threads_now(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Threads:", 8) == 0)
			n = atoi(line + 8);
	if (f != NULL)
		fclose(f);
	return n;
}

static void
check(const char *ip_text, const char *sender, struct fg_spf_outcome *o)
{
	struct fg_ip ip;

	if (fg_ipaddr_parse(ip_text, strlen(ip_text), &ip) != FG_OK)
		abort();
	if (engine_libspf2)
		fg_spf_check(spf, dns, &ip, "mail.example.org", sender,
			     fg_deadline_after(deadline_ms), o);
	else
		fg_spf_check_native(dns, &ip, "mail.example.org", sender,
				    fg_deadline_after(deadline_ms), o);
}

static void *
one(void *arg)
{
	struct fg_spf_outcome o;

	check("203.0.113.5", "a@slow.example.org", &o);
	*(int *)arg = (int)o.result;
	return NULL;
}

int
main(int argc, char **argv)
{
	struct fg_dns_opts opts = { NULL, "" };
	char err[256];
	struct fg_buf b;
	struct fg_spf_outcome o;
	int n, i;

	if (argc < 4)
		return 2;
	engine_libspf2 = getenv("FG_BENCH_LIBSPF2") != NULL;
	opts.resolver = argv[2];
	n = atoi(argv[3]);
	fg_buf_init(&b, err, sizeof(err));
	if (fg_dns_new(&opts, &dns, &b) != FG_OK || fg_spf_new(&spf) != FG_OK) {
		fprintf(stderr, "spf: %s\n", err);
		return 1;
	}
	if (strcmp(argv[1], "cached") == 0) {
		double t0;

		check("192.0.2.10", "alice@example.org", &o); /* warm */
		t0 = cpu_us();
		for (i = 0; i < n; i++)
			check("192.0.2.10", "alice@example.org", &o);
		printf("spf cached %s: %d checks, result %s, %.1f us CPU per "
		       "check\n",
		       engine_libspf2 ? "libspf2" : "native", n,
		       fg_spf_result_name(o.result), (cpu_us() - t0) / n);
	} else {
		pthread_t *t = calloc((size_t)n, sizeof(*t));
		int *res = calloc((size_t)n, sizeof(*res)), peak = 0, base;

		deadline_ms = argc > 4 ? (unsigned)atoi(argv[4]) : 1000;
		check("203.0.113.5", "a@example.org", &o); /* start unbound */
		base = threads_now();
		for (i = 0; i < n; i++)
			if (pthread_create(&t[i], NULL, one, &res[i]) != 0)
				break;
		n = i;
		for (i = 0; i < 20; i++) {
			int now = threads_now();

			peak = now > peak ? now : peak;
			usleep(deadline_ms * 50);
		}
		for (i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		for (i = 0; i < n && res[i] == FG_SPF_R_TEMPERROR; i++)
			;
		printf("spf threads %s: %d concurrent checks against a dead "
		       "server: peak %d threads = %d callers + %d before "
		       "(main and libunbound); %s temperror\n",
		       engine_libspf2 ? "libspf2" : "native", n, peak,
		       peak - base, base, i == n ? "all" : "NOT all");
		free(t);
		free(res);
	}
	fg_dns_free(dns);
	fg_spf_free(spf);
	return 0;
}
