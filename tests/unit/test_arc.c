/* test_arc - ARC fields parsed, chains judged for form and validated,
 * hostile chains bounded.  tests/data/arc holds two chains of the ARC
 * test suite (cv_pass_i2_1 and cv_pass_i2_1_ams1_invalid), sealed with
 * its 1024-bit "dummy" key. */
#include <stdint.h>

#include "forgeguard/arc.h"
#include "forgeguard/deadline.h"
#include "forgeguard/split.h"
#include "../common/arckey.h"
#include "msgsplit.h"
#include "tcase.h"

/* ---- the three kinds of signature field ---------------------------------- */

static const struct {
	const char *name, *in;
	enum fg_sigkind kind;
	const char *why; /* NULL: parses */
} sigs[] = {
	{ "AMS without v=",
	  "i=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=dGVzdA==; "
	  "b=dGVzdA==",
	  FG_SIG_AMS, NULL },
	{ "AMS with an empty h=",
	  "i=1; a=rsa-sha256; d=x.example; s=s; h=; bh=dGVzdA==; b=dGVzdA==",
	  FG_SIG_AMS, NULL },
	{ "AMS h= without From",
	  "i=1; a=rsa-sha256; d=x.example; s=s; h=to::subject; bh=dGVzdA==; "
	  "b=dGVzdA==",
	  FG_SIG_AMS, NULL },
	{ "AMS h= naming ARC-Seal",
	  "i=1; a=rsa-sha256; d=x.example; s=s; h=from:ARC-Seal; bh=dGVzdA==; "
	  "b=dGVzdA==",
	  FG_SIG_AMS, "h= names ARC-Seal" },
	{ "AMS i= not a number",
	  "i=one; a=rsa-sha256; d=x.example; s=s; h=from; bh=dGVzdA==; "
	  "b=dGVzdA==",
	  FG_SIG_AMS, "i= is not an instance number" },
	{ "AMS i= of twelve digits",
	  "i=999999999999; a=rsa-sha256; d=x.example; s=s; h=from; "
	  "bh=dGVzdA==; b=dGVzdA==",
	  FG_SIG_AMS, "i= is not an instance number" },
	{ "AMS without i=",
	  "a=rsa-sha256; d=x.example; s=s; h=from; bh=dGVzdA==; b=dGVzdA==",
	  FG_SIG_AMS, "a required tag is missing" },
	{ "AMS with ;;",
	  "i=1; a=rsa-sha256; d=x.example; s=s;; h=from; bh=dGVzdA==; "
	  "b=dGVzdA==",
	  FG_SIG_AMS, "empty tag (\";;\")" },
	{ "DKIM keeps ;; (the field's leniency)",
	  "v=1; a=rsa-sha256; d=x.example; s=s;; h=from; bh=dGVzdA==; "
	  "b=dGVzdA==",
	  FG_SIG_DKIM, NULL },
	{ "AS", "i=2; a=rsa-sha256; cv=pass; d=x.example; s=s; b=dGVzdA==",
	  FG_SIG_AS, NULL },
	{ "AS with h=",
	  "i=2; a=rsa-sha256; cv=pass; d=x.example; s=s; h=from; b=dGVzdA==",
	  FG_SIG_AS, "an ARC-Seal has no h=" },
	{ "AS without cv=", "i=2; a=rsa-sha256; d=x.example; s=s; b=dGVzdA==",
	  FG_SIG_AS, "a required tag is missing" },
	{ "AS cv=maybe",
	  "i=2; a=rsa-sha256; cv=maybe; d=x.example; s=s; b=dGVzdA==",
	  FG_SIG_AS, "cv= is not none, pass or fail" },
	{ "AS t= of twelve digits and more",
	  "i=2; a=rsa-sha256; cv=pass; d=x.example; s=s; t=1234567890123; "
	  "b=dGVzdA==",
	  FG_SIG_AS, "t= is not a time" },
};

START_TEST(signature_kinds)
{
	struct fg_dkimsig s;
	enum fg_err e = fg_sig_parse(sigs[_i].in, strlen(sigs[_i].in),
				     sigs[_i].kind, &s);

	if (sigs[_i].why == NULL)
		ck_assert_msg(e == FG_OK, "%s: refused: %s", sigs[_i].name,
			      s.why);
	else
		ck_assert_msg(e != FG_OK && strcmp(s.why, sigs[_i].why) == 0,
			      "%s: got %d (%s), want %s", sigs[_i].name, e,
			      e != FG_OK ? s.why : "", sigs[_i].why);
}
END_TEST

