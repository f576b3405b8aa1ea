/*
 * NAME
 *	dkim - verify the DKIM signatures of one message
 * SYNOPSIS
 *	#include "forgeguard/dkim.h"
 * DESCRIPTION
 *	End of headers: every DKIM-Signature field is parsed (up to
 *	max_signatures; the rest are reported as not checked), judged on
 *	what needs no key (version, algorithm, From signed, i= within d=,
 *	t= and x= against the clock, rsa-sha1), and its header hash is
 *	computed: each name of h= takes the last instance of that field not
 *	yet taken, an absent one adds nothing (over-signing), then the
 *	signature field itself with its b= value emptied and no final CRLF.
 *	Signatures share body hashes: one per (algorithm, canonicalization,
 *	l=), fed by at most two canonicalizers that see each body byte
 *	once; a hash with l= stops at l, and the body is read no further
 *	than every hash needs (one byte past l tells that unsigned content
 *	follows).  Key records are looked up once per name, all at once,
 *	unless the key cache has them.
 *	End of message: keys are waited for, decoded and checked against
 *	the signature (type, hash, RFC 8301 size, t=s), then body hash and
 *	signature are verified.
 * STANDARDS
 *	RFC 6376 3.4 (canonicalization), 3.5, 3.6, 3.7 (the hashes), 5.4.2
 *	(header selection), 6.1 (verification); RFC 8301 (rsa-sha1 and keys
 *	under 1024 bits are not acceptable); RFC 8463 (ed25519-sha256).
 * DIAGNOSTICS
 *	Every signature ends with a result; a reason says why it is not a
 *	pass.  Running out of memory gives temperror, never a pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/canon.h"
#include "forgeguard/crypto.h"
#include "forgeguard/dkim.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"
#include "forgeguard/tagvalue.h"

/* A body hash that signatures share. */
struct bodyhash {
	enum fg_canon c;
	enum fg_hash_alg alg;
	int has_l;
	uint64_t l;
	uint64_t hashed;
	struct fg_hash *h;
	unsigned char digest[FG_HASH_MAX];
	size_t dlen;
};

/* A key record that signatures share. */
struct keysrc {
	char name[2 * FG_DOMAIN_MAX + 16];
	struct fg_dns_query *q;
	int have; /* pub holds a key */
	int done;
	struct fg_dkim_pub pub;
	enum fg_dkim_result err; /* without a key: why not */
	const char *why;
};

/* One signature on its way. */
struct sig {
	struct fg_dkim_sig pub;
	struct fg_dkimsig *p;
	int decided; /* pub.result is final */
	unsigned char hd[FG_HASH_MAX];
	size_t hdlen;
	size_t body, key; /* indexes into bh and keys */
};

/* What a canonicalizer's sink needs. */
struct sinkarg {
	struct fg_dkim *d;
	enum fg_canon c;
};

/* A signature without a body hash (an ARC-Seal). */
#define NO_BODY ((size_t)-1)

struct fg_dkim {
	struct sig *s;
	size_t n; /* DKIM-Signatures first, then what fg_dkim_add added */
	size_t ndkim;
	size_t cap;
	/* at most one of each per signature, allocated with the
	 * signatures: a message without any costs only this struct */
	struct bodyhash *bh;
	size_t nbh;
	struct keysrc *keys;
	size_t nkeys;
	struct fg_canon_body *canon[2];
	struct sinkarg sa[2];
	struct fg_dns *dns;
	struct fg_keycache *kc;
	struct fg_dkim_opts o;
	size_t unreported; /* signatures past FG_DKIM_SIGS_MAX */
};

static const char *const result_names[] = {
	[FG_DKIM_PASS] = "pass",       [FG_DKIM_TEMPERROR] = "temperror",
	[FG_DKIM_POLICY] = "policy",   [FG_DKIM_FAIL] = "fail",
	[FG_DKIM_NEUTRAL] = "neutral", [FG_DKIM_PERMERROR] = "permerror",
	[FG_DKIM_NONE] = "none",
};

/* fg_dkim_result_name - "pass", "fail", ... */
const char *
fg_dkim_result_name(enum fg_dkim_result r)
{
	return (unsigned)r <= FG_DKIM_NONE ? result_names[r] : "?";
}

