/*
 * NAME
 *	spfeval - check_host() evaluated by forgeguard itself
 * SYNOPSIS
 *	#include "forgeguard/deadline.h"
#include "forgeguard/domain.h"
#include "forgeguard/spf.h"
 * DESCRIPTION
 *	RFC 7208 check_host() over struct fg_dns and the spfrec parse tree:
 *	record selection, all mechanisms, include and redirect recursion,
 *	macro expansion (every letter, transformers, delimiters, URL
 *	escaping of upper-case macros, left truncation to 253 octets), the
 *	limits of 4.6.4 (10 lookup terms across includes and redirects, 2
 *	void lookups, 10 MX names, the first 10 PTR names), one deadline for
 *	the whole check.  Explanations are not evaluated: forgeguard never
 *	puts exp= text in a reply.
 * STANDARDS
 *	RFC 7208 2.3, 2.4, 4, 5, 6, 7.
 * DIAGNOSTICS
 *	Every error result carries a static reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forgeguard/deadline.h"
#include "forgeguard/domain.h"
#include "forgeguard/spf.h"
#include "forgeguard/spfrec.h"
#include "forgeguard/str.h"

#define LOOKUPS_MAX 10
#define VOIDS_MAX 2
#define MX_NAMES_MAX 10
#define PTR_NAMES_MAX 10
#define EXPAND_MAX 1024

enum match { NOMATCH, MATCH, ERR };

struct ev {
	struct fg_dns *dns;
	struct fg_ip ip;
	char sender[FG_ADDR_MAX + 16];
	char local[FG_LOCAL_PART_MAX + 16];
	const char *sdomain; /* into sender */
	const char *helo;
	struct timespec deadline;
	unsigned lookups, voids, queries;
	enum fg_spf_result err; /* set with ERR */
	const char *why;
};

/* fail_with - record an error outcome */
static enum match
fail_with(struct ev *e, enum fg_spf_result r, const char *why)
{
	e->err = r;
	if (e->why == NULL)
		e->why = why;
	return ERR;
}

/* lookup - one question within the deadline; a heap answer or NULL */
static struct fg_dns_answer *
lookup(struct ev *e, const char *name, enum fg_dns_type t)
{
	struct fg_dns_answer *a = malloc(sizeof(*a));
	unsigned ms = fg_deadline_left(e->deadline);

	if (a == NULL)
		return NULL;
	if (ms == 0) {
		fg_dns_answer_reset(a, FG_DNS_TEMPERROR);
		a->why = "DNS deadline passed";
		return a;
	}
	e->queries++;
	fg_dns_lookup_by(e->dns, name, t, e->deadline, a);
	return a;
}

/* domain_ok - multi-label, labels 1..63, total <= 253 (4.3) */
static int
domain_ok(const char *d)
{
	size_t n = strlen(d), label = 0, labels = 0, i;

	if (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i == n || d[i] == '.') {
			if (label == 0 || label > 63)
				return 0;
			labels++;
			label = 0;
		} else {
			label++;
		}
	}
	return labels >= 2;
}

/* ip_text - the "i" macro: dotted quad or dotted nibbles */
static void
ip_text(const struct fg_ip *ip, struct fg_buf *b)
{
	static const char hex[] = "0123456789abcdef";
	int k;

	if (ip->family == FG_IP_V4) {
		fg_ipaddr_format(ip, b);
		return;
	}
	for (k = 0; k < 16; k++)
		(void)fg_buf_printf(b, "%s%c.%c", k ? "." : "",
				    hex[ip->a[k] >> 4], hex[ip->a[k] & 15]);
}

/* reverse_name - the in-addr.arpa / ip6.arpa name of the client */
static void
reverse_name(const struct fg_ip *ip, struct fg_buf *b)
{
	static const char hex[] = "0123456789abcdef";
	int k;

	if (ip->family == FG_IP_V4) {
		(void)fg_buf_printf(b, "%u.%u.%u.%u.in-addr.arpa", ip->a[3],
				    ip->a[2], ip->a[1], ip->a[0]);
		return;
	}
	for (k = 15; k >= 0; k--)
		(void)fg_buf_printf(b, "%c.%c.", hex[ip->a[k] & 15],
				    hex[ip->a[k] >> 4]);
	(void)fg_buf_puts(b, "ip6.arpa");
}

