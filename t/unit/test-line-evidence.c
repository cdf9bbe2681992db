/* test-line-evidence.c - unit tests of line evidence: significant lines, blocks, patterns, change weights, codec.
 * The "lines" section is crafted byte by byte, then spoiled one way at a time and cut at every length. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <msgpack.h>
#include "checksum.h"
#include "coverage-vector.h"
#include "feature-map.h"
#include "line-evidence.h"
#include "model-codec.h"
#include "model-merge.h"
#include "sbuf.h"
#include "xalloc.h"

#define HEX_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* ------------------------------------------------------------------ */
/* stderr capture                                                      */

static int saved_fd = -1;
static FILE *capture_file;
static char captured[4096];

static void capture_start(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	assert_non_null(capture_file);
	saved_fd = dup(2);
	assert_true(dup2(fileno(capture_file), 2) >= 0);
}

static const char *capture_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(capture_file);
	n = fread(captured, 1, sizeof(captured) - 1, capture_file);
	fclose(capture_file);
	captured[n] = '\0';
	return captured;
}

/* ------------------------------------------------------------------ */
/* significant lines                                                   */

static void test_significant_lines(void **state)
{
	static const char src[] =
		"import os\n"				/* 1 */
		"\n"					/* 2 */
		"def f(a,\n"				/* 3 */
		"      b):  # two lines\n"		/* 4 */
		"    # a comment\n"			/* 5 */
		"    x = [1,\n"				/* 6 */
		"         2]\n"				/* 7 */
		"\n"					/* 8 */
		"    return '''a\n"			/* 9 */
		"\n"					/* 10 */
		"b'''\n"				/* 11 */
		"X = 1\n";				/* 12 */
	static const uint32_t want[] = { 3, 4, 6, 7, 9, 10, 11 };
	struct feature_map m = FEATURE_MAP_INIT;
	uint32_t *lines;
	size_t nr;
	long f;

	(void)state;
	assert_int_equal(features_parse(&m, "a.py", src, strlen(src)), 0);
	f = feature_map_find(&m, "f");
	assert_true(f >= 0);
	nr = feature_map_sig_lines(&m, (size_t)f, &lines);
	assert_int_equal(nr, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < nr; i++)
		assert_int_equal(lines[i], want[i]);
	assert_int_equal(m.stmt[4], 3);
	assert_int_equal(m.stmt[7], 6);
	assert_int_equal(m.stmt[11], 9);
	assert_int_equal(m.stmt[5], 0);
	assert_int_equal(m.line_hash[5], 0);
	assert_true(m.line_hash[6] != 0);
	free(lines);
	feature_map_release(&m);
}

/* A comment edit or a moved function keeps the line hashes. */
static void test_line_hashes_survive_moves(void **state)
{
	static const char a[] = "def f(x):\n    if x:\n        return 1\n"
				"    return 2\n";
	static const char b[] = "\n\n# moved\ndef f(x):\n    if x:  # why\n"
				"        return 1\n\n    return 2\n";
	struct feature_map ma = FEATURE_MAP_INIT, mb = FEATURE_MAP_INIT;
	uint32_t *la, *lb;
	size_t na, nb;

	(void)state;
	assert_int_equal(features_parse(&ma, "a.py", a, strlen(a)), 0);
	assert_int_equal(features_parse(&mb, "a.py", b, strlen(b)), 0);
	na = feature_map_sig_lines(&ma, (size_t)feature_map_find(&ma, "f"), &la);
	nb = feature_map_sig_lines(&mb, (size_t)feature_map_find(&mb, "f"), &lb);
	assert_int_equal(na, 4);
	assert_int_equal(nb, 4);
	for (size_t i = 0; i < na; i++)
		assert_true(ma.line_hash[la[i]] == mb.line_hash[lb[i]]);
	assert_true(ma.line_hash[la[1]] != ma.line_hash[la[2]]);
	free(la);
	free(lb);
	feature_map_release(&ma);
	feature_map_release(&mb);
}

/* ------------------------------------------------------------------ */
/* blocks and patterns                                                 */

static void add_set(struct line_sets *ls, const uint32_t *runs, size_t nr)
{
	line_sets_begin(ls);
	for (size_t i = 0; i < nr; i += 2)
		line_sets_add_run(ls, runs[i], runs[i + 1]);
}

