/* test_dkim - tag=value lists, base64, DKIM-Signature and key records,
 * canonicalization vectors, and verification of RFC 8463 A.3 */
#include <stdint.h>

#include "forgeguard/base64.h"
#include "forgeguard/canon.h"
#include "forgeguard/deadline.h"
#include "forgeguard/dkim.h"
#include "forgeguard/dkimsig.h"
#include "forgeguard/split.h"
#include "forgeguard/tagvalue.h"
#include "msgsplit.h"
#include "tcase.h"
#include "../common/canonref.h"

/* ---- tag=value lists --------------------------------------------------- */

static const struct {
	const char *name, *in;
	int ok;
	const char *tag, *value; /* a tag and the value it must have */
} tags[] = {
	{ "simple", "a=b; c=d", 1, "c", "d" },
	{ "folding around", " a = b ;\r\n\tc =\r\n d e \r\n", 1, "c", "d e" },
	{ "trailing semicolon", "a=b;", 1, "a", "b" },
	{ "empty value", "p=; k=rsa", 1, "p", "" },
	{ "empty items skipped", "a=b;; ;c=d", 1, "c", "d" },
	{ "value keeps inner blanks", "h=from : to", 1, "h", "from : to" },
	{ "case-sensitive", "A=1; a=2", 1, "a", "2" },
	{ "underscore in name", "x_y1=z", 1, "x_y1", "z" },
	{ "8-bit value", "i=\xc3\xa9@x", 1, "i", "\xc3\xa9@x" },
	{ "duplicate", "a=b; a=c", 0, NULL, NULL },
	{ "no equals", "a; b=c", 0, NULL, NULL },
	{ "name starts with digit", "1a=b", 0, NULL, NULL },
	{ "control byte", "a=b\x01", 0, NULL, NULL },
	{ "NUL byte", "a=b\0c", 0, NULL, NULL },
	{ "empty list", "", 1, NULL, NULL },
};

START_TEST(tag_lists)
{
	struct fg_taglist tl;
	size_t n = strlen(tags[_i].in) + (strstr(tags[_i].name, "NUL") ? 2 : 0);
	enum fg_err e = fg_tagvalue_parse(tags[_i].in, n, &tl);

	ck_assert_msg((e == FG_OK) == tags[_i].ok, "%s: got %d (%s)",
		      tags[_i].name, e, tl.why ? tl.why : "");
	if (e == FG_OK && tags[_i].tag != NULL) {
		const struct fg_view *v = fg_tagvalue_get(&tl, tags[_i].tag);

		ck_assert_msg(v != NULL && fg_str_eq(v->p, v->n, tags[_i].value,
						     strlen(tags[_i].value)),
			      "%s: %s= is [%.*s]", tags[_i].name, tags[_i].tag,
			      v ? (int)v->n : 0, v ? v->p : "");
	}
}
END_TEST

START_TEST(too_many_tags)
{
	char buf[FG_TAGS_MAX * 8 + 16];
	struct fg_taglist tl;
	size_t k, n = 0;

	for (k = 0; k <= FG_TAGS_MAX; k++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "t%zu=1;", k);
	ck_assert_int_eq(fg_tagvalue_parse(buf, n, &tl), FG_ETOOLONG);
}
END_TEST

/* ---- base64 ------------------------------------------------------------- */

static const struct {
	const char *in;
	int ok;
	const char *out;
} b64[] = {
	{ "", 1, "" },
	{ "QQ==", 1, "A" },
	{ "QUI=", 1, "AB" },
	{ "QUJD", 1, "ABC" },
	{ " Q U\r\n\tJ D ", 1, "ABC" },
	{ "QQ", 0, NULL },
	{ "QQ=", 0, NULL },
	{ "QQ===", 0, NULL },
	{ "Q===", 0, NULL },
	{ "QR==", 0, NULL }, /* stray bits */
	{ "QQ==QQ==", 0, NULL },
	{ "QU!D", 0, NULL },
};

START_TEST(base64_cases)
{
	unsigned char out[16];
	size_t n;
	enum fg_err e = fg_base64_decode(b64[_i].in, strlen(b64[_i].in), out,
					 sizeof(out), &n);

	ck_assert_msg((e == FG_OK) == b64[_i].ok, "[%s]: got %d", b64[_i].in,
		      e);
	if (e == FG_OK)
		ck_assert_msg(n == strlen(b64[_i].out) &&
				      memcmp(out, b64[_i].out, n) == 0,
			      "[%s]: wrong bytes", b64[_i].in);
}
END_TEST

