/*
 * NAME
 *	dmarc - DMARC evaluation: tree walk, organizational domain, alignment
 * SYNOPSIS
 *	#include "forgeguard/dmarc.h"
 * DESCRIPTION
 *	The DNS tree walk (RFC 9989 4.10.1) asks _dmarc.NAME for the author
 *	domain, then, when that has 8 labels or more, for its last 7, then
 *	for one label fewer at a time down to the top-level label.  At each
 *	name the TXT strings that do not start with v=DMARC1 are dropped;
 *	several DMARC records at one name count as none.
 *	Policy discovery takes the first record of the walk; the record at
 *	the author domain gives p, one found above it gives sp, or np when
 *	the author domain does not exist (NXDOMAIN for its A query).  A
 *	record without a valid p is p=none when it has rua=, else ignored.
 *	The organizational domain of a name (4.10.2) is where a psd=n
 *	record stands, or the name one label below a psd=y record, else the
 *	shortest name on the walk with a record, else the name itself.
 *	Strict alignment is equality; relaxed alignment compares
 *	organizational domains, found only when the names differ.
 * STANDARDS
 *	RFC 9989 4.4 (alignment), 4.7, 4.10 (discovery), 5.3 (results).
 * DIAGNOSTICS
 *	A DNS failure in discovery, or in a walk whose answer could have
 *	aligned an identifier, is temperror: never a fail.  A From: domain
 *	that is not known is permerror, never a pass.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpsl.h>

#include "forgeguard/dmarc.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"

/* Names one evaluation may ask about: a walk for the author and for a
 * few identifiers. */
#define CACHE_MAX 40

/* Records one evaluation keeps: most names on a walk have none. */
#define RECS_MAX 12

/* What one _dmarc name answered. */
struct seen {
	char name[FG_DOMAIN_MAX + 1];
	int temp; /* the lookup failed, or no room was left for its record */
	int has; /* exactly one DMARC record, in rec */
	const struct fg_dmarcrec *rec;
};

struct eval {
	enum fg_dmarc_org mode;
	struct fg_dns *dns;
	struct timespec deadline;
	struct seen c[CACHE_MAX];
	size_t n;
	struct fg_dmarcrec recs[RECS_MAX];
	size_t nrecs;
	struct fg_dns_answer a; /* one answer buffer, reused */
	unsigned lookups;
	int np_unknown; /* the author's existence lookup failed, and np
			 * differs from the policy it would replace */
};

static const char *const result_names[] = {
	[FG_DMARC_PASS] = "pass",           [FG_DMARC_FAIL] = "fail",
	[FG_DMARC_NONE] = "none",           [FG_DMARC_TEMPERROR] = "temperror",
	[FG_DMARC_PERMERROR] = "permerror",
};

/* fg_dmarc_result_name - "pass", "fail", ... */
const char *
fg_dmarc_result_name(enum fg_dmarc_result r)
{
	return (unsigned)r <= FG_DMARC_PERMERROR ? result_names[r] : "?";
}

/* labels - how many labels a name has */
static size_t
labels(const char *d)
{
	size_t n = 1;

	for (; *d; d++)
		n += *d == '.';
	return n;
}

/* parent - the name without its leftmost k labels */
static const char *
parent(const char *d, size_t k)
{
	while (k-- > 0) {
		const char *dot = strchr(d, '.');

		if (dot == NULL)
			return NULL;
		d = dot + 1;
	}
	return d;
}

/* fg_dmarc_walk_targets - the names of the tree walk for domain */
size_t
fg_dmarc_walk_targets(const char *domain, const char *out[FG_DMARC_WALK_MAX])
{
	size_t n = 0, x = labels(domain);
	const char *t = domain;

	out[n++] = domain;
	if (x >= FG_DMARC_WALK_MAX) {
		t = parent(domain, x - (FG_DMARC_WALK_MAX - 1));
	} else {
		t = parent(domain, 1);
	}
	while (t != NULL && *t != '\0' && n < FG_DMARC_WALK_MAX) {
		out[n++] = t;
		t = parent(t, 1);
	}
	return n;
}

