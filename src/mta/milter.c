/*
 * NAME
 *	milter - libmilter glue: callbacks, negotiation, reload
 * SYNOPSIS
 *	#include "milter.h"
 * DESCRIPTION
 *	Translates libmilter callbacks into session calls and verdicts into
 *	sfsistat codes and smfi_setreply replies.  This file and main.c are
 *	the only ones that include <libmilter/mfapi.h>.
 *
 *	libmilter callbacks carry no user pointer, so the daemon's state
 *	(the current configuration snapshot and log sink) lives in one
 *	static struct here, swapped under a mutex on SIGHUP.  Sessions take
 *	a reference at connect and keep that snapshot until close.
 *
 *	Negotiation: every callback is registered.  The session is created
 *	at negotiation with the configuration snapshot of that moment, and
 *	that snapshot decides whether the body is asked for: only when an
 *	enabled check reads it (otherwise SMFIP_NOBODY).  Header values are
 *	asked for with their leading space (SMFIP_HDR_LEADSPC, so that
 *	signatures over the exact bytes verify); with it, the header we
 *	insert must bring its own space.  On a unix: socket the MTA is
 *	also told not to wait for a reply to the steps that never refuse:
 *	connect, HELO, each header field and each body chunk
 *	(SMFIP_NR_CONN, SMFIP_NR_HELO, SMFIP_NR_HDR, SMFIP_NR_BODY), and
 *	not to send the DATA command, which tells forgeguard nothing
 *	(SMFIP_NODATA).  That saves one round trip per header field, the
 *	most frequent step.  Not on inet: sockets: a step without a reply
 *	makes Postfix write twice in a row, and its Nagle then waits for
 *	our delayed ACK (about 40 ms); without the DATA step Postfix stalls
 *	the same way, once per message (measured: 22 messages/s instead
 *	of 350).  There each body chunk is answered, with SMFIS_SKIP once
 *	no check wants more of it.  What the quiet steps find is enforced
 *	at MAIL, RCPT, end of headers or end of message, which are always
 *	answered; a failure inside them (no memory for the session or a
 *	header field) is answered at the next step that has a reply, as a
 *	temporary failure.
 *
 *	Two libc functions are interposed in the executable, where libmilter
 *	(the only caller) binds to them:
 *	- accept(): sets TCP_NODELAY on accepted inet sockets, so libmilter's
 *	  small header-change and reply packets are not held by Nagle;
 *	- sigwait(): libmilter's signal thread treats SIGHUP as "stop"; ours
 *	  reloads the configuration instead and keeps waiting; on SIGTERM
 *	  and SIGINT it wakes libmilter's listener (knocker()), which would
 *	  otherwise notice the stop only after its 5 s poll.
 * STANDARDS
 *	Sendmail milter protocol version 6 as spoken by Postfix 3.x.
 * DIAGNOSTICS
 *	A missing session, a failed reply or a failed header edit is an
 *	internal error: the command is tempfailed, never accepted, and the
 *	summary line says so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>

#include "forgeguard/crypto.h"
#include "forgeguard/keycache.h"
#include "forgeguard/session.h"
#include "forgeguard/spf.h"
#include "forgeguard/str.h"
#include "milter.h"

static struct {
	pthread_mutex_t lock;
	struct fg_conf *conf;
	struct fg_log *log;
	struct fg_dns *dns; /* replaced when a reload changes dns_* */
	struct fg_spf *spf; /* one for the process */
	struct fg_keycache *keys; /* decoded DKIM keys, one for the process */
	struct fg_signkeys *signkeys; /* the snapshot's signing keys */
	const char *conf_path;
	char *socket; /* where to knock to wake the listener at a stop */
	int foreground;
	int quiet_ok; /* a unix: socket: no-reply steps may be negotiated */
	atomic_uint sid_next;
	uint32_t sid_salt;
} daemon_state = { .lock = PTHREAD_MUTEX_INITIALIZER };

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

/* fg_milter_open_log - the sink for a configuration's log_target */
struct fg_log *
fg_milter_open_log(const struct fg_conf *conf, int foreground,
		   struct fg_buf *err)
{
	const char *target = conf->log_target;
	struct fg_log *log;

