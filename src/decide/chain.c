/*
 * NAME
 *	chain - judge the Received: chain of a message
 * SYNOPSIS
 *	#include "forgeguard/chain.h"
 * DESCRIPTION
 *	Hop 0 is the connection as Postfix saw it.  Hop i (i >= 1) is the
 *	i-th Received: field from the top; it was written by the host that
 *	sent hop i-1, so it can only be believed when hop i-1's sender was
 *	trusted.  A hop is trusted when that holds and its own sending side
 *	is in trusted_networks or local_addresses, is a local injection
 *	(no network address), or authenticated (ESMTPA and the like); hop 0
 *	is trusted for a client in trusted_networks or an authenticated
 *	one.  The first untrusted hop is the boundary b: fields i > b were
 *	written outside.
 *	- received.forged_local: field b+1, the first written outside,
 *	  says it was received by one of our own hosts (forged); any field
 *	  below b names one of our hosts, our domains or our public
 *	  addresses (mismatch: mail that left and came back does that).
 *	- received.broken_trail: within our own hops, the by of hop i is
 *	  not the name hop i-1 received from.
 *	- received.time_travel: a date ahead of now, or of the nearest
 *	  dated hop above, by more than clock_skew.
 *	- received.bogus_ip: below b, an address that cannot be a sender's
 *	  (unparseable, unspecified, multicast, reserved).  Loopback and
 *	  private addresses are other sites' own hops, not forgeries.
 *	- received.unparseable and received.hops count.
 * STANDARDS
 *	RFC 5321 4.4 (each relay adds a Received: at the top), 6.3 (loop
 *	detection by counting Received: fields), RFC 5322 3.6.7.
 * DIAGNOSTICS
 *	None: what is wrong becomes findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "forgeguard/chain.h"
#include "forgeguard/str.h"

/* fg_chain_hop0 - the current hop from the connection */
void
fg_chain_hop0(struct fg_hop *h, const struct fg_chain_in *in)
{
	const struct fg_client *c = in->client;
	struct fg_rcvd *r = &h->r;
	struct fg_buf b;

	memset(h, 0, sizeof(*h));
	h->parsed = 1;
	r->kind = FG_RCVD_RELAY;
	fg_str_copy_cut(r->from_name, sizeof(r->from_name), in->helo);
	memcpy(r->helo, r->from_name, sizeof(r->helo));
	r->has_helo = in->helo[0] != '\0';
	if (c->ptr[0] != '\0' && strcmp(c->ptr, "unknown") != 0)
		memcpy(r->rdns, c->ptr, sizeof(r->rdns));
	else if (strcmp(c->name, "unknown") != 0)
		memcpy(r->rdns, c->name, sizeof(r->rdns));
	r->has_ip = c->ip_known;
	r->ip = c->ip;
	memcpy(r->by, c->our_host, sizeof(r->by));
	fg_buf_init(&b, r->with, sizeof(r->with));
	(void)fg_buf_printf(&b, "ESMTP%s%s", in->tls ? "S" : "",
			    in->login != NULL ? "A" : "");
	r->proto = FG_RCVD_P_ESMTP | (in->tls ? FG_RCVD_P_TLS : 0) |
		   (in->login != NULL ? FG_RCVD_P_AUTH : 0);
	if (in->login != NULL) {
		r->auth = FG_RCVD_AUTH_PROTO;
		fg_str_copy_cut(r->auth_detail, sizeof(r->auth_detail),
				in->login);
	}
	r->has_date = 1;
	r->date.utc = in->now;
}

/* fg_chain_hop_trusted - hop i's sending side is trusted */
int
fg_chain_hop_trusted(const struct fg_conf *conf, const struct fg_chain_in *in,
		     const struct fg_hop *h, size_t i)
{
	const struct fg_rcvd *r = &h->r;

	if (i == 0)
		return in->client->trusted_net || in->login != NULL;
	if (!h->parsed)
		return 0;
	if (r->kind == FG_RCVD_LOCAL || r->auth != FG_RCVD_AUTH_NONE)
		return 1;
	return r->has_ip && (fg_conf_net_in(&conf->trusted_networks, &r->ip) ||
			     fg_conf_net_in(&conf->local_addresses, &r->ip));
}

/* is_public - an address that names one host on the Internet */
static int
is_public(const struct fg_ip *ip)
{
	struct fg_ip x = *ip;

	fg_ipaddr_normalize(&x);
	if (fg_ipaddr_is_special(&x))
		return 0;
	if (x.family == FG_IP_V4)
		return !(x.a[0] == 10 ||
			 (x.a[0] == 172 && (x.a[1] & 0xf0) == 16) ||
			 (x.a[0] == 192 && x.a[1] == 168) ||
			 (x.a[0] == 100 && (x.a[1] & 0xc0) == 64));
	return (x.a[0] & 0xfe) != 0xfc; /* fc00::/7 unique local */
}

