/* test_dmarc - DMARC records, the RFC 9989 tree walk, organizational
 * domains, alignment and results, against the in-memory resolver */
#include "forgeguard/deadline.h"
#include "forgeguard/dmarc.h"
#include "tcase.h"

/* ---- records --------------------------------------------------------- */

static const struct {
	const char *in;
	int ok;
	enum fg_dmarc_policy p, sp, np;
	int testing, adkim_strict, has_rua;
} recs[] = {
	{ "v=DMARC1; p=reject", 1, FG_DMARC_P_REJECT, 0, 0, 0, 0, 0 },
	{ "v=DMARC1;p=quarantine;sp=none;np=reject;adkim=s;t=y;"
	  "rua=mailto:a@example.org",
	  1, FG_DMARC_P_QUARANTINE, FG_DMARC_P_NONE, FG_DMARC_P_REJECT, 1, 1,
	  1 },
	{ " v = DMARC1 ; P=reject; p=None", 1, FG_DMARC_P_NONE, 0, 0, 0, 0,
	  0 }, /* tag names are case-sensitive: P is unknown */
	{ "v=DMARC1; p=bogus; rua=mailto:x@example.org", 1, FG_DMARC_P_UNSET, 0,
	  0, 0, 0, 1 },
	{ "v=DMARC1; p=reject; pct=0", 1, FG_DMARC_P_REJECT, 0, 0, 1, 0, 0 },
	{ "v=DMARC1; p=reject; pct=50", 1, FG_DMARC_P_REJECT, 0, 0, 0, 0, 0 },
	{ "v=DMARC1; p=reject; pct=0; t=n", 1, FG_DMARC_P_REJECT, 0, 0, 0, 0,
	  0 },
	{ "v=DMARC1; p=none; foo=bar; rf=afrf; ri=86400", 1, FG_DMARC_P_NONE, 0,
	  0, 0, 0, 0 },
	{ "v=DMARC1; p=reject; sp=sometimes", 1, FG_DMARC_P_REJECT, 0, 0, 0, 0,
	  0 },
	{ "v=dmarc1; p=reject", 0, 0, 0, 0, 0, 0, 0 },
	{ "p=reject; v=DMARC1", 0, 0, 0, 0, 0, 0, 0 },
	{ "v=DMARC10; p=reject", 0, 0, 0, 0, 0, 0, 0 },
	{ "v=DMARC1; p=reject; p=none", 0, 0, 0, 0, 0, 0, 0 },
	{ "v=spf1 -all", 0, 0, 0, 0, 0, 0, 0 },
};

START_TEST(records)
{
	struct fg_dmarcrec r;
	int ok = fg_dmarcrec_parse(recs[_i].in, strlen(recs[_i].in), &r) ==
		 FG_OK;

	ck_assert_msg(ok == recs[_i].ok, "[%s]: %s", recs[_i].in,
		      ok ? "parsed" : r.why);
	if (!ok)
		return;
	ck_assert_msg(
		r.p == recs[_i].p && r.sp == recs[_i].sp &&
			r.np == recs[_i].np && r.testing == recs[_i].testing &&
			r.adkim_strict == recs[_i].adkim_strict &&
			r.has_rua == recs[_i].has_rua,
		"[%s]: p=%d sp=%d np=%d t=%d adkim_s=%d rua=%d", recs[_i].in,
		r.p, r.sp, r.np, r.testing, r.adkim_strict, r.has_rua);
}
END_TEST

/* ---- the walk -------------------------------------------------------- */

static const struct {
	const char *domain, *want;
} walks[] = {
	{ "mail.example.com", "mail.example.com example.com com" },
	{ "com", "com" },
	{ "a.b.c.d.e.f.g.h.i.example.com",
	  "a.b.c.d.e.f.g.h.i.example.com e.f.g.h.i.example.com "
	  "f.g.h.i.example.com g.h.i.example.com h.i.example.com "
	  "i.example.com example.com com" },
	{ "b.c.d.e.f.g.example.com", /* 8 labels: straight to the last 7 */
	  "b.c.d.e.f.g.example.com c.d.e.f.g.example.com d.e.f.g.example.com "
	  "e.f.g.example.com f.g.example.com g.example.com example.com com" },
};

