/* test_spfrec - SPF record grammar (RFC 7208 section 12) */
#include "forgeguard/spfrec.h"
#include "tcase.h"

static const struct {
	const char *name, *rec;
	int ok;
	size_t nterms;
} cases[] = {
	{ "minimal", "v=spf1", 1, 0 },
	{ "all", "v=spf1 -all", 1, 1 },
	{ "case", "V=SPF1 IP4:192.0.2.0/24 MX -ALL", 1, 3 },
	{ "trailing blanks", "v=spf1 -all  ", 1, 1 },
	{ "many blanks", "v=spf1   a    -all", 1, 2 },
	{ "tab", "v=spf1\t-all", 0, 0 },
	{ "not spf", "v=spf10 -all", 0, 0 },
	{ "spf2", "spf2.0/pra -all", 0, 0 },
	{ "qualifiers", "v=spf1 +a -mx ~ptr ?all", 1, 4 },
	{ "double qualifier", "v=spf1 --all", 0, 0 },
	{ "all with arg", "v=spf1 all:foo.example", 0, 0 },
	{ "unknown mechanism", "v=spf1 foo -all", 0, 0 },
	{ "include", "v=spf1 include:_spf.example.com -all", 1, 2 },
	{ "include empty", "v=spf1 include: -all", 0, 0 },
	{ "include missing", "v=spf1 include -all", 0, 0 },
	{ "a dual cidr", "v=spf1 a/24//64 -all", 1, 2 },
	{ "a cidr6 only", "v=spf1 a//0 -all", 1, 2 },
	{ "a single slash 64", "v=spf1 a/24/64 -all", 0, 0 },
	{ "a cidr 33", "v=spf1 a/33 -all", 0, 0 },
	{ "a cidr6 129", "v=spf1 a//129 -all", 0, 0 },
	{ "a cidr leading zero", "v=spf1 a/024 -all", 0, 0 },
	{ "a domain cidr", "v=spf1 a:foo.example.com/24", 1, 1 },
	{ "a colon slash domain", "v=spf1 a:foo:bar/baz.example.com", 1, 1 },
	{ "a numeric toplabel", "v=spf1 a:111.222.33.44", 0, 0 },
	{ "a abc.123", "v=spf1 a:abc.123", 0, 0 },
	{ "a only toplabel", "v=spf1 a:museum", 0, 0 },
	{ "a only toplabel dot", "v=spf1 a:museum.", 0, 0 },
	{ "a dash toplabel", "v=spf1 a:foo.example.xn--zckzah -all", 1, 2 },
	{ "a bad toplabel", "v=spf1 a:example.-com", 0, 0 },
	{ "a empty", "v=spf1 a:", 0, 0 },
	{ "a port", "v=spf1 a:example.com:8080", 0, 0 },
	{ "a trailing dot", "v=spf1 a:example.com. -all", 1, 2 },
	{ "ip4", "v=spf1 ip4:192.0.2.1 ip4:192.0.2.0/24", 1, 2 },
	{ "ip4 /0", "v=spf1 ip4:0.0.0.0/0", 1, 1 },
	{ "ip4 /33", "v=spf1 ip4:192.0.2.0/33", 0, 0 },
	{ "ip4 leading zero", "v=spf1 ip4:192.0.2.01", 0, 0 },
	{ "ip4 missing", "v=spf1 ip4", 0, 0 },
	{ "ip4 short", "v=spf1 ip4:1.2.3", 0, 0 },
	{ "ip4 cidr6", "v=spf1 ip4:1.2.3.4//32", 0, 0 },
	{ "ip6", "v=spf1 ip6:2001:db8::/32 ip6:::1", 1, 2 },
	{ "ip6 /129", "v=spf1 ip6:2001:db8::/129", 0, 0 },
	{ "ip6 bad", "v=spf1 ip6:2001:db8:::1", 0, 0 },
	{ "exists macro", "v=spf1 exists:%{i}.%{l1r+-}._spf.%{d}", 1, 1 },
	{ "macro crt outside exp", "v=spf1 exists:%{c}.example.com", 0, 0 },
	{ "macro zero digits", "v=spf1 exists:%{d0}.example.com", 0, 0 },
	{ "macro four digits", "v=spf1 exists:%{d1000}.example.com", 0, 0 },
	{ "macro bad letter", "v=spf1 exists:%{x}.example.com", 0, 0 },
	{ "macro unclosed", "v=spf1 exists:%{d.example.com", 0, 0 },
	{ "macro lone percent", "v=spf1 a:foo%.example.com", 0, 0 },
	{ "macro escapes", "v=spf1 a:%%%_%-.example.com", 1, 1 },
	{ "redirect", "v=spf1 redirect=_spf.example.com", 1, 1 },
	{ "redirect twice",
	  "v=spf1 redirect=a.example.com redirect=b.example.com", 0, 0 },
	{ "exp twice", "v=spf1 exp=a.example.com exp=b.example.com", 0, 0 },
	{ "exp empty", "v=spf1 exp= -all", 0, 0 },
	/* c, r, t belong in the explanation text, not exp='s domain */
	{ "exp macro crt", "v=spf1 exp=%{c}.%{r}.%{t}.example.com -all", 0, 0 },
	{ "exp macro", "v=spf1 exp=explain.%{d} -all", 1, 2 },
	{ "unknown modifier", "v=spf1 moo.cow-far_out=man:dog/cat -all", 1, 2 },
	{ "unknown modifier bad macro", "v=spf1 foo=%{x} -all", 0, 0 },
	{ "modifier bad name", "v=spf1 -foo=bar", 0, 0 },
	{ "nul", "v=spf1 a:foo.example.com\0", 0, 0 },
	{ "8bit", "v=spf1 a:f\xc3\xb6.example.com", 0, 0 },
};

