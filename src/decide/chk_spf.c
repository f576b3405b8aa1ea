/*
 * NAME
 *	chk_spf - spf.helo and spf.mailfrom
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	SPF is evaluated for the HELO identity of a host name with at
 *	least two labels, and for the MAIL FROM identity; the null sender
 *	takes the HELO identity's result (RFC 7208 2.4).  Neither runs for
 *	trusted networks or authenticated clients, without a resolver, or
 *	without the client's address.  The outcome is kept in the facts:
 *	Authentication-Results reports it and header.local_forgery uses an
 *	aligned pass.  The engine is spf_engine's, within the stage's DNS
 *	budget.
 * STANDARDS
 *	RFC 7208 2.3 (HELO), 2.4 (MAIL FROM, null sender), 4 (check_host).
 * DIAGNOSTICS
 *	The outcome's reason for temperror and permerror.
 */
#include <string.h>

#include "forgeguard/checks.h"
#include "forgeguard/str.h"

/* to_result - the SPF result word as a finding result */
static enum fg_result
to_result(enum fg_spf_result r)
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

/* evaluate - check_host() for one identity (sender NULL: HELO) */
static void
evaluate(const struct fg_check_ctx *c, const char *sender,
	 struct fg_spf_outcome *o)
{
	const struct fg_client *cl = &c->conn->client;

	if (c->conf->spf_engine == FG_SPF_LIBSPF2 && c->env->spf != NULL)
		fg_spf_check(c->env->spf, c->env->dns, &cl->ip, c->conn->helo,
			     sender, c->deadline, o);
	else
		fg_spf_check_native(c->env->dns, &cl->ip, c->conn->helo, sender,
				    c->deadline, o);
}

/* report - the finding for an outcome */
static void
report(const struct fg_check_ctx *c, struct fg_findings *out,
       const struct fg_spf_outcome *o, const char *value)
{
	fg_check_add(c, out, to_result(o->result), o->why, FG_NOPOS, value,
		     strlen(value));
}

/* can_run - a resolver and an address to ask about */
static int
can_run(const struct fg_check_ctx *c)
{
	return c->env != NULL && c->env->dns != NULL &&
	       c->conn->client.ip_known;
}

/* fg_chk_spf_helo - SPF of the HELO identity */
void
fg_chk_spf_helo(struct fg_check_ctx *c, struct fg_findings *out)
{
	struct fg_conn_facts *f = c->conn;

	if (f->client.trusted_net || !can_run(c) ||
	    f->helo_parse.kind != FG_HELO_HOSTNAME || f->helo_parse.labels < 2)
		return;
	evaluate(c, NULL, &f->helo_spf);
	f->helo_spf_done = 1;
	report(c, out, &f->helo_spf, f->helo);
}

/* identity - smtp.mailfrom for Authentication-Results: a quoted local
 * part stays quoted as sent (RFC 8601 2.7.2 pvalue), the domain
 * canonical; "" when it does not fit */
static void
identity(struct fg_txn_facts *t)
{
	const struct fg_path *p = &t->mail.path;
	struct fg_buf b;

	fg_buf_init(&b, t->spf_identity, sizeof(t->spf_identity));
	if (p->is_quoted)
		(void)fg_buf_append(&b, p->local.p, p->local.n);
	else
		(void)fg_buf_append(&b, p->addr, p->addr_at);
	(void)fg_buf_printf(&b, "@%s", fg_addr_domain(p));
	if (b.truncated)
		t->spf_identity[0] = '\0';
}

/* fg_chk_spf_mailfrom - SPF of MAIL FROM, or of HELO for <> */
void
fg_chk_spf_mailfrom(struct fg_check_ctx *c, struct fg_findings *out)
{
	struct fg_txn_facts *t = c->txn;

	if (t->trusted || !t->mail.syntax.ok || !can_run(c))
		return;
	if (!t->mail.path.is_null) {
		evaluate(c, t->mail.path.addr, &t->mail_spf);
		identity(t);
		report(c, out, &t->mail_spf, t->mail.path.addr);
	} else if (c->conn->helo_spf_done) {
		/* 2.4: the HELO identity's result, already evaluated */
		t->mail_spf = c->conn->helo_spf;
		report(c, out, &t->mail_spf, c->conn->helo);
	} else {
		return;
	}
	t->mail_spf_done = 1;
}
