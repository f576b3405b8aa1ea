/* test_dkimsign - DKIM signing: the key table, the keys, the signer, and
 * what forgeguard's own verifier makes of the fields it writes */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forgeguard/base64.h"
#include "forgeguard/deadline.h"
#include "forgeguard/dkim.h"
#include "forgeguard/dkimsign.h"
#include "forgeguard/session.h"
#include "tcase.h"

static char dir[64];

/* write_key - a new key of type t as DIR/name, mode; its p= record */
static void
write_key(const char *name, enum fg_pubkey_type t, int bits, mode_t mode,
	  char *rec, size_t cap)
{
	struct fg_privkey *k;
	char path[128], b64[1400];
	unsigned char der[1024];
	size_t n;
	int fd;

	ck_assert(fg_privkey_generate(t, bits, &k) == FG_OK);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert(fd >= 0);
	ck_assert(fg_privkey_write(k, fd) == FG_OK);
	close(fd);
	ck_assert(chmod(path, mode) == 0);
	n = fg_privkey_public(k, der, sizeof(der));
	ck_assert(n > 0);
	fg_base64_encode(der, n, b64);
	ck_assert(cap > strlen(b64) + 32);
	snprintf(rec, cap, "v=DKIM1; k=%s; p=%.*s",
		 t == FG_PK_RSA ? "rsa" : "ed25519", (int)(cap - 32), b64);
	fg_privkey_free(k);
}

/* write_file - text as DIR/name */
static void
write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert(f != NULL);
	fputs(text, f);
	fclose(f);
}

/* load - a configuration naming DIR/table; NULL and the errors in err */
static struct fg_conf *
load(const char *extra, char *err, size_t cap)
{
	char text[512];
	struct fg_conf *c = NULL;
	struct fg_buf b;

	snprintf(text, sizeof(text), "dkim_sign_keys = %s/table\n%s", dir,
		 extra);
	fg_buf_init(&b, err, cap);
	err[0] = '\0';
	if (fg_conf_load_text("t", text, strlen(text), &c, &b) != FG_OK)
		return NULL;
	return c;
}

static char rsa_rec[1024], ed_rec[256];

static void
setup(void)
{
	char table[512];

	snprintf(dir, sizeof(dir), "/tmp/fg-sign.XXXXXX");
	ck_assert(mkdtemp(dir) != NULL);
	write_key("rsa.pem", FG_PK_RSA, 1024, 0600, rsa_rec, sizeof(rsa_rec));
	write_key("ed.pem", FG_PK_ED25519, 0, 0600, ed_rec, sizeof(ed_rec));
	snprintf(table, sizeof(table),
		 "# our keys\nexample.org r1 %s/rsa.pem\n"
		 "example.org e1 %s/ed.pem ed25519-sha256\n",
		 dir, dir);
	write_file("table", table);
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert(system(cmd) == 0);
}

/* ---- the table and the keys --------------------------------------- */

static const struct {
	const char *name, *table, *want;
	mode_t mode;
} bad_tables[] = {
	{ "a key file others may read", "example.org s %s/k.pem\n",
	  "may be read or written by other users (mode 0644)", 0644 },
	{ "a key file its group may read", "example.org s %s/k.pem\n",
	  "(mode 0640)", 0640 },
	{ "a missing key file", "example.org s %s/none.pem\n",
	  "none.pem: No such file", 0600 },
	{ "too few words", "example.org %s/k.pem\n",
	  "table:1: want \"domain selector keyfile", 0600 },
	{ "rsa-sha1", "example.org s %s/k.pem rsa-sha1\n",
	  "RFC 8301 forbids rsa-sha1", 0600 },
	{ "not a domain", "exa_mple..org s %s/k.pem\n", "is not a domain name",
	  0600 },
	{ "a selector listed twice",
	  "example.org s %s/k.pem\n# again\nexample.org S %s/k.pem\n",
	  "table:3: example.org selector s is listed twice", 0600 },
	{ "an empty table", "# nothing\n", "no keys", 0600 },
};

