/*
 * NAME
 *	chk_received - the received.* checks of the Received: chain
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	The session builds the chain at end of headers (hop 0 from the
 *	connection, then every Received: field) and finds the trust
 *	boundary b (chain.c); each check reads it, and the first one to
 *	fail gives x-received-chain=fail its reason.
 *	- received.unparseable and received.hops count.
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
 * STANDARDS
 *	RFC 5321 4.4, 6.3 (loop detection by counting Received: fields);
 *	RFC 5322 3.6.7.
 * DIAGNOSTICS
 *	None: what is wrong becomes findings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "forgeguard/checks.h"
#include "forgeguard/str.h"

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

/* fg_chk_received_unparseable - Received: fields that did not parse */
void
fg_chk_received_unparseable(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;
	size_t i, bad = 0, first = 0;

	for (i = 1; i < m->nhops; i++)
		if (!m->hops[i].parsed && bad++ == 0)
			first = i;
	if (bad > 0)
		fg_check_addf(c, out, FG_R_INVALID,
			      "Received: fields with no from, by or date",
			      "%zu of %zu, first hop %zu", bad, m->nreceived,
			      first);
}

/* fg_chk_received_hops - more Received: fields than max_hops */
void
fg_chk_received_hops(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;

	if (c->conf->max_hops == 0 || m->nreceived <= c->conf->max_hops)
		return;
	fg_check_addf(c, out, FG_R_FAIL, "more Received: fields than max_hops",
		      "%zu", m->nreceived);
	fail(&c->txn->chain, "%zu hops", m->nreceived);
}

/* fg_chk_received_forged_local - hops written outside that claim us */
void
fg_chk_received_forged_local(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;
	const struct fg_client *cl = &c->conn->client;
	size_t b = c->txn->chain.boundary, i;
	char ip[FG_IP_TEXT_MAX + 1];

	for (i = b + 1; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;
		size_t byn = strlen(r->by);

		if (byn > 0 && i == b + 1 &&
		    fg_checks_is_our_name(c->conf, cl, r->by, byn, 0)) {
			fg_check_addf(c, out, FG_R_FORGED,
				      "the first hop written outside claims "
				      "one of our hosts",
				      "hop %zu: by %s", i, r->by);
			fail(&c->txn->chain, "hop %zu claims by %s", i, r->by);
			return;
		}
		if (byn > 0 &&
		    fg_checks_is_our_name(c->conf, cl, r->by, byn, 1)) {
			fg_check_addf(c, out, FG_R_MISMATCH,
				      "a hop written outside names our host",
				      "hop %zu: by %s", i, r->by);
			return;
		}
		if (r->has_ip && is_public(&r->ip) &&
		    (fg_checks_is_our_ip(c->conf, cl, &r->ip) ||
		     fg_conf_net_in(&c->conf->trusted_networks, &r->ip))) {
			ip_text(&r->ip, ip, sizeof(ip));
			fg_check_addf(c, out, FG_R_MISMATCH,
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

/* ours - is a name one of ours (hosts or domains) */
static int
ours(const struct fg_check_ctx *c, const char *name)
{
	return fg_checks_is_our_name(c->conf, &c->conn->client, name,
				     strlen(name), 1);
}

/* fg_chk_received_broken_trail - inside our hops, by is what hop i-1 saw */
void
fg_chk_received_broken_trail(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;
	size_t b = c->txn->chain.boundary, i;

	for (i = 1; i <= b && i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r,
				     *up = &m->hops[i - 1].r;
		const char *name = up->rdns[0] != '\0' ? up->rdns : up->helo;

		if (!m->hops[i].parsed || r->by[0] == '\0' || name[0] == '\0' ||
		    !ours(c, r->by) || !ours(c, name))
			continue;
		if (same_host(r->by, up->rdns) || same_host(r->by, up->helo))
			continue;
		fg_check_addf(c, out, FG_R_FAIL,
			      "a hop's by is not the host the hop above "
			      "received from",
			      "hop %zu: by %s, hop %zu from %s", i, r->by,
			      i - 1, name);
		fail(&c->txn->chain, "hop %zu by %s, not %s", i, r->by, name);
		return;
	}
}

/* fg_chk_received_time_travel - dates ahead of now or of the hop above */
void
fg_chk_received_time_travel(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;
	int64_t skew = c->conf->clock_skew_s, now = c->txn->chain_in.now;
	int64_t above = now;
	size_t i, above_i = 0;

	for (i = 1; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;

		if (!r->has_date)
			continue;
		if (r->date.utc > now + skew) {
			fg_check_addf(c, out, FG_R_FAIL,
				      "a hop is dated in the future",
				      "hop %zu: %llds ahead of now", i,
				      (long long)(r->date.utc - now));
			fail(&c->txn->chain, "hop %zu dated in the future", i);
			return;
		}
		if (r->date.utc > above + skew) {
			fg_check_addf(c, out, FG_R_FAIL,
				      "a hop is dated after the hop above it",
				      "hop %zu: %llds after hop %zu", i,
				      (long long)(r->date.utc - above),
				      above_i);
			fail(&c->txn->chain, "hop %zu dated after hop %zu", i,
			     above_i);
			return;
		}
		above = r->date.utc;
		above_i = i;
	}
}

/* fg_chk_received_bogus_ip - impossible addresses written outside */
void
fg_chk_received_bogus_ip(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_message *m = &c->txn->msg;
	size_t b = c->txn->chain.boundary, i;
	char ip[FG_IP_TEXT_MAX + 1];

	for (i = b + 1; i < m->nhops; i++) {
		const struct fg_rcvd *r = &m->hops[i].r;

		if (r->notes & FG_RCVD_N_BAD_IP) {
			fg_check_addf(c, out, FG_R_INVALID,
				      "an address that does not parse",
				      "hop %zu: %s", i, r->bad_ip);
		} else if (r->has_ip && is_bogus(&r->ip)) {
			ip_text(&r->ip, ip, sizeof(ip));
			fg_check_addf(c, out, FG_R_INVALID,
				      "an unspecified, multicast or reserved "
				      "address",
				      "hop %zu: %s", i, ip);
		} else {
			continue;
		}
		fail(&c->txn->chain, "hop %zu has an impossible address", i);
		return;
	}
}