	char sys[32];

	if (strcmp(target, "auto") == 0)
		target = foreground ? "stderr" : "syslog";
	if (strcmp(target, "syslog") == 0) {
		snprintf(sys, sizeof(sys), "syslog:%s",
			 fg_conf_syslog_facilities[conf->syslog_facility]);
		target = sys;
	}
	if (fg_log_open(target, "forgeguard", &log, err) != FG_OK)
		return NULL;
	return log;
}

/* same_dns - do two configurations ask for the same resolver */
static int
same_dns(const struct fg_conf *a, const struct fg_conf *b)
{
	return strcmp(a->dns_resolver, b->dns_resolver) == 0 &&
	       strcmp(a->dns_trust_anchor, b->dns_trust_anchor) == 0;
}

/* fg_milter_open_dns - the resolver a configuration asks for */
struct fg_dns *
fg_milter_open_dns(const struct fg_conf *conf, struct fg_buf *err)
{
	struct fg_dns_opts o = { conf->dns_resolver, conf->dns_trust_anchor };
	struct fg_dns *dns;

	if (fg_dns_new(&o, &dns, err) != FG_OK)
		return NULL;
	return dns;
}

/* same_log - do two snapshots log to the same place in the same way */
static int
same_log(const struct fg_conf *a, const struct fg_conf *b)
{
	return strcmp(a->log_target, b->log_target) == 0 &&
	       a->log_format == b->log_format &&
	       a->syslog_facility == b->syslog_facility;
}

/* each problem of a failed reload is one message of its own */
#define RELOAD_FAILED "reload failed, keeping the running configuration"

/* reload - SIGHUP: load the file again; keep the old snapshot on error */
static void
reload(void)
{
	char estore[4096];
	struct fg_buf err;
	struct fg_conf *conf, *old_conf;
	struct fg_log *log, *old_log, *new_log = NULL;
	struct fg_dns *dns, *old_dns;
	struct fg_signkeys *sk, *old_sk;

	fg_buf_init(&err, estore, sizeof(estore));
	pthread_mutex_lock(&daemon_state.lock);
	log = fg_log_ref(daemon_state.log);
	pthread_mutex_unlock(&daemon_state.lock);
	if (fg_conf_load(daemon_state.conf_path, &conf, &err) != FG_OK) {
		fg_log_lines(log, FG_LOG_ERR, RELOAD_FAILED, err.data);
		fg_log_unref(log);
		return;
	}
	if (fg_signkeys_load(conf, &sk, &err) != FG_OK) {
		fg_log_lines(log, FG_LOG_ERR, RELOAD_FAILED, err.data);
		fg_log_unref(log);
		fg_conf_unref(conf);
		return;
	}
	/* a new resolver only when its settings changed */
	pthread_mutex_lock(&daemon_state.lock);
	dns = same_dns(conf, daemon_state.conf) ? fg_dns_ref(daemon_state.dns)
						: NULL;
	pthread_mutex_unlock(&daemon_state.lock);
	if (dns == NULL)
		dns = fg_milter_open_dns(conf, &err);
	if (dns != NULL)
		new_log =
			fg_milter_open_log(conf, daemon_state.foreground, &err);
	if (dns != NULL && new_log == NULL &&
	    same_log(conf, daemon_state.conf)) {
		/* the same target could not be opened again (a log file the
		 * unprivileged user may not reopen): keep writing to the open
		 * one rather than refuse the new configuration */
		fg_log_lines(log, FG_LOG_WARNING,
			     "cannot reopen the log, keeping the open one",
			     err.data);
		new_log = fg_log_ref(log);
	}
	if (new_log == NULL) {
		fg_log_lines(log, FG_LOG_ERR, RELOAD_FAILED, err.data);
		fg_log_unref(log);
		fg_dns_free(dns);
		fg_conf_unref(conf);
		fg_signkeys_unref(sk);
		return;
	}
	fg_log_unref(log);
	pthread_mutex_lock(&daemon_state.lock);
	old_conf = daemon_state.conf;
	old_log = daemon_state.log;
	old_dns = daemon_state.dns;
	old_sk = daemon_state.signkeys;
	daemon_state.conf = conf;
	daemon_state.log = new_log;
	daemon_state.dns = dns;
	daemon_state.signkeys = sk;
	pthread_mutex_unlock(&daemon_state.lock);
	fg_log_msg(new_log, FG_LOG_INFO, "configuration reloaded from %s",
		   daemon_state.conf_path ? daemon_state.conf_path
					  : "built-in defaults");
	fg_conf_unref(old_conf);
	fg_log_unref(old_log);
	fg_dns_free(old_dns);
	fg_signkeys_unref(old_sk);
}

