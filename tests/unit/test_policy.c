/* test_policy - action order, dry-run, internal errors, deciders */
#include "forgeguard/policy.h"
#include "tcase.h"

static struct fg_conf *
conf_of(const char *text)
{
	struct fg_conf *c;
	char err[1024];
	struct fg_buf b;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_conf_load_text("t", text, strlen(text), &c, &b) ==
			      FG_OK,
		      "%s", err);
	return c;
}

START_TEST(strongest_wins)
{
	struct fg_conf *c = conf_of("");
	struct fg_findings f;
	struct fg_verdict v;

	fg_findings_reset(&f);
	fg_findings_add(&f, FG_CHK_HELO_NOT_FQDN, FG_R_INVALID, "x", FG_NOPOS,
			"h", 1); /* log */
	fg_findings_add(&f, FG_CHK_RCPT_LIMIT, FG_R_FAIL, "x", FG_NOPOS, "5",
			1); /* tempfail */
	fg_findings_add(&f, FG_CHK_HELO_SYNTAX, FG_R_INVALID, "x", FG_NOPOS,
			"b h", 3); /* reject */
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.action, FG_ACT_REJECT);
	ck_assert_int_eq(v.decider, 2);
	ck_assert(v.has_reply);
	ck_assert_str_eq(v.reply.rcode, "550");
	ck_assert(strstr(v.reply.text, "b h") != NULL);
	fg_conf_unref(c);
}
END_TEST

START_TEST(first_of_equals_decides)
{
	struct fg_conf *c = conf_of("");
	struct fg_findings f;
	struct fg_verdict v;

	fg_findings_reset(&f);
	fg_findings_add(&f, FG_CHK_HELO_IMPERSONATION, FG_R_FORGED, "x",
			FG_NOPOS, "a", 1);
	fg_findings_add(&f, FG_CHK_HELO_BARE_IP, FG_R_INVALID, "x", FG_NOPOS,
			"a", 1);
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.decider, 0);
	ck_assert(strstr(v.reply.text, "helo.impersonation") != NULL);
	fg_conf_unref(c);
}
END_TEST

START_TEST(nothing_found)
{
	struct fg_conf *c = conf_of("");
	struct fg_findings f;
	struct fg_verdict v;

	fg_findings_reset(&f);
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	ck_assert_int_eq(v.decider, -1);
	ck_assert(!v.has_reply);
	fg_findings_add(&f, FG_CHK_HELO_SYNTAX, FG_R_PASS, NULL, FG_NOPOS, "",
			0);
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.action, FG_ACT_ACCEPT);
	fg_conf_unref(c);
}
END_TEST

START_TEST(dry_run_global)
{
	struct fg_conf *c = conf_of("mode = dry-run\n");
	struct fg_findings f;
	struct fg_verdict v;

	fg_findings_reset(&f);
	fg_findings_add(&f, FG_CHK_HELO_SYNTAX, FG_R_INVALID, "x", FG_NOPOS,
			"a", 1);
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.action, FG_ACT_LOG);
	ck_assert_int_eq(v.would, FG_ACT_REJECT);
	fg_conf_unref(c);
}
END_TEST

START_TEST(dry_run_per_check)
{
	struct fg_conf *c = conf_of("dry_run.helo.syntax = yes\n");
	struct fg_findings f;
	struct fg_verdict v;

	fg_findings_reset(&f);
	fg_findings_add(&f, FG_CHK_HELO_SYNTAX, FG_R_INVALID, "x", FG_NOPOS,
			"a", 1);
	fg_findings_add(&f, FG_CHK_RCPT_LIMIT, FG_R_FAIL, "x", FG_NOPOS, "1",
			1);
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert_int_eq(v.would, FG_ACT_REJECT);
	fg_conf_unref(c);
}
END_TEST

START_TEST(internal_never_accepts)
{
	struct fg_conf *c = conf_of("action.internal = accept\n"
				    "mode = dry-run\n");
	struct fg_findings f;
	struct fg_verdict v;

	fg_findings_reset(&f);
	fg_findings_add(&f, FG_CHK_INTERNAL, FG_R_TEMPERROR, "boom", FG_NOPOS,
			"", 0);
	fg_policy_decide(c, &f, &v);
	ck_assert_int_eq(v.action, FG_ACT_TEMPFAIL);
	ck_assert(v.has_reply);
	ck_assert_str_eq(v.reply.rcode, "451");
	ck_assert_str_eq(v.reply.xcode, "4.3.0");
	fg_conf_unref(c);
}
END_TEST

START_TEST(findings_bounded)
{
	struct fg_findings f;
	char *v = big(5000, 'x');
	int k;

	fg_findings_reset(&f);
	for (k = 0; k < FG_FINDINGS_MAX + 3; k++)
		fg_findings_add(&f, FG_CHK_HELO_SYNTAX, FG_R_PASS, NULL,
				FG_NOPOS, v, 5000);
	ck_assert_uint_eq(f.n, FG_FINDINGS_MAX);
	ck_assert_uint_eq(f.dropped, 3);
	ck_assert_uint_eq(f.v[0].vlen, FG_REPLY_VALUE_MAX);
	ck_assert(f.v[0].cut);
	free(v);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, strongest_wins);
	tcase_add_test(tc, first_of_equals_decides);
	tcase_add_test(tc, nothing_found);
	tcase_add_test(tc, dry_run_global);
	tcase_add_test(tc, dry_run_per_check);
	tcase_add_test(tc, internal_never_accepts);
	tcase_add_test(tc, findings_bounded);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