START_TEST(seal_facts)
{
	static const char in[] = " i=3; a=rsa-sha256; cv=Pass; d=X.Example; "
				 "s=Sel; c=simple/simple; b=dGVzdA==";
	struct fg_dkimsig s;

	ck_assert(fg_sig_parse(in, sizeof(in) - 1, FG_SIG_AS, &s) == FG_OK);
	ck_assert_uint_eq(s.inst, 3);
	ck_assert_int_eq(s.cv, FG_CV_PASS);
	ck_assert_str_eq(s.d, "x.example");
	ck_assert_str_eq(s.s, "Sel");
	/* a seal is relaxed whatever c= says (RFC 8617 4.1.3) */
	ck_assert_int_eq(s.hcanon, FG_CANON_RELAXED);
	ck_assert_int_eq(s.bhlen, 0);
}
END_TEST

static const struct {
	const char *in;
	unsigned inst;
} aars[] = {
	{ "i=1; lists.example.org; spf=pass", 1 },
	{ " i = 50 ;x", 50 },
	{ "\r\n\ti=7;", 7 },
	{ "lists.example.org; i=1;", 0 }, /* not first */
	{ "i=1 lists.example.org;", 0 }, /* no ";" */
	{ "i=;", 0 },
	{ "i=123456;", 0 },
	{ "I=1;", 0 },
	{ "", 0 },
};

START_TEST(aar_instances)
{
	ck_assert_msg(fg_arc_aar_instance(aars[_i].in, strlen(aars[_i].in)) ==
			      aars[_i].inst,
		      "[%s]: want %u", aars[_i].in, aars[_i].inst);
}
END_TEST

/* ---- chains --------------------------------------------------------------- */

/* validate - the chain of m, with a resolver holding the dummy key (or a
 * key lookup that times out) */
static void
validate(struct tmsg *m, int key, struct fg_arc *a,
	 const struct fg_nameset *trusted)
{
	struct fg_dns *dns;
	struct fg_dkim *d = fg_dkim_new();
	struct fg_dkim_opts o = { .max_signatures = 10,
				  .min_rsa_bits = 1024,
				  .now = 1600000000,
				  .skew = 3600,
				  .arc_room = FG_ARC_SIGS_MAX };

	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "dummy._domainkey.example.org",
				  key ? FG_DNS_TXT : 0,
				  key ? arc_dummy_key : "TIMEOUT") == FG_OK);
	fg_arc_init(a);
	fg_dkim_headers(d, &m->h, &o, dns, NULL);
	fg_arc_headers(a, d, &m->h);
	fg_dkim_body(d, m->body, m->n);
	fg_dkim_finish(d, fg_deadline_after(1000));
	fg_arc_finish(a, d, trusted);
	fg_dkim_free(d);
	fg_dns_free(dns);
}

START_TEST(two_sets_pass)
{
	char *names[] = { "example.org" };
	struct fg_nameset trusted = { names, 1 };
	struct tmsg m;
	struct fg_arc a;
	char log[512];

	tmsg_load("arc", "pass_i2.eml", "", &m);
	validate(&m, 1, &a, &trusted);
	ck_assert_msg(a.result == FG_ARC_PASS, "%s", a.reason);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(a.oldest_pass, 0);
	ck_assert_str_eq(a.sets[1].d, "example.org");
	ck_assert_str_eq(a.sets[1].authserv_id, "lists.example.org");
	/* the newest trusted sealer, and what its AAR says */
	ck_assert_int_eq(a.trusted, 2);
	ck_assert(a.sets[1].spf_pass && a.sets[1].dkim_pass &&
		  a.sets[1].dmarc_pass);
	fg_arc_sets_text(&a, log, sizeof(log));
	ck_assert_str_eq(log, "1:example.org/dummy:pass/pass:none,"
			      "2:example.org/dummy:pass/pass:pass;"
			      "oldest-pass=0;"
			      "trusted=2:example.org:+spf=pass+dkim=pass+"
			      "dmarc=pass");
	fg_arc_fini(&a);
	tmsg_free(&m);
}
END_TEST