START_TEST(base64_round_trip_and_bound)
{
	unsigned char in[256], out[256];
	char text[400];
	size_t k, n;

	for (k = 0; k < sizeof(in); k++)
		in[k] = (unsigned char)(k * 7 + 3);
	for (k = 0; k < sizeof(in); k++) {
		fg_base64_encode(in, k, text);
		ck_assert(fg_base64_decode(text, strlen(text), out, sizeof(out),
					   &n) == FG_OK);
		ck_assert_uint_eq(n, k);
		ck_assert(memcmp(in, out, k) == 0);
	}
	fg_base64_encode(in, 100, text);
	ck_assert_int_eq(fg_base64_decode(text, strlen(text), out, 99, &n),
			 FG_ETOOLONG);
}
END_TEST

/* ---- DKIM-Signature ----------------------------------------------------- */

#define GOOD_B "b=dGVzdA==; bh=dGVzdA=="

static const struct {
	const char *name, *in;
	const char *why; /* NULL: must parse */
} sigs[] = {
	{ "minimal",
	  "v=1; a=rsa-sha256; d=Example.COM; s=sel; h=From:To; " GOOD_B, NULL },
	{ "every tag",
	  "v=1; a=ed25519-sha256; c=relaxed/simple; d=example.com; "
	  "i=joe@news.example.com; s=s_1; h=from; l=100; q=dns/txt; "
	  "t=1000; x=2000; z=From:x; " GOOD_B,
	  NULL },
	{ "no version", "a=rsa-sha256; d=x.example; s=s; h=from; " GOOD_B,
	  "required" },
	{ "version 2", "v=2; a=rsa-sha256; d=x.example; s=s; h=from; " GOOD_B,
	  "version" },
	{ "no b", "v=1; a=rsa-sha256; d=x.example; s=s; h=from; bh=dGVzdA==",
	  "required" },
	{ "unknown algorithm",
	  "v=1; a=rsa-md5; d=x.example; s=s; h=from; " GOOD_B, "algorithm" },
	{ "unknown canonicalization",
	  "v=1; a=rsa-sha256; c=loose; d=x.example; s=s; h=from; " GOOD_B,
	  "canonicalization" },
	{ "From not signed",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=to:subject; " GOOD_B,
	  "From is not signed" },
	{ "empty h item",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=from::to; " GOOD_B,
	  "empty field name" },
	{ "i outside d",
	  "v=1; a=rsa-sha256; d=x.example; i=a@y.example; s=s; h=from; " GOOD_B,
	  "within d=" },
	{ "i parent of d",
	  "v=1; a=rsa-sha256; d=a.x.example; i=@x.example; s=s; "
	  "h=from; " GOOD_B,
	  "within d=" },
	{ "x before t",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=from; t=20; x=10; " GOOD_B,
	  "x= is before t=" },
	{ "l not a number",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=from; l=1e3; " GOOD_B,
	  "l= is not" },
	{ "l overflow",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=from; "
	  "l=99999999999999999999999; " GOOD_B,
	  "l= is not" },
	{ "b not base64",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=from; b=%%; bh=dGVzdA==",
	  "b= is not base64" },
	{ "q without dns",
	  "v=1; a=rsa-sha256; d=x.example; s=s; h=from; q=http; " GOOD_B,
	  "q=" },
	{ "d not a domain",
	  "v=1; a=rsa-sha256; d=x..example; s=s; h=from; " GOOD_B, "d=" },
	{ "duplicate tag",
	  "v=1; a=rsa-sha256; d=x.example; d=y.example; s=s; h=from; " GOOD_B,
	  "duplicate" },
};

START_TEST(signature_fields)
{
	static struct fg_dkimsig s;
	enum fg_err e = fg_dkimsig_parse(sigs[_i].in, strlen(sigs[_i].in), &s);

	if (sigs[_i].why == NULL) {
		ck_assert_msg(e == FG_OK, "%s: %s", sigs[_i].name, s.why);
		return;
	}
	ck_assert_msg(e != FG_OK, "%s: parsed", sigs[_i].name);
	ck_assert_msg(strstr(s.why, sigs[_i].why) != NULL, "%s: why [%s]",
		      sigs[_i].name, s.why);
}
END_TEST

