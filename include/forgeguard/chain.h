/*
 * chain.h - the Received: chain: the current hop and the trust walk
 *
 * Postfix hides the Received: field it is about to add, so the chain is
 * a current hop built from the connection, then every Received: field
 * top down.  The walk goes down while hops are trusted; the first hop
 * whose sending side is not trusted is the trust boundary, and nothing
 * written below it is believed.  The received.* checks (chk_received.c)
 * judge the chain from there.
 */
#ifndef FG_CHAIN_H
#define FG_CHAIN_H

#include <stddef.h>

#include "forgeguard/checks.h"
#include "forgeguard/conf.h"
#include "forgeguard/message.h"

/* fg_chain_hop0 - fill in the current hop from the connection */
void fg_chain_hop0(struct fg_hop *h, const struct fg_chain_in *in);
/* fg_chain_hop_trusted - is hop i's sending side trusted (hops above it
 * being trusted) */
int
fg_chain_hop_trusted(const struct fg_conf *conf, const struct fg_chain_in *in,
		     const struct fg_hop *h, size_t i);
/* fg_chain_boundary - the first untrusted hop of m (nhops: all trusted) */
size_t
fg_chain_boundary(const struct fg_conf *conf, const struct fg_chain_in *in,
		  const struct fg_message *m);

#endif
