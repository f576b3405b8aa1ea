/*
 * fuzz_session - whole sessions from arbitrary bytes
 *
 * The input is split at NUL bytes into commands; the first byte of each
 * picks the stage (connect, helo, mail, rcpt, data, eom, abort, unknown)
 * and the rest is its argument (MAIL and RCPT split further at blanks
 * into argv).  Every verdict must be a legal action, and a refusal must
 * carry a reply of the matching class.
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
				   "max_recipients = 3\nmax_message_size = 1k\n"
				   "authserv_id = mx.fuzz.example\n";
	char *buf, *p, *end;
	struct fg_session *s;
	struct fg_verdict v;
	struct fg_eom_ops ops;
	struct fg_ip ip;

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
	buf = malloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	end = buf + size;
	(void)fg_ipaddr_parse("192.0.2.7", 9, &ip);
	fg_session_connect(s, "fuzz", "[192.0.2.7]", &ip, NULL, &v);
	fuzz_check(&v);
	for (p = buf; p < end; p += strlen(p) + 1) {
		const char *argv[8];
		char *q = p + 1;
		int n = 0;

		if (*p == '\0')
			continue;
		argv[n++] = q;
		while (n < 7 && (q = strchr(q, ' ')) != NULL) {
			*q++ = '\0';
			argv[n++] = q;
		}
		argv[n] = NULL;
		switch (*p % 8) {
		case 0:
			fg_session_connect(s, "fuzz", p + 1, NULL, NULL, &v);
			break;
		case 1:
			fg_session_helo(s, p + 1, NULL, &v);
			break;
		case 2:
			fg_session_mail(s, argv, NULL, &v);
			break;
		case 3:
			fg_session_rcpt(s, argv, NULL, &v);
			break;
		case 4:
			fg_session_data(s, NULL, &v);
			break;
		case 5:
			fg_session_eom(s, NULL, &v, &ops);
			fuzz_check(&v);
			fg_session_eom_done(s, NULL, &v);
			break;
		case 6:
			fg_session_abort(s);
			memset(&v, 0, sizeof(v));
			break;
		default:
			fg_session_unknown(s, p + 1, &v);
			break;
		}
		fuzz_check(&v);
	}
	fg_session_free(s);
	free(buf);
	return 0;
}
