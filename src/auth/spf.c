/*
 * NAME
 *	spf - SPF through libspf2, with our DNS layer and guards around it
 * SYNOPSIS
 *	#include "forgeguard/spf.h"
 * DESCRIPTION
 *	libspf2 evaluates; forgeguard answers its DNS questions.  A custom
 *	SPF_dns_server_t layer serves every lookup from struct fg_dns within
 *	the check's deadline.  The layer also:
 *	- checks every SPF record it hands over with spfrec (RFC 7208 12),
 *	  because libspf2 accepts many invalid records and its macro
 *	  expander is not safe on hostile input (CVE-2023-42118, unpatched in
 *	  Debian bookworm's 1.2.10): an invalid record is never compiled;
 *	- counts void lookups (4.6.4; libspf2 does not) and DNS failures.
 *	The layer's per-check state travels in a thread-local pointer,
 *	because libspf2's lookup callback carries only the shared server.
 *	libspf2's explanation strings are never used.
 *	This is the only file that includes <spf2/spf.h>.
 * STANDARDS
 *	RFC 7208 2.3, 2.4, 4.6.4, 5, 8.
 * DIAGNOSTICS
 *	Results are words; errors carry a reason.
 */
#include <netinet/in.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <spf2/spf.h>
#include <spf2/spf_dns.h>
#include <spf2/spf_log.h>

#include "forgeguard/deadline.h"
#include "forgeguard/spf.h"
#include "forgeguard/spfrec.h"

/* RFC 7208 4.6.4: at most two void lookups. */
#define VOID_LOOKUPS_MAX 2

struct fg_spf {
	SPF_server_t *server;
	SPF_dns_server_t *layer; /* ours: SPF_server_new_dns does not own it */
};

struct call {
	struct fg_dns *dns;
	struct timespec deadline;
	unsigned queries;
	unsigned voids;
	int temperror;
	int permerror;
	const char *why;
};

static __thread struct call *current;

/* guard_records - refuse SPF records our parser rejects */
static void
guard_records(struct call *c, const struct fg_dns_answer *a)
{
	struct fg_spf_record *rec;
	size_t k;

	for (k = 0; k < a->n; k++) {
		const char *t = fg_dns_text(a, k);
		size_t n = a->rr[k].len;

		if (!fg_spfrec_is_spf(t, n))
			continue;
		rec = malloc(sizeof(*rec));
		if (rec == NULL) {
			c->temperror = 1;
			c->why = "out of memory";
			return;
		}
		if (a->rr[k].cut || strlen(t) != n ||
		    fg_spfrec_parse(t, n, rec) != FG_OK) {
			c->permerror = 1;
			if (c->why == NULL)
				c->why = a->rr[k].cut ? "SPF record too long"
						      : "invalid SPF record";
		}
		free(rec);
	}
}

/* to_rr - our answer as libspf2's */
static SPF_dns_rr_t *
to_rr(SPF_dns_server_t *layer, const char *domain, ns_type type,
      const struct fg_dns_answer *a)
{
	SPF_dns_stat_t st = a->status == FG_DNS_OK         ? NETDB_SUCCESS
			    : a->status == FG_DNS_NXDOMAIN ? HOST_NOT_FOUND
			    : a->status == FG_DNS_NODATA   ? NO_DATA
							   : TRY_AGAIN;
	SPF_dns_rr_t *rr =
		SPF_dns_rr_new_init(layer, domain, type, (int)a->ttl, st);
	size_t k;
	int i = 0;

	if (rr == NULL || st != NETDB_SUCCESS)
		return rr;
	for (k = 0; k < a->n; k++) {
		const char *t = fg_dns_text(a, k);
		size_t len = type == ns_t_a      ? sizeof(struct in_addr)
			     : type == ns_t_aaaa ? sizeof(struct in6_addr)
						 : strlen(t) + 1;

		if (SPF_dns_rr_buf_realloc(rr, i, len) != SPF_E_SUCCESS)
			break;
		if (type == ns_t_a)
			memcpy(&rr->rr[i]->a, a->rr[k].ip.a, 4);
		else if (type == ns_t_aaaa)
			memcpy(&rr->rr[i]->aaaa, a->rr[k].ip.a, 16);
		else
			memcpy(rr->rr[i]->txt, t, len);
		i++;
	}
	rr->num_rr = i;
	return rr;
}

