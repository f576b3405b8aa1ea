/*
 * fuzz_arc - ARC chains from arbitrary bytes, validated end to end
 *
 * The input is a whole message, split as the daemon receives one; its
 * chain is validated with a resolver that holds one key (the ARC test
 * suite's example.org "dummy" key, so that seeds from the suite reach
 * the signature checks).  Every outcome must be coherent: a result in
 * range, a reason exactly when the chain is not a pass or none, a pass
 * only with every seal and the newest AMS verified as pass, the oldest
 * pass within the chain, and the log text always terminated.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/arc.h"
#include "forgeguard/deadline.h"
#include "forgeguard/split.h"
#include "../common/arckey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	struct fg_hdrstore h;
	struct fg_dkim *d;
	struct fg_arc arc;
	struct fg_dns *dns;
	int started;
};

static const struct fg_dkim_opts opts = { .max_signatures = 10,
					  .min_rsa_bits = 1024,
					  .now = 1700000000,
					  .skew = 3600,
					  .arc_room = FG_ARC_SIGS_MAX };

static void
on_header(void *arg, const char *name, const char *value)
{
	struct feed *f = arg;

	if (fg_hdrstore_add(&f->h, name, strlen(name), value, strlen(value)) !=
	    FG_OK)
		abort();
}

static void
on_eoh(void *arg)
{
	struct feed *f = arg;

	fg_dkim_headers(f->d, &f->h, &opts, f->dns, NULL);
	fg_arc_headers(&f->arc, f->d, &f->h);
	f->started = 1;
}

static void
on_body(void *arg, const unsigned char *p, size_t n)
{
	struct feed *f = arg;

	(void)fg_dkim_body(f->d, p, n);
}

/* coherent - trap on an outcome that contradicts itself */
static void
coherent(const struct fg_arc *a, const struct fg_dkim *d)
{
	char text[4096];
	size_t i;

	if ((unsigned)a->result > FG_ARC_TEMPERROR)
		__builtin_trap();
	if ((a->reason[0] != '\0') !=
	    (a->result == FG_ARC_FAIL || a->result == FG_ARC_TEMPERROR))
		__builtin_trap();
	if (a->result == FG_ARC_PASS) {
		if (a->n == 0 || a->oldest_pass > a->n ||
		    a->sets[a->n - 1].ams != FG_DKIM_PASS)
			__builtin_trap();
		for (i = 0; i < a->n; i++)
			if (a->sets[i].seal != FG_DKIM_PASS ||
			    a->sets[i].inst != i + 1)
				__builtin_trap();
	}
	if (a->trusted < 0 || (size_t)a->trusted > a->n)
		__builtin_trap();
	fg_arc_sets_text(a, text, sizeof(text));
	if (memchr(text, '\0', sizeof(text)) == NULL)
		__builtin_trap();
	(void)d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *names[] = { "example.org" };
	static const struct fg_nameset trusted = { names, 1 };
	struct feed f;
	struct fg_split_sink sink = { on_header, on_eoh, on_body, &f };

	memset(&f, 0, sizeof(f));
	fg_hdrstore_init(&f.h);
	fg_arc_init(&f.arc);
	if (fg_dns_new_fake(&f.dns) != FG_OK ||
	    fg_dns_fake_add(f.dns, "dummy._domainkey.example.org", FG_DNS_TXT,
			    arc_dummy_key) != FG_OK ||
	    (f.d = fg_dkim_new()) == NULL)
		abort();
	if (fg_split((const char *)data, size, 0, &sink) != FG_OK)
		abort();
	if (!f.started)
		on_eoh(&f);
	fg_dkim_finish(f.d, fg_deadline_after(1000));
	fg_arc_finish(&f.arc, f.d, &trusted);
	coherent(&f.arc, f.d);
	fg_arc_fini(&f.arc);
	fg_dkim_free(f.d);
	fg_dns_free(f.dns);
	fg_hdrstore_fini(&f.h);
	return 0;
}
