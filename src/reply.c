/*
 * NAME
 *	reply - build and validate SMTP replies
 * SYNOPSIS
 *	#include "forgeguard/reply.h"
 * DESCRIPTION
 *	Replies come from "CODE X.Y.Z TEXT" specs (catalogue defaults or
 *	reply.CHECK keys).  fg_reply_check_spec is run on every configured
 *	spec at load time; fg_reply_build runs per rejected command and
 *	cannot produce a reply that libmilter would drop: libmilter ignores a
 *	4xx reply with SMFIS_REJECT and a 5xx with SMFIS_TEMPFAIL, refuses
 *	CR and LF, and eats single '%' signs.
 * STANDARDS
 *	RFC 5321 4.2 (reply codes), 4.5.3.1.5 (reply line length); RFC 3463
 *	2 (enhanced status codes: class equals the reply's first digit).
 * DIAGNOSTICS
 *	FG_ESYNTAX with a reason for a bad spec.
 */
#include <string.h>

#include "forgeguard/buf.h"
#include "forgeguard/reply.h"
#include "forgeguard/str.h"

struct spec {
	char rcode[4];
	char xcode[12];
	const char *text;
};

/* digits_at - count of digits at p; stops at the first non-digit (or
 * NUL), and after max+1 digits */
static size_t
digits_at(const char *p, size_t max)
{
	size_t k = 0;

	while (k <= max && FG_IS_DIGIT((unsigned char)p[k]))
		k++;
	return k;
}

/* parse_spec - split "CODE X.Y.Z TEXT" */
static enum fg_err
parse_spec(const char *s, struct spec *out, const char **why)
{
	size_t k, a, b;
	const char *x;

	if (digits_at(s, 3) != 3 || s[3] != ' ') {
		*why = "reply must start with a three-digit code and a space";
		return FG_ESYNTAX;
	}
	if (s[0] != '4' && s[0] != '5') {
		*why = "reply code must be 4xx or 5xx";
		return FG_ESYNTAX;
	}
	if (s[1] > '5') {
		*why = "reply code second digit must be 0-5 (RFC 5321 4.2)";
		return FG_ESYNTAX;
	}
	memcpy(out->rcode, s, 3);
	out->rcode[3] = '\0';
	x = s + 4;
	/* each test only looks one byte past what the previous one saw */
	if ((x[0] != '4' && x[0] != '5') || x[1] != '.') {
		*why = "enhanced status code must be 4.X.Y or 5.X.Y (RFC 3463)";
		return FG_ESYNTAX;
	}
	a = digits_at(x + 2, 3);
	if (a == 0 || a > 3 || x[2 + a] != '.') {
		*why = "enhanced status code must be 4.X.Y or 5.X.Y (RFC 3463)";
		return FG_ESYNTAX;
	}
	b = digits_at(x + 3 + a, 3);
	if (b == 0 || b > 3 || (x[3 + a + b] != ' ' && x[3 + a + b] != '\0')) {
		*why = "enhanced status code must be 4.X.Y or 5.X.Y (RFC 3463)";
		return FG_ESYNTAX;
	}
	if (x[0] != s[0]) {
		*why = "enhanced status code class must equal the reply "
		       "code class";
		return FG_ESYNTAX;
	}
	k = 3 + a + b;
	memcpy(out->xcode, x, k);
	out->xcode[k] = '\0';
	out->text = x[k] == ' ' ? x + k + 1 : x + k;
	return FG_OK;
}

/* fg_reply_check_spec - validate a configured "CODE X.Y.Z TEXT" */
enum fg_err
fg_reply_check_spec(const char *spec, const char **why)
{
	struct spec sp;
	const char *p;
	enum fg_err err;

	err = parse_spec(spec, &sp, why);
	if (err)
		return err;
	if (*sp.text == '\0') {
		*why = "reply text is empty";
		return FG_ESYNTAX;
	}
	for (p = sp.text; *p; p++) {
		if (!FG_IS_PRINT((unsigned char)*p)) {
			*why = "reply text must be printable ASCII";
			return FG_ESYNTAX;
		}
	}
	if (strlen(sp.text) > FG_REPLY_TEXT_MAX - FG_REPLY_VALUE_MAX) {
		*why = "reply text too long";
		return FG_ETOOLONG;
	}
	return FG_OK;
}

/* move_class - the reply code for the wanted class ('4' or '5') */
static void
move_class(struct spec *sp, char want)
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
	struct spec sp;
	struct fg_buf b, w;
	const char *why;
	size_t k;

	memset(out, 0, sizeof(*out));
	if (parse_spec(spec, &sp, &why) != FG_OK)
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
