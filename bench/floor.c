/*
 * bench/floor - the do-nothing milter forgeguard is measured against
 *
 *   floor SOCKET
 *
 * libmilter with every callback registered, each answering "continue",
 * negotiating exactly as forgeguard does (the body switched off, every
 * other step answered, the same macros asked for) and, like forgeguard,
 * setting TCP_NODELAY on accepted inet sockets.  Whatever forgeguard costs
 * above this is forgeguard's own work.  SIGTERM stops it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* accept4 */
#endif
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
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

static sfsistat
negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
	  unsigned long f3, unsigned long *pf0, unsigned long *pf1,
	  unsigned long *pf2, unsigned long *pf3)
{
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		     SMFIF_SETSYMLIST);
	*pf1 = f1 & SMFIP_NOBODY;
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
	return SMFIS_CONTINUE;
}

static sfsistat
cb_str(SMFICTX *c, char *s)
{
	return SMFIS_CONTINUE;
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
	return SMFIS_CONTINUE;
}

static sfsistat
cb_ctx(SMFICTX *c)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_body(SMFICTX *c, unsigned char *b, size_t n)
{
	return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
	.xxfi_name = "floor",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		      SMFIF_SETSYMLIST,
	.xxfi_connect = cb_connect,
	.xxfi_helo = cb_str,
	.xxfi_envfrom = cb_argv,
	.xxfi_envrcpt = cb_argv,
	.xxfi_header = cb_header,
	.xxfi_eoh = cb_ctx,
	.xxfi_body = cb_body,
	.xxfi_eom = cb_ctx,
	.xxfi_abort = cb_ctx,
	.xxfi_close = cb_ctx,
	.xxfi_unknown = cb_unknown,
	.xxfi_data = cb_ctx,
	.xxfi_negotiate = negotiate,
};

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: floor SOCKET\n");
		return 2;
	}
	if (smfi_setconn(argv[1]) != MI_SUCCESS ||
	    smfi_register(desc) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "floor: cannot listen on %s\n", argv[1]);
		return 1;
	}
	(void)smfi_setbacklog(1024);
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}