static void test_blocks_and_patterns(void **state)
{
	static const uint32_t a[] = { 0, 3 }, b[] = { 0, 1, 3, 6 };
	static const uint32_t imp[] = { 0, 1 };
	static const unsigned char is_import[] = { 0, 1, 0, 0 };
	struct line_sets ls;
	struct model_lines ev;
	uint32_t *pattern_of;

	(void)state;
	line_sets_init(&ls, 7);
	add_set(&ls, a, 2);
	add_set(&ls, imp, 2);
	add_set(&ls, b, 4);
	add_set(&ls, a, 2);	/* the same lines: the same pattern */
	assert_int_equal(line_evidence_build(&ev, &pattern_of, &ls,
					     is_import), 0);
	/* cuts at 0, 1, 3, 6: blocks [0,1) [1,3) [3,6) [6,7) */
	assert_int_equal(ev.blocks_nr, 4);
	assert_int_equal(ev.block_end[0], 1);
	assert_int_equal(ev.block_end[1], 3);
	assert_int_equal(ev.block_end[2], 6);
	assert_int_equal(ev.block_end[3], 7);
	assert_int_equal(line_evidence_lines(&ev), 7);
	assert_int_equal(line_evidence_block(&ev, 0), 0);
	assert_int_equal(line_evidence_block(&ev, 2), 1);
	assert_int_equal(line_evidence_block(&ev, 5), 2);
	assert_int_equal(line_evidence_block(&ev, 6), 3);
	assert_int_equal(ev.at_import[0], 0x01);
	/* a = blocks {0,1} = 0x03, b = {0,2} = 0x05, sorted by bytes */
	assert_int_equal(ev.patterns_nr, 2);
	assert_int_equal(ev.patterns[0], 0x03);
	assert_int_equal(ev.patterns[1], 0x05);
	assert_int_equal(pattern_of[0], 0);
	assert_int_equal(pattern_of[1], MODEL_NO_PATTERN);
	assert_int_equal(pattern_of[2], 1);
	assert_int_equal(pattern_of[3], 0);
	assert_true(line_pattern_has(&ev, 1, 2));
	assert_false(line_pattern_has(&ev, 1, 1));
	/* expanding pattern 1 gives back b's lines (into the emptied sets) */
	line_sets_reset(&ls, 7);
	line_evidence_expand(&ls, &ev, 1);
	assert_int_equal(ls.sets_nr, 1);
	assert_int_equal(ls.runs_nr, 2);
	assert_int_equal(ls.runs[0], 0);
	assert_int_equal(ls.runs[1], 1);
	assert_int_equal(ls.runs[2], 3);
	assert_int_equal(ls.runs[3], 6);
	free(pattern_of);
	line_sets_release(&ls);
	model_lines_release(&ev);
}

static void test_no_lines_no_evidence(void **state)
{
	struct line_sets ls;
	struct model_lines ev;
	uint32_t *pattern_of;

	(void)state;
	line_sets_init(&ls, 0);
	line_sets_begin(&ls);
	assert_int_equal(line_evidence_build(&ev, &pattern_of, &ls, NULL), -1);
	assert_int_equal(ev.blocks_nr, 0);
	assert_int_equal(pattern_of[0], MODEL_NO_PATTERN);
	free(pattern_of);
	line_sets_release(&ls);
}

/* ------------------------------------------------------------------ */
/* changes                                                             */

static void test_align(void **state)
{
	static const uint64_t a[] = { 1, 2, 3, 4, 5 }, b[] = { 1, 3, 9, 4, 5 };
	long match[5];

	(void)state;
	assert_int_equal(line_align(match, a, 5, b, 5), 0);
	assert_int_equal(match[0], 0);
	assert_int_equal(match[1], -1);
	assert_int_equal(match[2], 1);
	assert_int_equal(match[3], 3);
	assert_int_equal(match[4], 4);
}

