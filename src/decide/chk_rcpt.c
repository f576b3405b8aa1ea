/*
 * NAME
 *	chk_rcpt - RCPT TO: the facts, rcpt.syntax and rcpt.limit
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	The forward-path and its parameters are parsed once; rcpt.syntax
 *	reports the first problem, and rcpt.limit counts only recipients
 *	whose syntax is good.
 * STANDARDS
 *	RFC 5321 4.1.2 (paths and parameters), 4.5.3.1.8 (recipients per
 *	message: at least 100 must be accepted); RFC 6531 (SMTPUTF8).
 * DIAGNOSTICS
 *	Each problem has a reason and, where it has one, a byte offset.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/checks.h"

#define RCPT_ARGS_MAX (FG_PARAMS_MAX + 8)

/* fg_checks_rcpt_facts - parse a NULL-terminated RCPT argv */
void
fg_checks_rcpt_facts(const char *const *argv, int smtputf8, size_t accepted,
		     struct fg_rcpt *r)
{
	const char *a = argv[0] != NULL ? argv[0] : "";
	size_t n = strnlen(a, FG_CMDLINE_MAX + 1), k;
	struct fg_params ps;

	memset(r, 0, sizeof(*r));
	memset(&ps, 0, sizeof(ps));
	fg_checks_syntax_start(&r->syntax, a, n);
	r->accepted = accepted;
	if (fg_addr_parse_path(a, n, FG_ADDR_BARE, &r->path) != FG_OK) {
		fg_checks_syntax_problem(&r->syntax, r->path.why,
					 r->path.errpos, a, n);
		return;
	}
	if (r->path.is_null) {
		r->path.why = "null recipient";
		fg_checks_syntax_problem(&r->syntax, r->path.why, FG_NOPOS, a,
					 n);
		return;
	}
	for (k = 1; argv[k] != NULL && k < RCPT_ARGS_MAX; k++) {
		size_t pn = strnlen(argv[k], FG_CMDLINE_MAX + 1);

		if (fg_addr_parse_param(argv[k], pn, &ps) != FG_OK) {
			fg_checks_syntax_problem(&r->syntax, ps.why, ps.errpos,
						 argv[k], pn);
			return;
		}
	}
	if (r->path.has_8bit && !smtputf8)
		fg_checks_syntax_problem(&r->syntax,
					 "8-bit address without SMTPUTF8",
					 FG_NOPOS, a, n);
}

/* fg_chk_rcpt_syntax - the forward-path and its parameters */
void
fg_chk_rcpt_syntax(struct fg_check_ctx *c, struct fg_findings *out)
{
	fg_checks_syntax_report(c, out, &c->txn->rcpt.syntax);
}

/* fg_chk_rcpt_limit - at most max_recipients */
void
fg_chk_rcpt_limit(struct fg_check_ctx *c, struct fg_findings *out)
{
	const struct fg_rcpt *r = &c->txn->rcpt;
	uint64_t max = c->conf->max_recipients;

	if (!r->syntax.ok || max == 0 || r->accepted < max)
		return;
	fg_check_addf(c, out, FG_R_FAIL, "above max_recipients", "%llu",
		      (unsigned long long)max);
}
