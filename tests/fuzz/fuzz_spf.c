/*
 * fuzz_spf - the native SPF evaluator on hostile records
 *
 * The input, split at the first NUL, is the TXT record of fuzz.example
 * and the sender's local part; the record may include, redirect to or
 * name fuzz.example itself and a second record at b.fuzz.example (the
 * rest of the input).  Results must be legal and the check must end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/dns.h"
#include "forgeguard/deadline.h"
#include "forgeguard/spf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, 0, size);
	size_t n1 = nul ? (size_t)(nul - (const char *)data) : size;
	struct fg_spf_outcome o;
	struct fg_dns *dns;
	struct fg_ip ip;

	if (fg_dns_new_fake(&dns) != FG_OK)
		return 0;
	(void)fg_dns_fake_add_txt(dns, "fuzz.example", FG_DNS_TXT,
				  (const char *)data, n1);
	if (nul != NULL)
		(void)fg_dns_fake_add_txt(dns, "b.fuzz.example", FG_DNS_TXT,
					  nul + 1, size - n1 - 1);
	(void)fg_dns_fake_add(dns, "fuzz.example", FG_DNS_A, "192.0.2.1");
	(void)fg_dns_fake_add(dns, "fuzz.example", FG_DNS_MX,
			      "10 mx.fuzz.example");
	(void)fg_dns_fake_add(dns, "1.2.0.192.in-addr.arpa", FG_DNS_PTR,
			      "fuzz.example");
	(void)fg_ipaddr_parse("192.0.2.1", 9, &ip);
	fg_spf_check_native(dns, &ip, "helo.fuzz.example",
			    "~user+tag@fuzz.example", fg_deadline_after(1000),
			    &o);
	if ((unsigned)o.result > FG_SPF_R_PERMERROR)
		__builtin_trap();
	fg_dns_free(dns);
	return 0;
}
