/* test-model-codec.c - unit tests of the model's msgpack codec and of the notes store.
 * Round trips, then every way a hostile note can be broken; then notes in a scratch repository. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <git2.h>
#include <msgpack.h>
#include "model.h"
#include "model-codec.h"
#include "notes-store.h"
#include "repo-config.h"
#include "sbuf.h"
#include "coverage-vector.h"
#include "xalloc.h"

#define HEX_A "0123456789abcdef0123456789abcdef01234567"
#define HEX_B "89abcdef0123456789abcdef0123456789abcdef"
#define HEX_C "fedcba9876543210fedcba9876543210fedcba98"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* stderr goes to a temporary file between capture_begin and capture_end. */
static FILE *capture_file;
static int capture_saved = -1;

static void capture_begin(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	assert_non_null(capture_file);
	capture_saved = dup(2);
	assert_true(capture_saved >= 0);
	assert_true(dup2(fileno(capture_file), 2) >= 0);
}

static void capture_end(struct sbuf *out)
{
	fflush(stderr);
	assert_true(dup2(capture_saved, 2) >= 0);
	close(capture_saved);
	capture_saved = -1;
	sbuf_reset(out);
	assert_int_equal(lseek(fileno(capture_file), 0, SEEK_SET), 0);
	assert_int_equal(sbuf_read_fd(out, fileno(capture_file), 1 << 20,
				      "capture"), 0);
	fclose(capture_file);
	capture_file = NULL;
}

static size_t count_lines(const struct sbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n;
}

static unsigned char *make_signals(size_t *len, const uint32_t *features,
				   const unsigned *levels, size_t nr)
{
	struct covvec_writer w;

	covvec_writer_init(&w);
	for (size_t i = 0; i < nr; i++)
		covvec_writer_add(&w, features[i], levels[i]);
	return covvec_writer_finish(&w, len);
}

/*
 * A model using every field, with several items of each kind: a name
 * shared by two files, a file without features, imports out of order,
 * blob ids that are short, odd or empty.
 */
static void build_model(struct model *m)
{
	static const uint32_t f1[] = { 0, 1, 4 }, f2[] = { 3, 5 };
	static const unsigned q1[] = { 16, 1, 7 }, q2[] = { 9, 2 };
	unsigned char *sig;
	size_t len;
	uint32_t a;

	model_init(m);
	memcpy(m->commit, HEX_A, sizeof(HEX_A));
	model_add_flag(m, "default", HEX_A, 12.5, 0.75, 1700000000.25);
	model_add_flag(m, "e2e", HEX_B, 300.125, 1e-3, 0);
	a = model_add_file(m, "README.md", HEX_B);
	model_add_file(m, "pkg/a.py", HEX_C);
	model_add_file(m, "pkg/b.py", HEX_A);
	model_add_file(m, "pkg/c.txt", "abc");
	model_add_file(m, "pkg/d.py", "");
	m->files[a + 1].imports = xmalloc(2 * sizeof(uint32_t));
	m->files[a + 1].imports[0] = 2;
	m->files[a + 1].imports[1] = 0;
	m->files[a + 1].imports_nr = 2;
	model_add_feature(m, 0, "<file>", FEATURE_FILE, 1, 0);
	model_add_feature(m, 1, "<module>", FEATURE_MODULE, 0x123456789ULL, 12);
	model_add_feature(m, 1, "Greeter", FEATURE_CLASS, UINT64_MAX, 3);
	model_add_feature(m, 1, "Greeter.hello", FEATURE_FUNCTION,
			  0x8000000000000001ULL, 4294967295u);
	model_add_feature(m, 2, "<module>", FEATURE_MODULE, 0, 1);
	model_add_feature(m, 2, "main", FEATURE_FUNCTION, 42, 7);
	model_add_feature(m, 4, "Greeter", FEATURE_CLASS, 43, 200);
	m->features[1].import_time = 1;
	m->features[3].import_time = 1;
	m->features[6].import_time = 1;
	sig = make_signals(&len, f1, q1, 3);
	model_add_test(m, "tests/test_a.py::test_one", 0, 0.25, OUTCOME_PASSED,
		       0, sig, len);
	sig = make_signals(&len, f2, q2, 2);
	model_add_test(m, "tests/test_a.py::test_two[x-1]", 1, 17.5000004,
		       OUTCOME_FAILED, 0x80000005u, sig, len);
	model_add_test(m, "tests/test_b.py::TestX::test_y", 0, 0,
		       OUTCOME_UNKNOWN, 1, NULL, 0);
	model_add_test(m, "tests/test_b.py::test_z", 1, 1e-9, OUTCOME_SKIPPED,
		       2, NULL, 0);
}

/* The cost a model gets back: whole microseconds, positive stays so. */
static double stored_cost(double cost)
{
	double us = round(cost * 1e6);

	return (us < 1 && cost > 0 ? 1 : us) / 1e6;
}

static void assert_files_equal(const struct model *a, const struct model *b)
{
	assert_int_equal(a->files_nr, b->files_nr);
	for (size_t i = 0; i < a->files_nr; i++) {
		assert_string_equal(a->files[i].path, b->files[i].path);
		assert_string_equal(a->files[i].blob, b->files[i].blob);
		assert_int_equal(a->files[i].imports_nr,
				 b->files[i].imports_nr);
		for (size_t k = 0; k < a->files[i].imports_nr; k++)
			assert_int_equal(a->files[i].imports[k],
					 b->files[i].imports[k]);
		if (!a->files[i].imports_nr)
			assert_null(b->files[i].imports);
	}
}

static void assert_models_equal(const struct model *a, const struct model *b)
{
	assert_string_equal(a->commit, b->commit);
	assert_int_equal(a->flags_nr, b->flags_nr);
	for (size_t i = 0; i < a->flags_nr; i++) {
		assert_string_equal(a->flags[i].name, b->flags[i].name);
		assert_string_equal(a->flags[i].commit, b->flags[i].commit);
		assert_true(a->flags[i].suite_time == b->flags[i].suite_time);
		assert_true(a->flags[i].overhead == b->flags[i].overhead);
		assert_true(a->flags[i].recorded_at ==
			    b->flags[i].recorded_at);
	}
	assert_files_equal(a, b);
	assert_int_equal(a->features_nr, b->features_nr);
	for (size_t i = 0; i < a->features_nr; i++) {
		const struct model_feature *x = &a->features[i];
		const struct model_feature *y = &b->features[i];

		assert_int_equal(x->file, y->file);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->kind, y->kind);
		assert_true(x->hash == y->hash);
		assert_int_equal(x->lines, y->lines);
		assert_int_equal(x->import_time, y->import_time);
	}
	assert_int_equal(a->tests_nr, b->tests_nr);
	for (size_t i = 0; i < a->tests_nr; i++) {
		const struct model_test *x = &a->tests[i];
		const struct model_test *y = &b->tests[i];

		assert_string_equal(x->id, y->id);
		assert_int_equal(x->flag, y->flag);
		assert_true(stored_cost(x->cost) == y->cost);
		assert_int_equal(x->outcome, y->outcome);
		assert_int_equal(x->history, y->history);
		assert_int_equal(x->signals_len, y->signals_len);
		if (x->signals_len)
			assert_memory_equal(x->signals, y->signals,
					    x->signals_len);
		else
			assert_null(y->signals);
	}
}

static void assert_model_empty(const struct model *m)
{
	assert_int_equal(m->flags_nr + m->files_nr + m->features_nr +
			 m->tests_nr, 0);
	assert_null(m->flags);
	assert_null(m->files);
	assert_null(m->features);
	assert_null(m->tests);
	assert_string_equal(m->commit, "");
}

/* Decode, expecting failure with one error line naming "note for x". */
static void assert_decode_fails(const void *buf, size_t len,
				const char *needle)
{
	struct model m;
	struct sbuf err = SBUF_INIT;
	int r;

	model_init(&m);
	capture_begin();
	r = model_decode(&m, buf, len, "note for x");
	capture_end(&err);
	if (r != -1 || count_lines(&err) != 1 ||
	    !strstr(err.buf, "note for x") ||
	    (needle && !strstr(err.buf, needle)))
		fail_msg("expected one error with '%s', got %d and '%s'",
			 needle ? needle : "", r, err.buf);
	assert_model_empty(&m);
	sbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Round trips                                                         */
/* ------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
	struct model m, back;
	struct sbuf enc = SBUF_INIT;

	build_model(&m);
	model_init(&back);
	assert_int_equal(model_validate(&m, "built"), 0);
	assert_int_equal(model_encode(&enc, &m), 0);
	assert_true(enc.len > 100);
	assert_int_equal(model_decode(&back, enc.buf, enc.len, "rt"), 0);
	assert_models_equal(&m, &back);
	assert_int_equal(model_find_test(&back, "tests/test_b.py::test_z"), 3);
	/* costs keep whole microseconds; a positive one stays positive */
	assert_true(back.tests[0].cost == 0.25);
	assert_true(back.tests[1].cost == 17.5);
	assert_true(back.tests[2].cost == 0);
	assert_true(back.tests[3].cost == 1e-6);
	assert_string_equal(back.files[3].blob, "abc");
	assert_string_equal(back.files[4].blob, "");
	assert_int_equal(back.features[6].file, 4);
	assert_string_equal(back.features[6].name, "Greeter");
	model_release(&m);
	model_release(&back);
	sbuf_release(&enc);
}

