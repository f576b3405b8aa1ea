/*
 * NAME
 *	dnsfake - an in-memory resolver for tests
 * SYNOPSIS
 *	#include "forgeguard/dns.h"
 * DESCRIPTION
 *	Records added with fg_dns_fake_add are answered exactly: a name
 *	with records of the type answers them, a name with others answers
 *	NODATA, an unknown name NXDOMAIN.  A name marked TIMEOUT answers the
 *	records it has and times out for every other type, as the OpenSPF
 *	test suite's zonedata describes.  Names compare case-insensitively,
 *	with or without the trailing dot.  Answers go through the same
 *	fg_dns_decode as real ones, so the fake tests the decoder too.
 * DIAGNOSTICS
 *	fg_dns_fake_add refuses text it cannot encode (FG_ESYNTAX).
 */
#include <stdlib.h>
#include <string.h>

#include "dns_impl.h"
#include "forgeguard/str.h"

struct entry {
	char *name; /* canonical: lower case, no trailing dot */
	int type; /* 0: only marks the name (TIMEOUT or exists) */
	int timeout;
	unsigned char *rdata; /* cap bytes: a TXT record may be 64 kB */
	size_t len, cap;
};

struct fake {
	struct entry *v;
	size_t n;
};

/* canon - lower-cased copy without the trailing dot */
static char *
canon(const char *name)
{
	size_t n = strlen(name);
	char *s;

	if (n > 1 && name[n - 1] == '.')
		n--;
	s = malloc(n + 1);
	if (s == NULL)
		return NULL;
	memcpy(s, name, n);
	s[n] = '\0';
	fg_str_lower(s, n);
	return s;
}

/* encode_name - text name to uncompressed wire form */
static int
encode_name(const char *name, unsigned char *out, size_t cap, size_t *len)
{
	size_t pos = 0;
	const char *p = name;

	while (*p) {
		size_t l = strcspn(p, ".");

		if (l == 0 || l > 63 || pos + l + 2 > cap)
			return 0;
		out[pos++] = (unsigned char)l;
		memcpy(out + pos, p, l);
		pos += l;
		p += l;
		if (*p == '.')
			p++;
	}
	out[pos++] = 0;
	*len = pos;
	return 1;
}

/* encode - the record's text (n bytes) as wire rdata */
static int
encode(struct entry *e, const char *text, size_t n)
{
	struct fg_ip ip;
	size_t k;

	switch (e->type) {
	case FG_DNS_A:
	case FG_DNS_AAAA:
		if (fg_ipaddr_parse(text, n, &ip) != FG_OK ||
		    (ip.family == FG_IP_V4) != (e->type == FG_DNS_A))
			return 0;
		e->len = ip.family == FG_IP_V4 ? 4 : 16;
		memcpy(e->rdata, ip.a, e->len);
		return 1;
	case FG_DNS_MX: {
		char *end;
		long pref = strtol(text, &end, 10);

		if (end == text || *end != ' ' || pref < 0 || pref > 65535)
			return 0;
		e->rdata[0] = (unsigned char)(pref >> 8);
		e->rdata[1] = (unsigned char)pref;
		if (!encode_name(end + 1, e->rdata + 2, e->cap - 2, &e->len))
			return 0;
		e->len += 2;
		return 1;
	}
	case FG_DNS_PTR:
	case FG_DNS_CNAME:
		return encode_name(text, e->rdata, e->cap, &e->len);
	case FG_DNS_TXT:
	case FG_DNS_SPF:
		/* character-strings of at most 255 bytes each */
		e->len = 0;
		for (k = 0; k < n || (n == 0 && k == 0); k += 255) {
			size_t l = n - k < 255 ? n - k : 255;

			if (e->len + l + 1 > e->cap)
				return 0;
			e->rdata[e->len++] = (unsigned char)l;
			memcpy(e->rdata + e->len, text + k, l);
			e->len += l;
			if (n == 0)
				break;
		}
		return 1;
	}
	return 0;
}

