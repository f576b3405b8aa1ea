/*
 * fuzz_headers - the header stage of a session from arbitrary bytes
 *
 * The input is the header section of a message: fields split at "\n",
 * name before the first ":", fed to a session after MAIL, RCPT and
 * DATA, then end of headers and end of message.  Every verdict must be
 * a legal action with a reply of its class, log lines stay one line,
 * and every Authentication-Results index to delete must exist.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/session.h"
#include "fuzz_verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fg_conf *conf;
static struct fg_log *logsink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = "local_domains = ours.example\n"
				   "local_hosts = mx.ours.example\n"
				   "trusted_networks = 10.0.0.0/8\n"
				   "authserv_id = mx.ours.example\n";
	static const char *mail[] = { "<a@example.net>", NULL };
	static const char *rcpt[] = { "<b@ours.example>", NULL };
	char *buf, *p, *end;
	struct fg_session *s;
	struct fg_verdict v;
	struct fg_eom_ops ops;
	struct fg_ip ip;
	size_t nauthres = 0, k;

	if (conf == NULL) {
		char err[1024];
		struct fg_buf b;

		fg_buf_init(&b, err, sizeof(err));
		if (fg_conf_load_text("fuzz", text, sizeof(text) - 1, &conf,
				      &b) != FG_OK ||
		    fg_log_new_callback(fuzz_drop, NULL, &logsink) != FG_OK)
			abort();
	}
	if (fg_session_new(conf, logsink, &s) != FG_OK)
		return 0;
	fg_session_set_clock(s, 1700000000);
	buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	end = buf + size;
	(void)fg_ipaddr_parse(size > 0 && data[0] & 1 ? "10.0.0.2"
						      : "192.0.2.7",
			      size > 0 && data[0] & 1 ? 8 : 9, &ip);
	fg_session_connect(s, "fuzz", "mail.example.net", &ip, NULL, &v);
	fg_session_helo(s, "mail.example.net", NULL, &v);
	fg_session_mail(s, mail, NULL, &v);
	fg_session_rcpt(s, rcpt, NULL, &v);
	fg_session_data(s, NULL, &v);
	for (p = buf; p < end; p += strlen(p) + 1) {
		char *nl = strchr(p, '\n'), *colon;

		if (nl != NULL)
			*nl = '\0';
		colon = strchr(p, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		nauthres += strcasecmp(p, "Authentication-Results") == 0;
		fg_session_header(s, p, colon + 1, &v);
		fuzz_check(&v);
	}
	fg_session_eoh(s, NULL, &v);
	fuzz_check(&v);
	fg_session_eom(s, NULL, &v, &ops);
	fuzz_check(&v);
	for (k = 0; k < ops.ndel; k++)
		if (ops.del[k] == 0 || ops.del[k] > nauthres ||
		    (k > 0 && ops.del[k] <= ops.del[k - 1]))
			__builtin_trap();
	fg_session_free(s);
	free(buf);
	return 0;
}
