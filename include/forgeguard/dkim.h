/*
 * dkim.h - DKIM verification of one message, streamed
 *
 * At end of headers fg_dkim_headers reads every DKIM-Signature field of
 * the header store, refuses what cannot verify, computes each
 * signature's header hash, sets up one body hash per (hash algorithm,
 * body canonicalization, l=) that the signatures share, and starts
 * every key lookup that the key cache cannot answer, all in parallel.
 * fg_dkim_body takes the body as it streams, once, through at most two
 * canonicalizers.  fg_dkim_finish waits for the keys (by the deadline
 * given) and verifies.  Each signature ends with a result and a reason.
 */
#ifndef FG_DKIM_H
#define FG_DKIM_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "forgeguard/bounds.h"
#include "forgeguard/dkimsig.h"
#include "forgeguard/dns.h"
#include "forgeguard/hdrstore.h"
#include "forgeguard/keycache.h"

/* RFC 8601 2.7.1 results, best first. */
enum fg_dkim_result {
	FG_DKIM_PASS,
	FG_DKIM_TEMPERROR,
	FG_DKIM_POLICY,
	FG_DKIM_FAIL,
	FG_DKIM_NEUTRAL,
	FG_DKIM_PERMERROR,
	FG_DKIM_NONE,
};

/* One signature, judged. */
struct fg_dkim_sig {
	enum fg_dkim_result result;
	const char *why; /* static; NULL for a pass */
	int named; /* d and s are known */
	int parsed; /* the whole signature parsed: i, a and b too */
	char d[FG_DOMAIN_MAX + 1];
	char s[FG_DOMAIN_MAX + 1];
	char i[FG_ADDR_MAX + 1]; /* "" when absent */
	char b[16]; /* the first characters of b= */
	enum fg_dkim_alg alg;
	int testing; /* the key says t=y: never a pass policy relies on */
	int bits; /* the key's size, 0 when unknown */
};

/* How to judge. */
struct fg_dkim_opts {
	size_t max_signatures; /* beyond: neutral, not checked */
	int partial_body_passes; /* l= short of the body may still pass */
	int min_rsa_bits; /* RFC 8301: at least 1024 */
	int64_t now; /* UTC seconds */
	int64_t skew; /* t= this far in the future is still fine */
	int skip_dkim; /* DKIM-Signatures are not judged (ARC alone) */
	size_t arc_room; /* signatures fg_dkim_add may add (ARC) */
};

/* fg_dkim_add's answer when there is no room */
#define FG_DKIM_NOSIG ((size_t)-1)

struct fg_dkim;

/* fg_dkim_new - nothing seen yet; NULL without memory */
struct fg_dkim *fg_dkim_new(void);
/* fg_dkim_free - release, cancelling lookups still in flight (NULL ok) */
void fg_dkim_free(struct fg_dkim *d);
/*
 * fg_dkim_headers - read the signatures of h, start their key lookups
 * (dns may be NULL: every key is then a temperror); kc may be NULL
 */
void fg_dkim_headers(struct fg_dkim *d, const struct fg_hdrstore *h,
		     const struct fg_dkim_opts *o, struct fg_dns *dns,
		     struct fg_keycache *kc);
/*
 * fg_dkim_add - after fg_dkim_headers, a signature of another kind
 * (ARC), parsed as p (taken, freed with d): when hd is NULL its header
 * hash is made as a DKIM signature's from field self of h, and it
 * shares the body hashes; else hd is its header hash and it has no
 * body hash.  Keys are shared too.  Its index for fg_dkim_get (not
 * counted by fg_dkim_count), or FG_DKIM_NOSIG beyond opts.arc_room.
 */
size_t fg_dkim_add(struct fg_dkim *d, struct fg_dkimsig *p,
		   const struct fg_hdrstore *h, size_t self,
		   const unsigned char *hd, size_t hdlen);
/* fg_dkim_body - the next body bytes (CRLF lines); 1 while a signature
 * still needs more of the body */
int fg_dkim_body(struct fg_dkim *d, const unsigned char *p, size_t n);
/* fg_dkim_finish - the end of the body: wait for keys by deadline, then
 * verify every signature */
void fg_dkim_finish(struct fg_dkim *d, struct timespec deadline);
/* fg_dkim_count - DKIM signatures judged (or not checked) */
size_t fg_dkim_count(const struct fg_dkim *d);
/* fg_dkim_unreported - signatures past FG_DKIM_SIGS_MAX, only counted */
size_t fg_dkim_unreported(const struct fg_dkim *d);
/* fg_dkim_get - signature i, in header order */
const struct fg_dkim_sig *fg_dkim_get(const struct fg_dkim *d, size_t i);
/* fg_dkim_result_name - "pass", "fail", ... */
const char *fg_dkim_result_name(enum fg_dkim_result r);

#endif