START_TEST(untrusted_sealer_is_not_believed)
{
	char *names[] = { "other.example" };
	struct fg_nameset trusted = { names, 1 };
	struct tmsg m;
	struct fg_arc a;

	tmsg_load("arc", "pass_i2.eml", "", &m);
	validate(&m, 1, &a, &trusted);
	ck_assert(a.result == FG_ARC_PASS);
	ck_assert_int_eq(a.trusted, 0);
	fg_arc_fini(&a);
	tmsg_free(&m);
}
END_TEST

START_TEST(oldest_pass)
{
	struct tmsg m;
	struct fg_arc a;

	/* From: changed after the first hop: AMS 1 fails, the chain holds */
	tmsg_load("arc", "pass_i2_ams1_invalid.eml", "", &m);
	validate(&m, 1, &a, NULL);
	ck_assert_msg(a.result == FG_ARC_PASS, "%s", a.reason);
	ck_assert_uint_eq(a.oldest_pass, 2);
	ck_assert_int_eq(a.sets[0].ams, FG_DKIM_FAIL);
	fg_arc_fini(&a);
	tmsg_free(&m);
}
END_TEST

START_TEST(altered_body_fails)
{
	struct tmsg m;
	struct fg_arc a;

	tmsg_load("arc", "pass_i2.eml", "appended after the last seal\n", &m);
	validate(&m, 1, &a, NULL);
	ck_assert(a.result == FG_ARC_FAIL);
	ck_assert_str_eq(a.reason,
			 "ARC-Message-Signature i=2: body hash mismatch");
	fg_arc_fini(&a);
	tmsg_free(&m);
}
END_TEST

START_TEST(key_timeout_is_temperror)
{
	struct tmsg m;
	struct fg_arc a;

	tmsg_load("arc", "pass_i2.eml", "", &m);
	validate(&m, 0, &a, NULL);
	ck_assert_msg(a.result == FG_ARC_TEMPERROR, "%s", a.reason);
	fg_arc_fini(&a);
	tmsg_free(&m);
}
END_TEST

/* ---- form, and hostile chains ------------------------------------------- */

/* A seal, AMS and AAR of instance I with cv CV (not verifiable: the
 * form is judged before any key is asked for). */
#define SET(I, CV)                                                         \
	"ARC-Seal: i=" I "; a=rsa-sha256; cv=" CV "; d=x.example; s=s; "   \
	"b=dGVzdA==\n"                                                     \
	"ARC-Message-Signature: i=" I "; a=rsa-sha256; d=x.example; s=s; " \
	"h=from; bh=dGVzdA==; b=dGVzdA==\n"                                \
	"ARC-Authentication-Results: i=" I "; x.example; spf=pass\n"

static const struct {
	const char *name, *head;
	enum fg_arc_result result;
	const char *reason;
} forms[] = {
	{ "no ARC fields", "", FG_ARC_NONE, "" },
	{ "a gap", SET("3", "pass") SET("1", "none"), FG_ARC_FAIL,
	  "ARC-Authentication-Results i=2: missing from its set" },
	{ "a repeated set", SET("1", "none") SET("1", "none"), FG_ARC_FAIL,
	  "ARC-Seal i=1: two fields of one instance" },
	{ "i=999999999999",
	  "ARC-Seal: i=999999999999; a=rsa-sha256; cv=none; d=x.example; "
	  "s=s; b=dGVzdA==\n",
	  FG_ARC_FAIL, "ARC-Seal: i= is not an instance number" },
	{ "i=51", SET("51", "pass"), FG_ARC_FAIL,
	  "ARC-Seal i=51: instance out of range (1-50)" },
	{ "i=0", SET("0", "none"), FG_ARC_FAIL,
	  "ARC-Seal: instance out of range (1-50)" },
	{ "newest seal cv=fail", SET("2", "fail") SET("1", "none"), FG_ARC_FAIL,
	  "ARC-Seal i=2: the newest seal says cv=fail" },
	{ "cv=pass at 1", SET("2", "pass") SET("1", "pass"), FG_ARC_FAIL,
	  "ARC-Seal i=1: cv= is not none in the first set" },
	{ "cv=none above 1", SET("2", "none") SET("1", "none"), FG_ARC_FAIL,
	  "ARC-Seal i=2: cv= is not pass after the first set" },
	{ "an AAR alone", "ARC-Authentication-Results: i=1; x.example\n",
	  FG_ARC_FAIL, "ARC-Message-Signature i=1: missing from its set" },
	{ "a seal without tags", "ARC-Seal: \n", FG_ARC_FAIL,
	  "ARC-Seal: a required tag is missing" },
	/* the set's fields scattered among others: judged by i= alone */
	{ "a set split across the header",
	  "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=x.example; s=s; "
	  "b=dGVzdA==\nSubject: between\n"
	  "ARC-Authentication-Results: i=1; x.example\nTo: y@x.example\n"
	  "ARC-Message-Signature: i=1; a=rsa-sha256; d=x.example; s=s; "
	  "h=from; bh=dGVzdA==; b=dGVzdA==\n",
	  FG_ARC_FAIL, "ARC-Message-Signature i=1: no key record" },
};

