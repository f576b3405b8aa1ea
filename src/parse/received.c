/*
 * NAME
 *	received - parse a Received: field into the claims of one hop
 * SYNOPSIS
 *	#include "forgeguard/received.h"
 * DESCRIPTION
 *	Three passes over a bounded copy of the field:
 *	1. normalise: NUL bytes dropped, CR, LF and TAB made blanks;
 *	2. split: the clause part ends at the first ";" that is not
 *	   followed by a clause keyword, the date follows the last ";",
 *	   and whatever follows the date (Courier's "id", Postfix's
 *	   "(envelope-from ...)") is read as clauses again;
 *	3. tokens: words and comments, then the clauses "from", "by",
 *	   "via", "with", "id" and "for" in any order and case.
 *	The from clause is read by its shape, because each MTA writes the
 *	connection facts differently:
 *	  Postfix, Sendmail  from HELO (RDNS [IP])      ident@RDNS allowed
 *	  Exim               from RDNS ([IP]:PORT helo=HELO)
 *	  qmail              from RDNS (HELO name) (ident@IP)
 *	  CommuniGate        from [IP] (HELO name) / (RDNS [IP] verified)
 *	  Exim 3, GMX        from RDNS (HELO) [IP]
 *	  TIS smtpd          from RDNS(IP), claiming to be "HELO" via SMTP
 *	  Exchange, O365     from HELO (IP) by ... with Microsoft SMTP Server
 *	and the parser records helo, rdns, ip, port and ident accordingly.
 * STANDARDS
 *	RFC 5321 4.4 (Time-stamp-line), RFC 5322 3.6.7 (received), RFC
 *	3848 (with-protocol types), RFC 8314 (ESMTPS, ESMTPSA).
 * DIAGNOSTICS
 *	FG_ESYNTAX when the field has no from, by or date; notes say what
 *	was odd.  Nothing is ever read beyond FG_RCVD_MAX bytes.
 */
#include <string.h>

#include "forgeguard/domain.h"
#include "forgeguard/received.h"
#include "forgeguard/str.h"

/* Semicolons remembered to find where the clauses end. */
#define RCVD_SEMIS 8
/* Longest bracketed or quoted word; a longer one ends at a blank. */
#define WORD_SPAN_MAX 256

struct tok {
	unsigned short off, len;
	unsigned char comment;
};

enum clause { C_NONE, C_FROM, C_BY, C_VIA, C_WITH, C_ID, C_FOR, C_ENVFROM };

struct ctx {
	char w[FG_RCVD_MAX];
	size_t n;
	struct tok t[FG_RCVD_TOKENS_MAX];
	size_t nt;
	size_t from_tok; /* index of the from name token, or nt */
	size_t from_items[FG_RCVD_TOKENS_MAX];
	size_t nitems;
	size_t clause_end; /* the clause part is w[0..clause_end) */
	size_t tail; /* what follows the date: w[tail..n) */
	size_t tail_tok; /* index of the first tail token */
	size_t semi[RCVD_SEMIS]; /* the first semicolons outside comments */
	size_t nsemi;
	size_t last_semi; /* the last one; FG_RCVD_MAX if none */
	int seen[C_ENVFROM + 1];
	int via_before_by;
	int exim;
	struct fg_rcvd *out;
};

/* put - a bounded copy of s[0..n) into dst[cap], NUL-terminated */
static void
put(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	if (n > 0)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

/* trim - strip trailing punctuation that ends a word in prose */
static size_t
trim(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ',' || s[n - 1] == ';' ||
			 s[n - 1] == ':' || s[n - 1] == ')'))
		n--;
	return n;
}

/* trim_ip - trim for a word that may be an address: an IPv6 address may
 * end in "::" (Microsoft 365 writes "(2a01:111:f403:f902::)"), so a
 * double colon stays; a single one after the address is prose */
static size_t
trim_ip(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ',' || s[n - 1] == ';' || s[n - 1] == ')'))
		n--;
	if (n > 0 && s[n - 1] == ':' && !(n > 1 && s[n - 2] == ':'))
		n--;
	return n;
}

/* put_name - a host name: trailing punctuation and dot removed */
static void
put_name(char *dst, const char *s, size_t n)
{
	n = trim(s, n);
	if (n > 1 && s[n - 1] == '.')
		n--;
	put(dst, FG_RCVD_NAME_MAX + 1, s, n);
}

/* normalise - the bounded working copy; also finds, outside comments,
 * the semicolons split needs (one pass over the bytes) */
