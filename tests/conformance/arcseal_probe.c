/*
 * arcseal_probe - ARC sealing for the conformance harness
 *
 * Usage: arcseal_probe KEYFILE DOMAIN SELECTOR SRVID T HEADERS FILE
 * Seals the message in FILE (fed as the daemon gets one from Postfix) as
 * the daemon does for mail re-injected by a list: the results of the
 * Authentication-Results fields of SRVID, merged, go into the AAR and
 * their arc= result gives cv; instance one past the newest ARC-Seal;
 * t=T, AMS h= the colon-separated HEADERS.  Prints "AAR: ...", "AMS:
 * ...", "AS: ..." (the field values), or "NONE: WHY" when no set is
 * added (the chain already failed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/dkimsign.h"
#include "forgeguard/split.h"

struct msg {
	struct fg_hdrstore h;
	struct fg_dkim_signer *s;
};

static void
on_header(void *arg, const char *name, const char *value)
{
	struct msg *m = arg;

	if (fg_hdrstore_add(&m->h, name, strlen(name), value, strlen(value)) !=
	    FG_OK)
		exit(3);
}

static void
on_eoh(void *arg)
{
	(void)arg;
}

static void
on_body(void *arg, const unsigned char *p, size_t n)
{
	struct msg *m = arg;

	fg_dkim_signer_body(m->s, p, n);
}

/* unfold - drop CR and LF from s, in place */
static void
unfold(char *s)
{
	char *w = s;

	for (; *s; s++)
		if (*s != '\r' && *s != '\n')
			*w++ = *s;
	*w = '\0';
}

int
main(int argc, char **argv)
{
	static struct fg_arc_seal_out out;
	struct fg_signkey key;
	struct fg_sign_req r;
	struct fg_arc_seal_in in;
	struct msg m;
	struct fg_split_sink sink = { on_header, on_eoh, on_body, &m };
	const char *h[64], *why, *arc, *last;
	char err[256], aar[4096], d[256], *names, *tok, *save = NULL, *text;
	unsigned inst;
	size_t n = 0, len;
	FILE *f;

	if (argc != 8) {
		fprintf(stderr, "usage: arcseal_probe KEYFILE DOMAIN SELECTOR "
				"SRVID T HEADERS FILE\n");
		return 2;
	}
	memset(&key, 0, sizeof(key));
	if (fg_privkey_load(argv[1], &key.pk, err, sizeof(err)) != FG_OK) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	snprintf(key.domain, sizeof(key.domain), "%s", argv[2]);
	snprintf(key.selector, sizeof(key.selector), "%s", argv[3]);
	memset(&r, 0, sizeof(r));
	r.hc = r.bc = FG_CANON_RELAXED;
	m.s = fg_dkim_signer_new(&r);
	fg_hdrstore_init(&m.h);
	f = fopen(argv[7], "rb");
	text = malloc(1 << 20);
	if (f == NULL || text == NULL || m.s == NULL)
		return 2;
	len = fread(text, 1, 1 << 20, f);
	fclose(f);
	if (fg_split(text, len, 0, &sink) != FG_OK)
		return 2;
	last = fg_arc_last_cv(&m.h, &inst, d, sizeof(d));
	if (inst > 0 && strcmp(last, "fail") == 0) {
		printf("NONE: the chain already failed (cv=fail at i=%u)\n",
		       inst);
		return 0;
	}
	if (!fg_arc_seal_aar_from(&m.h, argv[4], aar, sizeof(aar), &arc)) {
		printf("NONE: no Authentication-Results of %s\n", argv[4]);
		return 0;
	}
	names = argv[6];
	for (tok = strtok_r(names, ":", &save); tok != NULL && n < 64;
	     tok = strtok_r(NULL, ":", &save))
		h[n++] = tok;
	memset(&in, 0, sizeof(in));
	in.key = &key;
	in.now = strtoll(argv[5], NULL, 10);
	in.instance = inst + 1;
	in.cv = arc != NULL ? arc : inst == 0 ? "none" : "pass";
	if (inst == 0)
		in.cv = "none"; /* RFC 8617 5.1.1: i=1 is always cv=none */
	in.aar = aar;
	in.h = h;
	in.nh = n;
	if (!fg_arc_seal(m.s, &m.h, &in, &out, &why)) {
		printf("NONE: %s\n", why);
		return 0;
	}
	/* one line each: unfolded (the line ends removed, the blanks that
	 * continue them kept), which relaxed canonicalization reads alike */
	unfold(out.aar);
	printf("AAR:%s\nAMS:%s\nAS:%s\n", out.aar, out.ams, out.as);
	fg_dkim_signer_free(m.s);
	fg_hdrstore_fini(&m.h);
	fg_privkey_free(key.pk);
	free(text);
	return 0;
}