START_TEST(table_errors)
{
	char err[2048], table[512], rec[1024];
	struct fg_conf *c;

	write_key("k.pem", FG_PK_RSA, 1024, bad_tables[_i].mode, rec,
		  sizeof(rec));
	{
		/* each %s of the table is the test's directory */
		const char *t = bad_tables[_i].table, *p;
		size_t n = 0;

		while ((p = strstr(t, "%s")) != NULL) {
			n += (size_t)snprintf(table + n, sizeof(table) - n,
					      "%.*s%s", (int)(p - t), t, dir);
			t = p + 2;
		}
		snprintf(table + n, sizeof(table) - n, "%s", t);
	}
	write_file("table", table);
	c = load("", err, sizeof(err));
	ck_assert_msg(c == NULL && strstr(err, bad_tables[_i].want) != NULL,
		      "%s: %s", bad_tables[_i].name, c ? "loaded" : err);
}
END_TEST

START_TEST(key_errors)
{
	char err[2048], table[512], rec[1024];
	struct fg_conf *c;
	struct fg_signkeys *k;
	struct fg_buf b;

	/* the line says ed25519, the file holds RSA */
	snprintf(table, sizeof(table),
		 "example.org s %s/rsa.pem ed25519-sha256\n", dir);
	write_file("table", table);
	c = load("", err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_signkeys_load(c, &k, &b) != FG_OK);
	ck_assert_msg(strstr(err, "table:1:") != NULL &&
			      strstr(err, "not the algorithm the line names"),
		      "%s", err);
	fg_conf_unref(c);
	/* RSA under 1024 bits (RFC 8301) */
	write_key("small.pem", FG_PK_RSA, 512, 0600, rec, sizeof(rec));
	snprintf(table, sizeof(table), "example.org s %s/small.pem\n", dir);
	write_file("table", table);
	c = load("", err, sizeof(err));
	ck_assert(c != NULL);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_signkeys_load(c, &k, &b) != FG_OK);
	ck_assert_msg(strstr(err, "shorter than RFC 8301 allows"), "%s", err);
	fg_conf_unref(c);
	/* not a key at all */
	write_file("junk.pem", "-----BEGIN PRIVATE KEY-----\nxx\n");
	snprintf(table, sizeof(table), "example.org s %s/junk.pem\n", dir);
	write_file("table", table);
	{
		char p[128];

		snprintf(p, sizeof(p), "%s/junk.pem", dir);
		ck_assert(chmod(p, 0600) == 0);
	}
	c = load("", err, sizeof(err));
	ck_assert(c != NULL);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_signkeys_load(c, &k, &b) != FG_OK);
	ck_assert_msg(strstr(err, "not a PEM private key"), "%s", err);
	fg_conf_unref(c);
}
END_TEST

START_TEST(keys_for_a_domain)
{
	char err[2048];
	struct fg_conf *c = load("", err, sizeof(err));
	struct fg_signkeys *k;
	const struct fg_signkey *v[FG_SIGN_KEYS_MAX];
	struct fg_buf b;

	ck_assert_msg(c != NULL, "%s", err);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_signkeys_load(c, &k, &b) == FG_OK, "%s", err);
	ck_assert_uint_eq(fg_signkeys_for(k, "example.org", v), 2);
	ck_assert_str_eq(v[0]->selector, "r1");
	ck_assert_int_eq(v[0]->alg, FG_DKIM_RSA_SHA256);
	ck_assert_int_eq(v[1]->alg, FG_DKIM_ED25519_SHA256);
	/* a subdomain: the parent's keys; another domain, none; never
	 * the top-level name */
	ck_assert_uint_eq(fg_signkeys_for(k, "news.mail.example.org", v), 2);
	ck_assert_uint_eq(fg_signkeys_for(k, "example.net", v), 0);
	ck_assert_uint_eq(fg_signkeys_for(k, "org", v), 0);
	fg_signkeys_unref(k);
	fg_conf_unref(c);
}
END_TEST