/* A decoded model's items live in one block; added ones are malloc'ed. */
static void test_decoded_then_grown(void **state)
{
	static const uint32_t f[] = { 2 };
	static const unsigned q[] = { 5 };
	struct model m, back, again;
	struct sbuf enc = SBUF_INIT, enc2 = SBUF_INIT;
	unsigned char *sig;
	size_t len;

	build_model(&m);
	model_init(&back);
	model_init(&again);
	assert_int_equal(model_encode(&enc, &m), 0);
	assert_int_equal(model_decode(&back, enc.buf, enc.len, "grow"), 0);
	assert_non_null(back.block);
	/* grow every array past its decoded size, then release: ASan and
	 * valgrind see a double free or a leak if ownership is wrong */
	for (int i = 0; i < 40; i++) {
		char id[64];

		snprintf(id, sizeof(id), "tests/test_c.py::t%02d", i);
		sig = make_signals(&len, f, q, 1);
		model_add_test(&back, id, 0, 1, OUTCOME_PASSED, 0, sig, len);
	}
	model_add_file(&back, "zz.py", HEX_A);
	model_add_feature(&back, 5, "zz", FEATURE_FUNCTION, 1, 1);
	assert_int_equal(model_validate(&back, "grown"), 0);
	assert_int_equal(model_encode(&enc2, &back), 0);
	assert_int_equal(model_decode(&again, enc2.buf, enc2.len, "again"), 0);
	assert_models_equal(&back, &again);
	assert_int_equal(again.tests_nr, 44);
	/* decoding into a model frees what it held, block and all */
	assert_int_equal(model_decode(&back, enc.buf, enc.len, "grow"), 0);
	assert_models_equal(&m, &back);
	model_release(&m);
	model_release(&back);
	model_release(&again);
	assert_null(again.block);
	assert_int_equal(again.block_size, 0);
	sbuf_release(&enc);
	sbuf_release(&enc2);
}

/* The note stays small: one object per column, not per item. */
static void test_compact(void **state)
{
	struct model m;
	struct sbuf enc = SBUF_INIT;
	char id[64], name[32], path[32];
	unsigned char *sig;
	size_t len;

	model_init(&m);
	model_add_flag(&m, "default", HEX_A, 1, 0, 0);
	for (int i = 0; i < 100; i++) {
		snprintf(path, sizeof(path), "pkg/mod_%03d.py", i);
		model_add_file(&m, path, HEX_B);
		for (int k = 0; k < 10; k++) {
			snprintf(name, sizeof(name), "f%d", k);
			model_add_feature(&m, (uint32_t)i, name,
					  FEATURE_FUNCTION, (uint64_t)k, 3);
		}
	}
	for (int i = 0; i < 1000; i++) {
		uint32_t f = (uint32_t)(i % 1000);
		unsigned q = 16;

		snprintf(id, sizeof(id), "tests/test_g%d.py::test_%04d",
			 i / 100, i);
		sig = make_signals(&len, &f, &q, 1);
		model_add_test(&m, id, 0, 0.125, OUTCOME_PASSED, 0, sig, len);
	}
	assert_int_equal(model_validate(&m, "compact"), 0);
	assert_int_equal(model_encode(&enc, &m), 0);
	/* blob ids 21 + features 8 (hash) + ~3 + tests ~2 (signal) + ~8 */
	print_message("# %zu bytes\n", enc.len);
	assert_true(enc.len < 100 * 40 + 1000 * 12 + 1000 * 14);
	model_release(&m);
	sbuf_release(&enc);
}

static void test_empty_model_round_trip(void **state)
{
	struct model m, back;
	struct sbuf enc = SBUF_INIT;

	model_init(&m);
	model_init(&back);
	assert_int_equal(model_encode(&enc, &m), 0);
	assert_int_equal(model_decode(&back, enc.buf, enc.len, "empty"), 0);
	assert_model_empty(&back);
	sbuf_release(&enc);
}

static void test_deterministic(void **state)
{
	struct model m, back;
	struct sbuf a = SBUF_INIT, b = SBUF_INIT, c = SBUF_INIT;

	build_model(&m);
	model_init(&back);
	assert_int_equal(model_encode(&a, &m), 0);
	assert_int_equal(model_encode(&b, &m), 0);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	/* decoding and encoding again gives the very same bytes */
	assert_int_equal(model_decode(&back, a.buf, a.len, "det"), 0);
	assert_int_equal(model_encode(&c, &back), 0);
	assert_int_equal(a.len, c.len);
	assert_memory_equal(a.buf, c.buf, a.len);
	/* the encoding appends */
	sbuf_reset(&b);
	sbuf_addstr(&b, "xy");
	assert_int_equal(model_encode(&b, &m), 0);
	assert_int_equal(b.len, a.len + 2);
	assert_memory_equal(b.buf + 2, a.buf, a.len);
	model_release(&m);
	model_release(&back);
	sbuf_release(&a);
	sbuf_release(&b);
	sbuf_release(&c);
}

static void test_decode_replaces_previous(void **state)
{
	struct model m, back;
	struct sbuf enc = SBUF_INIT;

	build_model(&m);
	build_model(&back);
	assert_int_equal(model_encode(&enc, &m), 0);
	assert_int_equal(model_decode(&back, enc.buf, enc.len, "again"), 0);
	assert_models_equal(&m, &back);
	model_release(&m);
	model_release(&back);
	sbuf_release(&enc);
}

