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
#include <strings.h>

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

				fg_canon_header(s->r.hc, nm.p, nm.n, vl.p, vl.n,
						1, sink, hh);
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

/* ---- ARC sets ---------------------------------------------------------- */

/* tag_value - the value of tag name in a tag-list (from a field's value),
 * trimmed, into out; 0 when absent */
static int
tag_value(struct fg_view v, const char *name, char *out, size_t cap)
{
	size_t i = 0, nl = strlen(name);

	while (i < v.n) {
		size_t start, end, e;

		while (i < v.n && (FG_IS_SPACE((unsigned char)v.p[i]) ||
				   v.p[i] == '\r' || v.p[i] == '\n'))
			i++;
		start = i;
		while (i < v.n && v.p[i] != ';')
			i++;
		end = i++;
		if (end - start > nl && memcmp(v.p + start, name, nl) == 0) {
			size_t k = start + nl;

			while (k < end && FG_IS_SPACE((unsigned char)v.p[k]))
				k++;
			if (k >= end || v.p[k] != '=')
				continue;
			k++;
			while (k < end && (FG_IS_SPACE((unsigned char)v.p[k]) ||
					   v.p[k] == '\r' || v.p[k] == '\n'))
				k++;
			e = end;
			while (e > k &&
			       (FG_IS_SPACE((unsigned char)v.p[e - 1]) ||
				v.p[e - 1] == '\r' || v.p[e - 1] == '\n'))
				e--;
			if (e - k + 1 > cap)
				return 0;
			memcpy(out, v.p + k, e - k);
			out[e - k] = '\0';
			return 1;
		}
	}
	return 0;
}

/* instance_of - the i= of an ARC field of h, 0 when absent or bad */
static unsigned
instance_of(const struct fg_hdrstore *h, size_t k)
{
	char v[8];
	unsigned long n;
	char *end;

	if (!tag_value(fg_hdrstore_value(h, k), "i", v, sizeof(v)))
		return 0;
	n = strtoul(v, &end, 10);
	return *end == '\0' && n >= 1 && n <= 50 ? (unsigned)n : 0;
}

/* set_field - the index in h of the field name with instance i, or
 * (size_t)-1 */
static size_t
set_field(const struct fg_hdrstore *h, const char *name, unsigned i)
{
	size_t k;

	for (k = 0; k < h->n; k++)
		if (fg_hdrstore_is(h, k, name) && instance_of(h, k) == i)
			return k;
	return (size_t)-1;
}

/* fg_arc_last_cv - the cv= of the newest ARC-Seal of h, its i= and d= */
const char *
fg_arc_last_cv(const struct fg_hdrstore *h, unsigned *inst, char *d,
	       size_t dcap)
{
	static const char *const cvs[] = { "none", "pass", "fail" };
	char v[8];
	size_t k, at = (size_t)-1;
	unsigned best = 0, i, c;

	for (k = 0; k < h->n; k++)
		if (fg_hdrstore_is(h, k, "arc-seal") &&
		    (i = instance_of(h, k)) > best) {
			best = i;
			at = k;
		}
	*inst = best;
	d[0] = '\0';
	if (at != (size_t)-1 &&
	    !tag_value(fg_hdrstore_value(h, at), "d", d, dcap))
		d[0] = '\0';
	if (at == (size_t)-1 ||
	    !tag_value(fg_hdrstore_value(h, at), "cv", v, sizeof(v)))
		return best ? "fail" : "none";
	for (c = 0; c < 3; c++)
		if (strcasecmp(v, cvs[c]) == 0)
			return cvs[c];
	return "fail";
}

