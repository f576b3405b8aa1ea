/*
 * NAME
 *	signkeys - the private keys of the dkim_sign_keys table, decoded
 * SYNOPSIS
 *	#include "forgeguard/dkimsign.h"
 * DESCRIPTION
 *	One immutable, reference-counted set per configuration snapshot:
 *	the daemon loads it at start and on SIGHUP (a reload that cannot
 *	read a key keeps the running set), and each session holds the set
 *	of the snapshot it started on.  A domain's keys are those listed
 *	for it, else for its nearest parent (a key for example.org signs
 *	for news.example.org, aligned under DMARC's relaxed mode).
 * DIAGNOSTICS
 *	Every problem names the table, its line and the key file.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forgeguard/dkimsign.h"
#include "forgeguard/str.h"

struct fg_signkeys {
	atomic_int refs;
	size_t n;
	struct fg_signkey v[];
};

/* fg_signkeys_load - decode every key of the table */
enum fg_err
fg_signkeys_load(const struct fg_conf *conf, struct fg_signkeys **out,
		 struct fg_buf *err)
{
	const struct fg_sign_table *t = &conf->sign_table;
	struct fg_signkeys *k;
	enum fg_err e = FG_OK;
	size_t i;

	*out = NULL;
	if (t->n == 0 && conf->arc_seal_domain[0] != '\0') {
		(void)fg_buf_printf(err,
				    "arc_seal_domain %s: no key in "
				    "dkim_sign_keys (ARC seals with an RSA key "
				    "of that domain)",
				    conf->arc_seal_domain);
		return FG_ESYNTAX;
	}
	if (t->n == 0)
		return FG_OK;
	k = calloc(1, sizeof(*k) + t->n * sizeof(k->v[0]));
	if (k == NULL)
		return FG_ENOMEM;
	atomic_init(&k->refs, 1);
	for (i = 0; i < t->n; i++) {
		const struct fg_sign_entry *se = &t->v[i];
		struct fg_signkey *sk = &k->v[k->n];
		char why[512];
		enum fg_pubkey_type pt;

		if (fg_privkey_load(se->path, &sk->pk, why, sizeof(why)) !=
		    FG_OK) {
			(void)fg_buf_printf(
				err, "%s%s:%u: %s", err->len ? "\n" : "",
				conf->dkim_sign_keys, se->line, why);
			e = FG_ESYNTAX;
			continue;
		}
		pt = fg_privkey_type(sk->pk);
		if ((se->alg == FG_SIGN_RSA && pt != FG_PK_RSA) ||
		    (se->alg == FG_SIGN_ED25519 && pt != FG_PK_ED25519) ||
		    (pt == FG_PK_RSA && fg_privkey_bits(sk->pk) < 1024)) {
			(void)fg_buf_printf(
				err, "%s%s:%u: %s: a%s key of %d bits, %s",
				err->len ? "\n" : "", conf->dkim_sign_keys,
				se->line, se->path,
				pt == FG_PK_RSA ? "n RSA" : "n Ed25519",
				fg_privkey_bits(sk->pk),
				pt == FG_PK_RSA &&
						fg_privkey_bits(sk->pk) < 1024
					? "shorter than RFC 8301 allows"
					: "not the algorithm the line names");
			fg_privkey_free(sk->pk);
			sk->pk = NULL;
			e = FG_ESYNTAX;
			continue;
		}
		memcpy(sk->domain, se->domain, sizeof(sk->domain));
		memcpy(sk->selector, se->selector, sizeof(sk->selector));
		sk->alg = pt == FG_PK_RSA ? FG_DKIM_RSA_SHA256
					  : FG_DKIM_ED25519_SHA256;
		k->n++;
	}
	if (e == FG_OK && conf->arc_seal_domain[0] != '\0' &&
	    fg_signkeys_sealer(k, conf->arc_seal_domain) == NULL) {
		(void)fg_buf_printf(
			err,
			"%sarc_seal_domain %s: no RSA key for it in "
			"%s (ARC seals with rsa-sha256 only)",
			err->len ? "\n" : "", conf->arc_seal_domain,
			conf->dkim_sign_keys);
		e = FG_ESYNTAX;
	}
	if (e != FG_OK) {
		fg_signkeys_unref(k);
		return e;
	}
	*out = k;
	return FG_OK;
}

/* fg_signkeys_ref - one more reference */
struct fg_signkeys *
fg_signkeys_ref(struct fg_signkeys *k)
{
	if (k != NULL)
		atomic_fetch_add(&k->refs, 1);
	return k;
}

/* fg_signkeys_unref - drop a reference */
void
fg_signkeys_unref(struct fg_signkeys *k)
{
	size_t i;

	if (k == NULL || atomic_fetch_sub(&k->refs, 1) != 1)
		return;
	for (i = 0; i < k->n; i++)
		fg_privkey_free(k->v[i].pk);
	free(k);
}

/* fg_signkeys_for - the keys of domain, or of its nearest parent */
size_t
fg_signkeys_for(const struct fg_signkeys *k, const char *domain,
		const struct fg_signkey *out[FG_SIGN_KEYS_MAX])
{
	const char *d = domain;
	size_t i, n;

	if (k == NULL)
		return 0;
	while (d != NULL && *d != '\0') {
		n = 0;
		for (i = 0; i < k->n && n < FG_SIGN_KEYS_MAX; i++)
			if (strcmp(k->v[i].domain, d) == 0)
				out[n++] = &k->v[i];
		if (n > 0)
			return n;
		d = strchr(d, '.');
		if (d != NULL)
			d++;
		/* never a top-level name alone */
		if (d != NULL && strchr(d, '.') == NULL)
			break;
	}
	return 0;
}

/* fg_signkeys_sealer - the first RSA key of exactly domain, or NULL */
const struct fg_signkey *
fg_signkeys_sealer(const struct fg_signkeys *k, const char *domain)
{
	size_t i;

	for (i = 0; k != NULL && i < k->n; i++)
		if (k->v[i].alg == FG_DKIM_RSA_SHA256 &&
		    strcasecmp(k->v[i].domain, domain) == 0)
			return &k->v[i];
	return NULL;
}