START_TEST(chain_form)
{
	char text[4096];
	struct tmsg m;
	struct fg_arc a;
	int n = snprintf(text, sizeof(text), "%sFrom: a@x.example\n\nbody\n",
			 forms[_i].head);

	tmsg_parse(text, (size_t)n, &m);
	validate(&m, 1, &a, NULL);
	ck_assert_msg(a.result == forms[_i].result &&
			      strcmp(a.reason, forms[_i].reason) == 0,
		      "%s: got %s (%s), want %s (%s)", forms[_i].name,
		      fg_arc_result_name(a.result), a.reason,
		      fg_arc_result_name(forms[_i].result), forms[_i].reason);
	fg_arc_fini(&a);
	tmsg_free(&m);
}
END_TEST

START_TEST(hostile_thousand_fields)
{
	size_t k, n = 0, cap = 1000 * 200;
	char *text = malloc(cap);
	struct tmsg m;
	struct fg_arc a;

	for (k = 0; k < 1000; k++)
		n += (size_t)snprintf(text + n, cap - n,
				      "ARC-Seal: i=%zu; a=rsa-sha256; cv=pass; "
				      "d=x.example; s=s; b=dGVzdA==\n",
				      k % 60 + 1);
	n += (size_t)snprintf(text + n, cap - n, "From: a@x.example\n\nb\n");
	tmsg_parse(text, n, &m);
	validate(&m, 1, &a, NULL);
	ck_assert(a.result == FG_ARC_FAIL);
	ck_assert_str_eq(a.reason, "more than 50 ARC sets");
	fg_arc_fini(&a);
	tmsg_free(&m);
	free(text);
}
END_TEST

START_TEST(fifty_well_formed_sets_are_bounded)
{
	/* 50 sets of good form: 100 signatures for the verifier, all with
	 * one key (cached per message), each failing its check */
	size_t k, n = 0, cap = 50 * 400;
	char *text = malloc(cap);
	struct tmsg m;
	struct fg_arc a;

	for (k = 50; k >= 1; k--)
		n += (size_t)snprintf(
			text + n, cap - n,
			"ARC-Seal: i=%zu; a=rsa-sha256; cv=%s; d=example.org; "
			"s=dummy; b=dGVzdA==\n"
			"ARC-Message-Signature: i=%zu; a=rsa-sha256; "
			"d=example.org; s=dummy; h=from; bh=dGVzdA==; "
			"b=dGVzdA==\n"
			"ARC-Authentication-Results: i=%zu; x.example\n",
			k, k == 1 ? "none" : "pass", k, k);
	n += (size_t)snprintf(text + n, cap - n, "From: a@x.example\n\nb\n");
	tmsg_parse(text, n, &m);
	validate(&m, 1, &a, NULL);
	ck_assert(a.result == FG_ARC_FAIL);
	ck_assert_str_eq(a.reason,
			 "ARC-Message-Signature i=50: body hash mismatch");
	ck_assert_uint_eq(a.n, 50);
	fg_arc_fini(&a);
	tmsg_free(&m);
	free(text);
}
END_TEST

static Suite *
arc_suite(void)
{
	Suite *s = suite_create("arc");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, signature_kinds, 0, NCASES(sigs));
	tcase_add_test(tc, seal_facts);
	tcase_add_loop_test(tc, aar_instances, 0, NCASES(aars));
	tcase_add_test(tc, two_sets_pass);
	tcase_add_test(tc, untrusted_sealer_is_not_believed);
	tcase_add_test(tc, oldest_pass);
	tcase_add_test(tc, altered_body_fails);
	tcase_add_test(tc, key_timeout_is_temperror);
	tcase_add_loop_test(tc, chain_form, 0, NCASES(forms));
	tcase_add_test(tc, hostile_thousand_fields);
	tcase_add_test(tc, fifty_well_formed_sets_are_bounded);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(arc_suite)
