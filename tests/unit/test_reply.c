/* test_reply - every reply is one libmilter and Postfix accept */
#include "forgeguard/catalog.h"
#include "forgeguard/reply.h"
#include "forgeguard/replyspec.h"
#include "tcase.h"

static const struct {
	const char *name, *spec;
	int ok;
} specs[] = {
	{ "plain", "550 5.7.1 go away", 1 },
	{ "tempfail", "451 4.7.24 try later", 1 },
	{ "421", "421 4.7.0 closing", 1 },
	{ "three digit detail", "550 5.7.123 x", 1 },
	{ "2xx", "250 2.0.0 ok", 0 },
	{ "3xx", "354 3.0.0 x", 0 },
	{ "class mismatch", "550 4.7.1 x", 0 },
	{ "no enhanced", "550 go away", 0 },
	{ "short code", "55 5.7.1 x", 0 },
	{ "second digit 6", "560 5.7.1 x", 0 },
	{ "four digit subject", "550 5.7777.1 x", 0 },
	{ "no text", "550 5.7.1", 0 },
	{ "crlf", "550 5.7.1 a\r\nb", 0 },
	{ "tab", "550 5.7.1 a\tb", 0 },
	{ "8bit", "550 5.7.1 \xc3\xa9", 0 },
	{ "empty", "", 0 },
	/* found by fuzz_conffile: read past the end */
	{ "cut after class", "550 5", 0 },
	{ "cut after dot", "550 5.", 0 },
	{ "cut after subject", "550 5.7", 0 },
	{ "cut after second dot", "550 5.7.", 0 },
	{ "cut after code", "550", 0 },
	{ "cut after blank", "550 ", 0 },
	{ "placeholders", "550 5.7.1 {value} {check} {reason}", 1 },
	{ "unknown placeholder", "550 5.7.1 {sender} go away", 0 },
	{ "brace at the end", "550 5.7.1 go away {", 0 },
};

START_TEST(check_spec)
{
	const char *why = NULL;
	enum fg_err e = fg_replyspec_check(specs[_i].spec, &why);

	ck_assert_msg((e == FG_OK) == specs[_i].ok, "%s: got %d (%s)",
		      specs[_i].name, e, why ? why : "");
}
END_TEST

START_TEST(catalog_defaults_valid)
{
	int id;

	for (id = 0; id < FG_CHK_COUNT; id++) {
		const struct fg_catalog_check *c = fg_catalog_get(id);
		size_t k;

		for (k = 0;
		     k < FG_CATALOG_RULES_MAX && c->rules[k].reply != NULL;
		     k++) {
			const char *why = NULL;

			ck_assert_msg(fg_replyspec_check(c->rules[k].reply,
							 &why) == FG_OK,
				      "%s: %s", c->name, why);
			/* every default names its check */
			ck_assert_msg(
				strstr(c->rules[k].reply, c->name) != NULL,
				"%s: reply does not name the check", c->name);
		}
	}
}
END_TEST

START_TEST(build_substitutes_and_escapes)
{
	struct fg_reply r;

	ck_assert(fg_reply_build(&r, FG_ACT_REJECT,
				 "550 5.7.1 HELO {value} is bad ({check})",
				 "helo.syntax", NULL, "evil\r\n250 ok%s",
				 14) == FG_OK);
	ck_assert_str_eq(r.rcode, "550");
	ck_assert_str_eq(r.xcode, "5.7.1");
	ck_assert_str_eq(r.text, "HELO evil??250 ok%s is bad (helo.syntax)");
	ck_assert_str_eq(r.wire, "HELO evil??250 ok%%s is bad (helo.syntax)");
	ck_assert(fg_reply_build(&r, FG_ACT_REJECT, "550 5.7.1 v={value}", "x",
				 NULL, "", 0) == FG_OK);
	ck_assert_str_eq(r.text, "v=(empty)");
	ck_assert(fg_reply_build(&r, FG_ACT_REJECT, "550 5.7.1 {reason}!", "x",
				 "bad\r\nthing", "", 0) == FG_OK);
	ck_assert_str_eq(r.text, "bad??thing!");
}
END_TEST

START_TEST(build_moves_class)
{
	struct fg_reply r;

	/* a 4xx spec used for a reject becomes 5xx, and vice versa */
	ck_assert(fg_reply_build(&r, FG_ACT_REJECT, "450 4.7.25 x", "c", NULL,
				 "", 0) == FG_OK);
	ck_assert_str_eq(r.rcode, "550");
	ck_assert_str_eq(r.xcode, "5.7.25");
	ck_assert(fg_reply_build(&r, FG_ACT_TEMPFAIL, "553 5.1.7 x", "c", NULL,
				 "", 0) == FG_OK);
	ck_assert_str_eq(r.rcode, "451");
	ck_assert_str_eq(r.xcode, "4.1.7");
	ck_assert(fg_reply_build(&r, FG_ACT_TEMPFAIL, "552 5.3.4 x", "c", NULL,
				 "", 0) == FG_OK);
	ck_assert_str_eq(r.rcode, "452");
}
END_TEST

START_TEST(build_bounds_value)
{
	struct fg_reply r;
	char *v = big(10000, 'v');

	ck_assert(fg_reply_build(&r, FG_ACT_REJECT, "550 5.7.1 {value}", "c",
				 NULL, v, 10000) == FG_OK);
	ck_assert_uint_le(strlen(r.text), FG_REPLY_VALUE_MAX + 3);
	ck_assert(strstr(r.text, "...") != NULL);
	free(v);
	ck_assert(fg_reply_build(&r, FG_ACT_REJECT, "garbage", "c", NULL, "",
				 0) == FG_EINVAL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("reply");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, check_spec, 0, NCASES(specs));
	tcase_add_test(tc, catalog_defaults_valid);
	tcase_add_test(tc, build_substitutes_and_escapes);
	tcase_add_test(tc, build_moves_class);
	tcase_add_test(tc, build_bounds_value);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
