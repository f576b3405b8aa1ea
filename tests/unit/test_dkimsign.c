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

/* ---- ARC sealing through the session -------------------------------- */

static char slog[32768];
static size_t slen;

static void
capture(void *arg, enum fg_log_level level, const char *line, size_t len)
{
	(void)arg;
	(void)level;
	if (slen + len + 2 < sizeof(slog)) {
		memcpy(slog + slen, line, len);
		slen += len;
		slog[slen++] = '\n';
		slog[slen] = '\0';
	}
}

static const char *
client_macro(void *arg, const char *n)
{
	if (strcmp(n, "{client_addr}") == 0)
		return arg;
	return strcmp(n, "i") == 0 ? "Q1" : NULL;
}

#define HOP_FIELDS 32

/* One message at one hop: its header fields ("Name: value", folds
 * kept) and body, as the next hop receives them. */
struct hop {
	char *f[HOP_FIELDS];
	size_t n;
	char body[256];
	char authres[FG_AUTHRES_FIELD_MAX];
	enum fg_action action;
};

static void
hop_add(struct hop *h, const char *name, const char *value)
{
	size_t n = strlen(name) + strlen(value) + 3;

	ck_assert(h->n < HOP_FIELDS);
	h->f[h->n] = malloc(n);
	ck_assert(h->f[h->n] != NULL);
	snprintf(h->f[h->n++], n, "%s: %s", name, value);
}

static void
hop_free(struct hop *h)
{
	while (h->n > 0)
		free(h->f[--h->n]);
}

/* relay - in through a session (configuration extra, key r1 published
 * or timing out) from client ip to rcpt; out gets the fields it adds on
 * top of in's, and in's body; the log is in slog */
static void
relay(const struct hop *in, const char *extra, int key, const char *ip,
      const char *rcpt, struct hop *out)
{
	char err[2048];
	struct fg_conf *c = load(extra, err, sizeof(err));
	struct fg_signkeys *k;
	struct fg_log *l;
	struct fg_session *s;
	struct fg_dns *dns;
	struct fg_macros m = { client_macro, (void *)ip };
	struct fg_verdict v;
	struct fg_eom_ops ops;
	struct fg_buf b;
	size_t j;

	ck_assert_msg(c != NULL, "%s", err);
	fg_buf_init(&b, err, sizeof(err));
	ck_assert_msg(fg_signkeys_load(c, &k, &b) == FG_OK, "%s", err);
	ck_assert(fg_log_new_callback(capture, NULL, &l) == FG_OK);
	ck_assert(fg_session_new(c, l, &s) == FG_OK);
	fg_conf_unref(c);
	fg_log_unref(l);
	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "r1._domainkey.example.org",
				  key ? FG_DNS_TXT : 0,
				  key ? rsa_rec : "TIMEOUT") == FG_OK);
	fg_session_set_engines(s, NULL, dns);
	fg_session_set_signkeys(s, k);
	fg_signkeys_unref(k);
	fg_session_set_clock(s, 1764600000);
	slen = 0;
	slog[0] = '\0';
	memset(out, 0, sizeof(*out));
	fg_session_connect(s, "1", "unknown", NULL, &m, &v);
	fg_session_helo(s, "mail.example.net", &m, &v);
	fg_session_mail(s, (const char *const[]){ "<a@example.net>", NULL }, &m,
			&v);
	fg_session_rcpt(s, (const char *const[]){ rcpt, NULL }, &m, &v);
	fg_session_data(s, &m, &v);
	for (j = 0; j < in->n; j++) {
		char name[64];
		const char *colon = strchr(in->f[j], ':');

		snprintf(name, sizeof(name), "%.*s", (int)(colon - in->f[j]),
			 in->f[j]);
		fg_session_header(s, name, colon + 1, &v);
	}
	fg_session_eoh(s, &m, &v);
	fg_session_body(s, (const unsigned char *)in->body, strlen(in->body),
			&v);
	fg_session_eom(s, &m, &v, &ops);
	out->action = v.action;
	if (ops.arc_as != NULL) {
		hop_add(out, "ARC-Seal", ops.arc_as);
		hop_add(out, "ARC-Message-Signature", ops.arc_ams);
		hop_add(out, "ARC-Authentication-Results", ops.arc_aar);
	}
	if (ops.add_authres) {
		hop_add(out, "Authentication-Results", ops.authres);
		snprintf(out->authres, sizeof(out->authres), "%s", ops.authres);
	}
	for (j = 0; j < in->n; j++) {
		ck_assert(out->n < HOP_FIELDS);
		out->f[out->n] = strdup(in->f[j]);
		ck_assert(out->f[out->n++] != NULL);
	}
	snprintf(out->body, sizeof(out->body), "%s", in->body);
	fg_session_eom_done(s, NULL, &v);
	out->action = v.action > out->action ? v.action : out->action;
	fg_session_free(s);
	fg_dns_free(dns);
}