/* is_bogus - an address no sender can have */
static int
is_bogus(const struct fg_ip *ip)
{
	static const uint8_t zero[16];
	struct fg_ip x = *ip;

	fg_ipaddr_normalize(&x);
	if (x.family == FG_IP_V4)
		return x.a[0] == 0 || x.a[0] >= 224; /* 0/8, 224/4, 240/4 */
	return memcmp(x.a, zero, 16) == 0 || x.a[0] == 0xff;
}

/* ip_text - the text form of an address */
static void
ip_text(const struct fg_ip *ip, char *dst, size_t cap)
{
	struct fg_buf b;

	fg_buf_init(&b, dst, cap);
	fg_ipaddr_format(ip, &b);
}

/* add - a finding whose value is printf-formatted */
static void add(struct fg_findings *out, enum fg_check_id id, enum fg_result r,
		const char *reason, const char *fmt, ...) FG_PRINTF(5, 6);

static void
add(struct fg_findings *out, enum fg_check_id id, enum fg_result r,
    const char *reason, const char *fmt, ...)
{
	char v[FG_REPLY_VALUE_MAX + 1];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	fg_findings_add(out, id, r, reason, FG_NOPOS, v,
			(size_t)len < sizeof(v) ? (size_t)len : sizeof(v) - 1);
}

/* fail - note the first reason the chain fails */
static void
fail(struct fg_chain_out *res, const char *fmt, ...) FG_PRINTF(2, 3);

static void
fail(struct fg_chain_out *res, const char *fmt, ...)
{
	va_list ap;

	if (res->fail++)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* forged_local - hops written outside that claim to be ours */
static void
forged_local(const struct fg_conf *conf, const struct fg_chain_in *in,
	     const struct fg_message *m, size_t b, struct fg_chain_out *res,
	     struct fg_findings *out)
{
	const struct fg_client *c = in->client;
	size_t i;
	char ip[FG_IP_TEXT_MAX + 1];

	for (i = b + 1; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;
		size_t byn = strlen(r->by);

		if (byn > 0 && i == b + 1 &&
		    fg_checks_is_our_name(conf, c, r->by, byn, 0)) {
			add(out, FG_CHK_RECEIVED_FORGED_LOCAL, FG_R_FORGED,
			    "the first hop written outside claims one of our "
			    "hosts",
			    "hop %zu: by %s", i, r->by);
			fail(res, "hop %zu claims by %s", i, r->by);
			return;
		}
		if (byn > 0 && fg_checks_is_our_name(conf, c, r->by, byn, 1)) {
			add(out, FG_CHK_RECEIVED_FORGED_LOCAL, FG_R_MISMATCH,
			    "a hop written outside names our host",
			    "hop %zu: by %s", i, r->by);
			return;
		}
		if (r->has_ip && is_public(&r->ip) &&
		    (fg_checks_is_our_ip(conf, c, &r->ip) ||
		     fg_conf_net_in(&conf->trusted_networks, &r->ip))) {
			ip_text(&r->ip, ip, sizeof(ip));
			add(out, FG_CHK_RECEIVED_FORGED_LOCAL, FG_R_MISMATCH,
			    "a hop written outside names our address",
			    "hop %zu: from %s", i, ip);
			return;
		}
	}
}

/* same_host - do two names denote one host (a short name matching the
 * first label of the other counts) */
static int
same_host(const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);
	const char *ad = memchr(a, '.', an), *bd = memchr(b, '.', bn);

	if (an == 0 || bn == 0)
		return 1; /* nothing to compare */
	if (fg_str_caseeq(a, an, b, bn))
		return 1;
	if (ad == NULL && bd != NULL)
		return fg_str_caseeq(a, an, b, (size_t)(bd - b));
	if (bd == NULL && ad != NULL)
		return fg_str_caseeq(b, bn, a, (size_t)(ad - a));
	return 0;
}

/* broken_trail - inside our hops, by of hop i is what hop i-1 saw */
static void
broken_trail(const struct fg_conf *conf, const struct fg_chain_in *in,
	     const struct fg_message *m, size_t b, struct fg_chain_out *res,
	     struct fg_findings *out)
{
	const struct fg_client *c = in->client;
	size_t i;

