/*
 * NAME
 *	dkimsign - DKIM-Signature fields for one message
 * SYNOPSIS
 *	#include "forgeguard/dkimsign.h"
 * DESCRIPTION
 *	The body is canonicalized as it streams (msg/canon.c, the same code
 *	the verifier uses) into one SHA-256, shared by every key.  At the
 *	end each key gets its field: the signed fields are the configured
 *	names, each as many times as the message has it (a verifier takes
 *	them bottom-up, RFC 6376 5.4.2), plus once more for the over-signed
 *	names (From always), which a verifier finds absent: a field added on
 *	the way then breaks the signature.  The header hash covers those
 *	fields and the signature field itself with b= empty; RSA signs it
 *	with PKCS#1 v1.5, Ed25519 signs the 32-byte hash (RFC 8463 3).
 *	No l= is ever written.
 * STANDARDS
 *	RFC 6376 3.5, 3.7, 5; RFC 8301; RFC 8463.
 * DIAGNOSTICS
 *	A field that cannot be made says why: a signed field cut by the
 *	header store's bounds, fields the store did not keep, a key that
 *	did not sign.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/base64.h"
#include "forgeguard/canon.h"
#include "forgeguard/dkimsign.h"
#include "forgeguard/str.h"

struct fg_dkim_signer {
	struct fg_sign_req r;
	struct fg_hash *bh;
	struct fg_canon_body body;
	int ended;
	unsigned char bhash[FG_HASH_MAX];
	size_t bhlen;
};

/* sink - canonical bytes into a hash */
static void
sink(void *arg, const void *p, size_t n)
{
	fg_hash_update(arg, p, n);
}

/* fg_dkim_signer_new - a signer for one message */
struct fg_dkim_signer *
fg_dkim_signer_new(const struct fg_sign_req *r)
{
	struct fg_dkim_signer *s = malloc(sizeof(*s));

	if (s == NULL)
		return NULL;
	s->r = *r;
	s->ended = 0;
	s->bhlen = 0;
	s->bh = fg_hash_new(FG_HASH_SHA256);
	if (s->bh == NULL) {
		free(s);
		return NULL;
	}
	fg_canon_body_init(&s->body, r->bc, sink, s->bh);
	return s;
}

/* fg_dkim_signer_body - the next body bytes */
void
fg_dkim_signer_body(struct fg_dkim_signer *s, const unsigned char *p, size_t n)
{
	if (!s->ended)
		fg_canon_body_feed(&s->body, p, n);
}

/* body_end - the body hash, once */
static void
body_end(struct fg_dkim_signer *s)
{
	if (s->ended)
		return;
	fg_canon_body_end(&s->body);
	s->bhlen = fg_hash_final(s->bh, s->bhash);
	s->ended = 1;
}

/* count - fields of h named name */
static size_t
count(const struct fg_hdrstore *h, const char *name)
{
	size_t k, n = 0;

	for (k = 0; k < h->n; k++)
		n += fg_hdrstore_is(h, k, name);
	return n;
}

/* in - is name in set */
static int
in(const struct fg_nameset *set, const char *name)
{
	size_t k;

	for (k = 0; set != NULL && k < set->n; k++)
		if (strcmp(set->v[k], name) == 0)
			return 1;
	return 0;
}

/* Distinct names one signature lists. */
#define HNAMES_MAX 64

/* One name of h=, as many times as it is signed. */
struct hname {
	const char *name;
	size_t times, present;
};

/* names - the names of h=: from first, then the configured ones; 0 when
 * a signed field was cut or the store dropped fields */
static size_t
names(const struct fg_dkim_signer *s, const struct fg_hdrstore *h,
      struct hname *v, size_t cap, const char **why)
{
	const struct fg_nameset *hs = s->r.headers;
	size_t n = 0, k, j;

	if (h->not_kept > 0) {
		*why = "the header store did not keep every field";
		return 0;
	}
	v[n].name = "from";
	v[n].present = count(h, "from");
	v[n++].times = v[0].present + 1;
	for (k = 0; hs != NULL && k < hs->n && n < cap; k++) {
		if (strcmp(hs->v[k], "from") == 0 ||
		    strcmp(hs->v[k], "dkim-signature") == 0)
			continue;
		v[n].name = hs->v[k];
		v[n].present = count(h, hs->v[k]);
		v[n].times = v[n].present + in(s->r.oversign, hs->v[k]);
		if (v[n].times > 0)
			n++;
	}
	for (k = 0; k < h->n; k++) {
		const struct fg_hdrfield *f = &h->f[k];

		if (f->full_len == f->value_len)
			continue;
		for (j = 0; j < n; j++)
			if (fg_hdrstore_is(h, k, v[j].name)) {
				*why = "a signed header field is longer than "
				       "the store keeps";
				return 0;
			}
	}
	return n;
}

