/*
 * NAME
 *	dns - the libunbound resolver
 * SYNOPSIS
 *	#include "forgeguard/dns.h"
 * DESCRIPTION
 *	One libunbound context for the whole process, resolving in its own
 *	thread (ub_ctx_async) with its in-process cache.  A lookup starts an
 *	asynchronous query and waits for it with its own deadline: one
 *	waiting thread at a time polls ub_fd and runs ub_process (which
 *	calls back for every finished query, any thread's), the others
 *	sleep on a condition variable that ub_process's caller broadcasts.
 *	A query that misses its deadline is cancelled and answered as a
 *	temperror: a dead DNS server costs a check its timeout, never more.
 *	Answers are kept in a small cache of our own for their TTL (at most
 *	an hour; negative answers five minutes; never errors), because a
 *	libunbound cache hit still costs a round trip through its thread.
 *
 *	unbound answers NXDOMAIN by itself for the RFC 6303/6761 local
 *	zones (test., TEST-NET reverse zones, private ranges) without asking
 *	anyone; those zones are made transparent so that the configured
 *	resolvers decide, as a mail server's own DNS must.
 *	This is the only file that includes <unbound.h>.
 * STANDARDS
 *	RFC 1035, RFC 2308 (NXDOMAIN and NODATA), RFC 4035 (validation),
 *	RFC 6303, RFC 6761.
 * DIAGNOSTICS
 *	fg_dns_new explains a resolver that cannot be set up.  Lookups never
 *	fail; answers carry FG_DNS_TEMPERROR and a reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <unbound.h>

#include "dns_impl.h"
#include "forgeguard/deadline.h"
#include "forgeguard/str.h"

/* The answer cache in front of libunbound: a hit costs a hash lookup
 * and a copy instead of a round trip through libunbound's thread. */
#define CACHE_BUCKETS 4096
#define CACHE_MAX 50000
#define CACHE_BYTES_MAX (32u << 20) /* memory ceiling of the cache */
#define CACHE_TTL_MAX 3600
#define CACHE_NEG_TTL 300

struct centry {
	struct centry *next;
	uint32_t hash;
	uint16_t type;
	time_t expires;
	char *name;
	struct fg_dns_answer *ans; /* header, records, used arena only */
};

struct ub_impl {
	struct ub_ctx *ctx;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int processing;
	pthread_mutex_t cache_lock;
	struct centry *bucket[CACHE_BUCKETS];
	size_t cached;
	size_t bytes;
};

struct query {
	int done;
	int err;
	struct ub_result *result;
};

/* Zones unbound answers itself unless told otherwise (RFC 6303, 6761). */
static const char *const transparent_zones[] = {
	"test.",
	"invalid.",
	"onion.",
	"home.arpa.",
	"10.in-addr.arpa.",
	"16.172.in-addr.arpa.",
	"17.172.in-addr.arpa.",
	"18.172.in-addr.arpa.",
	"19.172.in-addr.arpa.",
	"20.172.in-addr.arpa.",
	"21.172.in-addr.arpa.",
	"22.172.in-addr.arpa.",
	"23.172.in-addr.arpa.",
	"24.172.in-addr.arpa.",
	"25.172.in-addr.arpa.",
	"26.172.in-addr.arpa.",
	"27.172.in-addr.arpa.",
	"28.172.in-addr.arpa.",
	"29.172.in-addr.arpa.",
	"30.172.in-addr.arpa.",
	"31.172.in-addr.arpa.",
	"168.192.in-addr.arpa.",
	"0.in-addr.arpa.",
	"254.169.in-addr.arpa.",
	"2.0.192.in-addr.arpa.",
	"100.51.198.in-addr.arpa.",
	"113.0.203.in-addr.arpa.",
	"255.255.255.255.in-addr.arpa.",
	"d.f.ip6.arpa.",
	"8.e.f.ip6.arpa.",
	"9.e.f.ip6.arpa.",
	"a.e.f.ip6.arpa.",
	"b.e.f.ip6.arpa.",
	"8.b.d.0.1.0.0.2.ip6.arpa.",
};

/* on_result - libunbound's callback; runs inside ub_process, locked */
static void
on_result(void *arg, int err, struct ub_result *result)
{
	struct query *q = arg;

	q->err = err;
	q->result = result;
	q->done = 1;
}

