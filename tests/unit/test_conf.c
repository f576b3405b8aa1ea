/* test_conf - option table, validation, policy resolution, login map */
#include <stdio.h>
#include <unistd.h>

#include "forgeguard/conf.h"
#include "tcase.h"

/* load - a configuration from text; err receives the messages */
static enum fg_err
load(const char *text, struct fg_conf **c, char *err, size_t cap)
{
	struct fg_buf b;

	fg_buf_init(&b, err, cap);
	return fg_conf_load_text("test.conf", text, strlen(text), c, &b);
}

START_TEST(defaults)
{
	struct fg_conf *c;
	char err[1024];
	struct fg_buf b;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert_int_eq(fg_conf_load(NULL, &c, &b), FG_OK);
	ck_assert_str_eq(c->socket, "inet:8895@127.0.0.1");
	ck_assert_int_eq(c->reject_stage, FG_REJECT_AT_RCPT);
	ck_assert_int_eq(c->mode, FG_MODE_ENFORCE);
	ck_assert_uint_eq(c->max_recipients, 1000);
	ck_assert_uint_eq(c->trusted_networks.n, 2);
	ck_assert(c->authserv_id[0] != '\0');
	ck_assert_int_eq(c->action[FG_CHK_HELO_SYNTAX][FG_R_INVALID],
			 FG_ACT_REJECT);
	ck_assert_int_eq(c->action[FG_CHK_HELO_SYNTAX][FG_R_PASS],
			 FG_ACT_ACCEPT);
	ck_assert_int_eq(c->action[FG_CHK_CLIENT_FCRDNS][FG_R_NONE],
			 FG_ACT_LOG);
	ck_assert_int_eq(c->action[FG_CHK_RCPT_LIMIT][FG_R_FAIL],
			 FG_ACT_TEMPFAIL);
	ck_assert_uint_eq(c->dns_timeout_ms, 10000);
	ck_assert_int_eq(c->action[FG_CHK_SPF_MAILFROM][FG_R_FAIL],
			 FG_ACT_REJECT);
	ck_assert_int_eq(c->action[FG_CHK_SPF_MAILFROM][FG_R_TEMPERROR],
			 FG_ACT_TEMPFAIL);
	ck_assert_int_eq(c->action[FG_CHK_SPF_MAILFROM][FG_R_NEUTRAL],
			 FG_ACT_ACCEPT);
	fg_conf_unref(c);
}
END_TEST

