/*
 * deadline.h - one monotonic deadline, shared by everything that waits
 */
#ifndef FG_DEADLINE_H
#define FG_DEADLINE_H

#include <time.h>

/* fg_deadline_after - the CLOCK_MONOTONIC time ms milliseconds from now */
struct timespec fg_deadline_after(unsigned ms);
/* fg_deadline_left - milliseconds until deadline, 0 once it has passed */
unsigned fg_deadline_left(struct timespec deadline);

#endif
