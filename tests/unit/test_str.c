/* test_str - comparison, number parsing and the escapers */
#include <stdint.h>

#include "forgeguard/str.h"
#include "tcase.h"

static const struct {
	const char *name, *in;
	uint64_t max;
	enum fg_err want;
	uint64_t value;
} nums[] = {
	{ "zero", "0", 100, FG_OK, 0 },
	{ "max", "100", 100, FG_OK, 100 },
	{ "max+1", "101", 100, FG_ETOOLONG, 0 },
	{ "empty", "", 100, FG_ESYNTAX, 0 },
	{ "sign", "-1", 100, FG_ESYNTAX, 0 },
	{ "space", " 1", 100, FG_ESYNTAX, 0 },
	{ "u64 max", "18446744073709551615", UINT64_MAX, FG_OK, UINT64_MAX },
	{ "u64 overflow", "18446744073709551616", UINT64_MAX, FG_ETOOLONG, 0 },
	{ "long overflow", "99999999999999999999999", UINT64_MAX, FG_ETOOLONG,
	  0 },
	{ "hex", "0x10", UINT64_MAX, FG_ESYNTAX, 0 },
	/* a maximum below one digit used to wrap: 9 passed a max of 7 */
	{ "digit above a max of 7", "9", 7, FG_ETOOLONG, 0 },
	{ "max of 7", "7", 7, FG_OK, 7 },
	{ "max of 0", "1", 0, FG_ETOOLONG, 0 },
	{ "huge over a max of 7", "999999999999999999", 7, FG_ETOOLONG, 0 },
};

START_TEST(parse_u64)
{
	uint64_t v = 12345;
	enum fg_err e = fg_str_parse_u64(nums[_i].in, strlen(nums[_i].in),
					 nums[_i].max, &v);

	ck_assert_msg(e == nums[_i].want, "%s: got err %d want %d",
		      nums[_i].name, e, nums[_i].want);
	if (e == FG_OK)
		ck_assert_msg(v == nums[_i].value, "%s: got %llu",
			      nums[_i].name, (unsigned long long)v);
}
END_TEST

static const struct {
	const char *name, *in;
	size_t n, max;
	const char *want;
} escapes[] = {
	{ "plain", "abc", 3, 64, "abc" },
	{ "crlf", "a\r\nb", 4, 64, "a\\x0d\\x0ab" },
	{ "nul", "a\0b", 3, 64, "a\\x00b" },
	{ "quote", "a\"b\\", 4, 64, "a\\\"b\\\\" },
	{ "8bit", "\xc3\xb1", 2, 64, "\\xc3\\xb1" },
	{ "cut", "abcdef", 6, 4, "abcd..." },
	{ "cut inside escape", "ab\n", 3, 4, "ab..." },
	{ "empty", "", 0, 4, "" },
};

START_TEST(escape)
{
	char s[128];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	fg_str_escape(&b, escapes[_i].in, escapes[_i].n, escapes[_i].max);
	ck_assert_msg(strcmp(b.data, escapes[_i].want) == 0,
		      "%s: got [%s] want [%s]", escapes[_i].name, b.data,
		      escapes[_i].want);
}
END_TEST

START_TEST(escape_json)
{
	char s[128];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	fg_str_escape_json(&b, "a\n\"\x01", 4, 64);
	ck_assert_str_eq(b.data, "a\\u000a\\\"\\u0001");
}
END_TEST

START_TEST(sanitize)
{
	char s[128];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	fg_str_sanitize(&b, "a\r\n%\xff", 5, 64);
	ck_assert_str_eq(b.data, "a??%?");
	fg_buf_reset(&b);
	fg_str_sanitize(&b, "abcdef", 6, 3);
	ck_assert_str_eq(b.data, "abc...");
}
END_TEST

START_TEST(caseeq)
{
	ck_assert(fg_str_caseeq("AbC", 3, "aBc", 3));
	ck_assert(!fg_str_caseeq("abc", 3, "abd", 3));
	ck_assert(!fg_str_caseeq("abc", 3, "ab", 2));
	/* no locale folding of 8-bit bytes */
	ck_assert(!fg_str_caseeq("\xc9", 1, "\xe9", 1));
	ck_assert(
		fg_str_has_suffix_ci("mx.Example.COM", 14, "example.com", 11));
	ck_assert(!fg_str_has_suffix_ci("com", 3, "example.com", 11));
}
END_TEST

START_TEST(copy)
{
	char d[4];

	ck_assert_int_eq(fg_str_copy(d, sizeof(d), "abc", 3), FG_OK);
	ck_assert_str_eq(d, "abc");
	ck_assert_int_eq(fg_str_copy(d, sizeof(d), "abcd", 4), FG_ETOOLONG);
	ck_assert_str_eq(d, "abc");
}
END_TEST

/* lines of a text: the last may lack its LF, an empty line is a line,
 * an empty text has none */
START_TEST(next_line)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "", "" },
		{ "a", "[a]" },
		{ "a\n", "[a]" },
		{ "a\nbc", "[a][bc]" },
		{ "a\n\nb\n", "[a][][b]" },
		{ "\n", "[]" },
	};
	size_t k;

	for (k = 0; k < NCASES(t); k++) {
		char got[64];
		const char *cur = t[k].in;
		struct fg_view l;
		size_t n = 0;

		got[0] = '\0';
		while (fg_str_next_line(&cur, &l))
			n += (size_t)snprintf(got + n, sizeof(got) - n,
					      "[%.*s]", (int)l.n, l.p);
		ck_assert_msg(strcmp(got, t[k].want) == 0, "%zu: %s", k, got);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("str");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse_u64, 0, NCASES(nums));
	tcase_add_loop_test(tc, escape, 0, NCASES(escapes));
	tcase_add_test(tc, escape_json);
	tcase_add_test(tc, sanitize);
	tcase_add_test(tc, caseeq);
	tcase_add_test(tc, copy);
	tcase_add_test(tc, next_line);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
