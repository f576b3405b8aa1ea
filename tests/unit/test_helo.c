/* test_helo - classification of HELO arguments */
#include "forgeguard/helo.h"
#include "tcase.h"

static const struct {
	const char *name, *in;
	enum fg_helo_kind kind;
	size_t labels;
} cases[] = {
	{ "fqdn", "mail.example.org", FG_HELO_HOSTNAME, 3 },
	{ "fqdn trailing dot", "mail.example.org.", FG_HELO_HOSTNAME, 3 },
	{ "single label", "localhost", FG_HELO_HOSTNAME, 1 },
	{ "v4 literal", "[192.0.2.1]", FG_HELO_LITERAL, 0 },
	{ "v6 literal", "[IPv6:2001:db8::1]", FG_HELO_LITERAL, 0 },
	{ "v6 literal lower tag", "[ipv6:2001:db8::1]", FG_HELO_LITERAL, 0 },
	{ "v6 literal no tag", "[2001:db8::1]", FG_HELO_INVALID, 0 },
	{ "bad literal", "[300.1.1.1]", FG_HELO_INVALID, 0 },
	{ "unclosed literal", "[192.0.2.1", FG_HELO_INVALID, 0 },
	{ "general literal", "[x400:foo]", FG_HELO_INVALID, 0 },
	{ "bare v4", "192.0.2.1", FG_HELO_BARE_IP, 0 },
	{ "bare v6", "2001:db8::1", FG_HELO_BARE_IP, 0 },
	{ "numeric non-address", "999.1.2.3", FG_HELO_INVALID, 0 },
	{ "empty", "", FG_HELO_EMPTY, 0 },
	{ "space", "mail example", FG_HELO_INVALID, 0 },
	{ "underscore", "my_host.example", FG_HELO_INVALID, 0 },
	{ "crlf", "mail.example\r\nMAIL FROM:<a@b>", FG_HELO_INVALID, 0 },
	{ "8bit", "m\xc3\xa1il.example", FG_HELO_INVALID, 0 },
	{ "brackets only", "[]", FG_HELO_INVALID, 0 },
	{ "open bracket", "[", FG_HELO_INVALID, 0 },
};

START_TEST(classify)
{
	struct fg_helo h;

	fg_helo_parse(cases[_i].in, strlen(cases[_i].in), &h);
	ck_assert_msg(h.kind == cases[_i].kind, "%s: got kind %d want %d",
		      cases[_i].name, h.kind, cases[_i].kind);
	if (h.kind == FG_HELO_HOSTNAME)
		ck_assert_msg(h.labels == cases[_i].labels, "%s: labels %zu",
			      cases[_i].name, h.labels);
	if (h.kind == FG_HELO_INVALID || h.kind == FG_HELO_EMPTY)
		ck_assert_msg(h.why != NULL, "%s: no reason", cases[_i].name);
}
END_TEST

START_TEST(hostile)
{
	struct fg_helo h;
	char *s = big(10240, 'a');

	fg_helo_parse(s, 10240, &h);
	ck_assert_int_eq(h.kind, FG_HELO_INVALID);
	s[0] = '[';
	fg_helo_parse(s, 10240, &h);
	ck_assert_int_eq(h.kind, FG_HELO_INVALID);
	free(s);
	fg_helo_parse("a\0b.example", 11, &h);
	ck_assert_int_eq(h.kind, FG_HELO_INVALID);
	ck_assert_uint_eq(h.errpos, 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("helo");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, classify, 0, NCASES(cases));
	tcase_add_test(tc, hostile);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
