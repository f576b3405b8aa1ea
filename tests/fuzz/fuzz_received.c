/* fuzz_received - the Received: parser, From: lists, authserv-ids and
 * dates: bounded, NUL-terminated outputs, offsets inside the input */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "forgeguard/date.h"
#include "forgeguard/header.h"
#include "forgeguard/received.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* terminated - a text field holds its NUL */
static void
terminated(const char *s, size_t cap)
{
	if (memchr(s, '\0', cap) == NULL)
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct fg_rcvd r;
	struct fg_from f;
	struct fg_date d;
	char id[64];
	size_t k;

	(void)fg_received_parse(p, size, &r);
	terminated(r.from_name, sizeof(r.from_name));
	terminated(r.helo, sizeof(r.helo));
	terminated(r.rdns, sizeof(r.rdns));
	terminated(r.by, sizeof(r.by));
	terminated(r.id, sizeof(r.id));
	terminated(r.for_, sizeof(r.for_));
	terminated(r.envfrom, sizeof(r.envfrom));
	if ((unsigned)r.kind > FG_RCVD_FILTER || r.port > 65535)
		__builtin_trap();
	if (fg_header_from_parse(p, size, &f) != FG_OK &&
	    (f.why == NULL || f.errpos > size))
		__builtin_trap();
	if (f.n > FG_FROM_ADDRS_MAX || f.n > f.count)
		__builtin_trap();
	for (k = 0; k < f.n; k++)
		if (f.off[k] >= f.used || f.dom[k] >= f.used)
			__builtin_trap();
	terminated(f.arena, sizeof(f.arena));
	if (fg_header_authserv_id(p, size, id, sizeof(id)) == FG_OK)
		terminated(id, sizeof(id));
	if (fg_date_parse(p, size, &d) == FG_OK && d.used > size)
		__builtin_trap();
	return 0;
}
