/*
 * catalog.h - check ids, results, actions and their built-in defaults
 *
 * Check ids are stable names used in the configuration, the logs, the
 * headers and the documentation.  checks.def is the one list of them;
 * this is the catalogue built from it: names, stages, results, the
 * built-in action and reply of each result, documentation.
 */
#ifndef FG_CATALOG_H
#define FG_CATALOG_H

#include <stddef.h>

enum fg_stage {
	FG_STAGE_CONNECT,
	FG_STAGE_HELO,
	FG_STAGE_MAIL,
	FG_STAGE_RCPT,
	FG_STAGE_DATA,
	FG_STAGE_HEADER,
	FG_STAGE_EOM,
	FG_STAGE_UNKNOWN,
	FG_STAGE_ABORT,
	FG_STAGE_CLOSE,
	FG_STAGE_COUNT
};

enum fg_result {
	FG_R_PASS,
	FG_R_FAIL,
	FG_R_SOFTFAIL,
	FG_R_NEUTRAL,
	FG_R_NONE,
	FG_R_TEMPERROR,
	FG_R_PERMERROR,
	FG_R_INVALID,
	FG_R_MISMATCH,
	FG_R_FORGED,
	FG_R_POLICY,
	FG_R_QUARANTINE, /* DMARC: fail under a quarantine policy */
	FG_R_REJECT, /* DMARC: fail under a reject policy */
	FG_R_COUNT
};

/* Weakest first: the stage verdict is the largest value. */
enum fg_action {
	FG_ACT_ACCEPT,
	FG_ACT_LOG,
	FG_ACT_TAG,
	FG_ACT_QUARANTINE,
	FG_ACT_TEMPFAIL,
	FG_ACT_REJECT,
	FG_ACT_DISCARD,
	FG_ACT_COUNT
};

/* Check ids, in the order of checks.def; internal is reported by the
 * session itself, not run by the registry. */
enum fg_check_id {
#define FG_CHECK(id, ...) FG_CHK_##id,
#include "forgeguard/checks.def"
#undef FG_CHECK
	FG_CHK_INTERNAL,
	FG_CHK_COUNT
};

/* Flags of a checks.def entry. */
#define FG_CF_LOG_VALUE 1 /* the verdict line's detail shows the value */
#define FG_CF_BODY 2 /* the check reads the message body */

#define FG_RBIT(r) (1u << (r))

/* Built-in rules of one check. */
#define FG_CATALOG_RULES_MAX 8

/* One built-in (result -> action, reply) rule of a check. */
struct fg_catalog_rule {
	enum fg_result result;
	enum fg_action action;
	const char *reply; /* "CODE X.Y.Z text"; {value} is the client value */
};

struct fg_catalog_check {
	const char *name;
	enum fg_stage stage;
	unsigned results; /* FG_RBIT mask of the results the check produces */
	unsigned wild; /* results that action.CHECK without .RESULT sets */
	/* a rule with a NULL reply ends the list */
	struct fg_catalog_rule rules[FG_CATALOG_RULES_MAX];
	unsigned flags; /* FG_CF_* */
	const char *doc;
};

/* fg_catalog_get - the definition of a check */
const struct fg_catalog_check *fg_catalog_get(enum fg_check_id id);
/* fg_catalog_find - a check by name, n bytes; -1 if unknown */
int fg_catalog_find(const char *name, size_t n);
/* fg_catalog_result_name - "pass", "fail", ... */
const char *fg_catalog_result_name(enum fg_result r);
/* fg_catalog_result_find - a result by name; -1 if unknown */
int fg_catalog_result_find(const char *name, size_t n);
/* fg_catalog_action_name - "accept", "log", ... */
const char *fg_catalog_action_name(enum fg_action a);
/* fg_catalog_action_find - an action by name; -1 if unknown */
int fg_catalog_action_find(const char *name, size_t n);
/* fg_catalog_stage_name - "connect", "helo", ... */
const char *fg_catalog_stage_name(enum fg_stage s);

#endif
