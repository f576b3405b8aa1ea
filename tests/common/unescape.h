/*
 * unescape.h - the token escapes shared by the test script drivers
 * (tests/replay/replay.c and tests/milter/fgmc.c): \s is a blank, \\ a
 * backslash, \xHH any byte but NUL.
 */
#ifndef FG_TEST_UNESCAPE_H
#define FG_TEST_UNESCAPE_H

#include <stdlib.h>

/* test_unescape - decode a script token in place */
static inline void
test_unescape(char *s)
{
	char *w = s;

	while (*s) {
		if (s[0] == '\\' && s[1] == 's') {
			*w++ = ' ';
			s += 2;
		} else if (s[0] == '\\' && s[1] == '\\') {
			*w++ = '\\';
			s += 2;
		} else if (s[0] == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };

			*w++ = (char)strtol(hex, NULL, 16);
			s += 4;
		} else {
			*w++ = *s++;
		}
	}
	*w = '\0';
}

#endif
