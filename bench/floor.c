/*
 * bench/floor - the do-nothing milter forgeguard is measured against
 *
 *   floor [-a] [-b] SOCKET
 *
 * libmilter with every callback registered, each answering "continue",
 * negotiating exactly as forgeguard does with DKIM off (the body switched
 * off, on a unix: socket DATA too and no reply to connect, HELO and
 * header fields, the same macros asked for, a small state allocated per
 * connection) and, like forgeguard, setting TCP_NODELAY on accepted inet
 * sockets.  Whatever forgeguard costs above this is forgeguard's own
 * work.  SIGTERM stops it.
 *
 * -b: negotiate the body as forgeguard does when a check reads it (DKIM,
 * on by default): every chunk sent, no reply to each on a unix: socket;
 * the bytes are read by libmilter and dropped.  What forgeguard costs
 * above this floor is the hashing, not the transfer.
 *
 * -a: also stamp, at end of message, an Authentication-Results field of
 * the size forgeguard writes, at the top as forgeguard does: what the
 * MTA pays for the stamp alone (Postfix patches its queue file for a
 * field inserted above the others).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libmilter/mfapi.h>

/* accept - libmilter's accept(), with TCP_NODELAY on inet sockets */
int
accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	int one = 1, c = accept4(fd, addr, len, 0);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	if (c >= 0 && getsockname(c, (struct sockaddr *)&ss, &sl) == 0 &&
	    (ss.ss_family == AF_INET || ss.ss_family == AF_INET6))
		(void)setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one,
				 sizeof(one));
	return c;
}

static int quiet_ok; /* listening on a unix: socket */
static int stamp; /* -a */
static int body; /* -b */

/* the no-reply steps granted on this connection */
struct conn {
	unsigned long quiet;
};

static sfsistat
quiet(SMFICTX *c, unsigned long nr)
{
	const struct conn *k = smfi_getpriv(c);

	return k != NULL && (k->quiet & nr) ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

static sfsistat
negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
	  unsigned long f3, unsigned long *pf0, unsigned long *pf1,
	  unsigned long *pf2, unsigned long *pf3)
{
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		     SMFIF_SETSYMLIST);
	struct conn *k = calloc(1, sizeof(*k));

	if (k != NULL && smfi_setpriv(ctx, k) != MI_SUCCESS) {
		free(k);
		k = NULL;
	}
	if (k != NULL && quiet_ok)
		k->quiet = f1 & (SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_HDR |
				 (body ? SMFIP_NR_BODY : 0));
	*pf1 = (body ? 0 : f1 & SMFIP_NOBODY) | (k ? k->quiet : 0);
	if (k != NULL && quiet_ok)
		*pf1 |= f1 & SMFIP_NODATA;
	*pf2 = 0;
	*pf3 = 0;
	if (f0 & SMFIF_SETSYMLIST) {
		(void)smfi_setsymlist(
			ctx, SMFIM_CONNECT,
			"{client_addr} {client_name} {client_ptr} "
			"{daemon_addr} j");
		(void)smfi_setsymlist(ctx, SMFIM_HELO, "{tls_version}");
		(void)smfi_setsymlist(ctx, SMFIM_ENVFROM,
				      "i {auth_authen} {tls_version}");
		(void)smfi_setsymlist(ctx, SMFIM_EOH, "i");
		(void)smfi_setsymlist(ctx, SMFIM_EOM, "i");
	}
	return SMFIS_CONTINUE;
}

static sfsistat
cb_connect(SMFICTX *c, char *h, _SOCK_ADDR *a)
{
	return quiet(c, SMFIP_NR_CONN);
}

static sfsistat
cb_helo(SMFICTX *c, char *s)
{
	return quiet(c, SMFIP_NR_HELO);
}

static sfsistat
cb_unknown(SMFICTX *c, const char *s)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_argv(SMFICTX *c, char **argv)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_header(SMFICTX *c, char *n, char *v)
{
	return quiet(c, SMFIP_NR_HDR);
}

static sfsistat
cb_close(SMFICTX *c)
{
	free(smfi_getpriv(c));
	(void)smfi_setpriv(c, NULL);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_ctx(SMFICTX *c)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_eom(SMFICTX *c)
{
	if (stamp && smfi_insheader(c, 0, "Authentication-Results",
				    "mx.ours.example;\n\tiprev=pass "
				    "policy.iprev=127.0.0.1;\n\tspf=pass "
				    "smtp.mailfrom=user@bench.example.org;\n\t"
				    "x-received-chain=pass") != MI_SUCCESS)
		return SMFIS_TEMPFAIL;
	return SMFIS_CONTINUE;
}

static sfsistat
cb_body(SMFICTX *c, unsigned char *b, size_t n)
{
	return quiet(c, SMFIP_NR_BODY);
}

static struct smfiDesc desc = {
	.xxfi_name = "floor",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		      SMFIF_SETSYMLIST,
	.xxfi_connect = cb_connect,
	.xxfi_helo = cb_helo,
	.xxfi_envfrom = cb_argv,
	.xxfi_envrcpt = cb_argv,
	.xxfi_header = cb_header,
	.xxfi_eoh = cb_ctx,
	.xxfi_body = cb_body,
	.xxfi_eom = cb_eom,
	.xxfi_abort = cb_ctx,
	.xxfi_close = cb_close,
	.xxfi_unknown = cb_unknown,
	.xxfi_data = cb_ctx,
	.xxfi_negotiate = negotiate,
};

int
main(int argc, char **argv)
{
	const char *sock;
	int opt;

	while ((opt = getopt(argc, argv, "ab")) != -1) {
		if (opt == 'a')
			stamp = 1;
		else if (opt == 'b')
			body = 1;
		else
			optind = argc + 1; /* usage */
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: floor [-a] [-b] SOCKET\n");
		return 2;
	}
	sock = argv[optind];
	quiet_ok = strncmp(sock, "unix:", 5) == 0 ||
		   strncmp(sock, "local:", 6) == 0;
	if (smfi_setconn((char *)sock) != MI_SUCCESS ||
	    smfi_register(desc) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "floor: cannot listen on %s\n", sock);
		return 1;
	}
	(void)smfi_setbacklog(1024);
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
