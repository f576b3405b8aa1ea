/* test_received - dates, Received: fields and From: fields, good and
 * hostile */
#include <time.h>

#include "forgeguard/date.h"
#include "forgeguard/header.h"
#include "forgeguard/received.h"
#include "tcase.h"

static const struct {
	const char *name, *in;
	int ok;
	long long utc;
	unsigned flags;
} dates[] = {
	{ "rfc5322", "Fri, 21 Nov 1997 09:55:06 -0600", 1, 880127706, 0 },
	{ "no day name", "21 Nov 1997 09:55:06 -0600", 1, 880127706, 0 },
	{ "no seconds", "Fri, 21 Nov 1997 09:55 -0600", 1, 880127700, 0 },
	{ "glued zone", "Thu, 6 May 2004 17:40:44-0500", 1, 1083883244, 0 },
	{ "comments", "Fri, (x) 21 Nov (y) 1997 09:55:06 -0600 (CST)", 1,
	  880127706, 0 },
	{ "two-digit year", "8 Mar 04 12:23:56 -0000", 1, 1078748636,
	  FG_DATE_OBS_YEAR },
	{ "year 99", "1 Jan 99 00:00:00 +0000", 1, 915148800,
	  FG_DATE_OBS_YEAR },
	{ "alpha zone", "Fri, 21 Nov 1997 09:55:06 CST", 1, 880127706,
	  FG_DATE_OBS_ZONE },
	{ "military zone", "Fri, 21 Nov 1997 15:55:06 Q", 1, 880127706,
	  FG_DATE_OBS_ZONE },
	{ "no zone", "Fri, 21 Nov 1997 15:55:06", 1, 880127706,
	  FG_DATE_NO_ZONE },
	{ "asctime", "Sun Nov 13 14:50:12 2005", 1, 1131893412,
	  FG_DATE_ASCTIME | FG_DATE_NO_ZONE },
	{ "leap day", "29 Feb 2024 00:00:00 +0000", 1, 1709164800, 0 },
	/* a 12-hour clock, and the zone after it still counts (issue 18) */
	{ "am and a zone", "Mon, 22 Jul 2002 9:41:41 AM +0200", 1, 1027323701,
	  0 },
	{ "pm and a zone", "Mon, 22 Jul 2002 9:41:41 PM +0200", 1, 1027366901,
	  0 },
	{ "12 am", "Mon, 22 Jul 2002 12:05:00 am +0000", 1, 1027296300, 0 },
	{ "not a leap day", "29 Feb 2023 00:00:00 +0000", 0, 0, 0 },
	{ "day 32", "32 Jan 2023 00:00:00 +0000", 0, 0, 0 },
	{ "hour 24", "1 Jan 2023 24:00:00 +0000", 0, 0, 0 },
	{ "bad month", "1 Foo 2023 00:00:00 +0000", 0, 0, 0 },
	{ "empty", "", 0, 0, 0 },
	{ "garbage", "((((((((((((((((((((", 0, 0, 0 },
};

START_TEST(date)
{
	struct fg_date d;
	int ok = fg_date_parse(dates[_i].in, strlen(dates[_i].in), &d) == FG_OK;

	ck_assert_msg(ok == dates[_i].ok, "%s: ok %d", dates[_i].name, ok);
	if (!ok)
		return;
	ck_assert_msg(d.utc == dates[_i].utc, "%s: utc %lld want %lld",
		      dates[_i].name, (long long)d.utc, dates[_i].utc);
	ck_assert_msg(d.flags == dates[_i].flags, "%s: flags %u want %u",
		      dates[_i].name, d.flags, dates[_i].flags);
}
END_TEST

START_TEST(date_days_match_libc)
{
	int64_t y;

	for (y = 1900; y < 2200; y += 7) {
		struct tm tm = { .tm_year = (int)(y - 1900),
				 .tm_mon = 2,
				 .tm_mday = 1 };

		ck_assert_int_eq(fg_date_days(y, 3, 1) * 86400,
				 (int64_t)timegm(&tm));
	}
}
END_TEST

