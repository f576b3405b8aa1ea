/*
 * milterpkt.h - milter protocol packets for the clients that speak it
 * (tests/milter/fgmc.c and bench/mload.c): a 4-byte big-endian length,
 * the command byte, then the data.  A packet that would overflow is cut,
 * never written past its buffer.
 */
#ifndef FG_TEST_MILTERPKT_H
#define FG_TEST_MILTERPKT_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#define PKT_MAX (1 << 17)

struct pkt {
	char buf[PKT_MAX];
	size_t n;
};

/* pkt_start - a new packet for command cmd */
static inline void
pkt_start(struct pkt *p, char cmd)
{
	p->n = 4;
	p->buf[p->n++] = cmd;
}

/* pkt_add - n bytes of data, cut at the buffer's end */
static inline void
pkt_add(struct pkt *p, const void *d, size_t n)
{
	if (p->n + n > sizeof(p->buf))
		n = sizeof(p->buf) - p->n;
	memcpy(p->buf + p->n, d, n);
	p->n += n;
}

/* pkt_addz - a string with its NUL */
static inline void
pkt_addz(struct pkt *p, const char *s)
{
	pkt_add(p, s, strlen(s) + 1);
}

/* pkt_end - write the length in front */
static inline void
pkt_end(struct pkt *p)
{
	uint32_t len = htonl((uint32_t)(p->n - 4));

	memcpy(p->buf, &len, 4);
}

#endif