static const struct {
	const char *name, *text;
	const char *err; /* NULL: must load */
} cases[] = {
	{ "full",
	  "socket = unix:/run/fg.sock\nuser = nobody\n"
	  "log_target = file:/tmp/fg.log\nlog_format = json\n"
	  "authserv_id = mx.example\nlocal_domains = example.com, "
	  "example.net\nlocal_hosts = mx.example.com\n"
	  "local_addresses = 192.0.2.1 2001:db8::1\n"
	  "trusted_networks = 10.0.0.0/8, 2001:db8:1::/48\n"
	  "mode = dry-run\nreject_stage = mail\n"
	  "max_message_size = 10m\nmax_recipients = 50\n"
	  "action.helo.syntax = log\n"
	  "action.client.fcrdns.none = reject\n"
	  "reply.helo.impersonation = 550 5.7.1 go away\n"
	  "dry_run.sender.syntax = yes\n",
	  NULL },
	{ "unknown key", "nonsense = 1\n", "test.conf:1: unknown key" },
	{ "duplicate", "mode = enforce\nmode = dry-run\n",
	  "test.conf:2: duplicate key mode" },
	{ "bad mode", "mode = maybe\n",
	  "test.conf:1: mode: \"maybe\" is not one of: enforce, dry-run" },
	{ "bad log format", "log_format = xml\n",
	  "log_format: \"xml\" is not one of: text, json" },
	{ "bad cidr", "trusted_networks = 10.0.0.1/33\n", "is not a network" },
	{ "bracket not closed", "trusted_networks = [::1/128\n",
	  "is not a network" },
	{ "bracketed host with a length", "local_addresses = [::1]/64\n",
	  "is not an IP address" },
	{ "list file missing", "trusted_networks = /nonexistent/nets\n",
	  "trusted_networks: /nonexistent/nets: cannot open" },
	{ "list file relative", "local_domains = cidr:nets\n",
	  "a list file is named by its absolute path" },
	{ "bad v6 cidr", "trusted_networks = 2001:db8::/129\n", "network" },
	{ "bad address", "local_addresses = 192.0.2.0/24\n",
	  "not an IP address" },
	{ "bad domain", "local_domains = exa_mple.com\n", "not a domain" },
	{ "bad socket", "socket = tcp:25\n", "socket:" },
	{ "bad port", "socket = inet:99999@127.0.0.1\n", "bad port" },
	{ "bad size", "max_message_size = 10x\n", "max_message_size" },
	{ "size overflow", "max_message_size = 99999999999999999999g\n",
	  "max_message_size" },
	{ "bad bool", "allow_root = perhaps\n", "allow_root" },
	{ "bad log target", "log_target = /tmp/x\n", "log_target" },
	{ "unknown check", "action.helo.nope = reject\n", "unknown check" },
	{ "bad result", "action.helo.syntax.fail = reject\n",
	  "has no such result" },
	{ "bad result listed", "action.spf.mailfrom.bogus = reject\n",
	  "check spf.mailfrom has no such result (its results: pass, fail, "
	  "softfail, neutral, none, temperror, permerror)" },
	{ "bad action", "action.helo.syntax = smite\n", "is not an action" },
	{ "reply class mismatch", "reply.helo.syntax = 550 4.7.1 x\n",
	  "class" },
	{ "reply not 4xx/5xx", "reply.helo.syntax = 250 2.0.0 ok\n",
	  "4xx or 5xx" },
	{ "reply crlf", "reply.helo.syntax = 550 5.7.1 a\rb\n", "printable" },
	{ "reply no text", "reply.helo.syntax = 550 5.7.1\n", "empty" },
	{ "duplicate action",
	  "action.helo.syntax = log\n"
	  "action.helo.syntax = tag\n",
	  "duplicate" },
	{ "two errors reported", "a = 1\nb = 2\n", "test.conf:2:" },
	{ "login map missing", "sender_login_map = /nonexistent/map\n",
	  "cannot open" },
	{ "dns keys",
	  "dns_resolver = 127.0.0.1@5353 ::1\ndns_timeout = 500ms\n"
	  "disabled_checks = spf.helo, client.fcrdns\n",
	  NULL },
	{ "dns_timeout zero", "dns_timeout = 0\n", "dns_timeout" },
	{ "dns_timeout too long", "dns_timeout = 61s\n", "at most 60s" },
	{ "dns_timeout junk", "dns_timeout = soon\n", "dns_timeout" },
	{ "disable unknown check", "disabled_checks = spf.nope\n",
	  "not a check" },
	{ "disable internal", "disabled_checks = internal\n", "not a check" },
	/* every number at its bounds and just past them */
	{ "clock_skew 7d", "clock_skew = 7d\n", NULL },
	{ "clock_skew 604800", "clock_skew = 604800\n", NULL },
	{ "clock_skew 0", "clock_skew = 0\n", NULL },
	{ "clock_skew 8d", "clock_skew = 8d\n", "at most 7d" },
	{ "clock_skew 9d", "clock_skew = 9d\n", "at most 7d" },
	{ "clock_skew 604801", "clock_skew = 604801\n", "at most 7d" },
	{ "clock_skew 168h", "clock_skew = 168h\n", NULL },
	{ "clock_skew 169h", "clock_skew = 169h\n", "at most 7d" },
	{ "clock_skew wraps", "clock_skew = 999999999999999999d\n",
	  "at most 7d" },
	{ "clock_skew unit only", "clock_skew = d\n", "clock_skew" },
	{ "dns_timeout 1ms", "dns_timeout = 1ms\n", NULL },
	{ "dns_timeout 60s", "dns_timeout = 60s\n", NULL },
	{ "dns_timeout 60000", "dns_timeout = 60000\n", NULL },
	{ "dns_timeout 60001ms", "dns_timeout = 60001ms\n", "at most 60s" },
	{ "max_recipients 0", "max_recipients = 0\n", NULL },
	{ "max_recipients max", "max_recipients = 4294967295\n", NULL },
	{ "max_recipients max+1", "max_recipients = 4294967296\n",
	  "max_recipients" },
	{ "max_hops max+1", "max_hops = 4294967296\n", "max_hops" },
	{ "max_message_size 16g", "max_message_size = 16g\n", NULL },
	{ "max_message_size max", "max_message_size = 18446744073709551615\n",
	  NULL },
	{ "max_message_size max+1", "max_message_size = 18446744073709551616\n",
	  "max_message_size" },
	{ "max_message_size g overflow", "max_message_size = 17179869184g\n",
	  "max_message_size" },
	{ "socket_mode 0777", "socket_mode = 0777\n", NULL },
	{ "socket_mode 01000", "socket_mode = 01000\n", "octal" },
	{ "socket_mode 8", "socket_mode = 0668\n", "octal" },
	{ "socket_mode long", "socket_mode = 000000660\n", "octal" },
	{ "reply unknown placeholder",
	  "reply.helo.syntax = 550 5.7.1 {sender} go away\n", "placeholder" },
};

