/* test_authres - the Authentication-Results writer: folding, quoting,
 * fitting */
#include "forgeguard/authres.h"
#include "tcase.h"

static char out[FG_AUTHRES_FIELD_MAX];

/* render - a's field body, and the entries left out */
static size_t
render(const struct fg_authres *a)
{
	struct fg_buf b;

	fg_buf_init(&b, out, sizeof(out));
	return fg_authres_write(a, &b);
}

/* widest - the widest line of the field, "Authentication-Results: "
 * included, a tab counted as 8 */
static size_t
widest(const char *body)
{
	size_t w = strlen("Authentication-Results: "), max = 0;

	for (; *body; body++) {
		if (*body == '\n') {
			if (w > max)
				max = w;
			w = 0;
		} else {
			w += *body == '\t' ? 8 : 1;
		}
	}
	return w > max ? w : max;
}

START_TEST(none)
{
	static struct fg_authres a;

	fg_authres_init(&a, "mx.example", "Authentication-Results");
	ck_assert_uint_eq(render(&a), 0);
	ck_assert_str_eq(out, "mx.example; none");
}
END_TEST

START_TEST(entries_one_per_line)
{
	static struct fg_authres a;

	fg_authres_init(&a, "mx.example", "Authentication-Results");
	fg_authres_method(&a, FG_AR_PRIO_SPF, "spf", "pass");
	fg_authres_prop(&a, "smtp.mailfrom", "a@b.example");
	fg_authres_method(&a, FG_AR_PRIO_IPREV, "iprev", "pass");
	fg_authres_prop(&a, "policy.iprev", "2001:db8::1");
	ck_assert_uint_eq(render(&a), 0);
	ck_assert_str_eq(out,
			 "mx.example;\n\tspf=pass smtp.mailfrom=a@b.example"
			 ";\n\tiprev=pass policy.iprev=2001:db8::1");
}
END_TEST

START_TEST(folds_under_78_never_inside_quotes)
{
	static struct fg_authres a;

	fg_authres_init(&a, "mx.example", "Authentication-Results");
	fg_authres_method(&a, FG_AR_PRIO_SPF, "spf", "pass");
	fg_authres_prop(&a, "smtp.mailfrom",
			"a-rather-long-local-part@a-long-domain.example.com");
	fg_authres_prop(&a, "smtp.helo", "mail.a-long-domain.example.com");
	fg_authres_method(&a, FG_AR_PRIO_LOW, "x-received-chain", "fail");
	fg_authres_reason(&a, "hop 1 by filter.ours.example, not gw.ours");
	ck_assert_uint_eq(render(&a), 0);
	ck_assert_msg(widest(out) <= FG_AUTHRES_COLUMNS, "%zu: %s", widest(out),
		      out);
	ck_assert(strstr(out, "\n\tsmtp.helo=mail.a-long") != NULL);
	ck_assert(strstr(out, "\n\treason=\"hop 1 by filter.ours.example, "
			      "not gw.ours\"") != NULL);
}
END_TEST

static const struct {
	const char *name, *value, *want;
} values[] = {
	{ "token", "pass", "x.y=pass" },
	{ "address", "a+b=c@example.com", "x.y=a+b=c@example.com" },
	{ "quoted local part kept", "\"a b\"@example.com",
	  "x.y=\"a b\"@example.com" },
	{ "ipv6", "2001:db8::1", "x.y=2001:db8::1" },
	{ "blank is quoted", "a b", "x.y=\"a b\"" },
	{ "semicolon is quoted", "a;b", "x.y=\"a;b\"" },
	{ "quote escaped", "a\"b", "x.y=\"a\\\"b\"" },
	{ "control bytes replaced", "a\r\nb", "x.y=\"a??b\"" },
	{ "8-bit replaced", "\xc3\xa9", "x.y=\"??\"" },
	{ "empty quoted", "", "x.y=\"\"" },
};

START_TEST(property_values)
{
	static struct fg_authres a;

	fg_authres_init(&a, "mx", "Authentication-Results");
	fg_authres_method(&a, FG_AR_PRIO_SPF, "m", "r");
	fg_authres_prop(&a, "x.y", values[_i].value);
	render(&a);
	ck_assert_msg(strstr(out, values[_i].want) != NULL, "%s: got [%s]",
		      values[_i].name, out);
}
END_TEST

START_TEST(too_long_drops_lowest_priority)
{
	static struct fg_authres a;
	char v[200];
	size_t k, left;

	fg_authres_init(&a, "mx.example", "Authentication-Results");
	fg_authres_method(&a, FG_AR_PRIO_POLICY, "dmarc", "pass");
	memset(v, 'd', sizeof(v) - 1);
	v[sizeof(v) - 1] = '\0';
	for (k = 0; k < 40; k++) {
		fg_authres_method(&a, FG_AR_PRIO_SIGNATURE, "dkim", "pass");
		fg_authres_prop(&a, "header.d", v);
	}
	fg_authres_method(&a, FG_AR_PRIO_LOW, "x-received-chain", "pass");
	left = render(&a);
	ck_assert_uint_gt(left, 0);
	ck_assert_uint_lt(strlen(out), FG_AUTHRES_FIELD_MAX);
	/* the lowest went first, the policy stays */
	ck_assert(strstr(out, "x-received-chain") == NULL);
	ck_assert(strstr(out, "dmarc=pass") != NULL);
	ck_assert(strstr(out, "dkim=pass") != NULL);
	/* and a comment says how many */
	ck_assert_msg(
		strstr(out, "results left out: the field was too long)") !=
			NULL,
		"%s", out + strlen(out) - 80);
}
END_TEST

START_TEST(entries_beyond_the_table_are_counted)
{
	static struct fg_authres a;
	size_t k;

	fg_authres_init(&a, "mx", "Authentication-Results");
	for (k = 0; k < FG_AUTHRES_ENTRIES_MAX + 3; k++)
		fg_authres_method(&a, FG_AR_PRIO_SIGNATURE, "dkim", "none");
	ck_assert_uint_eq(render(&a), 3);
	ck_assert(strstr(out, "(3 results left out") != NULL);
}
END_TEST

START_TEST(arc_field_name_moves_the_first_column)
{
	static struct fg_authres a;
	char id[80];

	/* an authserv-id that fits after the short name only */
	memset(id, 'a', 50);
	id[50] = '\0';
	fg_authres_init(&a, id, "ARC-Authentication-Results");
	ck_assert_uint_eq(a.first_col, strlen("ARC-Authentication-Results: "));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("authres");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, none);
	tcase_add_test(tc, entries_one_per_line);
	tcase_add_test(tc, folds_under_78_never_inside_quotes);
	tcase_add_loop_test(tc, property_values, 0, NCASES(values));
	tcase_add_test(tc, too_long_drops_lowest_priority);
	tcase_add_test(tc, entries_beyond_the_table_are_counted);
	tcase_add_test(tc, arc_field_name_moves_the_first_column);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
