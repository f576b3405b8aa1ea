/*
 * bench/dkim - DKIM verification in one process, side by side
 *
 * Usage: bench/dkim [-n N] ZONE MSG...
 * ZONE holds the key records, one "NAME VALUE" per line.  Each message
 * (signed, every signature must verify) is verified N times by:
 *   forgeguard   the daemon's path: header store, fg_dkim_headers, body
 *                chunks of 64 kB, fg_dkim_finish; a warm key cache, keys
 *                from the in-memory resolver;
 *   floor        what no verifier can avoid: SHA-256 of the canonical
 *                body and OpenSSL's verification of the same signature
 *                with an already decoded key, nothing else;
 *   libopendkim  OpenDKIM's library (Debian libopendkim), the same
 *                message, keys from a file (its test query method);
 * and prints CPU microseconds per message for each, the ratios, and the
 * throughput of relaxed canonicalization plus SHA-256 against SHA-256
 * alone over the same body.  A message with ARC sets is also verified
 * with its chain validated (the newest AMS, the older ones for the
 * oldest pass, every seal; sharing the DKIM body hash and key cache),
 * against the same message's DKIM signature alone.  Each signed message
 * is also signed N times with a fresh key of its signature's type: by
 * forgeguard's signer (header store, 64 kB body chunks, the field), by
 * the floor (SHA-256 of the canonical body and one private-key
 * operation) and, for RSA, by libopendkim.  "RATIO NAME VALUE" lines
 * for bench/run.
 * Built only when libopendkim is there (configure); not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <opendkim/dkim.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "forgeguard/arc.h"
#include "forgeguard/base64.h"
#include "forgeguard/canon.h"
#include "forgeguard/deadline.h"
#include "forgeguard/dkim.h"
#include "forgeguard/dkimsig.h"
#include "forgeguard/dkimsign.h"
#include "forgeguard/split.h"

#define MAXF 256
#define ROUNDS 5 /* interleaved rounds of each measurement */

/* A message split as Postfix would hand it over. */
struct msg {
	const char *path;
	char *name[MAXF], *value[MAXF];
	size_t nf;
	unsigned char *body;
	size_t bn;
};

static void
m_header(void *arg, const char *name, const char *value)
{
	struct msg *m = arg;

	if (m->nf < MAXF) {
		m->name[m->nf] = strdup(name);
		m->value[m->nf++] = strdup(value);
	}
}

static void
m_eoh(void *arg)
{
}

static void
m_body(void *arg, const unsigned char *p, size_t n)
{
	struct msg *m = arg;

	m->body = realloc(m->body, m->bn + n);
	memcpy(m->body + m->bn, p, n);
	m->bn += n;
}