/* wait_for - drive libunbound until q is done or the deadline passes */
static int
wait_for(struct ub_impl *u, struct query *q, struct timespec deadline)
{
	while (!q->done) {
		int left = (int)fg_deadline_left(deadline);

		if (left == 0)
			return 0;
		if (!u->processing) {
			struct pollfd p = { ub_fd(u->ctx), POLLIN, 0 };

			u->processing = 1;
			pthread_mutex_unlock(&u->lock);
			(void)poll(&p, 1, left);
			pthread_mutex_lock(&u->lock);
			(void)ub_process(u->ctx);
			u->processing = 0;
			pthread_cond_broadcast(&u->cond);
		} else {
			(void)pthread_cond_timedwait(&u->cond, &u->lock,
						     &deadline);
		}
	}
	return 1;
}

/* fill - a libunbound result as our answer */
static void
fill(const struct query *q, enum fg_dns_type type, struct fg_dns_answer *ans)
{
	const struct ub_result *r = q->result;
	int i;

	if (q->err != 0 || r == NULL) {
		ans->why = "resolver error";
		return;
	}
	if (r->bogus) {
		ans->why = "DNSSEC validation failed";
		return;
	}
	if (r->rcode == 3 || r->nxdomain) {
		fg_dns_answer_reset(ans, FG_DNS_NXDOMAIN);
		return;
	}
	if (r->rcode != 0) {
		ans->why = r->rcode == 2   ? "SERVFAIL"
			   : r->rcode == 5 ? "REFUSED"
					   : "DNS error";
		return;
	}
	fg_dns_answer_reset(ans, r->havedata ? FG_DNS_OK : FG_DNS_NODATA);
	ans->secure = r->secure;
	ans->ttl = r->ttl > 0 ? (uint32_t)r->ttl : 0;
	for (i = 0; r->havedata && r->data[i] != NULL; i++) {
		if (!fg_dns_decode(ans, type, (const unsigned char *)r->data[i],
				   (size_t)r->len[i])) {
			fg_dns_answer_reset(ans, FG_DNS_TEMPERROR);
			ans->why = "malformed answer";
			return;
		}
	}
}

/* key_hash - FNV-1a over the lower-cased name and the type */
static uint32_t
key_hash(const char *name, uint16_t type)
{
	uint32_t h = 2166136261u ^ type;

	for (; *name; name++) {
		int c = (unsigned char)*name;

		h = (h ^ (uint32_t)FG_TO_LOWER(c)) * 16777619u;
	}
	return h;
}

/* mono_now - seconds on the monotonic clock */
static time_t
mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* cache_get - a heap copy of a live cached answer, or NULL */
static struct fg_dns_answer *
cache_get(struct ub_impl *u, const char *name, uint16_t type)
{
	uint32_t h = key_hash(name, type);
	struct centry **pp, *e;
	time_t now = mono_now();
	struct fg_dns_answer *hit = NULL;

	pthread_mutex_lock(&u->cache_lock);
	for (pp = &u->bucket[h % CACHE_BUCKETS]; (e = *pp) != NULL;) {
		if (e->expires <= now) {
			*pp = e->next; /* drop what has expired on the way */
			u->bytes -= fg_dns_answer_size(e->ans);
			free(e->name);
			free(e->ans);
			free(e);
			u->cached--;
			continue;
		}
		if (e->hash == h && e->type == type &&
		    fg_str_caseeqz(name, strlen(name), e->name)) {
			hit = fg_dns_answer_dup(e->ans);
			break;
		}
		pp = &e->next;
	}
	pthread_mutex_unlock(&u->cache_lock);
	return hit;
}

/* cache_put - remember an answer for its TTL (bounded); errors never */
static void
cache_put(struct ub_impl *u, const char *name, uint16_t type,
	  const struct fg_dns_answer *ans)
{
	uint32_t ttl = ans->status == FG_DNS_OK ? ans->ttl : CACHE_NEG_TTL;
	struct centry *e;
	size_t size = fg_dns_answer_size(ans);

	if (ans->status == FG_DNS_TEMPERROR || ttl == 0)
		return;
	if (ans->status != FG_DNS_OK && ans->ttl > 0 && ans->ttl < ttl)
		ttl = ans->ttl;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return;
	e->name = strdup(name);
	e->ans = malloc(size);
	if (e->name == NULL || e->ans == NULL) {
		free(e->name);
		free(e->ans);
		free(e);
		return;
	}
	memcpy(e->ans, ans, size);
	e->hash = key_hash(name, type);
	e->type = type;
	e->expires = mono_now() + (ttl < CACHE_TTL_MAX ? ttl : CACHE_TTL_MAX);
	pthread_mutex_lock(&u->cache_lock);
	if (u->cached >= CACHE_MAX || u->bytes + size > CACHE_BYTES_MAX) {
		pthread_mutex_unlock(&u->cache_lock);
		free(e->name);
		free(e->ans);
		free(e);
		return; /* full: libunbound's cache still serves */
	}
	e->next = u->bucket[e->hash % CACHE_BUCKETS];
	u->bucket[e->hash % CACHE_BUCKETS] = e;
	u->cached++;
	u->bytes += size;
	pthread_mutex_unlock(&u->cache_lock);
}

