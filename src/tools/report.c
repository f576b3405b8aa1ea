/*
 * NAME
 *	report - DMARC aggregate reports (RFC 9990) from report records
 * SYNOPSIS
 *	#include "forgeguard/report.h"
 * DESCRIPTION
 *	A record is found in a log line by its "dmarc-record " marker and
 *	read with the bounded JSON reader; unknown members are ignored, so
 *	that later daemons may add some.  Records are kept with a key made
 *	of everything an aggregate report's record element shows (source
 *	address, identifiers, the policy evaluated, the authentication
 *	results); sorted, equal keys become one record element with their
 *	count.  The policy published is the one of the latest record of
 *	the domain (RFC 9990: a report notes the final configuration seen).
 *	XML is written with the five predefined entities escaped and bytes
 *	that XML 1.0 does not allow replaced.
 * STANDARDS
 *	RFC 9990 3 (the report's content and order), XML 1.0.
 * DIAGNOSTICS
 *	fg_report_line says -1 for a record that does not read.
 */
#include <stdlib.h>
#include <string.h>

#include "forgeguard/json.h"
#include "forgeguard/report.h"
#include "forgeguard/str.h"

#define MARK "dmarc-record "
#define NODES_MAX 256

struct entry {
	char *key;
	struct fg_report_rec *rec;
};

struct fg_report {
	struct entry *e;
	size_t n, cap;
	size_t *dom; /* first entry of each domain, sorted */
	size_t ndom;
};

/* text - member key of object o into dst ("" when absent) */
static void
text(const struct fg_json_node *x, size_t o, const char *key, char *dst,
     size_t cap)
{
	size_t k = fg_json_get(x, o, key);

	if (k == FG_JSON_NONE || !fg_json_string(&x[k], dst, cap))
		dst[0] = '\0';
}

/* reasons - the reasons array */
static void
reasons(const struct fg_json_node *x, size_t o, struct fg_report_rec *r)
{
	size_t k = fg_json_get(x, o, "reasons"), e;

	if (k == FG_JSON_NONE || x[k].type != FG_JSON_ARRAY)
		return;
	for (e = x[k].child;
	     e != FG_JSON_NONE && r->nreason < FG_REPORT_REASONS_MAX;
	     e = x[e].next) {
		text(x, e, "type", r->reason[r->nreason].type,
		     sizeof(r->reason[0].type));
		text(x, e, "comment", r->reason[r->nreason].comment,
		     sizeof(r->reason[0].comment));
		if (r->reason[r->nreason].type[0] != '\0')
			r->nreason++;
	}
}

/* dkim_results - the dkim_results array */
static void
dkim_results(const struct fg_json_node *x, size_t o, struct fg_report_rec *r)
{
	size_t k = fg_json_get(x, o, "dkim_results"), e;

	if (k == FG_JSON_NONE || x[k].type != FG_JSON_ARRAY)
		return;
	for (e = x[k].child; e != FG_JSON_NONE && r->ndkim < FG_REPORT_DKIM_MAX;
	     e = x[e].next) {
		text(x, e, "domain", r->dkim_res[r->ndkim].domain,
		     sizeof(r->dkim_res[0].domain));
		text(x, e, "selector", r->dkim_res[r->ndkim].selector,
		     sizeof(r->dkim_res[0].selector));
		text(x, e, "result", r->dkim_res[r->ndkim].result,
		     sizeof(r->dkim_res[0].result));
		if (r->dkim_res[r->ndkim].domain[0] != '\0')
			r->ndkim++;
	}
}

/* fg_report_line - the record in one log line */
int
fg_report_line(const char *line, size_t n, struct fg_report_rec *r)
{
	static __thread struct fg_json_node x[NODES_MAX];
	const char *at = NULL;
	size_t k, count, errpos, end = n;

	for (k = 0; k + sizeof(MARK) < n; k++)
		if (line[k] == 'd' &&
		    memcmp(line + k, MARK "{", sizeof(MARK)) == 0) {
			at = line + k + sizeof(MARK) - 1;
			break;
		}
	if (at == NULL)
		return 0;
	while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r'))
		end--;
	memset(r, 0, sizeof(*r));
	if (fg_json_parse(at, (size_t)(line + end - at), x, NODES_MAX, &count,
			  &errpos) != FG_OK ||
	    x[0].type != FG_JSON_OBJECT)
		return -1;
	k = fg_json_get(x, 0, "time");
	if (k == FG_JSON_NONE || !fg_json_int(&x[k], &r->time))
		return -1;
	text(x, 0, "source_ip", r->source_ip, sizeof(r->source_ip));
	text(x, 0, "header_from", r->header_from, sizeof(r->header_from));
	r->has_envelope_from =
		fg_json_get(x, 0, "envelope_from") != FG_JSON_NONE;
	text(x, 0, "envelope_from", r->envelope_from, sizeof(r->envelope_from));
	text(x, 0, "envelope_to", r->envelope_to, sizeof(r->envelope_to));
	text(x, 0, "domain", r->domain, sizeof(r->domain));
	text(x, 0, "discovery", r->discovery, sizeof(r->discovery));
	text(x, 0, "p", r->p, sizeof(r->p));
	text(x, 0, "sp", r->sp, sizeof(r->sp));
	text(x, 0, "np", r->np, sizeof(r->np));
	text(x, 0, "adkim", r->adkim, sizeof(r->adkim));
	text(x, 0, "aspf", r->aspf, sizeof(r->aspf));
	text(x, 0, "testing", r->testing, sizeof(r->testing));
	text(x, 0, "fo", r->fo, sizeof(r->fo));
	text(x, 0, "rua", r->rua, sizeof(r->rua));
	text(x, 0, "disposition", r->disposition, sizeof(r->disposition));
	text(x, 0, "dkim", r->dkim, sizeof(r->dkim));
	text(x, 0, "spf", r->spf, sizeof(r->spf));
	reasons(x, 0, r);
	dkim_results(x, 0, r);
	text(x, 0, "spf_domain", r->spf_domain, sizeof(r->spf_domain));
	text(x, 0, "spf_result", r->spf_result, sizeof(r->spf_result));
	r->has_spf = r->spf_domain[0] != '\0' && r->spf_result[0] != '\0';
	if (r->domain[0] == '\0' || r->header_from[0] == '\0' ||
	    r->source_ip[0] == '\0' || r->disposition[0] == '\0')
		return -1;
	return 1;
}

