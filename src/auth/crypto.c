/*
 * NAME
 *	crypto - the OpenSSL adapter: hashes, keys, signing, verification
 * SYNOPSIS
 *	#include "forgeguard/crypto.h"
 * DESCRIPTION
 *	EVP only, so the code is the same for every provider.  A key is
 *	decoded once: d2i_PUBKEY costs 80 to 93 us for an RSA-2048 key, seven
 *	times the verification, so the key cache keeps decoded keys and
 *	shares them by reference (EVP_PKEY is reference-counted and may be
 *	used by several threads at once for verification).  RSA keys
 *	published as a bare RSAPublicKey (some signers do) are accepted as
 *	well as SubjectPublicKeyInfo.  This is the only file that includes
 *	<openssl/...>.
 * STANDARDS
 *	RFC 8017 8.2 (RSASSA-PKCS1-v1_5); RFC 8032 (Ed25519); RFC 8463
 *	(ed25519-sha256 for DKIM); RFC 6376 3.3.
 * DIAGNOSTICS
 *	fg_pubkey_new says why bytes are not a key.  A verification that
 *	cannot run is a failed one.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "forgeguard/crypto.h"

struct fg_hash {
	EVP_MD_CTX *ctx;
};

struct fg_pubkey {
	EVP_PKEY *pkey;
	enum fg_pubkey_type type;
	atomic_int refs;
};

/* The digests, fetched once: an implicit fetch (EVP_sha256() handed to
 * EVP_DigestInit_ex) looks the algorithm up under the library's locks
 * for every hash, two or three per signature. */
static EVP_MD *md_sha1, *md_sha256;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void
md_fetch(void)
{
	md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

/* md_of - the digest of alg, fetched once; the implicit one if the
 * fetch failed */
static const EVP_MD *
md_of(enum fg_hash_alg alg)
{
	(void)pthread_once(&md_once, md_fetch);
	if (alg == FG_HASH_SHA1)
		return md_sha1 != NULL ? md_sha1 : EVP_sha1();
	return md_sha256 != NULL ? md_sha256 : EVP_sha256();
}

/* fg_crypto_thread_done - OpenSSL's per-thread state, released */
void
fg_crypto_thread_done(void)
{
	ERR_clear_error();
	OPENSSL_thread_stop();
}

/* fg_hash_new - an incremental hash */
struct fg_hash *
fg_hash_new(enum fg_hash_alg alg)
{
	struct fg_hash *h = malloc(sizeof(*h));

	if (h == NULL)
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (h->ctx == NULL ||
	    EVP_DigestInit_ex(h->ctx, md_of(alg), NULL) != 1) {
		EVP_MD_CTX_free(h->ctx);
		free(h);
		return NULL;
	}
	return h;
}

/* fg_hash_update - more bytes */
void
fg_hash_update(struct fg_hash *h, const void *p, size_t n)
{
	(void)EVP_DigestUpdate(h->ctx, p, n);
}

/* fg_hash_final - the digest; its length */
size_t
fg_hash_final(struct fg_hash *h, unsigned char *out)
{
	unsigned n = 0;

	if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1)
		return 0;
	return n;
}

/* fg_hash_free - release */
void
fg_hash_free(struct fg_hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

/* rsa_key - an RSA key from SubjectPublicKeyInfo or RSAPublicKey DER */
static EVP_PKEY *
rsa_key(const unsigned char *p, size_t n)
{
	const unsigned char *q = p;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &q, (long)n);

	if (k != NULL && q == p + n && EVP_PKEY_get_base_id(k) == EVP_PKEY_RSA)
		return k;
	EVP_PKEY_free(k);
	q = p;
	k = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, (long)n);
	if (k != NULL && q == p + n)
		return k;
	EVP_PKEY_free(k);
	return NULL;
}

/* fg_pubkey_new - a key from a DKIM p= value */
enum fg_err
fg_pubkey_new(enum fg_pubkey_type t, const unsigned char *p, size_t n,
	      struct fg_pubkey **out, const char **why)
{
	struct fg_pubkey *k;
	EVP_PKEY *pkey;

