/* test_spf - check_host() through libspf2 over the fake resolver */
#include "forgeguard/deadline.h"
#include "forgeguard/spf.h"
#include "tcase.h"

static struct fg_dns *dns;
static struct fg_spf *spf;

static void
setup(void)
{
	ck_assert(fg_spf_new(&spf) == FG_OK);
	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
#define ADD(n, t, v) ck_assert(fg_dns_fake_add(dns, n, t, v) == FG_OK)
	ADD("pass.example", FG_DNS_TXT, "v=spf1 ip4:192.0.2.0/24 -all");
	ADD("soft.example", FG_DNS_TXT, "v=spf1 ~all");
	ADD("neutral.example", FG_DNS_TXT, "v=spf1 ?all");
	ADD("mx.example", FG_DNS_TXT, "v=spf1 mx -all");
	ADD("mx.example", FG_DNS_MX, "10 mail.mx.example");
	ADD("mail.mx.example", FG_DNS_A, "198.51.100.7");
	ADD("two.example", FG_DNS_TXT, "v=spf1 -all");
	ADD("two.example", FG_DNS_TXT, "v=spf1 +all");
	ADD("bad.example", FG_DNS_TXT, "v=spf1 a:museum -all");
	ADD("incl.example", FG_DNS_TXT, "v=spf1 include:missing.example -all");
	ADD("voids.example", FG_DNS_TXT,
	    "v=spf1 a:v1.example a:v2.example a:v3.example +all");
	ADD("slow.example", 0, "TIMEOUT");
	ADD("helo.example", FG_DNS_TXT, "v=spf1 ip6:2001:db8::/32 -all");
	ADD("other.example", FG_DNS_TXT, "not spf");
#undef ADD
}

static void
teardown(void)
{
	fg_dns_free(dns);
	fg_spf_free(spf);
}

static const struct {
	const char *name, *ip, *helo, *sender;
	enum fg_spf_result want;
} cases[] = {
	{ "pass", "192.0.2.9", "h.example", "a@pass.example", FG_SPF_R_PASS },
	{ "fail", "203.0.113.9", "h.example", "a@pass.example", FG_SPF_R_FAIL },
	{ "softfail", "203.0.113.9", "h.example", "a@soft.example",
	  FG_SPF_R_SOFTFAIL },
	{ "neutral", "203.0.113.9", "h.example", "a@neutral.example",
	  FG_SPF_R_NEUTRAL },
	{ "none: no record", "192.0.2.9", "h.example", "a@other.example",
	  FG_SPF_R_NONE },
	{ "none: nxdomain", "192.0.2.9", "h.example", "a@nowhere.example",
	  FG_SPF_R_NONE },
	{ "mx pass", "198.51.100.7", "h.example", "a@mx.example",
	  FG_SPF_R_PASS },
	{ "two records", "192.0.2.9", "h.example", "a@two.example",
	  FG_SPF_R_PERMERROR },
	{ "invalid record", "192.0.2.9", "h.example", "a@bad.example",
	  FG_SPF_R_PERMERROR },
	{ "include of a missing domain", "192.0.2.9", "h.example",
	  "a@incl.example", FG_SPF_R_PERMERROR },
	{ "three void lookups", "192.0.2.9", "h.example", "a@voids.example",
	  FG_SPF_R_PERMERROR },
	{ "timeout", "192.0.2.9", "h.example", "a@slow.example",
	  FG_SPF_R_TEMPERROR },
	{ "null sender: HELO identity", "2001:db8::5", "helo.example", "",
	  FG_SPF_R_PASS },
	{ "HELO identity fails", "192.0.2.9", "helo.example", NULL,
	  FG_SPF_R_FAIL },
	{ "v4-mapped client", "::ffff:192.0.2.9", "h.example", "a@pass.example",
	  FG_SPF_R_PASS },
};

