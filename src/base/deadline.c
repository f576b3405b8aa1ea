/*
 * NAME
 *	deadline - monotonic deadlines
 * SYNOPSIS
 *	#include "forgeguard/deadline.h"
 * DESCRIPTION
 *	A check computes its deadline once and every wait below it (DNS
 *	lookups, SPF evaluation) asks how much of it is left, so the whole
 *	check, not each step, is bounded.  CLOCK_MONOTONIC: wall-clock
 *	changes do not stretch or cut it.
 * DIAGNOSTICS
 *	None.
 */
#include "forgeguard/deadline.h"

/* fg_deadline_after - the CLOCK_MONOTONIC time ms milliseconds from now */
struct timespec
fg_deadline_after(unsigned ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

/* fg_deadline_left - milliseconds until deadline, 0 once it has passed */
unsigned
fg_deadline_left(struct timespec deadline)
{
	struct timespec t;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ms = (deadline.tv_sec - t.tv_sec) * 1000L +
	     (deadline.tv_nsec - t.tv_nsec) / 1000000L;
	return ms > 0 ? (unsigned)ms : 0;
}