/* parse - fg_received_parse on a C string */
static int
parse(const char *s, struct fg_rcvd *r)
{
	return fg_received_parse(s, strlen(s), r) == FG_OK;
}

START_TEST(postfix)
{
	struct fg_rcvd r;

	ck_assert(parse("from mail.example.net (mail.example.net "
			"[IPv6:2001:db8::25])\r\n\t(using TLSv1.3 with cipher "
			"TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n\tby "
			"mx.example.org (Postfix) with ESMTPS id 4SVq1X\r\n\t"
			"for <bob@example.org>; Tue, 14 Nov 2023 22:13:20 "
			"+0000 (UTC)",
			&r));
	ck_assert_str_eq(r.helo, "mail.example.net");
	ck_assert_str_eq(r.rdns, "mail.example.net");
	ck_assert_int_eq(r.ip.family, FG_IP_V6);
	ck_assert_str_eq(r.by, "mx.example.org");
	ck_assert_str_eq(r.with, "ESMTPS");
	ck_assert_uint_eq(r.proto, FG_RCVD_P_ESMTP | FG_RCVD_P_TLS);
	ck_assert_str_eq(r.id, "4SVq1X");
	ck_assert_str_eq(r.for_, "<bob@example.org>");
	ck_assert(r.has_date);
	ck_assert_int_eq(r.date.utc, 1700000000);
	ck_assert_int_eq(r.kind, FG_RCVD_RELAY);
	ck_assert_int_eq(r.auth, FG_RCVD_AUTH_NONE);
}
END_TEST

START_TEST(microsoft_ipv6_ending_in_colons)
{
	/* Microsoft 365 writes an IPv6 address ending in "::" inside
	 * parentheses; its trailing colons are part of it (issue 18) */
	struct fg_rcvd r;
	struct fg_ip want;

	ck_assert(parse("from NAM12-DM6-obe.outbound.protection.outlook.com "
			"(mail-dm6nam12on2091.outbound.protection.outlook.com"
			" (2a01:111:f403:f902::)) by mx.example.org with "
			"ESMTPS id 1; Tue, 14 Nov 2023 22:13:20 +0000",
			&r));
	ck_assert(r.has_ip);
	ck_assert(fg_ipaddr_parse("2a01:111:f403:f902::", 20, &want) == FG_OK);
	ck_assert(fg_ipaddr_equal(&r.ip, &want));
	ck_assert_str_eq(r.bad_ip, "");
	/* and a colon after an IPv4 address in prose is still dropped */
	ck_assert(parse("from a.example.net (a.example.net 192.0.2.7:) by "
			"mx.example.org; Tue, 14 Nov 2023 22:13:20 +0000",
			&r));
	ck_assert(r.has_ip);
}
END_TEST

START_TEST(placeholders_are_not_bogus_addresses)
{
	/* what MTAs write where an address goes is no address claim
	 * (issue 18) */
	static const char *const words[] = {
		"[HIDDEN]",
		"[local]",
		"[UNIX: localhost]",
		"[unix socket]",
	};
	struct fg_rcvd r;
	char f[256];
	size_t k;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		snprintf(f, sizeof(f),
			 "from a.example.net (a.example.net %s) by "
			 "mx.example.org; Tue, 14 Nov 2023 22:13:20 +0000",
			 words[k]);
		ck_assert(parse(f, &r));
		ck_assert_msg(!(r.notes & FG_RCVD_N_BAD_IP) &&
				      r.bad_ip[0] == '\0',
			      "%s: bad_ip [%s]", words[k], r.bad_ip);
	}
	/* and an impossible address is still one */
	ck_assert(parse("from a.example.net (a.example.net [999.1.2.3]) by "
			"mx.example.org; Tue, 14 Nov 2023 22:13:20 +0000",
			&r));
	ck_assert(r.notes & FG_RCVD_N_BAD_IP);
}
END_TEST

