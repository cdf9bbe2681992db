/* test-output.c - unit tests of output.c: ids a line, NUL-separated, Codecov ATS's shell lines
 * and JSON, byte for byte; ids that cannot be written in a form are refused, not mangled. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "output.h"
#include "xalloc.h"

#define MAX_IDS 8

/* Ids pytest prints as they are (it writes a newline in an id as "\n"). */
#define ODD_IDS "t.py::test_x[a b]", "t.py::test_x[it's]", \
	"t.py::test_x[say \"hi\"]", "t.py::test_x[$(touch pwned)]", \
	"t.py::test_x[[x]]", "t.py::test_x[a\\nb\\\\]"

#define NUL_IDS "t.py::test_x[a b]\0t.py::test_x[a\nb]\0t.py::test_y\0"

struct output_case {
	const char *what;
	enum output_format fmt;
	const char *run[MAX_IDS];	/* the chosen ids, NULL-terminated */
	const char *skip[MAX_IDS];	/* to_skip */
	const char *options[MAX_IDS];	/* runner options */
	int ret;
	const char *expect;		/* with len: NULs allowed */
	size_t len;			/* 0: strlen(expect) */
};

static const struct output_case cases[] = {
	{ "lines: nothing chosen prints nothing", OUTPUT_LINES, { NULL },
	  { "t.py::test_a" }, { NULL }, 0, "", 0 },
	{ "lines: each id as it is, one a line", OUTPUT_LINES, { ODD_IDS },
	  { NULL }, { NULL }, 0,
	  "t.py::test_x[a b]\nt.py::test_x[it's]\n"
	  "t.py::test_x[say \"hi\"]\nt.py::test_x[$(touch pwned)]\n"
	  "t.py::test_x[[x]]\nt.py::test_x[a\\nb\\\\]\n", 0 },
	{ "lines: an id with a newline is refused, nothing printed",
	  OUTPUT_LINES, { "t.py::test_a", "t.py::test_x[a\nb]" }, { NULL },
	  { NULL }, -1, "", 0 },
	{ "nul: each id as it is, NUL-terminated", OUTPUT_NUL,
	  { "t.py::test_x[a b]", "t.py::test_x[a\nb]", "t.py::test_y" },
	  { NULL }, { NULL }, 0,
	  NUL_IDS, sizeof(NUL_IDS) - 1 },
	{ "shell: ATS's two lines, options first, each word quoted",
	  OUTPUT_SHELL, { "test_1", "test_2" }, { "test_3" },
	  { "--cov-context=test" }, 0,
	  "TESTS_TO_RUN='--cov-context=test' 'test_1' 'test_2'\n"
	  "TESTS_TO_SKIP='--cov-context=test' 'test_3'\n", 0 },
	{ "shell: quotes and shell syntax stay inside the quotes",
	  OUTPUT_SHELL, { ODD_IDS }, { "it's" }, { NULL }, 0,
	  "TESTS_TO_RUN='t.py::test_x[a b]' 't.py::test_x[it'\\''s]' "
	  "'t.py::test_x[say \"hi\"]' 't.py::test_x[$(touch pwned)]' "
	  "'t.py::test_x[[x]]' 't.py::test_x[a\\nb\\\\]'\n"
	  "TESTS_TO_SKIP='it'\\''s'\n", 0 },
	{ "shell: an empty selection", OUTPUT_SHELL, { NULL }, { NULL },
	  { "-p", "no:cacheprovider" }, 0,
	  "TESTS_TO_RUN='-p' 'no:cacheprovider'\n"
	  "TESTS_TO_SKIP='-p' 'no:cacheprovider'\n", 0 },
	{ "shell: nothing at all", OUTPUT_SHELL, { NULL }, { NULL }, { NULL },
	  0, "TESTS_TO_RUN=\nTESTS_TO_SKIP=\n", 0 },
	{ "shell: an id with a newline to run is refused", OUTPUT_SHELL,
	  { "t.py::test_x[a\nb]" }, { NULL }, { NULL }, -1, "", 0 },
	{ "shell: an id with a newline to skip is refused", OUTPUT_SHELL,
	  { "t.py::test_a" }, { "t.py::test_x[a\nb]" }, { NULL }, -1, "", 0 },
};

static void fill_list(struct strlist *list, const char *const *items)
{
	for (size_t i = 0; i < MAX_IDS && items[i]; i++)
		strlist_append(list, items[i]);
}