START_TEST(signature_facts)
{
	static struct fg_dkimsig s;
	static const char in[] = " v=1; a=ed25519-sha256; c=relaxed; "
				 "d=Example.COM; i=@news.example.com; s=Sel; "
				 "h=From : to; l=100; t=1000; x=2000; "
				 "bh=dGVzdA==;\r\n b = QUJD\r\n REVG ; z=x";

	ck_assert(fg_dkimsig_parse(in, strlen(in), &s) == FG_OK);
	ck_assert_int_eq(s.alg, FG_DKIM_ED25519_SHA256);
	ck_assert_int_eq(s.hcanon, FG_CANON_RELAXED);
	ck_assert_int_eq(s.bcanon, FG_CANON_SIMPLE);
	ck_assert_str_eq(s.d, "example.com");
	ck_assert_str_eq(s.s, "Sel");
	ck_assert_uint_eq(s.nh, 2);
	ck_assert(fg_str_eq(s.h[1].p, s.h[1].n, "to", 2));
	ck_assert(s.has_l && s.l == 100);
	ck_assert_uint_eq(s.blen, 6);
	ck_assert_str_eq(s.b_text, "QUJDREVG");
	/* b='s value, its whitespace included, is what gets emptied */
	ck_assert(fg_str_eq(in + s.b_start, s.b_end - s.b_start,
			    " QUJD\r\n REVG ", 13));
}
END_TEST

/* ---- key records -------------------------------------------------------- */

static const struct {
	const char *name, *in;
	const char *why; /* NULL: must parse */
	int revoked, testing, strict;
} keys[] = {
	{ "rsa default", "p=dGVzdA==", NULL, 0, 0, 0 },
	{ "full",
	  "v=DKIM1; k=ed25519; h=sha256; s=email; t=y:s; n=hi; "
	  "p=dGVzdA==",
	  NULL, 0, 1, 1 },
	{ "revoked", "v=DKIM1; p=", NULL, 1, 0, 0 },
	{ "v not first", "k=rsa; v=DKIM1; p=dGVzdA==", "version", 0, 0, 0 },
	{ "v wrong", "v=DKIM2; p=dGVzdA==", "version", 0, 0, 0 },
	{ "unknown k", "k=dsa; p=dGVzdA==", "key type", 0, 0, 0 },
	{ "no p", "v=DKIM1; k=rsa", "no p=", 0, 0, 0 },
	{ "not for email", "s=tlsrpt; p=dGVzdA==", "not for email", 0, 0, 0 },
	{ "bad base64", "p=dGVzd", "base64", 0, 0, 0 },
	{ "empty items", "v=DKIM1;; k=rsa;; p=dGVzdA==;", NULL, 0, 0, 0 },
};

START_TEST(key_records)
{
	static struct fg_dkimkey k;
	enum fg_err e = fg_dkimkey_parse(keys[_i].in, strlen(keys[_i].in), &k);

	if (keys[_i].why != NULL) {
		ck_assert_msg(e != FG_OK && strstr(k.why, keys[_i].why),
			      "%s: %d %s", keys[_i].name, e,
			      k.why ? k.why : "");
		return;
	}
	ck_assert_msg(e == FG_OK, "%s: %s", keys[_i].name, k.why);
	ck_assert_int_eq(k.revoked, keys[_i].revoked);
	ck_assert_int_eq(k.testing, keys[_i].testing);
	ck_assert_int_eq(k.strict, keys[_i].strict);
}
END_TEST

/* ---- canonicalization ----------------------------------------------------- */

static char canon_out[4096];
static size_t canon_n;

static void
collect(void *arg, const void *p, size_t n)
{
	ck_assert_uint_le(canon_n + n, sizeof(canon_out) - 1);
	memcpy(canon_out + canon_n, p, n);
	canon_n += n;
	canon_out[canon_n] = '\0';
}