/* layer_lookup - libspf2 asks a DNS question */
static SPF_dns_rr_t *
layer_lookup(SPF_dns_server_t *layer, const char *domain, ns_type type,
	     int should_cache)
{
	struct call *c = current;
	struct fg_dns_answer *a;
	SPF_dns_rr_t *rr;
	unsigned left;

	if (c == NULL)
		return SPF_dns_rr_new_init(layer, domain, type, 0, NO_RECOVERY);
	left = fg_deadline_left(c->deadline);
	a = malloc(sizeof(*a));
	if (a == NULL || left == 0) {
		free(a);
		c->temperror = 1;
		c->why = left == 0 ? "DNS deadline passed" : "out of memory";
		return SPF_dns_rr_new_init(layer, domain, type, 0, TRY_AGAIN);
	}
	c->queries++;
	fg_dns_lookup_by(c->dns, domain, (enum fg_dns_type)type, c->deadline,
			 a);
	if (a->status == FG_DNS_TEMPERROR) {
		c->temperror = 1;
		if (c->why == NULL)
			c->why = a->why ? a->why : "DNS error";
	} else if (a->status != FG_DNS_OK && type != ns_t_txt &&
		   ++c->voids > VOID_LOOKUPS_MAX) {
		c->permerror = 1;
		if (c->why == NULL)
			c->why = "more than two void lookups";
	}
	if (type == ns_t_txt || type == ns_t_spf)
		guard_records(c, a);
	rr = to_rr(layer, domain, type, a);
	free(a);
	return rr;
}

/* quiet - libspf2's warnings and notes are its own garbled text: the
 * outcome and its reason reach the verdict line instead */
static void
quiet(const char *file, int line, const char *msg)
{
	(void)file;
	(void)line;
	(void)msg;
}

/* fg_spf_new - the process's SPF evaluator */
enum fg_err
fg_spf_new(struct fg_spf **out)
{
	struct fg_spf *s = calloc(1, sizeof(*s));
	SPF_dns_server_t *layer = calloc(1, sizeof(*layer));

	*out = NULL;
	if (s == NULL || layer == NULL) {
		free(s);
		free(layer);
		return FG_ENOMEM;
	}
	SPF_warning_handler = quiet;
	SPF_info_handler = quiet;
	SPF_debug_handler = quiet;
	layer->destroy = NULL; /* freed by fg_spf_free */
	layer->lookup = layer_lookup;
	layer->name = "forgeguard";
	s->server = SPF_server_new_dns(layer, 0);
	if (s->server == NULL) {
		free(layer);
		free(s);
		return FG_ENOMEM;
	}
	s->layer = layer;
	(void)SPF_server_set_max_dns_mech(s->server, 10);
	(void)SPF_server_set_max_dns_ptr(s->server, 10);
	(void)SPF_server_set_max_dns_mx(s->server, 10);
	*out = s;
	return FG_OK;
}

/* fg_spf_free - release it */
void
fg_spf_free(struct fg_spf *s)
{
	if (s == NULL)
		return;
	SPF_server_free(s->server);
	free(s->layer);
	free(s);
}