static void test_encode_refuses(void **state)
{
	struct model m;
	struct sbuf enc = SBUF_INIT, err = SBUF_INIT;
	char *id = xmalloc(COVOPT_MAX_STRING + 2);
	int r;

	memset(id, 'a', COVOPT_MAX_STRING + 1);
	id[COVOPT_MAX_STRING + 1] = '\0';
	model_init(&m);
	model_add_flag(&m, "default", "", 0, 0, 0);
	model_add_test(&m, id, 0, 1, OUTCOME_PASSED, 0, NULL, 0);
	capture_begin();
	r = model_encode(&enc, &m);
	capture_end(&err);
	assert_int_equal(r, -1);
	assert_int_equal(enc.len, 0);
	assert_non_null(strstr(err.buf, "cannot encode model"));
	free(id);
	model_release(&m);

	/* ids that decode would refuse: not hex */
	build_model(&m);
	m.files[1].blob[3] = 'G';
	capture_begin();
	r = model_encode(&enc, &m);
	capture_end(&err);
	assert_int_equal(r, -1);
	assert_int_equal(enc.len, 0);
	assert_non_null(strstr(err.buf, "is not a hex id"));
	model_release(&m);

	/* flag times decode would refuse: +inf, negative (issue 13) */
	for (int k = 0; k < 2; k++) {
		build_model(&m);
		if (k == 0)
			m.flags[0].suite_time = INFINITY;
		else
			m.flags[0].overhead = -1;
		capture_begin();
		r = model_encode(&enc, &m);
		capture_end(&err);
		assert_int_equal(r, -1);
		assert_int_equal(enc.len, 0);
		assert_int_equal(count_lines(&err), 1);
		assert_non_null(strstr(err.buf, "model to encode: bad flag"));
		model_release(&m);
	}

	/* what the columns cannot hold: features out of order, bad costs */
	for (int k = 0; k < 4; k++) {
		build_model(&m);
		if (k == 0)
			m.features[3].file = 0;
		else if (k == 1)
			m.features[3].name[0] = 'A';	/* < "Greeter" */
		else
			m.tests[1].cost = k == 2 ? -1 : NAN;
		capture_begin();
		r = model_encode(&enc, &m);
		capture_end(&err);
		assert_int_equal(r, -1);
		assert_int_equal(enc.len, 0);
		assert_int_equal(count_lines(&err), 1);
		assert_non_null(strstr(err.buf, k < 2 ? "not in (file, name) "
					"order" : "bad cost of test"));
		model_release(&m);
	}
	sbuf_release(&enc);
	sbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Broken blobs                                                        */
/* ------------------------------------------------------------------ */

static void test_truncated_everywhere(void **state)
{
	struct model m;
	struct sbuf enc = SBUF_INIT;

	build_model(&m);
	assert_int_equal(model_encode(&enc, &m), 0);
	model_release(&m);
	for (size_t cut = 0; cut < enc.len; cut++) {
		/* an exact-size copy, so reading past it is caught by ASan */
		char *copy = xmalloc(cut ? cut : 1);

		memcpy(copy, enc.buf, cut);
		assert_decode_fails(copy, cut, NULL);
		free(copy);
	}
	sbuf_release(&enc);
}

/* Any one byte changed anywhere makes the note corrupt (issue 13). */
static void test_flipped_byte_everywhere(void **state)
{
	static const unsigned char masks[] = { 0x01, 0x10, 0x80, 0xff };
	struct model m;
	struct sbuf enc = SBUF_INIT;
	const char *id;

	build_model(&m);
	assert_int_equal(model_encode(&enc, &m), 0);
	model_release(&m);
	for (size_t at = 0; at < enc.len; at++)
		for (size_t k = 0; k < sizeof(masks); k++) {
			enc.buf[at] ^= (char)masks[k];
			assert_decode_fails(enc.buf, enc.len, NULL);
			enc.buf[at] ^= (char)masks[k];
		}
	/* a byte inside a test id: only the checksum can tell */
	id = memmem(enc.buf, enc.len, "test_z", 6);
	assert_non_null(id);
	enc.buf[id - enc.buf + 5] = 'y';
	assert_decode_fails(enc.buf, enc.len, "corrupt model: checksum "
			    "mismatch");
	sbuf_release(&enc);
}

/* Format 2 requires the checksum, as the last entry; format 1 may lack it. */
static void test_checksum_required(void **state)
{
	struct model m;
	struct sbuf enc = SBUF_INIT;
	char *key;

	build_model(&m);
	assert_int_equal(model_encode(&enc, &m), 0);
	model_release(&m);
	/* renamed, the entry is an unknown key: no checksum is left */
	key = memmem(enc.buf, enc.len, "\xa8" "checksum", 9);
	assert_non_null(key);
	key[1] = 'C';
	assert_decode_fails(enc.buf, enc.len, "corrupt model: no checksum");
	sbuf_release(&enc);
}

static void test_trailing_bytes(void **state)
{
	struct model m;
	struct sbuf enc = SBUF_INIT;

	build_model(&m);
	assert_int_equal(model_encode(&enc, &m), 0);
	model_release(&m);
	sbuf_addch(&enc, 0);
	assert_decode_fails(enc.buf, enc.len, "trailing");
	enc.buf[enc.len - 1] = (char)0xc0;
	assert_decode_fails(enc.buf, enc.len, "trailing");
	sbuf_release(&enc);
}

struct raw_case {
	const char *name;
	const char *bytes;
	size_t len;
	const char *needle;
};

#define RAW(name, s, needle) { name, s, sizeof(s) - 1, needle }

static void test_raw_malformed(void **state)
{
	static char bomb[64];
	static const struct raw_case cases[] = {
		RAW("empty", "", "truncated"),
		RAW("never-used byte", "\xc1", "malformed"),
		RAW("array32 of 2^32-1", "\xdd\xff\xff\xff\xff\x01\x02",
		    "too many"),
		RAW("map32 of 2^32-1", "\xdf\xff\xff\xff\xff\x01\x02",
		    "too many"),
		RAW("array16 over data", "\xdc\x10\x00\x01\x02\x03",
		    "larger than the data"),
		RAW("nested counts over data",
		    "\x92\x9f\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01",
		    "larger than the data"),
		RAW("fixmap missing value", "\x81\xa1\x61", "truncated"),
		RAW("bin32 over data", "\xc6\xff\xff\xff\xf0\x00", "truncated"),
		RAW("str32 over data", "\xdb\x00\x01\x00\x00" "abc",
		    "truncated"),
		RAW("array16 header cut", "\xdc\x00", "malformed"),
		RAW("uint64 cut", "\xcf\x00\x00\x00", "truncated"),
		RAW("ext over data", "\xc7\x05\x01\x00", "truncated"),
		RAW("not a map", "\x01", "not a git-covopt model"),
		RAW("array root", "\x90", "not a git-covopt model"),
		RAW("map without version", "\x80", "no 'covopt'"),
		RAW("version only", "\x81\xa6" "covopt" "\x01",
		    "missing key 'commit'"),
		RAW("version 3", "\x81\xa6" "covopt" "\x03",
		    "has model format 3; this git-covopt reads up to 2"),
		RAW("version 2^64-1",
		    "\x81\xa6" "covopt" "\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
		    "has model format 18446744073709551615"),
		RAW("version 0", "\x81\xa6" "covopt" "\x00", "version"),
		RAW("version -1", "\x81\xa6" "covopt" "\xff", "version"),
		RAW("version string", "\x81\xa6" "covopt" "\xa1\x31",
		    "version"),
		RAW("integer key", "\x82\xa6" "covopt" "\x01\x01\x01",
		    "not a string"),
		RAW("duplicate version",
		    "\x82\xa6" "covopt" "\x01\xa6" "covopt" "\x01",
		    "duplicate"),
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# %s\n", cases[i].name);
		assert_decode_fails(cases[i].bytes, cases[i].len,
				    cases[i].needle);
	}
	/* a depth bomb: 40 nested one-item arrays */
	for (i = 0; i < 40; i++)
		bomb[i] = (char)0x91;
	bomb[i++] = 0x00;
	assert_decode_fails(bomb, i, "nested too deeply");
	/* 8 levels are fine for the scanner (the schema then refuses) */
	assert_decode_fails(bomb + 32, 9, "not a git-covopt model");
}

/* ------------------------------------------------------------------ */
/* Hand-written documents, spoiled one way at a time                   */
/* ------------------------------------------------------------------ */

struct bytes {
	const char *p;
	size_t len;
};
#define B(s) { s, sizeof(s) - 1 }

/* Sections count from 1: 0 marks an unused replacement. */
enum { S_FILES = 1, S_FEATURES, S_TESTS };
static const char *const doc_sections[] = { NULL, "files", "features",
					    "tests" };
static const size_t doc_cols_nr[] = { 0, 3, 6, 7 };
#define COUNT (-1)	/* replace the count, not a column */

/* Columns of a small valid model: files a.py and ab.py (importing nothing
 * and a.py), features f and g of a.py, tests t::a and t::b. */
static const struct bytes doc_cols[][7] = {
	{ { NULL, 0 } },
	{	/* files: paths, blobs, imports */
		B("\x00\x04" "a.py" "\x01\x04" "b.py"),
		B("\x28\xfe\xdc\xba\x98\x76\x54\x32\x10\xfe\xdc\xba\x98\x76"
		  "\x54\x32\x10\xfe\xdc\xba\x98"
		  "\x28\x01\x23\x45\x67\x89\xab\xcd\xef\x01\x23\x45\x67\x89"
		  "\xab\xcd\xef\x01\x23\x45\x67"),
		B("\x01\x01" "\x00"),
	},
	{	/* features: counts, names, name refs, kinds, hashes, lines */
		B("\x02\x00"),
		B("\x00\x01" "f" "\x00\x01" "g"),
		B("\x00\x00"),
		B("\x02\x01"),
		B("\xff\xff\xff\xff\xff\xff\xff\xff"
		  "\x07\x00\x00\x00\x00\x00\x00\x00"),
		B("\x09\x00"),
	},
	{	/* tests: ids, flags, costs, outcomes, histories, lengths,
		 * signals */
		B("\x00\x04" "t::a" "\x03\x01" "b"),
		B("\x00\x00"),
		B("\xe0\xc6\x5b" "\x80\x89\x7a"),	/* 1.5 s, 2 s */
		B("\x01\x01"),
		B("\x03\x03"),
		B("\x02\x02"),
		B("\x0f\x10" "\x0f\x10"),
	},
};

/* One column (or count) of a section replaced. */
struct repl {
	int sec, col;
	struct bytes with;
	uint64_t count;
};

/* Ways to spoil the document that are not one column's bytes. */
enum spoil {
	SP_NONE,
	SP_UNKNOWN_KEYS,	/* extra top-level keys: must be ignored */
	SP_VERSION_3,
	SP_NO_TESTS,
	SP_DUP_FLAGS,
	SP_FLAGS_MAP,
	SP_TESTS_MAP,
	SP_TESTS_SHORT,
	SP_COLUMN_STR,
	SP_COUNT_STR,
	SP_COUNT_NEG,
	SP_TIME_NAN,
	SP_TIME_INF,
	SP_OVERHEAD_NEG,
	SP_COMMIT_NOT_HEX,
	SP_COMMIT_LONG,
	SP_FLAG_SHORT,
	SP_FLAG_NAME_BIN,
	SP_FLAG_COMMIT_UPPER,
};

static int pstr(msgpack_packer *pk, const char *s)
{
	return msgpack_pack_str_with_body(pk, s, strlen(s));
}

static int pack_doc_flags(msgpack_packer *pk, enum spoil sp)
{
	int r = pstr(pk, "flags");

	if (sp == SP_FLAGS_MAP)
		return r | msgpack_pack_map(pk, 0);
	r |= msgpack_pack_array(pk, 1);
	r |= msgpack_pack_array(pk, sp == SP_FLAG_SHORT ? 3 : 4);
	if (sp == SP_FLAG_NAME_BIN)
		r |= msgpack_pack_bin_with_body(pk, "default", 7);
	else
		r |= pstr(pk, "default");
	r |= pstr(pk, sp == SP_FLAG_COMMIT_UPPER ? "ABCDEF" : HEX_B);
	r |= msgpack_pack_double(pk, sp == SP_TIME_NAN ? NAN :
				 sp == SP_TIME_INF ? INFINITY : 3.5);
	if (sp != SP_FLAG_SHORT)
		r |= msgpack_pack_double(pk, sp == SP_OVERHEAD_NEG ? -0.5 :
					 0.5);
	return r;
}

static const struct repl *find_repl(const struct repl *r, size_t nr,
				    int sec, int col)
{
	for (size_t i = 0; i < nr; i++)
		if (r[i].sec == sec && r[i].col == col)
			return &r[i];
	return NULL;
}

static int pack_doc_count(msgpack_packer *pk, int sec, enum spoil sp,
			  const struct repl *r, size_t nr)
{
	const struct repl *c = find_repl(r, nr, sec, COUNT);

	if (sec == S_TESTS && sp == SP_COUNT_STR)
		return pstr(pk, "2");
	if (sec == S_TESTS && sp == SP_COUNT_NEG)
		return msgpack_pack_int8(pk, -1);
	return msgpack_pack_uint64(pk, c ? c->count : 2);
}

static int pack_doc_section(msgpack_packer *pk, int sec, enum spoil sp,
			    const struct repl *r, size_t nr)
{
	size_t cols = doc_cols_nr[sec];
	int r0 = pstr(pk, doc_sections[sec]);

	if (sec == S_TESTS && sp == SP_TESTS_MAP)
		return r0 | msgpack_pack_map(pk, 0);
	if (sec == S_TESTS && sp == SP_TESTS_SHORT)
		cols--;
	r0 |= msgpack_pack_array(pk, cols + 1);
	r0 |= pack_doc_count(pk, sec, sp, r, nr);
	for (size_t k = 0; k < cols; k++) {
		const struct repl *c = find_repl(r, nr, sec, (int)k);
		struct bytes b = c ? c->with : doc_cols[sec][k];

		if (sec == S_TESTS && k == 2 && sp == SP_COLUMN_STR)
			r0 |= msgpack_pack_str_with_body(pk, b.p, b.len);
		else
			r0 |= msgpack_pack_bin_with_body(pk, b.p, b.len);
	}
	return r0;
}

/* Write the small model by hand, spoiled by sp and the replacements r. */
static void pack_doc(struct sbuf *out, enum spoil sp, const struct repl *r,
		     size_t nr)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int keys = 6, ret;

	keys += sp == SP_UNKNOWN_KEYS ? 2 : 0;
	keys += sp == SP_DUP_FLAGS ? 1 : 0;
	keys -= sp == SP_NO_TESTS ? 1 : 0;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	ret = msgpack_pack_map(&pk, keys);
	if (sp == SP_UNKNOWN_KEYS) {	/* a nested value, before the version */
		ret |= pstr(&pk, "zzz-future") | msgpack_pack_map(&pk, 1);
		ret |= pstr(&pk, "x") | msgpack_pack_array(&pk, 2);
		ret |= msgpack_pack_nil(&pk) | msgpack_pack_int8(&pk, -3);
	}
	if (sp != SP_NO_TESTS)	/* tests before the version: order is free */
		ret |= pack_doc_section(&pk, S_TESTS, sp, r, nr);
	ret |= pstr(&pk, "covopt");
	ret |= msgpack_pack_uint8(&pk, sp == SP_VERSION_3 ? 3 : 1);
	ret |= pstr(&pk, "commit");
	ret |= pstr(&pk, sp == SP_COMMIT_NOT_HEX ? "xyz" :
		    sp == SP_COMMIT_LONG ? HEX_A "0" : HEX_A);
	ret |= pack_doc_flags(&pk, sp);
	if (sp == SP_DUP_FLAGS)
		ret |= pack_doc_flags(&pk, sp);
	ret |= pack_doc_section(&pk, S_FILES, sp, r, nr);
	ret |= pack_doc_section(&pk, S_FEATURES, sp, r, nr);
	if (sp == SP_UNKNOWN_KEYS)
		ret |= pstr(&pk, "later") | msgpack_pack_float(&pk, 1.0f);
	assert_int_equal(ret, 0);
	sbuf_reset(out);
	sbuf_add(out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

struct spoil_case {
	enum spoil sp;
	const char *needle;	/* NULL: must decode */
};

static void test_spoiled_documents(void **state)
{
	static const struct spoil_case cases[] = {
		{ SP_VERSION_3, "has model format 3; this git-covopt reads "
				"up to 2 — upgrade git-covopt" },
		{ SP_NO_TESTS, "missing key 'tests'" },
		{ SP_DUP_FLAGS, "duplicate key 'flags'" },
		{ SP_FLAGS_MAP, "'flags' is not an array" },
		{ SP_TESTS_MAP, "'tests' is not an array of 8 items" },
		{ SP_TESTS_SHORT, "'tests' is not an array of 8 items" },
		{ SP_COLUMN_STR, "'tests' column 'costs': not a bin" },
		{ SP_COUNT_STR, "bad 'tests' count" },
		{ SP_COUNT_NEG, "bad 'tests' count" },
		{ SP_TIME_NAN, "bad flag 'default': a time is negative or "
			       "not finite" },
		{ SP_TIME_INF, "bad flag 'default': a time is negative or "
			       "not finite" },
		{ SP_OVERHEAD_NEG, "bad flag 'default': a time is negative "
				   "or not finite" },
		{ SP_COMMIT_NOT_HEX, "'commit' is not a hex id" },
		{ SP_COMMIT_LONG, "'commit' is not a hex id" },
		{ SP_FLAG_SHORT, "flag #0: not a 4- or 5-item array" },
		{ SP_FLAG_NAME_BIN, "flag #0: bad name" },
		{ SP_FLAG_COMMIT_UPPER, "flag #0: bad commit" },
	};
	struct sbuf doc = SBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# spoil %d\n", cases[i].sp);
		pack_doc(&doc, cases[i].sp, NULL, 0);
		assert_decode_fails(doc.buf, doc.len, cases[i].needle);
	}
	sbuf_release(&doc);
}

struct column_case {
	const char *name;
	struct repl r[2];
	const char *needle;	/* NULL: must decode */
};

enum { PATHS, BLOBS, IMPORTS };
enum { COUNTS, NAMES, REFS, KINDS, HASHES, LINES };
enum { IDS, FLAGS, COSTS, OUTCOMES, HISTORIES, LENGTHS, SIGNALS };
#define F(col, s) { S_FILES, col, B(s), 0 }
#define FE(col, s) { S_FEATURES, col, B(s), 0 }
#define T(col, s) { S_TESTS, col, B(s), 0 }
#define N(sec, n) { sec, COUNT, { NULL, 0 }, n }
#define BIG32 "\x80\x80\x80\x80\x10"	/* 2^32 */

static const struct column_case column_cases[] = {
	/* files */
	{ "duplicate paths", { F(PATHS, "\x00\x04" "a.py" "\x04\x00") },
	  "files not sorted" },
	{ "unsorted paths", { F(PATHS, "\x00\x04" "z.py" "\x00\x05" "ab.py") },
	  "files not sorted" },
	{ "prefix longer than the previous string",
	  { F(PATHS, "\x00\x04" "a.py" "\x05\x01" "x") },
	  "'files' column 'paths': bad string" },
	{ "suffix over the column",
	  { F(PATHS, "\x00\x04" "a.py" "\x01\x7f" "b") },
	  "'files' column 'paths': bad string" },
	{ "a path missing", { F(PATHS, "\x00\x04" "a.py") }, "bad string" },
	{ "NUL in a path", { F(PATHS, "\x00\x04" "a\0py" "\x01\x04" "b.py") },
	  "file #0: bad path" },
	{ "path bytes left over",
	  { F(PATHS, "\x00\x04" "a.py" "\x01\x04" "b.py" "\x00") },
	  "'files' column 'paths': trailing bytes" },
	{ "overlong varint",
	  { F(PATHS, "\x80\x00\x04" "a.py" "\x01\x04" "b.py") },
	  "'files' column 'paths': bad string" },
	{ "path over COVOPT_MAX_STRING",
	  { F(PATHS, "\x00\x81\x80\x04" "a.py" "\x01\x04" "b.py") },
	  "'files' column 'paths': bad string" },
	{ "empty blob ids", { F(BLOBS, "\x00\x00") }, NULL },
	{ "odd blob id", { F(BLOBS, "\x03\xab\xc0" "\x00") }, NULL },
	{ "odd blob id padded with 1", { F(BLOBS, "\x03\xab\xc1" "\x00") },
	  "file #0: bad blob id" },
	{ "blob id of 41 digits", { F(BLOBS, "\x29\x00") },
	  "file #0: bad blob id" },
	{ "blob id cut", { F(BLOBS, "\x00\x28\x01") }, "file #1: bad blob id" },
	{ "blob bytes left over", { F(BLOBS, "\x00\x00\x00") },
	  "'files' column 'blobs': trailing bytes" },
	{ "import out of range", { F(IMPORTS, "\x01\x02" "\x00") },
	  "bad import index" },
	{ "import count over the data", { F(IMPORTS, "\x05\x01" "\x00") },
	  "file #0: bad imports" },
	{ "import count over COVOPT_MAX_ITEMS",
	  { F(IMPORTS, "\x81\x80\x80\x08" "\x00") }, "file #0: bad imports" },
	{ "import over 32 bits", { F(IMPORTS, "\x01" BIG32 "\x00") },
	  "file #0: bad imports" },
	{ "varint over 64 bits",
	  { F(IMPORTS, "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02" "\x00") },
	  "file #0: bad imports" },
	{ "varint of 11 bytes",
	  { F(IMPORTS, "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
		       "\x00") }, "file #0: bad imports" },
	{ "imports left over", { F(IMPORTS, "\x01\x01" "\x00" "\x00") },
	  "'files' column 'imports': trailing bytes" },
	{ "files count 3", { N(S_FILES, 3) }, "bad string" },
	{ "files count over the data", { N(S_FILES, 1000) },
	  "item count larger than the data" },
	/* features */
	{ "counts short", { FE(COUNTS, "\x02") },
	  "file #1: bad feature count" },
	{ "counts over the features", { FE(COUNTS, "\x03\x00") },
	  "file #0: bad feature count" },
	{ "counts under the features", { FE(COUNTS, "\x01\x00") },
	  "counts do not add up" },
	{ "counts left over", { FE(COUNTS, "\x02\x00\x00") },
	  "'features' column 'counts': trailing bytes" },
	{ "a feature in each file", { FE(COUNTS, "\x01\x01") }, NULL },
	{ "a name shared by two files",
	  { FE(COUNTS, "\x01\x01"), FE(NAMES, "\x00\x01" "f") }, NULL },
	{ "one name for two features of a file", { FE(NAMES, "\x00\x01" "f") },
	  "feature #1: bad name reference" },
	{ "unsorted names", { FE(NAMES, "\x00\x01" "g" "\x00\x01" "f") },
	  "features not sorted" },
	{ "more names than features",
	  { FE(NAMES, "\x00\x01" "f" "\x00\x01" "g" "\x00\x01" "h") },
	  "too many strings" },
	{ "NUL in a name", { FE(NAMES, "\x00\x01" "\0" "\x00\x01" "g") },
	  "NUL in a name" },
	{ "name ref out of range", { FE(REFS, "\x00\x01") },
	  "feature #1: bad name reference" },
	{ "first name ref out of range", { FE(REFS, "\x02\x00") },
	  "feature #0: bad name reference" },
	{ "name refs short", { FE(REFS, "\x00") },
	  "item count larger than the data" },
	{ "name refs left over", { FE(REFS, "\x00\x00\x00") },
	  "'features' column 'name refs': trailing bytes" },
	{ "kind out of range", { FE(KINDS, "\x04\x01") },
	  "feature #0: bad kind" },
	{ "kinds short", { FE(KINDS, "\x02") },
	  "'features' column 'kinds': wrong size" },
	{ "hashes short",
	  { FE(HASHES, "\xff\xff\xff\xff\xff\xff\xff\xff\x07") },
	  "'features' column 'hashes': wrong size" },
	{ "lines over 32 bits", { FE(LINES, BIG32 "\x00") },
	  "feature #0: bad line count" },
	{ "lines cut", { FE(LINES, "\x09") }, "feature #1: bad line count" },
	{ "lines overlong", { FE(LINES, "\x89\x00\x00") },
	  "feature #0: bad line count" },
	{ "lines left over", { FE(LINES, "\x09\x00\x00") },
	  "'features' column 'lines': trailing bytes" },
	{ "features count 2^24", { N(S_FEATURES, 1 << 24) },
	  "item count larger than the data" },
	{ "features count over COVOPT_MAX_ITEMS",
	  { N(S_FEATURES, (1 << 24) + 1) }, "bad 'features' count" },
	/* tests */
	{ "unsorted ids", { T(IDS, "\x00\x04" "t::c" "\x03\x01" "b") },
	  "tests not sorted" },
	{ "duplicate ids", { T(IDS, "\x00\x04" "t::b" "\x04\x00") },
	  "tests not sorted" },
	{ "NUL in an id", { T(IDS, "\x00\x03" "t\0x" "\x00\x04" "t::b") },
	  "test #0: bad id" },
	{ "id over COVOPT_MAX_STRING", { T(IDS, "\x00\x81\x80\x04" "t") },
	  "'tests' column 'ids': bad string" },
	{ "flag out of range", { T(FLAGS, "\x01\x00") }, "bad test 't::a'" },
	{ "flag over 32 bits", { T(FLAGS, BIG32 "\x00") },
	  "test #0: bad flag index" },
	{ "flags left over", { T(FLAGS, "\x00\x00\x00") },
	  "'tests' column 'flags': trailing bytes" },
	{ "cost of 1e9 s", { T(COSTS, "\x80\x80\x9a\xa6\xea\xaf\xe3\x01"
				      "\x00") }, NULL },
	{ "cost over 1e9 s", { T(COSTS, "\x81\x80\x9a\xa6\xea\xaf\xe3\x01"
					"\x00") }, "test #0: bad cost" },
	{ "costs cut", { T(COSTS, "\xe0\xc6") }, "test #0: bad cost" },
	{ "costs left over", { T(COSTS, "\x00\x00\x00") },
	  "'tests' column 'costs': trailing bytes" },
	{ "outcome out of range", { T(OUTCOMES, "\x05\x01") },
	  "test #0: bad outcome" },
	{ "outcomes long", { T(OUTCOMES, "\x01\x01\x01") },
	  "'tests' column 'outcomes': wrong size" },
	{ "history over 32 bits", { T(HISTORIES, BIG32 "\x00") },
	  "test #0: bad history" },
	{ "signal lengths over the signals", { T(LENGTHS, "\x02\x03") },
	  "test #1: bad signal length" },
	{ "signal lengths under the signals", { T(LENGTHS, "\x02\x01") },
	  "'tests' column 'signals': lengths do not add up" },
	{ "huge signal length", { T(LENGTHS, "\xff\xff\xff\xff\x0f\x02") },
	  "test #0: bad signal length" },
	{ "signal lengths left over", { T(LENGTHS, "\x02\x02\x00") },
	  "'tests' column 'lengths': trailing bytes" },
	{ "no signals", { T(LENGTHS, "\x00\x00"), T(SIGNALS, "") }, NULL },
	{ "signal zero delta", { T(SIGNALS, "\x0f\x0f" "\x0f\x10") },
	  "bad signal of test 't::a'" },
	{ "signal feature out of range", { T(SIGNALS, "\x0f\x2f" "\x0f\x10") },
	  "bad signal of test 't::a'" },
	{ "signal cut", { T(SIGNALS, "\x0f\x80" "\x0f\x10") },
	  "bad signal of test 't::a'" },
	{ "signal varint overlong",
	  { T(LENGTHS, "\x07\x02"),
	    T(SIGNALS, "\x80\x80\x80\x80\x80\x80\x01" "\x0f\x10") },
	  "bad signal of test 't::a'" },
	{ "tests count 1", { N(S_TESTS, 1) },
	  "'tests' column 'outcomes': wrong size" },
	{ "tests count 2^64-1", { N(S_TESTS, UINT64_MAX) },
	  "bad 'tests' count" },
};

static void test_spoiled_columns(void **state)
{
	struct sbuf doc = SBUF_INIT;
	struct model m;

	model_init(&m);
	for (size_t i = 0; i < sizeof(column_cases) / sizeof(column_cases[0]);
	     i++) {
		const struct column_case *c = &column_cases[i];

		print_message("# %s\n", c->name);
		pack_doc(&doc, SP_NONE, c->r, 2);
		if (c->needle) {
			assert_decode_fails(doc.buf, doc.len, c->needle);
			continue;
		}
		if (model_decode(&m, doc.buf, doc.len, "doc"))
			fail_msg("'%s' does not decode", c->name);
		assert_int_equal(m.tests_nr, 2);
		model_release(&m);
	}
	sbuf_release(&doc);
}

/* Front coding cannot turn a small note into a huge allocation. */
static void test_string_bomb(void **state)
{
	size_t n = 1200, max = COVOPT_MAX_STRING;
	struct sbuf paths = SBUF_INIT, doc = SBUF_INIT;
	char *zeros = xcalloc(n, 1);
	struct repl r[4] = {
		N(S_FILES, n),
		{ S_FILES, PATHS, { NULL, 0 }, 0 },
		{ S_FILES, BLOBS, { zeros, n }, 0 },
		{ S_FILES, IMPORTS, { zeros, n }, 0 },
	};

	/* one string of 64 KiB, then n - 1 copies of it: 4 bytes each */
	sbuf_add(&paths, "\x00\x80\x80\x04", 4);
	for (size_t i = 0; i < max; i++)
		sbuf_addch(&paths, 'a');
	for (size_t i = 1; i < n; i++)
		sbuf_add(&paths, "\x80\x80\x04\x00", 4);
	r[1].with.p = paths.buf;
	r[1].with.len = paths.len;
	pack_doc(&doc, SP_NONE, r, 4);
	assert_decode_fails(doc.buf, doc.len,
			    "'files' column 'paths': strings too large (over "
			    "64 times the column)");
	/* below the bound the same column is checked further on */
	n = 60;
	r[0].count = n;
	r[1].with.len = max + 4 + 4 * (n - 1);
	r[2].with.len = r[3].with.len = n;
	pack_doc(&doc, SP_NONE, r, 4);
	assert_decode_fails(doc.buf, doc.len, "file #2: bad feature count");
	free(zeros);
	sbuf_release(&paths);
	sbuf_release(&doc);
}

/* Strings at 41 times their column, 256 MiB at most in all (issue 13). */
static void test_strings_absolute_cap(void **state)
{
	size_t groups = 110, copies = 40, n = groups * (copies + 1);
	struct sbuf paths = SBUF_INIT, doc = SBUF_INIT;
	char *zeros = xcalloc(n, 1);
	struct repl r[4] = {
		N(S_FILES, n),
		{ S_FILES, PATHS, { NULL, 0 }, 0 },
		{ S_FILES, BLOBS, { zeros, n }, 0 },
		{ S_FILES, IMPORTS, { zeros, n }, 0 },
	};

	/* per group: a string of 64 KiB written out, then copies of it */
	for (size_t g = 0; g < groups; g++) {
		sbuf_add(&paths, "\x00\x80\x80\x04", 4);
		for (size_t i = 0; i < COVOPT_MAX_STRING; i++)
			sbuf_addch(&paths, 'a');
		for (size_t i = 0; i < copies; i++)
			sbuf_add(&paths, "\x80\x80\x04\x00", 4);
	}
	r[1].with.p = paths.buf;
	r[1].with.len = paths.len;
	pack_doc(&doc, SP_NONE, r, 4);
	assert_decode_fails(doc.buf, doc.len,
			    "bad model: strings too large (over 256 MiB in all)");
	free(zeros);
	sbuf_release(&paths);
	sbuf_release(&doc);
}

static void test_valid_documents(void **state)
{
	static const enum spoil ok[] = { SP_NONE, SP_UNKNOWN_KEYS };
	struct sbuf doc = SBUF_INIT;
	struct model m;

	model_init(&m);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		pack_doc(&doc, ok[i], NULL, 0);
		assert_int_equal(model_decode(&m, doc.buf, doc.len, "doc"), 0);
		assert_string_equal(m.commit, HEX_A);
		assert_int_equal(m.files_nr, 2);
		assert_string_equal(m.files[0].path, "a.py");
		assert_string_equal(m.files[1].path, "ab.py");
		assert_string_equal(m.files[0].blob, HEX_C);
		assert_string_equal(m.files[1].blob, HEX_A);
		assert_int_equal(m.files[0].imports_nr, 1);
		assert_int_equal(m.files[0].imports[0], 1);
		assert_null(m.files[1].imports);
		assert_int_equal(m.features_nr, 2);
		assert_int_equal(m.features[1].file, 0);
		assert_string_equal(m.features[0].name, "f");
		assert_string_equal(m.features[1].name, "g");
		assert_int_equal(m.features[0].kind, FEATURE_FUNCTION);
		assert_true(m.features[0].hash == UINT64_MAX);
		assert_true(m.features[1].hash == 7);
		assert_int_equal(m.features[0].lines, 9);
		assert_int_equal(m.tests_nr, 2);
		assert_string_equal(m.tests[0].id, "t::a");
		assert_string_equal(m.tests[1].id, "t::b");
		assert_true(m.tests[0].cost == 1.5);
		assert_true(m.tests[1].cost == 2.0);
		assert_int_equal(m.tests[0].outcome, OUTCOME_FAILED);
		assert_int_equal(m.tests[0].history, 3);
		assert_int_equal(m.tests[1].signals_len, 2);
		assert_memory_equal(m.tests[1].signals, "\x0f\x10", 2);
		assert_true(m.flags[0].suite_time == 3.5);
		assert_true(m.flags[0].recorded_at == 0);	/* 4-item form */
		model_release(&m);
	}
	sbuf_release(&doc);
}

