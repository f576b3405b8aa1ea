/*
 * spf.h - SPF checks (RFC 7208), native or through libspf2, over our resolver
 *
 * Two engines evaluate check_host() for one identity by a deadline (the
 * stage's DNS budget), with every DNS answer coming from forgeguard's
 * resolver:
 * - fg_spf_check_native (spfeval.c), forgeguard's own RFC 7208
 *   evaluator, the default (spf_engine = native);
 * - fg_spf_check (spf.c), libspf2 (spf_engine = libspf2), one struct
 *   fg_spf per process, with every fetched SPF record checked by our own
 *   RFC 7208 section 12 parser first, the void-lookup limit (4.6.4)
 *   counted here, and libspf2's SPF_RESULT_INVALID mapped to temperror (a
 *   DNS failure) or permerror (anything else).
 */
#ifndef FG_SPF_H
#define FG_SPF_H

#include <time.h>

#include "forgeguard/buf.h"
#include "forgeguard/dns.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"

enum fg_spf_result {
	FG_SPF_R_NONE,
	FG_SPF_R_NEUTRAL,
	FG_SPF_R_PASS,
	FG_SPF_R_FAIL,
	FG_SPF_R_SOFTFAIL,
	FG_SPF_R_TEMPERROR,
	FG_SPF_R_PERMERROR,
};

struct fg_spf_outcome {
	enum fg_spf_result result;
	const char *why; /* static reason for errors, or NULL */
	unsigned dns_queries;
	unsigned void_lookups;
};

struct fg_spf;

/* fg_spf_new - the process's SPF evaluator */
enum fg_err fg_spf_new(struct fg_spf **out) FG_WUR;
/* fg_spf_free - release it (NULL ok) */
void fg_spf_free(struct fg_spf *s);
/*
 * fg_spf_check - check_host() for the MAIL FROM identity sender (or the
 * HELO identity when sender is "" or NULL: RFC 7208 2.3, 2.4)
 */
void fg_spf_check(struct fg_spf *s, struct fg_dns *dns, const struct fg_ip *ip,
		  const char *helo, const char *sender,
		  struct timespec deadline, struct fg_spf_outcome *out);
/*
 * fg_spf_check_native - the same, evaluated by forgeguard itself
 * (spfeval.c) instead of libspf2
 */
void fg_spf_check_native(struct fg_dns *dns, const struct fg_ip *ip,
			 const char *helo, const char *sender,
			 struct timespec deadline, struct fg_spf_outcome *out);
/* fg_spf_result_name - "pass", "fail", ... */
const char *fg_spf_result_name(enum fg_spf_result r);

#endif