/* socket_path - the file of a unix:/local: socket, or NULL */
static const char *
socket_path(const char *sock)
{
	if (strncmp(sock, "unix:", 5) == 0)
		return sock + 5;
	if (strncmp(sock, "local:", 6) == 0)
		return sock + 6;
	return NULL;
}

/* knock_addr - a loopback address that reaches the inet: or inet6:
 * socket SPEC ("PORT" or "PORT@HOST"); 0 when there is none */
static socklen_t
knock_addr(const char *spec, int v6, struct sockaddr_storage *ss)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
	const char *at = strchr(spec, '@');
	unsigned long port = strtoul(spec, NULL, 10);

	memset(ss, 0, sizeof(*ss));
	if (port == 0 || port > 65535)
		return 0;
	if (v6) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)port);
		if (at == NULL ||
		    inet_pton(AF_INET6, at + 1, &a6->sin6_addr) != 1 ||
		    IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr))
			a6->sin6_addr = in6addr_loopback;
		return sizeof(*a6);
	}
	a4->sin_family = AF_INET;
	a4->sin_port = htons((uint16_t)port);
	if (at == NULL || inet_pton(AF_INET, at + 1, &a4->sin_addr) != 1 ||
	    a4->sin_addr.s_addr == htonl(INADDR_ANY))
		a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sizeof(*a4);
}

/* knock - connect to our own socket and close at once: libmilter's
 * listener wakes, and its session for the knock reads end of file and
 * ends without any callback */
static void
knock(const char *sock)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	const char *path = socket_path(sock);
	int fd;

	if (path == NULL && sock[0] == '/')
		path = sock;
	if (path != NULL) {
		struct sockaddr_un *un = (struct sockaddr_un *)&ss;

		memset(&ss, 0, sizeof(ss));
		if (strlen(path) >= sizeof(un->sun_path))
			return;
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, path, strlen(path) + 1);
		len = sizeof(*un);
	} else if (strncmp(sock, "inet:", 5) == 0) {
		len = knock_addr(sock + 5, 0, &ss);
	} else if (strncmp(sock, "inet6:", 6) == 0) {
		len = knock_addr(sock + 6, 1, &ss);
	}
	if (len == 0)
		return;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	(void)connect(fd, (struct sockaddr *)&ss, len);
	close(fd);
}

/*
 * knocker - wake libmilter's listener after a stop.  It polls its socket
 * for 5 s at a time holding a lock that the stop needs, and sees the
 * stop flag only between polls: a restart would leave the MTA's
 * connections unanswered for up to 5 s.  The flag is set by libmilter's
 * signal thread after sigwait returns, so knock every 10 ms until the
 * process exits (at most 5 s, when the listener would have woken anyway).
 */
