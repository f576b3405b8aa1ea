/*
 * dmarc.h - DMARC evaluation (RFC 9989): policy discovery by the DNS tree
 * walk, organizational domains, identifier alignment, the result
 *
 * fg_dmarc_eval takes the author domain of the From: field and the
 * identifiers that passed (the MAIL FROM domain when SPF passed, the d=
 * of every DKIM signature that passed), walks the DNS for the policy
 * record and, when relaxed alignment needs them, for organizational
 * domains, and says pass, fail, none, temperror or permerror with the
 * policy that applies.  Every DMARC lookup of one evaluation is asked
 * once (a small per-evaluation cache), all within one deadline.
 */
#ifndef FG_DMARC_H
#define FG_DMARC_H

#include <stddef.h>
#include <time.h>

#include "forgeguard/bounds.h"
#include "forgeguard/dmarcrec.h"
#include "forgeguard/dns.h"

/* RFC 9989 4.10: a walk asks at most this many names. */
#define FG_DMARC_WALK_MAX 8
/* Passing DKIM domains one evaluation considers. */
#define FG_DMARC_DKIM_MAX 16

enum fg_dmarc_result {
	FG_DMARC_PASS,
	FG_DMARC_FAIL,
	FG_DMARC_NONE,
	FG_DMARC_TEMPERROR,
	FG_DMARC_PERMERROR,
};

/* How organizational domains are found (dmarc_org_domain). */
enum fg_dmarc_org {
	FG_ORG_WALK, /* RFC 9989's DNS tree walk */
	FG_ORG_PSL, /* RFC 7489: the public suffix list, two lookups */
	FG_ORG_AUTO, /* the walk; the list where a walk finds no record */
};

struct fg_dmarc_in {
	const char *author; /* the From: domain; NULL or "": unknown */
	const char *spf_domain; /* MAIL FROM domain whose SPF passed, or
				 * NULL (the null sender has none) */
	const char *dkim[FG_DMARC_DKIM_MAX]; /* d= of passing signatures */
	size_t ndkim;
	enum fg_dmarc_org org_mode; /* 0: the tree walk */
};

struct fg_dmarc_out {
	enum fg_dmarc_result result;
	const char *why; /* static; NULL for pass */
	enum fg_dmarc_policy policy; /* the one that applies (p, sp or np) */
	char which[3]; /* "p", "sp" or "np" */
	int testing; /* t=y: enforcement lowered one step */
	int has_rua;
	char rua[512];
	char author[FG_DOMAIN_MAX + 1]; /* canonical */
	char policy_domain[FG_DOMAIN_MAX + 1]; /* where the record was */
	char org[FG_DOMAIN_MAX + 1]; /* the author's organizational domain */
	int spf_aligned;
	int dkim_aligned;
	char dkim_d[FG_DOMAIN_MAX + 1]; /* the aligned signature's d= */
	int adkim_strict, aspf_strict;
	const char *discovery; /* "treewalk" or "psl" */
	struct fg_dmarcrec rec; /* the policy record, as published */
	unsigned lookups; /* DNS questions asked */
};

/* fg_dmarc_eval - the DMARC result of a message, by deadline */
void fg_dmarc_eval(struct fg_dns *dns, struct timespec deadline,
		   const struct fg_dmarc_in *in, struct fg_dmarc_out *out);
/* fg_dmarc_org_domain - the organizational domain of name (RFC 9989
 * 4.10.2) into out, by deadline; 0 when a lookup failed and none was
 * found (out then holds name) */
int fg_dmarc_org_domain(struct fg_dns *dns, struct timespec deadline,
			const char *name, char *out, size_t cap);
/* fg_dmarc_psl_domain - the registrable domain of name by the public
 * suffix list (Debian's publicsuffix, through libpsl) into out; 0 when
 * the list cannot be loaded or name is a public suffix itself */
int fg_dmarc_psl_domain(const char *name, char *out, size_t cap);
/* fg_dmarc_result_name - "pass", "fail", "none", ... */
const char *fg_dmarc_result_name(enum fg_dmarc_result r);
/*
 * fg_dmarc_walk_targets - the names the tree walk asks about for domain
 * (without "_dmarc."), in order: the domain, then, when it has 8 labels
 * or more, its last 7, then one label fewer each time down to the last
 * one; returns how many (at most FG_DMARC_WALK_MAX), pointers into domain
 */
size_t
fg_dmarc_walk_targets(const char *domain, const char *out[FG_DMARC_WALK_MAX]);

#endif
