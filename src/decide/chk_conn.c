/*
 * NAME
 *	chk_conn - the checks of the connection: client.trusted,
 *	client.fcrdns, and smtp.unknown_command
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	A client in trusted_networks is reported as trusted and skips the
 *	forgery checks.  FCrDNS comes from what Postfix verified: a
 *	{client_name} other than "unknown" is a forward-confirmed name; a
 *	PTR name without it did not resolve back to the address.
 * STANDARDS
 *	RFC 8601 2.7.3 (iprev), RFC 7372 (5.7.25).
 * DIAGNOSTICS
 *	None.
 */
#include <string.h>

#include "forgeguard/checks.h"

/* known - is a macro value present and not Postfix's "unknown" */
static int
known(const char *s)
{
	return s[0] != '\0' && strcmp(s, "unknown") != 0;
}

/* fg_chk_client_trusted - client.trusted */
void
fg_chk_client_trusted(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_client *cl = &c->conn->client;

	if (cl->trusted_net)
		fg_check_add(c, out, FG_R_PASS, "trusted_networks", FG_NOPOS,
			     cl->addr, strlen(cl->addr));
}

/* fg_chk_client_fcrdns - client.fcrdns */
void
fg_chk_client_fcrdns(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_client *cl = &c->conn->client;

	if (cl->trusted_net)
		return;
	if (known(cl->name))
		fg_check_add(c, out, FG_R_PASS, NULL, FG_NOPOS, cl->name,
			     strlen(cl->name));
	else if (known(cl->ptr))
		fg_check_add(c, out, FG_R_FAIL,
			     "PTR name does not resolve back to the address",
			     FG_NOPOS, cl->addr, strlen(cl->addr));
	else
		fg_check_add(c, out, FG_R_NONE, "no PTR record", FG_NOPOS,
			     cl->addr, strlen(cl->addr));
}

/* fg_chk_smtp_unknown_command - smtp.unknown_command */
void
fg_chk_smtp_unknown_command(struct fg_check_ctx *c, struct fg_findings *out)
{
	fg_check_add(c, out, FG_R_INVALID, "unknown SMTP command", FG_NOPOS,
		     c->cmd, c->cmd_len);
}