static void *
knocker(void *sock)
{
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };

	for (int i = 0; i < 500; i++) {
		knock(sock);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

/* sigwait - libmilter's signal wait, with SIGHUP meaning "reload" and a
 * stop that takes effect at once */
int
sigwait(const sigset_t *set, int *sig)
{
	for (;;) {
		int s = sigwaitinfo(set, NULL);

		if (s < 0 && errno == EINTR)
			continue;
		if (s < 0)
			return errno;
		if (s == SIGHUP) {
			reload();
			/* the keys just decoded left OpenSSL state on this
			 * thread, which would outlive it at exit */
			fg_crypto_thread_done();
			continue;
		}
		if ((s == SIGTERM || s == SIGINT) &&
		    daemon_state.socket != NULL) {
			pthread_t t;

			if (pthread_create(&t, NULL, knocker,
					   daemon_state.socket) == 0)
				(void)pthread_detach(t);
		}
		*sig = s;
		return 0;
	}
}

/* getsym - fg_macros adapter over smfi_getsymval */
static const char *
getsym(void *arg, const char *name)
{
	return smfi_getsymval((SMFICTX *)arg, (char *)name);
}

/* enforce - verdict to sfsistat, with the reply set */
static sfsistat
enforce(SMFICTX *ctx, struct fg_session *s, enum fg_stage st,
	const struct fg_verdict *v)
{
	sfsistat code;

	switch (v->action) {
	case FG_ACT_TEMPFAIL:
		code = SMFIS_TEMPFAIL;
		break;
	case FG_ACT_REJECT:
		code = SMFIS_REJECT;
		break;
	case FG_ACT_DISCARD:
		return SMFIS_DISCARD;
	default:
		return SMFIS_CONTINUE;
	}
	if (v->has_reply &&
	    smfi_setreply(ctx, (char *)v->reply.rcode, (char *)v->reply.xcode,
			  (char *)v->reply.wire) != MI_SUCCESS) {
		struct fg_verdict iv;

		/* the MTA's own reply still refuses: never accept */
		fg_session_internal(s, st, "smfi_setreply failed", &iv);
	}
	return code;
}

/* One milter connection: its session (from the first connect on) and the
 * steps whose reply the MTA agreed not to wait for. */
struct conn {
	struct fg_session *s;
	unsigned long quiet; /* SMFIP_NR_* granted at negotiation */
	int leadspc; /* header values come with their leading space */
	int skip; /* SMFIS_SKIP may answer a body chunk */
};

/* conn_of - the connection's state, or NULL after an allocation failure */
static struct conn *
conn_of(SMFICTX *ctx)
{
	return (struct conn *)smfi_getpriv(ctx);
}

/* session_of - the session, or NULL after an allocation failure */
static struct fg_session *
session_of(SMFICTX *ctx)
{
	struct conn *c = conn_of(ctx);

	return c != NULL ? c->s : NULL;
}

/* quiet - the answer to a step that never refuses: none at all when the
 * MTA agreed not to wait for one (a failure is then answered at the next
 * step that has a reply, where the missing session or the session's
 * remembered failure tempfails) */
static sfsistat
quiet(SMFICTX *ctx, unsigned long nr, sfsistat code)
{
	const struct conn *c = conn_of(ctx);

	return c != NULL && (c->quiet & nr) != 0 ? SMFIS_NOREPLY : code;
}

/* new_session - a session on the daemon's current snapshot; NULL (and
 * logged) without memory */
static struct fg_session *
new_session(void)
{
	struct fg_session *s = NULL;
	struct fg_conf *conf;
	struct fg_log *log;
	struct fg_dns *dns;
	struct fg_signkeys *sk;
	enum fg_err err;

	pthread_mutex_lock(&daemon_state.lock);
	conf = fg_conf_ref(daemon_state.conf);
	log = fg_log_ref(daemon_state.log);
	dns = fg_dns_ref(daemon_state.dns);
	sk = fg_signkeys_ref(daemon_state.signkeys);
	pthread_mutex_unlock(&daemon_state.lock);
	err = fg_session_new(conf, log, &s);
	if (err != FG_OK)
		fg_log_msg(log, FG_LOG_ERR, "cannot create a session: %s",
			   fg_err_str(err));
	else {
		fg_session_set_engines(s, daemon_state.spf, dns);
		fg_session_set_keycache(s, daemon_state.keys);
		fg_session_set_signkeys(s, sk);
	}
	fg_conf_unref(conf);
	fg_log_unref(log);
	fg_dns_free(dns);
	fg_signkeys_unref(sk);
	return err == FG_OK ? s : NULL;
}

/* Connections whose state is alive: a stop waits for them (briefly)
 * before it frees what their sessions use. */
static atomic_int live_conns;

/* new_conn - the connection's state, attached to ctx; NULL without
 * memory (then nothing is granted and every step is answered) */
static struct conn *
new_conn(SMFICTX *ctx)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c != NULL && smfi_setpriv(ctx, c) != MI_SUCCESS) {
		free(c);
		c = NULL;
	}
	if (c != NULL)
		atomic_fetch_add(&live_conns, 1);
	return c;
}