static void
normalise(struct ctx *c, const char *p, size_t n)
{
	size_t i, o = 0;
	int depth = 0;

	c->nsemi = 0;
	c->last_semi = FG_RCVD_MAX;
	if (n > sizeof(c->w)) {
		c->out->notes |= FG_RCVD_N_CUT;
		n = sizeof(c->w);
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch > ';' && ch < 0x80) { /* letters and most specials */
			c->w[o++] = (char)ch;
			continue;
		}
		if (ch == '\0') {
			c->out->notes |= FG_RCVD_N_NUL;
			continue;
		}
		if (ch >= 0x80)
			c->out->notes |= FG_RCVD_N_8BIT;
		else if (ch == '\r' || ch == '\n' || ch == '\t')
			ch = ' ';
		else if (ch == '(')
			depth++;
		else if (ch == ')' && depth > 0)
			depth--;
		else if (ch == ';' && depth == 0) {
			if (c->nsemi < RCVD_SEMIS)
				c->semi[c->nsemi++] = o;
			c->last_semi = o;
		}
		c->w[o++] = (char)ch;
	}
	c->n = o;
}

/* comment_end - index just past the ")" closing the comment at i */
static size_t
comment_end(struct ctx *c, size_t i, size_t end)
{
	int depth = 0;

	for (; i < end; i++) {
		char ch = c->w[i];

		if (ch == '\\' && i + 1 < end) {
			i++;
		} else if (ch == '(') {
			if (++depth > FG_RCVD_COMMENT_DEPTH)
				c->out->notes |= FG_RCVD_N_DEEP;
		} else if (ch == ')' && --depth == 0) {
			return i + 1;
		}
	}
	c->out->notes |= FG_RCVD_N_UNCLOSED;
	return end;
}

/* span - end of a bracketed or quoted run starting at i, or 0 */
static size_t
span(struct ctx *c, size_t i, size_t end, char close)
{
	size_t k, lim = i + WORD_SPAN_MAX < end ? i + WORD_SPAN_MAX : end;

	for (k = i + 1; k < lim; k++)
		if (c->w[k] == close)
			return k + 1;
	c->out->notes |= FG_RCVD_N_UNCLOSED;
	return 0;
}

/* word_end - end of the word starting at i */
static size_t
word_end(struct ctx *c, size_t i, size_t end)
{
	while (i < end) {
		char ch = c->w[i];
		size_t k = 0;

		if (ch == ' ' || ch == '(' || ch == ';')
			break;
		if (ch == '[')
			k = span(c, i, end, ']');
		else if (ch == '"')
			k = span(c, i, end, '"');
		else if (ch == '<')
			k = span(c, i, end, '>');
		i = k > 0 ? k : i + 1;
	}
	return i;
}

/* tokenize - words and comments of w[a..b) appended to c->t */
static void
tokenize(struct ctx *c, size_t a, size_t b)
{
	size_t i = a, e;

	while (i < b) {
		char ch = c->w[i];

		if (ch == ' ' || ch == ';') {
			i++;
			continue;
		}
		if (c->nt == FG_RCVD_TOKENS_MAX) {
			c->out->notes |= FG_RCVD_N_TOKENS;
			return;
		}
		if (ch == '(') {
			e = comment_end(c, i, b);
			c->t[c->nt].off = (unsigned short)(i + 1);
			c->t[c->nt].len =
				(unsigned short)(e - i - 1 -
						 (c->w[e - 1] == ')'));
			c->t[c->nt++].comment = 1;
		} else {
			e = word_end(c, i, b);
			c->t[c->nt].off = (unsigned short)i;
			c->t[c->nt].len = (unsigned short)(e - i);
			c->t[c->nt++].comment = 0;
		}
		i = e;
	}
}

/* skip_blank - first non-blank at or after i */
static size_t
skip_blank(const struct ctx *c, size_t i)
{
	while (i < c->n && c->w[i] == ' ')
		i++;
	return i;
}

/* keyword - the clause a word opens, C_NONE if it is not a keyword */
static enum clause
keyword(const char *s, size_t n)
{
	static const struct {
		const char *k;
		enum clause c;
	} kw[] = {
		{ "from", C_FROM },
		{ "by", C_BY },
		{ "via", C_VIA },
		{ "with", C_WITH },
		{ "id", C_ID },
		{ "for", C_FOR },
		{ "envelope-from", C_ENVFROM },
	};
	size_t k;

	if (n < 2 || (n > 4 && n != 13))
		return C_NONE; /* most words: no keyword has their length */
	for (k = 0; k < sizeof(kw) / sizeof(kw[0]); k++)
		if (fg_str_caseeqz(s, n, kw[k].k))
			return kw[k].c;
	return C_NONE;
}

/* keyword_at - does a clause keyword start at w[i] */
static int
keyword_at(const struct ctx *c, size_t i)
{
	size_t e = i;

	while (e < c->n && FG_IS_ALPHA((unsigned char)c->w[e]))
		e++;
	return e > i && (e == c->n || c->w[e] == ' ') &&
	       keyword(c->w + i, e - i) != C_NONE;
}

