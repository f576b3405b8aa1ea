/* fuzz_conffile - the whole configuration loader on arbitrary text */
#include <stddef.h>
#include <stdint.h>

#include "forgeguard/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fg_conf *c = NULL;
	char err[4096];
	struct fg_buf b;

	fg_buf_init(&b, err, sizeof(err));
	if (fg_conf_load_text("fuzz", (const char *)data, size, &c, &b) ==
	    FG_OK) {
		if (c == NULL)
			__builtin_trap();
		fg_conf_unref(c);
	} else if (c != NULL || b.len == 0) {
		__builtin_trap(); /* a refused file always says why */
	}
	return 0;
}
