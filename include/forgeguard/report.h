/*
 * report.h - DMARC aggregate reports (RFC 9990) from report records
 *
 * The daemon logs one "dmarc-record {json}" line per message whose
 * author domain has a policy (dmarc_records = yes).  fg_report_line finds
 * and reads one in any log line (a file, syslog, a journal export);
 * fg_report_add gathers records of a period; fg_report_xml writes the
 * report of one policy domain: the last policy seen, one record element
 * per distinct (source, identifiers, evaluation, results) with its
 * message count.
 */
#ifndef FG_REPORT_H
#define FG_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "forgeguard/bounds.h"
#include "forgeguard/err.h"

#define FG_REPORT_REASONS_MAX 4
#define FG_REPORT_DKIM_MAX 16

struct fg_report_rec {
	int64_t time;
	char source_ip[64];
	char header_from[FG_DOMAIN_MAX + 1];
	char envelope_from[FG_DOMAIN_MAX + 1];
	int has_envelope_from;
	char envelope_to[FG_DOMAIN_MAX + 1];
	char domain[FG_DOMAIN_MAX + 1]; /* the policy domain */
	char p[16], sp[16], np[16], adkim[4], aspf[4], testing[4], fo[16];
	char discovery[16]; /* "treewalk" or "psl" */
	char rua[512];
	char disposition[16], dkim[8], spf[8];
	struct {
		char type[32];
		char comment[256];
	} reason[FG_REPORT_REASONS_MAX];
	size_t nreason;
	struct {
		char domain[FG_DOMAIN_MAX + 1];
		char selector[FG_DOMAIN_MAX + 1];
		char result[16];
	} dkim_res[FG_REPORT_DKIM_MAX];
	size_t ndkim;
	int has_spf;
	char spf_domain[FG_DOMAIN_MAX + 1], spf_result[16];
};

struct fg_report_meta {
	const char *org_name;
	const char *email;
	const char *receiver; /* the reporting domain, for the file name */
	const char *report_id;
	int64_t begin, end;
	const char *generator;
};

struct fg_report;

/* fg_report_line - the record in one log line, if it holds one: 1 and r
 * filled, 0 when the line has none, -1 when its record does not read */
int fg_report_line(const char *line, size_t n, struct fg_report_rec *r);
/* fg_report_new - an empty gathering; NULL without memory */
struct fg_report *fg_report_new(void);
/* fg_report_free - release (NULL ok) */
void fg_report_free(struct fg_report *g);
/* fg_report_add - one record; FG_ENOMEM */
enum fg_err
fg_report_add(struct fg_report *g, const struct fg_report_rec *r) FG_WUR;
/* fg_report_domains - the policy domains gathered, sorted (call after
 * the last add); their count */
size_t fg_report_domains(struct fg_report *g);
/* fg_report_domain - policy domain k */
const char *fg_report_domain(const struct fg_report *g, size_t k);
/* fg_report_rua - the rua of the last record of policy domain k */
const char *fg_report_rua(const struct fg_report *g, size_t k);
/* fg_report_messages - messages of policy domain k */
uint64_t fg_report_messages(const struct fg_report *g, size_t k);
/* fg_report_xml - the report of policy domain k to out; the number of
 * record elements written */
size_t fg_report_xml(const struct fg_report *g, size_t k,
		     const struct fg_report_meta *m, FILE *out);

#endif
