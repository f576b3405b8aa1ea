/*
 * message.h - what the header fields of one message say
 *
 * At end of headers, fg_message_build reads the header store and keeps
 * the facts the checks need: From:, Sender:, every Received: hop,
 * Authentication-Results fields that claim our authserv-id, the d= of
 * DKIM-Signature fields, within the bounds of bounds.h, counting what
 * it did not examine.  From:, Sender: and Authentication-Results are
 * looked at whatever the size of the header: a forged
 * Authentication-Results must never survive, and From: decides
 * header.from.
 */
#ifndef FG_MESSAGE_H
#define FG_MESSAGE_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"
#include "forgeguard/hdrstore.h"
#include "forgeguard/header.h"
#include "forgeguard/received.h"

struct fg_hop {
	struct fg_rcvd r;
	int parsed; /* fg_received_parse accepted it */
};

struct fg_message {
	size_t nfields; /* header fields seen */
	size_t bytes; /* header bytes seen (names and values) */
	size_t over_fields; /* fields beyond FG_HEADERS_MAX, not examined */
	size_t over_size; /* fields longer than FG_HEADER_FIELD_MAX */
	size_t over_total; /* fields beyond FG_HEADER_TOTAL_MAX bytes */
	size_t not_kept; /* fields the store could not keep */
	size_t nfrom; /* From: fields */
	int from_ok; /* the first From: parsed */
	struct fg_from from; /* the first From: */
	char from_raw[FG_REPLY_VALUE_MAX + 1]; /* its text, cut */
	size_t from_raw_len;
	size_t nsender; /* Sender: fields */
	/* hops[0] is left for the current hop; Received: fields follow */
	struct fg_hop *hops;
	size_t nhops; /* hops kept, hop 0 included */
	size_t cap; /* hops allocated */
	size_t nreceived; /* Received: fields seen */
	size_t nauthres; /* Authentication-Results fields seen */
	size_t ndel; /* of them, claiming our authserv-id */
	unsigned *del; /* their 1-based indexes among A-R fields */
	char forged_id[FG_DOMAIN_MAX + 1]; /* the first forged one's id */
	size_t ndkim; /* DKIM-Signature fields seen */
	char dkim_d[FG_DKIM_D_MAX][FG_DOMAIN_MAX + 1]; /* their d= (lower) */
	size_t ndkim_d; /* d= kept */
	size_t narc; /* ARC-Seal, ARC-Message-Signature and
		      * ARC-Authentication-Results fields seen */
};

/* fg_message_init - an empty message */
void fg_message_init(struct fg_message *m);
/* fg_message_fini - free what the message holds, then empty it */
void fg_message_fini(struct fg_message *m);
/*
 * fg_message_build - the facts of every field in h (authserv_id is
 * ours), with room for the current hop at hops[0]; FG_ENOMEM when a
 * hop or an index could not be kept (the caller tempfails)
 */
enum fg_err fg_message_build(struct fg_message *m, const struct fg_hdrstore *h,
			     const char *authserv_id) FG_WUR;

#endif
