/*
 * catalog.h - check ids, results, actions and their built-in defaults
 *
 * Check ids are stable names used in the configuration, the logs, the
 * headers and the documentation.  This is the one list of them.
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

enum fg_check_id {
	FG_CHK_CLIENT_TRUSTED,
	FG_CHK_CLIENT_FCRDNS,
	FG_CHK_HELO_SYNTAX,
	FG_CHK_HELO_BARE_IP,
	FG_CHK_HELO_NOT_FQDN,
	FG_CHK_HELO_LITERAL_MISMATCH,
	FG_CHK_HELO_IMPERSONATION,
	FG_CHK_SPF_HELO,
	FG_CHK_SENDER_SYNTAX,
	FG_CHK_SENDER_SIZE,
	FG_CHK_SENDER_LOCAL_FORGERY,
	FG_CHK_SENDER_AUTH_MISMATCH,
	FG_CHK_SPF_MAILFROM,
	FG_CHK_RCPT_SYNTAX,
	FG_CHK_RCPT_LIMIT,
	FG_CHK_HEADER_FROM,
	FG_CHK_HEADER_LOCAL_FORGERY,
	FG_CHK_HEADER_AUTHRES,
	FG_CHK_HEADER_LIMITS,
	FG_CHK_RECEIVED_FORGED_LOCAL,
	FG_CHK_RECEIVED_BROKEN_TRAIL,
	FG_CHK_RECEIVED_TIME_TRAVEL,
	FG_CHK_RECEIVED_BOGUS_IP,
	FG_CHK_RECEIVED_UNPARSEABLE,
	FG_CHK_RECEIVED_HOPS,
	FG_CHK_SMTP_UNKNOWN_COMMAND,
	FG_CHK_INTERNAL,
	FG_CHK_COUNT
};

#define FG_RBIT(r) (1u << (r))

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
	struct fg_catalog_rule rules[4]; /* FG_R_PASS result ends the list */
	int log_value; /* the verdict line's detail shows the value */
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