/* split - where the clause part and the tail are; the date in out.
 * The clause part ends at the first ";" not followed by a keyword. */
static void
split(struct ctx *c)
{
	size_t k, clauses = c->n, last = c->last_semi;

	for (k = 0; k < c->nsemi && clauses == c->n; k++)
		if (!keyword_at(c, skip_blank(c, c->semi[k] + 1)))
			clauses = c->semi[k];
	if (clauses == c->n && c->nsemi == RCVD_SEMIS)
		clauses = last; /* more semicolons than looked at */
	c->clause_end = clauses;
	c->tail = c->n;
	if (last == FG_RCVD_MAX) {
		c->out->notes |= FG_RCVD_N_NO_DATE;
		return;
	}
	if (fg_date_parse(c->w + last + 1, c->n - last - 1, &c->out->date) ==
	    FG_OK) {
		c->out->has_date = 1;
		c->tail = last + 1 + c->out->date.used;
	} else {
		c->out->notes |= FG_RCVD_N_NO_DATE;
	}
}

/* IP word shapes */
struct ipw {
	struct fg_ip ip;
	unsigned port;
	int bracketed;
	const char *ident;
	size_t identn;
};

/* parse_port - decimal port 1..65535 */
static int
parse_port(const char *s, size_t n, unsigned *port)
{
	uint64_t v;

	if (fg_str_parse_u64(s, n, 65535, &v) != FG_OK || v == 0)
		return 0;
	*port = (unsigned)v;
	return 1;
}

/* addr_port - "ADDR", "v4:PORT" or "a.b.c.d.PORT" */
static int
addr_port(const char *s, size_t n, struct ipw *o)
{
	const char *colon = memchr(s, ':', n), *dot;
	size_t k, dots = 0;

	if (n > 5 && fg_str_caseeq(s, 5, "IPv6:", 5))
		s += 5, n -= 5;
	for (k = 0; k < n; k++)
		if (s[k] == '%') /* an IPv6 zone index (Exchange) */
			n = k;
	if (n == 0)
		return 0;
	if (fg_ipaddr_parse(s, n, &o->ip) == FG_OK)
		return 1;
	if (colon != NULL &&
	    memchr(colon + 1, ':', n - (size_t)(colon - s) - 1) == NULL)
		return fg_ipaddr_parse4(s, (size_t)(colon - s), &o->ip) ==
			       FG_OK &&
		       parse_port(colon + 1, n - (size_t)(colon - s) - 1,
				  &o->port);
	for (k = 0; k < n; k++)
		dots += s[k] == '.';
	dot = s + n;
	while (dot > s && dot[-1] != '.')
		dot--;
	return dots == 4 && dot > s &&
	       fg_ipaddr_parse4(s, (size_t)(dot - s) - 1, &o->ip) == FG_OK &&
	       parse_port(dot, n - (size_t)(dot - s), &o->port);
}

/* looks_numeric - hex digits with three or four dots, or two colons or
 * more: an attempt at an address, not a number or a version */
static int
looks_numeric(const char *s, size_t n)
{
	size_t k, dots = 0, colons = 0;

	for (k = 0; k < n; k++) {
		if (s[k] == '.')
			dots++;
		else if (s[k] == ':')
			colons++;
		else if (!FG_IS_XDIGIT((unsigned char)s[k]))
			return 0;
	}
	return n > 0 && (FG_IS_XDIGIT((unsigned char)s[0]) || s[0] == ':') &&
	       ((colons == 0 && (dots == 3 || dots == 4)) || colons >= 2 ||
		(colons == 1 && dots == 3));
}

/* placeholder_literal - what some MTAs write where an address goes:
 * "[HIDDEN]", "[local]" (OpenSMTPD), "[UNIX: localhost]", "[unix
 * socket]": no address claimed, so not a bogus one either.  An address
 * claim starts with a hex digit, a colon, "IPv6:" or "("; an empty "[]"
 * stays a bogus address (rspamd's corpus reads it so) */
static int
placeholder_literal(const char *s, size_t n)
{
	return n > 0 && s[0] != ']' && !FG_IS_XDIGIT((unsigned char)s[0]) &&
	       s[0] != ':' && s[0] != '(' &&
	       !(n > 5 && fg_str_caseeq(s, 5, "IPv6:", 5));
}

/*
 * ipword - 1: an address (bracketed or not, maybe "ident@" before and a
 * port after); -1: a bracketed or numeric word that is not one; 0: not
 * an address at all
 */