/* wanted_steps - what to switch off and not to answer, given what the
 * MTA offers (f1) and what the session's snapshot needs */
static void
wanted_steps(struct conn *c, unsigned long f1, unsigned long *off,
	     unsigned long *nr, unsigned long *on)
{
	int body = c->s != NULL && fg_session_needs_body(c->s);

	*off = body ? 0 : SMFIP_NOBODY;
	*nr = 0;
	*on = f1 & SMFIP_HDR_LEADSPC;
	/* without our state no step may go unanswered */
	if (c->s != NULL && daemon_state.quiet_ok) {
		*nr = f1 & (SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_HDR |
			    (body ? SMFIP_NR_BODY : 0));
		*off |= SMFIP_NODATA;
	} else if (body) {
		*on |= f1 & SMFIP_SKIP;
	}
}

/* cb_negotiate - the session, its snapshot, the steps and macros */
static sfsistat
cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2,
	     unsigned long f3, unsigned long *pf0, unsigned long *pf1,
	     unsigned long *pf2, unsigned long *pf3)
{
	unsigned long off = SMFIP_NOBODY, nr = 0, on = 0;
	struct conn *c = conn_of(ctx);

	if (c == NULL)
		c = new_conn(ctx);
	if (c != NULL && c->s == NULL)
		c->s = new_session();
	if (c != NULL) {
		wanted_steps(c, f1, &off, &nr, &on);
		c->quiet = nr;
		c->leadspc = (on & SMFIP_HDR_LEADSPC) != 0;
		c->skip = (on & SMFIP_SKIP) != 0;
		if (c->s != NULL)
			fg_session_set_lead_space(c->s, c->leadspc);
	}
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		     SMFIF_SETSYMLIST);
	*pf1 = (f1 & off) | nr | on;
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

/* ip_of - the connect sockaddr as an fg_ip */
static int
ip_of(const struct sockaddr *sa, struct fg_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		ip->family = FG_IP_V4;
		memcpy(ip->a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 1;
	}
	if (sa->sa_family == AF_INET6) {
		ip->family = FG_IP_V6;
		memcpy(ip->a, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		       16);
		fg_ipaddr_normalize(ip);
		return 1;
	}
	return 0;
}

/* cb_connect - a new SMTP client (or XCLIENT reconnect) */
static sfsistat
cb_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct conn *c = conn_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_verdict v;
	struct fg_ip ip;
	char sid[FG_SID_MAX];

	if (c == NULL) {
		/* no negotiation came, or its allocation failed: nothing
		 * was granted, every step is answered */
		c = new_conn(ctx);
		if (c == NULL)
			return SMFIS_TEMPFAIL;
		c->leadspc = 0;
	}
	if (c->s == NULL) {
		c->s = new_session();
		if (c->s == NULL)
			return quiet(ctx, SMFIP_NR_CONN, SMFIS_TEMPFAIL);
		fg_session_set_lead_space(c->s, c->leadspc);
	}
	(void)snprintf(sid, sizeof(sid), "%08x",
		       atomic_fetch_add(&daemon_state.sid_next, 1) *
				       2654435761u ^
			       daemon_state.sid_salt);
	fg_session_connect(c->s, sid, hostname ? hostname : "",
			   ip_of(hostaddr, &ip) ? &ip : NULL, &m, &v);
	return quiet(ctx, SMFIP_NR_CONN,
		     enforce(ctx, c->s, FG_STAGE_CONNECT, &v));
}

/* cb_helo - HELO/EHLO */
static sfsistat
cb_helo(SMFICTX *ctx, char *helo)
{
	struct fg_session *s = session_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_verdict v;

	if (s == NULL)
		return quiet(ctx, SMFIP_NR_HELO, SMFIS_TEMPFAIL);
	fg_session_helo(s, helo ? helo : "", &m, &v);
	return quiet(ctx, SMFIP_NR_HELO, enforce(ctx, s, FG_STAGE_HELO, &v));
}

/* cb_envfrom - MAIL FROM */
static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	struct fg_session *s = session_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_verdict v;
	static const char *const empty[] = { "", NULL };

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	fg_session_mail(s, argv ? (const char *const *)argv : empty, &m, &v);
	return enforce(ctx, s, FG_STAGE_MAIL, &v);
}