/* fg_report_new - an empty gathering */
struct fg_report *
fg_report_new(void)
{
	return calloc(1, sizeof(struct fg_report));
}

/* fg_report_free - release */
void
fg_report_free(struct fg_report *g)
{
	size_t k;

	if (g == NULL)
		return;
	for (k = 0; k < g->n; k++) {
		free(g->e[k].key);
		free(g->e[k].rec);
	}
	free(g->e);
	free(g->dom);
	free(g);
}

/* key_of - what makes two records one record element */
static char *
key_of(const struct fg_report_rec *r)
{
	size_t cap = 4096, k;
	char *s = malloc(cap);
	struct fg_buf b;

	if (s == NULL)
		return NULL;
	fg_buf_init(&b, s, cap);
	(void)fg_buf_printf(&b, "%s\n%s\n%s\n%d%s\n%s\n%s\n%s\n%s\n", r->domain,
			    r->source_ip, r->header_from, r->has_envelope_from,
			    r->envelope_from, r->envelope_to, r->disposition,
			    r->dkim, r->spf);
	for (k = 0; k < r->nreason; k++)
		(void)fg_buf_printf(&b, "r%s\n%s\n", r->reason[k].type,
				    r->reason[k].comment);
	for (k = 0; k < r->ndkim; k++)
		(void)fg_buf_printf(&b, "d%s\n%s\n%s\n", r->dkim_res[k].domain,
				    r->dkim_res[k].selector,
				    r->dkim_res[k].result);
	if (r->has_spf)
		(void)fg_buf_printf(&b, "s%s\n%s\n", r->spf_domain,
				    r->spf_result);
	return s;
}

/* fg_report_add - one record */
enum fg_err
fg_report_add(struct fg_report *g, const struct fg_report_rec *r)
{
	struct entry e;

	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct entry *v = realloc(g->e, cap * sizeof(*v));

		if (v == NULL)
			return FG_ENOMEM;
		g->e = v;
		g->cap = cap;
	}
	e.key = key_of(r);
	e.rec = malloc(sizeof(*e.rec));
	if (e.key == NULL || e.rec == NULL) {
		free(e.key);
		free(e.rec);
		return FG_ENOMEM;
	}
	*e.rec = *r;
	g->e[g->n++] = e;
	return FG_OK;
}

/* by_key - entries by key (domain first), then by time */
static int
by_key(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->rec->time < y->rec->time ? -1 : x->rec->time > y->rec->time;
}

/* fg_report_domains - sort, and find where each domain starts */
size_t
fg_report_domains(struct fg_report *g)
{
	size_t k;

	qsort(g->e, g->n, sizeof(*g->e), by_key);
	free(g->dom);
	g->dom = malloc((g->n + 1) * sizeof(*g->dom));
	g->ndom = 0;
	if (g->dom == NULL)
		return 0;
	for (k = 0; k < g->n; k++)
		if (k == 0 ||
		    strcmp(g->e[k].rec->domain, g->e[k - 1].rec->domain) != 0)
			g->dom[g->ndom++] = k;
	g->dom[g->ndom] = g->n;
	return g->ndom;
}

/* fg_report_domain - policy domain k */
const char *
fg_report_domain(const struct fg_report *g, size_t k)
{
	return g->e[g->dom[k]].rec->domain;
}

/* latest - the latest record of domain k */
static const struct fg_report_rec *
latest(const struct fg_report *g, size_t k)
{
	const struct fg_report_rec *r = g->e[g->dom[k]].rec;
	size_t i;

	for (i = g->dom[k]; i < g->dom[k + 1]; i++)
		if (g->e[i].rec->time >= r->time)
			r = g->e[i].rec;
	return r;
}

/* fg_report_rua - the rua of the latest record of domain k */
const char *
fg_report_rua(const struct fg_report *g, size_t k)
{
	return latest(g, k)->rua;
}

