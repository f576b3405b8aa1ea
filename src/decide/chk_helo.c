/*
 * NAME
 *	chk_helo - the HELO checks: impersonation, syntax, bare_ip,
 *	literal_mismatch, not_fqdn
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	The argument is parsed once (fg_checks_helo_facts); each check
 *	reads the parse.  Clients in trusted_networks are not judged.
 * STANDARDS
 *	RFC 5321 4.1.1.1 (HELO), 4.1.3 (address literals), 4.1.4 (the HELO
 *	name is the client's FQDN or an address literal).
 * DIAGNOSTICS
 *	None.
 */
#include <string.h>

#include "forgeguard/checks.h"

/* fg_checks_helo_facts - remember and parse a HELO argument */
void
fg_checks_helo_facts(struct fg_conn_facts *f, const char *helo)
{
	f->helo_len = strnlen(helo, FG_HELO_MAX + 1);
	memcpy(f->helo, helo, f->helo_len);
	f->helo[f->helo_len] = '\0';
	f->has_helo = 1;
	f->helo_spf_done = 0; /* a second HELO is a new identity */
	fg_helo_parse(f->helo, f->helo_len, &f->helo_parse);
}

/* judged - a HELO from a client whose HELO is judged */
static const struct fg_helo *
judged(const struct fg_check_ctx *c)
{
	return c->conn->client.trusted_net ? NULL : &c->conn->helo_parse;
}

/* add - a finding whose value is the HELO argument */
static void
add(const struct fg_check_ctx *c, struct fg_findings *out, enum fg_result r,
    const char *reason, size_t pos)
{
	fg_check_add(c, out, r, reason, pos, c->conn->helo, c->conn->helo_len);
}

/* fg_chk_helo_impersonation - does the HELO claim to be us */
void
fg_chk_helo_impersonation(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_helo *h = judged(c);
	const struct fg_client *cl = &c->conn->client;
	int forged;

	if (h == NULL)
		return;
	if (h->kind == FG_HELO_HOSTNAME)
		forged = fg_checks_is_our_name(c->conf, cl, c->conn->helo,
					       c->conn->helo_len, 1);
	else if (h->kind == FG_HELO_LITERAL || h->kind == FG_HELO_BARE_IP)
		forged = fg_checks_is_our_ip(c->conf, cl, &h->ip) &&
			 !(cl->ip_known && fg_ipaddr_equal(&h->ip, &cl->ip));
	else
		return;
	add(c, out, forged ? FG_R_FORGED : FG_R_PASS,
	    forged ? "names this server" : NULL, FG_NOPOS);
}

/* fg_chk_helo_syntax - a host name or an address literal */
void
fg_chk_helo_syntax(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_helo *h = judged(c);

	if (h == NULL)
		return;
	if (h->kind == FG_HELO_INVALID || h->kind == FG_HELO_EMPTY)
		add(c, out, FG_R_INVALID, h->why,
		    h->kind == FG_HELO_EMPTY ? FG_NOPOS : h->errpos);
	else
		add(c, out, FG_R_PASS, NULL, FG_NOPOS);
}

/* fg_chk_helo_bare_ip - an address without brackets */
void
fg_chk_helo_bare_ip(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_helo *h = judged(c);

	if (h != NULL && h->kind == FG_HELO_BARE_IP)
		add(c, out, FG_R_INVALID, "address without brackets", FG_NOPOS);
}

/* fg_chk_helo_literal_mismatch - an address literal not the client's */
void
fg_chk_helo_literal_mismatch(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_helo *h = judged(c);
	const struct fg_client *cl = &c->conn->client;

	if (h == NULL || h->kind != FG_HELO_LITERAL)
		return;
	if (cl->ip_known && !fg_ipaddr_equal(&h->ip, &cl->ip))
		add(c, out, FG_R_MISMATCH, "not the client address", FG_NOPOS);
	else
		add(c, out, FG_R_PASS, NULL, FG_NOPOS);
}

/* fg_chk_helo_not_fqdn - a single-label name */
void
fg_chk_helo_not_fqdn(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_helo *h = judged(c);

	if (h == NULL || h->kind != FG_HELO_HOSTNAME)
		return;
	add(c, out, h->labels < 2 ? FG_R_INVALID : FG_R_PASS,
	    h->labels < 2 ? "single-label name" : NULL, FG_NOPOS);
}