static const struct {
	const char *name, *in;
	enum fg_canon c;
	const char *want;
} bodies[] = {
	{ "simple empty", "", FG_CANON_SIMPLE, "\r\n" },
	{ "relaxed empty", "", FG_CANON_RELAXED, "" },
	{ "simple only empty lines", "\r\n\r\n\r\n", FG_CANON_SIMPLE, "\r\n" },
	{ "relaxed only empty lines", "\r\n \r\n\t\r\n", FG_CANON_RELAXED, "" },
	{ "simple trailing empty lines", "a\r\n\r\n\r\n", FG_CANON_SIMPLE,
	  "a\r\n" },
	{ "simple inner empty lines kept", "a\r\n\r\nb\r\n\r\n",
	  FG_CANON_SIMPLE, "a\r\n\r\nb\r\n" },
	{ "simple no final CRLF", "a\r\nb", FG_CANON_SIMPLE, "a\r\nb\r\n" },
	{ "relaxed no final CRLF", "a \r\nb ", FG_CANON_RELAXED, "a\r\nb\r\n" },
	{ "simple keeps blanks", " a  b \t\r\n", FG_CANON_SIMPLE,
	  " a  b \t\r\n" },
	{ "relaxed blanks", " a  b \t\r\n  c\r\n", FG_CANON_RELAXED,
	  " a b\r\n c\r\n" },
	{ "relaxed blank lines inside", "a\r\n \t \r\nb\r\n", FG_CANON_RELAXED,
	  "a\r\n\r\nb\r\n" },
	{ "lone CR is data", "a\rb\r\n", FG_CANON_SIMPLE, "a\rb\r\n" },
	{ "lone LF is data", "a\nb\r\n", FG_CANON_RELAXED, "a\nb\r\n" },
	{ "CR at the end", "a\r", FG_CANON_SIMPLE, "a\r\r\n" },
	{ "8-bit kept", "\xc3\xa9 \r\n", FG_CANON_RELAXED, "\xc3\xa9\r\n" },
};

START_TEST(body_canon)
{
	static struct fg_canon_body b;
	size_t n = strlen(bodies[_i].in), k;

	/* fed whole, then one byte at a time: the same bytes come out */
	for (k = 0; k < 2; k++) {
		size_t i;

		canon_n = 0;
		canon_out[0] = '\0';
		fg_canon_body_init(&b, bodies[_i].c, collect, NULL);
		if (k == 0)
			fg_canon_body_feed(
				&b, (const unsigned char *)bodies[_i].in, n);
		else
			for (i = 0; i < n; i++)
				fg_canon_body_feed(
					&b,
					(const unsigned char *)bodies[_i].in +
						i,
					1);
		fg_canon_body_end(&b);
		ck_assert_msg(strcmp(canon_out, bodies[_i].want) == 0 &&
				      b.total == strlen(bodies[_i].want),
			      "%s (%s): got [%s]", bodies[_i].name,
			      k ? "bytewise" : "whole", canon_out);
	}
}
END_TEST

/* rnd_body - a body of length n from pieces that move the canonicalizer
 * (blanks, tabs, CR, LF, CRLF, empty lines) and long runs of text that
 * take its fast paths (the 16-byte scan, the direct write) */
static void
rnd_body(uint64_t *x, unsigned char *b, size_t n)
{
	static const char *const piece[] = { "a",     "bc",    " ",
					     "  ",    "\t",    "\r",
					     "\n",    "\r\n",  "\r\n\r\n",
					     " \r\n", "word ", "x y" };
	size_t i = 0;

	while (i < n) {
		const char *p;
		size_t k, len;

		*x ^= *x << 13;
		*x ^= *x >> 7;
		*x ^= *x << 17;
		if (*x % 23 == 0) { /* a long run of ordinary text */
			len = 16 + (size_t)(*x >> 8) % 700;
			for (k = 0; k < len && i < n; k++)
				b[i++] =
					(k % 6 == 5)
						? ' '
						: (unsigned char)('a' + k % 26);
			continue;
		}
		p = piece[(*x >> 8) % NCASES(piece)];
		for (k = 0; p[k] != '\0' && i < n; k++)
			b[i++] = (unsigned char)p[k];
	}
}

