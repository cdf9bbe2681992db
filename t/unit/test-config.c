/* test-config.c - unit tests for .covopt.yml and command strings.
 * Every error case checks the exact one-line message, position included. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "config.h"
#include "xalloc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ------------------------------------------------------------------ */
/* stderr capture                                                      */
/* ------------------------------------------------------------------ */

static int saved_fd = -1;
static FILE *capture_file;
static char captured[4096];

static void capture_start(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	assert_non_null(capture_file);
	saved_fd = dup(2);
	assert_true(saved_fd >= 0);
	assert_true(dup2(fileno(capture_file), 2) >= 0);
}

/* What was written to stderr since capture_start(), without the last \n. */
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
	if (n && captured[n - 1] == '\n')
		captured[n - 1] = '\0';
	return captured;
}

static int parse_str(struct covopt_config *cfg, const char *yaml)
{
	return config_parse(cfg, yaml, strlen(yaml), ".covopt.yml");
}

static void assert_list(const struct strlist *list, const char *const *want,
			size_t nr)
{
	assert_int_equal(list->nr, nr);
	for (size_t i = 0; i < nr; i++)
		assert_string_equal(list->items[i], want[i]);
}

#define ASSERT_LIST(list, ...) do { \
		static const char *const want_[] = { __VA_ARGS__ }; \
		assert_list((list), want_, ARRAY_SIZE(want_)); \
	} while (0)

/* ------------------------------------------------------------------ */
/* Defaults and a full file                                            */
/* ------------------------------------------------------------------ */

static void check_defaults(const struct covopt_config *cfg)
{
	const struct runner_config *r;

	assert_null(cfg->budget);
	assert_null(cfg->notes_ref);
	assert_null(cfg->runner);
	ASSERT_LIST(&cfg->global_paths, "conftest.py", "pyproject.toml",
		    "setup.cfg", "setup.py", "tox.ini", "pytest.ini",
		    "requirements*.txt");
	ASSERT_LIST(&cfg->test_patterns, "test_*.py", "*_test.py");
	assert_int_equal(cfg->ignore_paths.nr, 0);
	assert_int_equal(cfg->coverage_files.nr, 0);
	assert_int_equal(cfg->junit_files.nr, 0);
	assert_int_equal(cfg->always_run.nr, 0);
	assert_int_equal(cfg->runners_nr, 1);
	r = config_runner(cfg, "pytest");
	assert_non_null(r);
	assert_ptr_equal(r, config_runner(cfg, NULL));
	assert_string_equal(r->name, "pytest");
	assert_int_equal(r->type, RUNNER_PYTEST);
	assert_null(r->python_path);
	assert_string_equal(r->coverage_root, ".");
	assert_int_equal(r->collect_options.nr, 0);
	assert_int_equal(r->execute_options.nr, 0);
	assert_int_equal(r->collect_command.nr, 0);
	assert_int_equal(r->execute_command.nr, 0);
	assert_null(config_runner(cfg, "e2e"));
}

static void test_defaults(void **state)
{
	struct covopt_config cfg;

	config_init(&cfg);
	check_defaults(&cfg);
	config_release(&cfg);
	config_release(&cfg);	/* twice is harmless */
	config_release(NULL);
}

static void test_empty_files(void **state)
{
	static const char *const empty[] = {
		"", "\n", "# only a comment\n", "---\n", "--- ~\n", "{}\n",
		"---\n...\n", "null\n",
	};

	for (size_t i = 0; i < ARRAY_SIZE(empty); i++) {
		struct covopt_config cfg;

		config_init(&cfg);
		if (parse_str(&cfg, empty[i]))
			fail_msg("'%s' was refused", empty[i]);
		check_defaults(&cfg);
		config_release(&cfg);
	}
}