START_TEST(check)
{
	struct fg_spf_outcome o;
	struct fg_ip ip;

	ck_assert(fg_ipaddr_parse(cases[_i].ip, strlen(cases[_i].ip), &ip) ==
		  FG_OK);
	fg_spf_check(spf, dns, &ip, cases[_i].helo, cases[_i].sender,
		     fg_deadline_after(2000), &o);
	ck_assert_msg(o.result == cases[_i].want, "%s: got %s (%s) want %s",
		      cases[_i].name, fg_spf_result_name(o.result),
		      o.why ? o.why : "-", fg_spf_result_name(cases[_i].want));
}
END_TEST

START_TEST(check_native)
{
	struct fg_spf_outcome o;
	struct fg_ip ip;

	ck_assert(fg_ipaddr_parse(cases[_i].ip, strlen(cases[_i].ip), &ip) ==
		  FG_OK);
	fg_spf_check_native(dns, &ip, cases[_i].helo, cases[_i].sender,
			    fg_deadline_after(2000), &o);
	ck_assert_msg(o.result == cases[_i].want, "native %s: got %s (%s)",
		      cases[_i].name, fg_spf_result_name(o.result),
		      o.why ? o.why : "-");
}
END_TEST

START_TEST(native_macros_and_limits)
{
	struct fg_spf_outcome o;
	struct fg_ip ip;
	char rec[512];
	int k;

	/* exists: with macros: %{ir}.%{v}._spf.%{d2} */
	ck_assert(fg_dns_fake_add(dns, "m.example", FG_DNS_TXT,
				  "v=spf1 exists:%{ir}.%{v}._spf.%{d2} -all") ==
		  FG_OK);
	ck_assert(fg_dns_fake_add(dns, "9.2.0.192.in-addr._spf.m.example",
				  FG_DNS_A, "127.0.0.2") == FG_OK);
	ck_assert(fg_ipaddr_parse("192.0.2.9", 9, &ip) == FG_OK);
	fg_spf_check_native(dns, &ip, "h.example", "a@m.example",
			    fg_deadline_after(2000), &o);
	ck_assert_str_eq(fg_spf_result_name(o.result), "pass");
	/* eleven include lookups: permerror, also across includes */
	for (k = 0; k < 11; k++) {
		char name[32], next[64];

		snprintf(name, sizeof(name), "i%d.example", k);
		snprintf(next, sizeof(next), "v=spf1 include:i%d.example -all",
			 k + 1);
		ck_assert(fg_dns_fake_add(dns, name, FG_DNS_TXT, next) ==
			  FG_OK);
	}
	fg_spf_check_native(dns, &ip, "h.example", "a@i0.example",
			    fg_deadline_after(2000), &o);
	ck_assert_str_eq(fg_spf_result_name(o.result), "permerror");
	ck_assert_str_eq(o.why, "more than 10 DNS lookups");
	/* a record of many lookups is refused as it runs, not as parsed */
	snprintf(rec, sizeof(rec), "v=spf1 ip4:192.0.2.0/24 %s -all",
		 "a a a a a a a a a a a");
	ck_assert(fg_dns_fake_add(dns, "many.example", FG_DNS_TXT, rec) ==
		  FG_OK);
	fg_spf_check_native(dns, &ip, "h.example", "a@many.example",
			    fg_deadline_after(2000), &o);
	ck_assert_str_eq(fg_spf_result_name(o.result), "pass");
}
END_TEST

START_TEST(counts)
{
	struct fg_spf_outcome o;
	struct fg_ip ip;

	ck_assert(fg_ipaddr_parse("192.0.2.9", 9, &ip) == FG_OK);
	fg_spf_check(spf, dns, &ip, "h.example", "a@voids.example",
		     fg_deadline_after(2000), &o);
	ck_assert_uint_eq(o.void_lookups, 3);
	ck_assert_str_eq(o.why, "more than two void lookups");
	ck_assert_uint_ge(o.dns_queries, 4);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("spf");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, check, 0, NCASES(cases));
	tcase_add_loop_test(tc, check_native, 0, NCASES(cases));
	tcase_add_test(tc, native_macros_and_limits);
	tcase_add_test(tc, counts);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
