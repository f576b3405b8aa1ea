/*
 * date.h - RFC 5322 date-time, the obsolete forms, and asctime
 *
 * A pure parser: it reads one date-time from the start of the input,
 * skipping comments and folding, and returns it as seconds since the
 * epoch in UTC together with how many bytes it used, so that a caller
 * can look at what follows (a Received: field may carry "id ..." after
 * its date).
 */
#ifndef FG_DATE_H
#define FG_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/err.h"

#define FG_DATE_NO_ZONE 0x1 /* no zone given: read as UTC */
#define FG_DATE_OBS_ZONE 0x2 /* an alphabetic (obsolete) zone */
#define FG_DATE_OBS_YEAR 0x4 /* a two- or three-digit year */
#define FG_DATE_ASCTIME 0x8 /* "Sun Nov 13 14:50:12 2005" */

struct fg_date {
	int64_t utc; /* seconds since 1970-01-01T00:00:00Z */
	int offset_min; /* the zone as written, minutes east of UTC */
	unsigned flags; /* FG_DATE_* */
	size_t used; /* bytes read from the input */
};

/*
 * fg_date_parse - one date-time at the start of p[0..n).  FG_ESYNTAX
 * when it is not one; out->used then says how far it got.
 */
enum fg_err fg_date_parse(const char *p, size_t n, struct fg_date *out) FG_WUR;
/*
 * fg_date_days - days since 1970-01-01 of a proleptic Gregorian date
 * (month 1..12)
 */
int64_t fg_date_days(int64_t year, int month, int day);

#endif