START_TEST(walk_targets)
{
	const char *t[FG_DMARC_WALK_MAX];
	size_t n = fg_dmarc_walk_targets(walks[_i].domain, t), k, len = 0;
	char got[1024];

	got[0] = '\0';
	for (k = 0; k < n; k++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
					k ? " " : "", t[k]);
	ck_assert_str_eq(got, walks[_i].want);
}
END_TEST

/* ---- evaluation -------------------------------------------------------- */

/* A zone: "NAME TXT" lines, "NAME TIMEOUT", "NAME A" (exists). */
static const char *const zone[] = {
	"_dmarc.example.com v=DMARC1; p=reject; sp=quarantine; np=none",
	"example.com A",
	"sub.example.com A",
	"_dmarc.strict.example v=DMARC1; p=reject; adkim=s; aspf=s",
	"_dmarc.gov v=DMARC1; p=reject; psd=y",
	"_dmarc.twice.example v=DMARC1; p=reject",
	"_dmarc.twice.example v=DMARC1; p=none",
	"_dmarc.slow.example TIMEOUT",
	"_dmarc.norua.example v=DMARC1; p=maybe",
	"_dmarc.rua.example v=DMARC1; p=maybe; rua=mailto:r@rua.example",
	"_dmarc.testing.example v=DMARC1; p=reject; t=y",
	"_dmarc.example.net TIMEOUT",
	"_dmarc.own.example v=DMARC1; p=quarantine; psd=n",
	"_dmarc.sub.own.example v=DMARC1; p=none",
	/* a top-level record without psd=y: to the walk, every .shop name's
	 * organizational domain is "shop"; to the public suffix list, not */
	"_dmarc.acme.shop v=DMARC1; p=reject",
	"_dmarc.shop v=DMARC1; p=none",
	"_dmarc.example.co.uk v=DMARC1; p=quarantine",
};

static struct fg_dns *
resolver(void)
{
	struct fg_dns *d;
	size_t k;

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	for (k = 0; k < sizeof(zone) / sizeof(zone[0]); k++) {
		char name[256];
		const char *sp = strchr(zone[k], ' ');

		snprintf(name, sizeof(name), "%.*s", (int)(sp - zone[k]),
			 zone[k]);
		if (strcmp(sp + 1, "TIMEOUT") == 0)
			ck_assert(fg_dns_fake_add(d, name, 0, "TIMEOUT") ==
				  FG_OK);
		else if (strcmp(sp + 1, "A") == 0)
			ck_assert(fg_dns_fake_add(d, name, FG_DNS_A,
						  "192.0.2.1") == FG_OK);
		else
			ck_assert(fg_dns_fake_add(d, name, FG_DNS_TXT,
						  sp + 1) == FG_OK);
	}
	return d;
}