/* One query in flight: libunbound's callback fills in q, and async_id
 * cancels it. */
struct inflight {
	struct query q;
	int async_id;
};

/* query_start - a cached answer at once, or a query handed to libunbound */
static void
query_start(struct fg_dns *d, struct fg_dns_query *fq)
{
	struct ub_impl *u = d->impl;
	struct inflight *f;

	fq->ready = cache_get(u, fq->name, (uint16_t)fq->type);
	if (fq->ready != NULL)
		return;
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return;
	pthread_mutex_lock(&u->lock);
	if (ub_resolve_async(u->ctx, fq->name, (int)fq->type, 1, &f->q,
			     on_result, &f->async_id) != 0) {
		pthread_mutex_unlock(&u->lock);
		free(f);
		fg_dns_query_fail(fq, "resolver refused the query");
		return;
	}
	pthread_mutex_unlock(&u->lock);
	fq->impl = f;
}

/* drop - forget a query libunbound still holds: cancel it, or (when it
 * cannot be cancelled, the callback may still come) leave it to
 * libunbound rather than free what it could write to; called locked */
static void
drop(struct ub_impl *u, struct inflight *f)
{
	if (!f->q.done && ub_cancel(u->ctx, f->async_id) != 0)
		return;
	ub_resolve_free(f->q.result);
	free(f);
}

/* query_wait - the answer by the deadline; a miss is a timeout */
static void
query_wait(struct fg_dns *d, struct fg_dns_query *fq, struct timespec deadline,
	   struct fg_dns_answer *ans)
{
	struct ub_impl *u = d->impl;
	struct inflight *f = fq->impl;

	fq->impl = NULL;
	pthread_mutex_lock(&u->lock);
	if (!wait_for(u, &f->q, deadline)) {
		drop(u, f);
		pthread_mutex_unlock(&u->lock);
		ans->why = "timeout";
		return;
	}
	pthread_mutex_unlock(&u->lock);
	fill(&f->q, fq->type, ans);
	cache_put(u, fq->name, (uint16_t)fq->type, ans);
	ub_resolve_free(f->q.result);
	free(f);
}

/* query_cancel - a started query nobody will wait for */
static void
query_cancel(struct fg_dns *d, struct fg_dns_query *fq)
{
	struct ub_impl *u = d->impl;

	pthread_mutex_lock(&u->lock);
	drop(u, fq->impl);
	pthread_mutex_unlock(&u->lock);
	fq->impl = NULL;
}

/* ub_destroy - the libunbound context and its thread */
static void
ub_destroy(struct fg_dns *d)
{
	struct ub_impl *u = d->impl;
	size_t k;

	ub_ctx_delete(u->ctx);
	for (k = 0; k < CACHE_BUCKETS; k++) {
		struct centry *e = u->bucket[k], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			free(e->name);
			free(e->ans);
			free(e);
		}
	}
	pthread_mutex_destroy(&u->cache_lock);
	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->cond);
	free(u);
	free(d);
}

static const struct fg_dns_ops ub_ops = { query_start, query_wait, query_cancel,
					  ub_destroy };

/* set_forwarders - "ADDR[@PORT] ..." as forwarders */
static int
set_forwarders(struct ub_ctx *ctx, const char *list, struct fg_buf *err)
{
	char item[128];
	const char *p = list;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		n = strcspn(p, " ,\t");
		if (n == 0)
			break;
		if (n >= sizeof(item)) {
			(void)fg_buf_printf(err,
					    "dns_resolver: entry too long");
			return 0;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (ub_ctx_set_fwd(ctx, item) != 0) {
			(void)fg_buf_printf(err,
					    "dns_resolver: bad address %s "
					    "(want ADDR or ADDR@PORT)",
					    item);
			return 0;
		}
		p += n;
	}
	return 1;
}

