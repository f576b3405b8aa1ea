/*
 * fuzz_dmarc - DMARC records and evaluation from arbitrary bytes
 *
 * The whole input is parsed as one record; then its lines become the
 * records at _dmarc.a.b.example.com, _dmarc.b.example.com,
 * _dmarc.example.com and _dmarc.com (a line "TIMEOUT" makes that name
 * time out) and a message from a.b.example.com is evaluated with an
 * SPF pass for x.example.com and a DKIM pass for b.example.com.  Every
 * outcome must be coherent: a result and policy in range, a pass only
 * with an aligned identifier, at most 8 questions per walk.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/deadline.h"
#include "forgeguard/dmarc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"_dmarc.a.b.example.com",
		"_dmarc.b.example.com",
		"_dmarc.example.com",
		"_dmarc.com",
	};
	struct fg_dmarcrec r;
	struct fg_dns *dns;
	struct fg_dmarc_in in = { "a.b.example.com",
				  "x.example.com",
				  { "b.example.com" },
				  1,
				  size > 0 ? (enum fg_dmarc_org)(data[0] % 3)
					   : FG_ORG_WALK };
	struct fg_dmarc_out o;
	const char *p = (const char *)data, *end = p + size;
	size_t k;

	if (fg_dmarcrec_parse(p, size, &r) == FG_OK &&
	    (r.p > FG_DMARC_P_REJECT || r.psd > FG_DMARC_PSD_N ||
	     memchr(r.rua, '\0', sizeof(r.rua)) == NULL))
		__builtin_trap();
	if (fg_dns_new_fake(&dns) != FG_OK)
		abort();
	for (k = 0; k < 4 && p < end; k++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n == 7 && memcmp(p, "TIMEOUT", 7) == 0) {
			if (fg_dns_fake_add(dns, names[k], 0, "TIMEOUT") !=
			    FG_OK)
				abort();
		} else if (fg_dns_fake_add_txt(dns, names[k], FG_DNS_TXT, p,
					       n) != FG_OK) {
			abort();
		}
		p += n + (nl != NULL);
	}
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	if ((unsigned)o.result > FG_DMARC_PERMERROR ||
	    o.policy > FG_DMARC_P_REJECT ||
	    (o.result == FG_DMARC_PASS && !o.spf_aligned && !o.dkim_aligned) ||
	    o.lookups > 3 * FG_DMARC_WALK_MAX + 1 ||
	    (o.result != FG_DMARC_PASS && o.why == NULL))
		__builtin_trap();
	fg_dns_free(dns);
	return 0;
}