START_TEST(local_and_auth)
{
	struct fg_rcvd r;

	ck_assert(parse("by mx.example.org (Postfix, from userid 1000) id "
			"AB12; Tue, 14 Nov 2023 22:13:20 +0000",
			&r));
	ck_assert_int_eq(r.kind, FG_RCVD_LOCAL);
	ck_assert(!r.has_ip);
	ck_assert(parse("from [10.1.1.1] (unknown [198.51.100.7]) by "
			"smtp.example.org with ESMTPSA id X; Tue, 14 Nov 2023 "
			"22:13:20 +0000",
			&r));
	ck_assert_int_eq(r.auth, FG_RCVD_AUTH_PROTO);
	ck_assert_str_eq(r.helo, "[10.1.1.1]");
	ck_assert_str_eq(r.rdns, "");
	ck_assert(parse("(qmail 1234 invoked by uid 89); 14 Nov 2023 "
			"22:13:20 -0000",
			&r));
	ck_assert_int_eq(r.kind, FG_RCVD_LOCAL);
}
END_TEST

START_TEST(hostile)
{
	static const char *const inputs[] = {
		"",
		";",
		"from",
		"from (",
		"from ((((((((((((((((((((((((((((((((((((((((((((((",
		"from [[[[[[[[[[[[[[[[[[[[[[[[[[[[ by",
		"from \"unterminated by x with y",
		"from <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
		"from x ([999.999.999.999]) by y; 99 Foo 99999 99:99:99",
		"from x ([]) by y",
		"from \xff\xfe\xfd ([1.2.3.4]) by \xc3\x28",
		"\\\\\\\\\\\\\\\\\\\\",
	};
	struct fg_rcvd r;
	size_t k;
	char *s;
	clock_t t0;

	for (k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++)
		ck_assert(fg_received_parse(inputs[k], strlen(inputs[k]), &r) <=
			  FG_ESYNTAX);
	ck_assert(!parse("", &r));
	ck_assert(!parse("garbage ((( [[[ \"", &r));
	ck_assert(r.notes & FG_RCVD_N_UNCLOSED);
	ck_assert(parse("from x ([]) by y", &r));
	ck_assert(r.notes & FG_RCVD_N_BAD_IP);
	/* NUL bytes are dropped, as rspamd does */
	ck_assert(fg_received_parse("from a\0b.example ([192.0.2.1]) by c", 34,
				    &r) == FG_OK);
	ck_assert(r.notes & FG_RCVD_N_NUL);
	ck_assert_str_eq(r.helo, "ab.example");
	/* 1 MB of comment nesting and of words: cut, bounded, quick */
	s = big(1 << 20, '(');
	t0 = clock();
	ck_assert(fg_received_parse(s, 1 << 20, &r) == FG_ESYNTAX);
	ck_assert(r.notes & FG_RCVD_N_CUT);
	memset(s, 'a', 1 << 20);
	for (k = 0; k < (1 << 20); k += 3)
		s[k] = ' ';
	ck_assert(fg_received_parse(s, 1 << 20, &r) == FG_ESYNTAX);
	ck_assert(r.notes & FG_RCVD_N_TOKENS);
	ck_assert_msg(clock() - t0 < CLOCKS_PER_SEC, "too slow");
	free(s);
}
END_TEST

