/*
 * NAME
 *	confpolicy - action.*, reply.* and dry_run.* keys, and the policy
 *	tables they resolve into
 * SYNOPSIS
 *	#include "conf_impl.h"
 * DESCRIPTION
 *	Pattern keys name a check and optionally one of its results:
 *	action.CHECK[.RESULT], reply.CHECK[.RESULT], dry_run.CHECK.  They
 *	are checked against the check catalogue while the file is read.
 *	Once it is read the policy is resolved into flat (check, result)
 *	tables: a specific key beats a check-wide key, which beats the
 *	catalogue's built-in rule, so the hot path does two array lookups
 *	per finding.
 * DIAGNOSTICS
 *	Unknown checks and results, actions that do not exist, reply texts
 *	fg_replyspec_check refuses, and duplicate keys.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_impl.h"
#include "forgeguard/replyspec.h"
#include "forgeguard/str.h"

/* cut - at most 80 bytes of a key or value, for an error message */
static int
cut(size_t n)
{
	return (int)(n > 80 ? 80 : n);
}

/* fg_confpolicy_init - no policy key seen yet */
void
fg_confpolicy_init(struct fg_loader *ld)
{
	memset(ld->set_action, -1, sizeof(ld->set_action));
}

/* last_dot - the last '.' in p[0..n), or NULL */
static const char *
last_dot(const char *p, size_t n)
{
	while (n > 0)
		if (p[--n] == '.')
			return p + n;
	return NULL;
}

/* target - split "CHECK[.RESULT]"; result FG_R_COUNT when absent */
static int
target(struct fg_loader *ld, const char *kind, const char *p, size_t n,
       int *check, int *result)
{
	const struct fg_catalog_check *def;
	const char *dot;

	*result = FG_R_COUNT;
	*check = fg_catalog_find(p, n);
	if (*check >= 0)
		return 1;
	dot = last_dot(p, n);
	if (dot != NULL) {
		*check = fg_catalog_find(p, (size_t)(dot - p));
		*result = fg_catalog_result_find(dot + 1,
						 n - (size_t)(dot - p) - 1);
	}
	if (*check < 0) {
		(void)fg_conf_bad(ld, "%s.%.*s: unknown check", kind, cut(n),
				  p);
		return 0;
	}
	def = fg_catalog_get((enum fg_check_id) * check);
	if (*result < 0 || !(def->results & FG_RBIT(*result))) {
		char list[512];
		struct fg_buf b;
		int r;

		fg_buf_init(&b, list, sizeof(list));
		for (r = 0; r < FG_R_COUNT; r++)
			if (def->results & FG_RBIT(r))
				(void)fg_buf_printf(&b, "%s%s",
						    b.len ? ", " : "",
						    fg_catalog_result_name(
							    (enum fg_result)r));
		(void)fg_conf_bad(ld,
				  "%s.%.*s: check %s has no such result (its "
				  "results: %s)",
				  kind, cut(n), p, def->name, b.data);
		return 0;
	}
	return 1;
}

/* action_key - action.CHECK[.RESULT] = ACTION */
static void
action_key(struct fg_loader *ld, const struct fg_confline *cl)
{
	const char *k = cl->key.p, *v = cl->value.p;
	size_t kn = cl->key.n, vn = cl->value.n;
	int check, result, a;

	if (!target(ld, "action", k + 7, kn - 7, &check, &result))
		return;
	if (ld->seen_action[check][result]++) {
		(void)fg_conf_bad(ld, "duplicate key %.*s", cut(kn), k);
		return;
	}
	a = fg_catalog_action_find(v, vn);
	if (a < 0) {
		(void)fg_conf_bad(ld,
				  "%.*s: \"%.*s\" is not an action (accept, "
				  "log, tag, quarantine, tempfail, reject, "
				  "discard)",
				  cut(kn), k, cut(vn), v);
		return;
	}
	ld->set_action[check][result] = (signed char)a;
}

/* keep_reply - the snapshot owns a configured reply text */
static int
keep_reply(struct fg_conf *c, char *spec)
{
	char **no = realloc(c->owned, (c->nowned + 1) * sizeof(*no));

	if (no == NULL)
		return 0;
	c->owned = no;
	no[c->nowned++] = spec;
	return 1;
}

