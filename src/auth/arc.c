/*
 * NAME
 *	arc - validate the Authenticated Received Chain of one message
 * SYNOPSIS
 *	#include "forgeguard/arc.h"
#include "forgeguard/buf.h"
 * DESCRIPTION
 *	End of headers: every ARC-Authentication-Results (AAR),
 *	ARC-Message-Signature (AMS) and ARC-Seal (AS) field is read; the
 *	AMS and AS with the signature parser (their tags, RFC 8617 4.1),
 *	the AAR for its "i=N;" prefix, authserv-id and smtp.remote-ip.
 *	The form of the chain is judged as RFC 8617 5.2 steps 1 to 3 say:
 *	at most 50 sets, the newest seal not cv=fail, instances 1 to N
 *	each with exactly one field of each kind, cv=none at 1 and cv=pass
 *	above.  A chain of good form hands the DKIM verifier every AMS
 *	(their header hashes are DKIM's, their body hashes shared with the
 *	DKIM-Signatures) and every AS, whose header hash is made here: the
 *	sets 1 to its own, AAR, AMS, AS each, relaxed, its own b= emptied
 *	and without a final CRLF (RFC 8617 5.1.1).
 *	End of message: the newest AMS must pass (step 4), the older ones
 *	give the oldest pass (step 6), every seal must pass (step 7).
 *	Nothing of an AAR is believed unless the chain passes and its
 *	sealer is trusted.
 * STANDARDS
 *	RFC 8617 4.1, 4.2.1, 5.1.1, 5.2; RFC 8301 (keys and hashes).
 * DIAGNOSTICS
 *	Every failure names the field and instance it is about.  A key that
 *	could not be fetched, or memory that ran out, is a temperror.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/arc.h"
#include "forgeguard/canon.h"
#include "forgeguard/crypto.h"
#include "forgeguard/domain.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/str.h"

/* The three kinds of field of a set, in the order a seal hashes them. */
enum kind { K_AAR, K_AMS, K_AS, K_N };

static const char *const field_names[K_N] = {
	[K_AAR] = "ARC-Authentication-Results",
	[K_AMS] = "ARC-Message-Signature",
	[K_AS] = "ARC-Seal",
};

/* What was gathered of the sets, while the form is judged. */
struct gathered {
	size_t f[K_N][FG_ARC_SETS_MAX + 1]; /* field index + 1, 0: none */
	struct fg_dkimsig *sig[K_N][FG_ARC_SETS_MAX + 1]; /* AMS, AS */
	unsigned n; /* the highest instance */
};

static const char *const result_names[] = {
	[FG_ARC_NONE] = "none",
	[FG_ARC_PASS] = "pass",
	[FG_ARC_FAIL] = "fail",
	[FG_ARC_TEMPERROR] = "temperror",
};

/* fg_arc_result_name - "none", "pass", "fail", "temperror" */
const char *
fg_arc_result_name(enum fg_arc_result r)
{
	return (unsigned)r <= FG_ARC_TEMPERROR ? result_names[r] : "?";
}

/* fg_arc_reason - why, with the field and instance it is about */
void
fg_arc_reason(const struct fg_arc *a, char *dst, size_t cap)
{
	if (cap == 0)
		return;
	if (a->why == NULL)
		dst[0] = '\0';
	else if (a->why_field != NULL && a->why_inst > 0)
		snprintf(dst, cap, "%s i=%u: %s", a->why_field, a->why_inst,
			 a->why);
	else if (a->why_field != NULL)
		snprintf(dst, cap, "%s: %s", a->why_field, a->why);
	else
		snprintf(dst, cap, "%s", a->why);
}

static const char *const cv_names[] = {
	[FG_CV_NONE] = "none",
	[FG_CV_PASS] = "pass",
	[FG_CV_FAIL] = "fail",
};

/* verified - a set's signature result, "-" when not verified */
static const char *
verified(enum fg_dkim_result r)
{
	return r == FG_DKIM_NONE ? "-" : fg_dkim_result_name(r);
}