/* Trust anchor files are small: the root's is under 1 kB. */
#define ANCHOR_FILE_MAX (1u << 20)

/* anchor_file - a trust anchor that libunbound may read: a readable
 * regular file of bounded size (a directory, a FIFO or /dev/zero made
 * it spin forever, and a FIFO blocks its open) */
static int
anchor_file(const char *file, struct fg_buf *err)
{
	struct stat st;
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC), ok;

	if (fd < 0) {
		(void)fg_buf_printf(err, "dns_trust_anchor %s: cannot open: %s",
				    file, strerror(errno));
		return 0;
	}
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	     (size_t)st.st_size <= ANCHOR_FILE_MAX;
	close(fd);
	if (!ok)
		(void)fg_buf_printf(err,
				    "dns_trust_anchor %s: not a regular file "
				    "of at most %u bytes",
				    file, ANCHOR_FILE_MAX);
	return ok;
}

/* anchor_loads - libunbound reads a trust anchor file only when the
 * context is finalized, at the first lookup, and a file it cannot read
 * then fails every lookup; finalize now, without a query (removing local
 * data that is not there does that), so a bad file stops the start */
static int
anchor_loads(struct ub_ctx *ctx, const char *file, struct fg_buf *err)
{
	int r = ub_ctx_data_remove(ctx, "forgeguard.invalid.");

	if (r == 0)
		return 1;
	(void)fg_buf_printf(err,
			    "dns_trust_anchor %s: libunbound cannot use it "
			    "(%s; its own message above says where)",
			    file, ub_strerror(r));
	return 0;
}

/* setup - configure a fresh context; 0 with a reason in err */
static int
setup(struct ub_ctx *ctx, const struct fg_dns_opts *o, struct fg_buf *err)
{
	char zone[64];
	size_t k;
	int r;

	if ((r = ub_ctx_async(ctx, 1)) != 0) {
		(void)fg_buf_printf(err, "libunbound: %s", ub_strerror(r));
		return 0;
	}
	if (o->resolver == NULL || o->resolver[0] == '\0') {
		/* without a readable resolv.conf libunbound recurses from
		 * the root itself: slower, still correct */
		(void)ub_ctx_resolvconf(ctx, NULL);
	} else if (!set_forwarders(ctx, o->resolver, err)) {
		return 0;
	}
	for (k = 0; k < sizeof(transparent_zones) / sizeof(*transparent_zones);
	     k++) {
		(void)snprintf(zone, sizeof(zone), "%s transparent",
			       transparent_zones[k]);
		(void)ub_ctx_set_option(ctx, "local-zone:", zone);
	}
	if (o->trust_anchor != NULL && o->trust_anchor[0] != '\0' &&
	    !anchor_file(o->trust_anchor, err))
		return 0;
	if (o->trust_anchor != NULL && o->trust_anchor[0] != '\0' &&
	    (r = ub_ctx_add_ta_file(ctx, o->trust_anchor)) != 0) {
		(void)fg_buf_printf(err, "dns_trust_anchor %s: %s",
				    o->trust_anchor, ub_strerror(r));
		return 0;
	}
	if (o->trust_anchor != NULL && o->trust_anchor[0] != '\0' &&
	    !anchor_loads(ctx, o->trust_anchor, err))
		return 0;
	return 1;
}

/* fg_dns_new - a libunbound resolver */
enum fg_err
fg_dns_new(const struct fg_dns_opts *o, struct fg_dns **out, struct fg_buf *err)
{
	struct fg_dns *d = calloc(1, sizeof(*d));
	struct ub_impl *u = calloc(1, sizeof(*u));

	*out = NULL;
	if (d == NULL || u == NULL) {
		free(d);
		free(u);
		return FG_ENOMEM;
	}
	u->ctx = ub_ctx_create();
	if (u->ctx == NULL || !setup(u->ctx, o, err)) {
		if (u->ctx == NULL)
			(void)fg_buf_puts(err, "libunbound: cannot create a "
					       "context");
		else
			ub_ctx_delete(u->ctx);
		free(u);
		free(d);
		return FG_EINVAL;
	}
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&u->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	pthread_mutex_init(&u->lock, NULL);
	pthread_mutex_init(&u->cache_lock, NULL);
	d->ops = &ub_ops;
	d->impl = u;
	atomic_init(&d->queries, 0);
	atomic_init(&d->refs, 1);
	*out = d;
	return FG_OK;
}
