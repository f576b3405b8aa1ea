/*
 * NAME
 *	ipaddr - parse, format and match IPv4 and IPv6 addresses
 * SYNOPSIS
 *	#include "forgeguard/ipaddr.h"
 * DESCRIPTION
 *	Strict parsers for the address forms SMTP carries: dotted quads
 *	(no octal, no shortened forms, at most three digits per part) and the
 *	RFC 4291 text forms of IPv6, including "::" and an embedded dotted
 *	quad.  Networks are ADDR/LEN with zero host bits.
 * STANDARDS
 *	RFC 5321 4.1.3 (address literals), RFC 4291 2.2 (IPv6 text),
 *	RFC 5952 4 (canonical IPv6 text), RFC 6890 (special-purpose ranges).
 * DIAGNOSTICS
 *	FG_ESYNTAX for malformed input, FG_ETOOLONG for an over-long string.
 */
#include <string.h>

#include "forgeguard/ipaddr.h"
#include "forgeguard/str.h"

#define IP_TEXT_INPUT_MAX 64

/* fg_ipaddr_parse4 - strict dotted quad */
enum fg_err
fg_ipaddr_parse4(const char *p, size_t n, struct fg_ip *out)
{
	size_t i = 0;
	int part;

	if (n > 15)
		return n > IP_TEXT_INPUT_MAX ? FG_ETOOLONG : FG_ESYNTAX;
	memset(out, 0, sizeof(*out));
	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part > 0) {
			if (i >= n || p[i] != '.')
				return FG_ESYNTAX;
			i++;
		}
		while (i < n && FG_IS_DIGIT((unsigned char)p[i]) &&
		       digits < 3) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
			digits++;
		}
		if (digits == 0 || v > 255)
			return FG_ESYNTAX;
		out->a[part] = (uint8_t)v;
	}
	if (i != n)
		return FG_ESYNTAX;
	out->family = FG_IP_V4;
	return FG_OK;
}

/* hex_group - parse 1-4 hex digits at p[*i]; -1 if none */
static long
hex_group(const char *p, size_t n, size_t *i)
{
	long v = 0;
	size_t k = 0;

	while (*i < n && k < 4 && FG_IS_XDIGIT((unsigned char)p[*i])) {
		int c = (unsigned char)p[*i];

		v = v * 16 +
		    (FG_IS_DIGIT(c) ? c - '0' : FG_TO_LOWER(c) - 'a' + 10);
		(*i)++;
		k++;
	}
	if (k == 0 || (*i < n && FG_IS_XDIGIT((unsigned char)p[*i])))
		return -1;
	return v;
}

/* v4_tail_at - does an embedded dotted quad start at p[i] */
static int
v4_tail_at(const char *p, size_t n, size_t i)
{
	size_t j;

	for (j = i; j < n && p[j] != ':'; j++)
		if (p[j] == '.')
			return 1;
	return 0;
}

/* fg_ipaddr_parse6 - RFC 4291 2.2 text form */
enum fg_err
fg_ipaddr_parse6(const char *p, size_t n, struct fg_ip *out)
{
	uint16_t g[8];
	int ng = 0, gap = -1;
	size_t i = 0;

	if (n > IP_TEXT_INPUT_MAX)
		return FG_ETOOLONG;
	if (n < 2)
		return FG_ESYNTAX;
	memset(out, 0, sizeof(*out));
	if (p[0] == ':') {
		if (p[1] != ':')
			return FG_ESYNTAX;
		gap = 0;
		i = 2;
	}
	while (i < n) {
		long v;

		if (ng >= 8)
			return FG_ESYNTAX;
		if (v4_tail_at(p, n, i)) {
			struct fg_ip v4;

			if (ng > 6 ||
			    fg_ipaddr_parse4(p + i, n - i, &v4) != FG_OK)
				return FG_ESYNTAX;
			g[ng++] = (uint16_t)(v4.a[0] << 8 | v4.a[1]);
			g[ng++] = (uint16_t)(v4.a[2] << 8 | v4.a[3]);
			i = n;
			break;
		}
		v = hex_group(p, n, &i);
		if (v < 0)
			return FG_ESYNTAX;
		g[ng++] = (uint16_t)v;
		if (i == n)
			break;
		if (p[i] != ':')
			return FG_ESYNTAX;
		i++;
		if (i < n && p[i] == ':') {
			if (gap >= 0)
				return FG_ESYNTAX;
			gap = ng;
			i++;
		} else if (i == n) {
			return FG_ESYNTAX; /* trailing single colon */
		}
	}
	if (gap < 0 && ng != 8)
		return FG_ESYNTAX;
	if (gap >= 0 && ng > 7)
		return FG_ESYNTAX;
	{
		int k, zeros = 8 - ng, o = 0;

		for (k = 0; k < ng; k++) {
			if (k == gap)
				o += zeros;
			out->a[2 * o] = (uint8_t)(g[k] >> 8);
			out->a[2 * o + 1] = (uint8_t)(g[k] & 0xff);
			o++;
		}
	}
	out->family = FG_IP_V6;
	return FG_OK;
}