/* fg_dkim_new - nothing seen yet */
struct fg_dkim *
fg_dkim_new(void)
{
	return calloc(1, sizeof(struct fg_dkim));
}

/* fg_dkim_free - release, cancelling lookups still in flight */
void
fg_dkim_free(struct fg_dkim *d)
{
	size_t k;

	if (d == NULL)
		return;
	for (k = 0; k < d->n; k++)
		free(d->s[k].p);
	free(d->s);
	for (k = 0; k < d->nbh; k++)
		fg_hash_free(d->bh[k].h);
	for (k = 0; k < d->nkeys; k++) {
		if (d->keys[k].q != NULL)
			fg_dns_cancel(d->dns, d->keys[k].q);
		fg_pubkey_free(d->keys[k].pub.key);
	}
	free(d->bh);
	free(d->keys);
	free(d->canon[0]);
	free(d->canon[1]);
	free(d);
}

/* decide - a signature's final result */
static void
decide(struct sig *sg, enum fg_dkim_result r, const char *why)
{
	sg->pub.result = r;
	sg->pub.why = why;
	sg->decided = 1;
}

/* hash_of - the hash algorithm of a signing algorithm */
static enum fg_hash_alg
hash_of(enum fg_dkim_alg a)
{
	return a == FG_DKIM_RSA_SHA1 ? FG_HASH_SHA1 : FG_HASH_SHA256;
}

/* body_sink - canonical body bytes to every hash of that canonicalization */
static void
body_sink(void *arg, const void *p, size_t n)
{
	const struct sinkarg *a = arg;
	struct fg_dkim *d = a->d;
	size_t k;

	for (k = 0; k < d->nbh; k++) {
		struct bodyhash *b = &d->bh[k];
		uint64_t take = n;

		if (b->c != a->c || b->h == NULL)
			continue;
		if (b->has_l) {
			if (b->hashed >= b->l)
				continue;
			if (take > b->l - b->hashed)
				take = b->l - b->hashed;
		}
		fg_hash_update(b->h, p, (size_t)take);
		b->hashed += take;
	}
}

/* body_for - the shared body hash a signature uses; nbh when none could
 * be made */
static size_t
body_for(struct fg_dkim *d, const struct fg_dkimsig *p)
{
	enum fg_hash_alg alg = hash_of(p->alg);
	size_t k;
	struct bodyhash *b;

	for (k = 0; k < d->nbh; k++) {
		b = &d->bh[k];
		if (b->c == p->bcanon && b->alg == alg &&
		    b->has_l == p->has_l && (!p->has_l || b->l == p->l))
			return k;
	}
	if (d->canon[p->bcanon] == NULL) {
		d->canon[p->bcanon] = malloc(sizeof(struct fg_canon_body));
		if (d->canon[p->bcanon] == NULL)
			return d->nbh;
		d->sa[p->bcanon].d = d;
		d->sa[p->bcanon].c = p->bcanon;
		fg_canon_body_init(d->canon[p->bcanon], p->bcanon, body_sink,
				   &d->sa[p->bcanon]);
	}
	b = &d->bh[d->nbh];
	memset(b, 0, sizeof(*b));
	b->c = p->bcanon;
	b->alg = alg;
	b->has_l = p->has_l;
	b->l = p->l;
	b->h = fg_hash_new(alg);
	if (b->h == NULL)
		return d->nbh;
	return d->nbh++;
}

/* key_for - the key source a signature uses, started when new */
static size_t
key_for(struct fg_dkim *d, const struct fg_dkimsig *p)
{
	char name[sizeof(d->keys[0].name)];
	struct keysrc *k;
	size_t i;
	int len = snprintf(name, sizeof(name), "%s._domainkey.%s", p->s, p->d);

	for (i = 0; i < d->nkeys; i++)
		if (fg_str_caseeqz(name, strlen(name), d->keys[i].name))
			return i;
	k = &d->keys[d->nkeys++];
	memset(k, 0, sizeof(*k));
	memcpy(k->name, name, (size_t)len + 1);
	if (len > 253) {
		k->done = 1;
		k->err = FG_DKIM_PERMERROR;
		k->why = "key record name too long";
	} else if (d->kc != NULL && fg_keycache_get(d->kc, name, &k->pub)) {
		k->have = 1;
		k->done = 1;
	} else if (d->dns != NULL) {
		k->q = fg_dns_start(d->dns, name, FG_DNS_TXT);
	}
	return i;
}

