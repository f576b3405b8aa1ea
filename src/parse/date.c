/*
 * NAME
 *	date - parse an RFC 5322 date-time into UTC seconds
 * SYNOPSIS
 *	#include "forgeguard/date.h"
 * DESCRIPTION
 *	Reads "[day ,] d month year hh:mm[:ss] zone" with comments and
 *	folding white space anywhere between tokens, plus what real
 *	Received: fields carry: two- and three-digit years, alphabetic
 *	zones, a zone glued to the time ("17:40:44-0500"), no zone at all,
 *	and the asctime form "Sun Nov 13 14:50:12 2005".  Every obsolete
 *	form read is flagged, so a check may judge it.
 * STANDARDS
 *	RFC 5322 3.3 (date-time) and 4.3 (obsolete date and time: years
 *	below 50 are 20xx, other two-digit years 19xx, three-digit years
 *	1900+; military zones are read as -0000).
 * DIAGNOSTICS
 *	FG_ESYNTAX with used at the offending byte.
 */
#include <string.h>

#include "forgeguard/date.h"
#include "forgeguard/str.h"

/* Comments nest at most this deep inside a date; deeper is an error. */
#define DATE_COMMENT_DEPTH 8

struct cur {
	const unsigned char *p;
	size_t n, i;
};

/* skip_cfws - white space and (nested) comments; 0 on an unclosed one */
static int
skip_cfws(struct cur *c)
{
	int depth = 0;

	while (c->i < c->n) {
		unsigned char ch = c->p[c->i];

		if (depth == 0 && !FG_IS_SPACE(ch) && ch != '(')
			return 1;
		if (ch == '(' && ++depth > DATE_COMMENT_DEPTH)
			return 0;
		if (ch == ')' && depth > 0)
			depth--;
		else if (ch == '\\' && depth > 0 && c->i + 1 < c->n)
			c->i++;
		c->i++;
	}
	return depth == 0;
}

/* digits - 1..max decimal digits; their count, 0 if none */
static int
digits(struct cur *c, int max, int *out)
{
	int k = 0, v = 0;

	while (c->i < c->n && k < max && FG_IS_DIGIT(c->p[c->i])) {
		v = v * 10 + (c->p[c->i] - '0');
		c->i++;
		k++;
	}
	*out = v;
	return k;
}

/* word - letters; their count */
static size_t
word(struct cur *c, const char **w)
{
	size_t s = c->i;

	while (c->i < c->n && FG_IS_ALPHA(c->p[c->i]))
		c->i++;
	*w = (const char *)c->p + s;
	return c->i - s;
}

static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";

/* month_of - 1..12 for a month name (3 letters or the full name), 0 */
static int
month_of(const char *w, size_t n)
{
	int m;

	if (n < 3)
		return 0;
	for (m = 0; m < 12; m++)
		if (fg_str_caseeq(w, 3, months + 3 * m, 3))
			return m + 1;
	return 0;
}

static const struct {
	const char *name;
	int off;
} zones[] = {
	{ "UT", 0 },     { "UTC", 0 },    { "GMT", 0 },    { "Z", 0 },
	{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 }, { "CDT", -300 },
	{ "MST", -420 }, { "MDT", -360 }, { "PST", -480 }, { "PDT", -420 },
	{ "CET", 60 },   { "CEST", 120 }, { "MET", 60 },   { "MEST", 120 },
	{ "BST", 60 },   { "EET", 120 },  { "EEST", 180 }, { "JST", 540 },
	{ "WET", 0 },    { "WEST", 60 },
};

/* zone - numeric or alphabetic zone; 0 if none was there */
static int
zone(struct cur *c, struct fg_date *d)
{
	size_t save = c->i;
	const char *w;
	size_t wn, k;
	int hhmm;

	if (c->i < c->n && (c->p[c->i] == '+' || c->p[c->i] == '-')) {
		int sign = c->p[c->i] == '-' ? -1 : 1;

		c->i++;
		if (digits(c, 4, &hhmm) != 4 || hhmm % 100 > 59) {
			c->i = save;
			return 0;
		}
		d->offset_min = sign * ((hhmm / 100) * 60 + hhmm % 100);
		return 1;
	}
	wn = word(c, &w);
	if (wn == 0 || wn > 5) {
		c->i = save;
		return 0;
	}
	d->flags |= FG_DATE_OBS_ZONE;
	for (k = 0; k < sizeof(zones) / sizeof(zones[0]); k++)
		if (fg_str_caseeqz(w, wn, zones[k].name)) {
			d->offset_min = zones[k].off;
			return 1;
		}
	if (wn == 1) { /* military: RFC 5322 4.3 says treat as -0000 */
		d->offset_min = 0;
		return 1;
	}
	c->i = save;
	return 0;
}

