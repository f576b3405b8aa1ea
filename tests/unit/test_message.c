/* test_message - the header store, the message splitter, the header facts */
#include "forgeguard/bounds.h"
#include "forgeguard/hdrstore.h"
#include "forgeguard/message.h"
#include "forgeguard/split.h"
#include "tcase.h"

/* What a splitter fed: fields as "Name:value|" and the body joined. */
struct fed {
	char head[8192];
	size_t hn;
	int eoh;
	char *body;
	size_t bn;
	size_t chunks, biggest;
};

static void
on_header(void *arg, const char *name, const char *value)
{
	struct fed *f = arg;

	ck_assert(!f->eoh);
	f->hn += (size_t)snprintf(f->head + f->hn, sizeof(f->head) - f->hn,
				  "%s:%s|", name, value);
}

static void
on_eoh(void *arg)
{
	struct fed *f = arg;

	ck_assert(!f->eoh);
	f->eoh = 1;
}

static void
on_body(void *arg, const unsigned char *p, size_t n)
{
	struct fed *f = arg;

	ck_assert(f->eoh);
	ck_assert_uint_le(n, FG_BODY_CHUNK_MAX);
	f->body = realloc(f->body, f->bn + n + 1);
	memcpy(f->body + f->bn, p, n);
	f->bn += n;
	f->body[f->bn] = '\0';
	f->chunks++;
	if (n > f->biggest)
		f->biggest = n;
}

static void
split(const char *msg, size_t n, int flags, struct fed *f)
{
	struct fg_split_sink sink = { on_header, on_eoh, on_body, f };

	memset(f, 0, sizeof(*f));
	ck_assert(fg_split(msg, n, flags, &sink) == FG_OK);
	ck_assert(f->eoh);
}

static const struct {
	const char *name, *in;
	int flags;
	const char *head, *body; /* body NULL: none fed */
} splits[] = {
	{ "crlf", "From: a@b\r\nSubject: hi\r\n\r\nline\r\n", 0,
	  "From: a@b|Subject: hi|", "line\r\n" },
	{ "lf becomes crlf in the body", "From: a@b\n\nl1\nl2\n", 0,
	  "From: a@b|", "l1\r\nl2\r\n" },
	{ "leading space kept, none added", "A:x\nB:  y\nC:\t z\n\n", 0,
	  "A:x|B:  y|C:\t z|", NULL },
	{ "folding joined with LF", "Subject: a\r\n b\r\n\tc\r\nX: y\r\n\r\n",
	  0, "Subject: a\n b\n\tc|X: y|", NULL },
	{ "last line without newline", "From: a@b\n\nno newline", 0,
	  "From: a@b|", "no newline\r\n" },
	{ "no body at all", "From: a@b\n", 0, "From: a@b|", NULL },
	{ "empty message", "", 0, "", NULL },
	{ "a line that is no field starts the body",
	  "From: a@b\nnot a field\nX: y\n", 0, "From: a@b|",
	  "not a field\r\nX: y\r\n" },
	{ "blank before the colon (obsolete)", "Subject : hi\n\n", 0,
	  "Subject: hi|", NULL },
	{ "mbox From line skipped",
	  "From a@b Mon Jan  1 00:00:00 2024\n"
	  "From: a@b\n\n>From here\n",
	  0, "From: a@b|", ">From here\r\n" },
	{ "mboxrd quoting undone",
	  "From: a@b\n\n>From here\n>>From x\n"
	  ">Fromage\n",
	  FG_SPLIT_MBOX, "From: a@b|", "From here\r\n>From x\r\n>Fromage\r\n" },
	{ "a continuation before any field ends the header",
	  " lonely\nFrom: a@b\n", 0, "", " lonely\r\nFrom: a@b\r\n" },
	{ "empty body lines kept", "A: b\n\n\n\n", 0, "A: b|", "\r\n\r\n" },
};

START_TEST(split_cases)
{
	struct fed f;

	split(splits[_i].in, strlen(splits[_i].in), splits[_i].flags, &f);
	ck_assert_msg(strcmp(f.head, splits[_i].head) == 0,
		      "%s: header got [%s] want [%s]", splits[_i].name, f.head,
		      splits[_i].head);
	if (splits[_i].body == NULL)
		ck_assert_msg(f.bn == 0, "%s: a body was fed", splits[_i].name);
	else
		ck_assert_msg(f.body != NULL &&
				      strcmp(f.body, splits[_i].body) == 0,
			      "%s: body got [%s] want [%s]", splits[_i].name,
			      f.body ? f.body : "(none)", splits[_i].body);
	free(f.body);
}
END_TEST

START_TEST(split_nul_ends_value_and_big_body_is_chunked)
{
	static const char msg[] = "A: x\0y\nB: z\n\n";
	size_t n = 200000, k;
	char *big_msg = malloc(n + 16);
	struct fed f;

	split(msg, sizeof(msg) - 1, 0, &f);
	ck_assert_str_eq(f.head, "A: x|B: z|");
	memcpy(big_msg, "A: b\n\n", 6);
	for (k = 6; k < n; k++)
		big_msg[k] = k % 100 == 99 ? '\n' : 'x';
	split(big_msg, n, 0, &f);
	ck_assert_uint_eq(f.biggest, FG_BODY_CHUNK_MAX);
	ck_assert_uint_ge(f.chunks, 3);
	/* 1,999 full lines of 99 bytes, each now with CRLF, and the rest */
	ck_assert_uint_eq(f.bn, (n - 6) + (n - 6) / 100 + 1);
	free(f.body);
	free(big_msg);
}
END_TEST