static const char full_yaml[] =
	"# every key\n"
	"budget: 10\n"
	"notes_ref: refs/notes/covopt-ci\n"
	"global_paths:\n"
	"  - conftest.py\n"
	"  - requirements*.txt\n"
	"ignore_paths: [\"docs/**\", \"*.md\"]\n"
	"test_patterns: [\"test_*.py\", \"*_test.py\", check_*.py]\n"
	"always_run: [\"tests/test_smoke.py::test_boots\"]\n"
	"record:\n"
	"  coverage: [.coverage]\n"
	"  junit: [junit.xml, junit-2.xml]\n"
	"runner: e2e\n"
	"runners:\n"
	"  pytest:\n"
	"    type: pytest\n"
	"    python_path: .venv/bin/python\n"
	"    coverage_root: src/inventory\n"
	"    collect_options: [\"-m\", \"not slow\"]\n"
	"    execute_options: [-x, --tb=short, \"a b\", 'c\"d']\n"
	"  e2e:\n"
	"    type: command\n"
	"    collect_command: \"./scripts/list-tests\"\n"
	"    execute_command: [\"./scripts/run-tests\", \"--verbose\", \"\"]\n";

static void test_full(void **state)
{
	struct covopt_config cfg;
	const struct runner_config *py, *e2e;

	config_init(&cfg);
	assert_int_equal(parse_str(&cfg, full_yaml), 0);
	assert_string_equal(cfg.budget, "10");
	assert_string_equal(cfg.notes_ref, "refs/notes/covopt-ci");
	ASSERT_LIST(&cfg.global_paths, "conftest.py", "requirements*.txt");
	ASSERT_LIST(&cfg.ignore_paths, "docs/**", "*.md");
	ASSERT_LIST(&cfg.test_patterns, "test_*.py", "*_test.py",
		    "check_*.py");
	ASSERT_LIST(&cfg.always_run, "tests/test_smoke.py::test_boots");
	ASSERT_LIST(&cfg.coverage_files, ".coverage");
	ASSERT_LIST(&cfg.junit_files, "junit.xml", "junit-2.xml");
	assert_string_equal(cfg.runner, "e2e");
	assert_int_equal(cfg.runners_nr, 2);

	py = config_runner(&cfg, "pytest");
	assert_non_null(py);
	assert_int_equal(py->type, RUNNER_PYTEST);
	assert_string_equal(py->python_path, ".venv/bin/python");
	assert_string_equal(py->coverage_root, "src/inventory");
	ASSERT_LIST(&py->collect_options, "-m", "not slow");
	ASSERT_LIST(&py->execute_options, "-x", "--tb=short", "a b",
		    "c\"d");
	assert_int_equal(py->collect_command.nr, 0);
	assert_int_equal(py->execute_command.nr, 0);

	e2e = config_runner(&cfg, "e2e");
	assert_non_null(e2e);
	assert_ptr_equal(e2e, config_runner(&cfg, NULL));
	assert_string_equal(e2e->name, "e2e");
	assert_int_equal(e2e->type, RUNNER_COMMAND);
	ASSERT_LIST(&e2e->collect_command, "./scripts/list-tests");
	ASSERT_LIST(&e2e->execute_command, "./scripts/run-tests",
		    "--verbose", "");
	assert_int_equal(e2e->collect_options.nr, 0);
	config_release(&cfg);
}

