/*
 * NAME
 *	checks - connect, HELO, MAIL, RCPT and unknown-command checks
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	Turns parsed facts into findings.  Trusted clients (trusted_networks)
 *	skip the forgery checks; syntax, size and limit checks run for
 *	everybody.  Findings carry the offending client value so that the
 *	reply and the log line can name it.
 * STANDARDS
 *	RFC 5321 4.1.1.1 (HELO), 4.1.2 (paths and parameters), 4.1.4 (the
 *	HELO name is the client's FQDN or address literal), 4.5.1
 *	(postmaster), 4.5.3.1.8 (recipients); RFC 1870 (SIZE); RFC 6531
 *	(SMTPUTF8); RFC 8601 2.7.3 (iprev).
 * DIAGNOSTICS
 *	Each failing finding has a reason and, for syntax, a byte offset.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/checks.h"
#include "forgeguard/domain.h"
#include "forgeguard/helo.h"
#include "forgeguard/str.h"

#define MAIL_ARGS_MAX (FG_PARAMS_MAX + 8)

/* known - is a macro value present and not Postfix's "unknown" */
static int
known(const char *s)
{
	return s[0] != '\0' && strcmp(s, "unknown") != 0;
}

/* fg_checks_connect - client.trusted, client.fcrdns */
void
fg_checks_connect(const struct fg_conf *conf, const struct fg_client *c,
		  struct fg_findings *out)
{
	if (c->trusted_net) {
		fg_findings_add(out, FG_CHK_CLIENT_TRUSTED, FG_R_PASS,
				"trusted_networks", FG_NOPOS, c->addr,
				strlen(c->addr));
		return;
	}
	if (known(c->name))
		fg_findings_add(out, FG_CHK_CLIENT_FCRDNS, FG_R_PASS, NULL,
				FG_NOPOS, c->name, strlen(c->name));
	else if (known(c->ptr))
		fg_findings_add(out, FG_CHK_CLIENT_FCRDNS, FG_R_FAIL,
				"PTR name does not resolve back to the address",
				FG_NOPOS, c->addr, strlen(c->addr));
	else
		fg_findings_add(out, FG_CHK_CLIENT_FCRDNS, FG_R_NONE,
				"no PTR record", FG_NOPOS, c->addr,
				strlen(c->addr));
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

/* helo_impersonation - does the HELO claim to be us */
static void
helo_impersonation(const struct fg_conf *conf, const struct fg_client *c,
		   const struct fg_helo *h, const char *p, size_t n,
		   struct fg_findings *out)
{
	int forged = 0;

	if (h->kind == FG_HELO_HOSTNAME)
		forged = fg_checks_is_our_name(conf, c, p, n, 1);
	else if (h->kind == FG_HELO_LITERAL || h->kind == FG_HELO_BARE_IP)
		forged = fg_checks_is_our_ip(conf, c, &h->ip) &&
			 !(c->ip_known && fg_ipaddr_equal(&h->ip, &c->ip));
	else
		return;
	fg_findings_add(out, FG_CHK_HELO_IMPERSONATION,
			forged ? FG_R_FORGED : FG_R_PASS,
			forged ? "names this server" : NULL, FG_NOPOS, p, n);
}

/* fg_checks_helo - helo.* for the argument p[0..n) */
void
fg_checks_helo(const struct fg_conf *conf, const struct fg_client *c,
	       const char *p, size_t n, struct fg_helo *hp,
	       struct fg_findings *out)
{
	const struct fg_helo h = (fg_helo_parse(p, n, hp), *hp);

	if (c->trusted_net)
		return;
	helo_impersonation(conf, c, &h, p, n, out);
	switch (h.kind) {
	case FG_HELO_INVALID:
	case FG_HELO_EMPTY:
		fg_findings_add(out, FG_CHK_HELO_SYNTAX, FG_R_INVALID, h.why,
				h.kind == FG_HELO_EMPTY ? FG_NOPOS : h.errpos,
				p, n);
		return;
	case FG_HELO_BARE_IP:
		fg_findings_add(out, FG_CHK_HELO_SYNTAX, FG_R_PASS, NULL,
				FG_NOPOS, p, n);
		fg_findings_add(out, FG_CHK_HELO_BARE_IP, FG_R_INVALID,
				"address without brackets", FG_NOPOS, p, n);
		return;
	case FG_HELO_LITERAL:
		fg_findings_add(out, FG_CHK_HELO_SYNTAX, FG_R_PASS, NULL,
				FG_NOPOS, p, n);
		if (c->ip_known && !fg_ipaddr_equal(&h.ip, &c->ip))
			fg_findings_add(out, FG_CHK_HELO_LITERAL_MISMATCH,
					FG_R_MISMATCH, "not the client address",
					FG_NOPOS, p, n);
		else
			fg_findings_add(out, FG_CHK_HELO_LITERAL_MISMATCH,
					FG_R_PASS, NULL, FG_NOPOS, p, n);
		return;
	case FG_HELO_HOSTNAME:
		fg_findings_add(out, FG_CHK_HELO_SYNTAX, FG_R_PASS, NULL,
				FG_NOPOS, p, n);
		fg_findings_add(out, FG_CHK_HELO_NOT_FQDN,
				h.labels < 2 ? FG_R_INVALID : FG_R_PASS,
				h.labels < 2 ? "single-label name" : NULL,
				FG_NOPOS, p, n);
		return;
	}
}

/* mail_params - parse argv[1..]; SMTPUTF8 and SIZE facts */
static int
mail_params(const struct fg_conf *conf, const char *const *argv,
	    struct fg_mail *m, struct fg_findings *out)
{
	const struct fg_param *size;
	size_t k;
	uint64_t v;