/* Canonical header bytes into a hash. */
static void
hash_sink(void *arg, const void *p, size_t n)
{
	fg_hash_update(arg, p, n);
}

/* same_name - a store field's name equals v (case-insensitively) */
static int
same_name(const struct fg_hdrstore *h, size_t i, struct fg_view v)
{
	struct fg_view n = fg_hdrstore_name(h, i);

	return fg_str_caseeq(n.p, n.n, v.p, v.n);
}

/* header_hash - the hash of the signed fields and of the signature
 * field (self) with b= emptied; 0 without memory */
static int
header_hash(struct sig *sg, const struct fg_hdrstore *h, size_t self)
{
	const struct fg_dkimsig *p = sg->p;
	struct fg_hash *hh = fg_hash_new(hash_of(p->alg));
	unsigned char *used = calloc(h->n + 1, 1);
	struct fg_view v = fg_hdrstore_value(h, self), name;
	char *copy = malloc(v.n + 1);
	size_t k, j;

	if (hh == NULL || used == NULL || copy == NULL) {
		fg_hash_free(hh);
		free(used);
		free(copy);
		return 0;
	}
	used[self] = 1;
	for (k = 0; k < p->nh; k++)
		for (j = h->n; j > 0; j--) {
			if (used[j - 1] || !same_name(h, j - 1, p->h[k]))
				continue;
			used[j - 1] = 1;
			name = fg_hdrstore_name(h, j - 1);
			fg_canon_header(p->hcanon, name.p, name.n,
					fg_hdrstore_value(h, j - 1).p,
					fg_hdrstore_value(h, j - 1).n, 1,
					hash_sink, hh);
			break;
		}
	memcpy(copy, v.p, p->b_start);
	memcpy(copy + p->b_start, v.p + p->b_end, v.n - p->b_end);
	name = fg_hdrstore_name(h, self);
	fg_canon_header(p->hcanon, name.p, name.n, copy,
			v.n - (p->b_end - p->b_start), 0, hash_sink, hh);
	sg->hdlen = fg_hash_final(hh, sg->hd);
	fg_hash_free(hh);
	free(used);
	free(copy);
	return 1;
}

/* identify - what the report says about a parsed signature */
static void
identify(struct sig *sg)
{
	const struct fg_dkimsig *p = sg->p;

	sg->pub.parsed = sg->pub.named = 1;
	memcpy(sg->pub.d, p->d, sizeof(sg->pub.d));
	memcpy(sg->pub.s, p->s, sizeof(sg->pub.s));
	memcpy(sg->pub.i, p->i, sizeof(sg->pub.i));
	memcpy(sg->pub.b, p->b_text, sizeof(sg->pub.b));
	sg->pub.alg = p->alg;
}

/* loose_ids - d= and s= of a signature that did not parse, when its
 * tags do, so that the report can still name it */
static void
loose_ids(struct sig *sg, struct fg_view v)
{
	struct fg_taglist *tl = malloc(sizeof(*tl));
	const struct fg_view *d, *sel;

	if (tl == NULL)
		return;
	if (v.n <= FG_DKIM_SIG_MAX &&
	    fg_tagvalue_parse(v.p, v.n, tl) == FG_OK &&
	    (d = fg_tagvalue_get(tl, "d")) != NULL &&
	    (sel = fg_tagvalue_get(tl, "s")) != NULL &&
	    fg_str_copy(sg->pub.d, sizeof(sg->pub.d), d->p, d->n) == FG_OK &&
	    fg_str_copy(sg->pub.s, sizeof(sg->pub.s), sel->p, sel->n) == FG_OK)
		sg->pub.named = 1;
	else
		sg->pub.d[0] = sg->pub.s[0] = '\0';
	free(tl);
}

/* early - what a signature's tags alone decide, before any key */
static int
early(struct fg_dkim *d, struct sig *sg)
{
	const struct fg_dkimsig *p = sg->p;

	if (p->has_x && d->o.now > p->x + d->o.skew) {
		decide(sg, FG_DKIM_PERMERROR, "signature expired (x=)");
		return 1;
	}
	if (p->has_t && p->t > d->o.now + d->o.skew) {
		decide(sg, FG_DKIM_PERMERROR,
		       "signature dated in the future (t=)");
		return 1;
	}
	if (p->alg == FG_DKIM_RSA_SHA1) {
		decide(sg, FG_DKIM_POLICY,
		       "rsa-sha1 is not acceptable (RFC 8301)");
		return 1;
	}
	return 0;
}