/* fg_arc_sets_text - every set, for the log */
void
fg_arc_sets_text(const struct fg_arc *a, char *dst, size_t cap)
{
	struct fg_buf b;
	size_t i;

	fg_buf_init(&b, dst, cap);
	for (i = 0; i < a->n; i++) {
		const struct fg_arc_set *s = &a->sets[i];

		(void)fg_buf_printf(&b, "%s%u:%s/%s:%s/%s:%s", i ? "," : "",
				    s->inst, s->d[0] ? s->d : "?",
				    s->s[0] ? s->s : "?", verified(s->seal),
				    verified(s->ams), cv_names[s->cv]);
	}
	if (a->result == FG_ARC_PASS)
		(void)fg_buf_printf(&b, ";oldest-pass=%u", a->oldest_pass);
	if (a->trusted > 0) {
		const struct fg_arc_set *s = &a->sets[a->trusted - 1];

		/* the override reason DMARC may use: what the trusted
		 * sealer's AAR says passed */
		(void)fg_buf_printf(&b, ";trusted=%d:%s:%s%s%s%s", a->trusted,
				    s->d, s->spf_pass ? "+spf=pass" : "",
				    s->dkim_pass ? "+dkim=pass" : "",
				    s->dmarc_pass ? "+dmarc=pass" : "",
				    s->spf_pass || s->dkim_pass || s->dmarc_pass
					    ? ""
					    : "nothing");
	}
}

/* fg_arc_init - nothing gathered */
void
fg_arc_init(struct fg_arc *a)
{
	memset(a, 0, sizeof(*a));
}

/* fg_arc_fini - free, then empty */
void
fg_arc_fini(struct fg_arc *a)
{
	free(a->sets);
	fg_arc_init(a);
}

/* status - the chain's result, with what it is about */
static void
status(struct fg_arc *a, enum fg_arc_result r, enum kind k, unsigned inst,
       const char *why)
{
	a->result = r;
	a->why = why;
	a->why_field = k < K_N ? field_names[k] : NULL;
	a->why_inst = inst;
}

/* is_fws - folding whitespace */
static int
is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* fg_arc_aar_instance - i= of an AAR value, which must come first */
unsigned
fg_arc_aar_instance(const char *p, size_t n)
{
	size_t i = 0, digits = 0;
	unsigned v = 0;

	while (i < n && is_fws(p[i]))
		i++;
	if (i == n || p[i++] != 'i')
		return 0;
	while (i < n && is_fws(p[i]))
		i++;
	if (i == n || p[i++] != '=')
		return 0;
	while (i < n && is_fws(p[i]))
		i++;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		if (++digits <= 5)
			v = v * 10 + (unsigned)(p[i] - '0');
	if (digits == 0 || digits > 5)
		return 0;
	while (i < n && is_fws(p[i]))
		i++;
	return i < n && p[i] == ';' ? v : 0;
}

/* skip_cfws - past blanks and (nested) comments */
static size_t
skip_cfws(const char *p, size_t n, size_t i)
{
	int depth = 0;

	for (; i < n; i++) {
		if (depth > 0 && p[i] == '\\' && i + 1 < n)
			i++;
		else if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && !is_fws(p[i]))
			break;
	}
	return i;
}

/* token_end - the end of a token (up to a blank, ";", "=" or "(") */
static size_t
token_end(const char *p, size_t n, size_t i)
{
	while (i < n && !is_fws(p[i]) && p[i] != ';' && p[i] != '=' &&
	       p[i] != '(')
		i++;
	return i;
}

/* resinfo - one "method=result prop=value ..." of an AAR, into set */
static void
resinfo(const char *p, size_t n, struct fg_arc_set *set)
{
	size_t i = skip_cfws(p, n, 0), e = token_end(p, n, i), ve;
	struct fg_view method = { p + i, e - i }, result;
	int pass;

	i = skip_cfws(p, n, e);
	if (i == n || p[i] != '=')
		return;
	i = skip_cfws(p, n, i + 1);
	ve = token_end(p, n, i);
	result = (struct fg_view){ p + i, ve - i };
	pass = fg_str_caseeqz(result.p, result.n, "pass");
	if (fg_str_caseeqz(method.p, method.n, "spf"))
		set->spf_pass |= pass;
	else if (fg_str_caseeqz(method.p, method.n, "dkim"))
		set->dkim_pass |= pass;
	else if (fg_str_caseeqz(method.p, method.n, "dmarc"))
		set->dmarc_pass |= pass;
	/* the properties: smtp.remote-ip=ADDR (RFC 8617 4.1.1) */
	for (i = ve; i + 15 <= n; i++)
		if (fg_str_caseeq(p + i, 15, "smtp.remote-ip=", 15) &&
		    (i == 0 || is_fws(p[i - 1]) || p[i - 1] == ')')) {
			size_t s = i + 15, t = token_end(p, n, s);

			if (fg_str_copy(set->remote_ip, sizeof(set->remote_ip),
					p + s, t - s) != FG_OK)
				set->remote_ip[0] = '\0';
			break;
		}
}

