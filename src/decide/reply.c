/*
 * NAME
 *	reply - build and validate SMTP replies
 * SYNOPSIS
 *	#include "forgeguard/reply.h"
#include "forgeguard/replyspec.h"
 * DESCRIPTION
 *	Replies come from "CODE X.Y.Z TEXT" specs (catalogue defaults or
 *	reply.CHECK keys), validated by fg_replyspec_check when the
 *	configuration loads; fg_reply_build runs per rejected command and
 *	cannot produce a reply that libmilter would drop: libmilter ignores a
 *	4xx reply with SMFIS_REJECT and a 5xx with SMFIS_TEMPFAIL, refuses
 *	CR and LF, and eats single '%' signs.
 * STANDARDS
 *	RFC 5321 4.2 (reply codes), 4.5.3.1.5 (reply line length); RFC 3463
 *	2 (enhanced status codes: class equals the reply's first digit).
 * DIAGNOSTICS
 *	FG_EINVAL for a spec that does not parse (never a configured one).
 */
#include <string.h>

#include "forgeguard/buf.h"
#include "forgeguard/reply.h"
#include "forgeguard/replyspec.h"
#include "forgeguard/str.h"

/* move_class - the reply code for the wanted class ('4' or '5') */
static void
move_class(struct fg_replyspec *sp, char want)
{
	static const char *const ok4[] = { "421", "450", "451",
					   "452", "454", "455" };
	static const char *const ok5[] = { "550", "551", "552", "553", "554",
					   "555", "521", "530", "535" };
	const char *const *ok = want == '4' ? ok4 : ok5;
	size_t n = want == '4' ? sizeof(ok4) / sizeof(ok4[0])
			       : sizeof(ok5) / sizeof(ok5[0]);
	size_t k;

	if (sp->rcode[0] == want)
		return;
	sp->rcode[0] = want;
	sp->xcode[0] = want;
	for (k = 0; k < n; k++)
		if (strcmp(ok[k], sp->rcode) == 0)
			return;
	memcpy(sp->rcode, want == '4' ? "451" : "550", 4);
}

/* expand - the text with {value} and {check} replaced */
static void
expand(struct fg_buf *b, const char *text, const char *check,
       const char *reason, const char *value, size_t vn)
{
	const char *p = text;

	while (*p) {
		if (strncmp(p, "{value}", 7) == 0) {
			if (vn == 0)
				(void)fg_buf_puts(b, "(empty)");
			else
				fg_str_sanitize(b, value, vn,
						FG_REPLY_VALUE_MAX);
			p += 7;
		} else if (strncmp(p, "{check}", 7) == 0) {
			(void)fg_buf_puts(b, check);
			p += 7;
		} else if (strncmp(p, "{reason}", 8) == 0) {
			fg_str_sanitize(b, reason ? reason : "rejected",
					strlen(reason ? reason : "rejected"),
					FG_REPLY_VALUE_MAX);
			p += 8;
		} else {
			int c = (unsigned char)*p++;

			(void)fg_buf_putc(b, FG_IS_PRINT(c) ? c : '?');
		}
	}
}

/* fg_reply_build - a reply for action from spec */
enum fg_err
fg_reply_build(struct fg_reply *out, enum fg_action action, const char *spec,
	       const char *check, const char *reason, const char *value,
	       size_t vn)
{
	struct fg_replyspec sp;
	struct fg_buf b, w;
	const char *why;
	size_t k;

	memset(out, 0, sizeof(*out));
	if (fg_replyspec_parse(spec, &sp, &why) != FG_OK)
		return FG_EINVAL;
	move_class(&sp, action == FG_ACT_REJECT ? '5' : '4');
	memcpy(out->rcode, sp.rcode, sizeof(out->rcode));
	memcpy(out->xcode, sp.xcode, sizeof(out->xcode));
	fg_buf_init(&b, out->text, sizeof(out->text));
	expand(&b, sp.text, check, reason, value, vn);
	fg_buf_init(&w, out->wire, sizeof(out->wire));
	for (k = 0; k < b.len; k++) {
		if (b.data[k] == '%')
			(void)fg_buf_putc(&w, '%');
		(void)fg_buf_putc(&w, b.data[k]);
	}
	return FG_OK;
}

/* fg_reply_append - add text to a built reply */
void
fg_reply_append(struct fg_reply *r, const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	size_t tn = strlen(r->text), wn = strlen(r->wire), k;
	int room = 1;

	for (k = 0; room && k < 3 && parts[k] != NULL; k++) {
		const char *p;

		for (p = parts[k]; room && *p; p++) {
			char ch = FG_IS_PRINT((unsigned char)*p) ? *p : '?';

			room = tn + 1 < sizeof(r->text) &&
			       wn + 2 < sizeof(r->wire);
			if (!room)
				break;
			r->text[tn++] = ch;
			if (ch == '%')
				r->wire[wn++] = '%';
			r->wire[wn++] = ch;
		}
	}
	r->text[tn] = '\0';
	r->wire[wn] = '\0';
}