/* has_ip - does an A/AAAA answer hold addr within prefix bits */
static int
has_ip(const struct fg_dns_answer *a, const struct fg_ip *ip, int prefix)
{
	size_t k;

	for (k = 0; a->status == FG_DNS_OK && k < a->n; k++) {
		struct fg_cidr net;

		net.ip = a->rr[k].ip;
		net.prefix = (unsigned)prefix;
		/* fg_cidr_match compares the leading bits only */
		if (net.ip.family == ip->family && fg_cidr_match(&net, ip))
			return 1;
	}
	return 0;
}

/* validated_names - PTR names of the client whose A/AAAA hold it (5.5);
 * the first PTR_NAMES_MAX PTR records only; *n names land in names */
static void
validated_names(struct ev *e, char names[][256], size_t *n)
{
	char rev[128];
	struct fg_buf b;
	struct fg_dns_answer *ptr, *a;
	size_t k;

	*n = 0;
	fg_buf_init(&b, rev, sizeof(rev));
	reverse_name(&e->ip, &b);
	ptr = lookup(e, rev, FG_DNS_PTR);
	for (k = 0; ptr != NULL && k < ptr->n && k < PTR_NAMES_MAX; k++) {
		const char *name = fg_dns_text(ptr, k);

		a = lookup(e, name,
			   e->ip.family == FG_IP_V4 ? FG_DNS_A : FG_DNS_AAAA);
		if (a != NULL &&
		    has_ip(a, &e->ip, e->ip.family == FG_IP_V4 ? 32 : 128) &&
		    fg_str_copy(names[*n], 256, name, strlen(name)) == FG_OK)
			(*n)++;
		free(a);
	}
	free(ptr);
}

/* macro_value - the raw value of one macro letter */
static void
macro_value(struct ev *e, int letter, const char *domain, struct fg_buf *v)
{
	char names[PTR_NAMES_MAX][256];
	size_t n, k;

	switch (letter) {
	case 's':
		(void)fg_buf_puts(v, e->sender);
		break;
	case 'l':
		(void)fg_buf_puts(v, e->local);
		break;
	case 'o':
		(void)fg_buf_puts(v, e->sdomain);
		break;
	case 'd':
		(void)fg_buf_puts(v, domain);
		break;
	case 'i':
		ip_text(&e->ip, v);
		break;
	case 'v':
		(void)fg_buf_puts(v,
				  e->ip.family == FG_IP_V4 ? "in-addr" : "ip6");
		break;
	case 'h':
		(void)fg_buf_puts(v, e->helo);
		break;
	case 'p':
		/* a validated name, a subdomain of <domain> preferred */
		validated_names(e, names, &n);
		for (k = 0; k < n; k++)
			if (fg_domain_within(names[k], strlen(names[k]), domain,
					     strlen(domain), 1))
				break;
		(void)fg_buf_puts(v, n == 0  ? "unknown"
				     : k < n ? names[k]
					     : names[0]);
		break;
	}
}

/* transform - split at delimiters, reverse, keep the rightmost n */
static void
transform(const char *v, size_t vn, const char *delims, size_t dn, int reverse,
	  unsigned keep, struct fg_buf *out)
{
	const char *part[128];
	size_t plen[128], np = 0, i, start = 0, first;

	for (i = 0; i <= vn && np < 128; i++) {
		if (i == vn || memchr(dn ? delims : ".", v[i], dn ? dn : 1)) {
			part[np] = v + start;
			plen[np++] = i - start;
			start = i + 1;
		}
	}
	if (reverse)
		for (i = 0; i < np / 2; i++) {
			const char *tp = part[i];
			size_t tl = plen[i];

			part[i] = part[np - 1 - i];
			plen[i] = plen[np - 1 - i];
			part[np - 1 - i] = tp;
			plen[np - 1 - i] = tl;
		}
	first = keep > 0 && keep < np ? np - keep : 0;
	for (i = first; i < np; i++) {
		if (i > first)
			(void)fg_buf_putc(out, '.');
		(void)fg_buf_append(out, part[i], plen[i]);
	}
}

/* url_escape - keep unreserved characters, %XX the rest (7.3) */
static void
url_escape(const char *p, size_t n, struct fg_buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (FG_IS_ALNUM(c) || c == '-' || c == '.' || c == '_' ||
		    c == '~')
			(void)fg_buf_putc(out, c);
		else
			(void)fg_buf_printf(out, "%%%02X", (unsigned)c);
	}
}

