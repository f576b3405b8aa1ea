/*
 * fgdig - ask forgeguard's resolver one question (real-DNS tests)
 * Usage: fgdig [-r RESOLVER] [-t TIMEOUT_MS] [-a TRUST_ANCHOR_FILE] NAME TYPE
 * Prints "STATUS [secure]" then one line per record; exit 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "forgeguard/dns.h"

int
main(int argc, char **argv)
{
	struct fg_dns_opts o = { "", "" };
	static struct fg_dns_answer a;
	struct fg_dns *d;
	unsigned timeout = 2000;
	char err[512], ip[64];
	struct fg_buf b;
	int c, type;
	size_t k;
	struct timespec t0, t1;

	while ((c = getopt(argc, argv, "r:t:a:")) != -1) {
		if (c == 'r')
			o.resolver = optarg;
		else if (c == 'a')
			o.trust_anchor = optarg;
		else if (c == 't')
			timeout = (unsigned)strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	if (argc - optind != 2)
		return 2;
	type = !strcmp(argv[optind + 1], "A")      ? FG_DNS_A
	       : !strcmp(argv[optind + 1], "AAAA") ? FG_DNS_AAAA
	       : !strcmp(argv[optind + 1], "MX")   ? FG_DNS_MX
	       : !strcmp(argv[optind + 1], "PTR")  ? FG_DNS_PTR
						   : FG_DNS_TXT;
	fg_buf_init(&b, err, sizeof(err));
	if (fg_dns_new(&o, &d, &b) != FG_OK) {
		fprintf(stderr, "fgdig: %s\n", err);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fg_dns_lookup(d, argv[optind], (enum fg_dns_type)type, timeout, &a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s%s%s%s ms=%ld\n", fg_dns_status_name(a.status),
	       a.secure ? " secure" : "", a.why ? " " : "", a.why ? a.why : "",
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000));
	for (k = 0; k < a.n; k++) {
		if (a.rr[k].type == FG_DNS_A || a.rr[k].type == FG_DNS_AAAA) {
			fg_buf_init(&b, ip, sizeof(ip));
			fg_ipaddr_format(&a.rr[k].ip, &b);
			printf("%s\n", ip);
		} else if (a.rr[k].type == FG_DNS_MX) {
			printf("%u %s\n", a.rr[k].pref, fg_dns_text(&a, k));
		} else {
			printf("%s\n", fg_dns_text(&a, k));
		}
	}
	fg_dns_free(d);
	return 0;
}
