/*
 * addr_probe - the address parser for the conformance harness
 *
 * Reads one hex-encoded input per line on stdin; "P " prefix parses a
 * path (MAIL/RCPT argument, brackets optional), "M " a bare mailbox.
 * Prints "ok USER<TAB>DOMAIN<TAB>ADDR" (hex-encoded) or "err REASON".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/addr.h"

static void
hex(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", (unsigned char)p[i]);
	if (n == 0)
		printf("-");
}

int
main(void)
{
	char line[20000], in[10000];

	while (fgets(line, sizeof(line), stdin) != NULL) {
		size_t n = 0, i;
		struct fg_path p;
		int mailbox = line[0] == 'M';

		for (i = 2; line[i] && line[i + 1] && line[i] != '\n' &&
			    n < sizeof(in);
		     i += 2) {
			char h[3] = { line[i], line[i + 1], 0 };

			in[n++] = (char)strtol(h, NULL, 16);
		}
		if (fg_addr_parse_path(in, n, FG_ADDR_BARE, &p) != FG_OK ||
		    (mailbox && (p.bracketed || p.has_route || p.is_null))) {
			printf("err %s\n", p.why ? p.why : "not a mailbox");
			continue;
		}
		printf("ok ");
		hex(p.addr, p.addr_at);
		printf("\t");
		hex(fg_addr_domain(&p), strlen(fg_addr_domain(&p)));
		printf("\t");
		hex(p.addr, strlen(p.addr));
		printf("\n");
	}
	return 0;
}
