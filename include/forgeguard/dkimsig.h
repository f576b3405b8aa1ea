/*
 * dkimsig.h - DKIM-Signature fields and DKIM key records, parsed
 *
 * fg_dkimsig_parse reads one DKIM-Signature field value and checks what
 * RFC 6376 6.1.1 requires before any key is fetched: version 1, the
 * required tags, a known algorithm and canonicalization, From among the
 * signed fields, i= within d=, numbers that are numbers, base64 that
 * decodes.  What fails is a permerror with a reason.  The clock-dependent
 * checks (x=, t=) and the key-dependent ones are the verifier's.
 * fg_dkimkey_parse does the same for a key record (RFC 6376 3.6.1).
 * Both keep copies of what they need; h= names are views into the input.
 */
#ifndef FG_DKIMSIG_H
#define FG_DKIMSIG_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"
#include "forgeguard/str.h"

enum fg_dkim_alg {
	FG_DKIM_RSA_SHA256,
	FG_DKIM_RSA_SHA1,
	FG_DKIM_ED25519_SHA256,
};

enum fg_canon { FG_CANON_SIMPLE, FG_CANON_RELAXED };

enum fg_dkim_ktype { FG_DKIM_K_RSA, FG_DKIM_K_ED25519 };

/* What a signature field is: the three share one grammar (RFC 8617 4.1) */
enum fg_sigkind {
	FG_SIG_DKIM, /* DKIM-Signature */
	FG_SIG_AMS, /* ARC-Message-Signature: no v=, i= is the instance */
	FG_SIG_AS, /* ARC-Seal: no bh=, c=, h=; cv= */
};

/* ARC-Seal cv= (RFC 8617 4.1.3) */
enum fg_arc_cv { FG_CV_NONE, FG_CV_PASS, FG_CV_FAIL };

struct fg_dkimsig {
	enum fg_dkim_alg alg;
	enum fg_canon hcanon, bcanon;
	int has_c; /* c= was given (else simple/simple) */
	char d[FG_DOMAIN_MAX + 1]; /* lower case */
	char s[FG_DOMAIN_MAX + 1]; /* as written */
	int has_i;
	char i[FG_ADDR_MAX + 1]; /* as written */
	struct fg_view h[FG_DKIM_H_MAX]; /* into the input */
	size_t nh;
	int has_l;
	uint64_t l;
	int has_t, has_x;
	int64_t t, x;
	unsigned char b[FG_DKIM_B_MAX];
	size_t blen;
	unsigned char bh[FG_DKIM_BH_MAX];
	size_t bhlen;
	char b_text[16]; /* the first 12 characters of b=, for header.b */
	size_t b_start, b_end; /* b='s value in the input, FWS included */
	unsigned inst; /* ARC: i=, the instance */
	enum fg_arc_cv cv; /* ARC-Seal: cv= */
	const char *why; /* on error */
};

struct fg_dkimkey {
	enum fg_dkim_ktype ktype;
	int sha1_ok, sha256_ok; /* h= (both when absent) */
	int testing; /* t=y */
	int strict; /* t=s: i= must be d= exactly */
	int revoked; /* p= empty */
	unsigned char p[FG_DKIM_KEY_MAX];
	size_t plen;
	const char *why; /* on error */
};

/* fg_dkimsig_parse - one DKIM-Signature value; FG_ESYNTAX with why */
enum fg_err
fg_dkimsig_parse(const char *p, size_t n, struct fg_dkimsig *out) FG_WUR;
/*
 * fg_sig_parse - one field value of the kind given.  ARC differs from
 * DKIM (RFC 8617 4.1.2, 4.1.3): i= is an instance number (1 to 99999
 * here; the chain's limits are the validator's), From need not be
 * signed and empty names in h= are skipped, an AMS h= must not name
 * ARC-Seal, an ARC-Seal has no h=, and its header canonicalization is
 * relaxed.
 */
enum fg_err fg_sig_parse(const char *p, size_t n, enum fg_sigkind kind,
			 struct fg_dkimsig *out) FG_WUR;
/* fg_dkimkey_parse - one key record (TXT strings joined); FG_ESYNTAX
 * with why */
enum fg_err
fg_dkimkey_parse(const char *p, size_t n, struct fg_dkimkey *out) FG_WUR;
/* fg_dkim_alg_name - "rsa-sha256", ... */
const char *fg_dkim_alg_name(enum fg_dkim_alg a);

#endif