/* cpu - process CPU seconds */
static double
cpu(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
load(const char *path, struct msg *m)
{
	FILE *f = fopen(path, "rb");
	char *text = malloc(64 << 20);
	size_t n;
	struct fg_split_sink sink = { m_header, m_eoh, m_body, m };

	if (f == NULL || text == NULL) {
		perror(path);
		exit(1);
	}
	n = fread(text, 1, 64 << 20, f);
	fclose(f);
	memset(m, 0, sizeof(*m));
	m->path = path;
	if (fg_split(text, n, 0, &sink) != FG_OK)
		exit(1);
	free(text);
}

static struct fg_dns *dns;
static struct fg_keycache *kc;
static struct fg_dkim_opts opts = { .max_signatures = 10,
				    .min_rsa_bits = 1024,
				    .skew = 3600 };

/* fg_run - one verification by forgeguard, the ARC chain validated too
 * when arc; the number of passes (a passing chain counts one) */
static size_t
fg_run_arc(const struct msg *m, int arc)
{
	struct fg_hdrstore h;
	struct fg_dkim *d = fg_dkim_new();
	struct fg_dkim_opts o = opts;
	struct fg_arc chain;
	size_t k, pass = 0;

	fg_hdrstore_init(&h);
	for (k = 0; k < m->nf; k++)
		if (fg_hdrstore_add(&h, m->name[k], strlen(m->name[k]),
				    m->value[k], strlen(m->value[k])) != FG_OK)
			exit(3);
	o.arc_room = arc ? FG_ARC_SIGS_MAX : 0;
	fg_dkim_headers(d, &h, &o, dns, kc);
	if (arc) {
		fg_arc_init(&chain);
		fg_arc_headers(&chain, d, &h);
	}
	for (k = 0; k < m->bn; k += 65535)
		(void)fg_dkim_body(d, m->body + k,
				   m->bn - k < 65535 ? m->bn - k : 65535);
	fg_dkim_finish(d, fg_deadline_after(1000));
	for (k = 0; k < fg_dkim_count(d); k++)
		pass += fg_dkim_get(d, k)->result == FG_DKIM_PASS;
	if (arc) {
		fg_arc_finish(&chain, d, NULL);
		pass += chain.result == FG_ARC_PASS;
		fg_arc_fini(&chain);
	}
	fg_dkim_free(d);
	fg_hdrstore_fini(&h);
	return pass;
}

/* fg_run - one DKIM verification by forgeguard; the number of passes */
static size_t
fg_run(const struct msg *m)
{
	return fg_run_arc(m, 0);
}

/* has_arc - does m carry ARC sets */
static int
has_arc(const struct msg *m)
{
	size_t k;

	for (k = 0; k < m->nf; k++)
		if (strcasecmp(m->name[k], "ARC-Seal") == 0)
			return 1;
	return 0;
}

/* arc_cost - the message with its chain validated against its DKIM
 * signature alone, interleaved */
static int
arc_cost(const struct msg *m, const char *name, long n)
{
	double t0, t_arc = 0, t_dkim = 0;
	size_t passes = 0;
	long i;
	int r;

	(void)fg_run_arc(m, 1); /* the keys cached */
	for (r = 0; r < ROUNDS; r++) {
		t0 = cpu();
		for (i = 0; i < n / ROUNDS; i++)
			passes += fg_run_arc(m, 1);
		t_arc += cpu() - t0;
		t0 = cpu();
		for (i = 0; i < n / ROUNDS; i++)
			(void)fg_run(m);
		t_dkim += cpu() - t0;
	}
	n = n / ROUNDS * ROUNDS;
	printf("%-40s %10.1f us DKIM and ARC, %.1f us DKIM alone%s\n", name,
	       t_arc / (double)n * 1e6, t_dkim / (double)n * 1e6,
	       passes != 2 * (size_t)n ? " (not every run passed)" : "");
	printf("RATIO arc+dkim/dkim %s %.2f\n", name, t_arc / t_dkim);
	return passes == 2 * (size_t)n;
}

/* The floor's inputs: canonical body, header digest, key, signature. */
struct floor {
	unsigned char *cbody;
	size_t cn;
	unsigned char hd[32];
	EVP_PKEY *key;
	int ed;
	unsigned char sig[1024];
	size_t slen;
};

static void
collect(void *arg, const void *p, size_t n)
{
	struct floor *f = arg;

	f->cbody = realloc(f->cbody, f->cn + n);
	memcpy(f->cbody + f->cn, p, n);
	f->cn += n;
}

static void
hcollect(void *arg, const void *p, size_t n)
{
	EVP_DigestUpdate(arg, p, n);
}

/* key_of - the first signature's key, decoded, from the zone text */
static EVP_PKEY *
key_of(const char *zone, const struct fg_dkimsig *s)
{
	char name[600], *line, *copy = strdup(zone), *save = NULL;
	EVP_PKEY *k = NULL;

	snprintf(name, sizeof(name), "%s._domainkey.%s ", s->s, s->d);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		struct fg_dkimkey rec;
		const unsigned char *q;

		if (strncmp(line, name, strlen(name)) != 0)
			continue;
		if (fg_dkimkey_parse(line + strlen(name),
				     strlen(line + strlen(name)),
				     &rec) != FG_OK)
			break;
		q = rec.p;
		k = rec.ktype == FG_DKIM_K_ED25519
			    ? EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519,
							  NULL, rec.p, rec.plen)
			    : d2i_PUBKEY(NULL, &q, (long)rec.plen);
		break;
	}
	free(copy);
	return k;
}

/* floor_setup - the floor's inputs for the first signature of m; 0
 * when m is not signed */