/* aar_facts - authserv-id and results of an AAR value ("i=N;" first) */
static void
aar_facts(const char *p, size_t n, struct fg_arc_set *set)
{
	const char *semi = memchr(p, ';', n);
	size_t i, e, q;
	int quoted = 0, depth = 0;

	if (semi == NULL)
		return;
	i = skip_cfws(p, n, (size_t)(semi - p) + 1);
	e = token_end(p, n, i);
	if (fg_domain_canon(p + i, e - i, set->authserv_id,
			    sizeof(set->authserv_id)) != FG_OK)
		set->authserv_id[0] = '\0';
	/* resinfo after resinfo, split at ";" outside quotes and comments */
	for (q = e; q < n; q++) {
		if (p[q] == '\\' && q + 1 < n)
			q++;
		else if (p[q] == '"' && depth == 0)
			quoted = !quoted;
		else if (!quoted && p[q] == '(')
			depth++;
		else if (!quoted && p[q] == ')' && depth > 0)
			depth--;
		else if (!quoted && depth == 0 && p[q] == ';') {
			size_t s = q + 1, t = s;

			while (t < n && p[t] != ';')
				t++;
			resinfo(p + s, t - s, set);
		}
	}
}

/* kind_of - the ARC kind of field i, K_N for another field */
static enum kind
kind_of(const struct fg_hdrstore *h, size_t i)
{
	enum kind k;

	for (k = 0; k < K_N; k++)
		if (fg_hdrstore_is(h, i, field_names[k]))
			return k;
	return K_N;
}

/* gather_one - field i of kind k into g; 0 with a's status set */
static int
gather_one(struct fg_arc *a, struct gathered *g, const struct fg_hdrstore *h,
	   size_t i, enum kind k)
{
	struct fg_view v = fg_hdrstore_value(h, i);
	struct fg_dkimsig *sig = NULL;
	unsigned inst;

	if (k == K_AAR) {
		inst = fg_arc_aar_instance(v.p, v.n);
		if (inst == 0) {
			status(a, FG_ARC_FAIL, k, 0, "no i= at its start");
			return 0;
		}
	} else {
		sig = malloc(sizeof(*sig));
		if (sig == NULL) {
			status(a, FG_ARC_TEMPERROR, K_N, 0, "out of memory");
			return 0;
		}
		if (fg_sig_parse(v.p, v.n, k == K_AMS ? FG_SIG_AMS : FG_SIG_AS,
				 sig) != FG_OK) {
			status(a, FG_ARC_FAIL, k, 0, sig->why);
			free(sig);
			return 0;
		}
		inst = sig->inst;
	}
	if (inst < 1 || inst > FG_ARC_SETS_MAX) {
		status(a, FG_ARC_FAIL, k, inst, "instance out of range (1-50)");
		free(sig);
		return 0;
	}
	if (g->f[k][inst] != 0) {
		status(a, FG_ARC_FAIL, k, inst, "two fields of one instance");
		free(sig);
		return 0;
	}
	g->f[k][inst] = i + 1;
	g->sig[k][inst] = sig;
	if (inst > g->n)
		g->n = inst;
	return 1;
}

/* report_sets - what the log shows of sets 1 to g->n */
static int
report_sets(struct fg_arc *a, const struct gathered *g,
	    const struct fg_hdrstore *h)
{
	unsigned i;

	a->sets = calloc(g->n, sizeof(*a->sets));
	if (a->sets == NULL)
		return 0;
	a->n = g->n;
	for (i = 1; i <= g->n; i++) {
		struct fg_arc_set *set = &a->sets[i - 1];
		const struct fg_dkimsig *as = g->sig[K_AS][i];

		set->inst = i;
		set->seal = set->ams = FG_DKIM_NONE;
		if (as != NULL) {
			memcpy(set->d, as->d, sizeof(set->d));
			memcpy(set->s, as->s, sizeof(set->s));
			set->cv = as->cv;
		}
		if (g->f[K_AAR][i] != 0) {
			struct fg_view v =
				fg_hdrstore_value(h, g->f[K_AAR][i] - 1);

			aar_facts(v.p, v.n, set);
		}
	}
	return 1;
}

