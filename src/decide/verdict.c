/*
 * NAME
 *	verdict - format verdict and summary lines
 * SYNOPSIS
 *	#include "forgeguard/verdict.h"
 * DESCRIPTION
 *	Text lines look like Postfix's: an optional "QUEUEID: " prefix, then
 *	v=1 and key=value pairs.  A value that holds a blank, a quote, a
 *	backslash or anything unprintable is written in double quotes with
 *	\xHH escapes.  JSON lines carry the same keys.  Client values are cut
 *	at FG_LOG_VALUE_MAX bytes, and the whole line at FG_LOG_LINE_MAX.
 * DIAGNOSTICS
 *	None: a line that does not fit is cut, never overflowed.
 */
#include <string.h>

#include "forgeguard/catalog.h"
#include "forgeguard/verdict.h"

/* needs_quotes - would p[0..n) be ambiguous as a bare value */
static int
needs_quotes(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return 1;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p[i];

		if (!FG_IS_PRINT(c) || c == ' ' || c == '"' || c == '\\' ||
		    c == '=')
			return 1;
	}
	return 0;
}

/* text_val_max - " key=value", quoted and escaped when needed */
static void
text_val_max(struct fg_buf *b, const char *key, const char *p, size_t n,
	     size_t max)
{
	(void)fg_buf_printf(b, " %s=", key);
	if (needs_quotes(p, n) || n > max) {
		(void)fg_buf_putc(b, '"');
		fg_str_escape(b, p, n, max);
		(void)fg_buf_putc(b, '"');
	} else {
		(void)fg_buf_append(b, p, n);
	}
}

/* text_val - " key=value" for a client value */
static void
text_val(struct fg_buf *b, const char *key, const char *p, size_t n)
{
	text_val_max(b, key, p, n, FG_LOG_VALUE_MAX);
}

/* put_token - a value that may not hold blanks or brackets */
static void
put_token(struct fg_buf *b, const char *z)
{
	size_t i;

	for (i = 0; z[i] != '\0' && i < FG_LOG_VALUE_MAX; i++) {
		int c = (unsigned char)z[i];

		if (FG_IS_PRINT(c) && c != ' ' && c != '[' && c != ']' &&
		    c != '"' && c != '\\')
			(void)fg_buf_putc(b, c);
		else
			(void)fg_buf_printf(b, "\\x%02x", (unsigned)c);
	}
}

/* json_val - ,"key":"value" escaped */
static void
json_val(struct fg_buf *b, const char *key, const char *p, size_t n)
{
	(void)fg_buf_printf(b, ",\"%s\":\"", key);
	fg_str_escape_json(b, p, n, FG_LOG_VALUE_MAX);
	(void)fg_buf_putc(b, '"');
}

/* put - a value in either format */
static void
put(struct fg_buf *b, enum fg_log_format fmt, const char *key, const char *p,
    size_t n)
{
	if (fmt == FG_LOGFMT_JSON)
		json_val(b, key, p, n);
	else
		text_val(b, key, p, n);
}

/* putz - put for a NUL-terminated value */
static void
putz(struct fg_buf *b, enum fg_log_format fmt, const char *key, const char *z)
{
	put(b, fmt, key, z, strlen(z));
}

/* put_path - an address in angle brackets, as the client sent it */
static void
put_path(struct fg_buf *b, enum fg_log_format fmt, const char *key,
	 struct fg_view v)
{
	char tmp[FG_LOG_VALUE_MAX + 3];
	size_t n = v.n > FG_LOG_VALUE_MAX ? FG_LOG_VALUE_MAX : v.n;

	if (n > 0 && v.p[0] == '<') {
		put(b, fmt, key, v.p, v.n);
		return;
	}
	tmp[0] = '<';
	memcpy(tmp + 1, v.p, n);
	tmp[n + 1] = '>';
	put(b, fmt, key, tmp, n + 2);
}

/* shown - is this finding listed */
static int
shown(const struct fg_vline *v, const struct fg_finding *x)
{
	return !v->only_problems || x->result != FG_R_PASS;
}

