/* test_buf - the capped buffer never overflows and reports truncation */
#include "forgeguard/buf.h"
#include "tcase.h"

START_TEST(append_within_cap)
{
	char s[8];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	ck_assert_int_eq(fg_buf_puts(&b, "abc"), FG_OK);
	ck_assert_int_eq(fg_buf_putc(&b, 'd'), FG_OK);
	ck_assert_str_eq(b.data, "abcd");
	ck_assert_uint_eq(b.len, 4);
	ck_assert_int_eq(b.truncated, 0);
}
END_TEST

START_TEST(append_exactly_max)
{
	char s[8];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	ck_assert_int_eq(fg_buf_puts(&b, "1234567"), FG_OK);
	ck_assert_int_eq(fg_buf_putc(&b, 'x'), FG_ETOOLONG);
	ck_assert_str_eq(b.data, "1234567");
	ck_assert_int_eq(b.truncated, 1);
}
END_TEST

START_TEST(append_beyond_cap_keeps_prefix)
{
	char s[5];
	struct fg_buf b;

	s[4] = 'Z';
	fg_buf_init(&b, s, 4);
	ck_assert_int_eq(fg_buf_puts(&b, "abcdef"), FG_ETOOLONG);
	ck_assert_str_eq(b.data, "abc");
	ck_assert_int_eq(s[4], 'Z'); /* nothing written past cap */
}
END_TEST

START_TEST(printf_truncates)
{
	char s[6];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	ck_assert_int_eq(fg_buf_printf(&b, "%d-%s", 42, "abcdef"), FG_ETOOLONG);
	ck_assert_str_eq(b.data, "42-ab");
	ck_assert_uint_eq(b.len, 5);
	/* later appends keep failing and keep the flag */
	ck_assert_int_eq(fg_buf_puts(&b, ""), FG_ETOOLONG);
}
END_TEST

START_TEST(printf_appends)
{
	char s[32];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	ck_assert_int_eq(fg_buf_printf(&b, "a=%u", 1u), FG_OK);
	ck_assert_int_eq(fg_buf_printf(&b, " b=%s", "x"), FG_OK);
	ck_assert_str_eq(b.data, "a=1 b=x");
	fg_buf_truncate(&b, 3);
	ck_assert_str_eq(b.data, "a=1");
	fg_buf_truncate(&b, 10);
	ck_assert_str_eq(b.data, "a=1");
}
END_TEST

START_TEST(cap_one_is_empty)
{
	char s[1];
	struct fg_buf b;

	fg_buf_init(&b, s, sizeof(s));
	ck_assert_int_eq(fg_buf_putc(&b, 'a'), FG_ETOOLONG);
	ck_assert_str_eq(b.data, "");
	fg_buf_reset(&b);
	ck_assert_int_eq(b.truncated, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, append_within_cap);
	tcase_add_test(tc, append_exactly_max);
	tcase_add_test(tc, append_beyond_cap_keeps_prefix);
	tcase_add_test(tc, printf_truncates);
	tcase_add_test(tc, printf_appends);
	tcase_add_test(tc, cap_one_is_empty);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
