/*
 * keycache.h - DKIM keys, decoded once and kept for their TTL
 *
 * One cache for the process, shared by every session (and the ARC
 * validator later), keyed by the record's name (selector._domainkey.d).
 * It holds what a verifier needs from a good key record: the decoded
 * key, its type and size, and the record's flags.  Only good keys are
 * kept; a missing or bad record is asked again (the DNS layer caches the
 * answer itself).  At most FG_KEYCACHE_MAX entries, none longer than
 * FG_KEYCACHE_TTL_MAX seconds.
 */
#ifndef FG_KEYCACHE_H
#define FG_KEYCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/crypto.h"
#include "forgeguard/dkimsig.h"
#include "forgeguard/err.h"

/* What a verifier needs of a key record. */
struct fg_dkim_pub {
	struct fg_pubkey *key;
	enum fg_dkim_ktype ktype;
	int bits;
	int sha1_ok, sha256_ok;
	int testing, strict;
};

struct fg_keycache;

/* fg_keycache_new - an empty cache */
enum fg_err fg_keycache_new(struct fg_keycache **out) FG_WUR;
/* fg_keycache_free - release it and every key (NULL ok) */
void fg_keycache_free(struct fg_keycache *c);
/* fg_keycache_get - a live entry for name into out (a key reference the
 * caller releases with fg_pubkey_free); 0 when there is none */
int fg_keycache_get(struct fg_keycache *c, const char *name,
		    struct fg_dkim_pub *out);
/* fg_keycache_put - keep a key for ttl seconds (a reference is taken) */
void fg_keycache_put(struct fg_keycache *c, const char *name,
		     const struct fg_dkim_pub *k, uint32_t ttl);
/* fg_keycache_count - entries held (tests, stats) */
size_t fg_keycache_count(struct fg_keycache *c);

#endif