static void test_change_weights(void **state)
{
	/* old 0..4; line 1 deleted, a line inserted between 2 and 3 */
	static const long match[] = { 0, -1, 1, 3, 4 };
	/* old 0..3; line 2 modified (deleted + inserted in its place) */
	static const long modified[] = { 0, 1, -1, 3 };
	double w[5] = { 0 }, m[4] = { 0 }, out[3] = { 0 };
	static const long to_model[] = { 0, -1, 1, 2, -1 };

	(void)state;
	line_change_weights(w, match, 5, 5, NULL, NULL);
	assert_true(w[0] == 0 && w[1] == 1 && w[4] == 0);
	assert_true(w[2] == 0.5 && w[3] == 0.5);	/* its neighbours */
	line_change_weights(m, modified, 4, 4, NULL, NULL);
	assert_true(m[0] == 0 && m[1] == 0 && m[3] == 0);
	assert_true(m[2] == 2);		/* who ran it: deleted and inserted */
	/* line 1 has no match in the model: its neighbours 0 and 1 share */
	assert_true(line_weights_transfer(out, 3, w, to_model, 5) == 0);
	assert_true(out[0] == 0.5 && out[1] == 1.0 && out[2] == 0.5);
}

/*
 * Old: "if c:" (4), "x()" (8), "return" (4). A line inserted goes to the
 * neighbour indented as it is: under the if to its body, after the body
 * at its depth to the body, after the block to what follows it.
 */
static void test_change_weights_by_indent(void **state)
{
	static const uint32_t old_indent[] = { 4, 8, 4 };
	static const struct {
		long match[3];
		uint32_t new_indent[4];
		double want[3];
	} cases[] = {
		{ { 0, 2, 3 }, { 4, 8, 8, 4 }, { 0, 1, 0 } },	/* body start */
		{ { 0, 1, 3 }, { 4, 8, 8, 4 }, { 0, 1, 0 } },	/* body end */
		{ { 0, 1, 3 }, { 4, 8, 4, 4 }, { 0, 0, 1 } },	/* after it */
		{ { 0, 1, 3 }, { 4, 8, 12, 4 }, { 0, 0.5, 0.5 } },	/* deeper */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		double w[3] = { 0 }, halves[3] = { 0 };

		line_change_weights(w, cases[i].match, 3, 4, old_indent,
				    cases[i].new_indent);
		for (size_t k = 0; k < 3; k++)
			if (w[k] != cases[i].want[k])
				fail_msg("case %zu line %zu: %g, want %g", i,
					 k, w[k], cases[i].want[k]);
		line_change_weights(halves, cases[i].match, 3, 4, NULL, NULL);
		assert_true(halves[0] + halves[1] + halves[2] == 1);
	}
}

/* ------------------------------------------------------------------ */
/* codec: a crafted "lines" section                                    */

/*
 * A model of one file, features f and g, tests t1 (on f) and t2 (on f
 * and g), without lines; the crafted section gives f three blocks of
 * 1, 2 and 3 lines, block 0 at import, patterns 0x03 and 0x05.
 */
static void base_model(struct model *m)
{
	struct covvec_writer w;
	unsigned char *sig;
	size_t len;

	model_init(m);
	memcpy(m->commit, HEX_A, sizeof(HEX_A));
	model_add_flag(m, "default", HEX_A, 1, 0, 0);
	model_add_file(m, "a.py", HEX_A);
	model_add_feature(m, 0, "f", FEATURE_FUNCTION, 7, 6);
	model_add_feature(m, 0, "g", FEATURE_FUNCTION, 8, 2);
	covvec_writer_init(&w);
	covvec_writer_add(&w, 0, 16);
	sig = covvec_writer_finish(&w, &len);
	model_add_test(m, "t1", 0, 0.5, OUTCOME_PASSED, 0, sig, len);
	covvec_writer_init(&w);
	covvec_writer_add(&w, 0, 8);
	covvec_writer_add(&w, 1, 16);
	sig = covvec_writer_finish(&w, &len);
	model_add_test(m, "t2", 0, 0.5, OUTCOME_PASSED, 0, sig, len);
}

struct bin {
	const char *p;
	size_t len;
};
#define BIN(s) { s, sizeof(s) - 1 }

/* blocks, import, patterns, refs */
static const struct bin good[4] = {
	BIN("\x03\x01\x02\x03" "\x00"),
	BIN("\x01"),
	BIN("\x02\x03\x05"),
	BIN("\x00\x01"),
};

/* The model without lines, then a "lines" key with count and bins, then
 * the checksum again (the last entry: its key and 9 bytes of value). */
