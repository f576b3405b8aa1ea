/* test_ipaddr - strict parsing, canonical formatting, network matching */
#include "forgeguard/ipaddr.h"
#include "tcase.h"

static const struct {
	const char *name, *in;
	int ok;
	const char *canon; /* formatted back */
} addrs[] = {
	{ "v4", "192.0.2.1", 1, "192.0.2.1" },
	{ "v4 zeros", "0.0.0.0", 1, "0.0.0.0" },
	{ "v4 max", "255.255.255.255", 1, "255.255.255.255" },
	{ "v4 octet 256", "256.1.1.1", 0, NULL },
	{ "v4 leading zeros 3 digits", "001.002.003.004", 1, "1.2.3.4" },
	{ "v4 four digits", "0001.2.3.4", 0, NULL },
	{ "v4 three parts", "1.2.3", 0, NULL },
	{ "v4 five parts", "1.2.3.4.5", 0, NULL },
	{ "v4 trailing dot", "1.2.3.4.", 0, NULL },
	{ "v4 empty part", "1..3.4", 0, NULL },
	{ "v4 space", "1.2.3.4 ", 0, NULL },
	{ "v4 sign", "+1.2.3.4", 0, NULL },
	{ "empty", "", 0, NULL },
	{ "v6 full", "2001:db8:0:0:0:0:0:1", 1, "2001:db8::1" },
	{ "v6 compressed", "2001:db8::1", 1, "2001:db8::1" },
	{ "v6 any", "::", 1, "::" },
	{ "v6 loopback", "::1", 1, "::1" },
	{ "v6 trailing ::", "2001:db8::", 1, "2001:db8::" },
	{ "v6 upper", "2001:DB8::A", 1, "2001:db8::a" },
	{ "v6 one zero group", "1:0:1:1:1:1:1:1", 1, "1:0:1:1:1:1:1:1" },
	{ "v6 v4 tail", "::ffff:192.0.2.1", 1, "::ffff:c000:201" },
	{ "v6 two ::", "1::2::3", 0, NULL },
	{ "v6 nine groups", "1:2:3:4:5:6:7:8:9", 0, NULL },
	{ "v6 seven groups", "1:2:3:4:5:6:7", 0, NULL },
	{ "v6 eight groups and ::", "1:2:3:4:5:6:7:8::", 0, NULL },
	{ "v6 seven and ::", "1:2:3:4:5:6:7::", 1, "1:2:3:4:5:6:7:0" },
	{ "v6 five hex digits", "12345::1", 0, NULL },
	{ "v6 leading single colon", ":1::2", 0, NULL },
	{ "v6 trailing single colon", "1::2:", 0, NULL },
	{ "v6 bad char", "2001:db8::g", 0, NULL },
	{ "v6 v4 tail too many", "1:2:3:4:5:6:7:1.2.3.4", 0, NULL },
	{ "v6 bad v4 tail", "::1.2.3", 0, NULL },
	{ "v6 zone", "fe80::1%eth0", 0, NULL },
	{ "garbage", "hello", 0, NULL },
};

START_TEST(parse_format)
{
	struct fg_ip ip;
	char s[64];
	struct fg_buf b;
	enum fg_err e =
		fg_ipaddr_parse(addrs[_i].in, strlen(addrs[_i].in), &ip);

	ck_assert_msg((e == FG_OK) == addrs[_i].ok, "%s: got err %d",
		      addrs[_i].name, e);
	if (!addrs[_i].ok)
		return;
	fg_buf_init(&b, s, sizeof(s));
	fg_ipaddr_format(&ip, &b);
	ck_assert_msg(strcmp(s, addrs[_i].canon) == 0, "%s: got %s want %s",
		      addrs[_i].name, s, addrs[_i].canon);
}
END_TEST

