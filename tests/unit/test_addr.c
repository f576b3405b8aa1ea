/* test_addr - RFC 5321 paths and ESMTP parameters, hostile input too */
#include "forgeguard/addr.h"
#include "tcase.h"

#define L64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct {
	const char *name, *in;
	int flags;
	enum fg_err want;
	const char *addr; /* canonical, on success */
	const char *why; /* on failure, a word of the reason */
} paths[] = {
	{ "null", "<>", 0, FG_OK, "", NULL },
	{ "plain", "<a@example.com>", 0, FG_OK, "a@example.com", NULL },
	{ "domain lower-cased", "<Ab@EXAMPLE.com>", 0, FG_OK, "Ab@example.com",
	  NULL },
	{ "bare refused", "a@example.com", 0, FG_ESYNTAX, NULL, "<" },
	{ "bare allowed", "a@example.com", FG_ADDR_BARE, FG_OK, "a@example.com",
	  NULL },
	{ "quoted", "<\"a b\"@example.com>", 0, FG_OK, "a b@example.com",
	  NULL },
	{ "quoted pair", "<\"a\\\"b\"@example.com>", 0, FG_OK,
	  "a\"b@example.com", NULL },
	{ "quoted ctl", "<\"a\rb\"@example.com>", 0, FG_ESYNTAX, NULL,
	  "control" },
	{ "quoted unclosed", "<\"ab@example.com>", 0, FG_ESYNTAX, NULL,
	  "unclosed" },
	{ "quote in middle", "<a\"b\"@example.com>", 0, FG_ESYNTAX, NULL,
	  "quote" },
	{ "route", "<@a.example,@b.example:c@d.example>", 0, FG_OK,
	  "c@d.example", NULL },
	{ "bad route", "<@a.example;c@d.example>", 0, FG_ESYNTAX, NULL,
	  "route" },
	{ "unterminated route", "<@a.example", 0, FG_ESYNTAX, NULL, "route" },
	{ "v4 literal", "<a@[192.0.2.1]>", 0, FG_OK, "a@[192.0.2.1]", NULL },
	{ "v6 literal", "<a@[IPv6:2001:db8::1]>", 0, FG_OK,
	  "a@[ipv6:2001:db8::1]", NULL },
	{ "bad literal", "<a@[300.1.1.1]>", 0, FG_ESYNTAX, NULL, "literal" },
	{ "unclosed literal", "<a@[1.2.3.4>", 0, FG_ESYNTAX, NULL, "literal" },
	{ "no at", "<abc>", 0, FG_ESYNTAX, NULL, "@" },
	{ "postmaster bare", "<Postmaster>", 0, FG_OK, "Postmaster", NULL },
	{ "empty local", "<@example.com>", 0, FG_ESYNTAX, NULL, "route" },
	{ "empty domain", "<a@>", 0, FG_ESYNTAX, NULL, "domain" },
	{ "leading dot local", "<.a@example.com>", 0, FG_ESYNTAX, NULL, "dot" },
	{ "trailing dot local", "<a.@example.com>", 0, FG_ESYNTAX, NULL,
	  "dot" },
	{ "double dot local", "<a..b@example.com>", 0, FG_ESYNTAX, NULL,
	  "dot" },
	{ "dot domain", "<a@.example.com>", 0, FG_ESYNTAX, NULL, "domain" },
	{ "missing >", "<a@example.com", 0, FG_ESYNTAX, NULL, ">" },
	{ "extra >", "<a@example.com>>", 0, FG_ESYNTAX, NULL, "after" },
	{ "two paths", "<a@example.com><>", 0, FG_ESYNTAX, NULL, "after" },
	{ "crlf injection", "<a@example.com>\r\nRCPT TO:<x@y>", 0, FG_ESYNTAX,
	  NULL, "after" },
	{ "space inside", "<a b@example.com>", 0, FG_ESYNTAX, NULL, "@" },
	{ "utf8 local", "<\xc3\xb1@example.com>", 0, FG_OK,
	  "\xc3\xb1@example.com", NULL },
	{ "local 64", "<" L64 "@example.com>", 0, FG_OK, L64 "@example.com",
	  NULL },
	{ "local 65", "<" L64 "a@example.com>", 0, FG_ETOOLONG, NULL, "long" },
	{ "quoted local 64 on the wire", "<\"" L64 "\"@example.com>", 0,
	  FG_ETOOLONG, NULL, "long" },
	{ "v6 literal :: for one group", "<a@[IPv6:1:2:3:4:5:6::8]>", 0,
	  FG_ESYNTAX, NULL, "literal" },
	{ "v6 literal :: for two groups", "<a@[IPv6:1:2:3:4:5::8]>", 0, FG_OK,
	  "a@[ipv6:1:2:3:4:5::8]", NULL },
	{ "empty", "", 0, FG_ESYNTAX, NULL, "<" },
	{ "one byte", "<", 0, FG_ESYNTAX, NULL, "" },
	{ "prefix with params", "<a@b.example> SIZE=10", FG_ADDR_PREFIX, FG_OK,
	  "a@b.example", NULL },
	{ "no prefix with params", "<a@b.example> SIZE=10", 0, FG_ESYNTAX, NULL,
	  "after" },
};

