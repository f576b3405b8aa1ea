/*
 * NAME
 *	registry - the checks of each stage, in the order of checks.def
 * SYNOPSIS
 *	#include "forgeguard/checks.h"
 * DESCRIPTION
 *	The table is built from checks.def, so a check has one line there
 *	and one function somewhere in decide/.  fg_registry_run skips
 *	checks in disabled_checks without calling them, and stamps the
 *	running check's id into the context so that a check cannot report
 *	under another check's name.
 * DIAGNOSTICS
 *	None.
 */
#include <stdarg.h>
#include <stdio.h>

#include "forgeguard/checks.h"

struct entry {
	enum fg_check_id id;
	enum fg_stage stage;
	fg_check_fn *run;
};

static const struct entry registry[] = {
#define FG_CHECK(id, name, stage, fn, ...) \
	{ FG_CHK_##id, FG_STAGE_##stage, fn },
#include "forgeguard/checks.def"
#undef FG_CHECK
};

#define NENTRIES (sizeof(registry) / sizeof(registry[0]))

/* fg_registry_run - every enabled check of a stage, in list order */
void
fg_registry_run(enum fg_stage stage, struct fg_check_ctx *c,
		struct fg_findings *out)
{
	size_t k;

	for (k = 0; k < NENTRIES; k++) {
		const struct entry *e = &registry[k];

		if (e->stage != stage || c->conf->disabled[e->id])
			continue;
		c->id = e->id;
		e->run(c, out);
	}
}

/* fg_registry_fn - the function of a check, NULL for internal */
fg_check_fn *
fg_registry_fn(enum fg_check_id id)
{
	return (size_t)id < NENTRIES ? registry[id].run : NULL;
}

/* fg_registry_needs_body - does an enabled check read the body */
int
fg_registry_needs_body(const struct fg_conf *conf)
{
	size_t k;

	for (k = 0; k < NENTRIES; k++)
		if ((fg_catalog_get(registry[k].id)->flags & FG_CF_BODY) &&
		    !conf->disabled[registry[k].id])
			return 1;
	return 0;
}

/* fg_check_add - a finding of the running check */
void
fg_check_add(const struct fg_check_ctx *c, struct fg_findings *out,
	     enum fg_result r, const char *reason, size_t pos,
	     const char *value, size_t vlen)
{
	fg_findings_add(out, c->id, r, reason, pos, value, vlen);
}

/* fg_check_addf - a finding whose value is printf-formatted */
void
fg_check_addf(const struct fg_check_ctx *c, struct fg_findings *out,
	      enum fg_result r, const char *reason, const char *fmt, ...)
{
	char v[FG_REPLY_VALUE_MAX + 1];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (len < 0)
		len = 0;
	fg_findings_add(out, c->id, r, reason, FG_NOPOS, v,
			(size_t)len < sizeof(v) ? (size_t)len : sizeof(v) - 1);
}
