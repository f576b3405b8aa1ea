/*
 * fuzz_tagvalue - tag=value lists, DKIM-Signature fields and DKIM key
 * records on arbitrary bytes
 *
 * Every parse ends with FG_OK or an error with a reason; a parsed list
 * holds views inside the input; a parsed signature keeps its bounds
 * (h= names inside the input, b= and bh= within their buffers, b='s
 * place inside the input, d= canonical).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "forgeguard/dkimsig.h"
#include "forgeguard/tagvalue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* inside - does the view lie within the input */
static int
inside(const struct fg_view *v, const char *p, size_t n)
{
	return v->p >= p && v->p + v->n <= p + n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fg_taglist tl;
	static struct fg_dkimsig s;
	static struct fg_dkimkey k;
	const char *p = (const char *)data;
	size_t i;

	if (fg_tagvalue_parse(p, size, &tl) == FG_OK) {
		if (tl.n > FG_TAGS_MAX)
			__builtin_trap();
		for (i = 0; i < tl.n; i++)
			if (!inside(&tl.t[i].name, p, size) ||
			    !inside(&tl.t[i].value, p, size) ||
			    tl.t[i].name.n == 0)
				__builtin_trap();
	} else if (tl.why == NULL) {
		__builtin_trap();
	}
	if (fg_dkimsig_parse(p, size, &s) == FG_OK) {
		if (s.nh == 0 || s.nh > FG_DKIM_H_MAX || s.blen == 0 ||
		    s.blen > sizeof(s.b) || s.bhlen > sizeof(s.bh) ||
		    s.b_start > s.b_end || s.b_end > size ||
		    strlen(s.d) > FG_DOMAIN_MAX)
			__builtin_trap();
		for (i = 0; i < s.nh; i++)
			if (!inside(&s.h[i], p, size))
				__builtin_trap();
	} else if (s.why == NULL) {
		__builtin_trap();
	}
	if (fg_dkimkey_parse(p, size, &k) == FG_OK) {
		if (k.plen > sizeof(k.p) || (k.revoked && k.plen != 0))
			__builtin_trap();
	} else if (k.why == NULL) {
		__builtin_trap();
	}
	return 0;
}