	for (k = 1; argv[k] != NULL && k < MAIL_ARGS_MAX; k++) {
		size_t n = strnlen(argv[k], FG_CMDLINE_MAX + 1);

		if (fg_addr_parse_param(argv[k], n, &m->params) != FG_OK) {
			fg_findings_add(out, FG_CHK_SENDER_SYNTAX, FG_R_INVALID,
					m->params.why, m->params.errpos,
					argv[k], n);
			return 0;
		}
	}
	m->smtputf8 = fg_addr_param_find(&m->params, "SMTPUTF8") != NULL;
	size = fg_addr_param_find(&m->params, "SIZE");
	if (size == NULL)
		return 1;
	if (size->value.n == 0 || fg_str_parse_u64(size->value.p, size->value.n,
						   UINT64_MAX, &v) != FG_OK) {
		fg_findings_add(out, FG_CHK_SENDER_SYNTAX, FG_R_INVALID,
				"malformed SIZE parameter (RFC 1870)", FG_NOPOS,
				size->key.p, size->key.n + 1 + size->value.n);
		return 0;
	}
	if (conf->max_message_size > 0)
		fg_findings_add(
			out, FG_CHK_SENDER_SIZE,
			v > conf->max_message_size ? FG_R_FAIL : FG_R_PASS,
			v > conf->max_message_size ? "above max_message_size"
						   : NULL,
			FG_NOPOS, size->value.p, size->value.n);
	return 1;
}

/* mail_identity - sender.auth_mismatch and sender.local_forgery */
static void
mail_identity(const struct fg_conf *conf, int trusted, struct fg_mail *m,
	      struct fg_findings *out)
{
	const char *dom = fg_addr_domain(&m->path);
	const char *v = m->path.addr;
	int owns;

	if (m->path.is_null)
		return;
	if (m->login != NULL) {
		if (conf->login_map.n == 0)
			return;
		owns = fg_conf_login_owns(conf, m->login, v);
		fg_findings_add(out, FG_CHK_SENDER_AUTH_MISMATCH,
				owns == 1 ? FG_R_PASS : FG_R_MISMATCH,
				owns == 1 ? NULL
				: owns == 0
					? "address not listed for this login"
					: "login not in sender_login_map",
				FG_NOPOS, v, strlen(v));
		return;
	}
	if (trusted || conf->local_domains.n == 0 || m->path.domain_literal)
		return;
	if (fg_conf_name_in(&conf->local_domains, dom, strlen(dom), 1))
		fg_findings_add(out, FG_CHK_SENDER_LOCAL_FORGERY, FG_R_FORGED,
				"local domain from an unauthenticated client",
				FG_NOPOS, v, strlen(v));
	else
		fg_findings_add(out, FG_CHK_SENDER_LOCAL_FORGERY, FG_R_PASS,
				NULL, FG_NOPOS, v, strlen(v));
}

/* fg_checks_mail - sender.* for a NULL-terminated MAIL argv */
void
fg_checks_mail(const struct fg_conf *conf, const char *const *argv, int trusted,
	       struct fg_mail *m, struct fg_findings *out)
{
	const char *a = argv[0] != NULL ? argv[0] : "";
	size_t n = strnlen(a, FG_CMDLINE_MAX + 1);

