/* fuzz_addr - the path and parameter parsers on arbitrary bytes */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "forgeguard/addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_path p;
	struct fg_params ps;
	int flags;

	for (flags = 0; flags < 4; flags++) {
		if (fg_addr_parse_path((const char *)data, size, flags, &p) ==
		    FG_OK) {
			/* a parsed path keeps its promises */
			if (p.end > size || strlen(p.addr) > FG_ADDR_MAX)
				__builtin_trap();
			(void)fg_addr_domain(&p);
			(void)fg_addr_is_postmaster(&p);
		} else if (p.why == NULL) {
			__builtin_trap(); /* every error has a reason */
		}
	}
	memset(&ps, 0, sizeof(ps));
	(void)fg_addr_parse_param((const char *)data, size, &ps);
	return 0;
}
