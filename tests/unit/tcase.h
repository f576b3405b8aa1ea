/*
 * tcase.h - helpers shared by the Check suites
 *
 * Each suite is table-driven: a static array of named cases, one loop
 * test over it (tcase_add_loop_test), and ck_assert_msg messages that
 * print the case name, what we got and what we wanted.
 */
#ifndef FG_TCASE_H
#define FG_TCASE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A runner main for one suite. */
#define FG_SUITE_MAIN(make_suite)                                 \
	int main(void)                                            \
	{                                                         \
		SRunner *sr = srunner_create(make_suite());       \
		int failed;                                       \
		srunner_run_all(sr, CK_NORMAL);                   \
		failed = srunner_ntests_failed(sr);               \
		srunner_free(sr);                                 \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE; \
	}

/* big - a heap string of n copies of c (tests free it) */
static inline char *
big(size_t n, char c)
{
	char *s = malloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

#endif