/* map - libspf2's result as ours */
static enum fg_spf_result
map(SPF_result_t r, SPF_errcode_t e, const char **why)
{
	switch (r) {
	case SPF_RESULT_PASS:
		return FG_SPF_R_PASS;
	case SPF_RESULT_FAIL:
		return FG_SPF_R_FAIL;
	case SPF_RESULT_SOFTFAIL:
		return FG_SPF_R_SOFTFAIL;
	case SPF_RESULT_NEUTRAL:
		return FG_SPF_R_NEUTRAL;
	case SPF_RESULT_NONE:
		return FG_SPF_R_NONE;
	case SPF_RESULT_TEMPERROR:
		return FG_SPF_R_TEMPERROR;
	case SPF_RESULT_PERMERROR:
		return FG_SPF_R_PERMERROR;
	case SPF_RESULT_INVALID:
	default:
		if (e == SPF_E_DNS_ERROR) {
			*why = "DNS error";
			return FG_SPF_R_TEMPERROR;
		}
		*why = "libspf2 could not evaluate the record";
		return FG_SPF_R_PERMERROR;
	}
}

/* request - set up a libspf2 request; 0 when an identity is unusable */
static int
request(SPF_request_t *req, const struct fg_ip *ip, const char *helo,
	const char *sender)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (ip->family == FG_IP_V4) {
		memcpy(&v4, ip->a, 4);
		if (SPF_request_set_ipv4(req, v4) != SPF_E_SUCCESS)
			return 0;
	} else {
		memcpy(&v6, ip->a, 16);
		if (SPF_request_set_ipv6(req, v6) != SPF_E_SUCCESS)
			return 0;
	}
	if (helo != NULL && helo[0] != '\0' &&
	    SPF_request_set_helo_dom(req, helo) != SPF_E_SUCCESS)
		return 0;
	if (sender != NULL && sender[0] != '\0')
		return SPF_request_set_env_from(req, sender) == 0;
	return 1;
}

/* fg_spf_check - check_host() for one identity */
void
fg_spf_check(struct fg_spf *s, struct fg_dns *dns, const struct fg_ip *ip,
	     const char *helo, const char *sender, struct timespec deadline,
	     struct fg_spf_outcome *out)
{
	struct call c;
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_errcode_t e;
	struct fg_ip v = *ip;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.dns = dns;
	c.deadline = deadline;
	fg_ipaddr_normalize(&v);
	req = SPF_request_new(s->server);
	if (req == NULL) {
		out->result = FG_SPF_R_TEMPERROR;
		out->why = "out of memory";
		return;
	}
	if (!request(req, &v, helo, sender)) {
		SPF_request_free(req);
		out->result = FG_SPF_R_NONE;
		out->why = "no usable identity";
		return;
	}
	current = &c;
	e = SPF_request_query_mailfrom(req, &resp);
	current = NULL;
	out->dns_queries = c.queries;
	out->void_lookups = c.voids;
	if (c.permerror) {
		/* our parser or the void-lookup limit: the record is broken
		 * whatever libspf2 made of it */
		out->result = FG_SPF_R_PERMERROR;
		out->why = c.why;
	} else if (resp == NULL) {
		out->result = FG_SPF_R_TEMPERROR;
		out->why = "libspf2 gave no response";
	} else {
		out->result = map(SPF_response_result(resp), e, &out->why);
		/* a DNS failure decides only when libspf2 could not reach a
		 * result without it; one in the exp= lookup after a fail
		 * does not (RFC 7208 6.2) */
		if (c.temperror &&
		    (out->result == FG_SPF_R_PERMERROR ||
		     out->result == FG_SPF_R_TEMPERROR) &&
		    SPF_response_result(resp) != SPF_RESULT_PERMERROR) {
			out->result = FG_SPF_R_TEMPERROR;
			out->why = c.why;
		}
	}
	SPF_response_free(resp);
	SPF_request_free(req);
}

/* fg_spf_result_name - "pass", "fail", ... */
const char *
fg_spf_result_name(enum fg_spf_result r)
{
	static const char *const names[] = { "none",     "neutral",
					     "pass",     "fail",
					     "softfail", "temperror",
					     "permerror" };

	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "?";
}
