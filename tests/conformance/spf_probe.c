/*
 * spf_probe - forgeguard's SPF path for the conformance harness
 *
 * Reads lines on stdin:
 *   Z NAME TYPE TEXT      a record for the fake resolver (TYPE: A, AAAA,
 *                         MX, PTR, TXT, CNAME, TIMEOUT, NAME)
 *   T ID IP HELO SENDER   a test; "-" for an empty HELO or SENDER
 *   R                     reset the zone for the next scenario
 * Prints "ID RESULT WHY" per test.  Text fields are hex-encoded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/dns.h"
#include "forgeguard/deadline.h"
#include "forgeguard/spf.h"

static size_t unhex_len;

static char *
unhex(char *h)
{
	char *w = h, *r = h;

	unhex_len = 0;
	if (strcmp(h, "-") == 0)
		return strcpy(h, "");
	while (r[0] && r[1]) {
		char b[3] = { r[0], r[1], 0 };

		*w++ = (char)strtol(b, NULL, 16);
		r += 2;
	}
	*w = '\0';
	unhex_len = (size_t)(w - h);
	return h;
}

static int
type_of(const char *t)
{
	static const struct {
		const char *n;
		int t;
	} m[] = { { "A", FG_DNS_A },
		  { "AAAA", FG_DNS_AAAA },
		  { "MX", FG_DNS_MX },
		  { "PTR", FG_DNS_PTR },
		  { "TXT", FG_DNS_TXT },
		  { "SPF", FG_DNS_SPF },
		  { "CNAME", FG_DNS_CNAME },
		  { "TIMEOUT", 0 },
		  { "NAME", 0 } };
	size_t k;

	for (k = 0; k < sizeof(m) / sizeof(m[0]); k++)
		if (strcmp(m[k].n, t) == 0)
			return m[k].t;
	return -1;
}

int
main(void)
{
	static char line[1 << 16];
	struct fg_dns *dns = NULL;
	struct fg_spf *spf;

	if (fg_spf_new(&spf) != FG_OK || fg_dns_new_fake(&dns) != FG_OK)
		return 1;
	while (fgets(line, sizeof(line), stdin) != NULL) {
		char *f[6], *sv = NULL;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		for (char *p = strtok_r(line, " ", &sv); p && n < 6;
		     p = strtok_r(NULL, " ", &sv))
			f[n++] = p;
		if (n >= 1 && f[0][0] == 'R') {
			fg_dns_free(dns);
			if (fg_dns_new_fake(&dns) != FG_OK)
				return 1;
		} else if (n == 4 && f[0][0] == 'Z') {
			int t = type_of(f[2]);
			const char *name = unhex(f[1]);
			enum fg_err e;

			if (t == FG_DNS_TXT || t == FG_DNS_SPF) {
				const char *text = unhex(f[3]);

				e = fg_dns_fake_add_txt(dns, name, t, text,
							unhex_len);
			} else {
				e = t < 0 ? FG_EINVAL
					  : fg_dns_fake_add(
						    dns, name, t,
						    t == 0 ? f[2]
							   : unhex(f[3]));
			}
			if (e != FG_OK)
				fprintf(stderr, "spf_probe: cannot add %s %s\n",
					f[1], f[2]);
		} else if (n == 5 && f[0][0] == 'T') {
			struct fg_spf_outcome o;
			struct fg_ip ip;
			const char *ipt = unhex(f[2]);

			if (fg_ipaddr_parse(ipt, strlen(ipt), &ip) != FG_OK) {
				printf("%s badip -\n", f[1]);
				continue;
			}
			if (getenv("FG_SPF_NATIVE") != NULL)
				fg_spf_check_native(
					dns, &ip, unhex(f[3]), unhex(f[4]),
					fg_deadline_after(5000), &o);
			else
				fg_spf_check(spf, dns, &ip, unhex(f[3]),
					     unhex(f[4]),
					     fg_deadline_after(5000), &o);
			printf("%s %s %s\n", f[1], fg_spf_result_name(o.result),
			       o.why ? o.why : "-");
			fflush(stdout);
		}
	}
	fg_dns_free(dns);
	fg_spf_free(spf);
	return 0;
}