	for (i = 1; i <= b && i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r,
				     *up = &m->hops[i - 1].r;
		const char *name = up->rdns[0] != '\0' ? up->rdns : up->helo;

		if (!m->hops[i].parsed || r->by[0] == '\0' || name[0] == '\0' ||
		    !fg_checks_is_our_name(conf, c, r->by, strlen(r->by), 1) ||
		    !fg_checks_is_our_name(conf, c, name, strlen(name), 1))
			continue;
		if (same_host(r->by, up->rdns) || same_host(r->by, up->helo))
			continue;
		add(out, FG_CHK_RECEIVED_BROKEN_TRAIL, FG_R_FAIL,
		    "a hop's by is not the host the hop above received from",
		    "hop %zu: by %s, hop %zu from %s", i, r->by, i - 1, name);
		fail(res, "hop %zu by %s, not %s", i, r->by, name);
		return;
	}
}

/* time_travel - dates ahead of now or of the hop above */
static void
time_travel(const struct fg_conf *conf, const struct fg_chain_in *in,
	    const struct fg_message *m, struct fg_chain_out *res,
	    struct fg_findings *out)
{
	int64_t skew = conf->clock_skew_s, above = in->now;
	size_t i, above_i = 0;

	for (i = 1; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;

		if (!r->has_date)
			continue;
		if (r->date.utc > in->now + skew) {
			add(out, FG_CHK_RECEIVED_TIME_TRAVEL, FG_R_FAIL,
			    "a hop is dated in the future",
			    "hop %zu: %llds ahead of now", i,
			    (long long)(r->date.utc - in->now));
			fail(res, "hop %zu dated in the future", i);
			return;
		}
		if (r->date.utc > above + skew) {
			add(out, FG_CHK_RECEIVED_TIME_TRAVEL, FG_R_FAIL,
			    "a hop is dated after the hop above it",
			    "hop %zu: %llds after hop %zu", i,
			    (long long)(r->date.utc - above), above_i);
			fail(res, "hop %zu dated after hop %zu", i, above_i);
			return;
		}
		above = r->date.utc;
		above_i = i;
	}
}

/* bogus_ip - impossible addresses written outside */
static void
bogus_ip(const struct fg_message *m, size_t b, struct fg_chain_out *res,
	 struct fg_findings *out)
{
	char ip[FG_IP_TEXT_MAX + 1];
	size_t i;

	for (i = b + 1; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;

		if (r->notes & FG_RCVD_N_BAD_IP) {
			add(out, FG_CHK_RECEIVED_BOGUS_IP, FG_R_INVALID,
			    "an address that does not parse", "hop %zu: %s", i,
			    r->bad_ip);
		} else if (r->has_ip && is_bogus(&r->ip)) {
			ip_text(&r->ip, ip, sizeof(ip));
			add(out, FG_CHK_RECEIVED_BOGUS_IP, FG_R_INVALID,
			    "an unspecified, multicast or reserved address",
			    "hop %zu: %s", i, ip);
		} else {
			continue;
		}
		fail(res, "hop %zu has an impossible address", i);
		return;
	}
}

/* counts - received.unparseable and received.hops */
static void
counts(const struct fg_conf *conf, const struct fg_message *m,
       struct fg_chain_out *res, struct fg_findings *out)
{
	size_t i, bad = 0, first = 0;

	for (i = 1; i < m->nhops; i++)
		if (!m->hops[i].parsed && bad++ == 0)
			first = i;
	if (bad > 0)
		add(out, FG_CHK_RECEIVED_UNPARSEABLE, FG_R_INVALID,
		    "Received: fields with no from, by or date",
		    "%zu of %zu, first hop %zu", bad, m->nreceived, first);
	if (conf->max_hops > 0 && m->nreceived > conf->max_hops) {
		add(out, FG_CHK_RECEIVED_HOPS, FG_R_FAIL,
		    "more Received: fields than max_hops", "%zu", m->nreceived);
		fail(res, "%zu hops", m->nreceived);
	}
}

/* fg_chain_check - the walk and the received.* findings */
void
fg_chain_check(const struct fg_conf *conf, const struct fg_chain_in *in,
	       const struct fg_message *m, struct fg_chain_out *res,
	       struct fg_findings *out)
{
	size_t b = 0;

	memset(res, 0, sizeof(*res));
	while (b < m->nhops && fg_chain_hop_trusted(conf, in, &m->hops[b], b))
		b++;
	res->boundary = b;
	counts(conf, m, res, out);
	forged_local(conf, in, m, b, res, out);
	broken_trail(conf, in, m, b, res, out);
	time_travel(conf, in, m, res, out);
	bogus_ip(m, b, res, out);
}