/* form - RFC 8617 5.2 steps 2 and 3; 0 with a's status set */
static int
form(struct fg_arc *a, const struct gathered *g)
{
	unsigned i;
	enum kind k;
	const struct fg_dkimsig *newest = g->sig[K_AS][g->n];

	if (newest != NULL && newest->cv == FG_CV_FAIL) {
		status(a, FG_ARC_FAIL, K_AS, g->n,
		       "the newest seal says cv=fail");
		return 0;
	}
	for (i = 1; i <= g->n; i++) {
		for (k = 0; k < K_N; k++)
			if (g->f[k][i] == 0) {
				status(a, FG_ARC_FAIL, k, i,
				       "missing from its set");
				return 0;
			}
		if (g->sig[K_AS][i]->cv != (i == 1 ? FG_CV_NONE : FG_CV_PASS)) {
			status(a, FG_ARC_FAIL, K_AS, i,
			       i == 1 ? "cv= is not none in the first set"
				      : "cv= is not pass after the first set");
			return 0;
		}
	}
	return 1;
}

/* hash_sink - canonical bytes into a hash */
static void
hash_sink(void *arg, const void *p, size_t n)
{
	fg_hash_update(arg, p, n);
}

/* seal_hash - the header hash of seal inst: the sets 1 to inst, its own
 * b= emptied; 0 without memory */
static size_t
seal_hash(const struct gathered *g, const struct fg_hdrstore *h, unsigned inst,
	  unsigned char *out)
{
	const struct fg_dkimsig *as = g->sig[K_AS][inst];
	struct fg_hash *hh = fg_hash_new(
		as->alg == FG_DKIM_RSA_SHA1 ? FG_HASH_SHA1 : FG_HASH_SHA256);
	struct fg_view self = fg_hdrstore_value(h, g->f[K_AS][inst] - 1);
	char *copy = malloc(self.n + 1);
	size_t len = 0;
	unsigned i;
	enum kind k;

	if (hh == NULL || copy == NULL)
		goto out;
	/* sets 1 to inst, AAR, AMS, AS each; the last field is the seal
	 * itself, b= emptied, without its CRLF */
	for (i = 1; i <= inst; i++)
		for (k = 0; k < K_N; k++) {
			size_t f = g->f[k][i] - 1;
			struct fg_view n = fg_hdrstore_name(h, f);
			struct fg_view v = fg_hdrstore_value(h, f);
			int last = i == inst && k == K_AS;

			if (last) {
				memcpy(copy, self.p, as->b_start);
				memcpy(copy + as->b_start, self.p + as->b_end,
				       self.n - as->b_end);
				v.p = copy;
				v.n = self.n - (as->b_end - as->b_start);
			}
			fg_canon_header(FG_CANON_RELAXED, n.p, n.n, v.p, v.n,
					!last, hash_sink, hh);
		}
	len = fg_hash_final(hh, out);
out:
	fg_hash_free(hh);
	free(copy);
	return len;
}

/* hand_over - every signature of a chain of good form to the verifier */
static int
hand_over(struct fg_arc *a, struct gathered *g, struct fg_dkim *d,
	  const struct fg_hdrstore *h)
{
	unsigned char hd[FG_HASH_MAX];
	unsigned i;

	for (i = g->n; i >= 1; i--) {
		struct fg_dkimsig *p = g->sig[K_AMS][i], *alt = NULL;

		a->ams_alt[i - 1] = FG_DKIM_NOSIG;
		if (!p->has_c) {
			/* RFC 8617 4.1.2 inherits DKIM's simple/simple;
			 * dkimpy and the ARC test suite read relaxed: both
			 * are tried, and either may pass */
			alt = malloc(sizeof(*alt));
			if (alt == NULL)
				return 0;
			*alt = *p;
			alt->hcanon = alt->bcanon = FG_CANON_RELAXED;
		}
		a->ams_sig[i - 1] =
			fg_dkim_add(d, p, h, g->f[K_AMS][i] - 1, NULL, 0);
		g->sig[K_AMS][i] = NULL; /* the verifier's now */
		if (a->ams_sig[i - 1] == FG_DKIM_NOSIG) {
			free(alt);
			return 0;
		}
		if (alt != NULL) {
			a->ams_alt[i - 1] = fg_dkim_add(
				d, alt, h, g->f[K_AMS][i] - 1, NULL, 0);
			if (a->ams_alt[i - 1] == FG_DKIM_NOSIG)
				return 0;
		}
	}
	for (i = g->n; i >= 1; i--) {
		size_t len = seal_hash(g, h, i, hd);

		if (len == 0)
			return 0;
		a->seal_sig[i - 1] =
			fg_dkim_add(d, g->sig[K_AS][i], NULL, 0, hd, len);
		g->sig[K_AS][i] = NULL;
		if (a->seal_sig[i - 1] == FG_DKIM_NOSIG)
			return 0;
	}
	return 1;
}