static int
ipword(const char *s, size_t n, struct ipw *o)
{
	size_t k;
	const char *close;

	memset(o, 0, sizeof(*o));
	n = trim_ip(s, n);
	for (k = n; k > 0; k--)
		if (s[k - 1] == '@') {
			o->ident = s;
			o->identn = k - 1;
			s += k, n -= k;
			break;
		}
	if (n == 0)
		return 0;
	if (s[0] != '[') {
		if (!looks_numeric(s, n))
			return 0;
		return addr_port(s, n, o) ? 1 : -1;
	}
	o->bracketed = 1;
	if (placeholder_literal(s + 1, n - 1))
		return 0;
	close = memchr(s, ']', n);
	if (close == NULL)
		return -1;
	k = (size_t)(close - s) + 1;
	if (k < n &&
	    (s[k] != ':' || !parse_port(s + k + 1, n - k - 1, &o->port)))
		return -1;
	if (!addr_port(s + 1, (size_t)(close - s) - 1, o))
		return -1;
	fg_ipaddr_normalize(&o->ip);
	return 1;
}

/* is_host - a plausible host name: letters, digits, "-", "_", "." */
static int
is_host(const char *s, size_t n)
{
	size_t k;
	int alpha = 0;

	n = trim(s, n);
	if (n == 0 || n > FG_DOMAIN_MAX)
		return 0;
	for (k = 0; k < n; k++) {
		unsigned char ch = (unsigned char)s[k];

		if (!FG_IS_ALNUM(ch) && ch != '-' && ch != '_' && ch != '.')
			return 0;
		alpha |= FG_IS_ALPHA(ch);
	}
	return alpha || looks_numeric(s, n);
}

/* placeholder - words MTAs write where a reverse DNS name would be */
static int
placeholder(const char *s, size_t n)
{
	return fg_str_caseeqz(s, n, "unknown") ||
	       fg_str_caseeqz(s, n, "softdnserr") ||
	       fg_str_caseeqz(s, n, "dnserror");
}

/* What one comment inside the from clause says. */
struct cinfo {
	int helo_marker; /* HELO/EHLO/LHLO NAME */
	struct fg_view helo;
	int has_ip;
	struct ipw ip;
	struct fg_view host; /* the word before a bracketed address */
	struct fg_view only_host; /* the comment is one host name */
	int verified;
	unsigned port; /* Exim's "port=N" */
	struct fg_view bad;
};

/* cwords - split a comment into words, skipping nested comments */
static size_t
cwords(const char *s, size_t n, struct fg_view *v, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		size_t st;

		while (i < n && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i < n && s[i] == '(') {
			int depth = 0;
			size_t open = i;

			for (; i < n; i++)
				if (s[i] == '(')
					depth++;
				else if (s[i] == ')' && --depth == 0)
					break;
			/* a nested comment of one word stays, "(" first:
			 * Microsoft 365 writes its address so */
			if (i < n && i > open + 1 &&
			    memchr(s + open + 1, ' ', i - open - 1) == NULL &&
			    memchr(s + open + 1, '(', i - open - 1) == NULL) {
				v[k].p = s + open;
				v[k++].n = i - open;
			}
			i++;
			continue;
		}
		st = i;
		while (i < n && s[i] != ' ' && s[i] != '(')
			i++;
		if (i > st) {
			v[k].p = s + st;
			v[k++].n = i - st;
		}
	}
	return k;
}

/* is_helo_kw - the words qmail, CommuniGate and GMX put before HELO */
static int
is_helo_kw(const struct fg_view *w)
{
	return fg_str_caseeqz(w->p, w->n, "HELO") ||
	       fg_str_caseeqz(w->p, w->n, "EHLO") ||
	       fg_str_caseeqz(w->p, w->n, "LHLO");
}

/* analyse - what a from-clause comment says */
static void
analyse(struct ctx *c, const char *s, size_t n, struct cinfo *ci)
{
	struct fg_view w[FG_RCVD_COMMENT_WORDS_MAX];
	size_t nw = cwords(s, n, w, FG_RCVD_COMMENT_WORDS_MAX), k;

	memset(ci, 0, sizeof(*ci));
	for (k = 0; k < nw; k++) {
		struct ipw ip;
		int r, nested;

		if (is_helo_kw(&w[k])) {
			ci->helo_marker = 1;
			if (k + 1 < nw)
				ci->helo = w[++k];
			continue;
		}
		if (w[k].n > 5 && fg_str_caseeq(w[k].p, 5, "helo=", 5)) {
			ci->helo_marker = 1;
			ci->helo.p = w[k].p + 5;
			ci->helo.n = w[k].n - 5;
			c->exim = 1;
			continue;
		}
		if (fg_str_caseeqz(w[k].p, w[k].n, "verified"))
			ci->verified = 1;
		if (w[k].n > 5 && fg_str_caseeq(w[k].p, 5, "port=", 5)) {
			(void)parse_port(w[k].p + 5, trim(w[k].p, w[k].n) - 5,
					 &ci->port);
			continue;
		}
		/* Microsoft 365 nests the address in parentheses: "(name
		 * (2a01:111:f403:f902::))", a name and its address */
		nested = w[k].n > 1 && w[k].p[0] == '(';
		r = nested ? ipword(w[k].p + 1, w[k].n - 1, &ip)
			   : ipword(w[k].p, w[k].n, &ip);
		if (r == 1 && !ci->has_ip) {
			ci->has_ip = 1;
			ci->ip = ip;
			if ((ip.bracketed || nested) && k > 0 &&
			    !is_helo_kw(&w[k - 1]))
				ci->host = w[k - 1];
		} else if (r == -1 && ci->bad.p == NULL) {
			ci->bad = w[k];
		}
	}
	if (nw == 1 && !ci->has_ip && is_host(w[0].p, w[0].n) &&
	    memchr(w[0].p, '.', w[0].n) != NULL)
		ci->only_host = w[0];
}