/* The site: mx.example.org seals with example.org's RSA key what goes
 * to its list domain, and what its list manager (192.0.2.7) re-injects;
 * mx.example.net, downstream, validates. */
static const char *sealer = "authserv_id = mx.example.org\n"
			    "arc_seal_domain = example.org\n"
			    "arc_seal_recipient_domains = lists.example.org\n"
			    "arc_seal_clients = 192.0.2.7\n"
			    "trusted_networks = 192.0.2.7\n";
static const char *downstream = "authserv_id = mx.example.net\n";

static void
first_message(struct hop *h)
{
	memset(h, 0, sizeof(*h));
	hop_add(h, "From", "Alice <alice@example.net>");
	hop_add(h, "To", "list@lists.example.org");
	hop_add(h, "Subject", "sealed\n\ton the way");
	snprintf(h->body, sizeof(h->body), "hello\r\n");
}

/* field - the value of the first field named name of h, or "" */
static const char *
field(const struct hop *h, const char *name)
{
	size_t j, n = strlen(name);

	for (j = 0; j < h->n; j++)
		if (strncasecmp(h->f[j], name, n) == 0 && h->f[j][n] == ':')
			return h->f[j] + n + 2;
	return "";
}

/* count - how many fields named name h has */
static size_t
count(const struct hop *h, const char *name)
{
	size_t j, k = 0, n = strlen(name);

	for (j = 0; j < h->n; j++)
		k += strncasecmp(h->f[j], name, n) == 0 && h->f[j][n] == ':';
	return k;
}

/* A list recipient: set i=1 (cv=none) carrying this hop's results; the
 * next hop passes the chain, and fails it once the body is altered.
 * Other recipients from other clients get no set. */
START_TEST(sealed_for_a_list)
{
	struct hop m, a, b;

	first_message(&m);
	relay(&m, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &a);
	ck_assert_msg(strstr(slog, "arc_seal=\"i=1:cv=none:example.org/r1\""),
		      "%s", slog);
	ck_assert_msg(strncmp(field(&a, "ARC-Authentication-Results"),
			      "i=1; mx.example.org;", 20) == 0 &&
			      strstr(field(&a, "ARC-Authentication-Results"),
				     "spf=") != NULL,
		      "%s", field(&a, "ARC-Authentication-Results"));
	ck_assert(strstr(field(&a, "ARC-Seal"), "cv=none") != NULL);
	relay(&a, downstream, 1, "203.0.113.5", "<bob@example.net>", &b);
	ck_assert_msg(strstr(b.authres, "arc=pass") != NULL, "%s", b.authres);
	hop_free(&b);
	snprintf(a.body, sizeof(a.body), "hello, altered\r\n");
	relay(&a, downstream, 1, "203.0.113.5", "<bob@example.net>", &b);
	ck_assert_msg(strstr(b.authres, "arc=fail") != NULL, "%s", b.authres);
	hop_free(&b);
	hop_free(&a);
	/* not a list, not a list manager: nothing */
	relay(&m, sealer, 1, "198.51.100.9", "<bob@example.org>", &a);
	ck_assert_msg(strstr(slog, "arc_seal=") == NULL, "%s", slog);
	ck_assert_uint_eq(count(&a, "ARC-Seal"), 0);
	hop_free(&a);
	hop_free(&m);
}
END_TEST

/* The list manager re-injects the message with a footer: the newest AMS
 * (ours, made at receipt) no longer verifies, yet the set made now says
 * cv=pass, as the chain did when it came in, and carries the results
 * recorded then; downstream passes it.  A message that came with no
 * chain (arc=none recorded) continues the same way from our own set. */