/* fg_arc_headers - the sets judged for form, their signatures handed over */
void
fg_arc_headers(struct fg_arc *a, struct fg_dkim *d, const struct fg_hdrstore *h)
{
	struct gathered *g;
	size_t i, count = 0;
	unsigned k;
	int ok = 1;

	fg_arc_fini(a);
	for (i = 0; i < h->n; i++)
		count += kind_of(h, i) != K_N;
	if (count == 0)
		return; /* none */
	if (count > 3 * FG_ARC_SETS_MAX) {
		status(a, FG_ARC_FAIL, K_N, 0, "more than 50 ARC sets");
		fg_arc_reason(a, a->reason, sizeof(a->reason));
		return;
	}
	g = calloc(1, sizeof(*g));
	if (g == NULL) {
		status(a, FG_ARC_TEMPERROR, K_N, 0, "out of memory");
		fg_arc_reason(a, a->reason, sizeof(a->reason));
		return;
	}
	for (i = 0; i < h->n && ok; i++) {
		enum kind kd = kind_of(h, i);

		ok = kd == K_N || gather_one(a, g, h, i, kd);
	}
	/* what was gathered is reported, even of a chain that failed */
	if (g->n > 0 && !report_sets(a, g, h)) {
		status(a, FG_ARC_TEMPERROR, K_N, 0, "out of memory");
		goto done;
	}
	if (!ok || !form(a, g))
		goto done;
	if (!hand_over(a, g, d, h)) {
		status(a, FG_ARC_TEMPERROR, K_N, 0, "out of memory");
		goto done;
	}
	a->validating = 1;
done:
	fg_arc_reason(a, a->reason, sizeof(a->reason));
	for (k = 0; k <= FG_ARC_SETS_MAX; k++) {
		free(g->sig[K_AMS][k]);
		free(g->sig[K_AS][k]);
	}
	free(g);
}

/* judged - a verified signature's result; 0 with a's status set when it
 * is not a pass */
static int
judged(struct fg_arc *a, const struct fg_dkim_sig *sg, enum kind k,
       unsigned inst)
{
	if (sg->result == FG_DKIM_PASS)
		return 1;
	status(a,
	       sg->result == FG_DKIM_TEMPERROR ? FG_ARC_TEMPERROR : FG_ARC_FAIL,
	       k, inst, sg->why != NULL ? sg->why : "does not verify");
	return 0;
}

/* ams_of - the verdict on AMS inst: its second reading (without c=)
 * when only that one passes */
static const struct fg_dkim_sig *
ams_of(const struct fg_arc *a, const struct fg_dkim *d, unsigned inst)
{
	const struct fg_dkim_sig *sg = fg_dkim_get(d, a->ams_sig[inst - 1]);

	if (sg->result != FG_DKIM_PASS &&
	    a->ams_alt[inst - 1] != FG_DKIM_NOSIG &&
	    fg_dkim_get(d, a->ams_alt[inst - 1])->result == FG_DKIM_PASS)
		return fg_dkim_get(d, a->ams_alt[inst - 1]);
	return sg;
}

/* trust - the newest set whose sealer is trusted */
static void
trust(struct fg_arc *a, const struct fg_nameset *trusted)
{
	size_t i;

	for (i = a->n; i > 0; i--)
		if (fg_conf_name_in(trusted, a->sets[i - 1].d,
				    strlen(a->sets[i - 1].d), 1)) {
			a->trusted = (int)i;
			return;
		}
}