/* tok_view - a token's bytes */
static struct fg_view
tok_view(const struct ctx *c, size_t i)
{
	struct fg_view v = { c->w + c->t[i].off, c->t[i].len };

	return v;
}

/* starts_ci - does s begin with the words of z */
static int
starts_ci(const char *s, size_t n, const char *z)
{
	size_t zn = strlen(z);

	return n >= zn && fg_str_caseeq(s, zn, z, zn);
}

/* unbracket - "<x>" to x */
static struct fg_view
unbracket(const char *s, size_t n)
{
	struct fg_view v;

	n = trim(s, n);
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
		s++, n -= 2;
	v.p = s;
	v.n = n;
	return v;
}

/* any_comment - facts any comment may carry, wherever it stands */
static void
any_comment(struct ctx *c, const char *s, size_t n)
{
	struct fg_rcvd *o = c->out;
	struct fg_view w[4];
	size_t nw = cwords(s, n, w, 4);

	if (nw >= 2 && (fg_str_caseeqz(w[0].p, w[0].n, "envelope-from") ||
			fg_str_caseeqz(w[0].p, w[0].n, "envelope-sender"))) {
		struct fg_view v = unbracket(w[1].p, w[1].n);

		if (o->envfrom[0] == '\0')
			put(o->envfrom, sizeof(o->envfrom), v.p, v.n);
		return;
	}
	if (starts_ci(s, n, "using TLS") || starts_ci(s, n, "TLS") ||
	    starts_ci(s, n, "version=TLS"))
		o->proto |= FG_RCVD_P_TLS;
	if (starts_ci(s, n, "Exim "))
		c->exim = 1;
	if (starts_ci(s, n, "via HTTP"))
		o->proto |= FG_RCVD_P_HTTP;
	if (o->auth != FG_RCVD_AUTH_NONE)
		return;
	if (starts_ci(s, n, "authenticated as")) {
		o->auth = FG_RCVD_AUTH_AS;
		if (nw > 2)
			put(o->auth_detail, sizeof(o->auth_detail), w[2].p,
			    w[2].n);
	} else if (starts_ci(s, n, "authenticated sender:")) {
		o->auth = FG_RCVD_AUTH_SENDER;
		if (nw > 2)
			put(o->auth_detail, sizeof(o->auth_detail), w[2].p,
			    w[2].n);
	} else if (starts_ci(s, n, "authenticated")) {
		o->auth = FG_RCVD_AUTH_BITS;
	} else if (starts_ci(s, n, "AUTH:") && nw > 1) {
		o->auth = FG_RCVD_AUTH_MECH;
		put(o->auth_detail, sizeof(o->auth_detail), w[1].p,
		    trim(w[1].p, w[1].n));
	} else if (starts_ci(s, n, "account ") && nw > 1) {
		o->auth = FG_RCVD_AUTH_ACCOUNT;
		put(o->auth_detail, sizeof(o->auth_detail), w[1].p, w[1].n);
	} else if (nw >= 3 && fg_str_caseeqz(w[1].p, w[1].n, "authenticated") &&
		   fg_str_caseeqz(w[2].p, w[2].n, "user")) {
		o->auth = FG_RCVD_AUTH_WEB; /* SquirrelMail, NaSMail */
	}
}

/* with_flags - RFC 3848 protocol types and the usual others */
static void
with_flags(struct fg_rcvd *o)
{
	const char *s = o->with;
	size_t n = strlen(s), k = 0;

	if (n >= 4 && fg_str_caseeq(s, 4, "UTF8", 4))
		o->proto |= FG_RCVD_P_UTF8, k = 4;
	if (n - k >= 5 && fg_str_caseeq(s + k, 5, "ESMTP", 5)) {
		o->proto |= FG_RCVD_P_ESMTP;
		k += 5;
	} else if (n - k >= 4 && fg_str_caseeq(s + k, 4, "LMTP", 4)) {
		o->proto |= FG_RCVD_P_LMTP;
		k += 4;
	} else if (fg_str_caseeqz(s, n, "asmtp")) { /* Exim, authenticated */
		o->proto |= FG_RCVD_P_AUTH;
		return;
	} else if (n >= 4 && fg_str_caseeq(s, 4, "HTTP", 4)) {
		o->proto |= FG_RCVD_P_HTTP;
		return;
	} else {
		return;
	}
	if (k < n && FG_TO_UPPER((unsigned char)s[k]) == 'S')
		o->proto |= FG_RCVD_P_TLS, k++;
	if (k < n && FG_TO_UPPER((unsigned char)s[k]) == 'A')
		o->proto |= FG_RCVD_P_AUTH;
}