/* The small document with a root key "import_time" added: the column, a
 * str instead of a bin when as_str, the key twice when twice. */
static void pack_import_time_doc(struct sbuf *out, const char *col,
				 size_t len, int as_str, int twice)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	pack_doc(out, SP_NONE, NULL, 0);
	assert_int_equal((unsigned char)out->buf[0], 0x86);	/* fixmap 6 */
	out->buf[0] = (char)(0x87 + !!twice);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	for (int i = 0; i <= !!twice; i++) {
		assert_int_equal(pstr(&pk, "import_time"), 0);
		assert_int_equal(as_str ?
				 msgpack_pack_str_with_body(&pk, col, len) :
				 msgpack_pack_bin_with_body(&pk, col, len), 0);
	}
	sbuf_add(out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

/* Which features ran at import time: a root key older notes lack. */
static void test_import_time(void **state)
{
	static const struct {
		const char *name;
		struct bytes col;
		int as_str, twice;
		const char *needle;	/* NULL: decodes to flags */
		int flags[2];
	} cases[] = {
		{ "none", B(""), 0, 0, NULL, { 0, 0 } },
		{ "both", B("\x00\x00"), 0, 0, NULL, { 1, 1 } },
		{ "the second", B("\x01"), 0, 0, NULL, { 0, 1 } },
		{ "index past the features", B("\x02"), 0, 0,
		  "'import_time': bad feature index", { 0, 0 } },
		{ "one more than the features", B("\x00\x00\x00"), 0, 0,
		  "'import_time': bad feature index", { 0, 0 } },
		{ "varint cut", B("\x80"), 0, 0,
		  "'import_time': bad feature index", { 0, 0 } },
		{ "varint overlong", B("\x81\x00"), 0, 0,
		  "'import_time': bad feature index", { 0, 0 } },
		{ "a str", B("\x00"), 1, 0, "'import_time' is not a bin",
		  { 0, 0 } },
		{ "twice", B("\x00"), 0, 1,
		  "duplicate key 'import_time'", { 0, 0 } },
	};
	struct sbuf doc = SBUF_INIT;
	struct model m;

	model_init(&m);
	/* a note written before the column: nothing ran at import time */
	pack_doc(&doc, SP_NONE, NULL, 0);
	assert_int_equal(model_decode(&m, doc.buf, doc.len, "doc"), 0);
	assert_int_equal(m.features[0].import_time + m.features[1].import_time,
			 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# %s\n", cases[i].name);
		pack_import_time_doc(&doc, cases[i].col.p, cases[i].col.len,
				     cases[i].as_str, cases[i].twice);
		if (cases[i].needle) {
			assert_decode_fails(doc.buf, doc.len, cases[i].needle);
			continue;
		}
		assert_int_equal(model_decode(&m, doc.buf, doc.len, "doc"), 0);
		assert_int_equal(m.features[0].import_time, cases[i].flags[0]);
		assert_int_equal(m.features[1].import_time, cases[i].flags[1]);
	}
	model_release(&m);
	sbuf_release(&doc);
}

static void test_too_large(void **state)
{
	struct model m;
	struct sbuf err = SBUF_INIT;
	static const char one = 0;
	int r;

	model_init(&m);
	capture_begin();
	/* the size is refused before a single byte is read */
	r = model_decode(&m, &one, COVOPT_MAX_NOTE_SIZE + 1, "big");
	capture_end(&err);
	assert_int_equal(r, -1);
	assert_non_null(strstr(err.buf, "big: model too large"));
	sbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Notes store, in a scratch repository                                */
/* ------------------------------------------------------------------ */

struct scratch {
	char dir[64];
	git_repository *repo;
};

static int scratch_setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));

	memcpy(s->dir, "/tmp/covopt-notes-XXXXXX", 25);
	if (!mkdtemp(s->dir) ||
	    git_repository_init(&s->repo, s->dir, 1) < 0)
		return -1;
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	struct sbuf cmd = SBUF_INIT;
	int r;

	git_repository_free(s->repo);
	sbuf_addf(&cmd, "rm -rf '%s'", s->dir);
	r = system(cmd.buf);
	sbuf_release(&cmd);
	free(s);
	return r ? -1 : 0;
}

