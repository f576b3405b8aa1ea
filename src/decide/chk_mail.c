/*
 * NAME
 *	chk_mail - MAIL FROM: the facts, and sender.size, sender.syntax,
 *	sender.auth_mismatch, sender.local_forgery
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	fg_checks_mail_facts parses the reverse-path and the ESMTP
 *	parameters once and records the first problem; sender.syntax
 *	reports it, and the identity checks only look at a sender whose
 *	syntax is good.  Syntax and size are checked for every client;
 *	the identity checks skip trusted networks (local_forgery) and use
 *	sender_login_map for authenticated clients (auth_mismatch).
 * STANDARDS
 *	RFC 5321 4.1.1.3 (<Postmaster> is a forward-path only), 4.1.2
 *	(paths and parameters); RFC 1870 (SIZE); RFC 6531 (SMTPUTF8).
 * DIAGNOSTICS
 *	Each problem has a reason and, where it has one, a byte offset.
 */
#include <string.h>

#include "forgeguard/checks.h"
#include "forgeguard/str.h"

#define MAIL_ARGS_MAX (FG_PARAMS_MAX + 8)

/* size_param - SIZE=, when given: valid, or a syntax problem */
static int
size_param(struct fg_mail *m)
{
	const struct fg_param *size = fg_addr_param_find(&m->params, "SIZE");

	if (size == NULL)
		return 1;
	if (size->value.n == 0 ||
	    fg_str_parse_u64(size->value.p, size->value.n, UINT64_MAX,
			     &m->size) != FG_OK) {
		fg_checks_syntax_problem(
			&m->syntax, "malformed SIZE parameter (RFC 1870)",
			FG_NOPOS, size->key.p, size->key.n + 1 + size->value.n);
		return 0;
	}
	m->has_size = 1;
	m->size_text = size->value.p;
	m->size_len = size->value.n;
	return 1;
}

/* params - argv[1..]: each parameter, then SMTPUTF8 and SIZE */
static int
params(const char *const *argv, struct fg_mail *m)
{
	size_t k;

	for (k = 1; argv[k] != NULL && k < MAIL_ARGS_MAX; k++) {
		size_t n = strnlen(argv[k], FG_CMDLINE_MAX + 1);

		if (fg_addr_parse_param(argv[k], n, &m->params) != FG_OK) {
			fg_checks_syntax_problem(&m->syntax, m->params.why,
						 m->params.errpos, argv[k], n);
			return 0;
		}
	}
	m->smtputf8 = fg_addr_param_find(&m->params, "SMTPUTF8") != NULL;
	return size_param(m);
}

/* fg_checks_mail_facts - parse a NULL-terminated MAIL argv */
void
fg_checks_mail_facts(const char *const *argv, const char *login,
		     struct fg_mail *m)
{
	const char *a = argv[0] != NULL ? argv[0] : "";
	size_t n = strnlen(a, FG_CMDLINE_MAX + 1);

	memset(m, 0, sizeof(*m));
	fg_checks_syntax_start(&m->syntax, a, n);
	m->login = login;
	if (fg_addr_parse_path(a, n, FG_ADDR_BARE, &m->path) != FG_OK) {
		fg_checks_syntax_problem(&m->syntax, m->path.why,
					 m->path.errpos, a, n);
		return;
	}
	if (m->path.postmaster_bare) {
		fg_checks_syntax_problem(
			&m->syntax,
			"<Postmaster> without a domain is only a recipient",
			FG_NOPOS, a, n);
		return;
	}
	m->path_ok = 1;
	if (!params(argv, m))
		return;
	if (m->path.has_8bit && !m->smtputf8)
		fg_checks_syntax_problem(&m->syntax,
					 "8-bit address without SMTPUTF8",
					 FG_NOPOS, a, n);
}

/* fg_chk_sender_size - SIZE= within max_message_size */
void
fg_chk_sender_size(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_mail *m = &c->txn->mail;
	uint64_t max = c->conf->max_message_size;

	if (!m->has_size || max == 0)
		return;
	fg_check_add(c, out, m->size > max ? FG_R_FAIL : FG_R_PASS,
		     m->size > max ? "above max_message_size" : NULL, FG_NOPOS,
		     m->size_text, m->size_len);
}

/* fg_chk_sender_syntax - the reverse-path and its parameters */
void
fg_chk_sender_syntax(struct fg_check_ctx *c, struct fg_findings *out)
{
	fg_checks_syntax_report(c, out, &c->txn->mail.syntax);
}

/* identity - the sender an identity check judges, NULL if none */
static const struct fg_mail *
identity(const struct fg_check_ctx *c)
{
	const struct fg_mail *m = &c->txn->mail;

	return m->syntax.ok && !m->path.is_null ? m : NULL;
}

/* fg_chk_sender_auth_mismatch - the login may send as this sender */
void
fg_chk_sender_auth_mismatch(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_mail *m = identity(c);
	int owns;

	if (m == NULL || m->login == NULL || c->conf->login_map.n == 0)
		return;
	owns = fg_conf_login_owns(c->conf, m->login, m->path.addr);
	fg_check_add(c, out, owns == 1 ? FG_R_PASS : FG_R_MISMATCH,
		     owns == 1   ? NULL
		     : owns == 0 ? "address not listed for this login"
				 : "login not in sender_login_map",
		     FG_NOPOS, m->path.addr, strlen(m->path.addr));
}

/* fg_chk_sender_local_forgery - our domain from an outsider */
void
fg_chk_sender_local_forgery(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_mail *m = identity(c);
	const char *dom, *v;

	if (m == NULL || m->login != NULL || c->conn->client.trusted_net ||
	    c->conf->local_domains.n == 0 || m->path.domain_literal)
		return;
	dom = fg_addr_domain(&m->path);
	v = m->path.addr;
	if (fg_conf_name_in(&c->conf->local_domains, dom, strlen(dom), 1))
		fg_check_add(c, out, FG_R_FORGED,
			     "local domain from an unauthenticated client",
			     FG_NOPOS, v, strlen(v));
	else
		fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, v, strlen(v));
}
