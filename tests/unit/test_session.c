/* test_session - the stage machine with a fake MTA and a captured log */
#include "forgeguard/session.h"
#include "tcase.h"

static char logbuf[65536];
static size_t loglen;
static int nlines;

static void
capture(void *arg, enum fg_log_level level, const char *line, size_t len)
{
	if (loglen + len + 2 < sizeof(logbuf)) {
		memcpy(logbuf + loglen, line, len);
		loglen += len;
		logbuf[loglen++] = '\n';
		logbuf[loglen] = '\0';
	}
	nlines++;
}

struct macros {
	const char *addr, *name, *ptr, *auth, *j, *i;
};

static const char *
get(void *arg, const char *n)
{
	const struct macros *m = arg;

	if (!strcmp(n, "{client_addr}"))
		return m->addr;
	if (!strcmp(n, "{client_name}"))
		return m->name;
	if (!strcmp(n, "{client_ptr}"))
		return m->ptr;
	if (!strcmp(n, "{auth_authen}"))
		return m->auth;
	if (!strcmp(n, "j"))
		return m->j;
	if (!strcmp(n, "i"))
		return m->i;
	return NULL;
}

static struct fg_session *
start(const char *conftext, struct fg_conf **confp, struct fg_log **logp)
{
	struct fg_session *s;
	char err[1024];
	struct fg_buf b;

	loglen = 0;
	nlines = 0;
	logbuf[0] = '\0';
	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_conf_load_text("t", conftext, strlen(conftext), confp,
					&b) == FG_OK,
		      "%s", err);
	ck_assert(fg_log_new_callback(capture, NULL, logp) == FG_OK);
	ck_assert(fg_session_new(*confp, *logp, &s) == FG_OK);
	/* the session holds its own references */
	fg_conf_unref(*confp);
	fg_log_unref(*logp);
	return s;
}

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const char *ours = "local_domains = ours.example\n"
			  "local_hosts = mx.ours.example\n";

