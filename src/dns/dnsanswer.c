/*
 * NAME
 *	dnsanswer - decode DNS answers
 * SYNOPSIS
 *	#include "forgeguard/dns.h"
 * DESCRIPTION
 *	Bounded decoding of the record types forgeguard asks for: A, AAAA,
 *	PTR, CNAME and MX names (uncompressed wire form, as libunbound hands
 *	them over) and TXT/SPF character-strings, joined without separators.
 *	Label bytes that are not printable, a blank, "." or "\" are written
 *	as \DDD or \c so that a hostile name cannot inject text.
 * STANDARDS
 *	RFC 1035 3.3 (rdata), 4.1.4 (names); RFC 7208 3.3 (TXT strings).
 * DIAGNOSTICS
 *	fg_dns_decode returns 0 for malformed rdata; the caller makes the
 *	whole answer a temperror.
 */
#include <string.h>

#include "dns_impl.h"
#include "forgeguard/str.h"

/* fg_dns_answer_reset - an empty answer with the given status */
void
fg_dns_answer_reset(struct fg_dns_answer *ans, enum fg_dns_status st)
{
	ans->status = st;
	ans->secure = 0;
	ans->why = NULL;
	ans->ttl = 0;
	ans->n = 0;
	ans->dropped = 0;
	ans->used = 0;
}

/* fg_dns_status_name - "ok", "nodata", "nxdomain", "temperror" */
const char *
fg_dns_status_name(enum fg_dns_status st)
{
	switch (st) {
	case FG_DNS_OK:
		return "ok";
	case FG_DNS_NODATA:
		return "nodata";
	case FG_DNS_NXDOMAIN:
		return "nxdomain";
	case FG_DNS_TEMPERROR:
		return "temperror";
	}
	return "?";
}

/* arena_put - append bytes to the answer's arena, NUL-terminated */
static int
arena_put(struct fg_dns_answer *ans, struct fg_dns_rr *rr, const char *p,
	  size_t n)
{
	if (ans->used + n + 1 > sizeof(ans->arena))
		return 0;
	memcpy(ans->arena + ans->used, p, n);
	rr->off = (uint32_t)ans->used;
	rr->len = (uint32_t)n;
	ans->used += n;
	ans->arena[ans->used++] = '\0';
	return 1;
}

/* decode_name - an uncompressed wire name at rdata[*pos] into text */
static int
decode_name(const unsigned char *rdata, size_t len, size_t *pos,
	    struct fg_buf *b)
{
	size_t total = 0;

	for (;;) {
		size_t l, k;

		if (*pos >= len)
			return 0;
		l = rdata[(*pos)++];
		if (l == 0)
			break;
		if ((l & 0xC0) != 0 || *pos + l > len || (total += l + 1) > 255)
			return 0;
		if (b->len > 0)
			(void)fg_buf_putc(b, '.');
		for (k = 0; k < l; k++) {
			int c = rdata[*pos + k];

			if (c == '.' || c == '\\')
				(void)fg_buf_printf(b, "\\%c", c);
			else if (!FG_IS_PRINT(c) || c == ' ')
				(void)fg_buf_printf(b, "\\%03d", c);
			else
				(void)fg_buf_putc(b, c);
		}
		*pos += l;
	}
	if (b->len == 0)
		(void)fg_buf_putc(b, '.');
	return !b->truncated;
}

/* decode_txt - character-strings joined */
static int
decode_txt(const unsigned char *rdata, size_t len, struct fg_buf *b)
{
	size_t pos = 0;

	while (pos < len) {
		size_t l = rdata[pos++];

		if (pos + l > len)
			return 0;
		(void)fg_buf_append(b, rdata + pos, l);
		pos += l;
	}
	return 1;
}

/* fg_dns_decode - decode one record's wire rdata into ans */
int
fg_dns_decode(struct fg_dns_answer *ans, enum fg_dns_type type,
	      const unsigned char *rdata, size_t len)
{
	char text[FG_DNS_TXT_MAX + 1];
	struct fg_buf b;
	struct fg_dns_rr *rr;
	size_t pos = 0;

	if (ans->n >= FG_DNS_RR_MAX) {
		ans->dropped++;
		return 1;
	}
	rr = &ans->rr[ans->n];
	memset(rr, 0, sizeof(*rr));
	rr->type = (uint16_t)type;
	fg_buf_init(&b, text, sizeof(text));
	switch (type) {
	case FG_DNS_A:
		if (len != 4)
			return 0;
		rr->ip.family = FG_IP_V4;
		memcpy(rr->ip.a, rdata, 4);
		break;
	case FG_DNS_AAAA:
		if (len != 16)
			return 0;
		rr->ip.family = FG_IP_V6;
		memcpy(rr->ip.a, rdata, 16);
		break;
	case FG_DNS_MX:
		if (len < 3)
			return 0;
		rr->pref = (uint16_t)(rdata[0] << 8 | rdata[1]);
		pos = 2;
		/* fall through */
	case FG_DNS_PTR:
	case FG_DNS_CNAME:
		if (!decode_name(rdata, len, &pos, &b) || pos != len ||
		    !arena_put(ans, rr, b.data, b.len))
			return 0;
		break;
	case FG_DNS_TXT:
	case FG_DNS_SPF:
		if (!decode_txt(rdata, len, &b))
			return 0;
		rr->cut = b.truncated;
		if (!arena_put(ans, rr, b.data, b.len))
			return 0;
		break;
	default:
		return 0;
	}
	ans->n++;
	return 1;
}

/* fg_dns_text - the text of a name or TXT record in an answer */
const char *
fg_dns_text(const struct fg_dns_answer *ans, size_t i)
{
	return i < ans->n ? ans->arena + ans->rr[i].off : "";
}