/* put_findings_text - findings=a:b,... and detail="..." */
static void
put_findings_text(struct fg_buf *b, const struct fg_vline *v)
{
	char dstore[1024];
	struct fg_buf d;
	size_t k;
	int first = 1;

	fg_buf_init(&d, dstore, sizeof(dstore));
	(void)fg_buf_puts(b, " findings=");
	for (k = 0; k < v->findings->n; k++) {
		const struct fg_finding *x = &v->findings->v[k];

		if (!shown(v, x))
			continue;
		(void)fg_buf_printf(b, "%s%s:%s", first ? "" : ",",
				    fg_catalog_get(x->check)->name,
				    fg_catalog_result_name(x->result));
		first = 0;
		if (x->reason == NULL)
			continue;
		(void)fg_buf_printf(&d, "%s%s: %s", d.len ? "; " : "",
				    fg_catalog_get(x->check)->name, x->reason);
		if (x->pos != FG_NOPOS)
			(void)fg_buf_printf(&d, " at offset %zu", x->pos);
		if ((fg_catalog_get(x->check)->flags & FG_CF_LOG_VALUE) &&
		    x->vlen > 0) {
			(void)fg_buf_puts(&d, " (");
			fg_str_sanitize(&d, x->value, x->vlen,
					FG_LOG_VALUE_MAX);
			(void)fg_buf_puts(&d, ")");
		}
	}
	if (first)
		(void)fg_buf_puts(b, "none");
	if (v->findings->dropped)
		(void)fg_buf_printf(b, ",+%zu", v->findings->dropped);
	if (d.len > 0)
		text_val_max(b, "detail", d.data, d.len, sizeof(dstore));
}

/* put_findings_json - "findings":[{...},...] */
static void
put_findings_json(struct fg_buf *b, const struct fg_vline *v)
{
	size_t k;
	int first = 1;

	(void)fg_buf_puts(b, ",\"findings\":[");
	for (k = 0; k < v->findings->n; k++) {
		const struct fg_finding *x = &v->findings->v[k];

		if (!shown(v, x))
			continue;
		(void)fg_buf_printf(b, "%s{\"check\":\"%s\",\"result\":\"%s\"",
				    first ? "" : ",",
				    fg_catalog_get(x->check)->name,
				    fg_catalog_result_name(x->result));
		first = 0;
		if (x->reason != NULL)
			json_val(b, "reason", x->reason, strlen(x->reason));
		if (x->pos != FG_NOPOS)
			(void)fg_buf_printf(b, ",\"pos\":%zu", x->pos);
		if ((fg_catalog_get(x->check)->flags & FG_CF_LOG_VALUE) &&
		    x->vlen > 0)
			json_val(b, "value", x->value, x->vlen);
		(void)fg_buf_putc(b, '}');
	}
	(void)fg_buf_putc(b, ']');
	if (v->findings->dropped)
		(void)fg_buf_printf(b, ",\"findings_dropped\":%zu",
				    v->findings->dropped);
}

/* put_rcpts - the listed recipients, comma separated */
static void
put_rcpts(struct fg_buf *b, enum fg_log_format fmt, const struct fg_vline *v)
{
	char store[FG_LOG_LINE_MAX / 2];
	struct fg_buf l;
	size_t k;

	if (v->nrcpts_listed == 1 && !v->summary) {
		put_path(b, fmt, "rcpt", v->rcpts[0]);
		return;
	}
	fg_buf_init(&l, store, sizeof(store));
	for (k = 0; k < v->nrcpts_listed; k++) {
		if (k > 0)
			(void)fg_buf_putc(&l, ',');
		(void)fg_buf_append(&l, v->rcpts[k].p,
				    v->rcpts[k].n > FG_LOG_VALUE_MAX
					    ? FG_LOG_VALUE_MAX
					    : v->rcpts[k].n);
	}
	if (fmt == FG_LOGFMT_JSON) {
		(void)fg_buf_puts(b, ",\"rcpt\":\"");
		fg_str_escape_json(b, l.data, l.len, sizeof(store));
		(void)fg_buf_putc(b, '"');
	} else {
		(void)fg_buf_puts(b, " rcpt=\"");
		fg_str_escape(b, l.data, l.len, sizeof(store));
		(void)fg_buf_putc(b, '"');
	}
}