/* fg_arc_seal_aar_from - our recorded results, merged */
int
fg_arc_seal_aar_from(const struct fg_hdrstore *h, const char *srvid, char *out,
		     size_t cap, const char **arc)
{
	struct fg_buf b;
	size_t k, n = strlen(srvid);
	int found = 0;

	*arc = NULL;
	fg_buf_init(&b, out, cap);
	(void)fg_buf_puts(&b, srvid);
	for (k = 0; k < h->n; k++) {
		struct fg_view v = fg_hdrstore_value(h, k);
		size_t i = 0, e;
		const char *r;

		if (!fg_hdrstore_is(h, k, "authentication-results"))
			continue;
		while (i < v.n && FG_IS_SPACE((unsigned char)v.p[i]))
			i++;
		if (v.n - i < n || strncasecmp(v.p + i, srvid, n) != 0)
			continue;
		i += n;
		while (i < v.n && FG_IS_SPACE((unsigned char)v.p[i]))
			i++;
		if (i < v.n && v.p[i] != ';')
			continue; /* another id that starts the same */
		i++;
		while (i < v.n && (FG_IS_SPACE((unsigned char)v.p[i]) ||
				   v.p[i] == '\r' || v.p[i] == '\n'))
			i++;
		e = v.n;
		while (e > i && (FG_IS_SPACE((unsigned char)v.p[e - 1]) ||
				 v.p[e - 1] == '\r' || v.p[e - 1] == '\n' ||
				 v.p[e - 1] == ';'))
			e--;
		found = 1;
		if (e == i)
			continue;
		(void)fg_buf_puts(&b, "; ");
		(void)fg_buf_append(&b, v.p + i, e - i);
		for (r = v.p + i;
		     (r = memmem(r, (size_t)(v.p + e - r), "arc=", 4)) != NULL;
		     r += 4) {
			if (r > v.p + i && !FG_IS_SPACE((unsigned char)r[-1]) &&
			    r[-1] != ';' && r[-1] != '\n')
				continue;
			*arc = strncasecmp(r + 4, "pass", 4) == 0   ? "pass"
			       : strncasecmp(r + 4, "fail", 4) == 0 ? "fail"
			       : strncasecmp(r + 4, "none", 4) == 0 ? "none"
								    : "error";
		}
	}
	return found && !b.truncated;
}

/* The start of an ARC field's value before its signature. */
#define SEAL_B " a=rsa-sha256; b="
/* The largest base64 signature. */
#define SEAL_B64_MAX (((FG_SIG_MAX + 2) / 3) * 4 + 1)

/* seal_sign - hh's digest signed with key (hh is freed), the signature
 * put in tmpl's empty b=, into dst[cap]; 0 with why when it would not */
static int
seal_sign(const struct fg_signkey *key, struct fg_hash *hh, const char *tmpl,
	  char *dst, size_t cap, const char **why)
{
	unsigned char hd[FG_HASH_MAX], sig[FG_SIG_MAX];
	char b64[SEAL_B64_MAX];
	size_t slen, blen;

	(void)fg_hash_final(hh, hd);
	fg_hash_free(hh);
	slen = fg_privkey_sign(key->pk, FG_HASH_SHA256, hd, 32, sig);
	if (slen == 0) {
		*why = "the key did not sign";
		return 0;
	}
	blen = fg_base64_encode(sig, slen, b64);
	snprintf(dst, cap, SEAL_B "%.*s%s", (int)blen, b64,
		 tmpl + strlen(SEAL_B));
	return 1;
}