/* one_signature - set up signature i from store field f */
static void
one_signature(struct fg_dkim *d, const struct fg_hdrstore *h, size_t f)
{
	struct sig *sg = &d->s[d->n++];
	struct fg_view v = fg_hdrstore_value(h, f);

	memset(sg, 0, sizeof(*sg));
	sg->pub.result = FG_DKIM_PERMERROR;
	sg->p = malloc(sizeof(*sg->p));
	if (sg->p == NULL) {
		decide(sg, FG_DKIM_TEMPERROR, "out of memory");
		return;
	}
	if (fg_dkimsig_parse(v.p, v.n, sg->p) != FG_OK) {
		decide(sg, FG_DKIM_PERMERROR, sg->p->why);
		loose_ids(sg, v);
		return;
	}
	identify(sg);
	if (d->n > d->o.max_signatures) {
		decide(sg, FG_DKIM_NEUTRAL, "not checked: over max_signatures");
		return;
	}
	if (early(d, sg))
		return;
	if (!header_hash(sg, h, f)) {
		decide(sg, FG_DKIM_TEMPERROR, "out of memory");
		return;
	}
	sg->body = body_for(d, sg->p);
	if (sg->body == d->nbh) {
		decide(sg, FG_DKIM_TEMPERROR, "out of memory");
		return;
	}
	sg->key = key_for(d, sg->p);
}

/* fg_dkim_headers - read the signatures, start their key lookups */
void
fg_dkim_headers(struct fg_dkim *d, const struct fg_hdrstore *h,
		const struct fg_dkim_opts *o, struct fg_dns *dns,
		struct fg_keycache *kc)
{
	size_t f, count = 0, arc = 0;

	d->o = *o;
	d->dns = dns;
	d->kc = kc;
	for (f = 0; f < h->n; f++) {
		count +=
			!o->skip_dkim && fg_hdrstore_is(h, f, "DKIM-Signature");
		/* an AMS may be read twice (arc.c: without c=) */
		if (o->arc_room > 0)
			arc += 2 * (size_t)fg_hdrstore_is(
					   h, f, "ARC-Message-Signature") +
			       (size_t)fg_hdrstore_is(h, f, "ARC-Seal");
	}
	/* past max_signatures they are reported as not checked; past
	 * FG_DKIM_SIGS_MAX only counted */
	if (count > FG_DKIM_SIGS_MAX) {
		d->unreported = count - FG_DKIM_SIGS_MAX;
		count = FG_DKIM_SIGS_MAX;
	}
	if (arc > o->arc_room)
		arc = o->arc_room;
	if (count + arc == 0)
		return;
	d->s = calloc(count + arc, sizeof(*d->s));
	d->bh = calloc(count + arc, sizeof(*d->bh));
	d->keys = calloc(count + arc, sizeof(*d->keys));
	if (d->s == NULL || d->bh == NULL || d->keys == NULL) {
		free(d->s);
		d->s = NULL;
		return; /* fg_dkim_count says 0: reported as temperror */
	}
	d->cap = count + arc;
	for (f = 0; f < h->n && d->n < count; f++)
		if (fg_hdrstore_is(h, f, "DKIM-Signature"))
			one_signature(d, h, f);
	d->ndkim = d->n;
}

/* fg_dkim_add - a signature of another kind, judged alongside */
size_t
fg_dkim_add(struct fg_dkim *d, struct fg_dkimsig *p,
	    const struct fg_hdrstore *h, size_t self, const unsigned char *hd,
	    size_t hdlen)
{
	struct sig *sg;

	if (d->s == NULL || d->n == d->cap) {
		free(p);
		return FG_DKIM_NOSIG;
	}
	sg = &d->s[d->n];
	memset(sg, 0, sizeof(*sg));
	sg->p = p;
	identify(sg);
	sg->body = NO_BODY;
	if (early(d, sg))
		return d->n++;
	if (hd != NULL) {
		memcpy(sg->hd, hd, hdlen);
		sg->hdlen = hdlen;
	} else if (!header_hash(sg, h, self)) {
		decide(sg, FG_DKIM_TEMPERROR, "out of memory");
		return d->n++;
	} else {
		sg->body = body_for(d, p);
		if (sg->body == d->nbh) {
			decide(sg, FG_DKIM_TEMPERROR, "out of memory");
			return d->n++;
		}
	}
	sg->key = key_for(d, p);
	return d->n++;
}