/* take_value - the first word of a clause */
static void
take_value(struct ctx *c, enum clause cl, struct fg_view v)
{
	struct fg_rcvd *o = c->out;
	struct fg_view u;
	struct ipw ipw;

	switch (cl) {
	case C_BY:
		if (is_host(v.p, v.n) || ipword(v.p, v.n, &ipw) == 1 ||
		    (v.n > 2 && v.p[0] == '[' && trim(v.p, v.n) > 2))
			put_name(o->by, v.p, v.n);
		else
			o->notes |= FG_RCVD_N_BAD_BY;
		break;
	case C_VIA:
		put(o->via, sizeof(o->via), v.p, trim(v.p, v.n));
		if (starts_ci(v.p, v.n, "HTTP"))
			o->proto |= FG_RCVD_P_HTTP;
		break;
	case C_WITH:
		put(o->with, sizeof(o->with), v.p, trim(v.p, v.n));
		with_flags(o);
		break;
	case C_ID:
		u = unbracket(v.p, v.n);
		put(o->id, sizeof(o->id), u.p, u.n);
		break;
	case C_FOR:
		if (memchr(v.p, '@', v.n) != NULL || v.p[0] == '<')
			put(o->for_, sizeof(o->for_), v.p, trim(v.p, v.n));
		break;
	case C_ENVFROM:
		u = unbracket(v.p, v.n);
		if (o->envfrom[0] == '\0')
			put(o->envfrom, sizeof(o->envfrom), u.p, u.n);
		break;
	default:
		break;
	}
}

/* open_clause - a keyword seen; C_NONE when it repeats a clause */
static enum clause
open_clause(struct ctx *c, enum clause cl)
{
	if (cl == C_FROM && (c->seen[C_BY] || c->seen[C_FROM]))
		cl = c->seen[C_BY] ? C_ENVFROM : C_NONE; /* XMail "from <x>" */
	if (cl == C_NONE || c->seen[cl])
		return C_NONE;
	if (cl == C_VIA && !c->seen[C_BY])
		c->via_before_by = 1;
	c->seen[cl] = 1;
	return cl;
}

/* clauses - walk the tokens */
static void
clauses(struct ctx *c)
{
	enum clause cur = C_NONE;
	int want = 0;
	size_t i;

	size_t start = skip_blank(c, 0);

	if (start < c->clause_end && c->w[start] == '(' &&
	    c->clause_end - start > 6 &&
	    fg_str_caseeq(c->w + start + 1, 5, "from ", 5)) {
		/* "(from KRYPTIK [70.20.57.51]) by ...": a from clause
		 * written as a comment (NAVGW, Sendmail's Submit) */
		size_t end = comment_end(c, start, c->clause_end);

		tokenize(c, start + 6, end - (c->w[end - 1] == ')'));
		c->seen[C_FROM] = 1;
		if (c->nt > 0) {
			c->from_tok = 0;
			for (i = 1; i < c->nt; i++)
				c->from_items[c->nitems++] = i;
		}
		start = end;
	}
	i = c->nt;
	tokenize(c, start, c->clause_end);
	c->tail_tok = c->nt;
	tokenize(c, c->tail, c->n);
	for (; i < c->nt; i++) {
		struct fg_view v = tok_view(c, i);
		enum clause kw;

		if (i == c->tail_tok)
			cur = C_NONE, want = 0;
		if (c->t[i].comment) {
			any_comment(c, v.p, v.n);
			if (cur == C_FROM) {
				c->from_items[c->nitems++] = i;
				want = 0; /* "from ([IP])": no name */
			}
			continue;
		}
		kw = keyword(v.p, v.n);
		if (kw != C_NONE && !(want && cur == C_FROM)) {
			cur = open_clause(c, kw);
			want = cur != C_NONE;
			continue;
		}
		if (want) {
			want = 0;
			if (cur == C_FROM)
				c->from_tok = i;
			else
				take_value(c, cur, v);
			continue;
		}
		if (cur == C_FROM)
			c->from_items[c->nitems++] = i;
		else if (cur == C_NONE && trim(v.p, v.n) > 0)
			c->out->unknown_words++;
	}
}