START_TEST(validate)
{
	struct fg_conf *c = NULL;
	char err[4096];
	enum fg_err e = load(cases[_i].text, &c, err, sizeof(err));

	if (cases[_i].err == NULL) {
		ck_assert_msg(e == FG_OK, "%s: %s", cases[_i].name, err);
		fg_conf_unref(c);
		return;
	}
	ck_assert_msg(e != FG_OK && c == NULL, "%s: loaded", cases[_i].name);
	ck_assert_msg(strstr(err, cases[_i].err) != NULL,
		      "%s: error [%s] lacks [%s]", cases[_i].name, err,
		      cases[_i].err);
}
END_TEST

START_TEST(bounds_stored)
{
	struct fg_conf *c;
	char err[1024];

	ck_assert_int_eq(load("clock_skew = 7d\ndns_timeout = 2s\n"
			      "max_message_size = 3k\nsocket_mode = 0600\n",
			      &c, err, sizeof(err)),
			 FG_OK);
	ck_assert_uint_eq(c->clock_skew_s, 604800);
	ck_assert_uint_eq(c->dns_timeout_ms, 2000);
	ck_assert_uint_eq(c->max_message_size, 3072);
	ck_assert_uint_eq(c->socket_mode, 0600);
	fg_conf_unref(c);
}
END_TEST

START_TEST(policy_resolution)
{
	struct fg_conf *c;
	char err[1024];

	ck_assert_int_eq(load("action.client.fcrdns = reject\n"
			      "action.client.fcrdns.none = tag\n"
			      "reply.client.fcrdns = 550 5.7.25 no rDNS\n",
			      &c, err, sizeof(err)),
			 FG_OK);
	/* the specific key beats the check-wide one */
	ck_assert_int_eq(c->action[FG_CHK_CLIENT_FCRDNS][FG_R_NONE],
			 FG_ACT_TAG);
	ck_assert_int_eq(c->action[FG_CHK_CLIENT_FCRDNS][FG_R_FAIL],
			 FG_ACT_REJECT);
	/* a check-wide key never touches pass */
	ck_assert_int_eq(c->action[FG_CHK_CLIENT_FCRDNS][FG_R_PASS],
			 FG_ACT_ACCEPT);
	ck_assert_str_eq(c->reply[FG_CHK_CLIENT_FCRDNS][FG_R_FAIL],
			 "550 5.7.25 no rDNS");
	fg_conf_unref(c);
}
END_TEST

START_TEST(sets)
{
	struct fg_conf *c;
	char err[1024];
	struct fg_ip ip;

	ck_assert_int_eq(load("local_domains = Example.COM, b.example, "
			      "example.com\nlocal_hosts = mx.x.example\n"
			      "trusted_networks = 2001:db8::/32\n",
			      &c, err, sizeof(err)),
			 FG_OK);
	ck_assert_uint_eq(c->local_domains.n, 2); /* deduplicated */
	ck_assert(fg_conf_name_in(&c->local_domains, "EXAMPLE.com", 11, 0));
	ck_assert(fg_conf_name_in(&c->local_domains, "mx.example.com", 14, 1));
	ck_assert(!fg_conf_name_in(&c->local_domains, "mx.example.com", 14, 0));
	ck_assert(!fg_conf_name_in(&c->local_domains, "xexample.com", 12, 1));
	ck_assert(fg_conf_name_in(&c->local_hosts, "mx.x.example.", 13, 0));
	ck_assert(fg_ipaddr_parse("2001:db8::9", 11, &ip) == FG_OK);
	ck_assert(fg_conf_net_in(&c->trusted_networks, &ip));
	ck_assert(fg_ipaddr_parse("127.0.0.1", 9, &ip) == FG_OK);
	ck_assert(!fg_conf_net_in(&c->trusted_networks, &ip));
	fg_conf_unref(c);
}
END_TEST

