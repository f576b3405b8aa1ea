/*
 * policy.h - findings in, one stage verdict out
 *
 * A check produces findings (check id, result, reason, offending value).
 * The policy maps each through the configuration to an action; the stage
 * verdict is the strongest action, and the finding that set it decides
 * the reply.  Dry-run (global or per check) turns quarantine, tempfail,
 * reject and discard into log and remembers what would have happened.
 *
 * A finding whose result a failed lookup could have changed carries that
 * lookup's check id (defer_by); a reject it would cause becomes a
 * tempfail whose reply names the lookup, as Postfix's defer_if_reject:
 * a temporary failure never turns into a permanent refusal.
 */
#ifndef FG_POLICY_H
#define FG_POLICY_H

#include <stddef.h>

#include "forgeguard/bounds.h"
#include "forgeguard/catalog.h"
#include "forgeguard/conf.h"
#include "forgeguard/reply.h"

#define FG_NOPOS ((size_t)-1)

struct fg_finding {
	enum fg_check_id check;
	enum fg_result result;
	const char *reason; /* static text or NULL */
	size_t pos; /* byte offset of the problem, or FG_NOPOS */
	char value[FG_REPLY_VALUE_MAX + 1]; /* raw client bytes, cut */
	size_t vlen;
	int cut; /* value was longer than kept */
	enum fg_check_id defer_by; /* a failed lookup that could have
				      changed the result; FG_CHK_COUNT: none */
};

struct fg_findings {
	struct fg_finding v[FG_FINDINGS_MAX];
	size_t n;
	size_t dropped;
};

struct fg_verdict {
	enum fg_action action; /* what is done */
	enum fg_action would; /* what enforcing would do */
	int decider; /* index of the deciding finding, -1: none */
	int deferred; /* a reject deferred to tempfail (defer_by) */
	int has_reply;
	struct fg_reply reply;
};

/* fg_findings_reset - empty the list */
void fg_findings_reset(struct fg_findings *f);
/* fg_findings_add - add a finding; value may hold any bytes */
void fg_findings_add(struct fg_findings *f, enum fg_check_id check,
		     enum fg_result result, const char *reason, size_t pos,
		     const char *value, size_t vlen);
/* fg_findings_drop_disabled - remove findings of disabled_checks */
void
fg_findings_drop_disabled(const struct fg_conf *conf, struct fg_findings *f);
/* fg_findings_defer_last - the last finding added could have been
 * changed by the failed lookup check (no-op on an empty list) */
void fg_findings_defer_last(struct fg_findings *f, enum fg_check_id check);
/* fg_findings_append - copy one finding from another list */
void fg_findings_append(struct fg_findings *f, const struct fg_finding *x);
/* fg_policy_action - configured action of one finding, before dry-run */
enum fg_action
fg_policy_action(const struct fg_conf *conf, const struct fg_finding *x);
/* fg_policy_is_dry - is this check in dry-run */
int fg_policy_is_dry(const struct fg_conf *conf, enum fg_check_id check);
/* fg_policy_decide - the verdict for a list of findings */
void fg_policy_decide(const struct fg_conf *conf, const struct fg_findings *f,
		      struct fg_verdict *out);

#endif
