/*
 * chain.h - the Received: chain: the current hop, the trust walk and
 * the received.* checks
 *
 * Postfix hides the Received: field it is about to add, so the chain is
 * a current hop built from the connection, then every Received: field
 * top down.  The walk goes down while hops are trusted; the first hop
 * whose sending side is not trusted is the trust boundary, and nothing
 * written below it is believed.
 */
#ifndef FG_CHAIN_H
#define FG_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/checks.h"
#include "forgeguard/conf.h"
#include "forgeguard/message.h"
#include "forgeguard/policy.h"

/* What the current connection says about the current hop. */
struct fg_chain_in {
	const struct fg_client *client;
	const char *helo; /* "" if none */
	const char *login; /* SASL login or NULL */
	int tls; /* the session used TLS */
	int64_t now; /* UTC seconds */
};

struct fg_chain_out {
	size_t boundary; /* first untrusted hop; nhops when all trusted */
	int fail; /* x-received-chain=fail */
	char reason[160]; /* why, for the Authentication-Results field */
};

/* fg_chain_hop0 - fill in the current hop from the connection */
void fg_chain_hop0(struct fg_hop *h, const struct fg_chain_in *in);
/* fg_chain_trusted - is hop i's sending side trusted (hops above it
 * being trusted) */
int
fg_chain_hop_trusted(const struct fg_conf *conf, const struct fg_chain_in *in,
		     const struct fg_hop *h, size_t i);
/*
 * fg_chain_check - the trust walk and received.* findings over m's
 * hops (hop 0 filled in by fg_chain_hop0)
 */
void fg_chain_check(const struct fg_conf *conf, const struct fg_chain_in *in,
		    const struct fg_message *m, struct fg_chain_out *res,
		    struct fg_findings *out);

#endif
