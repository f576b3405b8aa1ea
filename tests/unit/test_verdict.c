/* test_verdict - log lines cannot be forged or split by client values */
#include "forgeguard/verdict.h"
#include "tcase.h"

/* fmt - a line for a HELO value, text or JSON */
static void
fmt(const char *helo, size_t n, enum fg_log_format f, char *out, size_t cap)
{
	struct fg_findings fs;
	struct fg_verdict v;
	struct fg_vline l;
	struct fg_buf b;

	fg_findings_reset(&fs);
	fg_findings_add(&fs, FG_CHK_HELO_SYNTAX, FG_R_INVALID, "not a host", 3,
			helo, n);
	memset(&v, 0, sizeof(v));
	v.action = FG_ACT_REJECT;
	v.would = FG_ACT_REJECT;
	v.has_reply = 1;
	strcpy(v.reply.rcode, "550");
	strcpy(v.reply.xcode, "5.5.2");
	strcpy(v.reply.text, "bad \"x\"");
	memset(&l, 0, sizeof(l));
	l.stage = FG_STAGE_HELO;
	l.sid = "0badcafe";
	l.qid = "";
	l.client_name = "evil name[1]";
	l.client_addr = "192.0.2.1";
	l.helo.p = helo;
	l.helo.n = n;
	l.findings = &fs;
	l.verdict = &v;
	l.ms = 1.25;
	fg_buf_init(&b, out, cap);
	fg_verdict_format(&l, f, &b);
}

START_TEST(text_plain)
{
	char s[2048];

	fmt("mail.example.org", 16, FG_LOGFMT_TEXT, s, sizeof(s));
	ck_assert_str_eq(s, "v=1 sid=0badcafe stage=helo "
			    "client=evil\\x20name\\x5b1\\x5d[192.0.2.1] "
			    "helo=mail.example.org "
			    "findings=helo.syntax:invalid "
			    "detail=\"helo.syntax: not a host at offset 3\" "
			    "action=reject reply=\"550 5.5.2 bad \\\"x\\\"\" "
			    "ms=1.2");
}
END_TEST

START_TEST(text_hostile)
{
	char s[2048];

	fmt("a\r\nforgeguard: v=1 action=accept", 32, FG_LOGFMT_TEXT, s,
	    sizeof(s));
	ck_assert(strchr(s, '\n') == NULL && strchr(s, '\r') == NULL);
	ck_assert(strstr(s, "helo=\"a\\x0d\\x0aforgeguard: v=1 "
			    "action=accept\"") != NULL);
	fmt("x\0y", 3, FG_LOGFMT_TEXT, s, sizeof(s));
	ck_assert(strstr(s, "helo=\"x\\x00y\"") != NULL);
	fmt("", 0, FG_LOGFMT_TEXT, s, sizeof(s));
	ck_assert(strstr(s, "helo=\"\"") != NULL);
}
END_TEST

START_TEST(text_long_value_cut)
{
	char s[8192], *h = big(10000, 'h');

	fmt(h, 10000, FG_LOGFMT_TEXT, s, sizeof(s));
	ck_assert_uint_lt(strlen(s), FG_LOG_VALUE_MAX + 400);
	ck_assert(strstr(s, "...\"") != NULL);
	free(h);
}
END_TEST

START_TEST(json)
{
	char s[2048];

	fmt("a\"b\n", 4, FG_LOGFMT_JSON, s, sizeof(s));
	ck_assert_str_eq(s, "{\"v\":1,\"sid\":\"0badcafe\",\"stage\":\"helo\","
			    "\"client_name\":\"evil name[1]\","
			    "\"client_addr\":\"192.0.2.1\","
			    "\"helo\":\"a\\\"b\\u000a\","
			    "\"findings\":[{\"check\":\"helo.syntax\","
			    "\"result\":\"invalid\",\"reason\":\"not a host\","
			    "\"pos\":3}],\"action\":\"reject\","
			    "\"reply\":\"550 5.5.2 bad \\\"x\\\"\","
			    "\"ms\":1.2}");
}
END_TEST

START_TEST(line_bounded)
{
	char s[64];

	/* a small buffer cuts the line, never overflows it */
	fmt("mail.example.org", 16, FG_LOGFMT_TEXT, s, sizeof(s));
	ck_assert_uint_eq(strlen(s), sizeof(s) - 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, text_plain);
	tcase_add_test(tc, text_hostile);
	tcase_add_test(tc, text_long_value_cut);
	tcase_add_test(tc, json);
	tcase_add_test(tc, line_bounded);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
