/*
 * ipaddr.h - IPv4 and IPv6 addresses and networks
 *
 * Addresses are kept in network byte order.  An IPv4-mapped IPv6 address
 * (::ffff:192.0.2.1) is folded to IPv4 by fg_ipaddr_normalize, so that
 * networks written in either family match the client Postfix reports.
 */
#ifndef FG_IPADDR_H
#define FG_IPADDR_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/buf.h"
#include "forgeguard/err.h"

enum fg_ip_family { FG_IP_NONE = 0, FG_IP_V4 = 4, FG_IP_V6 = 6 };

struct fg_ip {
	enum fg_ip_family family;
	uint8_t a[16]; /* v4 uses a[0..3] */
};

struct fg_cidr {
	struct fg_ip ip;
	unsigned prefix; /* 0..32 or 0..128 */
};

/* Longest text form: IPv6 with embedded IPv4 plus NUL. */
#define FG_IP_TEXT_MAX 46

/* fg_ipaddr_parse4 - strict dotted quad (RFC 5321 IPv4-address-literal) */
enum fg_err fg_ipaddr_parse4(const char *p, size_t n, struct fg_ip *out) FG_WUR;
/* fg_ipaddr_parse6 - RFC 4291 2.2 text form, embedded IPv4 allowed */
enum fg_err fg_ipaddr_parse6(const char *p, size_t n, struct fg_ip *out) FG_WUR;
/*
 * fg_ipaddr_smtp6_ok - does an IPv6 text that parsed also follow RFC 5321
 * 4.1.3, where "::" stands for at least two zero groups (so at most six
 * groups, or four and an IPv4 tail, may stand beside it)
 */
int fg_ipaddr_smtp6_ok(const char *p, size_t n);
/* fg_ipaddr_parse - either family, by the presence of ':' */
enum fg_err fg_ipaddr_parse(const char *p, size_t n, struct fg_ip *out) FG_WUR;
/* fg_ipaddr_normalize - fold IPv4-mapped IPv6 to IPv4 in place */
void fg_ipaddr_normalize(struct fg_ip *ip);
/* fg_ipaddr_equal - same address (after normalizing both) */
int fg_ipaddr_equal(const struct fg_ip *a, const struct fg_ip *b);
/* fg_ipaddr_format - canonical text form into b (RFC 5952 for v6) */
void fg_ipaddr_format(const struct fg_ip *ip, struct fg_buf *b);
/* fg_cidr_parse - "ADDR" or "ADDR/LEN"; host bits must be zero */
enum fg_err fg_cidr_parse(const char *p, size_t n, struct fg_cidr *out) FG_WUR;
/*
 * fg_cidr_parse_loose - as Postfix reads a network: also "[ADDR]" and
 * "[ADDR]/LEN" (IPv6 as main.cf writes it), and host bits set, which are
 * cleared with *host_bits set to 1 for a warning
 */
enum fg_err fg_cidr_parse_loose(const char *p, size_t n, struct fg_cidr *out,
				int *host_bits) FG_WUR;
/* fg_cidr_match - is ip inside net */
int fg_cidr_match(const struct fg_cidr *net, const struct fg_ip *ip);
/* fg_ipaddr_is_special - loopback, unspecified, multicast, reserved */
int fg_ipaddr_is_special(const struct fg_ip *ip);

#endif
