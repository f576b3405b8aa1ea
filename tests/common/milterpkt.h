/*
 * milterpkt.h - milter protocol packets for the clients that speak it
 * (tests/milter/fgmc.c and bench/mload.c): a 4-byte big-endian length,
 * the command byte, then the data; written and read whole.  A packet that would overflow is cut,
 * never written past its buffer.
 */
#ifndef FG_TEST_MILTERPKT_H
#define FG_TEST_MILTERPKT_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

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

/* pkt_write2 - an optional macro packet a and command b in one write, as
 * Postfix flushes them; 0, or -1 when not all was written */
static inline int
pkt_write2(int fd, const struct pkt *a, const struct pkt *b)
{
	struct iovec iov[2];
	int n = 0;
	size_t want = 0;

	if (a != NULL) {
		iov[n].iov_base = (void *)a->buf;
		iov[n++].iov_len = a->n;
		want += a->n;
	}
	iov[n].iov_base = (void *)b->buf;
	iov[n++].iov_len = b->n;
	want += b->n;
	return writev(fd, iov, n) == (ssize_t)want ? 0 : -1;
}

/* pkt_read_full - exactly n bytes; -1 at end of file or on an error */
static inline int
pkt_read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			errno = 0; /* end of file, not a timeout */
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

#endif