/* An arbitrary object id for "commit" number i. */
static void fake_oid(git_oid *id, unsigned i)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "commit %u", i);
	assert_int_equal(git_odb_hash(id, sb.buf, sb.len, GIT_OBJECT_BLOB), 0);
	sbuf_release(&sb);
}

struct update_ctx {
	const char *append;
	int calls;
	int saw_exists[4];
	struct sbuf saw[4];
	/* for the race test: another writer moves the ref during call 1 */
	git_repository *repo;
	const char *ref;
	const git_oid *commit;
};

#define SAW_INIT .saw = { SBUF_INIT, SBUF_INIT, SBUF_INIT, SBUF_INIT }

static int append_fn(struct sbuf *note, int exists, void *payload)
{
	struct update_ctx *c = payload;

	if (c->calls < 4) {
		c->saw_exists[c->calls] = exists;
		sbuf_add(&c->saw[c->calls], note->buf, note->len);
	}
	c->calls++;
	if (!strcmp(c->append, "fail"))
		return error("callback refused");
	sbuf_add(note, c->append, strlen(c->append) + 1);	/* with NUL */
	return 0;
}

static void ctx_release(struct update_ctx *c)
{
	for (size_t i = 0; i < 4; i++)
		sbuf_release(&c->saw[i]);
}