static const struct {
	const char *name, *in;
	int ok;
	size_t count;
	const char *first;
} froms[] = {
	{ "bare", "alice@example.net", 1, 1, "alice@example.net" },
	{ "name-addr", "Alice <alice@Example.NET>", 1, 1, "alice@example.net" },
	{ "quoted name", "\"Smith, Alice\" <alice@example.net>", 1, 1,
	  "alice@example.net" },
	{ "comments", "(x) alice (y) @ (z) example.net (w)", 1, 1,
	  "alice@example.net" },
	{ "quoted local", "\"a b\"@example.net", 1, 1, "\"a b\"@example.net" },
	{ "two", "a@example.net, B <b@example.org>", 1, 2, "a@example.net" },
	{ "route", "<@relay.example:a@example.net>", 1, 1, "a@example.net" },
	{ "group", "Team: a@example.net, b@example.net;", 1, 2,
	  "a@example.net" },
	{ "utf8 name", "J\xc3\xbcrgen <j@example.net>", 1, 1, "j@example.net" },
	{ "encoded word", "=?utf-8?q?J=C3=BCrgen?= <j@example.net>", 1, 1,
	  "j@example.net" },
	{ "literal", "a@[192.0.2.1]", 1, 1, "a@[192.0.2.1]" },
	{ "empty", "", 0, 0, NULL },
	{ "no address", "Alice", 0, 0, NULL },
	{ "unquoted comma", "Smith, Alice <a@example.net>", 0, 0, NULL },
	{ "unclosed angle", "<a@example.net", 0, 0, NULL },
	{ "unclosed comment", "a@example.net (x", 0, 0, NULL },
	{ "no domain", "a@", 0, 0, NULL },
	{ "bad domain", "a@-x-.example", 0, 0, NULL },
	{ "empty angle", "<>", 0, 0, NULL },
	{ "open group", "Team: a@example.net", 0, 0, NULL },
};

START_TEST(from)
{
	struct fg_from f;
	int ok = fg_header_from_parse(froms[_i].in, strlen(froms[_i].in), &f) ==
		 FG_OK;

	ck_assert_msg(ok == froms[_i].ok, "%s: ok %d (%s)", froms[_i].name, ok,
		      f.why ? f.why : "-");
	if (!ok) {
		ck_assert_msg(f.why != NULL, "%s: no reason", froms[_i].name);
		return;
	}
	ck_assert_uint_eq(f.count, froms[_i].count);
	ck_assert_str_eq(fg_from_addr(&f, 0), froms[_i].first);
}
END_TEST

START_TEST(from_many)
{
	struct fg_from f;
	char *s = malloc(100000), *p = s;
	int k;

	for (k = 0; k < 5000; k++)
		p += sprintf(p, "%sa%d@example.net", k ? "," : "", k);
	ck_assert(fg_header_from_parse(s, strlen(s), &f) == FG_OK);
	ck_assert_uint_eq(f.count, 5000);
	ck_assert_uint_eq(f.n, FG_FROM_ADDRS_MAX);
	free(s);
}
END_TEST

START_TEST(authserv)
{
	char id[256];

	ck_assert(fg_header_authserv_id("mx.example.org; spf=pass", 24, id,
					sizeof(id)) == FG_OK);
	ck_assert_str_eq(id, "mx.example.org");
	ck_assert(fg_header_authserv_id(" (c) \"mx.example.org\" 1; none", 28,
					id, sizeof(id)) == FG_OK);
	ck_assert_str_eq(id, "mx.example.org");
	ck_assert(fg_header_authserv_id("; none", 6, id, sizeof(id)) != FG_OK);
	ck_assert(fg_header_authserv_id("(unclosed", 9, id, sizeof(id)) !=
		  FG_OK);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("received");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, date, 0, NCASES(dates));
	tcase_add_test(tc, date_days_match_libc);
	tcase_add_test(tc, postfix);
	tcase_add_test(tc, microsoft_ipv6_ending_in_colons);
	tcase_add_test(tc, placeholders_are_not_bogus_addresses);
	tcase_add_test(tc, local_and_auth);
	tcase_add_test(tc, hostile);
	tcase_add_loop_test(tc, from, 0, NCASES(froms));
	tcase_add_test(tc, from_many);
	tcase_add_test(tc, authserv);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
