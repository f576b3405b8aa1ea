/*
 * json.h - a bounded JSON reader (RFC 8259) for forgeguard's own records
 *
 * fg_json_parse reads one value into a flat array of nodes (objects and
 * arrays link their children), at most cap nodes and FG_JSON_DEPTH deep;
 * strings stay views into the input, escapes undecoded, until
 * fg_json_string decodes one (\uXXXX as UTF-8, surrogate pairs joined).
 * Anything else (trailing bytes, a bad escape, a lone surrogate, a
 * number that is not one) is an error with its offset.
 */
#ifndef FG_JSON_H
#define FG_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "forgeguard/err.h"
#include "forgeguard/str.h"

#define FG_JSON_DEPTH 8
#define FG_JSON_NONE ((size_t)-1)

enum fg_json_type {
	FG_JSON_OBJECT,
	FG_JSON_ARRAY,
	FG_JSON_STRING,
	FG_JSON_NUMBER,
	FG_JSON_TRUE,
	FG_JSON_FALSE,
	FG_JSON_NULL,
};

struct fg_json_node {
	enum fg_json_type type;
	struct fg_view key; /* member name (raw), n == 0 outside objects */
	struct fg_view raw; /* string contents (raw) or number text */
	size_t child; /* first member or element, FG_JSON_NONE */
	size_t next; /* next sibling, FG_JSON_NONE */
};

/* fg_json_parse - the value of p[0..n) into nodes[0..cap); the root is
 * node 0; FG_ESYNTAX with *errpos, FG_ETOOLONG past cap or the depth */
enum fg_err fg_json_parse(const char *p, size_t n, struct fg_json_node *nodes,
			  size_t cap, size_t *count, size_t *errpos) FG_WUR;
/* fg_json_get - the member of object node obj named key, FG_JSON_NONE */
size_t
fg_json_get(const struct fg_json_node *nodes, size_t obj, const char *key);
/* fg_json_string - a string node decoded into dst (cut at cap, NUL
 * ended); 0 when the node is not a string */
int fg_json_string(const struct fg_json_node *node, char *dst, size_t cap);
/* fg_json_int - a number node as an integer; 0 when it is not one */
int fg_json_int(const struct fg_json_node *node, int64_t *out);

#endif