START_TEST(reinjected_with_a_footer)
{
	struct hop m, a, b, c;

	first_message(&m);
	relay(&m, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &a);
	ck_assert(strstr(a.authres, "arc=none") != NULL);
	snprintf(a.body, sizeof(a.body), "hello\r\n-- \r\nlist footer\r\n");
	relay(&a, sealer, 1, "192.0.2.7", "<bob@example.net>", &b);
	ck_assert_msg(strstr(slog, "arc_seal=\"i=2:cv=pass:example.org/r1\""),
		      "%s", slog);
	ck_assert_msg(strncmp(field(&b, "ARC-Authentication-Results"),
			      "i=2; mx.example.org; ", 21) == 0 &&
			      strstr(field(&b, "ARC-Authentication-Results"),
				     "smtp.mailfrom=a@example.net") != NULL,
		      "%s", field(&b, "ARC-Authentication-Results"));
	relay(&b, downstream, 1, "203.0.113.5", "<bob@example.net>", &c);
	ck_assert_msg(strstr(c.authres, "arc=pass") != NULL, "%s", c.authres);
	hop_free(&c);
	hop_free(&b);
	hop_free(&a);
	hop_free(&m);
}
END_TEST

/* A chain that fails here is sealed as such (cv=fail); a chain whose
 * newest seal already says cv=fail gets no set at all. */
START_TEST(failed_chains)
{
	struct hop m, a, b, c;
	char *p;

	first_message(&m);
	relay(&m, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &a);
	snprintf(a.body, sizeof(a.body), "altered\r\n");
	relay(&a, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &b);
	ck_assert_msg(strstr(slog, "arc_seal=\"i=2:cv=fail:example.org/r1\""),
		      "%s", slog);
	relay(&b, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &c);
	ck_assert_msg(strstr(slog, "arc_seal=\"none:the chain already failed "
				   "(cv=fail at i=2)\""),
		      "%s", slog);
	ck_assert_uint_eq(count(&c, "ARC-Seal"), 2);
	ck_assert(c.action == FG_ACT_ACCEPT || c.action == FG_ACT_TAG);
	/* a seal edited to say fail reads the same */
	hop_free(&c);
	hop_free(&b);
	first_message(&b);
	relay(&a, sealer, 1, "192.0.2.7", "<bob@example.net>", &c);
	p = strstr(c.f[0], "cv=pass");
	ck_assert(p != NULL);
	memcpy(p, "cv=fail", 7);
	hop_free(&b);
	relay(&c, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &b);
	ck_assert_msg(strstr(slog, "(cv=fail at i=2)"), "%s", slog);
	ck_assert_uint_eq(count(&b, "ARC-Seal"), 2);
	hop_free(&b);
	hop_free(&c);
	hop_free(&a);
	hop_free(&m);
}
END_TEST

/* The sealer's key cannot be fetched: no cv can be told, so no set is
 * made; the message is tempfailed, or goes on unsealed when
 * dkim_sign_failure = unsigned. */
START_TEST(chain_not_validated)
{
	char conf[512];
	struct hop m, a, b;

	first_message(&m);
	relay(&m, sealer, 1, "198.51.100.9", "<list@lists.example.org>", &a);
	relay(&a, sealer, 0, "198.51.100.9", "<list@lists.example.org>", &b);
	ck_assert_msg(b.action == FG_ACT_TEMPFAIL, "%d\n%s", b.action, slog);
	ck_assert_msg(strstr(slog, "the chain could not be validated "
				   "(temperror)"),
		      "%s", slog);
	ck_assert_uint_eq(count(&b, "ARC-Seal"), 1);
	hop_free(&b);
	snprintf(conf, sizeof(conf), "%sdkim_sign_failure = unsigned\n",
		 sealer);
	relay(&a, conf, 0, "198.51.100.9", "<list@lists.example.org>", &b);
	ck_assert_msg(strstr(slog, "arc_seal=\"unsealed:") != NULL, "%s", slog);
	ck_assert_uint_eq(count(&b, "ARC-Seal"), 1);
	hop_free(&b);
	hop_free(&a);
	hop_free(&m);
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
	tcase_add_test(tc, sealed_for_a_list);
	tcase_add_test(tc, reinjected_with_a_footer);
	tcase_add_test(tc, failed_chains);
	tcase_add_test(tc, chain_not_validated);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(dkimsign_suite)