/* A selection of the ids of c (borrowed), and no facts beyond them. */
static void make_selection(struct selection *s, const struct output_case *c)
{
	memset(s, 0, sizeof(*s));
	s->target = "worktree";
	s->budget = -1;
	s->chosen = xcalloc(MAX_IDS, sizeof(*s->chosen));
	for (s->nr = 0; s->nr < MAX_IDS && c->run[s->nr]; s->nr++) {
		s->chosen[s->nr].id = c->run[s->nr];
		s->chosen[s->nr].cost = 0.5;
		s->chosen[s->nr].gain = 1;
	}
	fill_list(&s->to_skip, c->skip);
}

static void free_selection(struct selection *s)
{
	free(s->chosen);
	strlist_release(&s->to_skip);
	strlist_release(&s->left_out);
}

/* Run output_selection on a memory stream: its return, and the bytes in got. */
static int capture(struct sbuf *got, const struct selection *s,
		   enum output_format fmt, const struct output_extra *extra)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	assert_non_null(f);
	ret = output_selection(f, s, fmt, extra);
	assert_int_equal(fclose(f), 0);
	sbuf_add(got, buf, len);
	free(buf);
	return ret;
}

static void test_formats(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct output_case *c = &cases[i];
		struct strlist options = STRLIST_INIT;
		struct output_extra extra = { .runner_options = &options };
		struct sbuf got = SBUF_INIT;
		size_t len = c->len ? c->len : strlen(c->expect);
		struct selection s;

		make_selection(&s, c);
		fill_list(&options, c->options);
		if (capture(&got, &s, c->fmt, &extra) != c->ret)
			fail_msg("case '%s': wrong return", c->what);
		if (got.len != len || memcmp(got.buf, c->expect, len))
			fail_msg("case '%s': got\n%s", c->what, got.buf);
		sbuf_release(&got);
		strlist_release(&options);
		free_selection(&s);
	}
}