	*out = NULL;
	if (t == FG_PK_ED25519) {
		if (n != 32) {
			*why = "an ed25519 key is 32 bytes (RFC 8463 4.2)";
			return FG_ESYNTAX;
		}
		pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, p,
						   n);
	} else {
		pkey = rsa_key(p, n);
	}
	if (pkey == NULL) {
		*why = "p= is not a public key";
		return FG_ESYNTAX;
	}
	k = malloc(sizeof(*k));
	if (k == NULL) {
		EVP_PKEY_free(pkey);
		*why = "out of memory";
		return FG_ENOMEM;
	}
	k->pkey = pkey;
	k->type = t;
	atomic_init(&k->refs, 1);
	*out = k;
	return FG_OK;
}

/* fg_pubkey_ref - one more reference */
struct fg_pubkey *
fg_pubkey_ref(struct fg_pubkey *k)
{
	atomic_fetch_add(&k->refs, 1);
	return k;
}

/* fg_pubkey_free - drop a reference; the last frees */
void
fg_pubkey_free(struct fg_pubkey *k)
{
	if (k == NULL || atomic_fetch_sub(&k->refs, 1) != 1)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

/* fg_pubkey_bits - the key's size in bits */
int
fg_pubkey_bits(const struct fg_pubkey *k)
{
	return EVP_PKEY_get_bits(k->pkey);
}

/* rsa_verify - PKCS#1 v1.5 over a precomputed digest */
static int
rsa_verify(EVP_PKEY *pkey, enum fg_hash_alg alg, const unsigned char *digest,
	   size_t dlen, const unsigned char *sig, size_t slen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pkey, NULL);
	int ok = 0;

	if (ctx != NULL && EVP_PKEY_verify_init(ctx) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_signature_md(ctx, md_of(alg)) == 1)
		ok = EVP_PKEY_verify(ctx, sig, slen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

/* ed25519_verify - PureEdDSA over the digest as the message */
static int
ed25519_verify(EVP_PKEY *pkey, const unsigned char *digest, size_t dlen,
	       const unsigned char *sig, size_t slen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = 0;

	if (ctx != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1)
		ok = EVP_DigestVerify(ctx, sig, slen, digest, dlen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/* fg_pubkey_verify - does sig sign the digest */
int
fg_pubkey_verify(const struct fg_pubkey *k, enum fg_hash_alg alg,
		 const unsigned char *digest, size_t dlen,
		 const unsigned char *sig, size_t slen)
{
	if (k->type == FG_PK_ED25519)
		return ed25519_verify(k->pkey, digest, dlen, sig, slen);
	return rsa_verify(k->pkey, alg, digest, dlen, sig, slen);
}

/* ---- private keys ---------------------------------------------------- */

struct fg_privkey {
	EVP_PKEY *pkey;
	enum fg_pubkey_type type;
};

/* wrap - a struct fg_privkey around pkey (taken), or NULL for a type
 * DKIM cannot use */
static struct fg_privkey *
wrap(EVP_PKEY *pkey)
{
	struct fg_privkey *k;
	int id = EVP_PKEY_get_base_id(pkey);

	if (id != EVP_PKEY_RSA && id != EVP_PKEY_ED25519)
		return NULL;
	k = calloc(1, sizeof(*k));
	if (k == NULL)
		return NULL;
	k->pkey = pkey;
	k->type = id == EVP_PKEY_RSA ? FG_PK_RSA : FG_PK_ED25519;
	return k;
}

/* fg_privkey_load - a PEM private key from path */
enum fg_err
fg_privkey_load(const char *path, struct fg_privkey **out, char *err,
		size_t errcap)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *pkey;

	*out = NULL;
	if (f == NULL) {
		snprintf(err, errcap, "%s: cannot open: %s", path,
			 strerror(errno));
		return FG_EIO;
	}
	ERR_clear_error();
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (pkey == NULL) {
		snprintf(err, errcap,
			 "%s: not a PEM private key (PKCS#8 or RSA)", path);
		ERR_clear_error();
		return FG_ESYNTAX;
	}
	*out = wrap(pkey);
	if (*out == NULL) {
		snprintf(err, errcap,
			 "%s: neither an RSA nor an Ed25519 key, or no memory",
			 path);
		EVP_PKEY_free(pkey);
		return FG_ESYNTAX;
	}
	return FG_OK;
}

/* fg_privkey_generate - a new RSA or Ed25519 key */
enum fg_err
fg_privkey_generate(enum fg_pubkey_type t, int bits, struct fg_privkey **out)
{
	EVP_PKEY *pkey = t == FG_PK_RSA
				 ? EVP_RSA_gen((unsigned)bits)
				 : EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	*out = pkey != NULL ? wrap(pkey) : NULL;
	if (*out == NULL) {
		EVP_PKEY_free(pkey);
		return FG_ENOMEM;
	}
	return FG_OK;
}

/* fg_privkey_write - PKCS#8 PEM to fd */
enum fg_err
fg_privkey_write(const struct fg_privkey *k, int fd)
{
	BIO *b = BIO_new_fd(fd, BIO_NOCLOSE);
	int ok;

	if (b == NULL)
		return FG_ENOMEM;
	ok = PEM_write_bio_PrivateKey(b, k->pkey, NULL, NULL, 0, NULL, NULL) ==
		     1 &&
	     BIO_flush(b) == 1;
	BIO_free(b);
	return ok ? FG_OK : FG_EIO;
}

/* fg_privkey_free - release */
void
fg_privkey_free(struct fg_privkey *k)
{
	if (k == NULL)
		return;
	EVP_PKEY_free(k->pkey);
	free(k);
}

/* fg_privkey_type - RSA or Ed25519 */
enum fg_pubkey_type
fg_privkey_type(const struct fg_privkey *k)
{
	return k->type;
}

/* fg_privkey_bits - the key's size */
int
fg_privkey_bits(const struct fg_privkey *k)
{
	return EVP_PKEY_get_bits(k->pkey);
}

/* fg_privkey_public - the public half as p= wants it */
size_t
fg_privkey_public(const struct fg_privkey *k, unsigned char *out, size_t cap)
{
	if (k->type == FG_PK_ED25519) {
		size_t n = cap;

		return EVP_PKEY_get_raw_public_key(k->pkey, out, &n) == 1 ? n
									  : 0;
	} else {
		int n = i2d_PUBKEY(k->pkey, NULL);
		unsigned char *p = out;

		if (n <= 0 || (size_t)n > cap)
			return 0;
		return i2d_PUBKEY(k->pkey, &p) == n ? (size_t)n : 0;
	}
}

/* fg_privkey_sign - sign a digest */
size_t
fg_privkey_sign(const struct fg_privkey *k, enum fg_hash_alg alg,
		const unsigned char *digest, size_t dlen, unsigned char *sig)
{
	size_t slen = FG_SIG_MAX;
	int ok = 0;

	if (k->type == FG_PK_ED25519) {
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();

		ok = ctx != NULL &&
		     EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
		     EVP_DigestSign(ctx, sig, &slen, digest, dlen) == 1;
		EVP_MD_CTX_free(ctx);
	} else {
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k->pkey, NULL);

		ok = ctx != NULL && EVP_PKEY_sign_init(ctx) == 1 &&
		     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) ==
			     1 &&
		     EVP_PKEY_CTX_set_signature_md(ctx, md_of(alg)) == 1 &&
		     EVP_PKEY_sign(ctx, NULL, &slen, digest, dlen) == 1 &&
		     slen <= FG_SIG_MAX &&
		     EVP_PKEY_sign(ctx, sig, &slen, digest, dlen) == 1;
		EVP_PKEY_CTX_free(ctx);
	}
	return ok ? slen : 0;
}