/* ---- signing, verified ---------------------------------------------- */

/* A message: header fields as "Name: value" lines, and a body. */
static const struct {
	const char *name;
	const char *const hdr[8];
	const char *body;
	int hc, bc; /* FG_CANON_* */
} msgs[] = {
	{ "plain, relaxed",
	  { "From: Alice <alice@example.org>", "To: bob@example.net",
	    "Subject: hi", NULL },
	  "hello\r\n",
	  FG_CANON_RELAXED,
	  FG_CANON_RELAXED },
	{ "folded, repeated, simple",
	  { "From: alice@example.org", "To: a@example.net,\n\tb@example.net",
	    "To: c@example.net", "Subject:  two\n   lines ", NULL },
	  "a  b \r\n\r\n\r\n",
	  FG_CANON_SIMPLE,
	  FG_CANON_SIMPLE },
	{ "empty body, relaxed/simple",
	  { "From: alice@example.org", NULL },
	  "",
	  FG_CANON_RELAXED,
	  FG_CANON_SIMPLE },
};

/* sign_and_verify - the fields made for msgs[i], then verified */
static void
sign_and_verify(int i, const char *tamper, char *out, size_t cap)
{
	char err[2048], field[FG_SIGN_FIELD_MAX];
	struct fg_conf *c = load("", err, sizeof(err));
	struct fg_signkeys *k;
	struct fg_sign_req r;
	struct fg_dkim_signer *s;
	struct fg_hdrstore h, hv;
	struct fg_dns *dns;
	struct fg_dkim *d;
	struct fg_dkim_opts o = { .max_signatures = 10,
				  .min_rsa_bits = 1024,
				  .now = 1764600000,
				  .skew = 3600 };
	struct fg_buf b;
	const char *why;
	size_t j, len = 0, n;

	ck_assert(c != NULL);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_signkeys_load(c, &k, &b) == FG_OK);
	memset(&r, 0, sizeof(r));
	r.nkeys = fg_signkeys_for(k, "example.org", r.keys);
	r.hc = msgs[i].hc;
	r.bc = msgs[i].bc;
	r.now = 1764600000;
	r.headers = &c->dkim_sign_headers;
	r.oversign = &c->dkim_oversign_headers;
	s = fg_dkim_signer_new(&r);
	ck_assert(s != NULL);
	fg_hdrstore_init(&h);
	fg_hdrstore_init(&hv);
	for (j = 0; msgs[i].hdr[j] != NULL; j++) {
		const char *colon = strchr(msgs[i].hdr[j], ':');

		ck_assert(fg_hdrstore_add(&h, msgs[i].hdr[j],
					  (size_t)(colon - msgs[i].hdr[j]),
					  colon + 1,
					  strlen(colon + 1)) == FG_OK);
	}
	/* the body in two chunks, split inside a line */
	n = strlen(msgs[i].body);
	fg_dkim_signer_body(s, (const unsigned char *)msgs[i].body, n / 2);
	fg_dkim_signer_body(s, (const unsigned char *)msgs[i].body + n / 2,
			    n - n / 2);
	/* the verifier's store: our fields on top, then the message */
	for (j = 0; j < r.nkeys; j++) {
		ck_assert_msg(fg_dkim_signer_field(s, j, &h, field,
						   sizeof(field), &why),
			      "%s", why);
		ck_assert_msg(strchr(field, '\r') == NULL &&
				      strstr(field, "l=") == NULL,
			      "%s", field);
		ck_assert(fg_hdrstore_add(&hv, "DKIM-Signature", 14, field,
					  strlen(field)) == FG_OK);
	}
	for (j = 0; msgs[i].hdr[j] != NULL; j++) {
		const char *colon = strchr(msgs[i].hdr[j], ':');

		ck_assert(fg_hdrstore_add(&hv, msgs[i].hdr[j],
					  (size_t)(colon - msgs[i].hdr[j]),
					  colon + 1,
					  strlen(colon + 1)) == FG_OK);
	}
	if (tamper != NULL)
		ck_assert(fg_hdrstore_add(&hv, "From", 4, tamper,
					  strlen(tamper)) == FG_OK);
	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "r1._domainkey.example.org", FG_DNS_TXT,
				  rsa_rec) == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "e1._domainkey.example.org", FG_DNS_TXT,
				  ed_rec) == FG_OK);
	d = fg_dkim_new();
	fg_dkim_headers(d, &hv, &o, dns, NULL);
	fg_dkim_body(d, (const unsigned char *)msgs[i].body, n);
	fg_dkim_finish(d, fg_deadline_after(1000));
	out[0] = '\0';
	for (j = 0; j < fg_dkim_count(d); j++)
		len += (size_t)snprintf(
			out + len, cap - len, "%s%s", j ? "," : "",
			fg_dkim_result_name(fg_dkim_get(d, j)->result));
	fg_dkim_free(d);
	fg_dns_free(dns);
	fg_dkim_signer_free(s);
	fg_hdrstore_fini(&h);
	fg_hdrstore_fini(&hv);
	fg_signkeys_unref(k);
	fg_conf_unref(c);
}

