/*
 * NAME
 *	signtable - the dkim_sign_keys file: which keys sign for which domain
 * SYNOPSIS
 *	#include "conf_impl.h"
 * DESCRIPTION
 *	One key per line, as an opendkim KeyTable holds them: the signing
 *	domain, the selector, the private key file, and optionally the
 *	algorithm (rsa-sha256 or ed25519-sha256; by default the key's own
 *	type says).  A domain may have several keys (RFC 8463 recommends
 *	an ed25519 and an RSA signature side by side); each signs.  "#"
 *	starts a comment line.  Every key file must be a regular file that
 *	neither its group nor others may read (a private key readable by
 *	other users is refused, as opendkim does); the keys themselves are
 *	decoded by the daemon (auth/signkeys.c), at start and on SIGHUP.
 * DIAGNOSTICS
 *	Each problem names the table's file and line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf_impl.h"
#include "forgeguard/domain.h"

/* Keys one table may hold. */
#define SIGN_KEYS_MAX 1000

/* key_file_ok - a regular file no other user may read */
static int
key_file_ok(struct fg_loader *ld, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		(void)fg_conf_bad(ld, "key file %s: %s", path, strerror(errno));
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		(void)fg_conf_bad(ld, "key file %s is not a regular file",
				  path);
		return 0;
	}
	if ((st.st_mode & (S_IRGRP | S_IROTH | S_IWGRP | S_IWOTH)) != 0) {
		(void)fg_conf_bad(ld,
				  "key file %s may be read or written by "
				  "other users (mode %04o): chmod 600 it, "
				  "owned by the daemon's user",
				  path, (unsigned)(st.st_mode & 07777));
		return 0;
	}
	return 1;
}

/* sign_line - "domain selector keyfile [algorithm]" */
static void
sign_line(struct fg_loader *ld, struct fg_sign_table *t, struct fg_view line)
{
	struct fg_view it[5];
	struct fg_sign_entry *e, *nv;
	char dom[FG_DOMAIN_MAX + 2];
	size_t n = 0, pos;

	while (n < 5 && fg_conffile_item(&line, &it[n]))
		n++;
	if (n < 3 || n > 4) {
		(void)fg_conf_bad(ld, "want \"domain selector keyfile "
				      "[rsa-sha256|ed25519-sha256]\"");
		return;
	}
	if (fg_domain_check(it[0].p, it[0].n, FG_DOMAIN_TRAILING_DOT, NULL,
			    &pos) != FG_OK ||
	    fg_domain_canon(it[0].p, it[0].n, dom, sizeof(dom)) != FG_OK) {
		(void)fg_conf_bad(ld, "\"%.*s\" is not a domain name",
				  (int)(it[0].n > 80 ? 80 : it[0].n), it[0].p);
		return;
	}
	/* a selector is a sub-domain: labels of letters, digits, hyphens */
	if (it[1].n > FG_SELECTOR_MAX ||
	    fg_domain_check(it[1].p, it[1].n, 0, NULL, &pos) != FG_OK) {
		(void)fg_conf_bad(ld, "\"%.*s\" is not a selector",
				  (int)(it[1].n > 80 ? 80 : it[1].n), it[1].p);
		return;
	}
	if (t->n >= SIGN_KEYS_MAX) {
		(void)fg_conf_bad(ld, "more than %d keys", SIGN_KEYS_MAX);
		return;
	}
	nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
	if (nv == NULL) {
		(void)fg_conf_bad(ld, "out of memory");
		return;
	}
	t->v = nv;
	e = &t->v[t->n];
	memset(e, 0, sizeof(*e));
	e->line = ld->line;
	memcpy(e->domain, dom, strlen(dom) + 1);
	memcpy(e->selector, it[1].p, it[1].n);
	fg_str_lower(e->selector, it[1].n);
	if (n == 4) {
		if (fg_str_caseeqz(it[3].p, it[3].n, "rsa-sha256"))
			e->alg = FG_SIGN_RSA;
		else if (fg_str_caseeqz(it[3].p, it[3].n, "ed25519-sha256"))
			e->alg = FG_SIGN_ED25519;
		else {
			(void)fg_conf_bad(ld,
					  "algorithm \"%.*s\": want rsa-sha256 "
					  "or ed25519-sha256 (RFC 8301 forbids "
					  "rsa-sha1)",
					  (int)(it[3].n > 40 ? 40 : it[3].n),
					  it[3].p);
			return;
		}
	}
	e->path = fg_conf_dupz(it[2].p, it[2].n);
	if (e->path == NULL) {
		(void)fg_conf_bad(ld, "out of memory");
		return;
	}
	t->n++;
	(void)key_file_ok(ld, e->path);
}

/* fg_signtable_load - read conf->dkim_sign_keys into conf->sign_table */
void
fg_signtable_load(struct fg_loader *ld)
{
	struct fg_sign_table *t = &ld->conf->sign_table;
	const char *file = ld->file;
	char *text;
	size_t len, pos = 0, k, j;
	unsigned line = 0;

	if (ld->conf->dkim_sign_keys[0] == '\0')
		return;
	ld->line = 0;
	if (fg_conf_read_file(ld->conf->dkim_sign_keys, &text, &len, ld->err) !=
	    FG_OK) {
		ld->nerr++;
		return;
	}
	ld->file = ld->conf->dkim_sign_keys;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct fg_view v = { text + pos, end - pos };

		ld->line = ++line;
		if (memchr(v.p, '\0', v.n) != NULL)
			(void)fg_conf_bad(ld, "NUL byte");
		else if (!fg_conf_is_comment(&v))
			sign_line(ld, t, v);
		pos = end + 1;
	}
	free(text);
	for (k = 0; k < t->n; k++)
		for (j = 0; j < k; j++)
			if (strcmp(t->v[k].domain, t->v[j].domain) == 0 &&
			    strcmp(t->v[k].selector, t->v[j].selector) == 0) {
				ld->line = t->v[k].line;
				(void)fg_conf_bad(ld,
						  "%s selector %s is listed "
						  "twice",
						  t->v[k].domain,
						  t->v[k].selector);
			}
	if (t->n == 0) {
		ld->line = 0;
		(void)fg_conf_bad(ld, "no keys (an empty table signs nothing: "
				      "leave dkim_sign_keys empty instead)");
	}
	ld->line = 0;
	ld->file = file;
}

/* fg_signtable_release - free conf->sign_table */
void
fg_signtable_release(struct fg_sign_table *t)
{
	size_t k;

	for (k = 0; k < t->n; k++)
		free(t->v[k].path);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