START_TEST(body_canon_matches_model)
{
	static const size_t steps[] = { 0, 1, 2, 7, 16, 17, 64, 513 };
	static struct fg_canon_body b;
	static unsigned char body[4096];
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int round, c;
	size_t s;

	for (round = 0; round < 600; round++) {
		size_t n = (size_t)round * 37 % sizeof(body);

		rnd_body(&x, body, n);
		for (c = 0; c < 2; c++) {
			size_t rn;
			unsigned char *ref = canonref_body(
				c == FG_CANON_RELAXED, body, n, &rn);

			for (s = 0; s < NCASES(steps); s++) {
				struct canonref_out g = { NULL, 0, 0 };
				size_t i, step = steps[s] ? steps[s] : n + 1;

				fg_canon_body_init(&b, (enum fg_canon)c,
						   canonref_collect, &g);
				for (i = 0; i < n; i += step)
					fg_canon_body_feed(&b, body + i,
							   n - i < step ? n - i
									: step);
				fg_canon_body_end(&b);
				ck_assert_msg(
					g.n == rn && b.total == rn &&
						(rn == 0 ||
						 memcmp(g.p, ref, rn) == 0),
					"round %d %s in chunks of %zu: "
					"%zu bytes, the model %zu",
					round, c ? "relaxed" : "simple",
					steps[s], g.n, rn);
				free(g.p);
			}
			free(ref);
		}
	}
}
END_TEST

static const struct {
	const char *name, *hname, *value;
	enum fg_canon c;
	const char *want;
} hdrs[] = {
	{ "simple as sent", "Subject", " Hello  World ", FG_CANON_SIMPLE,
	  "Subject: Hello  World \r\n" },
	{ "simple folding to CRLF", "Subject", " a\n\tb", FG_CANON_SIMPLE,
	  "Subject: a\r\n\tb\r\n" },
	{ "simple CRLF kept", "Subject", " a\r\n b", FG_CANON_SIMPLE,
	  "Subject: a\r\n b\r\n" },
	{ "relaxed", "SubJect", " \t Hello \t World \t", FG_CANON_RELAXED,
	  "subject:Hello World\r\n" },
	{ "relaxed unfolds", "To", " a,\r\n\tb,\n c ", FG_CANON_RELAXED,
	  "to:a, b, c\r\n" },
	{ "relaxed empty value", "X", "   ", FG_CANON_RELAXED, "x:\r\n" },
};

START_TEST(header_canon)
{
	canon_n = 0;
	canon_out[0] = '\0';
	fg_canon_header(hdrs[_i].c, hdrs[_i].hname, strlen(hdrs[_i].hname),
			hdrs[_i].value, strlen(hdrs[_i].value), 1, collect,
			NULL);
	ck_assert_msg(strcmp(canon_out, hdrs[_i].want) == 0, "%s: got [%s]",
		      hdrs[_i].name, canon_out);
}
END_TEST

/* ---- verification ----------------------------------------------------------- */

/* load - a message file from tests/data/dkim */
static void
load(const char *file, struct tmsg *m)
{
	tmsg_load("dkim", file, "", m);
}

static const char ed_key[] = "v=DKIM1; k=ed25519; "
			     "p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
static const char rsa_key[] =
	"v=DKIM1; k=rsa; "
	"p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08"
	"a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+"
	"yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/"
	"K4w3QIDAQAB";

/* verify - the results of m's signatures, as "result,result" */
static void
verify(struct tmsg *m, struct fg_dns *dns, struct fg_keycache *kc, size_t chunk,
       char *out, size_t cap)
{
	struct fg_dkim *d = fg_dkim_new();
	struct fg_dkim_opts o = { .max_signatures = 10,
				  .min_rsa_bits = 1024,
				  .now = 1528000000,
				  .skew = 3600 };
	size_t k, len = 0;

	ck_assert(d != NULL);
	fg_dkim_headers(d, &m->h, &o, dns, kc);
	for (k = 0; k < m->n; k += chunk)
		fg_dkim_body(d, m->body + k,
			     m->n - k < chunk ? m->n - k : chunk);
	fg_dkim_finish(d, fg_deadline_after(2000));
	out[0] = '\0';
	for (k = 0; k < fg_dkim_count(d); k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(d, k);

		len += (size_t)snprintf(out + len, cap - len, "%s%s",
					k ? "," : "",
					fg_dkim_result_name(g->result));
		if (g->why != NULL)
			len += (size_t)snprintf(out + len, cap - len, "(%s)",
						g->why);
	}
	fg_dkim_free(d);
}

static struct fg_dns *
rfc8463_dns(int with_ed, int with_rsa)
{
	struct fg_dns *dns;

	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	if (with_ed)
		ck_assert(
			fg_dns_fake_add(dns,
					"brisbane._domainkey.football.example."
					"com",
					FG_DNS_TXT, ed_key) == FG_OK);
	if (with_rsa)
		ck_assert(fg_dns_fake_add(
				  dns, "test._domainkey.football.example.com",
				  FG_DNS_TXT, rsa_key) == FG_OK);
	return dns;
}

