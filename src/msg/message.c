/*
 * NAME
 *	message - gather the header facts of one message
 * SYNOPSIS
 *	#include "forgeguard/message.h"
 * DESCRIPTION
 *	Walks the header store once: counts fields and bytes, parses From:
 *	once (the first; later ones are only counted), parses every
 *	Received: field into a hop (up to FG_RCVD_KEPT_MAX), and records
 *	the index of every Authentication-Results field whose authserv-id
 *	is ours, so the glue can delete each one with smfi_chgheader
 *	(indexes are 1-based among fields of that name, as libmilter counts
 *	them).  Values are read without the blanks that follow the colon,
 *	which the store keeps.
 * STANDARDS
 *	RFC 5322 3.6 (field counts), RFC 8601 5 (removing forged
 *	Authentication-Results).
 * DIAGNOSTICS
 *	FG_ENOMEM from fg_message_build.
 */
#include <stdlib.h>
#include <string.h>

#include "forgeguard/message.h"
#include "forgeguard/str.h"

/* First allocation of the hop array: most messages carry a few hops. */
#define HOPS_FIRST 4

/* fg_message_init - an empty message */
void
fg_message_init(struct fg_message *m)
{
	memset(m, 0, sizeof(*m));
}

/* fg_message_fini - free, then empty */
void
fg_message_fini(struct fg_message *m)
{
	free(m->hops);
	free(m->del);
	fg_message_init(m);
}

/* grow - room for one more hop */
static enum fg_err
grow(struct fg_message *m)
{
	size_t cap;
	struct fg_hop *v;

	if (m->nhops < m->cap)
		return FG_OK;
	cap = m->cap == 0 ? HOPS_FIRST : m->cap * 2;
	if (cap > FG_RCVD_KEPT_MAX + 1)
		cap = FG_RCVD_KEPT_MAX + 1;
	if (cap <= m->nhops)
		return FG_EINTERNAL;
	v = realloc(m->hops, cap * sizeof(*v));
	if (v == NULL)
		return FG_ENOMEM;
	m->hops = v;
	m->cap = cap;
	return FG_OK;
}

/* hop0 - room for the current hop */
static enum fg_err
hop0(struct fg_message *m)
{
	if (m->nhops > 0)
		return FG_OK;
	if (grow(m) != FG_OK)
		return FG_ENOMEM;
	memset(&m->hops[0], 0, sizeof(m->hops[0]));
	m->nhops = 1;
	return FG_OK;
}

/* received - one Received: field */
static enum fg_err
received(struct fg_message *m, const char *v, size_t n)
{
	struct fg_hop *h;

	m->nreceived++;
	if (hop0(m) != FG_OK)
		return FG_ENOMEM;
	if (m->nhops > FG_RCVD_KEPT_MAX)
		return FG_OK; /* counted for received.hops, not kept */
	if (grow(m) != FG_OK)
		return FG_ENOMEM;
	h = &m->hops[m->nhops++];
	h->parsed = fg_received_parse(v, n, &h->r) == FG_OK;
	return FG_OK;
}

/* from - one From: field */
static void
from(struct fg_message *m, const char *v, size_t n)
{
	if (m->nfrom++ > 0)
		return;
	m->from_ok = fg_header_from_parse(v, n, &m->from) == FG_OK;
	while (n > 0 && FG_IS_SPACE((unsigned char)*v))
		v++, n--;
	m->from_raw_len = n < FG_REPLY_VALUE_MAX ? n : FG_REPLY_VALUE_MAX;
	memcpy(m->from_raw, v, m->from_raw_len);
	m->from_raw[m->from_raw_len] = '\0';
}

/* authres - one Authentication-Results field; every one claiming our
 * id is recorded, however many there are */
static enum fg_err
authres(struct fg_message *m, size_t *delcap, const char *v, size_t n,
	const char *ours)
{
	char id[FG_DOMAIN_MAX + 1];

	m->nauthres++;
	if (fg_header_authserv_id(v, n, id, sizeof(id)) != FG_OK ||
	    !fg_str_caseeqz(id, strlen(id), ours))
		return FG_OK;
	if (m->ndel == 0)
		memcpy(m->forged_id, id, strlen(id) + 1);
	if (m->ndel == *delcap) {
		size_t cap = *delcap ? *delcap * 2 : 8;
		unsigned *d = realloc(m->del, cap * sizeof(*d));

		if (d == NULL)
			return FG_ENOMEM;
		m->del = d;
		*delcap = cap;
	}
	m->del[m->ndel++] = (unsigned)m->nauthres;
	return FG_OK;
}