/* hms - hh:mm[:ss] */
static int
hms(struct cur *c, int *h, int *mi, int *s)
{
	*s = 0;
	if (digits(c, 2, h) == 0 || c->i >= c->n || c->p[c->i] != ':')
		return 0;
	c->i++;
	if (digits(c, 2, mi) != 2)
		return 0;
	if (c->i < c->n && c->p[c->i] == ':') {
		c->i++;
		if (digits(c, 2, s) != 2)
			return 0;
	}
	return *h <= 23 && *mi <= 59 && *s <= 60;
}

/* fix_year - RFC 5322 4.3 for short years */
static int
fix_year(int y, int ndig, struct fg_date *d)
{
	if (ndig >= 4)
		return y;
	d->flags |= FG_DATE_OBS_YEAR;
	if (ndig == 3)
		return y + 1900;
	return y < 50 ? y + 2000 : y + 1900;
}

/* fg_date_days - days since the epoch of a proleptic Gregorian date */
int64_t
fg_date_days(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* days_in - days of month m of year y */
static int
days_in(int y, int m)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dm[m - 1] + (m == 2 && leap);
}

/* skip_dayname - "Mon," or "Monday" or nothing */
static void
skip_dayname(struct cur *c)
{
	size_t save = c->i;
	const char *w;

	if (word(c, &w) < 3 || month_of(w, 3) != 0) {
		c->i = save;
		return;
	}
	(void)skip_cfws(c);
	if (c->i < c->n && c->p[c->i] == ',')
		c->i++;
}

/* body - the fields of either form; 1 when they all read */
static int
body(struct cur *c, struct fg_date *d, int *Y, int *M, int *D, int t[3])
{
	const char *w;
	size_t wn;
	int nd;

	if (!skip_cfws(c))
		return 0;
	skip_dayname(c);
	if (!skip_cfws(c))
		return 0;
	if (c->i < c->n && FG_IS_ALPHA(c->p[c->i])) { /* asctime */
		d->flags |= FG_DATE_ASCTIME;
		wn = word(c, &w);
		if ((*M = month_of(w, wn)) == 0 || !skip_cfws(c) ||
		    digits(c, 2, D) == 0 || !skip_cfws(c) ||
		    !hms(c, &t[0], &t[1], &t[2]) || !skip_cfws(c) ||
		    (nd = digits(c, 4, Y)) < 2)
			return 0;
		*Y = fix_year(*Y, nd, d);
		return 1;
	}
	if (digits(c, 2, D) == 0 || !skip_cfws(c))
		return 0;
	if (c->i < c->n && c->p[c->i] == '-') /* "01-Mar-2004" */
		c->i++;
	wn = word(c, &w);
	if ((*M = month_of(w, wn)) == 0)
		return 0;
	if (c->i < c->n && c->p[c->i] == '-')
		c->i++;
	if (!skip_cfws(c) || (nd = digits(c, 4, Y)) < 2 || !skip_cfws(c) ||
	    !hms(c, &t[0], &t[1], &t[2]))
		return 0;
	*Y = fix_year(*Y, nd, d);
	return 1;
}

/* ampm - "AM" or "PM" after the time (a 12-hour clock some clients
 * write): the hour made 24-hour, and the zone after it still read */
static void
ampm(struct cur *c, int t[3])
{
	size_t save = c->i;
	const char *w;

	if (word(c, &w) != 2 || (w[1] != 'M' && w[1] != 'm') ||
	    (w[0] != 'A' && w[0] != 'a' && w[0] != 'P' && w[0] != 'p') ||
	    t[0] < 1 || t[0] > 12) {
		c->i = save;
		return;
	}
	if (w[0] == 'P' || w[0] == 'p')
		t[0] = t[0] % 12 + 12;
	else
		t[0] %= 12;
	(void)skip_cfws(c);
}

/* fg_date_parse - one date-time at the start of p[0..n) */
enum fg_err
fg_date_parse(const char *p, size_t n, struct fg_date *out)
{
	struct cur c = { (const unsigned char *)p, n, 0 };
	int Y = 0, M = 0, D = 0, t[3] = { 0, 0, 0 };
	size_t before;

	memset(out, 0, sizeof(*out));
	if (!body(&c, out, &Y, &M, &D, t) || D < 1 || D > days_in(Y, M)) {
		out->used = c.i;
		return FG_ESYNTAX;
	}
	before = c.i;
	(void)skip_cfws(&c);
	ampm(&c, t);
	if (!zone(&c, out)) {
		c.i = before;
		out->flags |= FG_DATE_NO_ZONE;
	}
	out->utc = fg_date_days(Y, M, D) * 86400 + t[0] * 3600 + t[1] * 60 +
		   (t[2] == 60 ? 59 : t[2]) - (int64_t)out->offset_min * 60;
	out->used = c.i;
	return FG_OK;
}