/* cb_envrcpt - RCPT TO */
static sfsistat
cb_envrcpt(SMFICTX *ctx, char **argv)
{
	struct fg_session *s = session_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_verdict v;
	static const char *const empty[] = { "", NULL };

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	fg_session_rcpt(s, argv ? (const char *const *)argv : empty, &m, &v);
	return enforce(ctx, s, FG_STAGE_RCPT, &v);
}

/* cb_data - DATA (answered on inet: sockets: see the Nagle note above) */
static sfsistat
cb_data(SMFICTX *ctx)
{
	struct fg_session *s = session_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_verdict v;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	fg_session_data(s, &m, &v);
	return enforce(ctx, s, FG_STAGE_DATA, &v);
}

/* cb_unknown - a command Postfix does not know */
static sfsistat
cb_unknown(SMFICTX *ctx, const char *cmd)
{
	struct fg_session *s = session_of(ctx);
	struct fg_verdict v;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	fg_session_unknown(s, cmd ? cmd : "", &v);
	return enforce(ctx, s, FG_STAGE_UNKNOWN, &v);
}

/* cb_header - one header field */
static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	struct fg_session *s = session_of(ctx);
	struct fg_verdict v;

	if (s == NULL)
		return quiet(ctx, SMFIP_NR_HDR, SMFIS_TEMPFAIL);
	fg_session_header(s, name ? name : "", value ? value : "", &v);
	return quiet(ctx, SMFIP_NR_HDR, enforce(ctx, s, FG_STAGE_HEADER, &v));
}

/* cb_eoh - end of headers */
static sfsistat
cb_eoh(SMFICTX *ctx)
{
	struct fg_session *s = session_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_verdict v;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	fg_session_eoh(s, &m, &v);
	return enforce(ctx, s, FG_STAGE_HEADER, &v);
}

/* cb_body - a body chunk; SMFIS_SKIP once no check wants more, where the
 * MTA agreed to it and answers are sent at all */
static sfsistat
cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	const struct conn *c = conn_of(ctx);
	struct fg_session *s = session_of(ctx);
	struct fg_verdict v;
	int more;

	if (s == NULL)
		return quiet(ctx, SMFIP_NR_BODY, SMFIS_TEMPFAIL);
	more = fg_session_body(s, chunk, len, &v);
	if (v.action >= FG_ACT_TEMPFAIL)
		return quiet(ctx, SMFIP_NR_BODY,
			     enforce(ctx, s, FG_STAGE_EOM, &v));
	return quiet(ctx, SMFIP_NR_BODY,
		     !more && c->skip ? SMFIS_SKIP : SMFIS_CONTINUE);
}

/* insert_top - a field of ours on top of the header, its leading space
 * added when the MTA adds none; 0 when the MTA refused it */
static int
insert_top(SMFICTX *ctx, const struct conn *c, const char *name,
	   const char *value)
{
	size_t n = strlen(value);
	char *sv = malloc(n + 2);
	int ok;

	if (sv == NULL)
		return 0;
	sv[0] = ' ';
	memcpy(sv + 1, value, n + 1);
	ok = smfi_insheader(ctx, 0, (char *)name, c->leadspc ? sv : sv + 1) ==
	     MI_SUCCESS;
	free(sv);
	return ok;
}