START_TEST(parse_path)
{
	struct fg_path p;
	enum fg_err e = fg_addr_parse_path(paths[_i].in, strlen(paths[_i].in),
					   paths[_i].flags, &p);

	ck_assert_msg(e == paths[_i].want, "%s: got %d want %d (%s)",
		      paths[_i].name, e, paths[_i].want, p.why ? p.why : "");
	if (e == FG_OK)
		ck_assert_msg(strcmp(p.addr, paths[_i].addr) == 0,
			      "%s: got [%s] want [%s]", paths[_i].name, p.addr,
			      paths[_i].addr);
	else
		ck_assert_msg(p.why != NULL &&
				      strstr(p.why, paths[_i].why) != NULL,
			      "%s: reason [%s] lacks [%s]", paths[_i].name,
			      p.why ? p.why : "(none)", paths[_i].why);
}
END_TEST

START_TEST(facts)
{
	struct fg_path p;

	ck_assert(fg_addr_parse_path("<@r.example:\"x\"@[192.0.2.1]>", 28, 0,
				     &p) == FG_OK);
	ck_assert(p.has_route && p.is_quoted && p.domain_literal);
	ck_assert(p.literal_ip.family == FG_IP_V4);
	ck_assert(!p.has_8bit);
	ck_assert(fg_addr_parse_path("<a@\xc3\xb1.example>",
				     strlen("<a@\xc3\xb1.example>"), 0,
				     &p) == FG_OK);
	ck_assert(p.has_8bit);
	ck_assert_str_eq(fg_addr_domain(&p), "\xc3\xb1.example");
	ck_assert(fg_addr_parse_path("<POSTMASTER@x.example>", 22, 0, &p) ==
		  FG_OK);
	ck_assert(fg_addr_is_postmaster(&p));
	ck_assert(fg_addr_parse_path("<>", 2, 0, &p) == FG_OK);
	ck_assert(p.is_null && !fg_addr_is_postmaster(&p));
	ck_assert_str_eq(fg_addr_domain(&p), "");
}
END_TEST

START_TEST(mailbox_254)
{
	/* 64 + "@" + 189 = 254 fits; one more octet does not */
	char s[300];
	struct fg_path p;
	size_t n;

	n = (size_t)snprintf(s, sizeof(s), "<%s@%s.%s.%.61s>", L64, &L64[1],
			     &L64[1], L64);
	ck_assert_uint_eq(n, 2 + 254);
	ck_assert_int_eq(fg_addr_parse_path(s, n, 0, &p), FG_OK);
	n = (size_t)snprintf(s, sizeof(s), "<%s@%s.%s.%.62s>", L64, &L64[1],
			     &L64[1], L64);
	ck_assert_int_eq(fg_addr_parse_path(s, n, 0, &p), FG_ETOOLONG);
	ck_assert(strstr(p.why, "254") != NULL);
}
END_TEST

START_TEST(hostile_sizes)
{
	struct fg_path p;
	char *s = big(10240, 'a');

	s[0] = '<';
	s[5000] = '@';
	s[10239] = '>';
	ck_assert(fg_addr_parse_path(s, 10240, 0, &p) == FG_ETOOLONG);
	memset(s, '@', 10240);
	ck_assert(fg_addr_parse_path(s, 10240, FG_ADDR_BARE, &p) != FG_OK);
	memset(s, '"', 10240);
	ck_assert(fg_addr_parse_path(s, 4000, FG_ADDR_BARE, &p) != FG_OK);
	free(s);
	/* embedded NUL is a byte like any other: refused */
	ck_assert(fg_addr_parse_path("<a\0b@x.example>", 15, 0, &p) ==
		  FG_ESYNTAX);
}
END_TEST

static const struct {
	const char *name, *in;
	int ok;
} params[] = {
	{ "size", "SIZE=1000", 1 },
	{ "flag", "SMTPUTF8", 1 },
	{ "body", "BODY=8BITMIME", 1 },
	{ "empty value", "SIZE=", 0 },
	{ "empty", "", 0 },
	{ "leading hyphen", "-X=1", 0 },
	{ "space in value", "ENVID=a b", 0 },
	{ "equals in value", "ENVID=a=b", 0 },
	{ "ctl in value", "ENVID=a\rb", 0 },
	{ "utf8 value", "ORCPT=rfc822;\xc3\xb1@x", 1 },
	{ "bad keyword char", "SI_ZE=1", 0 },
};

START_TEST(parse_param)
{
	struct fg_params ps;

	memset(&ps, 0, sizeof(ps));
	ck_assert_msg((fg_addr_parse_param(params[_i].in, strlen(params[_i].in),
					   &ps) == FG_OK) == params[_i].ok,
		      "%s", params[_i].name);
}
END_TEST

START_TEST(param_bounds)
{
	struct fg_params ps;
	int k;

	memset(&ps, 0, sizeof(ps));
	for (k = 0; k < FG_PARAMS_MAX + 5; k++)
		ck_assert(fg_addr_parse_param("X-A=1", 5, &ps) == FG_OK);
	ck_assert_uint_eq(ps.count, FG_PARAMS_MAX);
	ck_assert_uint_eq(ps.dropped, 5);
	ck_assert(fg_addr_param_find(&ps, "x-a") != NULL);
	ck_assert(fg_addr_param_find(&ps, "SIZE") == NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse_path, 0, NCASES(paths));
	tcase_add_test(tc, facts);
	tcase_add_test(tc, mailbox_254);
	tcase_add_test(tc, hostile_sizes);
	tcase_add_loop_test(tc, parse_param, 0, NCASES(params));
	tcase_add_test(tc, param_bounds);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