static const struct {
	const char *name, *author, *spf, *dkim1, *dkim2;
	enum fg_dmarc_result result;
	const char *policy; /* "which=policy", or "" */
	const char *org;
} evals[] = {
	{ "aligned SPF", "example.com", "example.com", NULL, NULL,
	  FG_DMARC_PASS, "p=reject", "example.com" },
	{ "nothing aligned", "example.com", "other.example", "other.example",
	  NULL, FG_DMARC_FAIL, "p=reject", "example.com" },
	{ "relaxed DKIM from a subdomain", "example.com", NULL,
	  "mail.example.com", NULL, FG_DMARC_PASS, "p=reject", "example.com" },
	{ "relaxed SPF from the parent", "sub.example.com", "example.com", NULL,
	  NULL, FG_DMARC_PASS, "sp=quarantine", "example.com" },
	{ "a subdomain without a record: sp", "sub.example.com", NULL, NULL,
	  NULL, FG_DMARC_FAIL, "sp=quarantine", "example.com" },
	{ "a subdomain that does not exist: np", "ghost.example.com", NULL,
	  NULL, NULL, FG_DMARC_FAIL, "np=none", "example.com" },
	{ "strict DKIM from a subdomain", "strict.example", NULL,
	  "mail.strict.example", NULL, FG_DMARC_FAIL, "p=reject",
	  "strict.example" },
	{ "strict, exact", "strict.example", "strict.example", NULL, NULL,
	  FG_DMARC_PASS, "p=reject", "strict.example" },
	{ "the author in another case, with a trailing dot", "Example.COM.",
	  "example.com", NULL, NULL, FG_DMARC_PASS, "p=reject", "example.com" },
	{ "a PSD record: the org is one below it", "agency.gov",
	  "mail.agency.gov", NULL, NULL, FG_DMARC_PASS, "p=reject",
	  "agency.gov" },
	{ "a PSD record: a sibling does not align", "agency.gov", "other.gov",
	  NULL, NULL, FG_DMARC_FAIL, "p=reject", "agency.gov" },
	{ "two records at one name: none", "twice.example", "twice.example",
	  NULL, NULL, FG_DMARC_NONE, "", "" },
	{ "no record anywhere: none", "nothing.example", NULL, NULL, NULL,
	  FG_DMARC_NONE, "", "" },
	{ "the policy lookup times out: temperror", "slow.example",
	  "slow.example", NULL, NULL, FG_DMARC_TEMPERROR, "", "" },
	{ "an invalid p without rua: ignored", "norua.example", "norua.example",
	  NULL, NULL, FG_DMARC_NONE, "", "" },
	{ "an invalid p with rua: p=none", "rua.example", NULL, NULL, NULL,
	  FG_DMARC_FAIL, "p=none", "rua.example" },
	{ "t=y", "testing.example", NULL, NULL, NULL, FG_DMARC_FAIL, "p=reject",
	  "testing.example" },
	{ "an identifier's walk times out: temperror, not fail", "example.com",
	  NULL, "mail.example.net", NULL, FG_DMARC_TEMPERROR, "p=reject",
	  "example.com" },
	{ "... but an aligned pass still passes", "example.com", NULL,
	  "mail.example.net", "example.com", FG_DMARC_PASS, "p=reject",
	  "example.com" },
	{ "psd=n: its own organizational domain", "sub.own.example",
	  "own.example", NULL, NULL, FG_DMARC_PASS, "p=none", "own.example" },
	{ "no author", "", "example.com", NULL, NULL, FG_DMARC_PERMERROR, "",
	  "" },
};

START_TEST(evaluation)
{
	struct fg_dns *dns = resolver();
	struct fg_dmarc_in in = { evals[_i].author,
				  evals[_i].spf,
				  { evals[_i].dkim1, evals[_i].dkim2 },
				  evals[_i].dkim2   ? 2
				  : evals[_i].dkim1 ? 1
						    : 0,
				  FG_ORG_WALK };
	struct fg_dmarc_out o;
	char pol[64] = "";

	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	if (o.result != FG_DMARC_NONE && o.result != FG_DMARC_PERMERROR &&
	    o.policy_domain[0] != '\0')
		snprintf(pol, sizeof(pol), "%s=%s", o.which,
			 fg_dmarc_policy_name(o.policy));
	ck_assert_msg(o.result == evals[_i].result &&
			      strcmp(pol, evals[_i].policy) == 0 &&
			      strcmp(o.org, evals[_i].org) == 0,
		      "%s: got %s %s org %s (%s), want %s %s org %s",
		      evals[_i].name, fg_dmarc_result_name(o.result), pol,
		      o.org, o.why ? o.why : "",
		      fg_dmarc_result_name(evals[_i].result), evals[_i].policy,
		      evals[_i].org);
	ck_assert(o.lookups <= 3 * FG_DMARC_WALK_MAX + 1);
	fg_dns_free(dns);
}
END_TEST