/* Values as written, and a second file over the first. */
static void test_values_and_layering(void **state)
{
	static const struct {
		const char *yaml, *budget;
	} budgets[] = {
		{ "budget: 2.5", "2.5" }, { "budget: \"5%\"", "5%" },
		{ "budget: 5%", "5%" }, { "budget: 100%", "100%" },
		{ "budget: .5", ".5" }, { "budget: 0.01%", "0.01%" },
		{ "budget: '600'", "600" },
	};
	struct covopt_config cfg;
	const struct runner_config *r;

	for (size_t i = 0; i < ARRAY_SIZE(budgets); i++) {
		config_init(&cfg);
		if (parse_str(&cfg, budgets[i].yaml))
			fail_msg("'%s' was refused", budgets[i].yaml);
		assert_string_equal(cfg.budget, budgets[i].budget);
		config_release(&cfg);
	}

	config_init(&cfg);
	assert_int_equal(parse_str(&cfg, "global_paths: []\n"
				   "runners:\n  pytest: {python_path: py}\n"),
			 0);
	assert_int_equal(cfg.global_paths.nr, 0);
	assert_string_equal(config_runner(&cfg, "pytest")->python_path, "py");
	/* a second file: replaces what it sets, keeps the rest */
	assert_int_equal(parse_str(&cfg, "budget: 3\nrunner: x\nrunners:\n"
				   "  x: {type: command, execute_command: r}\n"
				   "  pytest: {coverage_root: pkg}\n"),
			 0);
	assert_string_equal(cfg.budget, "3");
	assert_int_equal(cfg.global_paths.nr, 0);
	assert_int_equal(cfg.runners_nr, 2);
	r = config_runner(&cfg, "pytest");
	assert_null(r->python_path);
	assert_string_equal(r->coverage_root, "pkg");
	r = config_runner(&cfg, NULL);
	assert_string_equal(r->name, "x");
	ASSERT_LIST(&r->execute_command, "r");
	/* the default runner may name a runner of an earlier file */
	assert_int_equal(parse_str(&cfg, "runner: pytest\n"), 0);
	assert_int_equal(parse_str(&cfg, "runner: x\n"), 0);
	assert_string_equal(config_runner(&cfg, NULL)->name, "x");
	/* a pytest runner may be turned into a command */
	assert_int_equal(parse_str(&cfg, "runners:\n  pytest:\n    type: "
				   "command\n    execute_command: [tox]\n"),
			 0);
	assert_int_equal(config_runner(&cfg, "pytest")->type, RUNNER_COMMAND);
	config_release(&cfg);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static const struct {
	const char *yaml, *msg;
} bad[] = {
	/* keys */
	{ "budgett: 10\n", "1:1: unknown key 'budgett'" },
	{ "budget: 10\nnotes_ref: a\nbudget: 3\n",
	  "3:1: duplicate key 'budget'" },
	{ "record:\n  coverage: [a]\n  junt: [b]\n",
	  "3:3: unknown key 'record.junt'" },
	{ "record:\n  junit: [a]\n  junit: [b]\n",
	  "3:3: duplicate key 'record.junit'" },
	{ "runners:\n  pytest:\n    pyhton_path: x\n",
	  "3:5: unknown key 'runners.pytest.pyhton_path'" },
	{ "runners:\n  pytest: {}\n  pytest: {}\n",
	  "3:3: duplicate key 'runners.pytest'" },
	{ "runners:\n  pytest:\n    coverage_root: a\n    coverage_root: b\n",
	  "4:5: duplicate key 'runners.pytest.coverage_root'" },
	{ "[1]: 2\n", "1:1: keys of 'the top level' must be strings" },
	{ "? \n: 2\n", "1:2: keys of 'the top level' must be strings" },
	/* types */
	{ "budget: [1]\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget:\n", "1:8: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: ten\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: -1\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: 0x10\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: inf\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: 1.2.3\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: 5%%\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: '%'\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: 1e400\n", "1:9: 'budget' must be a number of seconds or "
	  "a percentage like '5%'" },
	{ "budget: 0\n", "1:9: 'budget' must be more than 0 seconds" },
	{ "budget: 0.0\n", "1:9: 'budget' must be more than 0 seconds" },
	{ "budget: 0%\n",
	  "1:9: 'budget' must be more than 0% and at most 100%" },
	{ "budget: 100.5%\n",
	  "1:9: 'budget' must be more than 0% and at most 100%" },
	{ "notes_ref: [a]\n", "1:12: 'notes_ref' must be a string" },
	{ "notes_ref: ''\n", "1:12: 'notes_ref' must not be empty" },
	{ "notes_ref: 'refs/notes/a b'\n",
	  "1:12: 'notes_ref' is not a valid ref name: 'refs/notes/a b'" },
	{ "notes_ref: refs/notes/a..b\n",
	  "1:12: 'notes_ref' is not a valid ref name: 'refs/notes/a..b'" },
	{ "notes_ref: \"a\\0b\"\n", "1:12: NUL byte in 'notes_ref'" },
	{ "global_paths: conftest.py\n",
	  "1:15: 'global_paths' must be a list of strings" },
	{ "global_paths:\n  - a\n  - [b]\n",
	  "3:5: 'global_paths' must be a list of strings" },
	{ "ignore_paths: {a: b}\n",
	  "1:15: 'ignore_paths' must be a list of strings" },
	{ "test_patterns: [a, '']\n", "1:20: empty string in 'test_patterns'" },
	{ "always_run: [a, ~]\n",
	  "1:17: 'always_run' must be a list of strings" },
	{ "record: [a]\n", "1:9: 'record' must be a mapping" },
	{ "record:\n  coverage: .coverage\n",
	  "2:13: 'record.coverage' must be a list of strings" },
	{ "runners: [pytest]\n", "1:10: 'runners' must be a mapping" },
	{ "runners:\n  pytest: yes\n",
	  "2:11: 'runners.pytest' must be a mapping" },
	{ "runners:\n  'a b': {type: pytest}\n",
	  "2:3: invalid runner name 'a b'" },
	{ "runners:\n  pytest:\n    python_path: {a: 1}\n",
	  "3:18: 'runners.pytest.python_path' must be a string" },
	{ "runners:\n  pytest:\n    collect_options: {a: 1}\n",
	  "3:22: 'runners.pytest.collect_options' must be a string or a list "
	  "of strings" },
	{ "runners:\n  pytest:\n    execute_options: [a, [b]]\n",
	  "3:26: 'runners.pytest.execute_options' must be a string or a list "
	  "of strings" },
	{ "runners:\n  pytest:\n    execute_options: \"-k 'x\"\n",
	  "3:22: 'runners.pytest.execute_options' needs quoting: write it as "
	  "a list, e.g. [pytest, \"-k\", \"a b\"]" },
	{ "runners:\n  e2e:\n    type: command\n"
	  "    execute_command: 'run \\'\n",
	  "4:22: 'runners.e2e.execute_command' needs quoting: write it as a "
	  "list, e.g. [pytest, \"-k\", \"a b\"]" },
	/* runners */
	{ "runners:\n  e2e:\n    execute_command: run\n",
	  "2:3: runner 'e2e' needs a 'type': 'pytest' or 'command'" },
	{ "runners:\n  e2e:\n    type: shell\n",
	  "3:11: 'runners.e2e.type' must be 'pytest' or 'command'" },
	{ "runners:\n  e2e:\n    type: command\n    collect_command: list\n",
	  "2:3: runner 'e2e' of type 'command' needs 'execute_command'" },
	{ "runners:\n  e2e:\n    type: command\n    execute_command: []\n",
	  "4:22: 'runners.e2e.execute_command' must not be empty" },
	{ "runners:\n  e2e:\n    type: command\n    execute_command: run\n"
	  "    python_path: python3\n",
	  "5:5: 'runners.e2e.python_path' is not valid for a runner of type "
	  "'command'" },
	{ "runners:\n  pytest:\n    execute_command: run\n",
	  "3:5: 'runners.pytest.execute_command' is not valid for a runner of "
	  "type 'pytest'" },
	{ "runner: e2e\n", "1:9: 'runner' names an unknown runner 'e2e'" },
	{ "runners:\n  x: {type: pytest}\nrunner: y\n",
	  "3:9: 'runner' names an unknown runner 'y'" },
	/* structure */
	{ "- a\n- b\n", "1:1: the top level must be a mapping" },
	{ "just text\n", "1:1: the top level must be a mapping" },
	{ "budget: &b 10\nnotes_ref: *b\n", "2:12: aliases are not supported" },
	{ "budget: 10\n---\nbudget: 3\n", "2:1: more than one document" },
	{ "budget: &x 1\nnotes_ref: &x a\n", "2:12: found duplicate anchor; "
	  "first occurrence at 1:9, second occurrence" },
	{ "a: [[[[[[[[1]]]]]]]]\n", "1:11: nesting deeper than 8 levels" },
	{ "budget: 10\nfoo\x00: 1\n", "2:4: NUL byte in file" },
	/* syntax */
	{ "budget: [1\n", "2:1: did not find expected ',' or ']'" },
	{ "a: 'x\n", "2:1: found unexpected end of stream" },
	{ "a: b\n c: d\n", "2:3: mapping values are not allowed in this "
	  "context" },
	{ "\tbudget: 1\n", "1:1: found character that cannot start any "
	  "token" },
	{ "budget: \"\xff\"\n", "1:10: invalid leading UTF-8 octet" },
};

static void test_errors(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct covopt_config cfg;
		char want[512];
		const char *got;
		size_t len = strlen(bad[i].yaml);
		int ret;

		/* the NUL case: the text goes on past the NUL */
		if (strstr(bad[i].msg, "NUL byte in file"))
			len += 1 + strlen(bad[i].yaml + len + 1);
		config_init(&cfg);
		capture_start();
		ret = config_parse(&cfg, bad[i].yaml, len, ".covopt.yml");
		got = capture_end();
		snprintf(want, sizeof(want), "error: .covopt.yml:%s",
			 bad[i].msg);
		if (ret != -1 || strcmp(got, want))
			fail_msg("case %zu: returned %d, said\n  %s\n"
				 "want\n  %s", i, ret, got, want);
		/* a refused file changes nothing */
		check_defaults(&cfg);
		config_release(&cfg);
	}
}