START_TEST(rfc8463_both_pass)
{
	struct fg_dns *dns = rfc8463_dns(1, 1);
	struct fg_keycache *kc;
	struct tmsg m;
	char got[512];
	size_t chunk;

	ck_assert(fg_keycache_new(&kc) == FG_OK);
	load("rfc8463-a3.eml", &m);
	/* whatever the chunks, the same result */
	for (chunk = 1; chunk < 200; chunk = chunk * 3 + 1) {
		verify(&m, dns, kc, chunk, got, sizeof(got));
		ck_assert_msg(strcmp(got, "pass,pass") == 0, "chunk %zu: %s",
			      chunk, got);
	}
	/* the second time the keys came from the cache */
	ck_assert_uint_eq(fg_keycache_count(kc), 2);
	fg_keycache_free(kc);
	fg_dns_free(dns);
	tmsg_free(&m);
}
END_TEST

START_TEST(rfc8463_altered_and_keyless)
{
	struct fg_dns *dns = rfc8463_dns(1, 0);
	struct tmsg m;
	char got[512];

	load("rfc8463-a3.eml", &m);
	/* the RSA key is missing */
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "pass,permerror(no key record)");
	/* one byte of the body changed */
	m.body[3] ^= 1;
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got,
			 "fail(body hash mismatch),permerror(no key record)");
	fg_dns_free(dns);
	/* the key lookup times out: the key comes first (RFC 6376 6.1.2) */
	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	ck_assert(fg_dns_fake_add(dns,
				  "brisbane._domainkey.football.example.com", 0,
				  "TIMEOUT") == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "test._domainkey.football.example.com",
				  0, "TIMEOUT") == FG_OK);
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "temperror(key lookup timed out),"
			      "temperror(key lookup timed out)");
	m.body[3] ^= 1;
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "temperror(key lookup timed out),"
			      "temperror(key lookup timed out)");
	/* no resolver at all */
	verify(&m, NULL, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "temperror(no resolver),temperror(no resolver)");
	fg_dns_free(dns);
	tmsg_free(&m);
}
END_TEST

START_TEST(rfc8463_keys_that_do_not_fit)
{
	struct fg_dns *dns;
	struct tmsg m;
	char got[512];

	load("rfc8463-a3.eml", &m);
	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	/* revoked; the RSA key published as ed25519 */
	ck_assert(
		fg_dns_fake_add(dns, "brisbane._domainkey.football.example.com",
				FG_DNS_TXT, "v=DKIM1; k=ed25519; p=") == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "test._domainkey.football.example.com",
				  FG_DNS_TXT,
				  "v=DKIM1; k=ed25519; p=dGVzdA==") == FG_OK);
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "permerror(key revoked (empty p=)),"
			      "permerror(an ed25519 key is 32 bytes (RFC 8463 "
			      "4.2))");
	fg_dns_free(dns);
	/* two records at one name; a key in testing mode that allows only
	 * sha1 */
	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	ck_assert(fg_dns_fake_add(dns,
				  "brisbane._domainkey.football.example.com",
				  FG_DNS_TXT, ed_key) == FG_OK);
	ck_assert(fg_dns_fake_add(dns,
				  "brisbane._domainkey.football.example.com",
				  FG_DNS_TXT, ed_key) == FG_OK);
	ck_assert(fg_dns_fake_add(dns, "test._domainkey.football.example.com",
				  FG_DNS_TXT,
				  "v=DKIM1; h=sha1; t=y; p=x") == FG_OK);
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "permerror(several key records),"
			      "permerror(p= is not base64)");
	fg_dns_free(dns);
	tmsg_free(&m);
}
END_TEST

/* store_sig - a header store with From: and n copies of a signature */
static void
store_sig(struct fg_hdrstore *h, const char *sig, size_t n)
{
	size_t k;

	fg_hdrstore_init(h);
	for (k = 0; k < n; k++)
		ck_assert(fg_hdrstore_add(h, "DKIM-Signature", 14, sig,
					  strlen(sig)) == FG_OK);
	ck_assert(fg_hdrstore_add(h, "From", 4, " a@x.example", 12) == FG_OK);
}

