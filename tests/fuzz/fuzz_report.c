/*
 * fuzz_report - DMARC report records (and the JSON reader) from arbitrary
 * log lines, written back as a report
 *
 * Every line either holds no record, one that does not read, or one
 * whose report is written whole: strings stay terminated, the XML has
 * one record element with a count of 1.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forgeguard/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fg_report_rec r;
	struct fg_report_meta m = { "o", "e@x.example", "x.example", "id", 0,
				    1,   NULL };
	struct fg_report *g;
	char *xml = NULL;
	size_t n = 0;
	FILE *f;
	int k = fg_report_line((const char *)data, size, &r);

	if (k < -1 || k > 1)
		__builtin_trap();
	if (k != 1)
		return 0;
	if (memchr(r.domain, '\0', sizeof(r.domain)) == NULL ||
	    memchr(r.rua, '\0', sizeof(r.rua)) == NULL ||
	    r.nreason > FG_REPORT_REASONS_MAX || r.ndkim > FG_REPORT_DKIM_MAX)
		__builtin_trap();
	g = fg_report_new();
	if (g == NULL || fg_report_add(g, &r) != FG_OK ||
	    fg_report_domains(g) != 1 || (f = open_memstream(&xml, &n)) == NULL)
		abort();
	if (fg_report_xml(g, 0, &m, f) != 1)
		__builtin_trap();
	fclose(f);
	if (strstr(xml, "<count>1</count>") == NULL)
		__builtin_trap();
	free(xml);
	fg_report_free(g);
	return 0;
}