static int
floor_setup(const struct msg *m, const char *zone, struct floor *f)
{
	static struct fg_dkimsig s;
	struct fg_canon_body cb;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t k, j;
	unsigned n;

	memset(f, 0, sizeof(*f));
	for (k = 0; k < m->nf; k++)
		if (strcasecmp(m->name[k], "DKIM-Signature") == 0)
			break;
	if (k == m->nf)
		return 0;
	if (fg_dkimsig_parse(m->value[k], strlen(m->value[k]), &s) != FG_OK)
		exit(1);
	fg_canon_body_init(&cb, s.bcanon, collect, f);
	fg_canon_body_feed(&cb, m->body, m->bn);
	fg_canon_body_end(&cb);
	/* the header hash, as the signer made it (simplified: each h= name
	 * once, top-down; the floor verifies this digest, whatever it is) */
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (j = 0; j < s.nh; j++)
		fg_canon_header(s.hcanon, s.h[j].p, s.h[j].n, "", 0, 1,
				hcollect, ctx);
	EVP_DigestFinal_ex(ctx, f->hd, &n);
	EVP_MD_CTX_free(ctx);
	f->key = key_of(zone, &s);
	f->ed = s.alg == FG_DKIM_ED25519_SHA256;
	memcpy(f->sig, s.b, s.blen);
	f->slen = s.blen;
	if (f->key == NULL)
		exit(1);
	return 1;
}

/* floor_run - SHA-256 of the canonical body, one verification; the
 * digest fetched once, as forgeguard does */
static void
floor_run(const struct floor *f)
{
	static EVP_MD *sha256;
	unsigned char d[32];
	unsigned n;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_DigestInit_ex(ctx, sha256, NULL);
	EVP_DigestUpdate(ctx, f->cbody, f->cn);
	EVP_DigestFinal_ex(ctx, d, &n);
	if (f->ed) {
		EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, f->key);
		(void)EVP_DigestVerify(ctx, f->sig, f->slen, f->hd, 32);
	} else {
		EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(f->key, NULL);

		EVP_PKEY_verify_init(pc);
		EVP_PKEY_CTX_set_rsa_padding(pc, 1);
		EVP_PKEY_CTX_set_signature_md(pc, sha256);
		(void)EVP_PKEY_verify(pc, f->sig, f->slen, f->hd, 32);
		EVP_PKEY_CTX_free(pc);
	}
	EVP_MD_CTX_free(ctx);
}

/* odkim_run - one verification by libopendkim; 1 when all passed */
static int
odkim_run(DKIM_LIB *lib, const struct msg *m)
{
	DKIM_STAT st;
	DKIM *d = dkim_verify(lib, (const u_char *)"bench", NULL, &st);
	size_t k;
	char hdr[65536];
	int ok;

	for (k = 0; k < m->nf; k++) {
		size_t n = 0;
		const char *v;

		n = (size_t)snprintf(hdr, sizeof(hdr), "%s:", m->name[k]);
		for (v = m->value[k]; *v && n < sizeof(hdr) - 2; v++) {
			if (*v == '\n' && (v == m->value[k] || v[-1] != '\r'))
				hdr[n++] = '\r';
			hdr[n++] = *v;
		}
		(void)dkim_header(d, (u_char *)hdr, n);
	}
	(void)dkim_eoh(d);
	for (k = 0; k < m->bn; k += 65535)
		(void)dkim_body(d, m->body + k,
				m->bn - k < 65535 ? m->bn - k : 65535);
	ok = dkim_eom(d, NULL) == DKIM_STAT_OK;
	dkim_free(d);
	return ok;
}

/* ---- signing ---------------------------------------------------------- */

/* The signers' inputs: a key of the message's type, in both forms. */
struct signer {
	struct fg_signkey key; /* forgeguard's */
	char pem[8192]; /* libopendkim's */
	EVP_PKEY *pkey; /* the floor's */
	struct fg_nameset headers, oversign;
	char *hnames[8];
	unsigned char *cbody; /* the floor's: canonical body */
	size_t cn;
};

static void
scollect(void *arg, const void *p, size_t n)
{
	struct signer *g = arg;

	g->cbody = realloc(g->cbody, g->cn + n);
	memcpy(g->cbody + g->cn, p, n);
	g->cn += n;
}

