/* test_domain - RFC 5321 Domain syntax, canonical form, membership */
#include "forgeguard/domain.h"
#include "tcase.h"

#define L63 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct {
	const char *name, *in;
	int flags;
	enum fg_err want;
	size_t errpos, labels;
} cases[] = {
	{ "simple", "example.com", 0, FG_OK, 0, 2 },
	{ "single label", "localhost", 0, FG_OK, 0, 1 },
	{ "digits", "123.example", 0, FG_OK, 0, 2 },
	{ "hyphen inside", "a-b.example", 0, FG_OK, 0, 2 },
	{ "hyphen start", "-ab.example", 0, FG_ESYNTAX, 0, 0 },
	{ "hyphen end", "ab-.example", 0, FG_ESYNTAX, 3, 0 },
	{ "empty", "", 0, FG_ESYNTAX, 0, 0 },
	{ "leading dot", ".example", 0, FG_ESYNTAX, 0, 0 },
	{ "double dot", "a..b", 0, FG_ESYNTAX, 2, 0 },
	{ "trailing dot refused", "example.com.", 0, FG_ESYNTAX, 12, 0 },
	{ "trailing dot allowed", "example.com.", FG_DOMAIN_TRAILING_DOT, FG_OK,
	  0, 2 },
	{ "lone dot", ".", FG_DOMAIN_TRAILING_DOT, FG_ESYNTAX, 0, 0 },
	{ "underscore refused", "_dmarc.example", 0, FG_ESYNTAX, 0, 0 },
	{ "underscore allowed", "_dmarc.example", FG_DOMAIN_UNDERSCORE, FG_OK,
	  0, 2 },
	{ "space", "exa mple.com", 0, FG_ESYNTAX, 3, 0 },
	{ "nul", "exa\0mple", 0, FG_ESYNTAX, 3, 0 },
	{ "crlf", "example.com\r\n", 0, FG_ESYNTAX, 11, 0 },
	{ "utf8 refused", "\xc3\xb1.example", 0, FG_ESYNTAX, 0, 0 },
	{ "utf8 allowed", "\xc3\xb1.example", FG_DOMAIN_UTF8, FG_OK, 0, 2 },
	{ "label 63", L63 ".com", 0, FG_OK, 0, 2 },
	{ "label 64", L63 "a.com", 0, FG_ETOOLONG, 63, 0 },
	{ "brackets", "[1.2.3.4]", 0, FG_ESYNTAX, 0, 0 },
};

START_TEST(check)
{
	struct fg_domain_info info;
	size_t pos = 999;
	size_t n = strlen(cases[_i].in);
	enum fg_err e;

	if (strcmp(cases[_i].name, "nul") == 0)
		n = 8;
	e = fg_domain_check(cases[_i].in, n, cases[_i].flags, &info, &pos);
	ck_assert_msg(e == cases[_i].want, "%s: got %d want %d", cases[_i].name,
		      e, cases[_i].want);
	if (e != FG_OK)
		ck_assert_msg(pos == cases[_i].errpos, "%s: pos %zu want %zu",
			      cases[_i].name, pos, cases[_i].errpos);
	else
		ck_assert_msg(info.labels == cases[_i].labels, "%s: labels %zu",
			      cases[_i].name, info.labels);
}
END_TEST

START_TEST(total_length)
{
	/* 4 labels of 63 + 3 dots = 255: ok; one more byte: too long */
	char s[300];
	size_t pos;

	snprintf(s, sizeof(s), "%s.%s.%s.%s", L63, L63, L63, L63);
	ck_assert_uint_eq(strlen(s), 255);
	ck_assert_int_eq(fg_domain_check(s, 255, 0, NULL, &pos), FG_OK);
	snprintf(s, sizeof(s), "%s.%s.%s.%sa", L63, L63, L63, L63);
	ck_assert_int_eq(fg_domain_check(s, 256, 0, NULL, &pos), FG_ETOOLONG);
	{
		char *h = big(10000, 'a');

		ck_assert_int_eq(fg_domain_check(h, 10000, 0, NULL, &pos),
				 FG_ETOOLONG);
		free(h);
	}
}
END_TEST

START_TEST(facts)
{
	struct fg_domain_info info;
	size_t pos;

	ck_assert(fg_domain_check("1.2.3.4", 7, 0, &info, &pos) == FG_OK);
	ck_assert(info.looks_like_ipv4);
	ck_assert(info.all_numeric_tld);
	ck_assert(fg_domain_check("a.b.c.d", 7, 0, &info, &pos) == FG_OK);
	ck_assert(!info.looks_like_ipv4);
}
END_TEST

START_TEST(canon_within)
{
	char d[32];

	ck_assert(fg_domain_canon("MX.Example.COM.", 15, d, sizeof(d)) ==
		  FG_OK);
	ck_assert_str_eq(d, "mx.example.com");
	ck_assert(fg_domain_within("mx.example.com", 14, "example.com", 11, 1));
	ck_assert(
		!fg_domain_within("mx.example.com", 14, "example.com", 11, 0));
	ck_assert(fg_domain_within("example.com", 11, "example.com", 11, 0));
	ck_assert(
		!fg_domain_within("badexample.com", 14, "example.com", 11, 1));
	ck_assert(fg_domain_within("a.example.com", 13, ".example.com", 12, 0));
	ck_assert(!fg_domain_within("example.com", 11, ".example.com", 12, 0));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("domain");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, check, 0, NCASES(cases));
	tcase_add_test(tc, total_length);
	tcase_add_test(tc, facts);
	tcase_add_test(tc, canon_within);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