/* ask - what _dmarc.NAME holds, asked once per evaluation */
static const struct seen *
ask(struct eval *e, const char *name)
{
	char q[FG_DOMAIN_MAX + 8];
	struct seen *s;
	size_t k, found = 0, at = 0, len;
	const char *text;

	for (k = 0; k < e->n; k++)
		if (strcmp(e->c[k].name, name) == 0)
			return &e->c[k];
	if (e->n == CACHE_MAX || strlen(name) > FG_DOMAIN_MAX - 7)
		return NULL;
	s = &e->c[e->n++];
	memset(s, 0, sizeof(*s));
	memcpy(s->name, name, strlen(name) + 1);
	snprintf(q, sizeof(q), "_dmarc.%s", name);
	e->lookups++;
	fg_dns_lookup_by(e->dns, q, FG_DNS_TXT, e->deadline, &e->a);
	if (e->a.status == FG_DNS_TEMPERROR) {
		s->temp = 1;
		return s;
	}
	if (e->a.status != FG_DNS_OK)
		return s;
	for (k = 0; k < e->a.n; k++) {
		const char *t = fg_dns_text(&e->a, k);

		if (fg_dmarcrec_is_dmarc(t, strlen(t))) {
			found++;
			at = k;
		}
	}
	/* several records at one name: all discarded (4.10) */
	if (found != 1 || e->a.dropped != 0)
		return s;
	if (e->nrecs == RECS_MAX) {
		/* a walk of records at every level, for every identifier:
		 * nothing real looks like that; never a pass on it */
		s->temp = 1;
		return s;
	}
	text = fg_dns_text(&e->a, at);
	len = strlen(text);
	if (e->a.rr[at].cut) {
		/* longer than FG_DNS_TXT_MAX: the tags that were kept
		 * whole, never half a tag */
		const char *semi = memrchr(text, ';', len);

		len = semi != NULL ? (size_t)(semi - text) : 0;
	}
	if (len > 0 &&
	    fg_dmarcrec_parse(text, len, &e->recs[e->nrecs]) == FG_OK) {
		s->rec = &e->recs[e->nrecs++];
		s->has = 1;
	}
	return s;
}

/* usable - a record that sets a policy (RFC 9989: without a valid p=,
 * p=none when there is rua=, else as if there were no record) */
static int
usable(const struct seen *s)
{
	return s != NULL && s->has &&
	       (s->rec->p != FG_DMARC_P_UNSET || s->rec->has_rua);
}

static const psl_ctx_t *psl;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

/* psl_load - the newest of libpsl's built-in list and Debian's */
static void
psl_load(void)
{
	psl = psl_latest(NULL);
}

/* fg_dmarc_psl_domain - the registrable domain by the public suffix list */
int
fg_dmarc_psl_domain(const char *name, char *out, size_t cap)
{
	const char *r;

	(void)pthread_once(&psl_once, psl_load);
	fg_str_copy_cut(out, cap, name);
	if (psl == NULL || (r = psl_registrable_domain(psl, name)) == NULL)
		return 0;
	fg_str_copy_cut(out, cap, r);
	return 1;
}

/* walk_org - the organizational domain of d by the tree walk (below) */
static int
walk_org(struct eval *e, const char *d, char *out, size_t cap, int *found);

/*
 * org_domain - the organizational domain of d into out, as the mode
 * says; 0 when a lookup on the way failed (out then holds d)
 */
static int
org_domain(struct eval *e, const char *d, char *out, size_t cap)
{
	int found = 0, ok;

	if (e->mode == FG_ORG_PSL) {
		(void)fg_dmarc_psl_domain(d, out, cap);
		return 1;
	}
	ok = walk_org(e, d, out, cap, &found);
	if (ok && !found && e->mode == FG_ORG_AUTO)
		(void)fg_dmarc_psl_domain(d, out, cap);
	return ok;
}

/* walk_org - the organizational domain of d by the tree walk; *found
 * when some record decided it */