/* signer_setup - a fresh key of the type of m's first signature */
static void
signer_setup(const struct msg *m, int ed, struct signer *g)
{
	static char *names[] = { "date", "from", "message-id", "subject",
				 "to" };
	static char *from[] = { "from" };
	struct fg_canon_body cb;
	BIO *b;
	int fd;
	char path[] = "/tmp/fg-bench-key.XXXXXX";
	char err[256];
	struct fg_privkey *pk;

	memset(g, 0, sizeof(*g));
	if (fg_privkey_generate(ed ? FG_PK_ED25519 : FG_PK_RSA, 2048, &pk) !=
	    FG_OK)
		exit(1);
	fd = mkstemp(path);
	if (fd < 0 || fg_privkey_write(pk, fd) != FG_OK)
		exit(1);
	close(fd);
	fg_privkey_free(pk);
	if (fg_privkey_load(path, &g->key.pk, err, sizeof(err)) != FG_OK)
		exit(1);
	b = BIO_new_file(path, "r");
	g->pkey = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	{
		FILE *f = fopen(path, "r");
		size_t n = fread(g->pem, 1, sizeof(g->pem) - 1, f);

		g->pem[n] = '\0';
		fclose(f);
	}
	unlink(path);
	snprintf(g->key.domain, sizeof(g->key.domain), "example.org");
	snprintf(g->key.selector, sizeof(g->key.selector), "bench");
	g->key.alg = ed ? FG_DKIM_ED25519_SHA256 : FG_DKIM_RSA_SHA256;
	g->headers.v = names;
	g->headers.n = 5;
	g->oversign.v = from;
	g->oversign.n = 1;
	fg_canon_body_init(&cb, FG_CANON_RELAXED, scollect, g);
	fg_canon_body_feed(&cb, m->body, m->bn);
	fg_canon_body_end(&cb);
}

/* fg_sign - one DKIM-Signature by forgeguard, on the daemon's path:
 * header store, signer, body in 64 kB chunks, the field */
static int
fg_sign(const struct msg *m, const struct signer *g)
{
	struct fg_hdrstore h;
	struct fg_sign_req r = { .nkeys = 1,
				 .hc = FG_CANON_RELAXED,
				 .bc = FG_CANON_RELAXED,
				 .now = 1764600000,
				 .headers = &g->headers,
				 .oversign = &g->oversign };
	struct fg_dkim_signer *s;
	char field[FG_SIGN_FIELD_MAX];
	const char *why;
	size_t k;
	int ok;

	r.keys[0] = &g->key;
	fg_hdrstore_init(&h);
	for (k = 0; k < m->nf; k++)
		if (strcasecmp(m->name[k], "DKIM-Signature") != 0 &&
		    fg_hdrstore_add(&h, m->name[k], strlen(m->name[k]),
				    m->value[k], strlen(m->value[k])) != FG_OK)
			exit(3);
	s = fg_dkim_signer_new(&r);
	for (k = 0; k < m->bn; k += 65535)
		fg_dkim_signer_body(s, m->body + k,
				    m->bn - k < 65535 ? m->bn - k : 65535);
	ok = fg_dkim_signer_field(s, 0, &h, field, sizeof(field), &why);
	fg_dkim_signer_free(s);
	fg_hdrstore_fini(&h);
	return ok;
}

/* sign_floor - SHA-256 of the canonical body and one signature of a
 * 32-byte digest, nothing else */
static void
sign_floor(const struct signer *g)
{
	static EVP_MD *sha256;
	unsigned char d[32], sig[1024];
	size_t slen = sizeof(sig);
	unsigned n;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (sha256 == NULL)
		sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	EVP_DigestInit_ex(ctx, sha256, NULL);
	EVP_DigestUpdate(ctx, g->cbody, g->cn);
	EVP_DigestFinal_ex(ctx, d, &n);
	if (g->key.alg == FG_DKIM_ED25519_SHA256) {
		EVP_DigestSignInit(ctx, NULL, NULL, NULL, g->pkey);
		(void)EVP_DigestSign(ctx, sig, &slen, d, 32);
	} else {
		EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(g->pkey, NULL);

		EVP_PKEY_sign_init(pc);
		EVP_PKEY_CTX_set_rsa_padding(pc, 1);
		EVP_PKEY_CTX_set_signature_md(pc, sha256);
		(void)EVP_PKEY_sign(pc, sig, &slen, d, 32);
		EVP_PKEY_CTX_free(pc);
	}
	EVP_MD_CTX_free(ctx);
}

/* odkim_sign - one signature by libopendkim (rsa-sha256 only in
 * Debian's 2.11); 1 when made */