static int read_note(struct sbuf *out, git_repository *repo, const char *ref,
		     const git_oid *commit)
{
	return notes_store_read(out, repo, ref, commit);
}

static void test_notes_ref_name(void **state)
{
	struct scratch *s = *state;
	struct covopt_config yml;
	git_config *cfg = NULL;
	struct sbuf err = SBUF_INIT;
	char *n;

	unsetenv("COVOPT_NOTES_REF");
	n = repo_notes_ref(s->repo, NULL, NULL);
	assert_string_equal(n, "refs/notes/covopt");
	free(n);
	n = repo_notes_ref(s->repo, "foo", NULL);
	assert_string_equal(n, "refs/notes/foo");
	free(n);
	n = repo_notes_ref(s->repo, "notes/foo", NULL);
	assert_string_equal(n, "refs/notes/foo");
	free(n);
	n = repo_notes_ref(s->repo, "refs/notes/x/y", NULL);
	assert_string_equal(n, "refs/notes/x/y");
	free(n);
	assert_int_equal(git_repository_config(&cfg, s->repo), 0);
	assert_int_equal(git_config_set_string(cfg, "covopt.notesRef", "cfg"),
			 0);
	n = repo_notes_ref(s->repo, NULL, NULL);
	assert_string_equal(n, "refs/notes/cfg");
	free(n);
	setenv("COVOPT_NOTES_REF", "env", 1);
	n = repo_notes_ref(s->repo, NULL, NULL);
	assert_string_equal(n, "refs/notes/env");
	free(n);
	n = repo_notes_ref(s->repo, "opt", NULL);
	assert_string_equal(n, "refs/notes/opt");
	free(n);
	unsetenv("COVOPT_NOTES_REF");
	assert_int_equal(git_config_delete_entry(cfg, "covopt.notesRef"), 0);
	git_config_free(cfg);
	config_init(&yml);
	yml.notes_ref = xstrdup("notes/yml");
	n = repo_notes_ref(s->repo, NULL, &yml);
	assert_string_equal(n, "refs/notes/yml");
	free(n);
	n = repo_notes_ref(s->repo, "opt", &yml);
	assert_string_equal(n, "refs/notes/opt");
	free(n);
	config_release(&yml);
	capture_begin();
	n = repo_notes_ref(s->repo, "bad..name", NULL);
	capture_end(&err);
	assert_null(n);
	assert_non_null(strstr(err.buf, "'refs/notes/bad..name'"));
	sbuf_release(&err);
}

