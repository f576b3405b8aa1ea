/*
 * NAME
 *	message - gather the header facts of one message
 * SYNOPSIS
 *	#include "forgeguard/message.h"
 * DESCRIPTION
 *	Counts fields and bytes, parses From: once (the first; later ones
 *	are only counted), parses every Received: field into a hop (up to
 *	FG_RCVD_KEPT_MAX), and records the index of every
 *	Authentication-Results field whose authserv-id is ours, so the
 *	glue can delete it with smfi_chgheader (indexes are 1-based among
 *	fields of that name, as libmilter counts them).
 * STANDARDS
 *	RFC 5322 3.6 (field counts), RFC 8601 5 (removing forged
 *	Authentication-Results).
 * DIAGNOSTICS
 *	FG_ENOMEM from fg_message_header and fg_message_hop0.
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

/* fg_message_hop0 - room for the current hop */
enum fg_err
fg_message_hop0(struct fg_message *m)
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
	if (fg_message_hop0(m) != FG_OK)
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

/* authres - one Authentication-Results field */
static void
authres(struct fg_message *m, const char *v, size_t n, const char *ours)
{
	char id[FG_DOMAIN_MAX + 1];

	m->nauthres++;
	if (fg_header_authserv_id(v, n, id, sizeof(id)) != FG_OK ||
	    !fg_str_caseeqz(id, strlen(id), ours))
		return;
	if (m->ndel == 0)
		memcpy(m->forged_id, id, strlen(id) + 1);
	if (m->ndel < FG_AUTHRES_DEL_MAX)
		m->del[m->ndel] = (unsigned)m->nauthres;
	m->ndel++;
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

/* fg_message_header - one field */
enum fg_err
fg_message_header(struct fg_message *m, const char *name, const char *value,
		  size_t vlen, const char *authserv_id)
{
	int examine;

	m->nfields++;
	m->bytes += strlen(name) + vlen;
	if (vlen > FG_HEADER_FIELD_MAX) {
		m->over_size++;
		vlen = FG_HEADER_FIELD_MAX;
	}
	examine =
		m->nfields <= FG_HEADERS_MAX && m->bytes <= FG_HEADER_TOTAL_MAX;
	if (!examine) {
		if (m->nfields > FG_HEADERS_MAX)
			m->over_fields++;
		else
			m->over_total++;
	}
	/* these are always looked at, whatever the size of the header: a
	 * forged Authentication-Results must never survive, and From:
	 * decides header.from */
	if (fg_header_name_is(name, "Authentication-Results"))
		authres(m, value, vlen, authserv_id);
	else if (fg_header_name_is(name, "From"))
		from(m, value, vlen);
	else if (fg_header_name_is(name, "Sender"))
		m->nsender++;
	else if (fg_header_name_is(name, "DKIM-Signature") && examine)
		dkim_d(m, value, vlen);
	else if (fg_header_name_is(name, "Received")) {
		if (!examine) {
			m->nreceived++; /* counted for received.hops */
			return FG_OK;
		}
		return received(m, value, vlen);
	}
	return FG_OK;
}