/* quoted_helo - TIS: claiming to be "NAME" */
static int
quoted_helo(struct ctx *c, size_t item)
{
	struct fg_view v = tok_view(c, c->from_items[item]);
	size_t n = trim(v.p, v.n);

	if (n < 2 || v.p[0] != '"' || v.p[n - 1] != '"')
		return 0;
	put_name(c->out->helo, v.p + 1, n - 2);
	c->out->has_helo = 1;
	return 1;
}

/* The facts gathered from the from clause before they are judged. */
struct fromfacts {
	struct fg_view name; /* T */
	int name_ip; /* ipword(T) */
	struct ipw tip;
	struct cinfo tcp; /* the comment holding the connection facts */
	int got_tcp, tcp_from_word, tcp_after_helo;
	struct fg_view alt_host; /* Exim 3: "(HELO)" before a bare [IP] */
	unsigned port; /* "port=N" in a comment */
	int helo_comment;
	struct fg_view bad;
};

/* gather - read the items of the from clause */
static void
gather(struct ctx *c, struct fromfacts *f)
{
	size_t k;

	for (k = 0; k < c->nitems; k++) {
		struct fg_view v = tok_view(c, c->from_items[k]);
		struct cinfo ci;

		if (!c->t[c->from_items[k]].comment) {
			struct ipw ip;
			int r = ipword(v.p, v.n, &ip);

			if (r == 1 && !f->got_tcp) {
				f->got_tcp = f->tcp_from_word = 1;
				memset(&f->tcp, 0, sizeof(f->tcp));
				f->tcp.ip = ip;
				f->tcp.has_ip = 1;
			} else if (r == -1 && f->bad.p == NULL) {
				f->bad = v;
			} else if (!quoted_helo(c, k) && r == 0) {
				c->out->unknown_words++;
			}
			continue;
		}
		analyse(c, v.p, v.n, &ci);
		if (ci.helo_marker && !c->out->has_helo) {
			put_name(c->out->helo, ci.helo.p, ci.helo.n);
			c->out->has_helo = 1;
			f->helo_comment = 1;
		}
		if (ci.bad.p != NULL && f->bad.p == NULL)
			f->bad = ci.bad;
		if (ci.port != 0 && f->port == 0)
			f->port = ci.port;
		if (ci.has_ip && !f->got_tcp) {
			/* a literal after "from" is only overridden by a
			 * bracketed address (CommuniGate, qmail) */
			if (f->name_ip == 1 && f->tip.bracketed &&
			    !ci.ip.bracketed)
				continue;
			f->got_tcp = 1;
			f->tcp = ci;
			f->tcp_after_helo = f->helo_comment && !ci.helo_marker;
		} else if (ci.only_host.p != NULL && !f->got_tcp && k == 0) {
			f->alt_host = ci.only_host;
		}
	}
}

/* judge_ip - the address, from the comment, a bare word, or T */
static void
judge_ip(struct ctx *c, struct fromfacts *f)
{
	struct fg_rcvd *o = c->out;
	const struct ipw *ip = NULL;

	if (f->got_tcp)
		ip = &f->tcp.ip;
	else if (f->name_ip == 1)
		ip = &f->tip;
	if (ip != NULL) {
		o->has_ip = 1;
		o->ip = ip->ip;
		fg_ipaddr_normalize(&o->ip);
		o->port = ip->port != 0 ? ip->port : f->port;
		if (ip->ident != NULL)
			put(o->ident, sizeof(o->ident), ip->ident, ip->identn);
	}
	if (f->name_ip == -1 && f->name.p[0] == '[' && f->bad.p == NULL)
		f->bad = f->name;
	if (f->bad.p != NULL) {
		o->notes |= FG_RCVD_N_BAD_IP;
		put(o->bad_ip, sizeof(o->bad_ip), f->bad.p, f->bad.n);
	}
}

/* name_ok - T is a host name (not an address, not a placeholder) */
static int
name_ok(const struct fromfacts *f)
{
	return f->name.n > 0 && f->name_ip == 0 &&
	       is_host(f->name.p, f->name.n) &&
	       !placeholder(f->name.p, f->name.n);
}