static const struct {
	const char *name, *net, *ip;
	int parse_ok, match;
} nets[] = {
	{ "v4 in", "192.0.2.0/24", "192.0.2.77", 1, 1 },
	{ "v4 out", "192.0.2.0/24", "192.0.3.1", 1, 0 },
	{ "v4 /0", "0.0.0.0/0", "203.0.113.9", 1, 1 },
	{ "v4 /32", "192.0.2.1/32", "192.0.2.1", 1, 1 },
	{ "v4 /33", "192.0.2.1/33", "192.0.2.1", 0, 0 },
	{ "v4 host bits", "192.0.2.1/24", "192.0.2.1", 0, 0 },
	{ "v4 odd prefix", "10.0.0.0/9", "10.127.255.255", 1, 1 },
	{ "v4 odd prefix out", "10.0.0.0/9", "10.128.0.0", 1, 0 },
	{ "bare addr", "192.0.2.1", "192.0.2.1", 1, 1 },
	{ "v6 in", "2001:db8::/32", "2001:db8:1::5", 1, 1 },
	{ "v6 out", "2001:db8::/32", "2001:db9::5", 1, 0 },
	{ "v6 /128", "::1/128", "::1", 1, 1 },
	{ "v6 /129", "::1/129", "::1", 0, 0 },
	{ "v4 net, mapped client", "192.0.2.0/24", "::ffff:192.0.2.9", 1, 1 },
	{ "mapped net, v4 client", "::ffff:192.0.2.0/120", "192.0.2.9", 1, 1 },
	{ "family mismatch", "192.0.2.0/24", "2001:db8::1", 1, 0 },
	{ "empty prefix", "192.0.2.0/", "192.0.2.1", 0, 0 },
	{ "bad prefix", "192.0.2.0/x", "192.0.2.1", 0, 0 },
};

START_TEST(cidr)
{
	struct fg_cidr c;
	struct fg_ip ip;
	enum fg_err e = fg_cidr_parse(nets[_i].net, strlen(nets[_i].net), &c);

	ck_assert_msg((e == FG_OK) == nets[_i].parse_ok, "%s: parse got %d",
		      nets[_i].name, e);
	if (e != FG_OK)
		return;
	ck_assert(fg_ipaddr_parse(nets[_i].ip, strlen(nets[_i].ip), &ip) ==
		  FG_OK);
	ck_assert_msg(fg_cidr_match(&c, &ip) == nets[_i].match,
		      "%s: match got %d", nets[_i].name, !nets[_i].match);
}
END_TEST

START_TEST(equal_and_special)
{
	struct fg_ip a, b;

	ck_assert(fg_ipaddr_parse("::ffff:192.0.2.1", 16, &a) == FG_OK);
	ck_assert(fg_ipaddr_parse("192.0.2.1", 9, &b) == FG_OK);
	ck_assert(fg_ipaddr_equal(&a, &b));
	ck_assert(fg_ipaddr_parse("127.0.0.1", 9, &a) == FG_OK);
	ck_assert(fg_ipaddr_is_special(&a));
	ck_assert(!fg_ipaddr_is_special(&b));
	{
		static const struct {
			const char *ip;
			int special;
		} t[] = { { "0.1.2.3", 1 },
			  { "169.254.1.1", 1 },
			  { "169.255.1.1", 0 },
			  { "224.0.0.1", 1 },
			  { "255.255.255.255", 1 },
			  { "223.255.255.255", 0 },
			  { "::", 1 },
			  { "::1", 1 },
			  { "::2", 0 },
			  { "ff02::1", 1 },
			  { "fe80::1", 1 },
			  { "fec0::1", 0 },
			  { "2001:db8::1", 0 },
			  { "::ffff:127.0.0.1", 1 } };
		size_t k;

		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
			ck_assert(fg_ipaddr_parse(t[k].ip, strlen(t[k].ip),
						  &a) == FG_OK);
			ck_assert_msg(fg_ipaddr_is_special(&a) == t[k].special,
				      "%s", t[k].ip);
		}
	}
}
END_TEST

START_TEST(long_input)
{
	struct fg_ip ip;
	char *s = big(10000, '1');

	ck_assert(fg_ipaddr_parse(s, 10000, &ip) != FG_OK);
	s[5] = ':';
	ck_assert(fg_ipaddr_parse(s, 10000, &ip) != FG_OK);
	free(s);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ipaddr");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse_format, 0, NCASES(addrs));
	tcase_add_loop_test(tc, cidr, 0, NCASES(nets));
	tcase_add_test(tc, equal_and_special);
	tcase_add_test(tc, long_input);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