/* judge - the results of the signatures of h with an empty body */
static struct fg_dkim *
judge(const struct fg_hdrstore *h, struct fg_dns *dns)
{
	struct fg_dkim *d = fg_dkim_new();
	struct fg_dkim_opts o = { .max_signatures = 10,
				  .min_rsa_bits = 1024,
				  .now = 1528000000,
				  .skew = 3600 };

	fg_dkim_headers(d, h, &o, dns, NULL);
	fg_dkim_finish(d, fg_deadline_after(1000));
	return d;
}

START_TEST(hostile_hundred_signatures)
{
	static const char sig[] = " v=1; a=rsa-sha256; d=x.example; s=s; "
				  "h=from; bh=dGVzdA==; b=dGVzdA==";
	struct fg_hdrstore h;
	struct fg_dkim *d;
	struct fg_dns *dns;
	size_t k;

	ck_assert(fg_dns_new_fake(&dns) == FG_OK);
	store_sig(&h, sig, 100);
	d = judge(&h, dns);
	/* 50 reported, the first 10 checked, the rest counted */
	ck_assert_uint_eq(fg_dkim_count(d), FG_DKIM_SIGS_MAX);
	ck_assert_uint_eq(fg_dkim_unreported(d), 100 - FG_DKIM_SIGS_MAX);
	for (k = 0; k < fg_dkim_count(d); k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(d, k);

		ck_assert_int_eq(g->result,
				 k < 10 ? FG_DKIM_PERMERROR : FG_DKIM_NEUTRAL);
	}
	/* one key lookup for ten signatures naming one key */
	ck_assert_uint_eq(fg_dns_queries(dns), 1);
	fg_dkim_free(d);
	fg_hdrstore_fini(&h);
	fg_dns_free(dns);
}
END_TEST

START_TEST(hostile_fields)
{
	static const struct {
		const char *name, *why;
		size_t hfields, bsize;
	} cases[] = {
		{ "h= of 1,000 fields", "too many fields in h=", 1000, 0 },
		{ "b= of 1 MB", "too long", 0, 1 << 20 },
		{ "base64 garbage", "b= is not base64", 0, 0 },
	};
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t cap = 64 + cases[c].hfields * 6 + cases[c].bsize, k;
		char *sig = malloc(cap + 128), *p = sig;
		struct fg_hdrstore h;
		struct fg_dkim *d;

		p += sprintf(p, " v=1; a=rsa-sha256; d=x.example; s=s; "
				"bh=dGVzdA==; h=from");
		for (k = 0; k < cases[c].hfields; k++)
			p += sprintf(p, ":to");
		p += sprintf(p, "; b=");
		for (k = 0; k < cases[c].bsize; k++)
			*p++ = 'A';
		if (cases[c].bsize == 0 && cases[c].hfields == 0)
			p += sprintf(p, "%%%%not*base64");
		else if (cases[c].bsize == 0)
			p += sprintf(p, "dGVzdA==");
		*p = '\0';
		store_sig(&h, sig, 1);
		d = judge(&h, NULL);
		ck_assert_uint_eq(fg_dkim_count(d), 1);
		ck_assert_int_eq(fg_dkim_get(d, 0)->result, FG_DKIM_PERMERROR);
		ck_assert_msg(strstr(fg_dkim_get(d, 0)->why, cases[c].why) !=
				      NULL,
			      "%s: %s", cases[c].name, fg_dkim_get(d, 0)->why);
		fg_dkim_free(d);
		fg_hdrstore_fini(&h);
		free(sig);
	}
}
END_TEST

START_TEST(hostile_key_that_is_not_a_key)
{
	struct fg_dns *dns = rfc8463_dns(0, 0);
	struct tmsg m;
	char got[512];

	load("rfc8463-a3.eml", &m);
	ck_assert(fg_dns_fake_add(
			  dns, "brisbane._domainkey.football.example.com",
			  FG_DNS_TXT, "v=DKIM1; k=ed25519; p=AAAA") == FG_OK);
	ck_assert(
		fg_dns_fake_add(
			dns, "test._domainkey.football.example.com", FG_DNS_TXT,
			"v=DKIM1; "
			"p=VGhpcyBpcyBub3QgYSBrZXksIGl0IGlzIGEgc2VudGVuY2Uu") ==
		FG_OK);
	verify(&m, dns, NULL, 4096, got, sizeof(got));
	ck_assert_str_eq(got, "permerror(an ed25519 key is 32 bytes (RFC 8463 "
			      "4.2)),permerror(p= is not a public key)");
	fg_dns_free(dns);
	tmsg_free(&m);
}
END_TEST