/* reply_key - reply.CHECK[.RESULT] = CODE X.Y.Z TEXT */
static void
reply_key(struct fg_loader *ld, const struct fg_confline *cl)
{
	const char *k = cl->key.p, *why;
	size_t kn = cl->key.n;
	int check, result;
	char *spec;

	if (!target(ld, "reply", k + 6, kn - 6, &check, &result))
		return;
	if (ld->seen_reply[check][result]++) {
		(void)fg_conf_bad(ld, "duplicate key %.*s", cut(kn), k);
		return;
	}
	spec = fg_conf_dupz(cl->value.p, cl->value.n);
	if (spec == NULL) {
		(void)fg_conf_bad(ld, "out of memory");
		return;
	}
	if (fg_replyspec_check(spec, &why) != FG_OK) {
		free(spec);
		(void)fg_conf_bad(ld, "%.*s: %s", cut(kn), k, why);
		return;
	}
	if (!keep_reply(ld->conf, spec)) {
		free(spec);
		(void)fg_conf_bad(ld, "out of memory");
		return;
	}
	ld->set_reply[check][result] = spec;
}

/* dry_key - dry_run.CHECK = yes|no */
static void
dry_key(struct fg_loader *ld, const struct fg_confline *cl)
{
	const char *k = cl->key.p;
	size_t kn = cl->key.n;
	int check = fg_catalog_find(k + 8, kn - 8), b;

	if (check < 0) {
		(void)fg_conf_bad(ld, "%.*s: unknown check", cut(kn), k);
		return;
	}
	if (ld->seen_dry[check]++) {
		(void)fg_conf_bad(ld, "duplicate key %.*s", cut(kn), k);
		return;
	}
	if (!fg_conf_parse_bool(cl->value.p, cl->value.n, &b)) {
		(void)fg_conf_bad(ld, "%.*s: expected yes or no", cut(kn), k);
		return;
	}
	ld->conf->dry_run[check] = (unsigned char)b;
}

/* fg_confpolicy_apply - an action.*, reply.* or dry_run.* line */
int
fg_confpolicy_apply(struct fg_loader *ld, const struct fg_confline *cl)
{
	const char *k = cl->key.p;
	size_t kn = cl->key.n;

	if (kn > 7 && strncmp(k, "action.", 7) == 0)
		action_key(ld, cl);
	else if (kn > 6 && strncmp(k, "reply.", 6) == 0)
		reply_key(ld, cl);
	else if (kn > 8 && strncmp(k, "dry_run.", 8) == 0)
		dry_key(ld, cl);
	else
		return 0;
	return 1;
}

/* builtin_rule - the catalogue rule for (check, result), or NULL */
static const struct fg_catalog_rule *
builtin_rule(const struct fg_catalog_check *def, int r)
{
	size_t k;

	for (k = 0; k < sizeof(def->rules) / sizeof(def->rules[0]); k++) {
		if (def->rules[k].reply == NULL)
			break;
		if ((int)def->rules[k].result == r)
			return &def->rules[k];
	}
	return NULL;
}

/* resolve_one - the action and reply of one (check, result) */
static void
resolve_one(struct fg_loader *ld, int id, int r)
{
	const struct fg_catalog_check *def = fg_catalog_get(id);
	const struct fg_catalog_rule *wild =
		def->rules[0].reply != NULL ? &def->rules[0] : NULL;
	const struct fg_catalog_rule *rule = builtin_rule(def, r);
	int in_wild = (def->wild & FG_RBIT(r)) != 0;
	int a = FG_ACT_ACCEPT;
	const char *reply = NULL;

	if (rule != NULL) {
		a = rule->action;
		reply = rule->reply;
	} else if (in_wild && wild != NULL) {
		a = wild->action;
	}
	if (reply == NULL && wild != NULL)
		reply = wild->reply;
	if (in_wild && ld->set_action[id][FG_R_COUNT] >= 0)
		a = ld->set_action[id][FG_R_COUNT];
	if (ld->set_action[id][r] >= 0)
		a = ld->set_action[id][r];
	if (in_wild && ld->set_reply[id][FG_R_COUNT] != NULL)
		reply = ld->set_reply[id][FG_R_COUNT];
	if (ld->set_reply[id][r] != NULL)
		reply = ld->set_reply[id][r];
	ld->conf->action[id][r] = (unsigned char)a;
	ld->conf->reply[id][r] =
		reply != NULL ? reply
			      : "550 5.7.1 Rejected by policy ({check})";
}

/* fg_confpolicy_resolve - built-in and configured rules, flattened */
void
fg_confpolicy_resolve(struct fg_loader *ld)
{
	int id, r;

	for (id = 0; id < FG_CHK_COUNT; id++)
		for (r = 0; r < FG_R_COUNT; r++)
			resolve_one(ld, id, r);
}

/* fg_confpolicy_release - free the configured reply texts */
void
fg_confpolicy_release(struct fg_conf *c)
{
	fg_conf_free_strings(c->owned, c->nowned);
	c->owned = NULL;
	c->nowned = 0;
}
