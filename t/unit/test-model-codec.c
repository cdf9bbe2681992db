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
#include "sbuf.h"
#include "signal.h"
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
	struct signal_writer w;

	signal_writer_init(&w);
	for (size_t i = 0; i < nr; i++)
		signal_writer_add(&w, features[i], levels[i]);
	return signal_writer_finish(&w, len);
}

/* A model using every field, with several items of each kind. */
static void build_model(struct model *m)
{
	static const uint32_t f1[] = { 0, 1, 4 }, f2[] = { 3 };
	static const unsigned q1[] = { 16, 1, 7 }, q2[] = { 9 };
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
	m->files[a + 1].imports = xmalloc(2 * sizeof(uint32_t));
	m->files[a + 1].imports[0] = 2;
	m->files[a + 1].imports[1] = 0;
	m->files[a + 1].imports_nr = 2;
	model_add_feature(m, 0, "<file>", FEATURE_FILE, 1, 0);
	model_add_feature(m, 1, "<module>", FEATURE_MODULE, 0x123456789ULL, 12);
	model_add_feature(m, 1, "Greeter", FEATURE_CLASS, UINT64_MAX, 3);
	model_add_feature(m, 1, "Greeter.hello", FEATURE_FUNCTION,
			  0x8000000000000001ULL, 4294967295u);
	model_add_feature(m, 2, "main", FEATURE_FUNCTION, 42, 7);
	sig = make_signals(&len, f1, q1, 3);
	model_add_test(m, "tests/test_a.py::test_one", 0, 0.25, OUTCOME_PASSED,
		       0, sig, len);
	sig = make_signals(&len, f2, q2, 1);
	model_add_test(m, "tests/test_a.py::test_two[x-1]", 1, 17.5,
		       OUTCOME_FAILED, 0x80000005u, sig, len);
	model_add_test(m, "tests/test_b.py::TestX::test_y", 0, 0,
		       OUTCOME_UNKNOWN, 1, NULL, 0);
	model_add_test(m, "tests/test_b.py::test_z", 1, 1e-9, OUTCOME_SKIPPED,
		       2, NULL, 0);
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
	assert_int_equal(a->files_nr, b->files_nr);
	for (size_t i = 0; i < a->files_nr; i++) {
		assert_string_equal(a->files[i].path, b->files[i].path);
		assert_string_equal(a->files[i].blob, b->files[i].blob);
		assert_int_equal(a->files[i].imports_nr,
				 b->files[i].imports_nr);
		for (size_t k = 0; k < a->files[i].imports_nr; k++)
			assert_int_equal(a->files[i].imports[k],
					 b->files[i].imports[k]);
	}
	assert_int_equal(a->features_nr, b->features_nr);
	for (size_t i = 0; i < a->features_nr; i++) {
		const struct model_feature *x = &a->features[i];
		const struct model_feature *y = &b->features[i];

		assert_int_equal(x->file, y->file);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->kind, y->kind);
		assert_true(x->hash == y->hash);
		assert_int_equal(x->lines, y->lines);
	}
	assert_int_equal(a->tests_nr, b->tests_nr);
	for (size_t i = 0; i < a->tests_nr; i++) {
		const struct model_test *x = &a->tests[i];
		const struct model_test *y = &b->tests[i];

		assert_string_equal(x->id, y->id);
		assert_int_equal(x->flag, y->flag);
		assert_true(x->cost == y->cost);
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
	model_release(&m);
	model_release(&back);
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
		RAW("version 2", "\x81\xa6" "covopt" "\x02",
		    "has model format 2; this git-covopt reads up to 1"),
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

/* Ways to spoil the small document written by pack_doc(). */
enum spoil {
	SP_NONE,
	SP_UNKNOWN_KEYS,	/* extra top-level keys: must be ignored */
	SP_VERSION_2,
	SP_NO_TESTS,
	SP_DUP_FLAGS,
	SP_FLAGS_MAP,
	SP_TESTS_MAP,
	SP_FLAG_INDEX_STR,
	SP_FLAG_INDEX_RANGE,
	SP_FLAG_INDEX_NEG,
	SP_FILE_INDEX_NEG,
	SP_FILE_INDEX_RANGE,
	SP_FILE_INDEX_BIG,
	SP_IMPORT_RANGE,
	SP_IMPORT_NEG,
	SP_UNSORTED_TESTS,
	SP_DUP_TESTS,
	SP_UNSORTED_FILES,
	SP_UNSORTED_FEATURES,
	SP_COST_FLOAT32,
	SP_COST_INT,
	SP_COST_NEG,
	SP_COST_NAN,
	SP_TIME_NAN,
	SP_NUL_IN_ID,
	SP_LONG_ID,
	SP_ID_BIN,
	SP_COMMIT_NOT_HEX,
	SP_COMMIT_LONG,
	SP_BLOB_UPPER,
	SP_SHORT_TUPLE,
	SP_LONG_TUPLE,
	SP_KIND_RANGE,
	SP_OUTCOME_RANGE,
	SP_HISTORY_BIG,
	SP_HASH_NEG,
	SP_SIGNALS_STR,
	SP_SIGNALS_ZERO_DELTA,
	SP_SIGNALS_FEATURE_RANGE,
	SP_SIGNALS_TRUNCATED,
	SP_SIGNALS_OVERLONG,
};

static int pstr(msgpack_packer *pk, const char *s)
{
	return msgpack_pack_str_with_body(pk, s, strlen(s));
}

static int pack_bin(msgpack_packer *pk, const char *b, size_t len)
{
	return msgpack_pack_bin_with_body(pk, b, len);
}

static int pack_doc_flags(msgpack_packer *pk, enum spoil sp)
{
	int r = pstr(pk, "flags");

	if (sp == SP_FLAGS_MAP)
		return r | msgpack_pack_map(pk, 0);
	r |= msgpack_pack_array(pk, 1);
	r |= msgpack_pack_array(pk, 4);
	r |= pstr(pk, "default");
	r |= pstr(pk, HEX_B);
	r |= msgpack_pack_double(pk, sp == SP_TIME_NAN ? NAN : 3.5);
	r |= msgpack_pack_double(pk, 0.5);
	return r;
}

static int pack_doc_files(msgpack_packer *pk, enum spoil sp)
{
	int r = pstr(pk, "files") | msgpack_pack_array(pk, 2);

	r |= msgpack_pack_array(pk, 3);
	r |= pstr(pk, sp == SP_UNSORTED_FILES ? "z.py" : "a.py");
	r |= pstr(pk, sp == SP_BLOB_UPPER ? "ABCDEF" : HEX_C);
	r |= msgpack_pack_array(pk, 1);
	if (sp == SP_IMPORT_NEG)
		r |= msgpack_pack_int64(pk, -1);
	else
		r |= msgpack_pack_uint32(pk, sp == SP_IMPORT_RANGE ? 2 : 1);
	r |= msgpack_pack_array(pk, 3);
	r |= pstr(pk, "b.py");
	r |= pstr(pk, HEX_A);
	r |= msgpack_pack_array(pk, 0);
	return r;
}

static int pack_doc_features(msgpack_packer *pk, enum spoil sp)
{
	int r = pstr(pk, "features") | msgpack_pack_array(pk, 2);

	r |= msgpack_pack_array(pk, 5);
	if (sp == SP_FILE_INDEX_NEG)
		r |= msgpack_pack_int64(pk, -1);
	else if (sp == SP_FILE_INDEX_BIG)
		r |= msgpack_pack_uint64(pk, 1ULL << 32);
	else
		r |= msgpack_pack_uint32(pk, sp == SP_FILE_INDEX_RANGE ? 2 : 0);
	r |= pstr(pk, sp == SP_UNSORTED_FEATURES ? "zz" : "f");
	r |= msgpack_pack_uint8(pk, sp == SP_KIND_RANGE ? 4 : 2);
	if (sp == SP_HASH_NEG)
		r |= msgpack_pack_int64(pk, -5);
	else
		r |= msgpack_pack_uint64(pk, UINT64_MAX);
	r |= msgpack_pack_uint32(pk, 9);
	r |= msgpack_pack_array(pk, 5);
	r |= msgpack_pack_uint32(pk, 0);
	r |= pstr(pk, "g");
	r |= msgpack_pack_uint8(pk, 1);
	r |= msgpack_pack_uint64(pk, 7);
	r |= msgpack_pack_uint32(pk, 0);
	return r;
}

static int pack_doc_signals(msgpack_packer *pk, enum spoil sp)
{
	switch (sp) {
	case SP_SIGNALS_STR:
		return pstr(pk, "\x0f");
	case SP_SIGNALS_ZERO_DELTA:	/* feature 0, then 0 again */
		return pack_bin(pk, "\x0f\x0f", 2);
	case SP_SIGNALS_FEATURE_RANGE:	/* feature 0, then feature 2 */
		return pack_bin(pk, "\x0f\x2f", 2);
	case SP_SIGNALS_TRUNCATED:
		return pack_bin(pk, "\x0f\x80", 2);
	case SP_SIGNALS_OVERLONG:
		return pack_bin(pk, "\x80\x80\x80\x80\x80\x80\x01", 7);
	default:			/* feature 0 q 16, feature 1 q 1 */
		return pack_bin(pk, "\x0f\x10", 2);
	}
}

static int pack_doc_test(msgpack_packer *pk, enum spoil sp, const char *id,
			 int first)
{
	int r = msgpack_pack_array(pk, sp == SP_SHORT_TUPLE ? 5 :
					sp == SP_LONG_TUPLE ? 7 : 6);

	if (first && sp == SP_NUL_IN_ID)
		r |= msgpack_pack_str_with_body(pk, "t\0x", 3);
	else if (first && sp == SP_ID_BIN)
		r |= pack_bin(pk, id, strlen(id));
	else
		r |= pstr(pk, id);
	if (first && sp == SP_FLAG_INDEX_STR)
		r |= pstr(pk, "0");
	else if (first && sp == SP_FLAG_INDEX_NEG)
		r |= msgpack_pack_int8(pk, -1);
	else
		r |= msgpack_pack_uint32(pk,
					 first && sp == SP_FLAG_INDEX_RANGE);
	if (first && sp == SP_COST_FLOAT32)
		r |= msgpack_pack_float(pk, 1.5f);
	else if (first && sp == SP_COST_INT)
		r |= msgpack_pack_uint8(pk, 1);
	else
		r |= msgpack_pack_double(pk, !first ? 2.0 :
					 sp == SP_COST_NEG ? -1.0 :
					 sp == SP_COST_NAN ? NAN : 1.5);
	r |= msgpack_pack_uint8(pk, first && sp == SP_OUTCOME_RANGE ? 5 : 1);
	if (first && sp == SP_HISTORY_BIG)
		r |= msgpack_pack_uint64(pk, 1ULL << 32);
	else
		r |= msgpack_pack_uint32(pk, 3);
	if (sp != SP_SHORT_TUPLE)
		r |= pack_doc_signals(pk, first ? sp : SP_NONE);
	if (sp == SP_LONG_TUPLE)
		r |= msgpack_pack_nil(pk);
	return r;
}

static int pack_doc_tests(msgpack_packer *pk, enum spoil sp)
{
	const char *first = "t::a", *second = "t::b";
	char *long_id = NULL;
	int r = pstr(pk, "tests");

	if (sp == SP_TESTS_MAP)
		return r | msgpack_pack_map(pk, 0);
	if (sp == SP_UNSORTED_TESTS) {
		first = "t::c";
	} else if (sp == SP_DUP_TESTS) {
		first = "t::b";
	} else if (sp == SP_LONG_ID) {
		long_id = xcalloc(COVOPT_MAX_STRING + 2, 1);
		memset(long_id, 'a', COVOPT_MAX_STRING + 1);
		first = long_id;
	}
	r |= msgpack_pack_array(pk, 2);
	r |= pack_doc_test(pk, sp, first, 1);
	r |= pack_doc_test(pk, sp, second, 0);
	free(long_id);
	return r;
}

/* Write a small valid model by hand, spoiled in one way. */
static void pack_doc(struct sbuf *out, enum spoil sp)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int keys = 6, r;

	keys += sp == SP_UNKNOWN_KEYS ? 2 : 0;
	keys += sp == SP_DUP_FLAGS ? 1 : 0;
	keys -= sp == SP_NO_TESTS ? 1 : 0;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	r = msgpack_pack_map(&pk, keys);
	if (sp == SP_UNKNOWN_KEYS) {	/* a nested value, before the version */
		r |= pstr(&pk, "zzz-future") | msgpack_pack_map(&pk, 1);
		r |= pstr(&pk, "x") | msgpack_pack_array(&pk, 2);
		r |= msgpack_pack_nil(&pk) | msgpack_pack_int8(&pk, -3);
	}
	if (sp != SP_NO_TESTS)	/* tests before the version: order is free */
		r |= pack_doc_tests(&pk, sp);
	r |= pstr(&pk, "covopt");
	r |= msgpack_pack_uint8(&pk, sp == SP_VERSION_2 ? 2 : 1);
	r |= pstr(&pk, "commit");
	r |= pstr(&pk, sp == SP_COMMIT_NOT_HEX ? "xyz" :
		  sp == SP_COMMIT_LONG ? HEX_A "0" : HEX_A);
	r |= pack_doc_flags(&pk, sp);
	if (sp == SP_DUP_FLAGS)
		r |= pack_doc_flags(&pk, sp);
	r |= pack_doc_files(&pk, sp);
	r |= pack_doc_features(&pk, sp);
	if (sp == SP_UNKNOWN_KEYS)
		r |= pstr(&pk, "later") | msgpack_pack_float(&pk, 1.0f);
	assert_int_equal(r, 0);
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
		{ SP_VERSION_2, "has model format 2; this git-covopt reads "
				"up to 1 — upgrade git-covopt" },
		{ SP_NO_TESTS, "missing key 'tests'" },
		{ SP_DUP_FLAGS, "duplicate key 'flags'" },
		{ SP_FLAGS_MAP, "'flags' is not an array" },
		{ SP_TESTS_MAP, "'tests' is not an array" },
		{ SP_FLAG_INDEX_STR, "test #0: bad number" },
		{ SP_FLAG_INDEX_RANGE, "bad test 't::a'" },
		{ SP_FLAG_INDEX_NEG, "test #0: bad number" },
		{ SP_FILE_INDEX_NEG, "feature #0: bad number" },
		{ SP_FILE_INDEX_RANGE, "bad feature #0" },
		{ SP_FILE_INDEX_BIG, "feature #0: bad number" },
		{ SP_IMPORT_RANGE, "bad import index" },
		{ SP_IMPORT_NEG, "file #0: bad imports" },
		{ SP_UNSORTED_TESTS, "tests not sorted" },
		{ SP_DUP_TESTS, "tests not sorted" },
		{ SP_UNSORTED_FILES, "files not sorted" },
		{ SP_UNSORTED_FEATURES, "features not sorted" },
		{ SP_COST_FLOAT32, "test #0: bad number" },
		{ SP_COST_INT, "test #0: bad number" },
		{ SP_COST_NEG, "bad test 't::a'" },
		{ SP_COST_NAN, "bad test 't::a'" },
		{ SP_TIME_NAN, "bad flag 'default'" },
		{ SP_NUL_IN_ID, "test #0: bad id" },
		{ SP_LONG_ID, "test #0: bad id" },
		{ SP_ID_BIN, "test #0: bad id" },
		{ SP_COMMIT_NOT_HEX, "'commit' is not a hex id" },
		{ SP_COMMIT_LONG, "'commit' is not a hex id" },
		{ SP_BLOB_UPPER, "file #0: bad blob id" },
		{ SP_SHORT_TUPLE, "test #0: not a 6-item array" },
		{ SP_LONG_TUPLE, "test #0: not a 6-item array" },
		{ SP_KIND_RANGE, "feature #0: bad number" },
		{ SP_OUTCOME_RANGE, "test #0: bad number" },
		{ SP_HISTORY_BIG, "test #0: bad number" },
		{ SP_HASH_NEG, "feature #0: bad number" },
		{ SP_SIGNALS_STR, "test #0: bad signals" },
		{ SP_SIGNALS_ZERO_DELTA, "bad signal of test 't::a'" },
		{ SP_SIGNALS_FEATURE_RANGE, "bad signal of test 't::a'" },
		{ SP_SIGNALS_TRUNCATED, "bad signal of test 't::a'" },
		{ SP_SIGNALS_OVERLONG, "bad signal of test 't::a'" },
	};
	struct sbuf doc = SBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# spoil %d\n", cases[i].sp);
		pack_doc(&doc, cases[i].sp);
		assert_decode_fails(doc.buf, doc.len, cases[i].needle);
	}
	sbuf_release(&doc);
}