	if (fg_addr_parse_path(a, n, FG_ADDR_BARE, &m->path) != FG_OK) {
		fg_findings_add(out, FG_CHK_SENDER_SYNTAX, FG_R_INVALID,
				m->path.why, m->path.errpos, a, n);
		return;
	}
	if (m->path.postmaster_bare) {
		/* RFC 5321 4.1.1.3: "<Postmaster>" is a forward-path only */
		fg_findings_add(out, FG_CHK_SENDER_SYNTAX, FG_R_INVALID,
				"<Postmaster> without a domain is only a "
				"recipient",
				FG_NOPOS, a, n);
		return;
	}
	m->path_ok = 1;
	if (!mail_params(conf, argv, m, out))
		return;
	if (m->path.has_8bit && !m->smtputf8) {
		fg_findings_add(out, FG_CHK_SENDER_SYNTAX, FG_R_INVALID,
				"8-bit address without SMTPUTF8", FG_NOPOS, a,
				n);
		return;
	}
	fg_findings_add(out, FG_CHK_SENDER_SYNTAX, FG_R_PASS, NULL, FG_NOPOS, a,
			n);
	mail_identity(conf, trusted, m, out);
}

/* fg_checks_rcpt - rcpt.* for a NULL-terminated RCPT argv */
void
fg_checks_rcpt(const struct fg_conf *conf, const char *const *argv,
	       int smtputf8, size_t accepted, struct fg_path *path,
	       struct fg_findings *out)
{
	const char *a = argv[0] != NULL ? argv[0] : "";
	size_t n = strnlen(a, FG_CMDLINE_MAX + 1), k;
	struct fg_params ps;
	char num[24];

	memset(&ps, 0, sizeof(ps));
	if (fg_addr_parse_path(a, n, FG_ADDR_BARE, path) != FG_OK) {
		fg_findings_add(out, FG_CHK_RCPT_SYNTAX, FG_R_INVALID,
				path->why, path->errpos, a, n);
		return;
	}
	if (path->is_null) {
		path->why = "null recipient";
		fg_findings_add(out, FG_CHK_RCPT_SYNTAX, FG_R_INVALID,
				path->why, FG_NOPOS, a, n);
		return;
	}
	for (k = 1; argv[k] != NULL && k < MAIL_ARGS_MAX; k++) {
		size_t pn = strnlen(argv[k], FG_CMDLINE_MAX + 1);

		if (fg_addr_parse_param(argv[k], pn, &ps) != FG_OK) {
			fg_findings_add(out, FG_CHK_RCPT_SYNTAX, FG_R_INVALID,
					ps.why, ps.errpos, argv[k], pn);
			return;
		}
	}
	if (path->has_8bit && !smtputf8) {
		fg_findings_add(out, FG_CHK_RCPT_SYNTAX, FG_R_INVALID,
				"8-bit address without SMTPUTF8", FG_NOPOS, a,
				n);
		return;
	}
	fg_findings_add(out, FG_CHK_RCPT_SYNTAX, FG_R_PASS, NULL, FG_NOPOS, a,
			n);
	if (conf->max_recipients == 0 || accepted < conf->max_recipients)
		return;
	k = (size_t)snprintf(num, sizeof(num), "%llu",
			     (unsigned long long)conf->max_recipients);
	fg_findings_add(out, FG_CHK_RCPT_LIMIT, FG_R_FAIL,
			"above max_recipients", FG_NOPOS, num, k);
}

/* fg_checks_unknown - smtp.unknown_command; returns the verb's length */
size_t
fg_checks_unknown(const struct fg_conf *conf, const char *cmd,
		  struct fg_findings *out)
{
	size_t n = 0;

