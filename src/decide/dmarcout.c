/*
 * NAME
 *	dmarcout - the DMARC report record of one message
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	One JSON object per message whose author domain publishes a
 *	policy, with what an aggregate report (RFC 9990) needs: the time,
 *	the source address, the identifiers (header_from, envelope_from,
 *	envelope_to), the policy published (domain, discovery method, p, sp,
 *	np, adkim, aspf, testing, fo, rua), the policy evaluated (the
 *	disposition applied, DKIM and SPF alignment, every override reason
 *	with its RFC 9990 type) and the authentication results (each DKIM
 *	signature's domain, selector and result; SPF's domain, scope and
 *	result).  The daemon logs it as "dmarc-record {...}" in the verdict
 *	log, so that a fleet ships records with its logs and the report
 *	tool finds them in any log line.
 * STANDARDS
 *	RFC 9990 3.1 (the report's content), RFC 8259 (JSON).
 * DIAGNOSTICS
 *	A record that does not fit the buffer is cut and marked invalid
 *	(the buffer's truncated flag); the caller drops it.
 */
#include <stdio.h>
#include <string.h>

#include "forgeguard/checks.h"
#include "forgeguard/spf.h"

/* str - ,"key":"value" */
static void
str(struct fg_buf *b, const char *key, const char *v)
{
	(void)fg_buf_printf(b, ",\"%s\":\"", key);
	fg_str_escape_json(b, v, strlen(v), FG_DOMAIN_MAX * 2);
	(void)fg_buf_putc(b, '"');
}

/* policy_word - a policy as RFC 9990 writes it, "" when unset */
static const char *
policy_word(enum fg_dmarc_policy p)
{
	return p == FG_DMARC_P_UNSET ? "" : fg_dmarc_policy_name(p);
}

/* published - the policy_published part */
static void
published(struct fg_buf *b, const struct fg_dmarc_out *o)
{
	const struct fg_dmarcrec *r = &o->rec;

	str(b, "domain", o->policy_domain);
	str(b, "discovery", o->discovery != NULL ? o->discovery : "treewalk");
	str(b, "p", r->p != FG_DMARC_P_UNSET ? policy_word(r->p) : "none");
	str(b, "sp", policy_word(r->sp));
	str(b, "np", policy_word(r->np));
	str(b, "adkim", r->adkim_strict ? "s" : "r");
	str(b, "aspf", r->aspf_strict ? "s" : "r");
	str(b, "testing", r->testing ? "y" : "n");
	str(b, "fo", r->fo);
	str(b, "rua", r->rua);
}

/* auth_results - every DKIM signature's result, and SPF's */
static void
auth_results(struct fg_buf *b, const struct fg_txn_facts *t, const char *mfrom)
{
	size_t k, n = t->dkim != NULL ? fg_dkim_count(t->dkim) : 0;

	(void)fg_buf_puts(b, ",\"dkim_results\":[");
	for (k = 0; k < n; k++) {
		const struct fg_dkim_sig *g = fg_dkim_get(t->dkim, k);

		(void)fg_buf_puts(b, k ? ",{\"domain\":\"" : "{\"domain\":\"");
		if (g->named)
			fg_str_escape_json(b, g->d, strlen(g->d),
					   FG_DOMAIN_MAX);
		(void)fg_buf_putc(b, '"');
		str(b, "selector", g->named ? g->s : "");
		str(b, "result", fg_dkim_result_name(g->result));
		(void)fg_buf_putc(b, '}');
	}
	(void)fg_buf_putc(b, ']');
	if (t->mail_spf_done && !t->mail.path.is_null) {
		str(b, "spf_domain", mfrom);
		str(b, "spf_scope", "mfrom");
		str(b, "spf_result", fg_spf_result_name(t->mail_spf.result));
	}
}

/* fg_dmarc_record - the report record of a judged message into b; 0 when
 * the message has no policy to report to */
int
fg_dmarc_record(const struct fg_conn_facts *c, const struct fg_txn_facts *t,
		const char *rcpt_domain, int64_t now, struct fg_buf *b)
{
	const struct fg_dmarc_out *o = t->dmarc;
	const char *at = strrchr(t->mail.path.addr, '@');
	const char *mfrom = at != NULL ? at + 1 : "";

	if (o == NULL || o->policy_domain[0] == '\0')
		return 0;
	(void)fg_buf_printf(b, "{\"v\":1,\"time\":%lld", (long long)now);
	str(b, "source_ip", c->client.ip_known ? c->client.addr : "");
	str(b, "header_from", o->author);
	str(b, "envelope_from", t->mail.path.is_null ? "" : mfrom);
	str(b, "envelope_to", rcpt_domain);
	published(b, o);
	str(b, "result", fg_dmarc_result_name(o->result));
	str(b, "disposition", fg_dmarc_policy_name(t->dmarc_dis));
	str(b, "dkim", o->dkim_aligned ? "pass" : "fail");
	str(b, "spf", o->spf_aligned ? "pass" : "fail");
	(void)fg_buf_puts(b, ",\"reasons\":[");
	if (t->dmarc_override != NULL) {
		/* "type: comment" */
		size_t n = strcspn(t->dmarc_override, ":");
		const char *rest = t->dmarc_override + n;

		while (*rest == ':' || *rest == ' ')
			rest++;
		(void)fg_buf_puts(b, "{\"type\":\"");
		fg_str_escape_json(b, t->dmarc_override, n, 64);
		(void)fg_buf_puts(b, "\",\"comment\":\"");
		fg_str_escape_json(b, rest, strlen(rest), 256);
		(void)fg_buf_puts(b, "\"}");
	}
	(void)fg_buf_putc(b, ']');
	auth_results(b, t, mfrom);
	(void)fg_buf_putc(b, '}');
	return !b->truncated;
}