/* expand - a domain-spec with macros into out (<= 253 octets) */
static int
expand(struct ev *e, struct fg_view spec, const char *domain, char *out,
       size_t cap)
{
	char vstore[EXPAND_MAX], tstore[EXPAND_MAX];
	struct fg_buf b, v, t;
	size_t i = 0;

	fg_buf_init(&b, out, cap);
	while (i < spec.n) {
		const char *p = spec.p + i;
		unsigned keep = 0;
		int letter, upper, reverse = 0;
		size_t d0;

		if (p[0] != '%') {
			(void)fg_buf_putc(&b, p[0]);
			i++;
			continue;
		}
		if (p[1] != '{') {
			(void)fg_buf_puts(&b, p[1] == '%'   ? "%"
					      : p[1] == '_' ? " "
							    : "%20");
			i += 2;
			continue;
		}
		letter = (unsigned char)p[2];
		upper = FG_IS_UPPER(letter);
		i += 3;
		while (i < spec.n && FG_IS_DIGIT((unsigned char)spec.p[i]))
			keep = keep * 10 + (unsigned)(spec.p[i++] - '0');
		if (i < spec.n &&
		    FG_TO_LOWER((unsigned char)spec.p[i]) == 'r') {
			reverse = 1;
			i++;
		}
		d0 = i;
		while (i < spec.n && spec.p[i] != '}')
			i++;
		fg_buf_init(&v, vstore, sizeof(vstore));
		macro_value(e, FG_TO_LOWER(letter), domain, &v);
		fg_buf_init(&t, tstore, sizeof(tstore));
		transform(v.data, v.len, spec.p + d0, i - d0, reverse, keep,
			  &t);
		if (upper)
			url_escape(t.data, t.len, &b);
		else
			(void)fg_buf_append(&b, t.data, t.len);
		i++; /* '}' */
	}
	if (b.truncated)
		return 0;
	/* 7.3: drop labels on the left until it fits 253 */
	{
		size_t n = b.len, s = 0;

		while (n - s > 253) {
			const char *dot = memchr(out + s, '.', n - s);

			if (dot == NULL)
				return 0;
			s = (size_t)(dot - out) + 1;
		}
		memmove(out, out + s, n - s + 1);
	}
	return 1;
}

static enum fg_spf_result
check_host(struct ev *e, const char *domain, int depth);

/* count_lookup - one more DNS-querying term (4.6.4) */
static int
count_lookup(struct ev *e)
{
	if (++e->lookups > LOOKUPS_MAX) {
		fail_with(e, FG_SPF_R_PERMERROR, "more than 10 DNS lookups");
		return 0;
	}
	return 1;
}

/* void_check - count a void answer; 0 when the limit is passed */
static int
void_check(struct ev *e, const struct fg_dns_answer *a)
{
	if ((a->status == FG_DNS_NXDOMAIN || a->status == FG_DNS_NODATA) &&
	    ++e->voids > VOIDS_MAX) {
		fail_with(e, FG_SPF_R_PERMERROR, "more than two void lookups");
		return 0;
	}
	return 1;
}

/* target - the domain a term names, expanded, or the current domain */
static int
target(struct ev *e, const struct fg_spf_term *t, const char *domain, char *out,
       size_t cap)
{
	if (t->arg.n == 0)
		return fg_str_copy(out, cap, domain, strlen(domain)) == FG_OK;
	return expand(e, t->arg, domain, out, cap);
}

/* addresses - a and mx: does name hold the client within the cidr */
static enum match
addresses(struct ev *e, const char *name, const struct fg_spf_term *t,
	  int count_void)
{
	int v4 = e->ip.family == FG_IP_V4;
	int prefix = v4 ? (t->cidr4 >= 0 ? t->cidr4 : 32)
			: (t->cidr6 >= 0 ? t->cidr6 : 128);
	struct fg_dns_answer *a = lookup(e, name, v4 ? FG_DNS_A : FG_DNS_AAAA);
	enum match m = NOMATCH;

	if (a == NULL)
		return fail_with(e, FG_SPF_R_TEMPERROR, "out of memory");
	if (a->status == FG_DNS_TEMPERROR)
		m = fail_with(e, FG_SPF_R_TEMPERROR,
			      a->why ? a->why : "DNS error");
	else if (count_void && !void_check(e, a))
		m = ERR;
	else if (has_ip(a, &e->ip, prefix))
		m = MATCH;
	free(a);
	return m;
}

