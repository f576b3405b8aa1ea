/*
 * NAME
 *	replyspec - parse and validate reply templates
 * SYNOPSIS
 *	#include "forgeguard/replyspec.h"
 * DESCRIPTION
 *	A template is "CODE X.Y.Z TEXT".  The parser only reads the codes
 *	and points at the text; the check also looks at the text, so that a
 *	configuration can never hold a template the reply builder would
 *	have to repair or refuse.
 * STANDARDS
 *	RFC 5321 4.2 (reply codes: first digit 4 or 5 here, second 0-5);
 *	RFC 3463 2 (enhanced status codes: class equals the reply's first
 *	digit, subject and detail of one to three digits).
 * DIAGNOSTICS
 *	FG_ESYNTAX or FG_ETOOLONG with a static reason in *why.
 */
#include <string.h>

#include "forgeguard/bounds.h"
#include "forgeguard/replyspec.h"
#include "forgeguard/str.h"

/* The placeholders the reply builder knows. */
static const char *const placeholders[] = { "{value}", "{check}", "{reason}" };

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

/* fg_replyspec_parse - split "CODE X.Y.Z TEXT" */
enum fg_err
fg_replyspec_parse(const char *s, struct fg_replyspec *out, const char **why)
{
	static const char bad_x[] =
		"enhanced status code must be 4.X.Y or 5.X.Y (RFC 3463)";
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
		*why = bad_x;
		return FG_ESYNTAX;
	}
	a = digits_at(x + 2, 3);
	if (a == 0 || a > 3 || x[2 + a] != '.') {
		*why = bad_x;
		return FG_ESYNTAX;
	}
	b = digits_at(x + 3 + a, 3);
	if (b == 0 || b > 3 || (x[3 + a + b] != ' ' && x[3 + a + b] != '\0')) {
		*why = bad_x;
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

/* known_placeholder - the length of the placeholder at p, 0 if unknown */
static size_t
known_placeholder(const char *p)
{
	size_t k, n;

	for (k = 0; k < sizeof(placeholders) / sizeof(placeholders[0]); k++) {
		n = strlen(placeholders[k]);
		if (strncmp(p, placeholders[k], n) == 0)
			return n;
	}
	return 0;
}

/* fg_replyspec_check - a template fit to be configured */
enum fg_err
fg_replyspec_check(const char *spec, const char **why)
{
	struct fg_replyspec sp;
	const char *p;
	enum fg_err err;
	size_t n;

	err = fg_replyspec_parse(spec, &sp, why);
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
		if (*p != '{')
			continue;
		n = known_placeholder(p);
		if (n == 0) {
			*why = "unknown placeholder in reply text (known: "
			       "{value}, {check}, {reason})";
			return FG_ESYNTAX;
		}
		p += n - 1;
	}
	if (strlen(sp.text) > FG_REPLY_TEXT_MAX - FG_REPLY_VALUE_MAX) {
		*why = "reply text too long";
		return FG_ETOOLONG;
	}
	return FG_OK;
}