static void test_too_large(void **state)
{
	size_t len = CONFIG_MAX_SIZE + 1;
	char *buf = xmalloc(len);
	struct covopt_config cfg;
	const char *got;

	memset(buf, '#', len);
	config_init(&cfg);
	capture_start();
	assert_int_equal(config_parse(&cfg, buf, len, "big.yml"), -1);
	got = capture_end();
	assert_string_equal(got, "error: big.yml:1:1048577: the file goes on "
			    "past its size limit of 1 MiB (1048576 bytes)");
	/* exactly the limit is fine: all comment */
	assert_int_equal(config_parse(&cfg, buf, len - 1, "big.yml"), 0);
	check_defaults(&cfg);
	config_release(&cfg);
	free(buf);
}

/* Truncated at every byte, a valid file parses or fails cleanly. */
static void test_truncated(void **state)
{
	size_t len = strlen(full_yaml), ok = 0;

	capture_start();
	for (size_t n = 0; n <= len; n++) {
		struct covopt_config cfg;
		/* a copy of exactly n bytes, so ASan sees any overread */
		char *copy = xmalloc(n ? n : 1);
		int ret;

		memcpy(copy, full_yaml, n);
		config_init(&cfg);
		ret = config_parse(&cfg, copy, n, "cut.yml");
		if (ret != 0 && ret != -1)
			fail_msg("offset %zu: returned %d", n, ret);
		ok += !ret;
		/* whatever happened, cfg is consistent */
		assert_non_null(config_runner(&cfg, "pytest"));
		config_release(&cfg);
		free(copy);
	}
	capture_end();
	/* the whole file and the empty prefix at least */
	assert_true(ok >= 2);
	assert_true(ok < len);
}