START_TEST(login_map)
{
	char path[] = "/tmp/fg-login-XXXXXX", text[256], err[1024];
	struct fg_conf *c;
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fprintf(f, "# logins\nalice alice@example.com, @sales.example\n\n"
		   "Bob bob@example.com\n");
	fclose(f);
	snprintf(text, sizeof(text), "sender_login_map = %s\n", path);
	ck_assert_int_eq(load(text, &c, err, sizeof(err)), FG_OK);
	ck_assert_int_eq(fg_conf_login_owns(c, "alice", "alice@example.com"),
			 1);
	ck_assert_int_eq(fg_conf_login_owns(c, "ALICE", "x@SALES.example"), 1);
	ck_assert_int_eq(fg_conf_login_owns(c, "alice", "bob@example.com"), 0);
	ck_assert_int_eq(fg_conf_login_owns(c, "bob", "bob@example.com"), 1);
	ck_assert_int_eq(fg_conf_login_owns(c, "carol", "bob@example.com"), -1);
	fg_conf_unref(c);
	/* a bad map line names the map file and line */
	f = fopen(path, "w");
	fprintf(f, "alice alice@example.com\nbob not-an-address\n");
	fclose(f);
	ck_assert_int_ne(load(text, &c, err, sizeof(err)), FG_OK);
	ck_assert_msg(strstr(err, ":2: \"not-an-address\"") != NULL, "%s", err);
	unlink(path);
}
END_TEST

/* what a valid file leaves undone is said, once per fact, and nothing
 * when every local fact is set */
START_TEST(warnings)
{
	static const char *const text =
		"authserv_id = mx.example.org\nlocal_domains = example.org\n"
		"local_hosts = mx.example.org\nlocal_addresses = 192.0.2.1\n";
	char err[2048], w[2048];
	struct fg_conf *c;
	struct fg_buf b, wb;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_conf_load_text("t", "", 0, &c, &b) == FG_OK);
	fg_buf_init(&wb, w, sizeof(w));
	ck_assert_uint_eq(fg_conf_warnings(c, &wb), 4);
	ck_assert_msg(strstr(w, "authserv_id is not set: the host name ") ==
				      w &&
			      strstr(w, "\nlocal_domains is not set: "
					"sender.local_forgery and "
					"header.local_forgery never fire\n") &&
			      strstr(w, "\nlocal_hosts is not set") &&
			      strstr(w, "\nlocal_addresses is not set"),
		      "%s", w);
	fg_conf_unref(c);
	ck_assert(fg_conf_load_text("t", text, strlen(text), &c, &b) == FG_OK);
	fg_buf_init(&wb, w, sizeof(w));
	ck_assert_uint_eq(fg_conf_warnings(c, &wb), 0);
	ck_assert_str_eq(w, "");
	fg_conf_unref(c);
}
END_TEST

/* the file's settings as written, and every setting in effect */
static void
collect(void *arg, const char *key, const char *value)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 8192 - n, "%s=[%s]\n", key, value);
}

START_TEST(settings_printed)
{
	static const char *const text =
		"authserv_id = mx.example.org\n"
		"# a comment\n"
		"local_domains = example.org,\n  example.net\n"
		"action.helo.syntax = log\n";
	char err[1024], *out = calloc(1, 8192);
	struct fg_conf *c;
	struct fg_buf b;

	ck_assert(out != NULL);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_conf_load_text("t", text, strlen(text), &c, &b) == FG_OK);
	fg_conf_each(c, 0, collect, out);
	ck_assert_msg(strcmp(out, "authserv_id=[mx.example.org]\n"
				  "local_domains=[example.org,   example.net]\n"
				  "action.helo.syntax=[log]\n") == 0,
		      "%s", out);
	out[0] = '\0';
	fg_conf_each(c, 1, collect, out);
	ck_assert_msg(strncmp(out, "socket=[inet:8895@127.0.0.1]\n", 29) == 0 &&
			      strstr(out, "\nauthserv_id=[mx.example.org]\n") &&
			      strstr(out, "\nlocal_hosts=[]\n") &&
			      strcmp(out + strlen(out) - 26,
				     "\naction.helo.syntax=[log]\n") == 0,
		      "%s", out);
	fg_conf_unref(c);
	free(out);
}
END_TEST