/* fg_arc_seal - one ARC set */
int
fg_arc_seal(struct fg_dkim_signer *s, const struct fg_hdrstore *h,
	    const struct fg_arc_seal_in *in, struct fg_arc_seal_out *out,
	    const char **why)
{
	static const char *const order[] = { "arc-authentication-results",
					     "arc-message-signature",
					     "arc-seal" };
	struct hname v[HNAMES_MAX];
	struct fg_buf b;
	struct fg_hash *hh;
	char bh[64];
	/* room for b= in the field made from it */
	char ams0[FG_SEAL_FIELD_MAX - SEAL_B64_MAX - 32], as0[1024];
	size_t nv, j, r, t = 0;
	unsigned i;

	*why = NULL;
	if (in->instance < 1 || in->instance > 50) {
		*why = "no room for another ARC set (50 at most)";
		return 0;
	}
	if (fg_privkey_type(in->key->pk) != FG_PK_RSA) {
		*why = "ARC seals with rsa-sha256 only (RFC 8617 4.1)";
		return 0;
	}
	body_end(s);
	if (in->h != NULL) {
		for (nv = 0; nv < in->nh && nv < HNAMES_MAX; nv++) {
			v[nv].name = in->h[nv];
			v[nv].present = count(h, in->h[nv]);
			v[nv].times = 1;
		}
	} else if ((nv = names(s, h, v, HNAMES_MAX, why)) == 0)
		return 0;
	/* the AAR */
	snprintf(out->aar, sizeof(out->aar), " i=%u; %s", in->instance,
		 in->aar);
	/* the AMS, b= empty, then signed */
	fg_base64_encode(s->bhash, s->bhlen, bh);
	fg_buf_init(&b, ams0, sizeof(ams0));
	(void)fg_buf_printf(&b,
			    SEAL_B "; bh=%s; c=relaxed/relaxed; "
				   "d=%s; h=",
			    bh, in->key->domain);
	for (j = 0; j < nv; j++)
		for (r = 0; r < v[j].times; r++)
			(void)fg_buf_printf(&b, "%s%s", t++ ? ":" : "",
					    v[j].name);
	(void)fg_buf_printf(&b, "; i=%u; s=%s; t=%lld", in->instance,
			    in->key->selector, (long long)in->now);
	if (b.truncated) {
		*why = "the ARC-Message-Signature is longer than forgeguard "
		       "writes";
		return 0;
	}
	hh = fg_hash_new(FG_HASH_SHA256);
	if (hh == NULL) {
		*why = "out of memory";
		return 0;
	}
	if (in->h != NULL) {
		/* an explicit list: each name once, the bottom instance */
		for (j = 0; j < nv; j++) {
			size_t k = h->n;

			while (k > 0 && !fg_hdrstore_is(h, k - 1, v[j].name))
				k--;
			if (k > 0) {
				struct fg_view nm = fg_hdrstore_name(h, k - 1);
				struct fg_view vl = fg_hdrstore_value(h, k - 1);

				fg_canon_header(FG_CANON_RELAXED, nm.p, nm.n,
						vl.p, vl.n, 1, sink, hh);
			}
		}
	} else
		hash_fields(s, h, v, nv, hh);
	fg_canon_header(FG_CANON_RELAXED, "ARC-Message-Signature", 21, ams0,
			b.len, 0, sink, hh);
	if (!seal_sign(in->key, hh, ams0, out->ams, sizeof(out->ams), why))
		return 0;
	/* the seal over every set in order, its own b= empty */
	snprintf(as0, sizeof(as0), SEAL_B "; cv=%s; d=%s; i=%u; s=%s; t=%lld",
		 in->cv, in->key->domain, in->instance, in->key->selector,
		 (long long)in->now);
	hh = fg_hash_new(FG_HASH_SHA256);
	if (hh == NULL) {
		*why = "out of memory";
		return 0;
	}
	/* a failed chain: only the new set is signed, as if it were the
	 * only one (RFC 8617 5.1.2) */
	for (i = strcmp(in->cv, "fail") == 0 ? in->instance : 1;
	     i < in->instance; i++)
		for (j = 0; j < 3; j++) {
			size_t k = set_field(h, order[j], i);
			struct fg_view nm, vl;

			if (k == (size_t)-1 ||
			    h->f[k].full_len != h->f[k].value_len) {
				fg_hash_free(hh);
				*why = "an older ARC set is missing or cut";
				return 0;
			}
			nm = fg_hdrstore_name(h, k);
			vl = fg_hdrstore_value(h, k);
			fg_canon_header(FG_CANON_RELAXED, nm.p, nm.n, vl.p,
					vl.n, 1, sink, hh);
		}
	fg_canon_header(FG_CANON_RELAXED, "ARC-Authentication-Results", 26,
			out->aar, strlen(out->aar), 1, sink, hh);
	fg_canon_header(FG_CANON_RELAXED, "ARC-Message-Signature", 21, out->ams,
			strlen(out->ams), 1, sink, hh);
	fg_canon_header(FG_CANON_RELAXED, "ARC-Seal", 8, as0, strlen(as0), 0,
			sink, hh);
	return seal_sign(in->key, hh, as0, out->as, sizeof(out->as), why);
}