/* mech_mx - the mx mechanism */
static enum match
mech_mx(struct ev *e, const char *name, const struct fg_spf_term *t)
{
	struct fg_dns_answer *mx = lookup(e, name, FG_DNS_MX);
	enum match m = NOMATCH;
	size_t k;

	if (mx == NULL)
		return fail_with(e, FG_SPF_R_TEMPERROR, "out of memory");
	if (mx->status == FG_DNS_TEMPERROR)
		m = fail_with(e, FG_SPF_R_TEMPERROR,
			      mx->why ? mx->why : "DNS error");
	else if (!void_check(e, mx))
		m = ERR;
	else if (mx->n + mx->dropped > MX_NAMES_MAX)
		m = fail_with(e, FG_SPF_R_PERMERROR, "more than 10 MX names");
	for (k = 0; m == NOMATCH && k < mx->n; k++)
		m = addresses(e, fg_dns_text(mx, k), t, 0);
	free(mx);
	return m;
}

/* mech_ptr - the ptr mechanism (5.5) */
static enum match
mech_ptr(struct ev *e, const char *name)
{
	char names[PTR_NAMES_MAX][256];
	size_t n, k;

	validated_names(e, names, &n);
	for (k = 0; k < n; k++)
		if (fg_domain_within(names[k], strlen(names[k]), name,
				     strlen(name), 1))
			return MATCH;
	return NOMATCH;
}

/* mechanism - evaluate one directive's mechanism */
static enum match
mechanism(struct ev *e, const struct fg_spf_term *t, const char *domain,
	  int depth)
{
	char name[EXPAND_MAX];
	struct fg_dns_answer *a;
	enum fg_spf_result r;
	enum match m;

	switch (t->kind) {
	case FG_SPF_ALL:
		return MATCH;
	case FG_SPF_IP4:
	case FG_SPF_IP6:
		return fg_cidr_match(&t->net, &e->ip) ? MATCH : NOMATCH;
	default:
		break;
	}
	if (!count_lookup(e))
		return ERR;
	if (!target(e, t, domain, name, sizeof(name)))
		return fail_with(e, FG_SPF_R_PERMERROR, "macro expansion");
	switch (t->kind) {
	case FG_SPF_A:
		return domain_ok(name) ? addresses(e, name, t, 1) : NOMATCH;
	case FG_SPF_MX:
		return domain_ok(name) ? mech_mx(e, name, t) : NOMATCH;
	case FG_SPF_PTR:
		return mech_ptr(e, name);
	case FG_SPF_EXISTS:
		if (!domain_ok(name))
			return NOMATCH;
		a = lookup(e, name, FG_DNS_A);
		if (a == NULL)
			return fail_with(e, FG_SPF_R_TEMPERROR,
					 "out of memory");
		m = a->status == FG_DNS_TEMPERROR
			    ? fail_with(e, FG_SPF_R_TEMPERROR, "DNS error")
		    : !void_check(e, a) ? ERR
		    : a->n > 0          ? MATCH
					: NOMATCH;
		free(a);
		return m;
	case FG_SPF_INCLUDE:
		r = check_host(e, name, depth + 1);
		if (r == FG_SPF_R_PASS)
			return MATCH;
		if (r == FG_SPF_R_TEMPERROR || r == FG_SPF_R_PERMERROR)
			return fail_with(e, r, e->why);
		if (r == FG_SPF_R_NONE)
			return fail_with(e, FG_SPF_R_PERMERROR,
					 "include: target has no SPF record");
		return NOMATCH;
	default:
		return NOMATCH;
	}
}

/* select_record - the one SPF record of a TXT answer, or a result */
static int
select_record(struct ev *e, const struct fg_dns_answer *a, size_t *which,
	      enum fg_spf_result *r)
{
	size_t k, found = 0;

	if (a->status == FG_DNS_TEMPERROR) {
		e->why = e->why ? e->why : a->why;
		*r = FG_SPF_R_TEMPERROR;
		return 0;
	}
	for (k = 0; a->status == FG_DNS_OK && k < a->n; k++) {
		if (!fg_spfrec_is_spf(fg_dns_text(a, k), a->rr[k].len))
			continue;
		found++;
		*which = k;
	}
	if (found == 1)
		return 1;
	*r = found == 0 ? FG_SPF_R_NONE : FG_SPF_R_PERMERROR;
	if (found > 1 && e->why == NULL)
		e->why = "more than one SPF record";
	return 0;
}

