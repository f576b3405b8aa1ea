/*
 * rcvd_probe - the Received: parser for the conformance harness
 *
 * Reads one hex-encoded field body per line on stdin and prints
 * "ok" or "err", then KEY=HEXVALUE pairs separated by tabs, for every
 * field of struct fg_rcvd (see tests/conformance/run.py for how each
 * corpus's fields map onto them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/buf.h"
#include "forgeguard/received.h"

static void
kv(const char *k, const char *p)
{
	size_t i, n = strlen(p);

	printf("\t%s=", k);
	for (i = 0; i < n; i++)
		printf("%02x", (unsigned char)p[i]);
	if (n == 0)
		printf("-");
}

int
main(void)
{
	static char line[2 * 1024 * 1024 + 8], in[1024 * 1024];
	static const char *auth[] = { "",   "proto",  "web",  "bits",
				      "as", "sender", "mech", "account" };

	while (fgets(line, sizeof(line), stdin) != NULL) {
		size_t n = 0, i;
		struct fg_rcvd r;
		char ip[FG_IP_TEXT_MAX + 1] = "", port[16] = "", ut[32] = "";
		struct fg_buf b;
		int ok;

		for (i = 0; line[i] && line[i + 1] && line[i] != '\n' &&
			    n < sizeof(in);
		     i += 2) {
			char h[3] = { line[i], line[i + 1], 0 };

			in[n++] = (char)strtol(h, NULL, 16);
		}
		ok = fg_received_parse(in, n, &r) == FG_OK;
		if (r.has_ip) {
			fg_buf_init(&b, ip, sizeof(ip));
			fg_ipaddr_format(&r.ip, &b);
		}
		if (r.port)
			snprintf(port, sizeof(port), "%u", r.port);
		if (r.has_date)
			snprintf(ut, sizeof(ut), "%lld", (long long)r.date.utc);
		printf("%s", ok ? "ok" : "err");
		kv("kind", fg_received_kind_name(r.kind));
		kv("from", r.from_name);
		kv("helo", r.helo);
		kv("has_helo", r.has_helo ? "1" : "");
		kv("rdns", r.rdns);
		kv("tcp_host", r.tcp_host);
		kv("ip", ip);
		kv("port", port);
		kv("bad_ip", r.bad_ip);
		kv("ident", r.ident);
		kv("by", r.by);
		kv("via", r.via);
		kv("with", r.with);
		kv("id", r.id);
		kv("for", r.for_);
		kv("envfrom", r.envfrom);
		kv("auth", auth[r.auth]);
		kv("auth_detail", r.auth_detail);
		kv("date", ut);
		printf("\n");
	}
	return 0;
}
