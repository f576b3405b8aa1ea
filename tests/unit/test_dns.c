/* test_dns - answer decoding and the fake resolver */
#include <time.h>

#include "forgeguard/deadline.h"
#include "forgeguard/dns.h"
#include "tcase.h"

START_TEST(decode_names_and_txt)
{
	static struct fg_dns_answer a;
	static const unsigned char ptr[] = "\4mail\7example\3org";
	static const unsigned char mx[] = "\0\12\2mx\7example\0";
	static const unsigned char txt[] = "\7v=spf1 \4-all";
	static const unsigned char evil[] = "\5a.b\r\n\3org";

	fg_dns_answer_reset(&a, FG_DNS_OK);
	ck_assert(fg_dns_decode(&a, FG_DNS_PTR, ptr, sizeof(ptr)));
	ck_assert_str_eq(fg_dns_text(&a, 0), "mail.example.org");
	ck_assert(fg_dns_decode(&a, FG_DNS_MX, mx, sizeof(mx) - 1));
	ck_assert_uint_eq(a.rr[1].pref, 10);
	ck_assert_str_eq(fg_dns_text(&a, 1), "mx.example");
	ck_assert(fg_dns_decode(&a, FG_DNS_TXT, txt, sizeof(txt) - 1));
	ck_assert_str_eq(fg_dns_text(&a, 2), "v=spf1 -all");
	/* a hostile label cannot inject text */
	ck_assert(fg_dns_decode(&a, FG_DNS_PTR, evil, sizeof(evil)));
	ck_assert_str_eq(fg_dns_text(&a, 3), "a\\.b\\013\\010.org");
}
END_TEST

static const struct {
	const char *name;
	int type;
	const unsigned char *rdata;
	size_t len;
} bad[] = {
	{ "A of 3 bytes", FG_DNS_A, (const unsigned char *)"\1\2\3", 3 },
	{ "AAAA of 4", FG_DNS_AAAA, (const unsigned char *)"\1\2\3\4", 4 },
	{ "name runs out", FG_DNS_PTR, (const unsigned char *)"\5ab", 3 },
	{ "compression", FG_DNS_PTR, (const unsigned char *)"\300\14", 2 },
	{ "no root label", FG_DNS_PTR, (const unsigned char *)"\2ab", 3 },
	{ "trailing bytes", FG_DNS_PTR, (const unsigned char *)"\0x", 2 },
	{ "MX too short", FG_DNS_MX, (const unsigned char *)"\0\1", 2 },
	{ "TXT string runs out", FG_DNS_TXT, (const unsigned char *)"\11ab",
	  3 },
	{ "unknown type", 255, (const unsigned char *)"", 0 },
};

START_TEST(decode_malformed)
{
	static struct fg_dns_answer a;

	fg_dns_answer_reset(&a, FG_DNS_OK);
	ck_assert_msg(
		!fg_dns_decode(&a, bad[_i].type, bad[_i].rdata, bad[_i].len),
		"%s: decoded", bad[_i].name);
	ck_assert_uint_eq(a.n, 0);
}
END_TEST

START_TEST(decode_bounds)
{
	static struct fg_dns_answer a;
	static unsigned char big_txt[20 * 256];
	size_t k, len = 0;
	int i;

	/* 20 strings of 255: joined and cut at FG_DNS_TXT_MAX */
	for (i = 0; i < 20; i++) {
		big_txt[len++] = 255;
		memset(big_txt + len, 'x', 255);
		len += 255;
	}
	fg_dns_answer_reset(&a, FG_DNS_OK);
	ck_assert(fg_dns_decode(&a, FG_DNS_TXT, big_txt, len));
	ck_assert(a.rr[0].cut);
	ck_assert_uint_eq(strlen(fg_dns_text(&a, 0)), FG_DNS_TXT_MAX);
	/* more records than kept: counted, not stored */
	fg_dns_answer_reset(&a, FG_DNS_OK);
	for (k = 0; k < FG_DNS_RR_MAX + 5; k++)
		ck_assert(fg_dns_decode(&a, FG_DNS_A,
					(const unsigned char *)"\1\2\3\4", 4));
	ck_assert_uint_eq(a.n, FG_DNS_RR_MAX);
	ck_assert_uint_eq(a.dropped, 5);
}
END_TEST