/* verdict - the chain's status from the verified signatures */
static void
verdict(struct fg_arc *a, const struct fg_dkim *d,
	const struct fg_nameset *trusted)
{
	unsigned i, n = (unsigned)a->n;

	for (i = 1; i <= n; i++) {
		a->sets[i - 1].ams = ams_of(a, d, i)->result;
		a->sets[i - 1].seal =
			fg_dkim_get(d, a->seal_sig[i - 1])->result;
	}
	/* step 4: the newest AMS */
	if (!judged(a, ams_of(a, d, n), K_AMS, n))
		return;
	/* step 6: the oldest pass, older AMS down to the first failing */
	a->oldest_pass = 0;
	for (i = n - 1; i >= 1; i--)
		if (a->sets[i - 1].ams != FG_DKIM_PASS) {
			a->oldest_pass = i + 1;
			break;
		}
	/* step 7: every seal, newest first */
	for (i = n; i >= 1; i--)
		if (!judged(a, fg_dkim_get(d, a->seal_sig[i - 1]), K_AS, i))
			return;
	status(a, FG_ARC_PASS, K_N, 0, NULL);
	if (trusted != NULL)
		trust(a, trusted);
}

/* fg_arc_finish - the chain's status from the verified signatures */
void
fg_arc_finish(struct fg_arc *a, const struct fg_dkim *d,
	      const struct fg_nameset *trusted)
{
	if (!a->validating)
		return;
	verdict(a, d, trusted);
	a->validating = 0; /* judged once */
	fg_arc_reason(a, a->reason, sizeof(a->reason));
}

/* sealed_by - could a Received: field's by host have sealed for d: the
 * host is d or below it, or d is within the host's last two labels */
static int
sealed_by(const char *by, const char *d)
{
	size_t n = strlen(by), dots = 0;
	const char *org = by;

	if (by[0] == '\0' || d[0] == '\0')
		return 0;
	if (fg_domain_within(by, n, d, strlen(d), 1))
		return 1;
	for (org = by + n; org > by; org--)
		if (org[-1] == '.' && ++dots == 2)
			break;
	return dots == 2 && fg_domain_within(d, strlen(d), org, strlen(org), 1);
}

/* hop_of - the first hop from `from` on whose by host sealed for d; 0
 * when none */
static size_t
hop_of(const struct fg_message *m, size_t from, const char *d)
{
	size_t h;

	for (h = from; h < m->nhops; h++)
		if (m->hops[h].parsed && sealed_by(m->hops[h].r.by, d))
			return h;
	return 0;
}

/* same_ip - is text the address ip */
static int
same_ip(const char *text, const struct fg_ip *ip)
{
	struct fg_ip a;

	if (fg_ipaddr_parse(text, strlen(text), &a) != FG_OK)
		return 0;
	fg_ipaddr_normalize(&a);
	return fg_ipaddr_equal(&a, ip);
}

/* fg_arc_trail - a passing chain against the Received: trail of m */
const char *
fg_arc_trail(const struct fg_arc *a, const struct fg_message *m, char *detail,
	     size_t cap)
{
	size_t prev = 0, h;
	unsigned i;

	/* hops[0] is this server's own step; the trail starts at 1 */
	for (i = (unsigned)a->n; i >= 1; i--) {
		const struct fg_arc_set *s = &a->sets[i - 1];
		/* one ADMD may seal twice on its way through (inbound, then
		 * forwarding), with internal hops that name no host: a set
		 * sealed by the same domain as the newer one may stand on
		 * the same hop */
		int same =
			i < a->n && prev > 0 && strcmp(s->d, a->sets[i].d) == 0;

		h = hop_of(m, same ? prev : prev + 1, s->d);
		if (h == 0) {
			snprintf(detail, cap, "i=%u d=%s", i, s->d);
			return hop_of(m, 1, s->d)
				       ? "sealers in another order than the "
					 "trail"
				       : "a sealer that wrote no Received: "
					 "field";
		}
		if (s->remote_ip[0] != '\0' && m->hops[h].r.has_ip &&
		    !same_ip(s->remote_ip, &m->hops[h].r.ip)) {
			snprintf(detail, cap, "i=%u d=%s remote-ip=%s hop %zu",
				 i, s->d, s->remote_ip, h);
			return "smtp.remote-ip is not the address its hop "
			       "received from";
		}
		prev = h;
	}
	if (cap > 0)
		detail[0] = '\0';
	return NULL;
}
