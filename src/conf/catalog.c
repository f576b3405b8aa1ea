/*
 * NAME
 *	catalog - the check catalogue and its built-in defaults
 * SYNOPSIS
 *	#include "forgeguard/catalog.h"
 * DESCRIPTION
 *	One table, built from checks.def: every check id forgeguard knows,
 *	the stage it runs at, the results it can produce, and the default
 *	action and reply for each.  Defaults never reject mail from a
 *	standards-following sender: heuristics (fcrdns, not_fqdn,
 *	literal_mismatch) only log.
 * STANDARDS
 *	Reply codes: RFC 5321 4.2, RFC 3463 (enhanced codes), RFC 7372
 *	(5.7.25 reverse DNS).
 * DIAGNOSTICS
 *	None: lookups of unknown names return -1.
 */
#include "forgeguard/catalog.h"
#include "forgeguard/str.h"

#define R(x) FG_RBIT(FG_R_##x)
#define RULE(r, a, text)                   \
	{                                  \
		FG_R_##r, FG_ACT_##a, text \
	}
#define NO_RULE                                \
	{                                      \
		FG_R_PASS, FG_ACT_ACCEPT, NULL \
	}
#define RULES(...)          \
	{                   \
		__VA_ARGS__ \
	}
#define FG_CHECK(id, nm, st, fn, res, wi, fl, ru, dc) \
	[FG_CHK_##id] = { .name = nm,                 \
			  .stage = FG_STAGE_##st,     \
			  .results = res,             \
			  .wild = wi,                 \
			  .rules = ru,                \
			  .flags = fl,                \
			  .doc = dc },

static const struct fg_catalog_check checks[FG_CHK_COUNT] = {
#include "forgeguard/checks.def"
	[FG_CHK_INTERNAL] = {
		.name = "internal",
		.stage = FG_STAGE_CONNECT,
		.results = R(TEMPERROR),
		.wild = R(TEMPERROR),
		.rules = {
			{ FG_R_TEMPERROR, FG_ACT_TEMPFAIL, "451 4.3.0 "
			  "Temporary local problem, try again later "
			  "(internal)" },
		},
		.doc = "an internal error: never accept because of it",
	},
};
#undef FG_CHECK

static const char *const result_names[FG_R_COUNT] = {
	"pass",      "fail",       "softfail", "neutral",  "none",
	"temperror", "permerror",  "invalid",  "mismatch", "forged",
	"policy",    "quarantine", "reject",
};

static const char *const action_names[FG_ACT_COUNT] = {
	"accept", "log", "tag", "quarantine", "tempfail", "reject", "discard",
};

static const char *const stage_names[FG_STAGE_COUNT] = {
	"connect", "helo", "mail",    "rcpt",  "data",
	"header",  "eom",  "unknown", "abort", "close",
};

/* find_name - index of name[0..n) in a table of strings, or -1 */
static int
find_name(const char *const *table, int count, const char *name, size_t n)
{
	int k;

	for (k = 0; k < count; k++)
		if (fg_str_caseeqz(name, n, table[k]))
			return k;
	return -1;
}

/* fg_catalog_get - the definition of a check */
const struct fg_catalog_check *
fg_catalog_get(enum fg_check_id id)
{
	return &checks[id];
}

/* fg_catalog_find - a check by name; -1 if unknown */
int
fg_catalog_find(const char *name, size_t n)
{
	int k;

	for (k = 0; k < FG_CHK_COUNT; k++)
		if (fg_str_caseeqz(name, n, checks[k].name))
			return k;
	return -1;
}

/* fg_catalog_result_name - "pass", "fail", ... */
const char *
fg_catalog_result_name(enum fg_result r)
{
	return (unsigned)r < FG_R_COUNT ? result_names[r] : "?";
}

/* fg_catalog_result_find - a result by name; -1 if unknown */
int
fg_catalog_result_find(const char *name, size_t n)
{
	return find_name(result_names, FG_R_COUNT, name, n);
}

/* fg_catalog_action_name - "accept", "log", ... */
const char *
fg_catalog_action_name(enum fg_action a)
{
	return (unsigned)a < FG_ACT_COUNT ? action_names[a] : "?";
}

/* fg_catalog_action_find - an action by name; -1 if unknown */
int
fg_catalog_action_find(const char *name, size_t n)
{
	return find_name(action_names, FG_ACT_COUNT, name, n);
}

/* fg_catalog_stage_name - "connect", "helo", ... */
const char *
fg_catalog_stage_name(enum fg_stage s)
{
	return (unsigned)s < FG_STAGE_COUNT ? stage_names[s] : "?";
}
