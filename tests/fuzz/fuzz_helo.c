/* fuzz_helo - HELO classification and the domain checker */
#include <stddef.h>
#include <stdint.h>

#include "forgeguard/domain.h"
#include "forgeguard/helo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_helo h;
	struct fg_domain_info info;
	size_t pos;
	int flags;

	fg_helo_parse((const char *)data, size, &h);
	if (h.kind == FG_HELO_INVALID && (h.why == NULL || h.errpos > size))
		__builtin_trap();
	for (flags = 0; flags < 8; flags++)
		if (fg_domain_check((const char *)data, size, flags, &info,
				    &pos) != FG_OK &&
		    pos > size)
			__builtin_trap();
	return 0;
}
