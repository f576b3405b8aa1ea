/* test_report - the bounded JSON reader, and DMARC report records read
 * from log lines, gathered and written as RFC 9990 XML */
#include "forgeguard/json.h"
#include "forgeguard/report.h"
#include "tcase.h"

/* ---- JSON ------------------------------------------------------------- */

static const struct {
	const char *in;
	int ok;
	const char *key, *want; /* a member of the root and its decoded text */
} jsons[] = {
	{ "{\"a\":\"b\"}", 1, "a", "b" },
	{ " { \"a\" : [1, 2, {\"c\": null}], \"d\": \"e\\u00e9\\n\" } ", 1, "d",
	  "e\xc3\xa9\n" },
	{ "{\"s\":\"\\ud83d\\ude00\"}", 1, "s", "\xf0\x9f\x98\x80" },
	{ "{\"t\":true,\"f\":false,\"n\":-12.5e3}", 1, NULL, NULL },
	{ "[]", 1, NULL, NULL },
	{ "{\"a\":\"b\"} x", 0, NULL, NULL }, /* trailing bytes */
	{ "{\"a\":\"b\",}", 0, NULL, NULL },
	{ "{\"a\" \"b\"}", 0, NULL, NULL },
	{ "{\"a\":\"\\x\"}", 0, NULL, NULL },
	{ "{\"a\":\"\\ud83d\"}", 0, NULL, NULL }, /* lone surrogate */
	{ "{\"a\":\"\\ude00\"}", 0, NULL, NULL },
	{ "{\"a\":\"tab\there\"}", 0, NULL, NULL }, /* raw control byte */
	{ "{\"a\":01}", 0, NULL, NULL },
	{ "{\"a\":1.}", 0, NULL, NULL },
	{ "{\"a\":tru}", 0, NULL, NULL },
	{ "[[[[[[[[[[1]]]]]]]]]]", 0, NULL, NULL }, /* deeper than 8 */
	{ "", 0, NULL, NULL },
	{ "{\"a\":\"unterminated}", 0, NULL, NULL },
};

START_TEST(json_values)
{
	struct fg_json_node x[64];
	size_t count, errpos;
	char got[64];
	enum fg_err e = fg_json_parse(jsons[_i].in, strlen(jsons[_i].in), x, 64,
				      &count, &errpos);

	ck_assert_msg((e == FG_OK) == jsons[_i].ok, "[%s]: %d at %zu",
		      jsons[_i].in, e, errpos);
	if (e != FG_OK || jsons[_i].key == NULL)
		return;
	ck_assert(fg_json_string(&x[fg_json_get(x, 0, jsons[_i].key)], got,
				 sizeof(got)));
	ck_assert_str_eq(got, jsons[_i].want);
}
END_TEST

START_TEST(json_bounded)
{
	/* 1,000 elements in room for 16 nodes: refused, not overrun */
	char *s = malloc(4096);
	struct fg_json_node x[16];
	size_t k, n = 0, count, errpos;

	s[n++] = '[';
	for (k = 0; k < 1000; k++)
		n += (size_t)sprintf(s + n, "%s1", k ? "," : "");
	s[n++] = ']';
	ck_assert_int_eq(fg_json_parse(s, n, x, 16, &count, &errpos),
			 FG_ETOOLONG);
	free(s);
}
END_TEST

/* ---- records ---------------------------------------------------------- */

static const char rec1[] =
	"Dec  1 10:00:00 mx forgeguard[1]: dmarc-record {\"v\":1,"
	"\"time\":1764550000,\"source_ip\":\"192.0.2.7\",\"header_from\":"
	"\"bank.example\",\"envelope_from\":\"\",\"envelope_to\":"
	"\"ours.example\",\"domain\":\"bank.example\",\"discovery\":"
	"\"treewalk\",\"p\":\"reject\",\"sp\":\"\",\"np\":\"\",\"adkim\":"
	"\"r\",\"aspf\":\"r\",\"testing\":\"n\",\"fo\":\"\",\"rua\":"
	"\"mailto:r@bank.example\",\"result\":\"fail\",\"disposition\":"
	"\"none\",\"dkim\":\"fail\",\"spf\":\"fail\",\"reasons\":[{\"type\":"
	"\"trusted_forwarder\",\"comment\":\"a <list> & co\"}],"
	"\"dkim_results\":[{\"domain\":\"bank.example\",\"selector\":\"s1\","
	"\"result\":\"fail\"}],\"future_key\":[1,2]}\n";

START_TEST(record_in_a_log_line)
{
	struct fg_report_rec r;

	ck_assert_int_eq(fg_report_line(rec1, strlen(rec1), &r), 1);
	ck_assert_int_eq(r.time, 1764550000);
	ck_assert_str_eq(r.domain, "bank.example");
	ck_assert(r.has_envelope_from && r.envelope_from[0] == '\0');
	ck_assert_uint_eq(r.nreason, 1);
	ck_assert_str_eq(r.reason[0].comment, "a <list> & co");
	ck_assert_uint_eq(r.ndkim, 1);
	ck_assert(!r.has_spf);
	ck_assert_int_eq(fg_report_line("no record here", 14, &r), 0);
	ck_assert_int_eq(fg_report_line("dmarc-record {\"time\":1", 23, &r),
			 -1);
	/* a record without the fields a report needs */
	ck_assert_int_eq(fg_report_line("dmarc-record {\"time\":1}", 23, &r),
			 -1);
}
END_TEST

START_TEST(report_counts_and_escapes)
{
	struct fg_report *g = fg_report_new();
	struct fg_report_rec r;
	struct fg_report_meta m = {
		"Org & Co", "d@ours.example", "ours.example",
		"id1",      1764500000,       1764600000,
		NULL
	};
	char *xml = NULL;
	size_t n = 0;
	FILE *f;

	ck_assert_int_eq(fg_report_line(rec1, strlen(rec1), &r), 1);
	ck_assert(fg_report_add(g, &r) == FG_OK);
	ck_assert(fg_report_add(g, &r) == FG_OK);
	strcpy(r.source_ip, "198.51.100.9");
	ck_assert(fg_report_add(g, &r) == FG_OK);
	strcpy(r.domain, "other.example");
	ck_assert(fg_report_add(g, &r) == FG_OK);
	ck_assert_uint_eq(fg_report_domains(g), 2);
	ck_assert_str_eq(fg_report_domain(g, 0), "bank.example");
	ck_assert_uint_eq(fg_report_messages(g, 0), 3);
	f = open_memstream(&xml, &n);
	ck_assert_uint_eq(fg_report_xml(g, 0, &m, f), 2);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(xml, "<count>2</count>"));
	ck_assert_ptr_nonnull(strstr(xml, "<org_name>Org &amp; Co</org_name>"));
	ck_assert_ptr_nonnull(
		strstr(xml, "<comment>a &lt;list&gt; &amp; co</comment>"));
	ck_assert_ptr_nonnull(strstr(xml, "<envelope_from></envelope_from>"));
	ck_assert_ptr_null(strstr(xml, "other.example"));
	free(xml);
	fg_report_free(g);
}
END_TEST

static Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, json_values, 0, NCASES(jsons));
	tcase_add_test(tc, json_bounded);
	tcase_add_test(tc, record_in_a_log_line);
	tcase_add_test(tc, report_counts_and_escapes);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(report_suite)