static int
walk_org(struct eval *e, const char *d, char *out, size_t cap, int *found)
{
	const char *t[FG_DMARC_WALK_MAX], *best = NULL;
	size_t n = fg_dmarc_walk_targets(d, t), k;
	int ok = 1;

	for (k = 0; k < n; k++) {
		const struct seen *s = ask(e, t[k]);

		if (s == NULL || s->temp) {
			ok = 0;
			continue;
		}
		if (!s->has)
			continue;
		if (s->rec->psd == FG_DMARC_PSD_N) {
			best = t[k];
			break;
		}
		if (s->rec->psd == FG_DMARC_PSD_Y) {
			/* the name one label below the public suffix */
			best = k > 0 ? parent(d, labels(d) - labels(t[k]) - 1)
				     : t[k];
			break;
		}
		best = t[k];
	}
	fg_str_copy_cut(out, cap, best != NULL ? best : d);
	*found = best != NULL;
	return ok || best != NULL;
}

/* aligned - does identifier id align with the author; -1 when it could
 * not be told (a lookup failed) */
static int
aligned(struct eval *e, struct fg_dmarc_out *o, const char *id, int strict)
{
	char org[FG_DOMAIN_MAX + 1];
	int ok;

	if (strcmp(id, o->author) == 0)
		return 1;
	if (strict)
		return 0;
	ok = org_domain(e, id, org, sizeof(org));
	if (strcmp(org, o->org) == 0)
		return 1;
	return ok ? 0 : -1;
}

/* discover - the policy record for the author; the seen entry or NULL,
 * with o->policy_domain set; *temp when a lookup failed first */
static const struct seen *
discover(struct eval *e, struct fg_dmarc_out *o, int *temp)
{
	const char *t[FG_DMARC_WALK_MAX];
	char reg[FG_DOMAIN_MAX + 1];
	size_t n, k;

	*temp = 0;
	if (e->mode == FG_ORG_PSL) {
		/* RFC 7489 6.6.3: the author domain, then its
		 * organizational domain */
		t[0] = o->author;
		n = 1;
		if (fg_dmarc_psl_domain(o->author, reg, sizeof(reg)) &&
		    strcmp(reg, o->author) != 0)
			t[n++] = reg;
	} else {
		n = fg_dmarc_walk_targets(o->author, t);
	}
	for (k = 0; k < n; k++) {
		const struct seen *s = ask(e, t[k]);

		if (s == NULL)
			continue; /* _dmarc.NAME past 253 bytes: its parents */
		if (s->temp) {
			*temp = 1;
			return NULL;
		}
		if (usable(s)) {
			fg_str_copy_cut(o->policy_domain,
					sizeof(o->policy_domain), t[k]);
			return s;
		}
		/* psd=n at the author's own name: it is its own org */
		if (k == 0 && s->has && s->rec->psd == FG_DMARC_PSD_N)
			return NULL;
	}
	return NULL;
}

/* applies - p, sp or np: which of the record's policies is the author's */
static void
applies(struct eval *e, const struct seen *s, struct fg_dmarc_out *o)
{
	const struct fg_dmarcrec *r = s->rec;
	enum fg_dmarc_policy p =
		r->p != FG_DMARC_P_UNSET ? r->p : FG_DMARC_P_NONE;

	memcpy(o->which, "p", 2);
	o->policy = p;
	if (strcmp(o->policy_domain, o->author) != 0) {
		int nx = 0;

		if (r->np != FG_DMARC_P_UNSET) {
			e->lookups++;
			fg_dns_lookup_by(e->dns, o->author, FG_DNS_A,
					 e->deadline, &e->a);
			nx = e->a.status == FG_DNS_NXDOMAIN;
			/* whether np applies cannot be told: a fail must
			 * not be enforced under the wrong one of the two */
			e->np_unknown =
				e->a.status == FG_DNS_TEMPERROR &&
				r->np !=
					(r->sp != FG_DMARC_P_UNSET ? r->sp : p);
		}
		if (nx) {
			o->policy = r->np;
			memcpy(o->which, "np", 3);
		} else if (r->sp != FG_DMARC_P_UNSET) {
			o->policy = r->sp;
			memcpy(o->which, "sp", 3);
		}
	}
	o->rec = *r;
	o->testing = r->testing;
	o->adkim_strict = r->adkim_strict;
	o->aspf_strict = r->aspf_strict;
	o->has_rua = r->has_rua;
	memcpy(o->rua, r->rua, sizeof(o->rua));
}