static void craft(struct sbuf *out, uint64_t count, const struct bin *bins,
		  int str_at)
{
	static const char checksum_key[] = "\xa8" "checksum";
	size_t key_len = sizeof(checksum_key) - 1;
	struct model m;
	msgpack_sbuffer sb;
	msgpack_packer pk;

	base_model(&m);
	sbuf_reset(out);
	assert_int_equal(model_encode(out, &m), 0);
	model_release(&m);
	/* fixmap 8 (with "import_time" and "checksum"), one more key */
	assert_int_equal((unsigned char)out->buf[0], 0x88);
	out->buf[0] = (char)0x89;
	assert_true(out->len > key_len + 9);
	assert_memory_equal(out->buf + out->len - key_len - 9, checksum_key,
			    key_len);
	sbuf_setlen(out, out->len - key_len - 9);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_str_with_body(&pk, "lines", 5);
	msgpack_pack_array(&pk, 5);
	msgpack_pack_uint64(&pk, count);
	for (int c = 0; c < 4; c++)
		if (c == str_at)
			msgpack_pack_str_with_body(&pk, bins[c].p, bins[c].len);
		else
			msgpack_pack_bin_with_body(&pk, bins[c].p, bins[c].len);
	msgpack_pack_str_with_body(&pk, "checksum", 8);
	sbuf_add(out, sb.data, sb.size);
	msgpack_sbuffer_clear(&sb);
	msgpack_pack_fix_uint64(&pk, checksum64(out->buf, out->len));
	sbuf_add(out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
}

static int decode_quiet(struct model *m, const struct sbuf *enc,
			const char **err)
{
	int r;

	capture_start();
	r = model_decode(m, enc->buf, enc->len, "note for x");
	*err = capture_end();
	return r;
}

static void test_codec_round_trip(void **state)
{
	struct sbuf enc = SBUF_INIT, again = SBUF_INIT;
	struct model m, copy;
	const char *err;

	(void)state;
	craft(&enc, 2, good, -1);
	model_init(&m);
	assert_int_equal(decode_quiet(&m, &enc, &err), 0);
	assert_non_null(m.lines);
	assert_int_equal(m.lines[0].blocks_nr, 3);
	assert_int_equal(m.lines[0].block_end[2], 6);
	assert_int_equal(m.lines[0].patterns_nr, 2);
	assert_int_equal(m.lines[1].blocks_nr, 0);
	assert_int_equal(m.tests[0].patterns_nr, 1);
	assert_int_equal(m.tests[0].patterns[0], 0);
	assert_int_equal(m.tests[1].patterns_nr, 2);
	assert_int_equal(m.tests[1].patterns[0], 1);
	assert_int_equal(m.tests[1].patterns[1], MODEL_NO_PATTERN);
	/* the same bytes again, and through a copy and a carry-forward */
	assert_int_equal(model_encode(&again, &m), 0);
	assert_int_equal(again.len, enc.len);
	assert_memory_equal(again.buf, enc.buf, enc.len);
	model_init(&copy);
	model_carry_forward(&copy, &m, &m);
	sbuf_reset(&again);
	assert_int_equal(model_encode(&again, &copy), 0);
	assert_memory_equal(again.buf, enc.buf, enc.len);
	model_release(&copy);
	model_release(&m);
	sbuf_release(&enc);
	sbuf_release(&again);
}

static void test_carry_drops_changed_feature(void **state)
{
	struct sbuf enc = SBUF_INIT;
	struct model m, fresh, out;
	const char *err;

	(void)state;
	craft(&enc, 2, good, -1);
	model_init(&m);
	assert_int_equal(decode_quiet(&m, &enc, &err), 0);
	/* fresh: same features, f changed, no tests; m's tests carried */
	base_model(&fresh);
	for (size_t i = 0; i < fresh.tests_nr; i++)
		free(fresh.tests[i].id), free(fresh.tests[i].signals);
	fresh.tests_nr = 0;
	fresh.features[0].hash = 99;
	free(fresh.flags[0].name);
	fresh.flags[0].name = xstrdup("other");
	model_init(&out);
	model_carry_forward(&out, &fresh, &m);
	assert_int_equal(out.tests_nr, 2);
	assert_non_null(out.lines);
	assert_int_equal(out.lines[0].blocks_nr, 0);
	assert_int_equal(out.tests[0].patterns[0], MODEL_NO_PATTERN);
	sbuf_reset(&enc);
	assert_int_equal(model_encode(&enc, &out), 0);
	model_release(&out);
	model_release(&fresh);
	model_release(&m);
	sbuf_release(&enc);
}

struct spoil {
	const char *name;
	int col;		/* -1: the count */
	struct bin with;
	const char *needle;
};

static void test_codec_spoiled(void **state)
{
	static const struct spoil cases[] = {
		{ "count", -1, BIN(""), "'lines' count is not the feature count" },
		{ "empty block", 0, BIN("\x03\x01\x00\x03" "\x00"),
		  "feature #0: bad line blocks" },
		{ "too many blocks", 0, BIN("\x81\x80\x04"),
		  "feature #0: bad line blocks" },
		{ "padding bit", 1, BIN("\x09"), "feature #0: bad line patterns" },
		{ "unsorted patterns", 2, BIN("\x02\x05\x03"),
		  "feature #0: bad line patterns" },
		{ "duplicate patterns", 2, BIN("\x02\x03\x03"),
		  "feature #0: bad line patterns" },
		{ "more patterns than bytes", 2, BIN("\x03\x03\x05"),
		  "feature #0: bad line patterns" },
		{ "ref out of range", 3, BIN("\x02\x01"),
		  "test #0: bad line pattern" },
		{ "overlong ref", 3, BIN("\x80\x00\x01"),
		  "test #0: bad line pattern" },
		{ "trailing ref", 3, BIN("\x00\x01\x00"),
		  "'lines' column 'refs': trailing bytes" },
		{ "trailing block", 0, BIN("\x03\x01\x02\x03" "\x00\x00"),
		  "'lines' column 'blocks': trailing bytes" },
	};
	struct sbuf enc = SBUF_INIT;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct bin bins[4];
		struct model m;
		const char *err;

		memcpy(bins, good, sizeof(bins));
		if (cases[i].col >= 0)
			bins[cases[i].col] = cases[i].with;
		craft(&enc, cases[i].col < 0 ? 3 : 2, bins, -1);
		model_init(&m);
		print_message("# %s\n", cases[i].name);
		assert_int_equal(decode_quiet(&m, &enc, &err), -1);
		assert_non_null(strstr(err, cases[i].needle));
		assert_non_null(strstr(err, "note for x"));
		assert_null(m.lines);
		assert_null(m.tests);
	}
	for (int c = 0; c < 4; c++) {	/* not a bin */
		struct model m;
		const char *err;

		craft(&enc, 2, good, c);
		model_init(&m);
		assert_int_equal(decode_quiet(&m, &enc, &err), -1);
		assert_non_null(strstr(err, "not a bin"));
	}
	sbuf_release(&enc);
}