static int
odkim_sign(DKIM_LIB *lib, const struct msg *m, const struct signer *g)
{
	DKIM_STAT st;
	DKIM *d = dkim_sign(lib, (const u_char *)"bench", NULL,
			    (dkim_sigkey_t)g->pem, (const u_char *)"bench",
			    (const u_char *)"example.org", DKIM_CANON_RELAXED,
			    DKIM_CANON_RELAXED, DKIM_SIGN_RSASHA256, -1, &st);
	unsigned char *hdr;
	size_t len, k;
	char h[65536];
	int ok;

	if (d == NULL)
		return 0;
	for (k = 0; k < m->nf; k++) {
		size_t n;

		if (strcasecmp(m->name[k], "DKIM-Signature") == 0)
			continue;
		n = (size_t)snprintf(h, sizeof(h), "%s:%s", m->name[k],
				     m->value[k]);
		(void)dkim_header(d, (u_char *)h, n < sizeof(h) ? n : 0);
	}
	(void)dkim_eoh(d);
	for (k = 0; k < m->bn; k += 65535)
		(void)dkim_body(d, m->body + k,
				m->bn - k < 65535 ? m->bn - k : 65535);
	ok = dkim_eom(d, NULL) == DKIM_STAT_OK &&
	     dkim_getsighdr_d(d, 16, &hdr, &len) == DKIM_STAT_OK;
	dkim_free(d);
	return ok;
}

/* sign_cost - forgeguard's signer against the floor and libopendkim,
 * interleaved */
static int
sign_cost(DKIM_LIB *lib, const struct msg *m, const char *name, int ed, long n)
{
	struct signer g;
	double t0, t_fg = 0, t_floor = 0, t_od = 0;
	size_t made = 0, od_made = 0;
	long i;
	int r;

	signer_setup(m, ed, &g);
	for (r = 0; r < ROUNDS; r++) {
		t0 = cpu();
		for (i = 0; i < n / ROUNDS; i++)
			made += (size_t)fg_sign(m, &g);
		t_fg += cpu() - t0;
		t0 = cpu();
		for (i = 0; i < n / ROUNDS; i++)
			sign_floor(&g);
		t_floor += cpu() - t0;
		if (!ed) {
			t0 = cpu();
			for (i = 0; i < n / ROUNDS; i++)
				od_made += (size_t)odkim_sign(lib, m, &g);
			t_od += cpu() - t0;
		}
	}
	n = n / ROUNDS * ROUNDS;
	printf("%-40s %10.1f %10.1f %10s us signing%s\n", name,
	       t_fg / (double)n * 1e6, t_floor / (double)n * 1e6, ed ? "-" : "",
	       made != (size_t)n ? " (not every one made)" : "");
	printf("RATIO forgeguard-sign/sign-floor %s %.2f\n", name,
	       t_fg / t_floor);
	if (!ed && od_made == (size_t)n)
		printf("RATIO libopendkim-sign/forgeguard-sign %s %.2f\n", name,
		       t_od / t_fg);
	fg_privkey_free(g.key.pk);
	EVP_PKEY_free(g.pkey);
	free(g.cbody);
	return made == (size_t)n;
}

/* throughput - relaxed canonicalization plus SHA-256 against SHA-256
 * alone over the same bytes */
static void
sink_hash(void *arg, const void *p, size_t n)
{
	EVP_DigestUpdate(arg, p, n);
}

static void
throughput(const struct msg *m, const char *name, long runs)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char d[32];
	unsigned n;
	/* runs times 64 kB hashed each way: 128 MB at the default -n */
	size_t rounds = (size_t)runs * 65536 / (m->bn + 1) + 1, r;
	int k;
	double t0, t_sha, t_canon;
	struct fg_canon_body *cb = malloc(sizeof(*cb));

	t_sha = t_canon = 0;
	for (k = 0; k < ROUNDS; k++) {
		t0 = cpu();
		for (r = 0; r < rounds; r++) {
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
			EVP_DigestUpdate(ctx, m->body, m->bn);
			EVP_DigestFinal_ex(ctx, d, &n);
		}
		t_sha += cpu() - t0;
		t0 = cpu();
		for (r = 0; r < rounds; r++) {
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
			fg_canon_body_init(cb, FG_CANON_RELAXED, sink_hash,
					   ctx);
			fg_canon_body_feed(cb, m->body, m->bn);
			fg_canon_body_end(cb);
			EVP_DigestFinal_ex(ctx, d, &n);
		}
		t_canon += cpu() - t0;
	}
	rounds *= ROUNDS;
	printf("%s: relaxed canonicalization + sha256 %.2f GB/s, sha256 "
	       "alone %.2f GB/s\n",
	       name, (double)m->bn * (double)rounds / t_canon / 1e9,
	       (double)m->bn * (double)rounds / t_sha / 1e9);
	printf("RATIO relaxed+sha256/sha256-throughput %s %.2f\n", name,
	       t_sha / t_canon);
	free(cb);
	EVP_MD_CTX_free(ctx);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *t = calloc(1, 1 << 20);

	if (f == NULL || t == NULL)
		exit(1);
	(void)fread(t, 1, (1 << 20) - 1, f);
	fclose(f);
	return t;
}

