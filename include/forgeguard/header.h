/*
 * header.h - pure parsers for the message header fields forgeguard reads
 *
 * From: (RFC 5322 3.6.2 mailbox-list, with groups, comments, quoted
 * strings, the obsolete forms and RFC 6532 UTF-8) and the authserv-id
 * that opens an Authentication-Results field (RFC 8601 2.2).  They
 * record facts; checks decide.
 */
#ifndef FG_HEADER_H
#define FG_HEADER_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"

/* Bytes of From: addresses kept per message; more are counted only. */
#define FG_FROM_ARENA 2048

struct fg_from {
	/* kept addresses, one after another, each "local@domain" with the
	 * local part as written and the domain in lower case, NUL-ended */
	char arena[FG_FROM_ARENA];
	size_t used; /* arena bytes used */
	unsigned short off[FG_FROM_ADDRS_MAX]; /* where address k starts */
	unsigned short dom[FG_FROM_ADDRS_MAX]; /* where its domain starts */
	size_t n; /* addresses kept */
	size_t count; /* addresses seen */
	int group; /* RFC 6854 group syntax was used */
	const char *why; /* set when the field did not parse */
	size_t errpos;
};

/* fg_from_addr - kept address k ("local@domain") */
static inline const char *
fg_from_addr(const struct fg_from *f, size_t k)
{
	return f->arena + f->off[k];
}

/* fg_from_domain - the lower-case domain of kept address k */
static inline const char *
fg_from_domain(const struct fg_from *f, size_t k)
{
	return f->arena + f->dom[k];
}

/*
 * fg_header_from_parse - the addresses of a From: (or Sender:) field
 * body.  FG_ESYNTAX with why and errpos when it is not a mailbox-list;
 * the addresses read before the error are kept.
 */
enum fg_err
fg_header_from_parse(const char *p, size_t n, struct fg_from *out) FG_WUR;
/*
 * fg_header_authserv_id - the authserv-id of an Authentication-Results
 * field body (a token or a quoted string, after optional comments),
 * copied into id[cap].  FG_ESYNTAX when there is none.
 */
enum fg_err
fg_header_authserv_id(const char *p, size_t n, char *id, size_t cap) FG_WUR;
/* fg_header_name_is - field name equality, ASCII case-insensitive */
int fg_header_name_is(const char *name, const char *want);

#endif