	while (cmd[n] != '\0' && cmd[n] != ' ' && n < FG_VERB_MAX)
		n++;
	fg_findings_add(out, FG_CHK_SMTP_UNKNOWN_COMMAND, FG_R_INVALID,
			"unknown SMTP command", FG_NOPOS, cmd, n);
	return n;
}

/* spf_to_result - the SPF result word as a finding result */
static enum fg_result
spf_to_result(enum fg_spf_result r)
{
	switch (r) {
	case FG_SPF_R_PASS:
		return FG_R_PASS;
	case FG_SPF_R_FAIL:
		return FG_R_FAIL;
	case FG_SPF_R_SOFTFAIL:
		return FG_R_SOFTFAIL;
	case FG_SPF_R_NEUTRAL:
		return FG_R_NEUTRAL;
	case FG_SPF_R_NONE:
		return FG_R_NONE;
	case FG_SPF_R_TEMPERROR:
		return FG_R_TEMPERROR;
	case FG_SPF_R_PERMERROR:
		return FG_R_PERMERROR;
	}
	return FG_R_TEMPERROR;
}

/* fg_checks_spf - spf.helo or spf.mailfrom for one identity */
void
fg_checks_spf(const struct fg_conf *conf, const struct fg_spf_env *env,
	      const struct fg_client *c, enum fg_check_id check,
	      const char *helo, const char *sender, const char *value,
	      struct fg_spf_outcome *o, struct fg_findings *out)
{
	if (env == NULL || env->dns == NULL || !c->ip_known)
		return;
	if (conf->spf_engine == FG_SPF_LIBSPF2 && env->spf != NULL)
		fg_spf_check(env->spf, env->dns, &c->ip, helo, sender,
			     conf->dns_timeout_ms, o);
	else
		fg_spf_check_native(env->dns, &c->ip, helo, sender,
				    conf->dns_timeout_ms, o);
	fg_checks_spf_finding(check, o, value, out);
}

/* fg_checks_spf_finding - the finding for an SPF outcome already known */
void
fg_checks_spf_finding(enum fg_check_id check, const struct fg_spf_outcome *o,
		      const char *value, struct fg_findings *out)
{
	fg_findings_add(out, check, spf_to_result(o->result), o->why, FG_NOPOS,
			value, strlen(value));
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

/* aligned - are two domains the same or one below the other (relaxed
 * alignment without a public suffix list: never across a suffix) */
static int
aligned(const char *a, const char *b)
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

/* dkim_claims - a DKIM-Signature whose d= aligns with domain d */
static int
dkim_claims(const struct fg_message *m, const char *d)
{
	size_t k;

	for (k = 0; k < m->ndkim_d; k++)
		if (aligned(m->dkim_d[k], d))
			return 1;
	return 0;
}

/* header_from - header.from: one From:, parsed, one author or Sender: */
static void
header_from(const struct fg_message *m, struct fg_findings *out)
{
	char v[64];
	int len;

	if (m->nfrom == 0) {
		fg_findings_add(out, FG_CHK_HEADER_FROM, FG_R_NONE,
				"no From: field", FG_NOPOS, "", 0);
	} else if (m->nfrom > 1) {
		len = snprintf(v, sizeof(v), "%zu From: fields", m->nfrom);
		fg_findings_add(out, FG_CHK_HEADER_FROM, FG_R_INVALID,
				"more than one From: field", FG_NOPOS, v,
				(size_t)len);
	} else if (!m->from_ok) {
		fg_findings_add(out, FG_CHK_HEADER_FROM, FG_R_INVALID,
				m->from.why, m->from.errpos, m->from_raw,
				m->from_raw_len);
	} else if (m->from.count > 1 && m->nsender == 0) {
		fg_findings_add(out, FG_CHK_HEADER_FROM, FG_R_INVALID,
				"several authors and no Sender: field",
				FG_NOPOS, m->from_raw, m->from_raw_len);
	} else {
		fg_findings_add(out, FG_CHK_HEADER_FROM, FG_R_PASS, NULL,
				FG_NOPOS, "", 0);
	}
}

/* fg_checks_header - header.* at end of headers */
void
fg_checks_header(const struct fg_conf *conf, const struct fg_message *m,
		 const struct fg_hdr_facts *h, struct fg_findings *out)
{
	size_t k;
	char v[96];
	int len;

	header_from(m, out);
	for (k = 0; m->from_ok && k < m->from.n; k++) {
		const char *d = fg_from_domain(&m->from, k);

		if (!fg_conf_name_in(&conf->local_domains, d, strlen(d), 1))
			continue;
		if (h->trusted || aligned(d, h->spf_pass_domain))
			break;
		/* until DKIM is verified, a signature that claims the From:
		 * domain keeps the mail from being refused (mail our domain
		 * sends through a signing provider); it is still logged */
		fg_findings_add(
			out, FG_CHK_HEADER_LOCAL_FORGERY,
			dkim_claims(m, d) ? FG_R_NEUTRAL : FG_R_FORGED,
			dkim_claims(m, d)
				? "a local domain in From: from outside, "
				  "with an aligned DKIM-Signature not yet "
				  "verified"
				: "a local domain in From: from outside",
			FG_NOPOS, fg_from_addr(&m->from, k),
			strlen(fg_from_addr(&m->from, k)));
		break;
	}
	if (m->ndel > 0) {
		len = snprintf(v, sizeof(v), "%zu field%s for %s", m->ndel,
			       m->ndel > 1 ? "s" : "", m->forged_id);
		fg_findings_add(
			out, FG_CHK_HEADER_AUTHRES, FG_R_FORGED,
			"forged Authentication-Results removed", FG_NOPOS, v,
			(size_t)len < sizeof(v) ? (size_t)len : sizeof(v) - 1);
	}
	if (m->over_fields || m->over_size || m->over_total) {
		len = snprintf(v, sizeof(v),
			       "%zu fields, %zu bytes; %zu fields not examined",
			       m->nfields, m->bytes,
			       m->over_fields + m->over_total);
		if (len < 0)
			len = 0;
		fg_findings_add(out, FG_CHK_HEADER_LIMITS, FG_R_INVALID,
				m->over_size ? "a field longer than examined"
					     : "more header than examined",
				FG_NOPOS, v,
				(size_t)len < sizeof(v) ? (size_t)len
							: sizeof(v) - 1);
	}
}