int
main(int argc, char **argv)
{
	long n = 2000;
	int a = 1, k, bad = 0;
	char *zone, *line, *save = NULL, *copy;
	DKIM_LIB *lib;
	dkim_query_t qtype = DKIM_QUERY_FILE;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		n = strtol(argv[2], NULL, 10);
		a = 3;
	}
	if (argc - a < 2) {
		fprintf(stderr, "usage: bench/dkim [-n N] ZONE MSG...\n");
		return 2;
	}
	zone = slurp(argv[a]);
	if (fg_dns_new_fake(&dns) != FG_OK || fg_keycache_new(&kc) != FG_OK)
		return 1;
	copy = strdup(zone);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		if (sp != NULL) {
			*sp = '\0';
			if (fg_dns_fake_add(dns, line, FG_DNS_TXT, sp + 1) !=
			    FG_OK)
				return 1;
		}
	}
	free(copy);
	opts.now = (int64_t)time(NULL);
	lib = dkim_init(NULL, NULL);
	dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &qtype,
		     sizeof(qtype));
	dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO, argv[a],
		     strlen(argv[a]));
	printf("%-40s %10s %10s %10s\n", "message (N verifications)", "fg us",
	       "floor us", "odkim us");
	for (k = a + 1; k < argc; k++) {
		struct msg m;
		struct floor f;
		double t0, t_fg, t_floor, t_od;
		long i;
		int r;
		size_t passes = 0;
		int od_ok = 1;
		const char *name;

		load(argv[k], &m);
		name = strrchr(m.path, '/') ? strrchr(m.path, '/') + 1 : m.path;
		if (!floor_setup(&m, zone, &f)) {
			throughput(&m, name, n); /* not signed: the body only */
			continue;
		}
		(void)fg_run(
			&m); /* the key cache warm, as in a running daemon */
		/* in ROUNDS interleaved rounds, so that the machine's drift
		 * falls on all three alike */
		t_fg = t_floor = t_od = 0;
		for (r = 0; r < ROUNDS; r++) {
			t0 = cpu();
			for (i = 0; i < n / ROUNDS; i++)
				passes += fg_run(&m);
			t_fg += cpu() - t0;
			t0 = cpu();
			for (i = 0; i < n / ROUNDS; i++)
				floor_run(&f);
			t_floor += cpu() - t0;
			t0 = cpu();
			for (i = 0; i < n / ROUNDS; i++)
				od_ok &= odkim_run(lib, &m);
			t_od += cpu() - t0;
		}
		n = n / ROUNDS * ROUNDS;
		t_fg = t_fg / (double)n * 1e6;
		t_floor = t_floor / (double)n * 1e6;
		t_od = t_od / (double)n * 1e6;
		printf("%-40s %10.1f %10.1f %10.1f%s%s\n", name, t_fg, t_floor,
		       t_od,
		       passes != (size_t)n
			       ? " (forgeguard: not every run passed)"
			       : "",
		       od_ok ? "" : " (libopendkim: not every run passed)");
		if (passes != (size_t)n || !od_ok)
			bad = 1;
		printf("RATIO forgeguard/floor %s %.2f\n", name,
		       t_fg / t_floor);
		printf("RATIO libopendkim/forgeguard %s %.2f\n", name,
		       t_od / t_fg);
		if (m.bn >= 50000)
			throughput(&m, name, n);
		if (has_arc(&m) && !arc_cost(&m, name, n))
			bad = 1;
		if (!has_arc(&m) && !sign_cost(lib, &m, name, f.ed, n))
			bad = 1;
	}
	dkim_close(lib);
	return bad;
}