/* hash_fields - the signed fields, bottom-up per name, in h= order */
static void
hash_fields(const struct fg_dkim_signer *s, const struct fg_hdrstore *h,
	    const struct hname *v, size_t n, struct fg_hash *hh)
{
	size_t k, t, j;

	for (k = 0; k < n; k++) {
		j = h->n;
		for (t = 0; t < v[k].present; t++) {
			/* the next instance up from the bottom */
			while (j > 0 && !fg_hdrstore_is(h, j - 1, v[k].name))
				j--;
			if (j == 0)
				break;
			j--;
			{
				struct fg_view nm = fg_hdrstore_name(h, j);
				struct fg_view vl = fg_hdrstore_value(h, j);

				fg_canon_header(s->r.hc, nm.p, nm.n, vl.p,
						vl.n, 1, sink, hh);
			}
		}
		/* over-signed (times > present): absent, nothing hashed */
	}
}

/* fold_put - add an item to the value, folding before it when the line
 * would pass 76 columns */
static void
fold_put(struct fg_buf *b, size_t *col, const char *p, size_t n)
{
	if (*col + n > 76 && *col > 1) {
		(void)fg_buf_puts(b, "\n\t");
		*col = 8;
	}
	(void)fg_buf_append(b, p, n);
	*col += n;
}

/* fg_dkim_signer_field - key k's DKIM-Signature value */
int
fg_dkim_signer_field(struct fg_dkim_signer *s, size_t k,
		     const struct fg_hdrstore *h, char *out, size_t cap,
		     const char **why)
{
	const struct fg_signkey *key = s->r.keys[k];
	struct hname v[HNAMES_MAX];
	struct fg_buf b;
	struct fg_hash *hh;
	unsigned char hd[FG_HASH_MAX], sig[FG_SIG_MAX];
	char tmp[FG_DOMAIN_MAX + 8], b64[((FG_SIG_MAX + 2) / 3) * 4 + 1];
	size_t nv, j, r, t = 0, col, n, hdlen, slen, blen, pre;

	*why = NULL;
	body_end(s);
	nv = names(s, h, v, HNAMES_MAX, why);
	if (nv == 0)
		return 0;
	fg_buf_init(&b, out, cap);
	(void)fg_buf_printf(&b, " v=1; a=%s; c=%s/%s;",
			    key->alg == FG_DKIM_ED25519_SHA256
				    ? "ed25519-sha256"
				    : "rsa-sha256",
			    s->r.hc == FG_CANON_RELAXED ? "relaxed" : "simple",
			    s->r.bc == FG_CANON_RELAXED ? "relaxed" : "simple");
	col = 15 + b.len; /* after "DKIM-Signature:" */
	n = (size_t)snprintf(tmp, sizeof(tmp), " d=%s;", key->domain);
	fold_put(&b, &col, tmp, n);
	n = (size_t)snprintf(tmp, sizeof(tmp), " s=%s;", key->selector);
	fold_put(&b, &col, tmp, n);
	n = (size_t)snprintf(tmp, sizeof(tmp), " t=%lld;", (long long)s->r.now);
	fold_put(&b, &col, tmp, n);
	if (s->r.expire_s > 0) {
		n = (size_t)snprintf(tmp, sizeof(tmp), " x=%lld;",
				     (long long)(s->r.now + s->r.expire_s));
		fold_put(&b, &col, tmp, n);
	}
	fold_put(&b, &col, " h=", 3);
	for (j = 0; j < nv; j++)
		for (r = 0; r < v[j].times; r++) {
			n = (size_t)snprintf(tmp, sizeof(tmp), "%s%s",
					     t++ ? ":" : "", v[j].name);
			fold_put(&b, &col, tmp, n);
		}
	fold_put(&b, &col, ";", 1);
	blen = fg_base64_encode(s->bhash, s->bhlen, b64);
	(void)fg_buf_puts(&b, "\n\tbh=");
	(void)fg_buf_append(&b, b64, blen);
	(void)fg_buf_puts(&b, ";\n\tb=");
	pre = b.len;
	if (b.truncated) {
		*why = "the signature field is longer than forgeguard writes";
		return 0;
	}
	hh = fg_hash_new(FG_HASH_SHA256);
	if (hh == NULL) {
		*why = "out of memory";
		return 0;
	}
	hash_fields(s, h, v, nv, hh);
	fg_canon_header(s->r.hc, "DKIM-Signature", 14, out, pre, 0, sink, hh);
	hdlen = fg_hash_final(hh, hd);
	fg_hash_free(hh);
	slen = fg_privkey_sign(key->pk, FG_HASH_SHA256, hd, hdlen, sig);
	if (slen == 0) {
		*why = "the key did not sign";
		return 0;
	}
	blen = fg_base64_encode(sig, slen, b64);
	for (j = 0; j < blen; j += 70) {
		if (j > 0)
			(void)fg_buf_puts(&b, "\n\t ");
		(void)fg_buf_append(&b, b64 + j, blen - j < 70 ? blen - j : 70);
	}
	if (b.truncated) {
		*why = "the signature field is longer than forgeguard writes";
		return 0;
	}
	return 1;
}

/* fg_dkim_signer_keys - how many fields the signer makes */
size_t
fg_dkim_signer_keys(const struct fg_dkim_signer *s)
{
	return s->r.nkeys;
}

/* fg_dkim_signer_free - release */
void
fg_dkim_signer_free(struct fg_dkim_signer *s)
{
	if (s == NULL)
		return;
	fg_hash_free(s->bh);
	free(s);
}