START_TEST(parse)
{
	struct fg_spf_record r;
	size_t n = strlen(cases[_i].rec);
	enum fg_err e;

	if (strcmp(cases[_i].name, "nul") == 0)
		n++;
	e = fg_spfrec_parse(cases[_i].rec, n, &r);
	ck_assert_msg((e == FG_OK) == cases[_i].ok, "%s: got %s (%s at %zu)",
		      cases[_i].name, e == FG_OK ? "ok" : "error",
		      r.why ? r.why : "", r.errpos);
	if (e == FG_OK)
		ck_assert_msg(r.n == cases[_i].nterms, "%s: %zu terms",
			      cases[_i].name, r.n);
	else
		ck_assert_msg(r.why != NULL && r.errpos <= n, "%s",
			      cases[_i].name);
}
END_TEST

START_TEST(facts)
{
	struct fg_spf_record r;
	const char *rec = "v=spf1 ~a:mail.example.com/24//64 ip6:2001:db8::/48 "
			  "include:a.example redirect=b.example exp=e.example";

	ck_assert(fg_spfrec_parse(rec, strlen(rec), &r) == FG_OK);
	ck_assert_uint_eq(r.n, 5);
	ck_assert_int_eq(r.t[0].kind, FG_SPF_A);
	ck_assert_int_eq(r.t[0].qualifier, '~');
	ck_assert_int_eq(r.t[0].cidr4, 24);
	ck_assert_int_eq(r.t[0].cidr6, 64);
	ck_assert(
		fg_str_caseeqz(r.t[0].arg.p, r.t[0].arg.n, "mail.example.com"));
	ck_assert_int_eq(r.t[1].kind, FG_SPF_IP6);
	ck_assert_uint_eq(r.t[1].net.prefix, 48);
	ck_assert_int_eq(r.redirect, 3);
	ck_assert_int_eq(r.exp, 4);
	ck_assert_uint_eq(r.lookups, 3); /* a, include, redirect */
}
END_TEST

START_TEST(explanation_text)
{
	int m;
	size_t pos;
	const char *t = "%{i} is not one of %{d}'s servers at %{t} (%{c})";

	ck_assert(fg_spfrec_macro_string(t, strlen(t), 1, &m, &pos));
	ck_assert(m);
	ck_assert(!fg_spfrec_macro_string(t, strlen(t), 0, &m, &pos));
	ck_assert(!fg_spfrec_macro_string("50%", 3, 1, &m, &pos));
	ck_assert_uint_eq(pos, 2);
}
END_TEST

START_TEST(bounds)
{
	struct fg_spf_record r;
	char rec[FG_SPF_RECORD_MAX + 16];
	size_t n = 6, k;

	memcpy(rec, "v=spf1", 6);
	for (k = 0; k < FG_SPF_TERMS_MAX + 1; k++)
		n += (size_t)snprintf(rec + n, sizeof(rec) - n, " a");
	ck_assert(fg_spfrec_parse(rec, n, &r) == FG_ESYNTAX);
	ck_assert_str_eq(r.why, "too many terms");
	memset(rec + 6, ' ', sizeof(rec) - 6);
	ck_assert(fg_spfrec_parse(rec, sizeof(rec), &r) == FG_ESYNTAX);
	ck_assert_str_eq(r.why, "record too long");
	ck_assert(fg_spfrec_is_spf("v=spf1", 6));
	ck_assert(!fg_spfrec_is_spf("v=spf", 5));
	ck_assert(!fg_spfrec_is_spf("", 0));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("spfrec");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse, 0, NCASES(cases));
	tcase_add_test(tc, facts);
	tcase_add_test(tc, explanation_text);
	tcase_add_test(tc, bounds);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
