/*
 * dns_impl.h - what a resolver implementation provides (dns.c, dnsfake.c)
 */
#ifndef FG_DNS_IMPL_H
#define FG_DNS_IMPL_H

#include <stdatomic.h>

#include "forgeguard/dns.h"

struct fg_dns_ops {
	void (*lookup)(struct fg_dns *d, const char *name,
		       enum fg_dns_type type, unsigned timeout_ms,
		       struct fg_dns_answer *ans);
	void (*destroy)(struct fg_dns *d);
};

struct fg_dns {
	const struct fg_dns_ops *ops;
	atomic_int refs;
	atomic_ulong queries;
	void *impl;
};

#endif