/* networks as Postfix admins paste them from main.cf: bracketed IPv6,
 * host bits set (a warning, as Postfix gives), lists read from a file
 * and from a cidr: table, whose errors name that file and line */
START_TEST(postfix_lists)
{
	static const char *const nets = "# our networks\n"
					"192.0.2.0/24, 198.51.100.7\n"
					"[2001:db8::]/32   # v6\n";
	static const char *const cidr = "10.1.0.0/16  OK\n"
					"# comment\n"
					"[fd00::]/8 REJECT\n";
	char text[512], err[2048], w[2048];
	struct fg_conf *c;
	struct fg_buf b, wb;
	struct fg_ip ip;
	FILE *f;

	f = fopen("/tmp/fg-test-nets", "w");
	ck_assert(f != NULL);
	fputs(nets, f);
	fclose(f);
	f = fopen("/tmp/fg-test-cidr", "w");
	ck_assert(f != NULL);
	fputs(cidr, f);
	fclose(f);
	snprintf(text, sizeof(text),
		 "trusted_networks = [::1]/128, 172.16.0.1/12, "
		 "/tmp/fg-test-nets cidr:/tmp/fg-test-cidr\n"
		 "local_addresses = [2001:db8::25] 192.0.2.25\n");
	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_conf_load_text("t", text, strlen(text), &c, &b) ==
			      FG_OK,
		      "%s", err);
	ck_assert_uint_eq(c->trusted_networks.n, 7);
	ck_assert_uint_eq(c->local_addresses.n, 2);
	ck_assert(fg_ipaddr_parse("172.31.255.1", 12, &ip) == FG_OK);
	ck_assert(fg_conf_net_in(&c->trusted_networks, &ip));
	ck_assert(fg_ipaddr_parse("fd12::1", 7, &ip) == FG_OK);
	ck_assert(fg_conf_net_in(&c->trusted_networks, &ip));
	ck_assert(fg_ipaddr_parse("2001:db8:ffff::1", 16, &ip) == FG_OK);
	ck_assert(fg_conf_net_in(&c->trusted_networks, &ip));
	ck_assert(fg_ipaddr_parse("10.2.0.1", 8, &ip) == FG_OK);
	ck_assert(!fg_conf_net_in(&c->trusted_networks, &ip));
	fg_buf_init(&wb, w, sizeof(w));
	(void)fg_conf_warnings(c, &wb);
	ck_assert_msg(strstr(w, "t:1: trusted_networks: \"172.16.0.1/12\" "
				"has host bits set: read as 172.16.0.0/12\n"),
		      "%s", w);
	fg_conf_unref(c);
	/* a bad line inside the list file is named by that file's line */
	f = fopen("/tmp/fg-test-nets", "w");
	ck_assert(f != NULL);
	fputs("192.0.2.0/24\n\nnot-a-net\n", f);
	fclose(f);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_conf_load_text("t", text, strlen(text), &c, &b) != FG_OK);
	ck_assert_msg(strstr(err, "/tmp/fg-test-nets:3: trusted_networks: "
				  "\"not-a-net\" is not a network"),
		      "%s", err);
	unlink("/tmp/fg-test-nets");
	unlink("/tmp/fg-test-cidr");
}
END_TEST

START_TEST(refcount)
{
	struct fg_conf *c;
	char err[256];

	ck_assert_int_eq(load("", &c, err, sizeof(err)), FG_OK);
	fg_conf_ref(c);
	fg_conf_unref(c);
	ck_assert(c->socket != NULL); /* still alive */
	fg_conf_unref(c);
	fg_conf_unref(NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, defaults);
	tcase_add_loop_test(tc, validate, 0, NCASES(cases));
	tcase_add_test(tc, bounds_stored);
	tcase_add_test(tc, policy_resolution);
	tcase_add_test(tc, sets);
	tcase_add_test(tc, login_map);
	tcase_add_test(tc, refcount);
	tcase_add_test(tc, warnings);
	tcase_add_test(tc, settings_printed);
	tcase_add_test(tc, postfix_lists);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