static void test_notes_write_read_update(void **state)
{
	struct scratch *s = *state;
	const char *ref = "refs/notes/covopt";
	struct update_ctx c = { .append = "first\0", SAW_INIT };
	struct sbuf note = SBUF_INIT, err = SBUF_INIT;
	git_oid commit, other, tip1, tip2, blob;
	git_commit *nc = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	char hex[GIT_OID_HEXSZ + 1];

	fake_oid(&commit, 1);
	fake_oid(&other, 2);
	git_oid_tostr(hex, sizeof(hex), &commit);
	assert_int_equal(read_note(&note, s->repo, ref, &commit), 0);
	assert_int_equal(notes_store_update(s->repo, ref, &commit, append_fn,
					    &c, "covopt: record"), 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.saw_exists[0], 0);
	assert_int_equal(read_note(&note, s->repo, ref, &commit), 1);
	assert_int_equal(note.len, 6);
	assert_memory_equal(note.buf, "first", 6);
	assert_int_equal(read_note(&note, s->repo, ref, &other), 0);
	assert_int_equal(note.len, 0);
	assert_int_equal(git_reference_name_to_id(&tip1, s->repo, ref), 0);

	/* an update sees the current note; the notes commit has a parent */
	c.append = "second";
	assert_int_equal(notes_store_update(s->repo, ref, &commit, append_fn,
					    &c, "covopt: again\nmore"), 0);
	assert_int_equal(c.calls, 2);
	assert_int_equal(c.saw_exists[1], 1);
	assert_int_equal(c.saw[1].len, 6);
	assert_int_equal(read_note(&note, s->repo, ref, &commit), 1);
	assert_int_equal(note.len, 13);
	assert_memory_equal(note.buf, "first\0second", 13);
	assert_int_equal(git_reference_name_to_id(&tip2, s->repo, ref), 0);
	assert_int_equal(git_commit_lookup(&nc, s->repo, &tip2), 0);
	assert_int_equal(git_commit_parentcount(nc), 1);
	assert_true(git_oid_equal(git_commit_parent_id(nc, 0), &tip1));
	assert_string_equal(git_commit_message(nc), "covopt: again\nmore\n");
	assert_string_equal(git_commit_committer(nc)->email,
			    "git-covopt@localhost");
	/* stored flat, as a regular blob */
	assert_int_equal(git_commit_tree(&tree, nc), 0);
	assert_int_equal(git_tree_entrycount(tree), 1);
	assert_int_equal(git_tree_entry_bypath(&e, tree, hex), 0);
	assert_int_equal(git_tree_entry_filemode(e), GIT_FILEMODE_BLOB);
	assert_int_equal(git_blob_create_from_buffer(&blob, s->repo,
						     "first\0second", 13), 0);
	assert_true(git_oid_equal(&blob, git_tree_entry_id(e)));

	/* a refusing callback writes nothing */
	c.append = "fail";
	capture_begin();
	assert_int_equal(notes_store_update(s->repo, ref, &other, append_fn,
					    &c, "covopt: no"), -1);
	capture_end(&err);
	assert_non_null(strstr(err.buf, "callback refused"));
	assert_int_equal(git_reference_name_to_id(&tip1, s->repo, ref), 0);
	assert_true(git_oid_equal(&tip1, &tip2));

	/* the committer from the environment, as git takes it */
	setenv("GIT_COMMITTER_NAME", "Env Name", 1);
	setenv("GIT_COMMITTER_EMAIL", "env@example.com", 1);
	c.append = "third";
	assert_int_equal(notes_store_update(s->repo, ref, &other, append_fn,
					    &c, "covopt: env"), 0);
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	git_commit_free(nc);
	assert_int_equal(git_reference_name_to_id(&tip1, s->repo, ref), 0);
	assert_int_equal(git_commit_lookup(&nc, s->repo, &tip1), 0);
	assert_string_equal(git_commit_committer(nc)->name, "Env Name");
	assert_int_equal(read_note(&note, s->repo, ref, &commit), 1);
	assert_int_equal(note.len, 13);

	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(nc);
	ctx_release(&c);
	sbuf_release(&note);
	sbuf_release(&err);
}

/* During its first call, another writer adds a note to the same commit. */
static int racing_fn(struct sbuf *note, int exists, void *payload)
{
	struct update_ctx *c = payload;

	if (!c->calls) {
		struct update_ctx other = { .append = "other", SAW_INIT };

		assert_int_equal(notes_store_update(c->repo, c->ref, c->commit,
						    append_fn, &other,
						    "other writer"), 0);
		ctx_release(&other);
	}
	return append_fn(note, exists, payload);
}

static void test_notes_race(void **state)
{
	struct scratch *s = *state;
	git_oid commit;
	struct sbuf note = SBUF_INIT;
	struct update_ctx c = { .append = "mine", SAW_INIT, .repo = s->repo,
				.ref = "refs/notes/race", .commit = &commit };

	fake_oid(&commit, 7);
	assert_int_equal(notes_store_update(s->repo, c.ref, &commit,
					    racing_fn, &c, "mine"), 0);
	/* lost the first round (ref created meanwhile), then saw the winner */
	assert_int_equal(c.calls, 2);
	assert_int_equal(c.saw_exists[0], 0);
	assert_int_equal(c.saw_exists[1], 1);
	assert_int_equal(read_note(&note, s->repo, c.ref, &commit), 1);
	assert_int_equal(note.len, 11);
	assert_memory_equal(note.buf, "other\0mine", 11);

	/* again, now the ref exists: compare-and-swap on an existing ref */
	c.calls = 0;
	for (size_t i = 0; i < 4; i++)
		sbuf_reset(&c.saw[i]);
	assert_int_equal(notes_store_update(s->repo, c.ref, &commit,
					    racing_fn, &c, "mine"), 0);
	assert_int_equal(c.calls, 2);
	assert_int_equal(c.saw[0].len, 11);
	assert_int_equal(c.saw[1].len, 17);
	assert_int_equal(read_note(&note, s->repo, c.ref, &commit), 1);
	assert_int_equal(note.len, 22);
	assert_memory_equal(note.buf, "other\0mine\0other\0mine", 22);
	ctx_release(&c);
	sbuf_release(&note);
}

/* Write a tree with notes for fake commits 0..n-1 fanned out "ab/cd/...",
 * plus one flat note for commit flat; blob i holds "note i". */
static void write_fanned_tree(git_oid *out, git_repository *repo, unsigned n,
			      unsigned flat)
{
	git_index *idx = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	struct sbuf path = SBUF_INIT, body = SBUF_INIT;

	/* an in-memory index builds nested trees from paths */
	assert_int_equal(git_index_new(&idx), 0);
	for (unsigned i = 0; i < n + 1; i++) {
		git_index_entry e;
		git_oid id;
		unsigned which = i < n ? i : flat;

		fake_oid(&id, which);
		git_oid_tostr(hex, sizeof(hex), &id);
		sbuf_reset(&path);
		sbuf_reset(&body);
		sbuf_addf(&body, "note %u", which);
		if (i < n)
			sbuf_addf(&path, "%.2s/%.2s/%s", hex, hex + 2,
				  hex + 4);
		else
			sbuf_addstr(&path, hex);
		memset(&e, 0, sizeof(e));
		e.mode = GIT_FILEMODE_BLOB;
		e.path = path.buf;
		assert_int_equal(git_blob_create_from_buffer(&e.id, repo,
							     body.buf,
							     body.len), 0);
		assert_int_equal(git_index_add(idx, &e), 0);
	}
	assert_int_equal(git_index_write_tree_to(out, idx, repo), 0);
	git_index_free(idx);
	sbuf_release(&path);
	sbuf_release(&body);
}

static void set_notes_ref(git_repository *repo, const char *ref,
			  const git_oid *tree_id)
{
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_reference *r = NULL;
	git_oid id;

	assert_int_equal(git_tree_lookup(&tree, repo, tree_id), 0);
	assert_int_equal(git_signature_now(&sig, "t", "t@t"), 0);
	assert_int_equal(git_commit_create(&id, repo, NULL, sig, sig, NULL,
					   "fanned\n", tree, 0, NULL), 0);
	assert_int_equal(git_reference_create(&r, repo, ref, &id, 1, NULL), 0);
	git_reference_free(r);
	git_signature_free(sig);
	git_tree_free(tree);
}