START_TEST(hostile_fifty_megabyte_body)
{
	/* streamed through both canonicalizations, never held */
	static const char sig[] =
		" v=1; a=rsa-sha256; c=relaxed/relaxed; d=x.example; s=s; "
		"h=from; bh=dGVzdA==; b=dGVzdA==";
	static const char sig2[] =
		" v=1; a=rsa-sha256; c=simple/simple; d=y.example; s=s; "
		"h=from; bh=dGVzdA==; b=dGVzdA==";
	unsigned char *chunk = malloc(65536);
	struct fg_hdrstore h;
	struct fg_dkim *d = fg_dkim_new();
	struct fg_dkim_opts o = { .max_signatures = 10,
				  .min_rsa_bits = 1024,
				  .now = 1528000000,
				  .skew = 3600 };
	size_t k, fed = 0;

	for (k = 0; k < 65536; k++)
		chunk[k] = k % 80 == 79   ? '\n'
			   : k % 80 == 78 ? '\r'
			   : k % 7 == 0   ? ' '
					  : 'x';
	store_sig(&h, sig, 1);
	ck_assert(fg_hdrstore_add(&h, "DKIM-Signature", 14, sig2,
				  strlen(sig2)) == FG_OK);
	fg_dkim_headers(d, &h, &o, NULL, NULL);
	while (fed < 50u << 20) {
		ck_assert(fg_dkim_body(d, chunk, 65536));
		fed += 65536;
	}
	fg_dkim_finish(d, fg_deadline_after(100));
	ck_assert_uint_eq(fg_dkim_count(d), 2);
	ck_assert_int_eq(fg_dkim_get(d, 0)->result, FG_DKIM_TEMPERROR);
	fg_dkim_free(d);
	fg_hdrstore_fini(&h);
	free(chunk);
}
END_TEST

START_TEST(length_tag_stops_reading)
{
	/* l= covers 10 bytes: the body is wanted until one byte past it */
	static const char sig[] =
		" v=1; a=rsa-sha256; c=simple/simple; d=x.example; s=s; "
		"l=10; h=from; bh=dGVzdA==; b=dGVzdA==";
	struct fg_hdrstore h;
	struct fg_dkim *d = fg_dkim_new();
	struct fg_dkim_opts o = { .max_signatures = 10,
				  .min_rsa_bits = 1024,
				  .now = 1528000000,
				  .skew = 3600 };

	store_sig(&h, sig, 1);
	fg_dkim_headers(d, &h, &o, NULL, NULL);
	ck_assert(fg_dkim_body(d, (const unsigned char *)"12345", 5));
	ck_assert(fg_dkim_body(d, (const unsigned char *)"67890", 5));
	ck_assert(!fg_dkim_body(d, (const unsigned char *)"X\r\n", 3));
	fg_dkim_finish(d, fg_deadline_after(100));
	fg_dkim_free(d);
	fg_hdrstore_fini(&h);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dkim");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, tag_lists, 0, NCASES(tags));
	tcase_add_test(tc, too_many_tags);
	tcase_add_loop_test(tc, base64_cases, 0, NCASES(b64));
	tcase_add_test(tc, base64_round_trip_and_bound);
	tcase_add_loop_test(tc, signature_fields, 0, NCASES(sigs));
	tcase_add_test(tc, signature_facts);
	tcase_add_loop_test(tc, key_records, 0, NCASES(keys));
	tcase_add_loop_test(tc, body_canon, 0, NCASES(bodies));
	tcase_add_test(tc, body_canon_matches_model);
	tcase_add_loop_test(tc, header_canon, 0, NCASES(hdrs));
	tcase_add_test(tc, rfc8463_both_pass);
	tcase_add_test(tc, rfc8463_altered_and_keyless);
	tcase_add_test(tc, rfc8463_keys_that_do_not_fit);
	tcase_add_test(tc, hostile_hundred_signatures);
	tcase_add_test(tc, hostile_fields);
	tcase_add_test(tc, hostile_key_that_is_not_a_key);
	tcase_add_test(tc, hostile_fifty_megabyte_body);
	tcase_add_test(tc, length_tag_stops_reading);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