/* fg_ipaddr_smtp6_ok - RFC 5321 4.1.3 IPv6-comp group counts */
int
fg_ipaddr_smtp6_ok(const char *p, size_t n)
{
	size_t i, groups = 0;
	int comp = 0, v4 = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '.')
			v4 = 1;
		if (p[i] == ':' && i + 1 < n && p[i + 1] == ':')
			comp = 1;
		if (p[i] != ':' && (i == 0 || p[i - 1] == ':'))
			groups++;
	}
	if (!comp)
		return 1;
	/* the dotted quad counted as one group above; it fills two */
	return v4 ? groups - 1 <= 4 : groups <= 6;
}

/* fg_ipaddr_parse - either family, by the presence of ':' */
enum fg_err
fg_ipaddr_parse(const char *p, size_t n, struct fg_ip *out)
{
	if (memchr(p, ':', n) != NULL)
		return fg_ipaddr_parse6(p, n, out);
	return fg_ipaddr_parse4(p, n, out);
}

/* fg_ipaddr_normalize - fold IPv4-mapped IPv6 to IPv4 in place */
void
fg_ipaddr_normalize(struct fg_ip *ip)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0,    0,
					    0, 0, 0, 0, 0xff, 0xff };

	if (ip->family == FG_IP_V6 && memcmp(ip->a, mapped, 12) == 0) {
		memmove(ip->a, ip->a + 12, 4);
		memset(ip->a + 4, 0, 12);
		ip->family = FG_IP_V4;
	}
}

/* fg_ipaddr_equal - same address (after normalizing both) */
int
fg_ipaddr_equal(const struct fg_ip *a, const struct fg_ip *b)
{
	struct fg_ip x = *a, y = *b;

	fg_ipaddr_normalize(&x);
	fg_ipaddr_normalize(&y);
	if (x.family != y.family || x.family == FG_IP_NONE)
		return 0;
	return memcmp(x.a, y.a, x.family == FG_IP_V4 ? 4 : 16) == 0;
}

/* fg_ipaddr_format - canonical text form (RFC 5952 for v6) */
void
fg_ipaddr_format(const struct fg_ip *ip, struct fg_buf *b)
{
	int best = -1, bestlen = 0, k;

	if (ip->family == FG_IP_V4) {
		(void)fg_buf_printf(b, "%u.%u.%u.%u", ip->a[0], ip->a[1],
				    ip->a[2], ip->a[3]);
		return;
	}
	if (ip->family != FG_IP_V6) {
		(void)fg_buf_puts(b, "?");
		return;
	}
	/* RFC 5952 4.2: the longest run of two or more zero groups */
	for (k = 0; k < 8;) {
		int run = 0;

		while (k + run < 8 && ip->a[2 * (k + run)] == 0 &&
		       ip->a[2 * (k + run) + 1] == 0)
			run++;
		if (run > bestlen && run >= 2) {
			best = k;
			bestlen = run;
		}
		k += run > 0 ? run : 1;
	}
	for (k = 0; k < 8; k++) {
		if (k == best) {
			(void)fg_buf_puts(b, "::");
			k += bestlen - 1;
			continue;
		}
		if (k > 0 && k != best + bestlen)
			(void)fg_buf_putc(b, ':');
		(void)fg_buf_printf(
			b, "%x",
			(unsigned)(ip->a[2 * k] << 8 | ip->a[2 * k + 1]));
	}
}

