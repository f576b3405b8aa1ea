/*
 * NAME
 *	chain - the current hop, and the trust walk down the Received: chain
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
 *	one.  The first untrusted hop is the boundary: fields below it were
 *	written outside.
 * STANDARDS
 *	RFC 5321 4.4 (each relay adds a Received: at the top); RFC 3848
 *	(ESMTPA and the other "with" keywords).
 * DIAGNOSTICS
 *	None.
 */
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

/* fg_chain_boundary - the first untrusted hop */
size_t
fg_chain_boundary(const struct fg_conf *conf, const struct fg_chain_in *in,
		  const struct fg_message *m)
{
	size_t b = 0;

	while (b < m->nhops && fg_chain_hop_trusted(conf, in, &m->hops[b], b))
		b++;
	return b;
}