START_TEST(fake_answers)
{
	struct fg_dns *d;
	static struct fg_dns_answer a;
	char ipbuf[64];
	struct fg_buf b;

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	ck_assert(fg_dns_fake_add(d, "Example.ORG.", FG_DNS_TXT,
				  "v=spf1 ip4:192.0.2.0/24 -all") == FG_OK);
	ck_assert(fg_dns_fake_add(d, "example.org", FG_DNS_A, "192.0.2.1") ==
		  FG_OK);
	ck_assert(fg_dns_fake_add(d, "example.org", FG_DNS_MX,
				  "10 mx.example.org") == FG_OK);
	ck_assert(fg_dns_fake_add(d, "slow.example", 0, "TIMEOUT") == FG_OK);
	ck_assert(fg_dns_fake_add(d, "slow.example", FG_DNS_TXT, "ok") ==
		  FG_OK);
	ck_assert(fg_dns_fake_add(d, "bad.example", FG_DNS_A, "2001:db8::1") ==
		  FG_ESYNTAX);

	fg_dns_lookup(d, "EXAMPLE.org", FG_DNS_TXT, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_OK);
	ck_assert_str_eq(fg_dns_text(&a, 0), "v=spf1 ip4:192.0.2.0/24 -all");
	fg_dns_lookup(d, "example.org", FG_DNS_A, 1000, &a);
	fg_buf_init(&b, ipbuf, sizeof(ipbuf));
	fg_ipaddr_format(&a.rr[0].ip, &b);
	ck_assert_str_eq(ipbuf, "192.0.2.1");
	fg_dns_lookup(d, "example.org", FG_DNS_MX, 1000, &a);
	ck_assert_uint_eq(a.rr[0].pref, 10);
	ck_assert_str_eq(fg_dns_text(&a, 0), "mx.example.org");
	fg_dns_lookup(d, "example.org", FG_DNS_AAAA, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_NODATA);
	fg_dns_lookup(d, "nothing.example", FG_DNS_A, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_NXDOMAIN);
	fg_dns_lookup(d, "slow.example", FG_DNS_TXT, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_OK);
	fg_dns_lookup(d, "slow.example", FG_DNS_A, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_TEMPERROR);
	ck_assert_str_eq(a.why, "timeout");
	ck_assert_uint_eq(fg_dns_queries(d), 7);
	fg_dns_free(d);
	fg_dns_free(NULL);
}
END_TEST

START_TEST(fake_empty_txt)
{
	struct fg_dns *d;
	static struct fg_dns_answer a;

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	ck_assert(fg_dns_fake_add(d, "e.example", FG_DNS_TXT, "") == FG_OK);
	fg_dns_lookup(d, "e.example", FG_DNS_TXT, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_OK);
	ck_assert_str_eq(fg_dns_text(&a, 0), "");
	fg_dns_free(d);
}
END_TEST

START_TEST(fake_overlapping)
{
	struct fg_dns *d;
	struct fg_dns_query *q[4];
	static struct fg_dns_answer a;
	struct timespec soon = fg_deadline_after(1000);

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	ck_assert(fg_dns_fake_add(d, "one.example", FG_DNS_TXT, "1") == FG_OK);
	ck_assert(fg_dns_fake_add(d, "two.example", FG_DNS_TXT, "2") == FG_OK);
	ck_assert(fg_dns_fake_add(d, "slow.example", 0, "TIMEOUT") == FG_OK);
	/* several questions in flight, answered in any order */
	q[0] = fg_dns_start(d, "one.example", FG_DNS_TXT);
	q[1] = fg_dns_start(d, "two.example", FG_DNS_TXT);
	q[2] = fg_dns_start(d, "slow.example", FG_DNS_TXT);
	q[3] = fg_dns_start(d, "never.example", FG_DNS_TXT);
	fg_dns_wait(d, q[1], soon, &a);
	ck_assert_int_eq(a.status, FG_DNS_OK);
	ck_assert_str_eq(fg_dns_text(&a, 0), "2");
	fg_dns_wait(d, q[0], soon, &a);
	ck_assert_str_eq(fg_dns_text(&a, 0), "1");
	fg_dns_wait(d, q[2], soon, &a);
	ck_assert_int_eq(a.status, FG_DNS_TEMPERROR);
	/* one never waited for is given back */
	fg_dns_cancel(d, q[3]);
	fg_dns_cancel(d, NULL);
	/* a query that could not even be started waits as a temperror */
	fg_dns_wait(d, NULL, soon, &a);
	ck_assert_int_eq(a.status, FG_DNS_TEMPERROR);
	ck_assert_uint_eq(fg_dns_queries(d), 4);
	fg_dns_free(d);
}
END_TEST