/* fg_cidr_parse - "ADDR" or "ADDR/LEN"; host bits must be zero */
enum fg_err
fg_cidr_parse(const char *p, size_t n, struct fg_cidr *out)
{
	const char *slash = memchr(p, '/', n);
	size_t an = slash ? (size_t)(slash - p) : n;
	unsigned maxlen, k;
	uint64_t len;
	enum fg_err err;

	err = fg_ipaddr_parse(p, an, &out->ip);
	if (err)
		return err;
	maxlen = out->ip.family == FG_IP_V4 ? 32 : 128;
	if (slash == NULL) {
		len = maxlen;
	} else {
		err = fg_str_parse_u64(slash + 1, n - an - 1, maxlen, &len);
		if (err)
			return FG_ESYNTAX;
	}
	out->prefix = (unsigned)len;
	for (k = out->prefix; k < maxlen; k++)
		if (out->ip.a[k / 8] & (0x80 >> (k % 8)))
			return FG_ESYNTAX; /* host bits set */
	/* a mapped network is a v4 network */
	if (out->ip.family == FG_IP_V6 && out->prefix >= 96) {
		struct fg_ip t = out->ip;

		fg_ipaddr_normalize(&t);
		if (t.family == FG_IP_V4) {
			out->ip = t;
			out->prefix -= 96;
		}
	}
	return FG_OK;
}

/* fg_cidr_parse_loose - as written in Postfix's main.cf */
enum fg_err
fg_cidr_parse_loose(const char *p, size_t n, struct fg_cidr *out,
		    int *host_bits)
{
	char t[FG_IP_TEXT_MAX + 8];
	const char *close;
	size_t an, rest, k, maxlen;
	struct fg_buf b;

	*host_bits = 0;
	if (n > 0 && p[0] == '[') {
		/* [ADDR] or [ADDR]/LEN: the brackets dropped */
		close = memchr(p, ']', n);
		if (close == NULL)
			return FG_ESYNTAX;
		an = (size_t)(close - p) - 1;
		rest = n - an - 2;
		if (an + rest >= sizeof(t) || (rest > 0 && close[1] != '/'))
			return FG_ESYNTAX;
		memcpy(t, p + 1, an);
		memcpy(t + an, close + 1, rest);
		p = t;
		n = an + rest;
	}
	if (fg_cidr_parse(p, n, out) == FG_OK)
		return FG_OK;
	/* host bits set: Postfix warns and uses the network; so do we */
	{
		const char *slash = memchr(p, '/', n);
		uint64_t len;

		if (slash == NULL ||
		    fg_ipaddr_parse(p, (size_t)(slash - p), &out->ip) != FG_OK)
			return FG_ESYNTAX;
		maxlen = out->ip.family == FG_IP_V4 ? 32 : 128;
		if (fg_str_parse_u64(slash + 1, n - (size_t)(slash - p) - 1,
				     maxlen, &len) != FG_OK)
			return FG_ESYNTAX;
		for (k = (size_t)len; k < maxlen; k++)
			out->ip.a[k / 8] &= (uint8_t) ~(0x80u >> (k % 8));
		*host_bits = 1;
		/* the network, read again: a mapped one becomes v4 */
		fg_buf_init(&b, t, sizeof(t));
		fg_ipaddr_format(&out->ip, &b);
		(void)fg_buf_printf(&b, "/%u", (unsigned)len);
		return fg_cidr_parse(t, b.len, out);
	}
}

/* fg_cidr_match - is ip inside net */
int
fg_cidr_match(const struct fg_cidr *net, const struct fg_ip *ip)
{
	struct fg_ip x = *ip;
	unsigned full, rest;

	fg_ipaddr_normalize(&x);
	if (x.family != net->ip.family)
		return 0;
	full = net->prefix / 8;
	rest = net->prefix % 8;
	if (memcmp(x.a, net->ip.a, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((x.a[full] ^ net->ip.a[full]) & (0xff00 >> rest)) == 0;
}

/* fg_ipaddr_is_special - loopback, unspecified, multicast, reserved */
int
fg_ipaddr_is_special(const struct fg_ip *ip)
{
	static const uint8_t zero[16];
	struct fg_ip x = *ip;

	fg_ipaddr_normalize(&x);
	if (x.family == FG_IP_V4)
		/* 0/8, 127/8, 169.254/16, 224/3 (multicast and reserved) */
		return x.a[0] == 0 || x.a[0] == 127 ||
		       (x.a[0] == 169 && x.a[1] == 254) || x.a[0] >= 224;
	if (x.family != FG_IP_V6)
		return 0;
	/* ::/128, ::1/128, ff00::/8, fe80::/10 */
	if (memcmp(x.a, zero, 15) == 0 && x.a[15] <= 1)
		return 1;
	return x.a[0] == 0xff || (x.a[0] == 0xfe && (x.a[1] & 0xc0) == 0x80);
}