START_TEST(signed_and_verified)
{
	char got[256];

	sign_and_verify(_i, NULL, got, sizeof(got));
	ck_assert_msg(strcmp(got, "pass,pass") == 0, "%s: %s", msgs[_i].name,
		      got);
	/* a From: added on the way: the over-signed From breaks both */
	sign_and_verify(_i, " mallory@example.org", got, sizeof(got));
	ck_assert_msg(strcmp(got, "fail,fail") == 0, "%s, From added: %s",
		      msgs[_i].name, got);
}
END_TEST

START_TEST(cut_fields_are_not_signed)
{
	char err[2048], field[FG_SIGN_FIELD_MAX];
	struct fg_conf *c = load("", err, sizeof(err));
	struct fg_signkeys *k;
	struct fg_sign_req r;
	struct fg_dkim_signer *s;
	struct fg_hdrstore h;
	struct fg_buf b;
	const char *why;
	char *subject = big(FG_HEADER_FIELD_MAX + 10, 'x');

	ck_assert(c != NULL);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert(fg_signkeys_load(c, &k, &b) == FG_OK);
	memset(&r, 0, sizeof(r));
	r.nkeys = fg_signkeys_for(k, "example.org", r.keys);
	r.headers = &c->dkim_sign_headers;
	s = fg_dkim_signer_new(&r);
	fg_hdrstore_init(&h);
	ck_assert(fg_hdrstore_add(&h, "From", 4, " a@example.org", 14) ==
		  FG_OK);
	ck_assert(fg_hdrstore_add(&h, "Subject", 7, subject, strlen(subject)) ==
		  FG_OK);
	ck_assert(!fg_dkim_signer_field(s, 0, &h, field, sizeof(field), &why));
	ck_assert_str_eq(why, "a signed header field is longer than the "
			      "store keeps");
	free(subject);
	fg_dkim_signer_free(s);
	fg_hdrstore_fini(&h);
	fg_signkeys_unref(k);
	fg_conf_unref(c);
}
END_TEST

static Suite *
dkimsign_suite(void)
{
	Suite *s = suite_create("dkimsign");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, table_errors, 0, NCASES(bad_tables));
	tcase_add_test(tc, key_errors);
	tcase_add_test(tc, keys_for_a_domain);
	tcase_add_loop_test(tc, signed_and_verified, 0, NCASES(msgs));
	tcase_add_test(tc, cut_fields_are_not_signed);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(dkimsign_suite)
