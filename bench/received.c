/*
 * bench/received - the cost of the header stage, measured, not asserted
 *
 *   received [N]   parses N typical Received: fields (the MTA corpus
 *                  shapes in turn) and runs N header stages of a
 *                  30-field message through a session (MAIL, RCPT,
 *                  DATA, 30 header fields, end of headers), and prints
 *                  fields per second and microseconds per header stage.
 * Reported in BENCHMARKS.md; issue 4's targets are 1,000,000 fields per
 * second on one core and 20 us per 30-field header stage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forgeguard/received.h"
#include "forgeguard/session.h"

static const char *const fields[] = {
	"from mail-ej1-f41.google.com (mail-ej1-f41.google.com "
	"[209.85.218.41])\r\n\t(using TLSv1.3 with cipher "
	"TLS_AES_128_GCM_SHA256 (128/128 bits))\r\n\t(No client certificate "
	"requested)\r\n\tby mx.example.org (Postfix) with ESMTPS id "
	"4SVq1X2Yz9z9vB\r\n\tfor <bob@example.org>; Tue, 14 Nov 2023 22:13:20 "
	"+0100 (CET)",
	"from mail-wr1-f54.google.com ([209.85.221.54]:44556 "
	"helo=smtp.gmail.com)\r\n\tby mx.example.org with esmtps  (TLS1.3) "
	"tls TLS_AES_256_GCM_SHA384\r\n\t(Exim 4.96)\r\n\t(envelope-from "
	"<alice@gmail.com>)\r\n\tid 1rB2c3-0004Xy-2Q\r\n\tfor "
	"bob@example.org;\r\n\tTue, 14 Nov 2023 22:13:20 +0000",
	"from mail.example.com (HELO smtp.example.com) (203.0.113.44)\r\n  "
	"by mx.example.org with SMTP; 14 Nov 2023 22:13:20 -0000",
	"by 2002:a05:6a10:a0d9:b0:4f2:8b1c:9d3e with SMTP id "
	"x25csp1234567pxa;\r\n        Tue, 14 Nov 2023 14:13:20 -0800 (PST)",
	"from relay.example.com (root@host-203-0-113-9.example.com "
	"[203.0.113.9] (may be forged))\r\n\tby mail.example.edu "
	"(8.17.1/8.17.1) with ESMTP id 3AELDK1x012345\r\n\tfor "
	"<dave@example.edu>; Tue, 14 Nov 2023 16:13:20 -0500",
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
nolog(void *arg, enum fg_log_level l, const char *line, size_t len)
{
}

/* parse_rate - Received: fields per second */
static double
parse_rate(long n)
{
	size_t len[NFIELDS], k;
	struct fg_rcvd r;
	long i, ok = 0;
	double t0;

	for (k = 0; k < NFIELDS; k++)
		len[k] = strlen(fields[k]);
	t0 = now();
	for (i = 0; i < n; i++)
		ok += fg_received_parse(fields[i % NFIELDS], len[i % NFIELDS],
					&r) == FG_OK;
	if (ok != n)
		fprintf(stderr, "received: %ld of %ld did not parse\n", n - ok,
			n);
	return (double)n / (now() - t0);
}

/* stage_us - microseconds per header stage of a 30-field message */
static double
stage_us(long n)
{
	static const char text[] = "local_domains = ours.example\n"
				   "local_hosts = mx.ours.example\n"
				   "authserv_id = mx.ours.example\n";
	static const char *mail[] = { "<alice@example.net>", NULL };
	static const char *rcpt[] = { "<bob@ours.example>", NULL };
	static const char *const names[] = {
		"Received",
		"Received",
		"Received",
		"Received",
		"Received",
		"Authentication-Results",
		"DKIM-Signature",
		"From",
		"To",
		"Cc",
		"Subject",
		"Date",
		"Message-ID",
		"MIME-Version",
		"Content-Type",
		"Reply-To",
		"List-Id",
		"List-Unsubscribe",
		"X-Mailer",
		"X-Spam-Score",
		"References",
		"In-Reply-To",
		"Thread-Topic",
		"Thread-Index",
		"Accept-Language",
		"Content-Language",
		"X-MS-Has-Attach",
		"X-Originating-IP",
		"Importance",
		"X-Priority",
	};
	char err[256], value[30][1024];
	struct fg_buf b;
	struct fg_conf *conf;
	struct fg_log *log;
	struct fg_session *s;
	struct fg_verdict v;
	struct fg_eom_ops ops;
	struct fg_ip ip;
	double t0, spent = 0;
	long i;
	size_t k;

	fg_buf_init(&b, err, sizeof(err));
	if (fg_conf_load_text("bench", text, sizeof(text) - 1, &conf, &b) !=
		    FG_OK ||
	    fg_log_new_callback(nolog, NULL, &log) != FG_OK ||
	    fg_session_new(conf, log, &s) != FG_OK)
		exit(1);
	for (k = 0; k < 30; k++)
		snprintf(value[k], sizeof(value[k]), "%s",
			 k < 5    ? fields[k % NFIELDS]
			 : k == 5 ? "mx.example.net; spf=pass "
				    "smtp.mailfrom=example.net"
			 : k == 7
				 ? "Alice Example <alice@example.net>"
				 : "a typical value of a typical header field, "
				   "about sixty bytes");
	if (fg_ipaddr_parse("192.0.2.7", 9, &ip) != FG_OK)
		exit(1);
	fg_session_connect(s, "bench", "mail.example.net", &ip, NULL, &v);
	fg_session_helo(s, "mail.example.net", NULL, &v);
	for (i = 0; i < n; i++) {
		fg_session_mail(s, mail, NULL, &v);
		fg_session_rcpt(s, rcpt, NULL, &v);
		fg_session_data(s, NULL, &v);
		t0 = now();
		for (k = 0; k < 30; k++)
			fg_session_header(s, names[k], value[k], &v);
		fg_session_eoh(s, NULL, &v);
		spent += now() - t0;
		fg_session_eom(s, NULL, &v, &ops);
		fg_session_eom_done(s, NULL, &v);
	}
	fg_session_free(s);
	fg_log_unref(log);
	fg_conf_unref(conf);
	return spent / (double)n * 1e6;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;

	printf("received-parse: %.0f fields/s (%ld fields, %zu shapes)\n",
	       parse_rate(n), n, NFIELDS);
	printf("header-stage: %.2f us per 30-field message (%ld messages, "
	       "verdict lines formatted, not written)\n",
	       stage_us(n / 20), n / 20);
	return 0;
}
