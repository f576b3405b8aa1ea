/*
 * dkimsign.h - DKIM signatures for the site's own mail (RFC 6376, RFC
 * 8463)
 *
 * The keys of the dkim_sign_keys table are decoded once per configuration
 * snapshot (fg_signkeys_load, at start and on SIGHUP) and shared by
 * reference by the sessions of that snapshot, so a reload never changes
 * the keys under a message being signed.  A signer is one message's:
 * fg_dkim_signer_new at end of headers, the body streamed through one
 * canonicalizer and one SHA-256, and at end of message one
 * DKIM-Signature field value per key, over the header fields as the
 * message has them.
 */
#ifndef FG_DKIMSIGN_H
#define FG_DKIMSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/conf.h"
#include "forgeguard/crypto.h"
#include "forgeguard/dkimsig.h"
#include "forgeguard/hdrstore.h"

/* Keys that sign one message (one domain's: RSA and Ed25519 side by
 * side, a few selectors at most). */
#define FG_SIGN_KEYS_MAX 4
/* The longest DKIM-Signature value made (an RSA-8192 b= is 1,366
 * characters; 100 signed fields, 20 characters each) */
#define FG_SIGN_FIELD_MAX 4096

struct fg_signkey {
	char domain[FG_DOMAIN_MAX + 1];
	char selector[FG_SELECTOR_MAX + 1];
	enum fg_dkim_alg alg;
	struct fg_privkey *pk;
};

struct fg_signkeys;

/*
 * fg_signkeys_load - decode every key of conf's table; *out is NULL when
 * the table is empty.  A key that cannot be read, or whose type is not
 * the algorithm its line names, is an error naming the file and line.
 */
enum fg_err
fg_signkeys_load(const struct fg_conf *conf, struct fg_signkeys **out,
		 struct fg_buf *err) FG_WUR;
/* fg_signkeys_ref - one more reference (NULL ok) */
struct fg_signkeys *fg_signkeys_ref(struct fg_signkeys *k);
/* fg_signkeys_unref - drop a reference; the last frees (NULL ok) */
void fg_signkeys_unref(struct fg_signkeys *k);
/*
 * fg_signkeys_for - the keys that sign for domain: those of the domain
 * itself, else of its nearest parent that has keys; how many (at most
 * FG_SIGN_KEYS_MAX) into out
 */
size_t fg_signkeys_for(const struct fg_signkeys *k, const char *domain,
		       const struct fg_signkey *out[FG_SIGN_KEYS_MAX]);

/* fg_signkeys_sealer - the first RSA key of exactly domain (the ARC
 * sealer's), or NULL */
const struct fg_signkey *
fg_signkeys_sealer(const struct fg_signkeys *k, const char *domain);

/* How to sign one message. */
struct fg_sign_req {
	const struct fg_signkey *keys[FG_SIGN_KEYS_MAX];
	size_t nkeys;
	enum fg_canon hc, bc;
	int64_t now; /* t= */
	unsigned expire_s; /* x= = t= + this; 0: no x= */
	const struct fg_nameset *headers; /* fields signed */
	const struct fg_nameset *oversign; /* signed once more */
};

struct fg_dkim_signer;

/* fg_dkim_signer_new - a signer for one message; NULL without memory */
struct fg_dkim_signer *fg_dkim_signer_new(const struct fg_sign_req *r);
/* fg_dkim_signer_body - the next body bytes (CRLF lines) */
void
fg_dkim_signer_body(struct fg_dkim_signer *s, const unsigned char *p, size_t n);
/*
 * fg_dkim_signer_field - the end of the body; the DKIM-Signature value
 * of key k (with its leading space, folded with LF and a tab) over the
 * fields of h into out; 0 with why (static) when it cannot be made: a
 * signed field the store kept cut, a store that dropped fields, a key
 * that would not sign
 */
int fg_dkim_signer_field(struct fg_dkim_signer *s, size_t k,
			 const struct fg_hdrstore *h, char *out, size_t cap,
			 const char **why);
/* The longest ARC set field made. */
#define FG_SEAL_FIELD_MAX 8192

/* What one ARC set says (RFC 8617 4.1). */
struct fg_arc_seal_in {
	const struct fg_signkey *key; /* an RSA key: ARC is rsa-sha256 */
	int64_t now; /* t= */
	unsigned instance; /* i=, 1 to 50 */
	const char *cv; /* "none", "pass" or "fail" */
	const char *aar; /* the results: "authserv-id; method=result..." */
	const char *const *h; /* AMS h= names in order; NULL: the
			       * signer's configured fields */
	size_t nh;
};

/* The fields of one ARC set, without their names, each with a leading
 * space. */
struct fg_arc_seal_out {
	char aar[FG_SEAL_FIELD_MAX];
	char ams[FG_SEAL_FIELD_MAX];
	char as[FG_SEAL_FIELD_MAX];
};

/*
 * fg_arc_seal - the end of the body; the ARC set of instance
 * in->instance over h (the message and its older sets), in the
 * standard form of the ARC test suite (tags in alphabetical order, one
 * space after each semicolon, b= unfolded); the signer must have been
 * made with relaxed body canonicalization.  0 with why (static) when it
 * cannot be made: an older set missing from h, a field cut by the
 * store, a key that would not sign.
 */
int fg_arc_seal(struct fg_dkim_signer *s, const struct fg_hdrstore *h,
		const struct fg_arc_seal_in *in, struct fg_arc_seal_out *out,
		const char **why);
/*
 * fg_arc_seal_aar_from - the results to carry in an AAR, from the
 * Authentication-Results fields of h whose authserv-id is srvid,
 * merged in order into "srvid; r1; r2; ..." in out; *arc the arc= result
 * they record ("pass", "fail", "none", "error" for temperror and
 * permerror; NULL when none does); 0 when no field is srvid's
 */
int fg_arc_seal_aar_from(const struct fg_hdrstore *h, const char *srvid,
			 char *out, size_t cap, const char **arc);
/* fg_arc_last_cv - the cv= of the newest ARC-Seal of h, its i= in
 * *inst (0 when h has none) and its d= in d ("" when it has none) */
const char *fg_arc_last_cv(const struct fg_hdrstore *h, unsigned *inst, char *d,
			   size_t dcap);

/* fg_dkim_signer_keys - how many fields the signer makes */
size_t fg_dkim_signer_keys(const struct fg_dkim_signer *s);
/* fg_dkim_signer_free - release (NULL ok) */
void fg_dkim_signer_free(struct fg_dkim_signer *s);

#endif
