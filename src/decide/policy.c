/*
 * NAME
 *	policy - map findings to actions and replies
 * SYNOPSIS
 *	#include "forgeguard/policy.h"
 * DESCRIPTION
 *	Actions are ordered accept < log < tag < quarantine < tempfail <
 *	reject < discard; a stage's verdict is the strongest.  Among equally
 *	strong findings the first one decides the reply, so the order in
 *	which a stage runs its checks is the order of precedence.  A reject
 *	that a failed lookup could have prevented is a tempfail (Postfix's
 *	defer_if_reject): its reply is the reject's text, moved to class 4,
 *	naming the lookup; a certain reject in the same stage still wins.
 * DIAGNOSTICS
 *	A reply that cannot be built (impossible for validated specs) falls
 *	back to the internal-error reply, never to accepting the mail.
 */
#include <string.h>

#include "forgeguard/policy.h"

/* fg_findings_reset - empty the list */
void
fg_findings_reset(struct fg_findings *f)
{
	f->n = 0;
	f->dropped = 0;
}

/* fg_findings_add - add a finding */
void
fg_findings_add(struct fg_findings *f, enum fg_check_id check,
		enum fg_result result, const char *reason, size_t pos,
		const char *value, size_t vlen)
{
	struct fg_finding *x;

	if (f->n >= FG_FINDINGS_MAX) {
		f->dropped++;
		return;
	}
	x = &f->v[f->n++];
	x->check = check;
	x->result = result;
	x->reason = reason;
	x->pos = pos;
	x->defer_by = FG_CHK_COUNT;
	x->cut = vlen > FG_REPLY_VALUE_MAX;
	x->vlen = x->cut ? FG_REPLY_VALUE_MAX : vlen;
	if (x->vlen > 0)
		memcpy(x->value, value, x->vlen);
	x->value[x->vlen] = '\0';
}

/* fg_findings_drop_disabled - remove findings of disabled_checks */
void
fg_findings_drop_disabled(const struct fg_conf *conf, struct fg_findings *f)
{
	size_t k, w = 0;

	for (k = 0; k < f->n; k++)
		if (!conf->disabled[f->v[k].check])
			f->v[w++] = f->v[k];
	f->n = w;
}

/* fg_findings_defer_last - the last finding could change with a lookup */
void
fg_findings_defer_last(struct fg_findings *f, enum fg_check_id check)
{
	if (f->n > 0)
		f->v[f->n - 1].defer_by = check;
}

/* fg_findings_append - copy one finding from another list */
void
fg_findings_append(struct fg_findings *f, const struct fg_finding *x)
{
	if (f->n >= FG_FINDINGS_MAX) {
		f->dropped++;
		return;
	}
	f->v[f->n++] = *x;
}

/* fg_policy_action - configured action of one finding, before dry-run */
enum fg_action
fg_policy_action(const struct fg_conf *conf, const struct fg_finding *x)
{
	return (enum fg_action)conf->action[x->check][x->result];
}

/* fg_policy_is_dry - is this check in dry-run */
int
fg_policy_is_dry(const struct fg_conf *conf, enum fg_check_id check)
{
	return conf->mode == FG_MODE_DRY_RUN || conf->dry_run[check];
}

/* soften - the action dry-run leaves */
static enum fg_action
soften(enum fg_action a)
{
	return a >= FG_ACT_QUARANTINE ? FG_ACT_LOG : a;
}

/* build_reply - the reply of the deciding finding */
static void
build_reply(const struct fg_conf *conf, const struct fg_finding *x,
	    struct fg_verdict *out)
{
	const struct fg_catalog_check *def = fg_catalog_get(x->check);
	enum fg_action cls =
		out->would == FG_ACT_REJECT ? FG_ACT_REJECT : FG_ACT_TEMPFAIL;

	if (fg_reply_build(&out->reply, cls, conf->reply[x->check][x->result],
			   def->name, x->reason, x->value, x->vlen) == FG_OK) {
		out->has_reply = 1;
		if (out->deferred) {
			/* 451: a local error in processing (RFC 5321 4.2.3) */
			memcpy(out->reply.rcode, "451", 4);
			fg_reply_append(&out->reply, "; try again later: the ",
					fg_catalog_get(x->defer_by)->name,
					" lookup failed");
		}
		return;
	}
	out->has_reply =
		fg_reply_build(&out->reply, FG_ACT_TEMPFAIL,
			       "451 4.3.0 Temporary local problem (internal)",
			       "internal", NULL, "", 0) == FG_OK;
	out->action = FG_ACT_TEMPFAIL;
	out->would = FG_ACT_TEMPFAIL;
}

/* fg_policy_decide - the verdict for a list of findings */
void
fg_policy_decide(const struct fg_conf *conf, const struct fg_findings *f,
		 struct fg_verdict *out)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	out->action = FG_ACT_ACCEPT;
	out->would = FG_ACT_ACCEPT;
	out->decider = -1;
	for (k = 0; k < f->n; k++) {
		enum fg_action a = fg_policy_action(conf, &f->v[k]);
		enum fg_action eff;
		int deferred = 0;

		if (a == FG_ACT_REJECT && f->v[k].defer_by != FG_CHK_COUNT) {
			a = FG_ACT_TEMPFAIL;
			deferred = 1;
		}
		if (f->v[k].check == FG_CHK_INTERNAL) {
			/* never accept because something inside failed,
			 * not even in dry-run */
			if (a < FG_ACT_TEMPFAIL)
				a = FG_ACT_TEMPFAIL;
			eff = a;
		} else {
			eff = fg_policy_is_dry(conf, f->v[k].check) ? soften(a)
								    : a;
		}

		if (a > out->would) {
			out->would = a;
			out->decider = (int)k;
			out->deferred = deferred;
		}
		if (eff > out->action)
			out->action = eff;
	}
	if (out->decider >= 0 &&
	    (out->would == FG_ACT_REJECT || out->would == FG_ACT_TEMPFAIL))
		build_reply(conf, &f->v[out->decider], out);
}