static int count_fn(const git_oid *commit, const git_oid *blob,
		    void *payload)
{
	unsigned *counts = payload;
	git_oid id;

	/* commits are fake_oid(0..399); count each one seen */
	for (unsigned i = 0; i < 400; i++) {
		fake_oid(&id, i);
		if (git_oid_equal(&id, commit)) {
			counts[i]++;
			return 0;
		}
	}
	counts[400]++;
	return 0;
}

static int stop_fn(const git_oid *commit, const git_oid *blob, void *payload)
{
	return ++*(int *)payload == 3 ? 42 : 0;
}

static void test_notes_fanout(void **state)
{
	struct scratch *s = *state;
	const char *ref = "refs/notes/fan";
	unsigned *counts = xcalloc(401, sizeof(unsigned));
	struct update_ctx c = { .append = "new", SAW_INIT };
	struct sbuf note = SBUF_INIT;
	git_oid tree_id, id, tip;
	git_commit *nc = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	struct sbuf path = SBUF_INIT;
	int stop = 0;

	write_fanned_tree(&tree_id, s->repo, 300, 350);
	set_notes_ref(s->repo, ref, &tree_id);
	for (unsigned i = 0; i < 300; i += 37) {
		fake_oid(&id, i);
		assert_int_equal(read_note(&note, s->repo, ref, &id), 1);
		sbuf_addch(&note, '\0');
		assert_int_equal(atoi(note.buf + 5), (int)i);
	}
	fake_oid(&id, 350);
	assert_int_equal(read_note(&note, s->repo, ref, &id), 1);
	assert_string_equal(note.buf, "note 350");
	fake_oid(&id, 399);
	assert_int_equal(read_note(&note, s->repo, ref, &id), 0);

	assert_int_equal(notes_store_foreach(s->repo, ref, count_fn, counts),
			 0);
	for (unsigned i = 0; i < 300; i++)
		assert_int_equal(counts[i], 1);
	assert_int_equal(counts[350], 1);
	assert_int_equal(counts[400], 0);
	assert_int_equal(notes_store_foreach(s->repo, ref, stop_fn, &stop),
			 42);
	assert_int_equal(stop, 3);

	/* a new note follows the two-level fan-out */
	fake_oid(&id, 399);
	assert_int_equal(notes_store_update(s->repo, ref, &id, append_fn, &c,
					    "add"), 0);
	assert_int_equal(git_reference_name_to_id(&tip, s->repo, ref), 0);
	assert_int_equal(git_commit_lookup(&nc, s->repo, &tip), 0);
	assert_int_equal(git_commit_tree(&tree, nc), 0);
	git_oid_tostr(hex, sizeof(hex), &id);
	sbuf_addf(&path, "%.2s/%.2s/%s", hex, hex + 2, hex + 4);
	assert_int_equal(git_tree_entry_bypath(&e, tree, path.buf), 0);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(nc);

	/* the flat note of 350 moves into the fan-out, not duplicated */
	fake_oid(&id, 350);
	assert_int_equal(notes_store_update(s->repo, ref, &id, append_fn, &c,
					    "update"), 0);
	assert_int_equal(c.saw_exists[1], 1);
	assert_string_equal(c.saw[1].buf, "note 350");
	assert_int_equal(read_note(&note, s->repo, ref, &id), 1);
	assert_int_equal(note.len, 12);
	assert_memory_equal(note.buf, "note 350new", 12);
	memset(counts, 0, 401 * sizeof(unsigned));
	assert_int_equal(notes_store_foreach(s->repo, ref, count_fn, counts),
			 0);
	assert_int_equal(counts[350], 1);
	assert_int_equal(counts[399], 1);
	assert_int_equal(git_reference_name_to_id(&tip, s->repo, ref), 0);
	assert_int_equal(git_commit_lookup(&nc, s->repo, &tip), 0);
	assert_int_equal(git_commit_tree(&tree, nc), 0);
	git_oid_tostr(hex, sizeof(hex), &id);
	assert_null(git_tree_entry_byname(tree, hex));
	sbuf_reset(&path);
	sbuf_addf(&path, "%.2s/%.2s/%s", hex, hex + 2, hex + 4);
	assert_int_equal(git_tree_entry_bypath(&e, tree, path.buf), 0);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(nc);

	ctx_release(&c);
	free(counts);
	sbuf_release(&note);
	sbuf_release(&path);
}

static void make_commit(git_oid *out, git_repository *repo,
			const git_oid *parent, const char *msg)
{
	git_treebuilder *bld = NULL;
	git_tree *tree = NULL;
	git_commit *p = NULL;
	git_signature *sig = NULL;
	const git_commit *parents[1];
	git_oid tree_id;

	assert_int_equal(git_treebuilder_new(&bld, repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, bld), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_now(&sig, "t", "t@t"), 0);
	if (parent)
		assert_int_equal(git_commit_lookup(&p, repo, parent), 0);
	parents[0] = p;
	assert_int_equal(git_commit_create(out, repo, NULL, sig, sig, NULL,
					   msg, tree, p ? 1 : 0, parents), 0);
	git_commit_free(p);
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(bld);
}

static void test_notes_find_nearest(void **state)
{
	struct scratch *s = *state;
	const char *ref = "refs/notes/near";
	struct update_ctx c = { .append = "m", SAW_INIT };
	struct sbuf note = SBUF_INIT;
	git_oid ids[5], found;
	unsigned dist = 99;

	make_commit(&ids[0], s->repo, NULL, "c0\n");
	for (int i = 1; i < 5; i++)
		make_commit(&ids[i], s->repo, &ids[i - 1],
			    i % 2 ? "x\n" : "y\n");
	/* no notes ref at all */
	assert_int_equal(notes_store_find_nearest(&found, &dist, &note,
						  s->repo, ref, &ids[4], 10),
			 0);
	assert_int_equal(notes_store_update(s->repo, ref, &ids[1], append_fn,
					    &c, "n"), 0);
	assert_int_equal(notes_store_find_nearest(&found, &dist, &note,
						  s->repo, ref, &ids[4], 10),
			 1);
	assert_true(git_oid_equal(&found, &ids[1]));
	assert_int_equal(dist, 3);
	assert_int_equal(note.len, 2);
	assert_int_equal(notes_store_find_nearest(&found, &dist, &note,
						  s->repo, ref, &ids[4], 3),
			 1);
	assert_int_equal(notes_store_find_nearest(&found, &dist, &note,
						  s->repo, ref, &ids[4], 2),
			 0);
	assert_int_equal(notes_store_find_nearest(&found, &dist, &note,
						  s->repo, ref, &ids[1], 0),
			 1);
	assert_int_equal(dist, 0);
	/* past the root commit */
	assert_int_equal(notes_store_find_nearest(&found, &dist, &note,
						  s->repo, ref, &ids[0], 10),
			 0);
	ctx_release(&c);
	sbuf_release(&note);
}

static void test_notes_odd_entries(void **state)
{
	struct scratch *s = *state;
	const char *ref = "refs/notes/odd";
	git_treebuilder *bld = NULL, *sub = NULL;
	git_oid id, blob, sub_id, tree_id;
	char hex[GIT_OID_HEXSZ + 1];
	struct sbuf note = SBUF_INIT;
	unsigned counts[401] = { 0 };

	/* a tree entry named like a note but holding a tree is no note */
	fake_oid(&id, 5);
	git_oid_tostr(hex, sizeof(hex), &id);
	assert_int_equal(git_blob_create_from_buffer(&blob, s->repo, "x", 1),
			 0);
	assert_int_equal(git_treebuilder_new(&sub, s->repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, sub, "f", &blob,
						GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&sub_id, sub), 0);
	assert_int_equal(git_treebuilder_new(&bld, s->repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, bld, hex, &sub_id,
						GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_insert(NULL, bld, "README", &blob,
						GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, bld), 0);
	set_notes_ref(s->repo, ref, &tree_id);
	assert_int_equal(read_note(&note, s->repo, ref, &id), 0);
	assert_int_equal(notes_store_foreach(s->repo, ref, count_fn, counts),
			 0);
	assert_int_equal(counts[5] + counts[400], 0);
	git_treebuilder_free(sub);
	git_treebuilder_free(bld);
	sbuf_release(&note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_decoded_then_grown),
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_empty_model_round_trip),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_decode_replaces_previous),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_flipped_byte_everywhere),
		cmocka_unit_test(test_checksum_required),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_raw_malformed),
		cmocka_unit_test(test_spoiled_documents),
		cmocka_unit_test(test_spoiled_columns),
		cmocka_unit_test(test_string_bomb),
		cmocka_unit_test(test_strings_absolute_cap),
		cmocka_unit_test(test_valid_documents),
		cmocka_unit_test(test_import_time),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test_setup_teardown(test_notes_ref_name,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_notes_write_read_update,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_notes_race, scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_notes_fanout,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_notes_find_nearest,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_notes_odd_entries, scratch_setup,
			scratch_teardown),
	};
	int r;

	git_libgit2_init();
	/* no user config: the notes commits use the fallback identity */
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	for (int level = GIT_CONFIG_LEVEL_PROGRAMDATA;
	     level <= GIT_CONFIG_LEVEL_GLOBAL; level++)
		git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level,
				 "/nonexistent/covopt");
	r = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return r;
}