/* wants - does a canonicalization still need body bytes */
static int
wants(const struct fg_dkim *d, enum fg_canon c)
{
	size_t k;

	for (k = 0; k < d->nbh; k++)
		if (d->bh[k].c == c &&
		    (!d->bh[k].has_l || d->canon[c]->total <= d->bh[k].l))
			return 1;
	return 0;
}

/* fg_dkim_body - the next body bytes */
int
fg_dkim_body(struct fg_dkim *d, const unsigned char *p, size_t n)
{
	int more = 0, c;

	for (c = 0; c < 2; c++) {
		if (d->canon[c] == NULL || !wants(d, (enum fg_canon)c))
			continue;
		fg_canon_body_feed(d->canon[c], p, n);
		more |= wants(d, (enum fg_canon)c);
	}
	return more;
}

/* key_record - the one key record of an answer, parsed into k */
static void
key_record(struct keysrc *k, const struct fg_dns_answer *a,
	   struct fg_dkimkey *rec, struct fg_keycache *kc)
{
	const char *why = NULL;
	const char *text;
	enum fg_err err;

	k->err = FG_DKIM_PERMERROR;
	if (a->n != 1 || a->dropped > 0) {
		k->why = a->n == 0 ? "no key record" : "several key records";
		return;
	}
	text = fg_dns_text(a, 0);
	if (a->rr[0].cut ||
	    fg_dkimkey_parse(text, strlen(text), rec) != FG_OK) {
		k->why = a->rr[0].cut ? "key record too long" : rec->why;
		return;
	}
	if (rec->revoked) {
		k->why = "key revoked (empty p=)";
		return;
	}
	err = fg_pubkey_new(rec->ktype == FG_DKIM_K_ED25519 ? FG_PK_ED25519
							    : FG_PK_RSA,
			    rec->p, rec->plen, &k->pub.key, &why);
	if (err != FG_OK) {
		k->why = why;
		if (err == FG_ENOMEM)
			k->err = FG_DKIM_TEMPERROR;
		return;
	}
	k->have = 1;
	k->pub.ktype = rec->ktype;
	k->pub.bits = fg_pubkey_bits(k->pub.key);
	k->pub.sha1_ok = rec->sha1_ok;
	k->pub.sha256_ok = rec->sha256_ok;
	k->pub.testing = rec->testing;
	k->pub.strict = rec->strict;
	if (kc != NULL)
		fg_keycache_put(kc, k->name, &k->pub, a->ttl);
}

/* key_wait - the answer for one key source */
static void
key_wait(struct fg_dkim *d, struct keysrc *k, struct timespec deadline,
	 struct fg_dns_answer *a, struct fg_dkimkey *rec)
{
	if (k->done)
		return;
	k->done = 1;
	if (k->q == NULL && d->dns == NULL) {
		k->err = FG_DKIM_TEMPERROR;
		k->why = "no resolver";
		return;
	}
	fg_dns_wait(d->dns, k->q, deadline, a);
	k->q = NULL;
	if (a->status == FG_DNS_TEMPERROR) {
		k->err = FG_DKIM_TEMPERROR;
		k->why = a->why != NULL && strcmp(a->why, "timeout") == 0
				 ? "key lookup timed out"
				 : "key lookup failed";
	} else if (a->status != FG_DNS_OK) {
		k->err = FG_DKIM_PERMERROR;
		k->why = "no key record";
	} else {
		key_record(k, a, rec, d->kc);
	}
}

