/*
 * dmarcrec.h - DMARC policy records (RFC 9989 4.7), parsed
 *
 * fg_dmarcrec_is_dmarc says whether a TXT string is a DMARC record at
 * all (it starts with v=DMARC1); fg_dmarcrec_parse reads one with the
 * shared tag=value parser.  Unknown tags are ignored, and so are the
 * tags RFC 9989 removed (rf, ri), except pct: 0 reads as t=y and 100 as
 * t=n, as RFC 9989 keeps RFC 7489 records meaning what they meant.  A
 * p= that is missing or not a policy leaves the record usable, with its
 * policy unknown: RFC 9989 says such a record is treated as p=none when
 * it has rua=, and is ignored (no record) otherwise; the evaluator
 * applies that.  sp= and np= that are not policies are ignored.
 */
#ifndef FG_DMARCREC_H
#define FG_DMARCREC_H

#include <stddef.h>

#include "forgeguard/err.h"

enum fg_dmarc_policy {
	FG_DMARC_P_UNSET, /* absent or invalid */
	FG_DMARC_P_NONE,
	FG_DMARC_P_QUARANTINE,
	FG_DMARC_P_REJECT,
};

enum fg_dmarc_psd { FG_DMARC_PSD_U, FG_DMARC_PSD_Y, FG_DMARC_PSD_N };

struct fg_dmarcrec {
	enum fg_dmarc_policy p, sp, np; /* sp, np: UNSET when absent */
	enum fg_dmarc_psd psd;
	int testing; /* t=y (or pct=0) */
	int adkim_strict, aspf_strict;
	int has_rua, has_ruf;
	char rua[512]; /* as written, cut; "" absent */
	char fo[16];
	const char *why; /* on error */
};

/* fg_dmarcrec_is_dmarc - does a TXT string start with v=DMARC1 (the
 * records that do not are discarded before counting, RFC 9989 4.10) */
int fg_dmarcrec_is_dmarc(const char *p, size_t n);
/* fg_dmarcrec_parse - one record; FG_ESYNTAX with why when it is not a
 * DMARC record or its tag list does not parse */
enum fg_err
fg_dmarcrec_parse(const char *p, size_t n, struct fg_dmarcrec *out) FG_WUR;
/* fg_dmarc_policy_name - "none", "quarantine", "reject", "?" */
const char *fg_dmarc_policy_name(enum fg_dmarc_policy p);

#endif