/* qualified - the result a matching directive's qualifier gives */
static enum fg_spf_result
qualified(char q)
{
	return q == '-'   ? FG_SPF_R_FAIL
	       : q == '~' ? FG_SPF_R_SOFTFAIL
	       : q == '?' ? FG_SPF_R_NEUTRAL
			  : FG_SPF_R_PASS;
}

/* evaluate - the terms of a parsed record for domain */
static enum fg_spf_result
evaluate(struct ev *e, const struct fg_spf_record *rec, const char *domain,
	 int depth)
{
	char name[EXPAND_MAX];
	enum fg_spf_result r;
	size_t k;

	for (k = 0; k < rec->n; k++) {
		const struct fg_spf_term *t = &rec->t[k];

		if (t->kind >= FG_SPF_REDIRECT)
			continue;
		switch (mechanism(e, t, domain, depth)) {
		case MATCH:
			return qualified(t->qualifier);
		case ERR:
			return e->err;
		case NOMATCH:
			break;
		}
	}
	if (rec->redirect < 0)
		return FG_SPF_R_NEUTRAL;
	if (!count_lookup(e))
		return e->err;
	if (!expand(e, rec->t[rec->redirect].arg, domain, name, sizeof(name)))
		return FG_SPF_R_PERMERROR;
	r = check_host(e, name, depth + 1);
	if (r == FG_SPF_R_NONE) {
		if (e->why == NULL)
			e->why = "redirect= target has no SPF record";
		return FG_SPF_R_PERMERROR;
	}
	return r;
}

/* check_host - RFC 7208 4 */
static enum fg_spf_result
check_host(struct ev *e, const char *domain, int depth)
{
	struct fg_dns_answer *a;
	struct fg_spf_record *rec;
	enum fg_spf_result r;
	size_t which = 0;

	if (!domain_ok(domain))
		return FG_SPF_R_NONE;
	a = lookup(e, domain, FG_DNS_TXT);
	rec = malloc(sizeof(*rec));
	if (a == NULL || rec == NULL) {
		free(a);
		free(rec);
		e->why = "out of memory";
		return FG_SPF_R_TEMPERROR;
	}
	if (!select_record(e, a, &which, &r)) {
		/* NXDOMAIN and no record are both "none" (4.3, 4.5) */
	} else if (a->rr[which].cut ||
		   strlen(fg_dns_text(a, which)) != a->rr[which].len ||
		   fg_spfrec_parse(fg_dns_text(a, which), a->rr[which].len,
				   rec) != FG_OK) {
		if (e->why == NULL)
			e->why = "invalid SPF record";
		r = FG_SPF_R_PERMERROR;
	} else {
		r = evaluate(e, rec, domain, depth);
	}
	free(rec);
	free(a);
	return r;
}

/* fg_spf_check_native - check_host() by forgeguard itself */
void
fg_spf_check_native(struct fg_dns *dns, const struct fg_ip *ip,
		    const char *helo, const char *sender,
		    struct timespec deadline, struct fg_spf_outcome *out)
{
	struct ev *e = calloc(1, sizeof(*e));
	const char *at;
	char domain[FG_DOMAIN_MAX + 1];

	memset(out, 0, sizeof(*out));
	if (e == NULL) {
		out->result = FG_SPF_R_TEMPERROR;
		out->why = "out of memory";
		return;
	}
	e->dns = dns;
	e->ip = *ip;
	fg_ipaddr_normalize(&e->ip);
	e->helo = helo != NULL ? helo : "";
	e->deadline = deadline;
	/* 2.4: the null sender is postmaster@ the HELO name */
	if (sender == NULL || sender[0] == '\0')
		(void)snprintf(e->sender, sizeof(e->sender), "postmaster@%s",
			       e->helo);
	else
		(void)snprintf(e->sender, sizeof(e->sender), "%s%s",
			       sender[0] == '@' ? "postmaster" : "", sender);
	at = strrchr(e->sender, '@');
	if (at == NULL || at == e->sender) {
		out->result = FG_SPF_R_NONE;
		out->why = "no usable identity";
		free(e);
		return;
	}
	(void)snprintf(e->local, sizeof(e->local), "%.*s",
		       (int)(at - e->sender), e->sender);
	e->sdomain = at + 1;
	(void)snprintf(domain, sizeof(domain), "%s", e->sdomain);
	out->result = check_host(e, domain, 0);
	out->why = out->result == FG_SPF_R_PASS ? NULL : e->why;
	out->dns_queries = e->queries;
	out->void_lookups = e->voids;
	free(e);
}