START_TEST(name_too_long)
{
	struct fg_dns *d;
	static struct fg_dns_answer a;
	char *name = big(5000, 'a');

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	fg_dns_lookup(d, name, FG_DNS_TXT, 1000, &a);
	ck_assert_int_eq(a.status, FG_DNS_TEMPERROR);
	ck_assert_str_eq(a.why, "name too long");
	free(name);
	fg_dns_free(d);
}
END_TEST

START_TEST(unbound_bad_forwarder)
{
	struct fg_dns *d;
	struct fg_dns_opts o = { "not-an-address@@", NULL };
	char err[256];
	struct fg_buf b;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_dns_new(&o, &d, &b) != FG_OK);
	ck_assert(d == NULL);
	ck_assert_msg(strstr(err, "dns_resolver") != NULL, "%s", err);
}
END_TEST

START_TEST(unbound_deadline)
{
	/* a forwarder on a port nobody answers: temperror at the deadline,
	 * not libunbound's own long retry schedule */
	struct fg_dns *d;
	struct fg_dns_opts o = { "127.0.0.1@9", NULL };
	static struct fg_dns_answer a;
	char err[256];
	struct fg_buf b;
	struct timespec t0, t1;
	long ms;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_dns_new(&o, &d, &b) == FG_OK, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fg_dns_lookup(d, "deadline.example", FG_DNS_TXT, 300, &a);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_int_eq(a.status, FG_DNS_TEMPERROR);
	/* a bound, not a speed target: the call may not hang */
	ck_assert_msg(ms < 3000, "lookup took %ld ms", ms);
	fg_dns_free(d);
}
END_TEST

START_TEST(unbound_overlapping_share_a_budget)
{
	/* three lookups to a server that never answers, in flight together
	 * and waited for with the stage's one deadline: together they cost
	 * that budget once, not three times (a bound, not a speed target) */
	struct fg_dns *d;
	struct fg_dns_opts o = { "127.0.0.1@9", NULL };
	static struct fg_dns_answer a;
	struct fg_dns_query *q[3];
	char err[256];
	struct fg_buf b;
	struct timespec t0, t1, deadline;
	long ms;
	int k;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_dns_new(&o, &d, &b) == FG_OK, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	deadline = fg_deadline_after(400);
	q[0] = fg_dns_start(d, "a.overlap.example", FG_DNS_TXT);
	q[1] = fg_dns_start(d, "b.overlap.example", FG_DNS_TXT);
	q[2] = fg_dns_start(d, "c.overlap.example", FG_DNS_TXT);
	for (k = 0; k < 3; k++) {
		fg_dns_wait(d, q[k], deadline, &a);
		ck_assert_int_eq(a.status, FG_DNS_TEMPERROR);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_msg(ms < 1000, "three lookups took %ld ms", ms);
	/* started and given back without a wait */
	fg_dns_cancel(d, fg_dns_start(d, "d.overlap.example", FG_DNS_TXT));
	fg_dns_free(d);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dns");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, decode_names_and_txt);
	tcase_add_loop_test(tc, decode_malformed, 0, NCASES(bad));
	tcase_add_test(tc, decode_bounds);
	tcase_add_test(tc, fake_answers);
	tcase_add_test(tc, fake_empty_txt);
	tcase_add_test(tc, fake_overlapping);
	tcase_add_test(tc, name_too_long);
	tcase_add_test(tc, unbound_overlapping_share_a_budget);
	tcase_add_test(tc, unbound_bad_forwarder);
	tcase_add_test(tc, unbound_deadline);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