/* evaluate - fg_dmarc_eval with its working memory */
static void
evaluate(struct eval *e, const struct fg_dmarc_in *in, struct fg_dmarc_out *o)
{
	const struct seen *s;
	int temp, lost = 0, r;
	size_t k;

	e->mode = in->org_mode;
	o->discovery = in->org_mode == FG_ORG_PSL ? "psl" : "treewalk";
	if (in->author == NULL || in->author[0] == '\0' ||
	    fg_domain_canon(in->author, strlen(in->author), o->author,
			    sizeof(o->author)) != FG_OK) {
		o->result = FG_DMARC_PERMERROR;
		o->why = "no author domain";
		return;
	}
	s = discover(e, o, &temp);
	o->lookups = e->lookups;
	if (s == NULL) {
		o->result = temp ? FG_DMARC_TEMPERROR : FG_DMARC_NONE;
		o->why = temp ? "policy lookup failed" : "no policy record";
		return;
	}
	applies(e, s, o);
	if (!org_domain(e, o->author, o->org, sizeof(o->org)))
		lost = 1;
	if (in->spf_domain != NULL && in->spf_domain[0] != '\0') {
		char d[FG_DOMAIN_MAX + 1];

		if (fg_domain_canon(in->spf_domain, strlen(in->spf_domain), d,
				    sizeof(d)) == FG_OK) {
			r = aligned(e, o, d, o->aspf_strict);
			o->spf_aligned = r == 1;
			lost |= r < 0;
		}
	}
	for (k = 0; k < in->ndkim && k < FG_DMARC_DKIM_MAX; k++) {
		char d[FG_DOMAIN_MAX + 1];

		if (in->dkim[k] == NULL ||
		    fg_domain_canon(in->dkim[k], strlen(in->dkim[k]), d,
				    sizeof(d)) != FG_OK)
			continue;
		r = aligned(e, o, d, o->adkim_strict);
		if (r == 1 && !o->dkim_aligned) {
			o->dkim_aligned = 1;
			memcpy(o->dkim_d, d, sizeof(d));
		}
		lost |= r < 0;
	}
	o->lookups = e->lookups;
	if (o->spf_aligned || o->dkim_aligned) {
		o->result = FG_DMARC_PASS;
		return;
	}
	o->result = lost || e->np_unknown ? FG_DMARC_TEMPERROR : FG_DMARC_FAIL;
	o->why = lost ? "a lookup that could have aligned an identifier "
			"failed"
		 : e->np_unknown ? "whether the author domain exists (np=) "
				   "could not be told"
				 : "no aligned SPF or DKIM pass";
}

/* fg_dmarc_eval - the DMARC result of a message */
void
fg_dmarc_eval(struct fg_dns *dns, struct timespec deadline,
	      const struct fg_dmarc_in *in, struct fg_dmarc_out *o)
{
	/* 40 names, 12 records and an answer buffer: 35 kB, taken only
	 * while a message is evaluated */
	struct eval *e = malloc(sizeof(*e));

	memset(o, 0, sizeof(*o));
	if (e == NULL) {
		o->result = FG_DMARC_TEMPERROR;
		o->why = "out of memory";
		return;
	}
	e->dns = dns;
	e->deadline = deadline;
	e->n = 0;
	e->nrecs = 0;
	e->lookups = 0;
	e->np_unknown = 0;
	evaluate(e, in, o);
	free(e);
}

/* fg_dmarc_org_domain - the organizational domain of name */
int
fg_dmarc_org_domain(struct fg_dns *dns, struct timespec deadline,
		    const char *name, char *out, size_t cap)
{
	struct eval *e = malloc(sizeof(*e));
	char canon[FG_DOMAIN_MAX + 1];
	int ok;

	fg_str_copy_cut(out, cap, name);
	if (e == NULL || fg_domain_canon(name, strlen(name), canon,
					 sizeof(canon)) != FG_OK) {
		free(e);
		return 0;
	}
	e->mode = FG_ORG_WALK;
	e->dns = dns;
	e->deadline = deadline;
	e->n = 0;
	e->nrecs = 0;
	e->lookups = 0;
	e->np_unknown = 0;
	ok = org_domain(e, canon, out, cap);
	free(e);
	return ok;
}
