/* test_registry - checks.def: every check has its catalogue entry, its
 * stage and its function; the registry runs a stage's checks in order and
 * never one that is disabled */
#include "forgeguard/checks.h"
#include "tcase.h"

/* stage_runs - stages whose checks the registry runs */
static int
stage_runs(enum fg_stage st)
{
	return st == FG_STAGE_CONNECT || st == FG_STAGE_HELO ||
	       st == FG_STAGE_MAIL || st == FG_STAGE_RCPT ||
	       st == FG_STAGE_HEADER || st == FG_STAGE_EOM ||
	       st == FG_STAGE_UNKNOWN;
}

START_TEST(every_id_is_complete)
{
	int id, other;

	for (id = 0; id < FG_CHK_COUNT; id++) {
		const struct fg_catalog_check *c = fg_catalog_get(id);

		ck_assert_msg(c->name != NULL && c->name[0] != '\0',
			      "check %d has no catalogue entry", id);
		ck_assert_msg(c->doc != NULL && c->doc[0] != '\0',
			      "%s: no documentation", c->name);
		ck_assert_msg(c->results != 0, "%s: no results", c->name);
		ck_assert_msg((c->wild & ~c->results) == 0,
			      "%s: a wild result it cannot produce", c->name);
		ck_assert_msg(fg_catalog_find(c->name, strlen(c->name)) == id,
			      "%s: not found by its own name", c->name);
		for (other = 0; other < id; other++)
			ck_assert_msg(strcmp(fg_catalog_get(other)->name,
					     c->name) != 0,
				      "%s: listed twice", c->name);
		if (id == FG_CHK_INTERNAL) {
			/* the session reports it; no function runs it */
			ck_assert(fg_registry_fn(id) == NULL);
			continue;
		}
		ck_assert_msg(stage_runs(c->stage), "%s: no stage runs it",
			      c->name);
		ck_assert_msg(fg_registry_fn(id) != NULL,
			      "%s: no function emits it", c->name);
	}
}
END_TEST

START_TEST(rules_are_results_of_the_check)
{
	int id;

	for (id = 0; id < FG_CHK_COUNT; id++) {
		const struct fg_catalog_check *c = fg_catalog_get(id);
		size_t k;

		for (k = 0;
		     k < FG_CATALOG_RULES_MAX && c->rules[k].reply != NULL; k++)
			ck_assert_msg(c->results & FG_RBIT(c->rules[k].result),
				      "%s: a rule for a result it never has",
				      c->name);
	}
}
END_TEST

/* A connection from a trusted network, so client.trusted speaks. */
static void
ctx_trusted(struct fg_check_ctx *c, struct fg_conn_facts *f,
	    struct fg_conf **conf, const char *text)
{
	char err[512];
	struct fg_buf b;
	struct fg_ip ip;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_conf_load_text("t", text, strlen(text), conf, &b) ==
			      FG_OK,
		      "%s", err);
	ck_assert(fg_ipaddr_parse("127.0.0.1", 9, &ip) == FG_OK);
	memset(c, 0, sizeof(*c));
	memset(f, 0, sizeof(*f));
	fg_checks_client(*conf, "localhost", &ip, NULL, "localhost", NULL, NULL,
			 NULL, &f->client);
	c->conf = *conf;
	c->conn = f;
}

START_TEST(disabled_checks_do_not_run)
{
	struct fg_check_ctx c;
	struct fg_conn_facts f;
	struct fg_findings out;
	struct fg_conf *conf;

	ctx_trusted(&c, &f, &conf, "");
	fg_findings_reset(&out);
	fg_registry_run(FG_STAGE_CONNECT, &c, &out);
	ck_assert_uint_eq(out.n, 1);
	ck_assert_int_eq(out.v[0].check, FG_CHK_CLIENT_TRUSTED);
	fg_conf_unref(conf);

	ctx_trusted(&c, &f, &conf, "disabled_checks = client.trusted\n");
	fg_findings_reset(&out);
	fg_registry_run(FG_STAGE_CONNECT, &c, &out);
	ck_assert_uint_eq(out.n, 0);
	fg_conf_unref(conf);
}
END_TEST

START_TEST(helo_checks_run_in_list_order)
{
	struct fg_check_ctx c;
	struct fg_conn_facts f;
	struct fg_findings out;
	struct fg_conf *conf;

	ctx_trusted(&c, &f, &conf, "trusted_networks = 10.0.0.0/8\n");
	fg_checks_helo_facts(&f, "[192.0.2.1]");
	fg_findings_reset(&out);
	fg_registry_run(FG_STAGE_HELO, &c, &out);
	/* impersonation first: it decides among equal refusals */
	ck_assert_uint_eq(out.n, 3);
	ck_assert_int_eq(out.v[0].check, FG_CHK_HELO_IMPERSONATION);
	ck_assert_int_eq(out.v[1].check, FG_CHK_HELO_SYNTAX);
	ck_assert_int_eq(out.v[2].check, FG_CHK_HELO_LITERAL_MISMATCH);
	ck_assert_int_eq(out.v[2].result, FG_R_MISMATCH);
	fg_conf_unref(conf);
}
END_TEST

START_TEST(body_asked_for_only_when_read)
{
	static const char off[] = "disabled_checks = dkim arc\n";
	static const char arc[] = "disabled_checks = dkim\n";
	struct fg_conf *conf;
	char err[256];
	struct fg_buf b;

	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_conf_load_text("t", "", 0, &conf, &b) == FG_OK);
	ck_assert(fg_registry_needs_body(conf)); /* dkim reads it */
	fg_conf_unref(conf);
	ck_assert(fg_conf_load_text("t", off, sizeof(off) - 1, &conf, &b) ==
		  FG_OK);
	ck_assert(!fg_registry_needs_body(conf));
	fg_conf_unref(conf);
	/* an ARC-Message-Signature hashes the body too */
	ck_assert(fg_conf_load_text("t", arc, sizeof(arc) - 1, &conf, &b) ==
		  FG_OK);
	ck_assert(fg_registry_needs_body(conf));
	fg_conf_unref(conf);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_id_is_complete);
	tcase_add_test(tc, rules_are_results_of_the_check);
	tcase_add_test(tc, disabled_checks_do_not_run);
	tcase_add_test(tc, helo_checks_run_in_list_order);
	tcase_add_test(tc, body_asked_for_only_when_read);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