/* add - one entry; text is n bytes */
static enum fg_err
add(struct fg_dns *d, const char *name, enum fg_dns_type type, const char *text,
    size_t n)
{
	struct fake *f = d->impl;
	struct entry *nv, *e;

	nv = realloc(f->v, (f->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return FG_ENOMEM;
	f->v = nv;
	e = &f->v[f->n];
	memset(e, 0, sizeof(*e));
	e->name = canon(name);
	if (e->name == NULL)
		return FG_ENOMEM;
	e->type = (int)type;
	/* RFC 1035 3.2.1: RDLENGTH is 16 bits */
	e->cap = n + n / 255 + 300 < 65535 ? n + n / 255 + 300 : 65535;
	e->rdata = malloc(e->cap);
	if (e->rdata == NULL) {
		free(e->name);
		return FG_ENOMEM;
	}
	if (type == 0) {
		e->timeout = text != NULL && strcmp(text, "TIMEOUT") == 0;
	} else if (!encode(e, text, n)) {
		free(e->name);
		free(e->rdata);
		return FG_ESYNTAX;
	}
	f->n++;
	return FG_OK;
}

/* answer_name - the records of one name; 1 if the name is known */
static int
answer_name(struct fake *f, const char *key, enum fg_dns_type type,
	    struct fg_dns_answer *ans, int *timeout, const char **cname)
{
	int known = 0;
	size_t k;

	*cname = NULL;
	for (k = 0; k < f->n; k++) {
		struct entry *e = &f->v[k];

		if (strcmp(e->name, key) != 0)
			continue;
		known = 1;
		*timeout |= e->timeout;
		if (e->type == FG_DNS_CNAME && type != FG_DNS_CNAME)
			*cname = (const char *)e->rdata;
		if (e->type == (int)type &&
		    !fg_dns_decode(ans, type, e->rdata, e->len))
			return -1;
	}
	return known;
}

/* fg_dns_fake_add - add a record to a fake */
enum fg_err
fg_dns_fake_add(struct fg_dns *d, const char *name, enum fg_dns_type type,
		const char *text)
{
	return add(d, name, type, text, text != NULL ? strlen(text) : 0);
}

/* fg_dns_fake_add_txt - a TXT/SPF record that may hold any bytes */
enum fg_err
fg_dns_fake_add_txt(struct fg_dns *d, const char *name, enum fg_dns_type type,
		    const char *text, size_t len)
{
	if (type != FG_DNS_TXT && type != FG_DNS_SPF)
		return FG_EINVAL;
	return add(d, name, type, text, len);
}

/* fake_answer - answer from the table, following CNAMEs */
static void
fake_answer(struct fg_dns *d, const char *name, enum fg_dns_type type,
	    struct fg_dns_answer *ans)
{
	struct fake *f = d->impl;
	char *key = canon(name);
	int known = 0, timeout = 0, hops;

	fg_dns_answer_reset(ans, FG_DNS_OK);
	for (hops = 0; key != NULL && hops < 8; hops++) {
		const char *cname;
		struct fg_dns_answer *tmp = NULL;

		known = answer_name(f, key, type, ans, &timeout, &cname);
		free(key);
		key = NULL;
		if (known < 0) {
			fg_dns_answer_reset(ans, FG_DNS_TEMPERROR);
			ans->why = "malformed answer";
			return;
		}
		if (ans->n > 0 || cname == NULL)
			break;
		/* decode the CNAME target's wire name into text */
		tmp = malloc(sizeof(*tmp));
		if (tmp == NULL)
			break;
		fg_dns_answer_reset(tmp, FG_DNS_OK);
		for (size_t k = 0; k < f->n; k++)
			if ((const char *)f->v[k].rdata == cname)
				(void)fg_dns_decode(tmp, FG_DNS_CNAME,
						    f->v[k].rdata, f->v[k].len);
		if (tmp->n > 0)
			key = canon(fg_dns_text(tmp, 0));
		free(tmp);
	}
	free(key);
	ans->ttl = 300; /* every record of the fake lives five minutes */
	if (ans->n > 0)
		return;
	if (timeout) {
		fg_dns_answer_reset(ans, FG_DNS_TEMPERROR);
		ans->why = "timeout";
		return;
	}
	fg_dns_answer_reset(ans, known ? FG_DNS_NODATA : FG_DNS_NXDOMAIN);
}

/* fake_start - the answer, at once: a TIMEOUT name is a temperror
 * without the wait, so tests stay fast */
static void
fake_start(struct fg_dns *d, struct fg_dns_query *q)
{
	struct fg_dns_answer *a = malloc(sizeof(*a));

	if (a == NULL)
		return;
	fake_answer(d, q->name, q->type, a);
	q->ready = fg_dns_answer_dup(a);
	free(a);
}

/* fake_wait - never called: every fake query is ready at once */
static void
fake_wait(struct fg_dns *d, struct fg_dns_query *q, struct timespec deadline,
	  struct fg_dns_answer *ans)
{
	ans->why = "no such query";
}

/* fake_cancel - nothing in flight */
static void
fake_cancel(struct fg_dns *d, struct fg_dns_query *q)
{
}

/* fake_destroy - free the table */
static void
fake_destroy(struct fg_dns *d)
{
	struct fake *f = d->impl;
	size_t k;

	for (k = 0; k < f->n; k++) {
		free(f->v[k].name);
		free(f->v[k].rdata);
	}
	free(f->v);
	free(f);
	free(d);
}

static const struct fg_dns_ops fake_ops = { fake_start, fake_wait, fake_cancel,
					    fake_destroy };

/* fg_dns_new_fake - an in-memory resolver for tests */
enum fg_err
fg_dns_new_fake(struct fg_dns **out)
{
	struct fg_dns *d = calloc(1, sizeof(*d));
	struct fake *f = calloc(1, sizeof(*f));

	*out = NULL;
	if (d == NULL || f == NULL) {
		free(d);
		free(f);
		return FG_ENOMEM;
	}
	d->ops = &fake_ops;
	d->impl = f;
	atomic_init(&d->queries, 0);
	atomic_init(&d->refs, 1);
	*out = d;
	return FG_OK;
}
