/* test_conffile - the key = value tokenizer */
#include "forgeguard/conffile.h"
#include "tcase.h"

/* lines - tokenize text into "key=value@line" items joined by "|" */
static void
lines(const char *text, size_t n, char *out, size_t cap)
{
	struct fg_conffile cf;
	struct fg_confline cl;
	char scratch[256];
	const char *why;
	enum fg_err e;
	size_t used = 0;

	out[0] = '\0';
	fg_conffile_init(&cf, text, n, scratch, sizeof(scratch));
	while ((e = fg_conffile_next(&cf, &cl, &why)) != FG_ENOTFOUND) {
		if (e)
			used += (size_t)snprintf(out + used, cap - used,
						 "ERR(%s)@%u|", why, cl.line);
		else
			used += (size_t)snprintf(out + used, cap - used,
						 "%.*s=%.*s@%u|", (int)cl.key.n,
						 cl.key.p, (int)cl.value.n,
						 cl.value.p, cl.line);
	}
}

static const struct {
	const char *name, *text, *want;
} cases[] = {
	{ "simple", "a = b\n", "a=b@1|" },
	{ "no spaces", "a=b", "a=b@1|" },
	{ "comments and blanks", "# c\n\n  \na = 1\n#x = 2\n", "a=1@4|" },
	{ "continuation", "list = a,\n  b\n\tc\nnext = 2\n",
	  "list=a,   b \tc@1|next=2@4|" },
	{ "empty value", "a =\n", "a=@1|" },
	{ "crlf", "a = b\r\nc = d\r\n", "a=b@1|c=d@2|" },
	{ "missing equals", "just words\n",
	  "ERR(missing \"=\" (expected: key = value))@1|" },
	{ "bad key", "a b = c\n",
	  "ERR(bad key (letters, digits, \"_\", \".\", \"-\"))@1|" },
	{ "orphan continuation", "  x = 1\n",
	  "ERR(continuation line without a line to continue)@1|" },
	{ "error then more", "bad\nok = 1\n",
	  "ERR(missing \"=\" (expected: key = value))@1|ok=1@2|" },
	{ "value with equals", "reply.x = 550 5.7.1 a=b\n",
	  "reply.x=550 5.7.1 a=b@1|" },
	{ "hash inside value", "a = b # c\n", "a=b # c@1|" },
};

START_TEST(tokenize)
{
	char got[512];

	lines(cases[_i].text, strlen(cases[_i].text), got, sizeof(got));
	ck_assert_msg(strcmp(got, cases[_i].want) == 0,
		      "%s: got [%s] want [%s]", cases[_i].name, got,
		      cases[_i].want);
}
END_TEST

START_TEST(nul_and_long)
{
	char got[512], *s;

	lines("a = b\0c\n", 8, got, sizeof(got));
	ck_assert_str_eq(got, "ERR(NUL byte in configuration line)@1|");
	s = big(1000, 'a');
	s[1] = '=';
	lines(s, 1000, got, sizeof(got));
	ck_assert_str_eq(got, "ERR(configuration line too long)@1|");
	free(s);
}
END_TEST

START_TEST(items)
{
	struct fg_view list = { " a, b,,c\td ", 11 }, it;
	char got[64];
	size_t used = 0;

	while (fg_conffile_item(&list, &it))
		used += (size_t)snprintf(got + used, sizeof(got) - used,
					 "[%.*s]", (int)it.n, it.p);
	ck_assert_str_eq(got, "[a][b][c][d]");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("conffile");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, tokenize, 0, NCASES(cases));
	tcase_add_test(tc, nul_and_long);
	tcase_add_test(tc, items);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