/* judge_names - helo and rdns, by the shape of the clause */
static void
judge_names(struct ctx *c, struct fromfacts *f)
{
	struct fg_rcvd *o = c->out;
	const struct cinfo *t = &f->tcp;
	int http = (o->proto & FG_RCVD_P_HTTP) || o->auth == FG_RCVD_AUTH_WEB;
	int dotted = memchr(f->name.p, '.', f->name.n) != NULL;
	int qmail = f->got_tcp && !f->tcp_from_word && t->ip.port == 0 &&
		    (!t->ip.bracketed || f->tcp_after_helo);

	if (t->host.p != NULL) {
		size_t hn = t->host.n;
		const char *at = memchr(t->host.p, '@', hn);

		if (at != NULL) { /* Sendmail: ident@RDNS [IP] */
			put(o->ident, sizeof(o->ident), t->host.p,
			    (size_t)(at - t->host.p));
			hn -= (size_t)(at - t->host.p) + 1;
			put_name(o->tcp_host, at + 1, hn);
		} else {
			put_name(o->tcp_host, t->host.p, hn);
		}
		if (!placeholder(o->tcp_host, strlen(o->tcp_host)))
			put_name(o->rdns, o->tcp_host, strlen(o->tcp_host));
	} else if (f->got_tcp &&
		   ((name_ok(f) && (c->exim || t->verified ||
				    (f->tcp_from_word &&
				     (f->alt_host.p || f->helo_comment)) ||
				    (qmail && dotted))) ||
		    (qmail && f->name_ip == 1 && !f->tip.bracketed))) {
		/* Exim, CommuniGate "verified", Exim 3/GMX, qmail (which
		 * writes the address as the name when there is no PTR) */
		put_name(o->rdns, f->name.p, f->name.n);
	}
	if (o->has_helo)
		return;
	if (http || c->via_before_by || f->name.n == 0 ||
	    (f->name_ip == 1 && !f->tip.bracketed && !f->got_tcp))
		return;
	o->has_helo = 1;
	if (f->alt_host.p != NULL && f->tcp_from_word)
		put_name(o->helo, f->alt_host.p, f->alt_host.n);
	else
		put_name(o->helo, f->name.p, f->name.n);
}

/* from_clause - interpret what the from clause holds */
static void
from_clause(struct ctx *c)
{
	struct fromfacts f;

	memset(&f, 0, sizeof(f));
	if (c->from_tok < c->nt) {
		f.name = tok_view(c, c->from_tok);
		f.name.n = trim(f.name.p, f.name.n);
		put(c->out->from_name, sizeof(c->out->from_name), f.name.p,
		    f.name.n);
		f.name_ip = ipword(f.name.p, f.name.n, &f.tip);
	} else {
		f.name.p = "";
	}
	gather(c, &f);
	judge_ip(c, &f);
	judge_names(c, &f);
}

/* kind_of - relay, local, fetch or filter */
static enum fg_rcvd_kind
kind_of(const struct fg_rcvd *o)
{
	const char *w = o->with;
	size_t n = strlen(w);

	if (fg_str_caseeqz(w, n, "IMAP") || fg_str_caseeqz(w, n, "POP3") ||
	    fg_str_caseeqz(w, n, "POP"))
		return FG_RCVD_FETCH;
	if (starts_ci(w, n, "qmail-scanner") ||
	    fg_str_caseeqz(w, n, "scanned-ok"))
		return FG_RCVD_FILTER;
	return o->has_ip ? FG_RCVD_RELAY : FG_RCVD_LOCAL;
}

/* auth_from_proto - "with ESMTPA" and friends, and webmail */
static void
auth_from_proto(struct fg_rcvd *o)
{
	if (o->proto & FG_RCVD_P_AUTH) {
		o->auth = FG_RCVD_AUTH_PROTO;
		put(o->auth_detail, sizeof(o->auth_detail), o->with,
		    strlen(o->with));
	} else if ((o->proto & FG_RCVD_P_HTTP) &&
		   (o->auth == FG_RCVD_AUTH_NONE ||
		    o->auth == FG_RCVD_AUTH_ACCOUNT)) {
		/* CommuniGate webmail: "(account USER) ... with HTTP" */
		o->auth = FG_RCVD_AUTH_WEB;
	}
}

/* fg_received_parse - one Received: field body */
enum fg_err
fg_received_parse(const char *p, size_t n, struct fg_rcvd *out)
{
	struct ctx c;

	memset(out, 0, sizeof(*out));
	c.nt = c.nitems = 0;
	c.from_tok = FG_RCVD_TOKENS_MAX;
	memset(c.seen, 0, sizeof(c.seen));
	c.via_before_by = c.exim = 0;
	c.out = out;
	normalise(&c, p, n);
	split(&c);
	clauses(&c);
	from_clause(&c);
	auth_from_proto(out);
	out->kind = kind_of(out);
	if (!c.seen[C_FROM] && !c.seen[C_BY] && !out->has_date)
		return FG_ESYNTAX;
	return FG_OK;
}

/* fg_received_kind_name - the kind as a word */
const char *
fg_received_kind_name(enum fg_rcvd_kind k)
{
	switch (k) {
	case FG_RCVD_RELAY:
		return "relay";
	case FG_RCVD_LOCAL:
		return "local";
	case FG_RCVD_FETCH:
		return "fetch";
	case FG_RCVD_FILTER:
		return "filter";
	}
	return "?";
}