/* key_fits - the key may verify this signature (3.6.1, RFC 8301) */
static int
key_fits(struct fg_dkim *d, struct sig *sg, const struct fg_dkim_pub *k)
{
	const struct fg_dkimsig *p = sg->p;
	int ed = p->alg == FG_DKIM_ED25519_SHA256;
	const char *at = strrchr(p->i, '@');

	if (ed != (k->ktype == FG_DKIM_K_ED25519))
		decide(sg, FG_DKIM_PERMERROR, "key type does not match a=");
	else if (!(hash_of(p->alg) == FG_HASH_SHA1 ? k->sha1_ok : k->sha256_ok))
		decide(sg, FG_DKIM_PERMERROR,
		       "key does not allow the hash (h=)");
	else if (!ed && k->bits < d->o.min_rsa_bits)
		decide(sg, FG_DKIM_POLICY,
		       k->bits < 1024 ? "RSA key under 1024 bits (RFC 8301)"
				      : "RSA key under dkim_min_rsa_bits");
	else if (k->strict && p->has_i && at != NULL &&
		 !fg_str_caseeqz(at + 1, strlen(at + 1), p->d))
		decide(sg, FG_DKIM_PERMERROR, "i= below d= with a t=s key");
	return !sg->decided;
}

/* body_matches - bh= against the shared body hash; 0 with a result */
static int
body_matches(struct fg_dkim *d, struct sig *sg)
{
	const struct fg_dkimsig *p = sg->p;
	const struct bodyhash *b = &d->bh[sg->body];

	if (p->has_l && d->canon[b->c]->total < p->l)
		decide(sg, FG_DKIM_FAIL, "l= is longer than the body");
	else if (b->dlen != p->bhlen || memcmp(b->digest, p->bh, b->dlen) != 0)
		decide(sg, FG_DKIM_FAIL, "body hash mismatch");
	return !sg->decided;
}

/* verify - one signature with its key */
static void
verify(struct fg_dkim *d, struct sig *sg)
{
	const struct fg_dkimsig *p = sg->p;
	const struct keysrc *k = &d->keys[sg->key];

	if (!k->have) {
		decide(sg, k->err, k->why);
		return;
	}
	sg->pub.bits = k->pub.bits;
	sg->pub.testing = k->pub.testing;
	if (!key_fits(d, sg, &k->pub) ||
	    (sg->body != NO_BODY && !body_matches(d, sg)))
		return;
	if (!fg_pubkey_verify(k->pub.key, hash_of(p->alg), sg->hd, sg->hdlen,
			      p->b, p->blen)) {
		decide(sg, FG_DKIM_FAIL, "signature does not verify");
		return;
	}
	if (p->has_l && d->canon[p->bcanon]->total > p->l &&
	    !d->o.partial_body_passes) {
		decide(sg, FG_DKIM_POLICY, "unsigned content after l=");
		return;
	}
	decide(sg, FG_DKIM_PASS, NULL);
}

/* fg_dkim_finish - wait for keys, then verify every signature */
void
fg_dkim_finish(struct fg_dkim *d, struct timespec deadline)
{
	/* an answer is 18 kB: asked for only when there are keys */
	struct fg_dns_answer *a = d->nkeys ? malloc(sizeof(*a)) : NULL;
	struct fg_dkimkey *rec = d->nkeys ? malloc(sizeof(*rec)) : NULL;
	size_t k;
	int c;

	for (c = 0; c < 2; c++)
		if (d->canon[c] != NULL)
			fg_canon_body_end(d->canon[c]);
	for (k = 0; k < d->nbh; k++)
		d->bh[k].dlen = fg_hash_final(d->bh[k].h, d->bh[k].digest);
	for (k = 0; k < d->nkeys; k++) {
		if (a == NULL || rec == NULL) {
			d->keys[k].done = 1;
			d->keys[k].err = FG_DKIM_TEMPERROR;
			d->keys[k].why = "out of memory";
			continue;
		}
		key_wait(d, &d->keys[k], deadline, a, rec);
	}
	for (k = 0; k < d->n; k++)
		if (!d->s[k].decided)
			verify(d, &d->s[k]);
	free(a);
	free(rec);
}

/* fg_dkim_count - DKIM signatures judged (or not checked) */
size_t
fg_dkim_count(const struct fg_dkim *d)
{
	return d->ndkim;
}

/* fg_dkim_unreported - signatures neither checked nor reported */
size_t
fg_dkim_unreported(const struct fg_dkim *d)
{
	return d->unreported;
}

/* fg_dkim_get - signature i, in header order */
const struct fg_dkim_sig *
fg_dkim_get(const struct fg_dkim *d, size_t i)
{
	return &d->s[i].pub;
}
