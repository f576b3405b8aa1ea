/* fuzz_ipaddr - addresses and networks; parse(format(x)) == x */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "forgeguard/ipaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_ip ip, back;
	struct fg_cidr c;
	char s[64];
	struct fg_buf b;

	if (fg_ipaddr_parse((const char *)data, size, &ip) == FG_OK) {
		fg_buf_init(&b, s, sizeof(s));
		fg_ipaddr_format(&ip, &b);
		if (fg_ipaddr_parse(s, b.len, &back) != FG_OK ||
		    back.family != ip.family ||
		    memcmp(back.a, ip.a, sizeof(ip.a)) != 0)
			__builtin_trap();
		(void)fg_ipaddr_smtp6_ok((const char *)data, size);
		(void)fg_ipaddr_is_special(&ip);
	}
	if (fg_cidr_parse((const char *)data, size, &c) == FG_OK &&
	    !fg_cidr_match(&c, &c.ip))
		__builtin_trap(); /* a network contains its own address */
	return 0;
}
