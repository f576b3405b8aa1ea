/*
 * crypto.h - hashes, keys, signatures made and checked (OpenSSL 3 EVP)
 *
 * The one place forgeguard touches OpenSSL.  Hashes are incremental;
 * public keys are decoded once (the key cache keeps them) and shared by
 * reference; a verification takes the digest the caller computed, since
 * DKIM signs the hash of the canonical header (RSA PKCS#1 v1.5 over it,
 * Ed25519 over the 32-byte SHA-256 of it, RFC 8463 3).
 */
#ifndef FG_CRYPTO_H
#define FG_CRYPTO_H

#include <stddef.h>

#include "forgeguard/err.h"

enum fg_hash_alg { FG_HASH_SHA1, FG_HASH_SHA256 };
enum fg_pubkey_type { FG_PK_RSA, FG_PK_ED25519 };

/* The longest digest: SHA-256. */
#define FG_HASH_MAX 32

struct fg_hash;
struct fg_pubkey;

/* fg_crypto_thread_done - release what the crypto library keeps for the
 * calling thread (its error queue); it may use the library again */
void fg_crypto_thread_done(void);
/* fg_hash_new - an incremental hash; NULL without memory */
struct fg_hash *fg_hash_new(enum fg_hash_alg alg);
/* fg_hash_update - more bytes */
void fg_hash_update(struct fg_hash *h, const void *p, size_t n);
/* fg_hash_final - the digest into out (FG_HASH_MAX bytes); its length */
size_t fg_hash_final(struct fg_hash *h, unsigned char *out);
/* fg_hash_free - release (NULL ok) */
void fg_hash_free(struct fg_hash *h);

/*
 * fg_pubkey_new - a key from a DKIM p= value: for RSA a DER
 * SubjectPublicKeyInfo or a bare RSAPublicKey, for Ed25519 the 32 raw
 * bytes; FG_ESYNTAX with why when the bytes are not such a key
 */
enum fg_err
fg_pubkey_new(enum fg_pubkey_type t, const unsigned char *p, size_t n,
	      struct fg_pubkey **out, const char **why) FG_WUR;
/* fg_pubkey_ref - one more reference */
struct fg_pubkey *fg_pubkey_ref(struct fg_pubkey *k);
/* fg_pubkey_free - drop a reference (NULL ok) */
void fg_pubkey_free(struct fg_pubkey *k);
/* fg_pubkey_bits - the key's size in bits */
int fg_pubkey_bits(const struct fg_pubkey *k);
/*
 * fg_pubkey_verify - does sig sign the digest (RSA: with PKCS#1 v1.5 and
 * the hash alg; Ed25519: the digest as the message): 1 yes, 0 no
 */
int fg_pubkey_verify(const struct fg_pubkey *k, enum fg_hash_alg alg,
		     const unsigned char *digest, size_t dlen,
		     const unsigned char *sig, size_t slen);

/* ---- private keys: signing (DKIM, ARC seals) and key generation ---- */

struct fg_privkey;

/* The longest signature made: an RSA-8192 key's. */
#define FG_SIG_MAX 1024

/*
 * fg_privkey_load - a PEM private key (PKCS#8, or a traditional RSA key
 * as opendkim-genkey writes it) from path; FG_ESYNTAX or FG_EIO with a
 * message in err that names the file and why
 */
enum fg_err fg_privkey_load(const char *path, struct fg_privkey **out,
			    char *err, size_t errcap) FG_WUR;
/* fg_privkey_generate - a new key: RSA of bits, or Ed25519 */
enum fg_err fg_privkey_generate(enum fg_pubkey_type t, int bits,
				struct fg_privkey **out) FG_WUR;
/* fg_privkey_write - the key as PKCS#8 PEM to an open file descriptor */
enum fg_err fg_privkey_write(const struct fg_privkey *k, int fd) FG_WUR;
/* fg_privkey_free - release (NULL ok) */
void fg_privkey_free(struct fg_privkey *k);
/* fg_privkey_type - RSA or Ed25519 */
enum fg_pubkey_type fg_privkey_type(const struct fg_privkey *k);
/* fg_privkey_bits - the key's size in bits */
int fg_privkey_bits(const struct fg_privkey *k);
/*
 * fg_privkey_public - the public half as DKIM's p= wants it (RSA: DER
 * SubjectPublicKeyInfo; Ed25519: the 32 raw bytes) into out; its length,
 * 0 when it does not fit cap
 */
size_t
fg_privkey_public(const struct fg_privkey *k, unsigned char *out, size_t cap);
/*
 * fg_privkey_sign - sign the digest (RSA: PKCS#1 v1.5 with the hash alg;
 * Ed25519: the digest as the message, RFC 8463 3) into sig (FG_SIG_MAX
 * bytes); its length, 0 when signing failed
 */
size_t
fg_privkey_sign(const struct fg_privkey *k, enum fg_hash_alg alg,
		const unsigned char *digest, size_t dlen, unsigned char *sig);

#endif