/* put_verdict - action, would, deferred, reply, ms */
static void
put_verdict(struct fg_buf *b, enum fg_log_format fmt, const struct fg_vline *v)
{
	const struct fg_verdict *vd = v->verdict;

	putz(b, fmt, "action", fg_catalog_action_name(vd->action));
	if (vd->would != vd->action)
		putz(b, fmt, "would", fg_catalog_action_name(vd->would));
	if (v->deferred > FG_ACT_ACCEPT)
		putz(b, fmt, "deferred", fg_catalog_action_name(v->deferred));
	if (v->exempt)
		putz(b, fmt, "exempt", "postmaster");
	if (vd->has_reply) {
		char r[FG_REPLY_LINE_MAX + 16];
		struct fg_buf rb;

		fg_buf_init(&rb, r, sizeof(r));
		(void)fg_buf_printf(&rb, "%s %s %s", vd->reply.rcode,
				    vd->reply.xcode, vd->reply.text);
		put(b, fmt, "reply", rb.data, rb.len);
	}
	if (fmt == FG_LOGFMT_JSON)
		(void)fg_buf_printf(b, ",\"ms\":%.1f}", v->ms);
	else
		(void)fg_buf_printf(b, " ms=%.1f", v->ms);
}

/* fg_verdict_format - the line for v in the given format */
void
fg_verdict_format(const struct fg_vline *v, enum fg_log_format fmt,
		  struct fg_buf *b)
{
	const char *stage = fg_catalog_stage_name(v->stage);

	if (fmt == FG_LOGFMT_JSON) {
		(void)fg_buf_printf(b, "{\"v\":1,\"sid\":\"%s\"", v->sid);
		if (v->qid[0])
			putz(b, fmt, "qid", v->qid);
		putz(b, fmt, "stage", v->summary ? "summary" : stage);
		if (v->summary)
			putz(b, fmt, "end", stage);
		putz(b, fmt, "client_name", v->client_name);
		putz(b, fmt, "client_addr", v->client_addr);
	} else {
		if (v->qid[0]) {
			/* the MTA's macro: escaped like any client value */
			put_token(b, v->qid);
			(void)fg_buf_puts(b, ": ");
		}
		(void)fg_buf_printf(b, "v=1 sid=%s stage=%s", v->sid,
				    v->summary ? "summary" : stage);
		if (v->summary)
			(void)fg_buf_printf(b, " end=%s", stage);
		(void)fg_buf_puts(b, " client=");
		put_token(b, v->client_name);
		(void)fg_buf_putc(b, '[');
		put_token(b, v->client_addr);
		(void)fg_buf_putc(b, ']');
	}
	if (v->helo.p != NULL)
		put(b, fmt, "helo", v->helo.p, v->helo.n);
	if (v->from.p != NULL)
		put_path(b, fmt, "from", v->from);
	if (v->nrcpts_listed > 0)
		put_rcpts(b, fmt, v);
	if (v->summary) {
		if (fmt == FG_LOGFMT_JSON)
			(void)fg_buf_printf(b,
					    ",\"nrcpt\":%zu,\"rejected\":%zu",
					    v->nrcpts, v->nrejected);
		else
			(void)fg_buf_printf(b, " nrcpt=%zu rejected=%zu",
					    v->nrcpts, v->nrejected);
	}
	if (v->extra_key != NULL)
		put(b, fmt, v->extra_key, v->extra.p, v->extra.n);
	if (v->extra2_key != NULL)
		put(b, fmt, v->extra2_key, v->extra2.p, v->extra2.n);
	if (v->extra3_key != NULL)
		put(b, fmt, v->extra3_key, v->extra3.p, v->extra3.n);
	if (v->extra4_key != NULL)
		put(b, fmt, v->extra4_key, v->extra4.p, v->extra4.n);
	if (fmt == FG_LOGFMT_JSON)
		put_findings_json(b, v);
	else
		put_findings_text(b, v);
	put_verdict(b, fmt, v);
}