static void test_load_file(void **state)
{
	char dir[] = "/tmp/test-config-XXXXXX";
	char path[64];
	struct covopt_config cfg;
	const char *got;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.covopt.yml", dir);
	config_init(&cfg);
	/* missing: defaults */
	assert_int_equal(config_load_file(&cfg, path), 0);
	check_defaults(&cfg);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("budget: 7\nfoo: 1\n", f);
	fclose(f);
	capture_start();
	assert_int_equal(config_load_file(&cfg, path), -1);
	got = capture_end();
	assert_true(!strncmp(got, "error: /tmp/test-config-", 24));
	assert_non_null(strstr(got, "/.covopt.yml:2:1: unknown key 'foo'"));
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("budget: 7\n", f);
	fclose(f);
	assert_int_equal(config_load_file(&cfg, path), 0);
	assert_string_equal(cfg.budget, "7");
	unlink(path);
	/* a directory is not a config file */
	capture_start();
	assert_int_equal(config_load_file(&cfg, dir), -1);
	got = capture_end();
	assert_non_null(strstr(got, "Is a directory"));
	rmdir(dir);
	config_release(&cfg);
}

/* A file over the limit is refused where it crosses it, read or parsed. */
static void test_load_file_too_large(void **state)
{
	char dir[] = "/tmp/test-config-XXXXXX";
	char path[64], want[160];
	struct covopt_config cfg;
	const char *got;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/.covopt.yml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	/* 16-byte lines: byte 1048577 is the first of line 65537 */
	for (size_t i = 0; i < 65536 + 4096; i++)
		fputs("# fifteen bytes\n", f);
	fclose(f);
	config_init(&cfg);
	capture_start();
	assert_int_equal(config_load_file(&cfg, path), -1);
	got = capture_end();
	snprintf(want, sizeof(want), "error: %s:65537:1: the file goes on past "
		 "its size limit of 1 MiB (1048576 bytes)", path);
	assert_string_equal(got, want);
	check_defaults(&cfg);
	config_release(&cfg);
	unlink(path);
	rmdir(dir);
}