START_TEST(clean_transaction)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct macros mac = { "192.0.2.7",        "mail.example.net",
			      "mail.example.net", NULL,
			      "mx.ours.example",  "ABC123" };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;
	struct fg_eom_ops ops;

	fg_session_connect(s, "00000001", "mail.example.net", NULL, &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_helo(s, "mail.example.net", &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_mail(s, ARGV("<a@example.net>", "SIZE=100"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_data(s, &m, &v);
	fg_session_eom(s, &m, &v, &ops);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	ck_assert(ops.add_authres);
	ck_assert_msg(strstr(ops.authres, "iprev=pass policy.iprev=192.0.2.7"),
		      "%s", ops.authres);
	ck_assert_int_eq(nlines, 4); /* the summary waits for the edits */
	fg_session_eom_done(s, NULL, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	ck_assert_int_eq(nlines, 5); /* connect helo mail rcpt summary */
	ck_assert(strstr(logbuf, "ABC123: v=1 sid=00000001 stage=summary "
				 "end=eom") != NULL);
	fg_session_free(s);
}
END_TEST

START_TEST(helo_held_until_rcpt_postmaster_exempt)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct macros mac = { "192.0.2.7", "unknown",         "unknown",
			      NULL,        "mx.ours.example", NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_helo(s, "mx.ours.example", &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT); /* held */
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT); /* still held */
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert_str_eq(v.reply.rcode, "550");
	ck_assert(strstr(v.reply.text, "helo.impersonation") != NULL);
	fg_session_rcpt(s, ARGV("<postmaster@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_rcpt(s, ARGV("<Postmaster>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	/* postmaster of somebody else's domain is not exempt */
	fg_session_rcpt(s, ARGV("<postmaster@other.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert(strstr(logbuf, "exempt=postmaster") != NULL);
	fg_session_free(s);
	/* the unfinished transaction was summarised at close */
	ck_assert(strstr(logbuf, "stage=summary end=close") != NULL);
}
END_TEST

START_TEST(reject_stage_mail)
{
	struct fg_conf *c;
	struct fg_log *l;
	char conf[256];
	struct fg_session *s;
	struct macros mac = { "192.0.2.7", "unknown", "", NULL, NULL, NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	snprintf(conf, sizeof(conf), "%sreject_stage = mail\n", ours);
	s = start(conf, &c, &l);
	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_helo(s, "192.0.2.200", &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert(strstr(v.reply.text, "helo.bare_ip") != NULL);
	fg_session_abort(s);
	fg_session_free(s);
}
END_TEST

START_TEST(trusted_and_authenticated)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct macros mac = { "127.0.0.1", "localhost", "localhost",
			      NULL,        NULL,        NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	/* trusted network: HELO and local-domain sender not judged */
	fg_session_connect(s, "1", "localhost", NULL, &m, &v);
	fg_session_helo(s, "localhost", &m, &v);
	fg_session_mail(s, ARGV("<a@ours.example>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_abort(s);
	/* XCLIENT: a new, untrusted client on the same session */
	mac.addr = "203.0.113.5";
	mac.name = "unknown";
	fg_session_connect(s, "2", "[203.0.113.5]", NULL, &m, &v);
	fg_session_helo(s, "localhost", &m, &v);
	fg_session_mail(s, ARGV("<a@ours.example>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert(strstr(v.reply.text, "sender.local_forgery") != NULL);
	fg_session_abort(s);
	/* authenticated: same client, allowed */
	mac.auth = "alice";
	fg_session_mail(s, ARGV("<a@ours.example>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_free(s);
}
END_TEST

START_TEST(rcpt_limit_and_syntax)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start("max_recipients = 2\n", &c, &l);
	struct macros mac = { "192.0.2.7", "mail.example.net", "", NULL, NULL,
			      NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	fg_session_connect(s, "1", "mail.example.net", NULL, &m, &v);
	fg_session_helo(s, "mail.example.net", &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b1@example.org>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_rcpt(s, ARGV("<bad@@example.org>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert_str_eq(v.reply.xcode, "5.1.3");
	fg_session_rcpt(s, ARGV("<b2@example.org>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_rcpt(s, ARGV("<b3@example.org>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert_str_eq(v.reply.rcode, "452");
	ck_assert_str_eq(v.reply.xcode, "4.5.3");
	/* RSET then a second transaction starts counting afresh */
	fg_session_abort(s);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b1@example.org>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_free(s);
}
END_TEST

START_TEST(size_and_params)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start("max_message_size = 1k\n"
				     "reject_stage = mail\n",
				     &c, &l);
	struct macros mac = { "192.0.2.7", "mail.example.net", "", NULL, NULL,
			      NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	fg_session_connect(s, "1", "x", NULL, &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>", "SIZE=1024"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_mail(s, ARGV("<a@example.net>", "SIZE=1025"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert_str_eq(v.reply.rcode, "552");
	fg_session_mail(s, ARGV("<a@example.net>", "SIZE=12x"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert_str_eq(v.reply.xcode, "5.1.7");
	fg_session_mail(s, ARGV("<\xc3\xb1@example.net>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	fg_session_mail(s, ARGV("<\xc3\xb1@example.net>", "SMTPUTF8"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	/* a bare <Postmaster> is a recipient, never a sender */
	fg_session_mail(s, ARGV("<Postmaster>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert(strstr(v.reply.text, "only a recipient") != NULL);
	fg_session_free(s);
}
END_TEST

START_TEST(missing_macros_and_nulls)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct fg_macros none = { NULL, NULL };
	struct fg_verdict v;
	struct fg_eom_ops ops;
	struct fg_ip ip;

	ck_assert(fg_ipaddr_parse("198.51.100.3", 12, &ip) == FG_OK);
	/* no macros at all: the connect arguments are used */
	fg_session_connect(s, "1", "[198.51.100.3]", &ip, &none, &v);
	fg_session_helo(s, "", NULL, &v);
	fg_session_mail(s, ARGV(""), NULL, &v);
	fg_session_rcpt(s, ARGV(""), NULL, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	fg_session_eom(s, NULL, &v, &ops);
	fg_session_eom_done(s, NULL, &v);
	ck_assert(strstr(logbuf, "client=unknown[198.51.100.3]") != NULL);
	/* eom and abort with no transaction are harmless */
	fg_session_abort(s);
	fg_session_eom(s, NULL, &v, &ops);
	fg_session_eom_done(s, NULL, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_free(s);
	fg_session_free(NULL);
}
END_TEST

START_TEST(dry_run_logs_would)
{
	struct fg_conf *c;
	struct fg_log *l;
	char conf[256];
	struct fg_session *s;
	struct macros mac = { "192.0.2.7", "unknown", "", NULL, NULL, NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	snprintf(conf, sizeof(conf), "%smode = dry-run\n", ours);
	s = start(conf, &c, &l);
	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_helo(s, "mx.ours.example", &m, &v);
	fg_session_mail(s, ARGV("<a@ours.example>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_LOG);
	ck_assert_int_eq(v.would, FG_ACT_REJECT);
	ck_assert(strstr(logbuf, "action=log would=reject") != NULL);
	fg_session_free(s);
}
END_TEST

START_TEST(unknown_command)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start("", &c, &l);
	struct fg_verdict v;
	char *cmd = big(5000, 'T');

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, NULL, &v);
	fg_session_unknown(s, "TURN", &v);
	ck_assert_int_eq(v.action, FG_ACT_LOG);
	ck_assert(strstr(logbuf, "stage=unknown") != NULL);
	ck_assert(strstr(logbuf, "cmd=TURN") != NULL);
	fg_session_unknown(s, cmd, &v);
	ck_assert(strstr(logbuf, "cmd=TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT ") !=
		  NULL);
	free(cmd);
	fg_session_free(s);
}
END_TEST

START_TEST(unknown_command_disabled)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s =
		start("disabled_checks = smtp.unknown_command\n", &c, &l);
	struct fg_verdict v;

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, NULL, &v);
	fg_session_unknown(s, "TURN", &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	/* the verb still comes from the command, not an empty list */
	ck_assert_msg(strstr(logbuf, "cmd=TURN findings=none") != NULL, "%s",
		      logbuf);
	fg_session_free(s);
}
END_TEST

START_TEST(quarantine_at_eom)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s =
		start("action.client.fcrdns = quarantine\n", &c, &l);
	struct macros mac = { "192.0.2.7", "unknown", "", NULL, NULL, NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;
	struct fg_eom_ops ops;

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_helo(s, "mail.example.net", &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@example.org>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_QUARANTINE);
	fg_session_eom(s, &m, &v, &ops);
	ck_assert(ops.quarantine);
	ck_assert_str_eq(ops.quarantine_reason,
			 "forgeguard: client.fcrdns=none");
	ck_assert(strstr(ops.authres, "iprev=permerror") != NULL);
	fg_session_eom_done(s, NULL, &v);
	ck_assert_int_eq(v.action, FG_ACT_QUARANTINE);
	fg_session_free(s);
}
END_TEST

START_TEST(internal_error_tempfails)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start("mode = dry-run\n", &c, &l);
	struct fg_verdict v;

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, NULL, &v);
	fg_session_internal(s, FG_STAGE_HELO, "test failure", &v);
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert_str_eq(v.reply.rcode, "451");
	ck_assert(strstr(logbuf, "internal:temperror") != NULL);
	/* logged with the stage it happened in */
	ck_assert(strstr(logbuf, "stage=helo") != NULL);
	fg_session_free(s);
}
END_TEST

/* realloc, failing on demand: linked with --wrap=realloc */
static int realloc_fails;
void *__real_realloc(void *p, size_t n);
void *__wrap_realloc(void *p, size_t n);

void *
__wrap_realloc(void *p, size_t n)
{
	return realloc_fails ? NULL : __real_realloc(p, n);
}

START_TEST(header_failure_tempfails_at_eoh)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct macros mac = { "192.0.2.7", "mail.example.net", "", NULL, NULL,
			      "4Q1" };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_helo(s, "mail.example.net", &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	realloc_fails = 1;
	fg_session_header(s, "Received",
			  "from a.example.net by mail.example.net; "
			  "Tue, 14 Nov 2023 22:13:20 +0000",
			  &v);
	realloc_fails = 0;
	/* the MTA may not wait for a reply per field: nothing refused yet */
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_header(s, "From", "<a@example.net>", &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_eoh(s, &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert_str_eq(v.reply.rcode, "451");
	ck_assert(strstr(logbuf, "internal:temperror") != NULL);
	ck_assert(strstr(logbuf, "keeping a header field") != NULL);
	/* the next transaction starts clean */
	fg_session_abort(s);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	fg_session_header(s, "From", "<a@example.net>", &v);
	fg_session_eoh(s, &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_session_free(s);
}
END_TEST

/* fake_dns - a resolver for SPF: records given as NAME TYPE TEXT */
static struct fg_dns *
fake_dns(const char *const *recs)
{
	struct fg_dns *d;

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	for (; recs[0] != NULL; recs += 3)
		ck_assert(fg_dns_fake_add(d, recs[0],
					  (enum fg_dns_type)atoi(recs[1]),
					  recs[2]) == FG_OK);
	return d;
}

/* Defect 1 (issue 11): a reconnect (XCLIENT) kept the HELO name and its
 * SPF pass, so the new client's null sender passed SPF on them. */
START_TEST(reconnect_forgets_helo_and_its_spf)
{
	static const char *const recs[] = { "helo.example.net", "16",
					    "v=spf1 ip4:192.0.2.7 -all", NULL };
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct fg_dns *d = fake_dns(recs);
	struct macros one = { "192.0.2.7", "unknown", "", NULL, NULL, "Q1" };
	struct macros two = { "198.51.100.9", "unknown", "", NULL, NULL, "Q2" };
	struct fg_macros m1 = { get, &one }, m2 = { get, &two };
	struct fg_verdict v;
	struct fg_eom_ops ops;
	size_t mark;

	fg_session_set_engines(s, NULL, d);
	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m1, &v);
	fg_session_helo(s, "helo.example.net", &m1, &v);
	ck_assert_msg(strstr(logbuf, "spf.helo:pass") != NULL, "%s", logbuf);
	fg_session_connect(s, "2", "[198.51.100.9]", NULL, &m2, &v);
	mark = loglen;
	fg_session_mail(s, ARGV("<>"), &m2, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m2, &v);
	fg_session_eom(s, &m2, &v, &ops);
	ck_assert_msg(strstr(logbuf + mark, "spf.mailfrom") == NULL, "%s",
		      logbuf + mark);
	ck_assert_msg(strstr(logbuf + mark, "helo=") == NULL, "%s",
		      logbuf + mark);
	ck_assert_msg(strstr(ops.authres, "spf=") == NULL, "%s", ops.authres);
	ck_assert_msg(strstr(ops.authres, "helo.example.net") == NULL, "%s",
		      ops.authres);
	fg_session_eom_done(s, NULL, &v);
	fg_session_free(s);
	fg_dns_free(d);
}
END_TEST

/* Defect 2 (issue 11): a failed SPF lookup that could have exempted a
 * local From: must defer the refusal, not make it permanent. */
START_TEST(failed_lookup_defers_a_reject)
{
	static const char *const recs[] = { "ours.example", "0", "TIMEOUT",
					    NULL };
	static const char *const conf = "local_domains = sub.ours.example\n"
					"action.spf.mailfrom.temperror = log\n";
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(conf, &c, &l);
	struct fg_dns *d = fake_dns(recs);
	struct macros mac = { "203.0.113.5", "unknown", "", NULL, NULL, "Q3" };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;
	struct fg_eom_ops ops;

	fg_session_set_engines(s, NULL, d);
	fg_session_connect(s, "1", "[203.0.113.5]", NULL, &m, &v);
	fg_session_helo(s, "mail.example.net", &m, &v);
	fg_session_mail(s, ARGV("<bounce@ours.example>"), &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_LOG);
	ck_assert(strstr(logbuf, "spf.mailfrom:temperror") != NULL);
	fg_session_rcpt(s, ARGV("<bob@sub.ours.example>"), &m, &v);
	fg_session_header(s, "From", " <ceo@sub.ours.example>", &v);
	fg_session_eoh(s, &m, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	/* judged at end of message, where DKIM is known */
	fg_session_eom(s, &m, &v, &ops);
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert(v.has_reply);
	ck_assert_str_eq(v.reply.rcode, "451");
	ck_assert_msg(v.reply.xcode[0] == '4', "%s", v.reply.xcode);
	ck_assert_msg(strstr(v.reply.text, "header.local_forgery") != NULL &&
			      strstr(v.reply.text,
				     "spf.mailfrom lookup failed") != NULL,
		      "%s", v.reply.text);
	fg_session_abort(s);

	/* the same From: when the envelope domain does not align: SPF
	 * could not have exempted it, the refusal stands */
	fg_session_mail(s, ARGV("<bounce@other.example>"), &m, &v);
	fg_session_rcpt(s, ARGV("<bob@sub.ours.example>"), &m, &v);
	fg_session_header(s, "From", " <ceo@sub.ours.example>", &v);
	fg_session_eoh(s, &m, &v);
	fg_session_eom(s, &m, &v, &ops);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert_str_eq(v.reply.rcode, "550");
	fg_session_free(s);
	fg_dns_free(d);
}
END_TEST

/* Defect 3 (issue 11): the summary was written before the header edits,
 * and a failed edit added a line "stage=connect" without the queue id. */
START_TEST(eom_summary_tells_what_happened)
{
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct macros mac = { "192.0.2.7", "mail.example.net", "", NULL, NULL,
			      "4QEOM" };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;
	struct fg_eom_ops ops;
	int before;

	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_helo(s, "mail.example.net", &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	fg_session_header(s, "From", " <a@example.net>", &v);
	fg_session_eoh(s, &m, &v);
	fg_session_eom(s, &m, &v, &ops);
	/* the checks of end of message have their line; the summary waits */
	ck_assert(strstr(logbuf, "stage=eom") != NULL);
	ck_assert(strstr(logbuf, "stage=summary") == NULL);
	ck_assert(ops.add_authres);
	before = nlines;
	fg_session_eom_done(s, "smfi_insheader failed", &v);
	ck_assert_int_eq(nlines, before + 1); /* one summary line */
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert_str_eq(v.reply.rcode, "451");
	ck_assert_msg(strstr(logbuf,
			     "4QEOM: v=1 sid=1 stage=summary end=eom") != NULL,
		      "%s", logbuf);
	ck_assert(strstr(logbuf, "internal:temperror") != NULL);
	ck_assert(strstr(logbuf, "smfi_insheader failed") != NULL);
	ck_assert(strstr(logbuf, "action=tempfail") != NULL);
	ck_assert(strstr(logbuf, "stage=connect findings=internal") == NULL);
	fg_session_free(s);
}
END_TEST

/* The author's _dmarc record is asked for at end of headers, while the
 * body still has to come; not when DMARC is off, the client trusted,
 * or the From: has no single author; an abort releases the question. */
START_TEST(dmarc_policy_asked_at_end_of_headers)
{
	static const char *const recs[] = { "_dmarc.reject.example", "16",
					    "v=DMARC1; p=reject", NULL };
	static const char *const confs[] = {
		"local_domains = ours.example\n",
		"local_domains = ours.example\ndisabled_checks = dmarc\n",
		("local_domains = ours.example\n"
		 "trusted_networks = 192.0.2.0/24\n"),
	};
	static const unsigned long want[] = { 1, 0, 0 };
	size_t k;

	for (k = 0; k < NCASES(confs); k++) {
		struct fg_conf *c;
		struct fg_log *l;
		struct fg_session *s = start(confs[k], &c, &l);
		struct fg_dns *d = fake_dns(recs);
		struct macros mac = { "192.0.2.7", "unknown", "",
				      NULL,        NULL,      "QD" };
		struct fg_macros m = { get, &mac };
		struct fg_verdict v;
		struct fg_eom_ops ops;
		unsigned long q0;

		fg_session_set_engines(s, NULL, d);
		fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
		fg_session_helo(s, "mail.example.net", &m, &v);
		fg_session_mail(s, ARGV("<>"), &m, &v);
		fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
		fg_session_header(s, "From", " <ceo@reject.example>", &v);
		q0 = fg_dns_queries(d);
		fg_session_eoh(s, &m, &v);
		ck_assert_msg(fg_dns_queries(d) - q0 == want[k],
			      "config %zu: %lu questions at end of headers", k,
			      fg_dns_queries(d) - q0);
		fg_session_eom(s, &m, &v, &ops);
		if (k == 0)
			ck_assert_int_eq(v.action, FG_ACT_REJECT);
		fg_session_eom_done(s, NULL, &v);
		/* asked, then aborted before end of message */
		fg_session_mail(s, ARGV("<>"), &m, &v);
		fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
		fg_session_header(s, "From", " <ceo@reject.example>", &v);
		fg_session_eoh(s, &m, &v);
		fg_session_abort(s);
		fg_session_free(s);
		fg_dns_free(d);
	}
}
END_TEST

START_TEST(header_values_without_leading_space)
{
	/* an MTA that did not agree to SMFIP_HDR_LEADSPC: one space is put
	 * back, and the facts read the same */
	struct fg_conf *c;
	struct fg_log *l;
	struct fg_session *s = start(ours, &c, &l);
	struct macros mac = { "192.0.2.7", "mail.example.net", "", NULL, NULL,
			      NULL };
	struct fg_macros m = { get, &mac };
	struct fg_verdict v;
	struct fg_eom_ops ops;

	fg_session_set_lead_space(s, 0);
	fg_session_connect(s, "1", "[192.0.2.7]", NULL, &m, &v);
	fg_session_mail(s, ARGV("<a@example.net>"), &m, &v);
	fg_session_rcpt(s, ARGV("<b@ours.example>"), &m, &v);
	fg_session_header(s, "From", "<ceo@ours.example>", &v);
	fg_session_header(s, "Authentication-Results",
			  "mx.replay.example; spf=pass", &v);
	fg_session_eoh(s, &m, &v);
	fg_session_eom(s, &m, &v, &ops);
	ck_assert_int_eq(v.action, FG_ACT_REJECT); /* header.local_forgery */
	fg_session_abort(s);
	fg_session_free(s);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, clean_transaction);
	tcase_add_test(tc, helo_held_until_rcpt_postmaster_exempt);
	tcase_add_test(tc, reject_stage_mail);
	tcase_add_test(tc, trusted_and_authenticated);
	tcase_add_test(tc, rcpt_limit_and_syntax);
	tcase_add_test(tc, size_and_params);
	tcase_add_test(tc, missing_macros_and_nulls);
	tcase_add_test(tc, dry_run_logs_would);
	tcase_add_test(tc, unknown_command);
	tcase_add_test(tc, unknown_command_disabled);
	tcase_add_test(tc, quarantine_at_eom);
	tcase_add_test(tc, internal_error_tempfails);
	tcase_add_test(tc, header_failure_tempfails_at_eoh);
	tcase_add_test(tc, reconnect_forgets_helo_and_its_spf);
	tcase_add_test(tc, failed_lookup_defers_a_reject);
	tcase_add_test(tc, eom_summary_tells_what_happened);
	tcase_add_test(tc, header_values_without_leading_space);
	tcase_add_test(tc, dmarc_policy_asked_at_end_of_headers);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