/* apply - the end-of-message edits; NULL, or what failed */
static const char *
apply(SMFICTX *ctx, const struct conn *c, const struct fg_eom_ops *ops)
{
	char *value = (char *)ops->authres, spaced[FG_AUTHRES_FIELD_MAX + 1];
	size_t k;

	/* last first, so the 1-based indexes stay valid whichever way
	 * the MTA counts */
	for (k = ops->ndel; k > 0; k--)
		if (smfi_chgheader(ctx, "Authentication-Results",
				   (int)ops->del[k - 1], NULL) != MI_SUCCESS)
			return "smfi_chgheader failed";
	if (c->leadspc) {
		/* the MTA adds no space of its own after the colon */
		spaced[0] = ' ';
		memcpy(spaced + 1, ops->authres, strlen(ops->authres) + 1);
		value = spaced;
	}
	if (ops->add_authres && smfi_insheader(ctx, 0, "Authentication-Results",
					       value) != MI_SUCCESS)
		return "smfi_insheader failed";
	for (k = 0; k < ops->nsign; k++)
		if (!insert_top(ctx, c, "DKIM-Signature", ops->sign[k]))
			return "smfi_insheader failed (DKIM-Signature)";
	/* the ARC set on top, the seal first as read from the top */
	if (ops->arc_as != NULL &&
	    (!insert_top(ctx, c, "ARC-Authentication-Results", ops->arc_aar) ||
	     !insert_top(ctx, c, "ARC-Message-Signature", ops->arc_ams) ||
	     !insert_top(ctx, c, "ARC-Seal", ops->arc_as)))
		return "smfi_insheader failed (ARC set)";
	if (ops->quarantine &&
	    smfi_quarantine(ctx, (char *)ops->quarantine_reason) != MI_SUCCESS)
		return "smfi_quarantine failed";
	return NULL;
}

/* refuses - does a verdict stop the message */
static int
refuses(const struct fg_verdict *v)
{
	return v->action == FG_ACT_TEMPFAIL || v->action == FG_ACT_REJECT ||
	       v->action == FG_ACT_DISCARD;
}

/* cb_eom - end of message: decide, edit, then log what happened */
static sfsistat
cb_eom(SMFICTX *ctx)
{
	const struct conn *c = conn_of(ctx);
	struct fg_session *s = session_of(ctx);
	struct fg_macros m = { getsym, ctx };
	struct fg_eom_ops ops;
	struct fg_verdict v;
	const char *failed = NULL;

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	fg_session_eom(s, &m, &v, &ops);
	if (!refuses(&v))
		failed = apply(ctx, c, &ops);
	fg_session_eom_done(s, failed, &v);
	return enforce(ctx, s, FG_STAGE_EOM, &v);
}

/* cb_abort - RSET, or the transaction failed */
static sfsistat
cb_abort(SMFICTX *ctx)
{
	struct fg_session *s = session_of(ctx);

	if (s != NULL)
		fg_session_abort(s);
	return SMFIS_CONTINUE;
}

/* cb_close - the connection ended (also before any connect) */
static sfsistat
cb_close(SMFICTX *ctx)
{
	struct conn *c = conn_of(ctx);

	if (c != NULL) {
		(void)smfi_setpriv(ctx, NULL);
		if (c->s != NULL)
			fg_session_free(c->s);
		free(c);
		/* the connection's thread ends here: its OpenSSL state too */
		fg_crypto_thread_done();
		atomic_fetch_sub(&live_conns, 1);
	}
	return SMFIS_CONTINUE;
}

static struct smfiDesc desc = {
	.xxfi_name = "forgeguard",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE |
		      SMFIF_SETSYMLIST,
	.xxfi_connect = cb_connect,
	.xxfi_helo = cb_helo,
	.xxfi_envfrom = cb_envfrom,
	.xxfi_envrcpt = cb_envrcpt,
	.xxfi_header = cb_header,
	.xxfi_eoh = cb_eoh,
	.xxfi_body = cb_body,
	.xxfi_eom = cb_eom,
	.xxfi_abort = cb_abort,
	.xxfi_close = cb_close,
	.xxfi_unknown = cb_unknown,
	.xxfi_data = cb_data,
	.xxfi_negotiate = cb_negotiate,
};

