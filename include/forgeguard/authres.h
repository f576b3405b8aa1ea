/*
 * authres.h - the Authentication-Results field forgeguard writes
 *
 * Checks and the session add structured results: one entry per method
 * result (spf, iprev, dkim per signature, ...), each with an optional
 * reason and properties (smtp.mailfrom, header.d, ...).  fg_authres_write
 * renders one field body: the authserv-id, then one entry per line,
 * folded so that no line passes FG_AUTHRES_COLUMNS (the field name
 * included), never inside a quoted string, within FG_AUTHRES_FIELD_MAX
 * bytes.  When the entries do not fit, those of lowest priority are left
 * out, and a comment at the end says how many.  The same writer will
 * produce ARC-Authentication-Results.
 */
#ifndef FG_AUTHRES_H
#define FG_AUTHRES_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/buf.h"

/* Priorities: when the field is too long, the lowest go first. */
enum fg_authres_prio {
	FG_AR_PRIO_LOW = 10, /* x-received-chain */
	FG_AR_PRIO_IPREV = 20,
	FG_AR_PRIO_SIGNATURE = 40, /* dkim, one per signature */
	FG_AR_PRIO_SPF = 50,
	FG_AR_PRIO_POLICY = 60, /* dmarc */
};

struct fg_authres_entry {
	int prio;
	size_t ntok; /* tokens: "method=result", then reason and props */
	unsigned tok[FG_AUTHRES_PROPS_MAX + 2]; /* offsets in the arena */
};

struct fg_authres {
	const char *authserv_id;
	size_t first_col; /* column where the field body starts */
	size_t n;
	size_t lost; /* entries that did not fit in this struct */
	int skip; /* the current entry was lost: ignore its reason, props */
	struct fg_authres_entry e[FG_AUTHRES_ENTRIES_MAX];
	size_t used;
	int full; /* the arena filled: later tokens were lost */
	char arena[FG_AUTHRES_FIELD_MAX];
};

/* fg_authres_init - no entries yet; the field is named field_name */
void fg_authres_init(struct fg_authres *a, const char *authserv_id,
		     const char *field_name);
/* fg_authres_method - start an entry "method=result" */
void fg_authres_method(struct fg_authres *a, int prio, const char *method,
		       const char *result);
/* fg_authres_comment - "(text)" for the current entry, escaped (RFC 5322
 * comment) */
void fg_authres_comment(struct fg_authres *a, const char *text);
/* fg_authres_reason - reason="..." for the current entry, escaped */
void fg_authres_reason(struct fg_authres *a, const char *why);
/*
 * fg_authres_prop - ptype.property=value for the current entry; value is
 * written as it is when it is a token or an address (RFC 8601 pvalue),
 * else as a quoted string
 */
void fg_authres_prop(struct fg_authres *a, const char *name, const char *value);
/*
 * fg_authres_write - the field body into out (cleared first); returns
 * how many entries were left out; 0 and an empty out only if not even
 * the authserv-id fits
 */
size_t fg_authres_write(const struct fg_authres *a, struct fg_buf *out);

#endif