/* fg_report_messages - messages of domain k */
uint64_t
fg_report_messages(const struct fg_report *g, size_t k)
{
	return g->dom[k + 1] - g->dom[k];
}

/* esc - text as XML character data */
static void
esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '<')
			fputs("&lt;", out);
		else if (c == '>')
			fputs("&gt;", out);
		else if (c == '&')
			fputs("&amp;", out);
		else if (c == '"')
			fputs("&quot;", out);
		else if (c == '\'')
			fputs("&apos;", out);
		else if (c < 0x20 && c != '\t' && c != '\n')
			fputc('?', out); /* not allowed in XML 1.0 */
		else
			fputc(c, out);
	}
}

/* el - <name>text</name>, on its own line */
static void
el(FILE *out, const char *indent, const char *name, const char *v)
{
	fprintf(out, "%s<%s>", indent, name);
	esc(out, v);
	fprintf(out, "</%s>\n", name);
}

/* policy_published - the latest configuration of domain k */
static void
policy_published(FILE *out, const struct fg_report_rec *r)
{
	fputs("  <policy_published>\n", out);
	el(out, "    ", "domain", r->domain);
	el(out, "    ", "discovery_method",
	   strcmp(r->discovery, "psl") == 0 ? "psl" : "treewalk");
	el(out, "    ", "p", r->p[0] ? r->p : "none");
	if (r->sp[0])
		el(out, "    ", "sp", r->sp);
	if (r->np[0])
		el(out, "    ", "np", r->np);
	if (r->fo[0])
		el(out, "    ", "fo", r->fo);
	el(out, "    ", "adkim", r->adkim[0] ? r->adkim : "r");
	el(out, "    ", "aspf", r->aspf[0] ? r->aspf : "r");
	el(out, "    ", "testing", r->testing[0] ? r->testing : "n");
	fputs("  </policy_published>\n", out);
}

/* record - one record element: r seen count times */
static void
record(FILE *out, const struct fg_report_rec *r, uint64_t count)
{
	size_t k;

	fputs("  <record>\n    <row>\n", out);
	el(out, "      ", "source_ip", r->source_ip);
	fprintf(out, "      <count>%llu</count>\n", (unsigned long long)count);
	fputs("      <policy_evaluated>\n", out);
	el(out, "        ", "disposition", r->disposition);
	el(out, "        ", "dkim", r->dkim);
	el(out, "        ", "spf", r->spf);
	for (k = 0; k < r->nreason; k++) {
		fputs("        <reason>\n", out);
		el(out, "          ", "type", r->reason[k].type);
		if (r->reason[k].comment[0])
			el(out, "          ", "comment", r->reason[k].comment);
		fputs("        </reason>\n", out);
	}
	fputs("      </policy_evaluated>\n    </row>\n    <identifiers>\n",
	      out);
	el(out, "      ", "header_from", r->header_from);
	if (r->has_envelope_from)
		el(out, "      ", "envelope_from", r->envelope_from);
	if (r->envelope_to[0])
		el(out, "      ", "envelope_to", r->envelope_to);
	fputs("    </identifiers>\n    <auth_results>\n", out);
	for (k = 0; k < r->ndkim; k++) {
		fputs("      <dkim>\n", out);
		el(out, "        ", "domain", r->dkim_res[k].domain);
		el(out, "        ", "selector", r->dkim_res[k].selector);
		el(out, "        ", "result", r->dkim_res[k].result);
		fputs("      </dkim>\n", out);
	}
	if (r->has_spf) {
		fputs("      <spf>\n", out);
		el(out, "        ", "domain", r->spf_domain);
		el(out, "        ", "scope", "mfrom");
		el(out, "        ", "result", r->spf_result);
		fputs("      </spf>\n", out);
	}
	fputs("    </auth_results>\n  </record>\n", out);
}

/* fg_report_xml - the report of domain k */
size_t
fg_report_xml(const struct fg_report *g, size_t k,
	      const struct fg_report_meta *m, FILE *out)
{
	size_t i, run, records = 0;
	char n[32];

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n"
	      "  <version>1.0</version>\n  <report_metadata>\n",
	      out);
	el(out, "    ", "org_name", m->org_name);
	el(out, "    ", "email", m->email);
	el(out, "    ", "report_id", m->report_id);
	fputs("    <date_range>\n", out);
	snprintf(n, sizeof(n), "%lld", (long long)m->begin);
	el(out, "      ", "begin", n);
	snprintf(n, sizeof(n), "%lld", (long long)m->end);
	el(out, "      ", "end", n);
	fputs("    </date_range>\n", out);
	if (m->generator != NULL)
		el(out, "    ", "generator", m->generator);
	fputs("  </report_metadata>\n", out);
	policy_published(out, latest(g, k));
	for (i = g->dom[k]; i < g->dom[k + 1]; i += run) {
		for (run = 1; i + run < g->dom[k + 1] &&
			      strcmp(g->e[i].key, g->e[i + run].key) == 0;
		     run++)
			;
		record(out, g->e[i].rec, run);
		records++;
	}
	fputs("</feedback>\n", out);
	return records;
}
