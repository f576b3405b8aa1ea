/*
 * NAME
 *	checks - what several checks share: our own names and addresses,
 *	alignment, the client facts
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	"Ours" is the host name Postfix reports ("j"), local_hosts,
 *	local_domains (for names), and local_addresses or the address
 *	Postfix accepted the connection on (for addresses).  The client
 *	facts come from the connect arguments and Postfix's macros, any of
 *	which may be missing.
 * STANDARDS
 *	RFC 5321 4.5.1 (postmaster).
 * DIAGNOSTICS
 *	None.
 */
#include <string.h>

#include "forgeguard/checks.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"

/* fg_checks_client - the client facts from the connect arguments */
void
fg_checks_client(const struct fg_conf *conf, const char *hostname,
		 const struct fg_ip *ip, const char *addr, const char *name,
		 const char *ptr, const char *j, const char *daemon_addr,
		 struct fg_client *c)
{
	struct fg_buf b;

	memset(c, 0, sizeof(*c));
	if (addr != NULL &&
	    fg_ipaddr_parse(addr, strnlen(addr, 64), &c->ip) == FG_OK)
		c->ip_known = 1;
	else if (ip != NULL && ip->family != FG_IP_NONE) {
		c->ip = *ip;
		c->ip_known = 1;
	}
	fg_buf_init(&b, c->addr, sizeof(c->addr));
	if (c->ip_known) {
		fg_ipaddr_normalize(&c->ip);
		fg_ipaddr_format(&c->ip, &b);
	} else {
		(void)fg_buf_puts(&b, "unknown");
	}
	/* libmilter passes "[addr]" when the name is not verified */
	if (name == NULL)
		name = hostname != NULL && hostname[0] != '[' ? hostname
							      : "unknown";
	fg_str_copy_cut(c->name, sizeof(c->name), name[0] ? name : "unknown");
	fg_str_copy_cut(c->ptr, sizeof(c->ptr), ptr != NULL ? ptr : "");
	fg_str_copy_cut(c->our_host, sizeof(c->our_host), j != NULL ? j : "");
	if (daemon_addr != NULL &&
	    fg_ipaddr_parse(daemon_addr, strnlen(daemon_addr, 64),
			    &c->daemon_ip) == FG_OK)
		c->daemon_ip_known = 1;
	c->trusted_net =
		c->ip_known && fg_conf_net_in(&conf->trusted_networks, &c->ip);
}

/* fg_checks_is_our_ip - local_addresses or the address Postfix uses */
int
fg_checks_is_our_ip(const struct fg_conf *conf, const struct fg_client *c,
		    const struct fg_ip *ip)
{
	if (c->daemon_ip_known && fg_ipaddr_equal(ip, &c->daemon_ip) &&
	    !fg_ipaddr_is_special(ip))
		return 1;
	return fg_conf_net_in(&conf->local_addresses, ip);
}

/* fg_checks_is_our_name - our host name, local_hosts, local_domains */
int
fg_checks_is_our_name(const struct fg_conf *conf, const struct fg_client *c,
		      const char *p, size_t n, int domains)
{
	char canon[FG_DOMAIN_MAX + 1];

	if (fg_domain_canon(p, n, canon, sizeof(canon)) != FG_OK)
		return 0;
	if (c->our_host[0] != '\0' &&
	    fg_str_caseeqz(canon, strlen(canon), c->our_host) &&
	    strchr(c->our_host, '.') != NULL)
		return 1;
	return fg_conf_name_in(&conf->local_hosts, canon, strlen(canon), 0) ||
	       (domains &&
		fg_conf_name_in(&conf->local_domains, canon, strlen(canon), 1));
}

/* fg_checks_is_local_postmaster - postmaster of one of our domains */
int
fg_checks_is_local_postmaster(const struct fg_conf *conf,
			      const struct fg_client *c,
			      const struct fg_path *path)
{
	const char *dom;

	if (!fg_addr_is_postmaster(path))
		return 0;
	if (path->postmaster_bare)
		return 1;
	dom = fg_addr_domain(path);
	return fg_conf_name_in(&conf->local_domains, dom, strlen(dom), 1) ||
	       fg_conf_name_in(&conf->local_hosts, dom, strlen(dom), 0) ||
	       (c->our_host[0] != '\0' &&
		fg_str_caseeqz(dom, strlen(dom), c->our_host));
}

/* fg_checks_aligned - are two domains the same or one below the other
 * (relaxed alignment without a public suffix list: never across a
 * single-label suffix) */
int
fg_checks_aligned(const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);

	if (an == 0 || bn == 0)
		return 0;
	if (fg_str_caseeq(a, an, b, bn))
		return 1;
	if (an > bn)
		return a[an - bn - 1] == '.' &&
		       fg_str_caseeq(a + an - bn, bn, b, bn) &&
		       strchr(b, '.') != NULL;
	return b[bn - an - 1] == '.' && fg_str_caseeq(b + bn - an, an, a, an) &&
	       strchr(a, '.') != NULL;
}

/* fg_checks_syntax_start - a command argument, good until a problem */
void
fg_checks_syntax_start(struct fg_cmd_syntax *x, const char *arg, size_t n)
{
	memset(x, 0, sizeof(*x));
	x->arg = arg;
	x->arg_len = n;
	x->ok = 1;
}

/* fg_checks_syntax_problem - the first problem of a command */
void
fg_checks_syntax_problem(struct fg_cmd_syntax *x, const char *why, size_t pos,
			 const char *bad, size_t n)
{
	if (!x->ok)
		return;
	x->ok = 0;
	x->why = why;
	x->errpos = pos;
	x->bad = bad;
	x->bad_len = n;
}

/* fg_checks_syntax_report - pass with the argument, or the problem */
void
fg_checks_syntax_report(const struct fg_check_ctx *c, struct fg_findings *out,
			const struct fg_cmd_syntax *x)
{
	if (x->ok)
		fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, x->arg,
			     x->arg_len);
	else
		fg_check_add(c, out, FG_R_INVALID, x->why, x->errpos, x->bad,
			     x->bad_len);
}

/* fg_checks_unknown_verb - the verb's length in an unknown command */
size_t
fg_checks_unknown_verb(const char *cmd)
{
	size_t n = 0;

	while (cmd[n] != '\0' && cmd[n] != ' ' && n < FG_VERB_MAX)
		n++;
	return n;
}