static void test_shell_quote(void **state)
{
	static const struct { const char *in, *out; } words[] = {
		{ "", "''" }, { "a", "'a'" }, { "a b", "'a b'" },
		{ "'", "''\\'''" }, { "it's", "'it'\\''s'" },
		{ "$(x) `y` \"z\" \\", "'$(x) `y` \"z\" \\'" },
		{ "a\nb", "'a\nb'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++) {
		struct sbuf sb = SBUF_INIT;

		output_shell_quote(&sb, words[i].in);
		assert_string_equal(sb.buf, words[i].out);
		sbuf_release(&sb);
	}
}

static const char JSON_DOC[] =
	"{\n"
	"  \"base\": \"\",\n"
	"  \"head\": \"worktree\",\n"
	"  \"model_commit\": \"\",\n"
	"  \"model_signer\": null,\n"
	"  \"model_distance\": 0,\n"
	"  \"budget\": null,\n"
	"  \"estimated_time\": 1,\n"
	"  \"startup_overhead\": 0,\n"
	"  \"estimated_wall_time\": 1,\n"
	"  \"signal_covered\": 1,\n"
	"  \"utility\": 0,\n"
	"  \"utility_bound\": 0,\n"
	"  \"strategy\": \"none\",\n"
	"  \"run_all\": false,\n"
	"  \"change\": {\n"
	"    \"files\": 0,\n"
	"    \"features\": 0,\n"
	"    \"slots\": [],\n"
	"    \"notes\": []\n"
	"  },\n"
	"  \"selected\": [\n"
	"    {\n"
	"      \"id\": \"t.py::test_x[a\\u000ab \\\"q\\\"]\",\n"
	"      \"gain\": 1,\n"
	"      \"cost\": 0.5,\n"
	"      \"total\": 0.5,\n"
	"      \"new\": false\n"
	"    },\n"
	"    {\n"
	"      \"id\": \"t.py::b\",\n"
	"      \"gain\": 1,\n"
	"      \"cost\": 0.5,\n"
	"      \"total\": 1,\n"
	"      \"new\": false\n"
	"    }\n"
	"  ],\n"
	"  \"left_out\": [\n"
	"    \"t.py::d\"\n"
	"  ],\n"
	"  \"runner_options\": [\n"
	"    \"--cov-context=test\"\n"
	"  ],\n"
	"  \"ats_tests_to_run\": [\n"
	"    \"t.py::test_x[a\\u000ab \\\"q\\\"]\",\n"
	"    \"t.py::b\"\n"
	"  ],\n"
	"  \"ats_tests_to_skip\": [\n"
	"    \"t.py::c\"\n"
	"  ],\n"
	"  \"ats_fallback_reason\": \"no model\",\n"
	"  \"absent_labels\": [],\n"
	"  \"present_diff_labels\": [],\n"
	"  \"global_level_labels\": [],\n"
	"  \"present_report_labels\": []\n"
	"}\n";

/* The JSON form: every id, escaped as JSON, in ATS's keys and ours. */
static void test_json(void **state)
{
	static const struct output_case c = {
		"json", OUTPUT_JSON, { "t.py::test_x[a\nb \"q\"]", "t.py::b" },
		{ "t.py::c" }, { "--cov-context=test" }, 0, NULL, 0 };
	struct strlist options = STRLIST_INIT;
	struct output_extra extra = { .runner_options = &options,
				      .fallback_reason = "no model" };
	struct sbuf got = SBUF_INIT;
	struct selection s;

	(void)state;
	make_selection(&s, &c);
	fill_list(&options, c.options);
	strlist_append(&s.left_out, "t.py::d");
	s.cost = 1;
	assert_int_equal(capture(&got, &s, OUTPUT_JSON, &extra), 0);
	assert_string_equal(got.buf, JSON_DOC);
	sbuf_release(&got);
	strlist_release(&options);
	free_selection(&s);
}

/* The --verbose report: the change, each chosen test, what was left out. */
static void test_verbose(void **state)
{
	static const struct output_case c = {
		"verbose", OUTPUT_LINES, { "t.py::test_a", "t.py::test_x[a b]" },
		{ NULL }, { NULL }, 0, NULL, 0 };
	struct impact_slot slot = { .kind = SLOT_FEATURE, .feature = 0,
				    .weight = 2, .label = (char *)"m.py::f" };
	struct selection s;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	make_selection(&s, &c);
	memcpy(s.model_hex, "0123456789abcdef", 17);
	memcpy(s.base_hex, "fedcba9876543210", 17);
	s.distance = 1;
	s.new_since_model = 1;
	s.new_untracked = 2;
	s.impact.slots = &slot;
	s.impact.slots_nr = 1;
	s.impact.files_changed = 1;
	s.impact.features_changed = 1;
	s.chosen[1].is_new = 1;
	s.budget = 2;
	s.cost = 1;
	s.overhead = 0.25;
	s.affected = 3;
	s.utility = 1;
	s.utility_all = 2;
	s.bound = 1.5;
	s.strategy = "greedy";
	strlist_append(&s.left_out, "t.py::test_c");
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	output_verbose(f, &s);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf,
		"model: commit 0123456789ab, 1 commit before the base "
		"fedcba987654\n"
		"1 test added since the model's commit\n"
		"2 tests in untracked files\n"
		"change: fedcba987654 -> worktree: 1 file, 1 feature changed, "
		"1 change slot\n"
		"  changed m.py::f                                            "
		"weight 2\n"
		"  gain    1.000  cost   0.500 s  total    0.500 s / 2.000 s  "
		"t.py::test_a\n"
		"  gain    1.000  cost   0.500 s  total    1.000 s / 2.000 s  "
		"t.py::test_x[a b] (new)\n"
		"selected 2 of 3 affected tests: 50.0% of the change signal "
		"(optimum at most 1.500, got 1.000, greedy)\n"
		"left out for lack of budget: 1 test\n"
		"  t.py::test_c\n"
		"estimated time 1.000 s + start-up 0.250 s = 1.250 s wall\n");
	free(buf);
	free_selection(&s);
}

/* --rest: one id a line; an id with a newline is refused, the file untouched. */
static void test_rest(void **state)
{
	static const struct output_case good = { .skip = { "t.py::test_x[a b]",
							   "t.py::test_y" } };
	static const struct output_case bad = { .skip = { "t.py::test_a",
							  "t.py::test_x[a\nb]" } };
	char path[] = "/tmp/covopt-rest-XXXXXX";
	struct sbuf got = SBUF_INIT;
	struct selection s;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	make_selection(&s, &good);
	assert_int_equal(selection_write_rest(&s, path), 0);
	free_selection(&s);
	assert_int_equal(sbuf_read_file(&got, path, 1024), 0);
	assert_string_equal(got.buf, "t.py::test_x[a b]\nt.py::test_y\n");
	make_selection(&s, &bad);
	assert_int_equal(selection_write_rest(&s, path), -1);
	free_selection(&s);
	sbuf_reset(&got);
	assert_int_equal(sbuf_read_file(&got, path, 1024), 0);
	assert_string_equal(got.buf, "t.py::test_x[a b]\nt.py::test_y\n");
	sbuf_release(&got);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_verbose),
		cmocka_unit_test(test_rest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
