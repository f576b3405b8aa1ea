/*
 * arc.h - validation of the Authenticated Received Chain (RFC 8617)
 *
 * At end of headers fg_arc_headers gathers the ARC sets of the header
 * store, judges their form (instances 1 to N without gaps, one field of
 * each kind per instance, cv= none at 1 and pass above), and hands every
 * signature the chain needs to the DKIM verifier, which shares body
 * hashes and keys with the DKIM-Signatures: the newest
 * ARC-Message-Signature, the older ones (for the oldest pass), and every
 * ARC-Seal over the sets up to its own.  After fg_dkim_finish,
 * fg_arc_finish reads their results in the order RFC 8617 5.2 gives.
 */
#ifndef FG_ARC_H
#define FG_ARC_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/conf.h"
#include "forgeguard/dkim.h"
#include "forgeguard/hdrstore.h"
#include "forgeguard/message.h"

/* RFC 8617 allows 50 ARC sets; more is a failed chain. */
#define FG_ARC_SETS_MAX 50
/* The signatures a chain may hand the DKIM verifier (opts.arc_room):
 * AMS and AS per set, and a second reading of an AMS without c=. */
#define FG_ARC_SIGS_MAX (3 * FG_ARC_SETS_MAX)

/* Chain validation status (RFC 8617 4.4), and temperror when a key
 * could not be fetched: never a fail that policy would act on. */
enum fg_arc_result {
	FG_ARC_NONE,
	FG_ARC_PASS,
	FG_ARC_FAIL,
	FG_ARC_TEMPERROR,
};

/* One ARC set, as the log and Authentication-Results report it. */
struct fg_arc_set {
	unsigned inst;
	char d[FG_DOMAIN_MAX + 1]; /* the seal's d= and s= (lower) */
	char s[FG_DOMAIN_MAX + 1];
	enum fg_arc_cv cv;
	enum fg_dkim_result seal; /* NONE: not verified */
	enum fg_dkim_result ams; /* NONE: not verified */
	char authserv_id[FG_DOMAIN_MAX + 1]; /* of its AAR, "" unknown */
	char remote_ip[64]; /* its AAR's smtp.remote-ip, "" absent */
	/* its AAR says pass for these (read for trusted sealers only) */
	int spf_pass, dkim_pass, dmarc_pass;
};

struct fg_arc {
	enum fg_arc_result result;
	const char *why; /* static; NULL for pass and none */
	const char *why_field; /* the field why is about, NULL: the chain */
	unsigned why_inst; /* and its instance */
	char reason[320]; /* fg_arc_reason's text, kept for the reply */
	size_t n; /* sets reported (N, or what was gathered on a failure) */
	struct fg_arc_set *sets; /* n of them, oldest first */
	unsigned oldest_pass; /* RFC 8617 5.2 step 6; 0: every AMS passed */
	int trusted; /* a trusted sealer's set, index + 1; 0: none */
	/* private: fg_dkim_get indexes of the signatures asked for */
	size_t ams_sig[FG_ARC_SETS_MAX], seal_sig[FG_ARC_SETS_MAX];
	/* an AMS without c= read as relaxed/relaxed too, FG_DKIM_NOSIG
	 * when it has c= */
	size_t ams_alt[FG_ARC_SETS_MAX];
	int validating; /* the form was good: signatures were handed over */
};

/* fg_arc_init - nothing gathered */
void fg_arc_init(struct fg_arc *a);
/* fg_arc_fini - free, then empty */
void fg_arc_fini(struct fg_arc *a);
/*
 * fg_arc_headers - the sets of h judged for form; the signatures the
 * chain needs handed to d (made with opts.arc_room = FG_ARC_SIGS_MAX);
 * running out of memory leaves a temperror
 */
void fg_arc_headers(struct fg_arc *a, struct fg_dkim *d,
		    const struct fg_hdrstore *h);
/* fg_arc_finish - after fg_dkim_finish: the chain's status, the oldest
 * pass, and the newest set sealed by one of trusted (may be NULL) */
void fg_arc_finish(struct fg_arc *a, const struct fg_dkim *d,
		   const struct fg_nameset *trusted);
/* fg_arc_reason - why the chain is not a pass, naming the field and
 * instance it is about ("ARC-Seal i=2: signature does not verify");
 * "" for pass and none */
void fg_arc_reason(const struct fg_arc *a, char *dst, size_t cap);
/*
 * fg_arc_sets_text - every set for the log, oldest first:
 * "i:d/s:SEAL/AMS:cv" ("1:example.org/sel:pass/pass:none,..."), a result
 * being "-" when it was not verified; then ";oldest-pass=N" for a pass,
 * and ";trusted=I:D:+spf=pass+dkim=pass+dmarc=pass" (what that trusted
 * sealer's AAR says passed, or "nothing") when one applies
 */
void fg_arc_sets_text(const struct fg_arc *a, char *dst, size_t cap);
/*
 * fg_arc_trail - a chain held against the Received: trail of m (hops
 * newest first, hops[0] this server's): the host that sealed set i also
 * wrote a Received: field, so each sealing domain should be a by host,
 * or within the by host's last two labels, newer sets nearer the top
 * (consecutive sets of one domain may share a hop), and a set's
 * smtp.remote-ip, when its AAR recorded one, the address
 * that field says it received from.  NULL when it holds; else why, with
 * the set and what did not match in detail.
 */
const char *fg_arc_trail(const struct fg_arc *a, const struct fg_message *m,
			 char *detail, size_t cap);
/* fg_arc_result_name - "none", "pass", "fail", "temperror" */
const char *fg_arc_result_name(enum fg_arc_result r);
/* fg_arc_aar_instance - i= of an ARC-Authentication-Results value
 * ("i=N;" first), 0 when it has none */
unsigned fg_arc_aar_instance(const char *p, size_t n);

#endif