static const struct {
	const char *name, *author, *spf;
	enum fg_dmarc_org mode;
	enum fg_dmarc_result result;
	const char *org, *discovery;
} orgs[] = {
	{ "walk: a TLD record makes two shops one organization", "acme.shop",
	  "other.shop", FG_ORG_WALK, FG_DMARC_PASS, "shop", "treewalk" },
	{ "psl: they are two", "acme.shop", "other.shop", FG_ORG_PSL,
	  FG_DMARC_FAIL, "acme.shop", "psl" },
	{ "auto: the walk where it finds records", "acme.shop", "other.shop",
	  FG_ORG_AUTO, FG_DMARC_PASS, "shop", "treewalk" },
	{ "psl: a subdomain of a registrable domain under co.uk",
	  "news.example.co.uk", "bounce.example.co.uk", FG_ORG_PSL,
	  FG_DMARC_PASS, "example.co.uk", "psl" },
	{ "psl: discovery asks the author, then its registrable domain",
	  "news.example.co.uk", "elsewhere.example", FG_ORG_PSL, FG_DMARC_FAIL,
	  "example.co.uk", "psl" },
	{ "auto: no record on the walk, the list decides", "a.b.other.org",
	  NULL, FG_ORG_AUTO, FG_DMARC_NONE, "", "treewalk" },
};

START_TEST(organizational_domains)
{
	struct fg_dns *dns = resolver();
	struct fg_dmarc_in in = {
		orgs[_i].author, orgs[_i].spf, { NULL }, 0, orgs[_i].mode
	};
	struct fg_dmarc_out o;

	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(o.result == orgs[_i].result &&
			      strcmp(o.org, orgs[_i].org) == 0 &&
			      strcmp(o.discovery, orgs[_i].discovery) == 0,
		      "%s: got %s org %s by %s (%s)", orgs[_i].name,
		      fg_dmarc_result_name(o.result), o.org, o.discovery,
		      o.why ? o.why : "");
	fg_dns_free(dns);
}
END_TEST

START_TEST(psl_domains)
{
	char out[256];

	ck_assert(fg_dmarc_psl_domain("a.b.example.co.uk", out, sizeof(out)));
	ck_assert_str_eq(out, "example.co.uk");
	ck_assert(fg_dmarc_psl_domain("mail.example.com", out, sizeof(out)));
	ck_assert_str_eq(out, "example.com");
	ck_assert(!fg_dmarc_psl_domain("co.uk", out, sizeof(out)));
	ck_assert_str_eq(out, "co.uk");
}
END_TEST

START_TEST(testing_flag_and_rua)
{
	struct fg_dns *dns = resolver();
	struct fg_dmarc_in t = {
		"testing.example", NULL, { NULL }, 0, FG_ORG_WALK
	};
	struct fg_dmarc_in r = {
		"rua.example", NULL, { NULL }, 0, FG_ORG_WALK
	};
	struct fg_dmarc_out o;

	fg_dmarc_eval(dns, fg_deadline_after(1000), &t, &o);
	ck_assert(o.testing);
	fg_dmarc_eval(dns, fg_deadline_after(1000), &r, &o);
	ck_assert(o.has_rua);
	ck_assert_str_eq(o.rua, "mailto:r@rua.example");
	fg_dns_free(dns);
}
END_TEST

START_TEST(hostile_names)
{
	/* a 253-byte author: _dmarc. makes it too long to ask; its
	 * parents are still walked, within 8 questions */
	char author[254];
	struct fg_dns *dns = resolver();
	struct fg_dmarc_in in = { author, NULL, { NULL }, 0, FG_ORG_WALK };
	struct fg_dmarc_out o;
	size_t k;

	for (k = 0; k < 253; k++)
		author[k] = k % 2 ? '.' : 'a';
	memcpy(author + 253 - 11, "example.com", 11);
	author[253] = '\0';
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(o.result == FG_DMARC_FAIL, "%s",
		      fg_dmarc_result_name(o.result));
	ck_assert_str_eq(o.policy_domain, "example.com");
	ck_assert_uint_le(o.lookups, FG_DMARC_WALK_MAX + 1);
	fg_dns_free(dns);
}
END_TEST

static Suite *
dmarc_suite(void)
{
	Suite *s = suite_create("dmarc");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, records, 0, NCASES(recs));
	tcase_add_loop_test(tc, walk_targets, 0, NCASES(walks));
	tcase_add_loop_test(tc, evaluation, 0, NCASES(evals));
	tcase_add_test(tc, testing_flag_and_rua);
	tcase_add_loop_test(tc, organizational_domains, 0, NCASES(orgs));
	tcase_add_test(tc, psl_domains);
	tcase_add_test(tc, hostile_names);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(dmarc_suite)
