/*
 * NAME
 *	dnsquery - lookups that overlap: start several, wait for each
 * SYNOPSIS
 *	#include "forgeguard/dns.h"
 * DESCRIPTION
 *	fg_dns_start hands a question to the resolver and returns at once;
 *	fg_dns_wait collects its answer by a deadline, which is usually
 *	the stage's: every lookup a stage starts runs side by side, and the
 *	stage waits at most its budget in all.  A query that was never
 *	waited for is given back with fg_dns_cancel.  fg_dns_lookup is the
 *	two in one, for lookups that depend on the previous answer (SPF).
 * DIAGNOSTICS
 *	None: out of memory, an overlong name, a missed deadline are all
 *	FG_DNS_TEMPERROR answers with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "dns_impl.h"
#include "forgeguard/deadline.h"

/* fg_dns_answer_dup - a heap copy of the bytes of a that carry data */
struct fg_dns_answer *
fg_dns_answer_dup(const struct fg_dns_answer *a)
{
	size_t n = fg_dns_answer_size(a);
	struct fg_dns_answer *c = malloc(n);

	if (c != NULL)
		memcpy(c, a, n);
	return c;
}

/* fg_dns_query_fail - answer q with a temperror right away */
void
fg_dns_query_fail(struct fg_dns_query *q, const char *why)
{
	struct fg_dns_answer *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return;
	a->status = FG_DNS_TEMPERROR;
	a->why = why;
	q->ready = a;
}

/* fg_dns_start - ask; NULL only when there is no memory for the query */
struct fg_dns_query *
fg_dns_start(struct fg_dns *d, const char *name, enum fg_dns_type type)
{
	struct fg_dns_query *q = calloc(1, sizeof(*q));
	size_t n = strnlen(name, FG_DNS_NAME_TEXT_MAX + 1);

	if (q == NULL)
		return NULL;
	atomic_fetch_add(&d->queries, 1);
	q->type = type;
	if (n > FG_DNS_NAME_TEXT_MAX) {
		fg_dns_query_fail(q, "name too long");
	} else {
		memcpy(q->name, name, n);
		d->ops->start(d, q);
	}
	if (q->ready == NULL && q->impl == NULL) {
		free(q); /* the implementation ran out of memory */
		return NULL;
	}
	return q;
}

/* fg_dns_wait - the answer of q by deadline; q is released */
void
fg_dns_wait(struct fg_dns *d, struct fg_dns_query *q, struct timespec deadline,
	    struct fg_dns_answer *ans)
{
	fg_dns_answer_reset(ans, FG_DNS_TEMPERROR);
	if (q == NULL) {
		ans->why = "out of memory";
		return;
	}
	if (q->ready != NULL)
		memcpy(ans, q->ready, fg_dns_answer_size(q->ready));
	else
		d->ops->wait(d, q, deadline, ans);
	free(q->ready);
	free(q);
}

/* fg_dns_cancel - give up a query that will not be waited for */
void
fg_dns_cancel(struct fg_dns *d, struct fg_dns_query *q)
{
	if (q == NULL)
		return;
	if (q->ready == NULL)
		d->ops->cancel(d, q);
	free(q->ready);
	free(q);
}

/* fg_dns_lookup_by - ask and wait, answered by deadline */
void
fg_dns_lookup_by(struct fg_dns *d, const char *name, enum fg_dns_type type,
		 struct timespec deadline, struct fg_dns_answer *ans)
{
	fg_dns_wait(d, fg_dns_start(d, name, type), deadline, ans);
}

/* fg_dns_lookup - ask; never longer than timeout_ms */
void
fg_dns_lookup(struct fg_dns *d, const char *name, enum fg_dns_type type,
	      unsigned timeout_ms, struct fg_dns_answer *ans)
{
	if (timeout_ms > FG_DNS_TIMEOUT_MAX)
		timeout_ms = FG_DNS_TIMEOUT_MAX;
	fg_dns_lookup_by(d, name, type, fg_deadline_after(timeout_ms), ans);
}

/* fg_dns_queries - how many questions this resolver was asked */
unsigned long
fg_dns_queries(const struct fg_dns *d)
{
	return atomic_load(&d->queries);
}

/* fg_dns_ref - take one more reference */
struct fg_dns *
fg_dns_ref(struct fg_dns *d)
{
	atomic_fetch_add(&d->refs, 1);
	return d;
}

/* fg_dns_free - drop a reference; the last one releases the resolver */
void
fg_dns_free(struct fg_dns *d)
{
	if (d != NULL && atomic_fetch_sub(&d->refs, 1) == 1)
		d->ops->destroy(d);
}