static void test_valid_documents(void **state)
{
	static const enum spoil ok[] = { SP_NONE, SP_UNKNOWN_KEYS };
	struct sbuf doc = SBUF_INIT;
	struct model m;

	model_init(&m);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		pack_doc(&doc, ok[i]);
		assert_int_equal(model_decode(&m, doc.buf, doc.len, "doc"), 0);
		assert_string_equal(m.commit, HEX_A);
		assert_int_equal(m.tests_nr, 2);
		assert_string_equal(m.tests[0].id, "t::a");
		assert_true(m.tests[0].cost == 1.5);
		assert_int_equal(m.tests[0].outcome, OUTCOME_FAILED);
		assert_int_equal(m.tests[0].history, 3);
		assert_int_equal(m.tests[0].signals_len, 2);
		assert_int_equal(m.features_nr, 2);
		assert_true(m.features[0].hash == UINT64_MAX);
		assert_int_equal(m.files[0].imports_nr, 1);
		assert_int_equal(m.files[0].imports[0], 1);
		assert_null(m.files[1].imports);
		assert_true(m.flags[0].suite_time == 3.5);
		assert_true(m.flags[0].recorded_at == 0);	/* 4-item form */
		model_release(&m);
	}
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
	git_config *cfg = NULL;
	struct sbuf err = SBUF_INIT;
	char *n;

	unsetenv("COVOPT_NOTES_REF");
	n = notes_store_ref_name(s->repo, NULL);
	assert_string_equal(n, "refs/notes/covopt");
	free(n);
	n = notes_store_ref_name(s->repo, "foo");
	assert_string_equal(n, "refs/notes/foo");
	free(n);
	n = notes_store_ref_name(s->repo, "notes/foo");
	assert_string_equal(n, "refs/notes/foo");
	free(n);
	n = notes_store_ref_name(s->repo, "refs/notes/x/y");
	assert_string_equal(n, "refs/notes/x/y");
	free(n);
	assert_int_equal(git_repository_config(&cfg, s->repo), 0);
	assert_int_equal(git_config_set_string(cfg, "covopt.notesRef", "cfg"),
			 0);
	n = notes_store_ref_name(s->repo, NULL);
	assert_string_equal(n, "refs/notes/cfg");
	free(n);
	setenv("COVOPT_NOTES_REF", "env", 1);
	n = notes_store_ref_name(s->repo, NULL);
	assert_string_equal(n, "refs/notes/env");
	free(n);
	n = notes_store_ref_name(s->repo, "opt");
	assert_string_equal(n, "refs/notes/opt");
	free(n);
	unsetenv("COVOPT_NOTES_REF");
	assert_int_equal(git_config_delete_entry(cfg, "covopt.notesRef"), 0);
	git_config_free(cfg);
	capture_begin();
	n = notes_store_ref_name(s->repo, "bad..name");
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
		cmocka_unit_test(test_empty_model_round_trip),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_decode_replaces_previous),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_trailing_bytes),
		cmocka_unit_test(test_raw_malformed),
		cmocka_unit_test(test_spoiled_documents),
		cmocka_unit_test(test_valid_documents),
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