/* dkim_d - remember the d= tag of a DKIM-Signature (RFC 6376 3.5); the
 * signature is not verified here */
static void
dkim_d(struct fg_message *m, const char *v, size_t n)
{
	size_t i = 0;

	m->ndkim++;
	while (i < n && m->ndkim_d < FG_DKIM_D_MAX) {
		size_t s, e;

		while (i < n &&
		       (FG_IS_SPACE((unsigned char)v[i]) || v[i] == ';'))
			i++;
		s = i;
		while (i < n && v[i] != ';')
			i++;
		if (i - s < 2 || v[s] != 'd')
			continue;
		s++;
		while (s < i && FG_IS_SPACE((unsigned char)v[s]))
			s++;
		if (s >= i || v[s] != '=')
			continue;
		for (s++; s < i && FG_IS_SPACE((unsigned char)v[s]); s++)
			;
		for (e = i; e > s && FG_IS_SPACE((unsigned char)v[e - 1]); e--)
			;
		if (e > s && e - s <= FG_DOMAIN_MAX) {
			char *d = m->dkim_d[m->ndkim_d++];

			memcpy(d, v + s, e - s);
			d[e - s] = '\0';
			fg_str_lower(d, e - s);
		}
		return;
	}
}

/* skip_blanks - the value without the blanks after the colon */
static struct fg_view
skip_blanks(struct fg_view v)
{
	while (v.n > 0 && (*v.p == ' ' || *v.p == '\t'))
		v.p++, v.n--;
	return v;
}

/* field - one field's facts; examine: within the bounds of examination */
static enum fg_err
field(struct fg_message *m, size_t *delcap, const struct fg_hdrstore *h,
      size_t i, const char *ours)
{
	struct fg_view v = skip_blanks(fg_hdrstore_value(h, i));
	size_t full = h->f[i].full_len - (fg_hdrstore_value(h, i).n - v.n);
	int examine;

	m->nfields++;
	m->bytes += h->f[i].name_len + full;
	if (full > FG_HEADER_FIELD_MAX)
		m->over_size++;
	examine =
		m->nfields <= FG_HEADERS_MAX && m->bytes <= FG_HEADER_TOTAL_MAX;
	if (!examine) {
		if (m->nfields > FG_HEADERS_MAX)
			m->over_fields++;
		else
			m->over_total++;
	}
	if (fg_hdrstore_is(h, i, "Authentication-Results"))
		return authres(m, delcap, v.p, v.n, ours);
	if (fg_hdrstore_is(h, i, "From"))
		from(m, v.p, v.n);
	else if (fg_hdrstore_is(h, i, "Sender"))
		m->nsender++;
	else if (fg_hdrstore_is(h, i, "DKIM-Signature") && examine)
		dkim_d(m, v.p, v.n);
	else if (fg_hdrstore_is(h, i, "ARC-Seal") ||
		 fg_hdrstore_is(h, i, "ARC-Message-Signature") ||
		 fg_hdrstore_is(h, i, "ARC-Authentication-Results"))
		m->narc++;
	else if (fg_hdrstore_is(h, i, "Received") && !examine)
		m->nreceived++; /* counted for received.hops */
	else if (fg_hdrstore_is(h, i, "Received"))
		return received(m, v.p, v.n);
	return FG_OK;
}

/* fg_message_build - the facts of every field in the store */
enum fg_err
fg_message_build(struct fg_message *m, const struct fg_hdrstore *h,
		 const char *authserv_id)
{
	size_t i, delcap = 0;

	fg_message_fini(m);
	if (hop0(m) != FG_OK)
		return FG_ENOMEM;
	for (i = 0; i < h->n; i++)
		if (field(m, &delcap, h, i, authserv_id) != FG_OK)
			return FG_ENOMEM;
	m->not_kept = h->not_kept;
	return FG_OK;
}
