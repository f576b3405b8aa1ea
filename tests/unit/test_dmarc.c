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

/* zone_resolver - a fake resolver serving the "NAME ..." lines of z */
static struct fg_dns *
zone_resolver(const char *const *z, size_t n)
{
	struct fg_dns *d;
	size_t k;

	ck_assert(fg_dns_new_fake(&d) == FG_OK);
	for (k = 0; k < n; k++) {
		char name[256];
		const char *sp = strchr(z[k], ' ');

		snprintf(name, sizeof(name), "%.*s", (int)(sp - z[k]), z[k]);
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

static struct fg_dns *
resolver(void)
{
	return zone_resolver(zone, NCASES(zone));
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

/* ---- RFC 9989 Appendix B ----------------------------------------------- */

/*
 * The shapes of the examples in RFC 9989 Appendix B: identifier alignment
 * (B.1: SPF and DKIM, exact, from a subdomain, from elsewhere), a domain
 * owner's records (B.2: monitoring with p=none, a subdomain in testing
 * with p=quarantine and t=y), organizational domain and policy discovery
 * (B.4: a simple walk up to the organizational domain, a deep walk that
 * skips to the last 7 labels, a PSD record with psd=y).  Names and
 * records are the examples'; what each evaluation must give is what the
 * appendix says of it.
 */
static const char *const zone_b[] = {
	"_dmarc.example.com v=DMARC1; p=none; "
	"rua=mailto:dmarc-feedback@example.com",
	"example.com A",
	"child.example.com A",
	"_dmarc.test.example.com v=DMARC1; p=quarantine; t=y; "
	"rua=mailto:dmarc-feedback@example.com,"
	"mailto:tld-test@thirdparty.example.net",
	"_dmarc.example.net v=DMARC1; p=reject",
	"a.mail.example.net A",
	"_dmarc.cloudcompany.com.example v=DMARC1; p=reject; psd=y",
	"_dmarc.example.compute.cloudcompany.com.example TIMEOUT",
};

static const struct {
	const char *name, *author, *spf, *dkim;
	int aspf_s, adkim_s; /* the evaluation as if strict, by a record */
	enum fg_dmarc_result result;
	const char *policy, *policy_domain, *org;
	int testing;
} appb[] = {
	/* B.1.1: SPF */
	{ "B.1.1 MAIL FROM and From: the same domain", "example.com",
	  "example.com", NULL, 0, 0, FG_DMARC_PASS, "p=none", "example.com",
	  "example.com", 0 },
	{ "B.1.1 MAIL FROM in a child of the From: domain (relaxed)",
	  "example.com", "child.example.com", NULL, 0, 0, FG_DMARC_PASS,
	  "p=none", "example.com", "example.com", 0 },
	{ "B.1.1 MAIL FROM in another organization", "example.com",
	  "example.org", NULL, 0, 0, FG_DMARC_FAIL, "p=none", "example.com",
	  "example.com", 0 },
	/* B.1.2: DKIM */
	{ "B.1.2 d= the From: domain", "example.com", NULL, "example.com", 0, 0,
	  FG_DMARC_PASS, "p=none", "example.com", "example.com", 0 },
	{ "B.1.2 d= the parent of the From: domain (relaxed)",
	  "child.example.com", NULL, "example.com", 0, 0, FG_DMARC_PASS,
	  "p=none", "example.com", "example.com", 0 },
	{ "B.1.2 d= in another organization", "child.example.com", NULL,
	  "sample.net", 0, 0, FG_DMARC_FAIL, "p=none", "example.com",
	  "example.com", 0 },
	/* B.2: the domain owner's records; the subdomain's organizational
	 * domain is still example.com, the highest name with a record */
	{ "B.2.1 monitoring: a fail under p=none", "example.com",
	  "elsewhere.example", NULL, 0, 0, FG_DMARC_FAIL, "p=none",
	  "example.com", "example.com", 0 },
	{ "B.2.4 a subdomain in testing: its own record, t=y",
	  "test.example.com", NULL, NULL, 0, 0, FG_DMARC_FAIL, "p=quarantine",
	  "test.example.com", "example.com", 1 },
	/* B.4.1: a walk from a.mail.example.net finds example.net, whose p=
	 * applies (no sp=); a signature of another subdomain aligns */
	{ "B.4.1 the walk finds the organizational domain's record",
	  "a.mail.example.net", NULL, "signing.example.net", 0, 0,
	  FG_DMARC_PASS, "p=reject", "example.net", "example.net", 0 },
	{ "B.4.1 ... and a stranger's signature does not align",
	  "a.mail.example.net", NULL, "example.org", 0, 0, FG_DMARC_FAIL,
	  "p=reject", "example.net", "example.net", 0 },
	/* B.4.2: a deep name: 8 questions, the last 7 labels first */
	{ "B.4.2 deep tree walk", "a.b.c.d.e.f.g.h.i.j.mail.example.net", NULL,
	  "example.net", 0, 0, FG_DMARC_PASS, "p=reject", "example.net",
	  "example.net", 0 },
	/* B.4.3: psd=y at cloudcompany.com.example: each customer below it
	 * is its own organization; another customer does not align */
	{ "B.4.3 psd=y: a customer's own signature aligns",
	  "compute.cloudcompany.com.example", NULL,
	  "mail.compute.cloudcompany.com.example", 0, 0, FG_DMARC_PASS,
	  "p=reject", "cloudcompany.com.example",
	  "compute.cloudcompany.com.example", 0 },
	{ "B.4.3 psd=y: a neighbour's does not",
	  "compute.cloudcompany.com.example", NULL,
	  "storage.cloudcompany.com.example", 0, 0, FG_DMARC_FAIL, "p=reject",
	  "cloudcompany.com.example", "compute.cloudcompany.com.example", 0 },
};

START_TEST(appendix_b)
{
	struct fg_dns *dns = zone_resolver(zone_b, NCASES(zone_b));
	struct fg_dmarc_in in = { appb[_i].author,
				  appb[_i].spf,
				  { appb[_i].dkim },
				  appb[_i].dkim != NULL,
				  FG_ORG_WALK };
	struct fg_dmarc_out o;
	char pol[64] = "";

	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	if (o.policy_domain[0] != '\0')
		snprintf(pol, sizeof(pol), "%s=%s", o.which,
			 fg_dmarc_policy_name(o.policy));
	ck_assert_msg(o.result == appb[_i].result &&
			      strcmp(pol, appb[_i].policy) == 0 &&
			      strcmp(o.policy_domain, appb[_i].policy_domain) ==
				      0 &&
			      strcmp(o.org, appb[_i].org) == 0 &&
			      o.testing == appb[_i].testing,
		      "%s: got %s %s at %s org %s t=%d (%s)", appb[_i].name,
		      fg_dmarc_result_name(o.result), pol, o.policy_domain,
		      o.org, o.testing, o.why ? o.why : "");
	ck_assert_uint_le(o.lookups, 3 * FG_DMARC_WALK_MAX + 1);
	fg_dns_free(dns);
}
END_TEST

/* ---- every alignment mode against every identifier ------------------- */

/*
 * Four domains publish p=reject with the four pairs of aspf and adkim;
 * each is the author, and the SPF and DKIM identifiers are absent, the
 * author itself, a subdomain of it, or another organization: 4 x 4 x 4
 * evaluations.  The rule, from RFC 9989 4.4: the author itself aligns in
 * either mode, a subdomain only in relaxed mode, a stranger never.
 */
static const char *const zone_modes[] = {
	"_dmarc.rr.example v=DMARC1; p=reject; aspf=r; adkim=r",
	"_dmarc.rs.example v=DMARC1; p=reject; aspf=r; adkim=s",
	"_dmarc.sr.example v=DMARC1; p=reject; aspf=s; adkim=r",
	"_dmarc.ss.example v=DMARC1; p=reject; aspf=s; adkim=s",
};

START_TEST(alignment_modes)
{
	static const char *const author[] = { "rr.example", "rs.example",
					      "sr.example", "ss.example" };
	static const char *const kind[] = { NULL, "", "mail.", "other" };
	struct fg_dns *dns = zone_resolver(zone_modes, NCASES(zone_modes));
	int m = _i / 16, sk = (_i / 4) % 4, dk = _i % 4;
	int aspf_s = author[m][0] == 's', adkim_s = author[m][1] == 's';
	char spf[64], dkim[64];
	struct fg_dmarc_in in = { author[m], NULL, { NULL }, 0, FG_ORG_WALK };
	struct fg_dmarc_out o;
	int want;

	if (kind[sk] != NULL) {
		snprintf(spf, sizeof(spf), "%s%s", kind[sk],
			 strcmp(kind[sk], "other") == 0 ? ".example.net"
							: author[m]);
		in.spf_domain = spf;
	}
	if (kind[dk] != NULL) {
		snprintf(dkim, sizeof(dkim), "%s%s", kind[dk],
			 strcmp(kind[dk], "other") == 0 ? ".example.net"
							: author[m]);
		in.dkim[0] = dkim;
		in.ndkim = 1;
	}
	/* exact (1) always; a subdomain (2) when relaxed; none or other
	 * never */
	want = sk == 1 || (sk == 2 && !aspf_s) || dk == 1 ||
	       (dk == 2 && !adkim_s);
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(o.result == (want ? FG_DMARC_PASS : FG_DMARC_FAIL),
		      "author %s, spf %s, dkim %s: %s (%s)", author[m],
		      in.spf_domain ? in.spf_domain : "-",
		      in.ndkim ? in.dkim[0] : "-",
		      fg_dmarc_result_name(o.result), o.why ? o.why : "");
	ck_assert_int_eq(o.spf_aligned, sk == 1 || (sk == 2 && !aspf_s));
	ck_assert_int_eq(o.dkim_aligned, dk == 1 || (dk == 2 && !adkim_s));
	fg_dns_free(dns);
}
END_TEST

/* ---- a DNS failure at each step ----------------------------------------- */

/*
 * Author x.y.walk.example, with the record at walk.example: a timeout at
 * any name the walk asks before it finds the record is temperror (the
 * name could have held the policy); one after it, or at an identifier's
 * walk that could not have aligned it anyway, is not.  The existence
 * query for np= that times out is temperror only when np= would have
 * given another policy.
 */
static const struct {
	const char *name, *timeout, *author, *dkim1, *dkim2;
	enum fg_dmarc_result result;
} steps[] = {
	{ "the author's own name", "_dmarc.x.y.walk.example",
	  "x.y.walk.example", NULL, NULL, FG_DMARC_TEMPERROR },
	{ "the next name up", "_dmarc.y.walk.example", "x.y.walk.example", NULL,
	  NULL, FG_DMARC_TEMPERROR },
	{ "the top-level name, after the record was found", "_dmarc.example",
	  "x.y.walk.example", NULL, NULL, FG_DMARC_FAIL },
	{ "an identifier's walk, which could have aligned it",
	  "_dmarc.mail.other.example", "x.y.walk.example", "mail.other.example",
	  NULL, FG_DMARC_TEMPERROR },
	{ "an identifier's walk, but another signature aligns",
	  "_dmarc.mail.other.example", "x.y.walk.example", "mail.other.example",
	  "y.walk.example", FG_DMARC_PASS },
	{ "np= differs, and existence cannot be told", "gone.np.example",
	  "gone.np.example", NULL, NULL, FG_DMARC_TEMPERROR },
	{ "np= equals sp=: existence does not matter", "gone.same.example",
	  "gone.same.example", NULL, NULL, FG_DMARC_FAIL },
};

START_TEST(dns_failure_at_each_step)
{
	const char *z[] = {
		"_dmarc.walk.example v=DMARC1; p=reject",
		"_dmarc.np.example v=DMARC1; p=reject; np=none",
		"_dmarc.same.example v=DMARC1; p=reject; sp=none; np=none",
		NULL,
	};
	char t[300];
	struct fg_dns *dns;
	struct fg_dmarc_in in = { steps[_i].author,
				  NULL,
				  { steps[_i].dkim1, steps[_i].dkim2 },
				  steps[_i].dkim2   ? 2
				  : steps[_i].dkim1 ? 1
						    : 0,
				  FG_ORG_WALK };
	struct fg_dmarc_out o;

	snprintf(t, sizeof(t), "%s TIMEOUT", steps[_i].timeout);
	z[3] = t;
	dns = zone_resolver(z, 4);
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(o.result == steps[_i].result, "%s: %s (%s)",
		      steps[_i].name, fg_dmarc_result_name(o.result),
		      o.why ? o.why : "");
	fg_dns_free(dns);
}
END_TEST

/* ---- hostile records ----------------------------------------------------- */

START_TEST(hostile_records)
{
	/* a 10 kB record: the tags kept whole are read (the policy at its
	 * start), the tag cut at FG_DNS_TXT_MAX is not */
	static char big[10240];
	struct fg_dns *dns;
	struct fg_dmarc_in in = {
		"big.example", NULL, { NULL }, 0, FG_ORG_WALK
	};
	struct fg_dmarc_out o;
	size_t n;

	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	/* the cut falls inside a report address: never reports to half of
	 * it ("mailto:dmarc@exa") */
	n = (size_t)snprintf(big, sizeof(big), "v=DMARC1; p=reject; x=");
	memset(big + n, 'A', sizeof(big) - n - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + FG_DNS_TXT_MAX - 22, "; rua=mailto:dmarc@example.net;",
	       31);
	ck_assert(fg_dns_fake_add_txt(dns, "_dmarc.big.example", FG_DNS_TXT,
				      big, strlen(big)) == FG_OK);
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(
		o.result == FG_DMARC_FAIL && o.policy == FG_DMARC_P_REJECT,
		"%s (%s)", fg_dmarc_result_name(o.result), o.why ? o.why : "");
	ck_assert_msg(!o.has_rua, "rua=%s", o.rua);
	/* ... and one whose p= comes after the cut has none: p=none only
	 * with rua=, else no record (RFC 9989 4.7) */
	n = (size_t)snprintf(big, sizeof(big), "v=DMARC1; x=");
	memset(big + n, 'A', sizeof(big) - n - 40);
	snprintf(big + sizeof(big) - 40, 40, "; p=reject");
	ck_assert(fg_dns_fake_add_txt(dns, "_dmarc.late.example", FG_DNS_TXT,
				      big, strlen(big)) == FG_OK);
	in.author = "late.example";
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(o.result == FG_DMARC_NONE, "%s (%s)",
		      fg_dmarc_result_name(o.result), o.why ? o.why : "");
	/* NUL bytes and control characters in a record: not a policy */
	ck_assert(fg_dns_fake_add_txt(dns, "_dmarc.nul.example", FG_DNS_TXT,
				      "v=DMARC1; p=re\0ject", 19) == FG_OK);
	in.author = "nul.example";
	fg_dmarc_eval(dns, fg_deadline_after(1000), &in, &o);
	ck_assert_msg(o.result != FG_DMARC_PASS &&
			      o.policy != FG_DMARC_P_REJECT,
		      "%s", fg_dmarc_result_name(o.result));
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
	tcase_add_loop_test(tc, appendix_b, 0, NCASES(appb));
	tcase_add_loop_test(tc, alignment_modes, 0, 64);
	tcase_add_loop_test(tc, dns_failure_at_each_step, 0, NCASES(steps));
	tcase_add_test(tc, hostile_records);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(dmarc_suite)
