/*
 * dns.h - the one resolver every check uses
 *
 * A struct fg_dns is shared by all sessions and threads.  fg_dns_start
 * asks a question and returns at once; fg_dns_wait collects the answer
 * by a deadline, so a stage can have several lookups in flight and wait
 * for them within one time budget.  fg_dns_lookup asks and waits.  Every
 * failure (timeout, SERVFAIL, REFUSED, a bogus DNSSEC answer, a network
 * error, no memory) is FG_DNS_TEMPERROR, never an empty success.  Answers are decoded
 * into a caller-owned, bounded struct: addresses as struct fg_ip, names in
 * text form, TXT records with their strings joined (RFC 7208 3.3).
 *
 * Two implementations: libunbound (fg_dns_new, in dns.c) and an in-memory
 * fake for tests (fg_dns_new_fake, in dnsfake.c).
 */
#ifndef FG_DNS_H
#define FG_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "forgeguard/bounds.h"
#include "forgeguard/buf.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"

enum fg_dns_type {
	FG_DNS_A = 1,
	FG_DNS_CNAME = 5,
	FG_DNS_PTR = 12,
	FG_DNS_MX = 15,
	FG_DNS_TXT = 16,
	FG_DNS_AAAA = 28,
	FG_DNS_SPF = 99,
};

enum fg_dns_status {
	FG_DNS_OK, /* at least one record of the type */
	FG_DNS_NODATA, /* the name exists, no record of the type */
	FG_DNS_NXDOMAIN, /* the name does not exist */
	FG_DNS_TEMPERROR, /* no usable answer: timeout, SERVFAIL, bogus, ... */
};

struct fg_dns_rr {
	uint16_t type;
	uint16_t pref; /* MX preference */
	struct fg_ip ip; /* A, AAAA */
	uint32_t off, len; /* text in the answer's arena: names, TXT */
	int cut; /* the text was longer than kept */
};

struct fg_dns_answer {
	enum fg_dns_status status;
	int secure; /* DNSSEC-validated */
	const char *why; /* TEMPERROR: a short reason */
	uint32_t ttl;
	size_t n; /* records kept */
	size_t dropped; /* records beyond FG_DNS_RR_MAX */
	struct fg_dns_rr rr[FG_DNS_RR_MAX];
	size_t used;
	char arena[FG_DNS_ARENA_MAX];
};

struct fg_dns_opts {
	const char *resolver; /* "" or NULL: /etc/resolv.conf;
				   * else "ADDR[@PORT]" forwarders, blank
				   * separated */
	const char *trust_anchor; /* "" or NULL: no DNSSEC validation */
};

struct fg_dns;
struct fg_dns_query;

/* fg_dns_new - a libunbound resolver; err says why it could not start */
enum fg_err fg_dns_new(const struct fg_dns_opts *o, struct fg_dns **out,
		       struct fg_buf *err) FG_WUR;
/* fg_dns_new_fake - an in-memory resolver for tests */
enum fg_err fg_dns_new_fake(struct fg_dns **out) FG_WUR;
/*
 * fg_dns_fake_add - add a record to a fake: text is the address (A, AAAA),
 * the name (PTR, CNAME), "PREF NAME" (MX) or the joined string (TXT, SPF).
 * type 0 with text "TIMEOUT" makes every other question about name time
 * out; a name added with no records answers NODATA.
 */
enum fg_err fg_dns_fake_add(struct fg_dns *d, const char *name,
			    enum fg_dns_type type, const char *text) FG_WUR;
/* fg_dns_fake_add_txt - a TXT/SPF record that may hold any bytes */
enum fg_err
fg_dns_fake_add_txt(struct fg_dns *d, const char *name, enum fg_dns_type type,
		    const char *text, size_t len) FG_WUR;
/* fg_dns_ref - take one more reference (sessions hold one) */
struct fg_dns *fg_dns_ref(struct fg_dns *d);
/* fg_dns_free - drop a reference; the last one releases it (NULL ok) */
void fg_dns_free(struct fg_dns *d);
/*
 * fg_dns_start - ask, without waiting; NULL only when there is no memory,
 * and fg_dns_wait answers a NULL query with a temperror
 */
struct fg_dns_query *
fg_dns_start(struct fg_dns *d, const char *name, enum fg_dns_type type);
/* fg_dns_wait - the answer of a started query, by deadline (CLOCK_MONOTONIC,
 * fg_deadline_after); the query is released */
void fg_dns_wait(struct fg_dns *d, struct fg_dns_query *q,
		 struct timespec deadline, struct fg_dns_answer *ans);
/* fg_dns_cancel - release a started query that will not be waited for
 * (NULL ok) */
void fg_dns_cancel(struct fg_dns *d, struct fg_dns_query *q);
/* fg_dns_lookup_by - ask and wait, answered by deadline */
void fg_dns_lookup_by(struct fg_dns *d, const char *name, enum fg_dns_type type,
		      struct timespec deadline, struct fg_dns_answer *ans);
/* fg_dns_lookup - ask; never longer than timeout_ms */
void fg_dns_lookup(struct fg_dns *d, const char *name, enum fg_dns_type type,
		   unsigned timeout_ms, struct fg_dns_answer *ans);
/* fg_dns_text - the text of a name or TXT record in an answer */
const char *fg_dns_text(const struct fg_dns_answer *ans, size_t i);
/* fg_dns_queries - how many questions this resolver was asked (stats) */
unsigned long fg_dns_queries(const struct fg_dns *d);

/*
 * fg_dns_decode - decode one record's wire rdata into ans (used by the
 * resolvers; exposed for tests): 0 when the rdata is malformed
 */
int fg_dns_decode(struct fg_dns_answer *ans, enum fg_dns_type type,
		  const unsigned char *rdata, size_t len);
/* fg_dns_answer_reset - an empty answer with the given status */
void fg_dns_answer_reset(struct fg_dns_answer *ans, enum fg_dns_status st);
/* fg_dns_status_name - "ok", "nodata", "nxdomain", "temperror" */
const char *fg_dns_status_name(enum fg_dns_status st);

#endif