START_TEST(store_keeps_raw_fields)
{
	struct fg_hdrstore h;
	struct fg_view v;
	char *huge = big(FG_HEADER_FIELD_MAX + 10, 'v');

	fg_hdrstore_init(&h);
	ck_assert(fg_hdrstore_add(&h, "Subject", 7, " hi\n there", 10) ==
		  FG_OK);
	ck_assert(fg_hdrstore_add(&h, "X-Big", 5, huge, strlen(huge)) == FG_OK);
	ck_assert_uint_eq(h.n, 2);
	v = fg_hdrstore_value(&h, 0);
	ck_assert_uint_eq(v.n, 10);
	ck_assert(memcmp(v.p, " hi\n there", 10) == 0);
	ck_assert(fg_hdrstore_is(&h, 0, "SUBJECT"));
	ck_assert(!fg_hdrstore_is(&h, 0, "Subjec"));
	/* a value past the field bound is cut, its length kept */
	ck_assert_uint_eq(fg_hdrstore_value(&h, 1).n, FG_HEADER_FIELD_MAX);
	ck_assert_uint_eq(h.f[1].full_len, FG_HEADER_FIELD_MAX + 10);
	fg_hdrstore_fini(&h);
	free(huge);
}
END_TEST

START_TEST(store_bounds)
{
	struct fg_hdrstore h;
	char *v = big(60000, 'x');
	size_t k, fit = FG_HDRSTORE_BYTES_MAX / 60002;

	fg_hdrstore_init(&h);
	for (k = 0; k < fit + 5; k++)
		ck_assert(fg_hdrstore_add(&h, "X", 1, v, 60000) == FG_OK);
	/* past the store's bytes: counted, not kept */
	ck_assert_uint_eq(h.n, fit);
	ck_assert_uint_eq(h.not_kept, 5);
	ck_assert_uint_eq(h.seen, fit + 5);
	ck_assert_uint_le(h.used, FG_HDRSTORE_BYTES_MAX);
	fg_hdrstore_fini(&h);
	free(v);
}
END_TEST

START_TEST(every_forged_authres_is_indexed)
{
	/* more than the 64 the old code could delete */
	struct fg_hdrstore h;
	struct fg_message m;
	size_t k;

	fg_hdrstore_init(&h);
	fg_message_init(&m);
	for (k = 0; k < 5000; k++) {
		const char *v = k % 2 ? " mx.ours.example; spf=pass"
				      : " other.example; spf=pass";

		ck_assert(fg_hdrstore_add(&h, "Authentication-Results", 22, v,
					  strlen(v)) == FG_OK);
	}
	ck_assert(fg_hdrstore_add(&h, "From", 4, " a@b.example", 12) == FG_OK);
	ck_assert(fg_message_build(&m, &h, "mx.ours.example") == FG_OK);
	ck_assert_uint_eq(m.nauthres, 5000);
	ck_assert_uint_eq(m.ndel, 2500);
	for (k = 0; k < m.ndel; k++)
		ck_assert_uint_eq(m.del[k], 2 * k + 2);
	ck_assert_uint_eq(m.nfrom, 1);
	ck_assert(m.from_ok);
	ck_assert_str_eq(m.from_raw, "a@b.example");
	/* the current hop's room is there */
	ck_assert_uint_eq(m.nhops, 1);
	fg_message_fini(&m);
	fg_hdrstore_fini(&h);
}
END_TEST

START_TEST(facts_read_values_without_the_leading_blank)
{
	struct fg_hdrstore h;
	struct fg_message m;
	static const char rcvd[] = " from a.example (a.example [192.0.2.1])\n"
				   "\tby mx.example; Tue, 14 Nov 2023 22:13:20 "
				   "+0000";

	fg_hdrstore_init(&h);
	fg_message_init(&m);
	ck_assert(fg_hdrstore_add(&h, "Received", 8, rcvd, strlen(rcvd)) ==
		  FG_OK);
	ck_assert(fg_hdrstore_add(&h, "DKIM-Signature", 14,
				  " v=1; d=Sig.Example; s=x", 24) == FG_OK);
	ck_assert(fg_message_build(&m, &h, "mx.ours.example") == FG_OK);
	ck_assert_uint_eq(m.nreceived, 1);
	ck_assert_uint_eq(m.nhops, 2);
	ck_assert(m.hops[1].parsed);
	ck_assert_str_eq(m.hops[1].r.by, "mx.example");
	ck_assert_uint_eq(m.ndkim_d, 1);
	ck_assert_str_eq(m.dkim_d[0], "sig.example");
	/* bytes count names and values without the blank after the colon */
	ck_assert_uint_eq(m.bytes, 8 + strlen(rcvd) - 1 + 14 + 23);
	/* built twice: the old facts are gone */
	ck_assert(fg_message_build(&m, &h, "mx.ours.example") == FG_OK);
	ck_assert_uint_eq(m.nreceived, 1);
	fg_message_fini(&m);
	fg_hdrstore_fini(&h);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("message");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, split_cases, 0, NCASES(splits));
	tcase_add_test(tc, split_nul_ends_value_and_big_body_is_chunked);
	tcase_add_test(tc, store_keeps_raw_fields);
	tcase_add_test(tc, store_bounds);
	tcase_add_test(tc, every_forged_authres_is_indexed);
	tcase_add_test(tc, facts_read_values_without_the_leading_blank);
	suite_add_tcase(s, tc);
	return s;
}

FG_SUITE_MAIN(suite)
