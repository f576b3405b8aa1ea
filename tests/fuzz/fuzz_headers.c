/*
 * fuzz_headers - the message stages of a session from arbitrary bytes
 *
 * The input is a whole message, fed by fg_split exactly as the daemon
 * receives one from Postfix (header fields, end of headers, body chunks)
 * to a session after MAIL, RCPT and DATA, then end of message.  Every
 * verdict must be a legal action with a reply of its class, log lines
 * stay one line, and every Authentication-Results index to delete must
 * exist, once.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forgeguard/session.h"
#include "forgeguard/split.h"
#include "fuzz_verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fg_conf *conf;
static struct fg_log *logsink;

/* What the harness feeds, and counts. */
struct feed {
	struct fg_session *s;
	size_t nauthres;
};

static void
on_header(void *arg, const char *name, const char *value)
{
	struct feed *f = arg;
	struct fg_verdict v;

	f->nauthres += strcasecmp(name, "Authentication-Results") == 0;
	fg_session_header(f->s, name, value, &v);
	fuzz_check(&v);
}

static void
on_eoh(void *arg)
{
	struct feed *f = arg;
	struct fg_verdict v;

	fg_session_eoh(f->s, NULL, &v);
	fuzz_check(&v);
}

static void
on_body(void *arg, const unsigned char *p, size_t n)
{
	struct feed *f = arg;
	struct fg_verdict v;

	(void)fg_session_body(f->s, p, n, &v);
	fuzz_check(&v);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = "local_domains = ours.example\n"
				   "local_hosts = mx.ours.example\n"
				   "trusted_networks = 10.0.0.0/8\n"
				   "authserv_id = mx.ours.example\n";
	static const char *mail[] = { "<a@example.net>", NULL };
	static const char *rcpt[] = { "<b@ours.example>", NULL };
	struct feed f = { NULL, 0 };
	struct fg_split_sink sink = { on_header, on_eoh, on_body, &f };
	struct fg_verdict v;
	struct fg_eom_ops ops;
	struct fg_ip ip;
	size_t k;

	if (conf == NULL) {
		char err[1024];
		struct fg_buf b;

		fg_buf_init(&b, err, sizeof(err));
		if (fg_conf_load_text("fuzz", text, sizeof(text) - 1, &conf,
				      &b) != FG_OK ||
		    fg_log_new_callback(fuzz_drop, NULL, &logsink) != FG_OK)
			abort();
	}
	if (fg_session_new(conf, logsink, &f.s) != FG_OK)
		return 0;
	fg_session_set_clock(f.s, 1700000000);
	(void)fg_ipaddr_parse(size > 0 && data[0] & 1 ? "10.0.0.2"
						      : "192.0.2.7",
			      size > 0 && data[0] & 1 ? 8 : 9, &ip);
	fg_session_connect(f.s, "fuzz", "mail.example.net", &ip, NULL, &v);
	fg_session_helo(f.s, "mail.example.net", NULL, &v);
	fg_session_mail(f.s, mail, NULL, &v);
	fg_session_rcpt(f.s, rcpt, NULL, &v);
	fg_session_data(f.s, NULL, &v);
	if (fg_split((const char *)data, size, 0, &sink) != FG_OK)
		abort(); /* out of memory in a harness: a finding to see */
	fg_session_eom(f.s, NULL, &v, &ops);
	fuzz_check(&v);
	for (k = 0; k < ops.ndel; k++)
		if (ops.del[k] == 0 || ops.del[k] > f.nauthres ||
		    (k > 0 && ops.del[k] <= ops.del[k - 1]))
			__builtin_trap();
	fg_session_eom_done(f.s, NULL, &v);
	fuzz_check(&v);
	fg_session_free(f.s);
	return 0;
}