/* fix_socket - permissions and owner of a unix: socket */
static int
fix_socket(const struct fg_milter_opts *o)
{
	const char *path = socket_path(o->socket);
	struct passwd *pw;

	if (path == NULL)
		return 0;
	if (chmod(path, o->socket_mode) != 0) {
		fprintf(stderr, "forgeguard: chmod %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (o->user != NULL && o->user[0] != '\0' && geteuid() == 0) {
		pw = getpwnam(o->user);
		if (pw == NULL || chown(path, pw->pw_uid, pw->pw_gid) != 0) {
			fprintf(stderr, "forgeguard: chown %s to %s failed\n",
				path, o->user);
			return -1;
		}
	}
	return 0;
}

/* fg_milter_setup - register with libmilter and open the socket */
int
fg_milter_setup(struct fg_conf *conf, struct fg_log *log, struct fg_dns *dns,
		const struct fg_milter_opts *o)
{
	uint32_t salt = (uint32_t)getpid();

	if (getrandom(&salt, sizeof(salt), GRND_NONBLOCK) != sizeof(salt))
		salt ^= (uint32_t)time(NULL);
	daemon_state.sid_salt = salt;
	daemon_state.conf = fg_conf_ref(conf);
	daemon_state.log = fg_log_ref(log);
	daemon_state.dns = fg_dns_ref(dns);
	if (fg_spf_new(&daemon_state.spf) != FG_OK) {
		fprintf(stderr, "forgeguard: cannot set up libspf2\n");
		return -1;
	}
	if (fg_keycache_new(&daemon_state.keys) != FG_OK) {
		fprintf(stderr, "forgeguard: out of memory\n");
		return -1;
	}
	{
		char estore[4096];
		struct fg_buf err;

		fg_buf_init(&err, estore, sizeof(estore));
		if (fg_signkeys_load(conf, &daemon_state.signkeys, &err) !=
		    FG_OK) {
			fg_log_stderr("forgeguard",
				      err.len ? err.data : "out of memory");
			return -1;
		}
	}
	daemon_state.conf_path = o->conf_path;
	daemon_state.socket = strdup(o->socket);
	daemon_state.foreground = o->foreground;
	daemon_state.quiet_ok = socket_path(o->socket) != NULL;
	if (smfi_register(desc) != MI_SUCCESS) {
		fprintf(stderr, "forgeguard: smfi_register failed\n");
		return -1;
	}
	if (smfi_setconn((char *)o->socket) != MI_SUCCESS) {
		fprintf(stderr, "forgeguard: bad socket %s\n", o->socket);
		return -1;
	}
	(void)smfi_setbacklog(256);
	/* libmilter waits this long for the MTA's next command, instead of
	 * its default of about two hours: longer than Postfix's
	 * smtpd_timeout (300 s), during which a client may stay silent */
	(void)smfi_settimeout(FG_MILTER_TIMEOUT_S);
	if (smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr,
			"forgeguard: cannot listen on %s (in use, or no "
			"permission?)\n",
			o->socket);
		return -1;
	}
	return fix_socket(o);
}

/* How long a stop waits for connections that are ending. */
#define STOP_WAIT_MS 1000

/* fg_milter_run - serve until SIGTERM/SIGINT */
int
fg_milter_run(void)
{
	static const struct timespec tick = { 0, 10 * 1000 * 1000 };
	int r, k;

	fg_log_msg(daemon_state.log, FG_LOG_INFO, "forgeguard %s starting",
		   PACKAGE_VERSION);
	r = smfi_main();
	fg_log_msg(daemon_state.log, FG_LOG_INFO, "forgeguard stopping");
	/* a connection that was ending as the stop came (its close still
	 * running) gets a moment: the resolver, key cache and keys its
	 * session uses are freed below */
	for (k = 0; k < STOP_WAIT_MS / 10 && atomic_load(&live_conns) > 0; k++)
		(void)nanosleep(&tick, NULL);
	if (atomic_load(&live_conns) > 0) {
		/* cut: their threads may still run; the process ends */
		fg_log_msg(daemon_state.log, FG_LOG_WARNING,
			   "%d sessions cut at the stop",
			   atomic_load(&live_conns));
		return r == MI_SUCCESS ? 0 : -1;
	}
	pthread_mutex_lock(&daemon_state.lock);
	fg_conf_unref(daemon_state.conf);
	fg_log_unref(daemon_state.log);
	fg_dns_free(daemon_state.dns);
	daemon_state.conf = NULL;
	daemon_state.log = NULL;
	daemon_state.dns = NULL;
	pthread_mutex_unlock(&daemon_state.lock);
	fg_spf_free(daemon_state.spf);
	fg_keycache_free(daemon_state.keys);
	fg_signkeys_unref(daemon_state.signkeys);
	daemon_state.signkeys = NULL;
	return r == MI_SUCCESS ? 0 : -1;
}