/* Every column cut at every shorter length fails cleanly; so does the whole. */
static void test_codec_truncated(void **state)
{
	struct sbuf enc = SBUF_INIT;

	(void)state;
	for (int c = 0; c < 4; c++)
		for (size_t cut = 0; cut < good[c].len; cut++) {
			struct bin bins[4];
			struct model m;
			const char *err;

			memcpy(bins, good, sizeof(bins));
			bins[c].len = cut;
			craft(&enc, 2, bins, -1);
			model_init(&m);
			assert_int_equal(decode_quiet(&m, &enc, &err), -1);
			assert_null(m.lines);
		}
	craft(&enc, 2, good, -1);
	for (size_t cut = 0; cut < enc.len; cut++) {
		char *copy = xmalloc(cut ? cut : 1);
		struct model m;
		const char *err;
		int r;

		memcpy(copy, enc.buf, cut);
		model_init(&m);
		capture_start();
		r = model_decode(&m, copy, cut, "note for x");
		err = capture_end();
		assert_int_equal(r, -1);
		assert_non_null(strstr(err, "note for x"));
		free(copy);
	}
	sbuf_release(&enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_significant_lines),
		cmocka_unit_test(test_line_hashes_survive_moves),
		cmocka_unit_test(test_blocks_and_patterns),
		cmocka_unit_test(test_no_lines_no_evidence),
		cmocka_unit_test(test_align),
		cmocka_unit_test(test_change_weights),
		cmocka_unit_test(test_change_weights_by_indent),
		cmocka_unit_test(test_codec_round_trip),
		cmocka_unit_test(test_carry_drops_changed_feature),
		cmocka_unit_test(test_codec_spoiled),
		cmocka_unit_test(test_codec_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
