/*
 * checks.h - the checks of the connect, HELO, MAIL, RCPT and unknown
 * stages
 *
 * Each function looks at facts and appends findings; none decides an
 * action, logs, or keeps state.  The order in which a stage appends its
 * findings is the order of precedence between equally strong verdicts.
 */
#ifndef FG_CHECKS_H
#define FG_CHECKS_H

#include <stddef.h>

#include "forgeguard/addr.h"
#include "forgeguard/bounds.h"
#include "forgeguard/conf.h"
#include "forgeguard/dns.h"
#include "forgeguard/helo.h"
#include "forgeguard/spf.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/message.h"
#include "forgeguard/policy.h"

/* What is known about the client, from the connect arguments and macros. */
struct fg_client {
	int ip_known;
	struct fg_ip ip;
	char addr[FG_IP_TEXT_MAX + 8]; /* text form, "unknown" */
	char name[FG_DOMAIN_MAX + 1]; /* verified name or "unknown" */
	char ptr[FG_DOMAIN_MAX + 1]; /* PTR name, "" if not told */
	char our_host[FG_DOMAIN_MAX + 1]; /* the "j" macro, "" if absent */
	int daemon_ip_known;
	struct fg_ip daemon_ip;
	int trusted_net;
};

/* Facts from one MAIL FROM command. */
struct fg_mail {
	int path_ok; /* the path parsed */
	struct fg_path path;
	struct fg_params params;
	int smtputf8;
	const char *login; /* SASL login or NULL */
};

/* fg_checks_connect - client.trusted, client.fcrdns */
void fg_checks_connect(const struct fg_conf *conf, const struct fg_client *c,
		       struct fg_findings *out);
/* fg_checks_helo - helo.* for the argument p[0..n); its parse lands in h */
void fg_checks_helo(const struct fg_conf *conf, const struct fg_client *c,
		    const char *p, size_t n, struct fg_helo *h,
		    struct fg_findings *out);
/*
 * fg_checks_mail - sender.* for a NULL-terminated MAIL argv; trusted is
 * the client's standing (network or login); facts land in m
 */
void fg_checks_mail(const struct fg_conf *conf, const char *const *argv,
		    int trusted, struct fg_mail *m, struct fg_findings *out);
/*
 * fg_checks_rcpt - rcpt.* for a NULL-terminated RCPT argv; accepted is the
 * number of recipients accepted so far; the parsed path lands in path
 * (is_null set and why non-NULL when it did not parse)
 */
void fg_checks_rcpt(const struct fg_conf *conf, const char *const *argv,
		    int smtputf8, size_t accepted, struct fg_path *path,
		    struct fg_findings *out);
/* fg_checks_unknown - smtp.unknown_command; returns the verb's length */
size_t fg_checks_unknown(const struct fg_conf *conf, const char *cmd,
			 struct fg_findings *out);
/* The SPF engine and resolver a session may use; either may be NULL. */
struct fg_spf_env {
	struct fg_spf *spf;
	struct fg_dns *dns;
};

/*
 * fg_checks_spf - spf.helo (sender NULL) or spf.mailfrom for one
 * identity; value names it in the finding.  Adds nothing when there is
 * no resolver or no client address; the outcome lands in *o.
 */
void fg_checks_spf(const struct fg_conf *conf, const struct fg_spf_env *env,
		   const struct fg_client *c, enum fg_check_id check,
		   const char *helo, const char *sender, const char *value,
		   struct fg_spf_outcome *o, struct fg_findings *out);
/* fg_checks_spf_finding - the finding for an SPF outcome already known */
void
fg_checks_spf_finding(enum fg_check_id check, const struct fg_spf_outcome *o,
		      const char *value, struct fg_findings *out);
/* Facts from the envelope the header checks need. */
struct fg_hdr_facts {
	int trusted; /* trusted network or authenticated */
	const char *spf_pass_domain; /* SPF pass for this domain, or "" */
};

/* fg_checks_header - header.from, header.local_forgery, header.authres
 * and header.limits for a message's gathered header facts */
void fg_checks_header(const struct fg_conf *conf, const struct fg_message *m,
		      const struct fg_hdr_facts *h, struct fg_findings *out);
/* fg_checks_is_our_ip - one of local_addresses, or Postfix's own */
int fg_checks_is_our_ip(const struct fg_conf *conf, const struct fg_client *c,
			const struct fg_ip *ip);
/*
 * fg_checks_is_our_name - our host name ("j"), one of local_hosts, or
 * (domains set) a name at or below one of local_domains
 */
int fg_checks_is_our_name(const struct fg_conf *conf, const struct fg_client *c,
			  const char *p, size_t n, int domains);
/* fg_checks_is_local_postmaster - postmaster of one of our domains */
int fg_checks_is_local_postmaster(const struct fg_conf *conf,
				  const struct fg_client *c,
				  const struct fg_path *path);

#endif
