/*
 * dns_impl.h - what a resolver implementation provides (dns.c, dnsfake.c)
 *
 * dnsquery.c turns the public start/wait calls into these: start either
 * answers at once (q->ready: a cache hit, the fake, an error) or leaves
 * its in-flight state in q->impl; wait is only called for the latter and
 * must release it, as must cancel.
 */
#ifndef FG_DNS_IMPL_H
#define FG_DNS_IMPL_H

#include <stdatomic.h>
#include <stddef.h>

#include "forgeguard/dns.h"

/* Longest text form of a name with every byte escaped. */
#define FG_DNS_NAME_TEXT_MAX (4 * 255 + 1)

struct fg_dns_query {
	enum fg_dns_type type;
	char name[FG_DNS_NAME_TEXT_MAX + 1];
	struct fg_dns_answer *ready; /* heap, fg_dns_answer_size bytes */
	void *impl; /* the implementation's in-flight state */
};

struct fg_dns_ops {
	void (*start)(struct fg_dns *d, struct fg_dns_query *q);
	void (*wait)(struct fg_dns *d, struct fg_dns_query *q,
		     struct timespec deadline, struct fg_dns_answer *ans);
	void (*cancel)(struct fg_dns *d, struct fg_dns_query *q);
	void (*destroy)(struct fg_dns *d);
};

struct fg_dns {
	const struct fg_dns_ops *ops;
	atomic_int refs;
	atomic_ulong queries;
	void *impl;
};

/* fg_dns_answer_size - the bytes of an answer that carry data */
static inline size_t
fg_dns_answer_size(const struct fg_dns_answer *a)
{
	return offsetof(struct fg_dns_answer, arena) + a->used;
}

/* fg_dns_query_fail - answer q with a temperror at once (no memory:
 * q stays unanswered, and fg_dns_start gives up) */
void fg_dns_query_fail(struct fg_dns_query *q, const char *why);
/* fg_dns_answer_dup - a heap copy of the bytes of a that carry data */
struct fg_dns_answer *fg_dns_answer_dup(const struct fg_dns_answer *a);

#endif