/* The example shipped in contrib/ is valid and sets what it says. */
static void test_contrib_example(void **state)
{
	const char *src = getenv("COVOPT_SOURCE_DIR");
	const char *self = __FILE__, *tail = strstr(self, "t/unit/");
	char path[4096];
	struct covopt_config cfg;
	const struct runner_config *r;
	struct stat st;

	if (src && *src)
		snprintf(path, sizeof(path), "%s/contrib/covopt.yml", src);
	else
		snprintf(path, sizeof(path), "%.*scontrib/covopt.yml",
			 tail ? (int)(tail - self) : 0, self);
	if (stat(path, &st))
		fail_msg("cannot find '%s'", path);
	config_init(&cfg);
	assert_int_equal(config_load_file(&cfg, path), 0);
	assert_string_equal(cfg.budget, "10");
	assert_string_equal(cfg.notes_ref, "refs/notes/covopt");
	ASSERT_LIST(&cfg.global_paths, "conftest.py", "pyproject.toml",
		    "requirements*.txt");
	ASSERT_LIST(&cfg.ignore_paths, "docs/**", "*.md");
	ASSERT_LIST(&cfg.always_run, "tests/test_smoke.py::test_boots");
	ASSERT_LIST(&cfg.coverage_files, ".coverage");
	ASSERT_LIST(&cfg.junit_files, "junit.xml");
	assert_string_equal(cfg.runner, "pytest");
	r = config_runner(&cfg, NULL);
	assert_string_equal(r->coverage_root, "src/inventory");
	ASSERT_LIST(&r->execute_options, "-x", "--tb=short");
	r = config_runner(&cfg, "e2e");
	assert_non_null(r);
	assert_int_equal(r->type, RUNNER_COMMAND);
	ASSERT_LIST(&r->execute_command, "./scripts/run-tests", "--verbose");
	config_release(&cfg);
}

/* ------------------------------------------------------------------ */
/* Command strings                                                     */
/* ------------------------------------------------------------------ */

static const struct {
	const char *yaml;	/* the value of execute_options */
	const char *words[5];	/* NULL-terminated */
} splits[] = {
	{ "\"\"", { NULL } },
	{ "\"   \\t\\n \"", { NULL } },
	{ "pytest", { "pytest", NULL } },
	{ "\"  -x   --tb=short \"", { "-x", "--tb=short", NULL } },
	{ "\"a\\tb\\nc\"", { "a", "b", "c", NULL } },
	{ "-k test_*.py[ab]~", { "-k", "test_*.py[ab]~", NULL } },
	{ "\"x\\n  \\n y\"", { "x", "y", NULL } },
};

static void test_split(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(splits); i++) {
		struct covopt_config cfg;
		const struct runner_config *r;
		char yaml[256];
		size_t nr = 0;

		snprintf(yaml, sizeof(yaml),
			 "runners:\n  pytest:\n    execute_options: %s\n",
			 splits[i].yaml);
		config_init(&cfg);
		if (parse_str(&cfg, yaml))
			fail_msg("'%s' refused", splits[i].yaml);
		r = config_runner(&cfg, "pytest");
		while (splits[i].words[nr])
			nr++;
		assert_list(&r->execute_options, splits[i].words, nr);
		config_release(&cfg);
	}
}

/* Quotes, backslashes and shell syntax in a string: write a list. */
static void test_split_refused(void **state)
{
	static const char *const shell[] = {
		"'", "\\\"", "\\\\", "$", "`", "|", ";", "&", "<", ">", "(",
		")",
	};

	for (size_t i = 0; i < ARRAY_SIZE(shell); i++) {
		struct covopt_config cfg;
		char yaml[256];
		const char *got;
		int ret;

		snprintf(yaml, sizeof(yaml),
			 "runners:\n  pytest:\n    execute_options: \"-k a%sb\"\n",
			 shell[i]);
		config_init(&cfg);
		capture_start();
		ret = parse_str(&cfg, yaml);
		got = capture_end();
		if (ret != -1 ||
		    strcmp(got, "error: .covopt.yml:3:22: "
				"'runners.pytest.execute_options' needs quoting: "
				"write it as a list, e.g. [pytest, \"-k\", "
				"\"a b\"]"))
			fail_msg("'%s': %d '%s'", shell[i], ret, got);
		/* the default is kept */
		assert_int_equal(config_runner(&cfg, "pytest")->
				 execute_options.nr, 0);
		config_release(&cfg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_values_and_layering),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_load_file_too_large),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_contrib_example),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_split_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
