/* test-parse-opts.c - unit tests of the table-driven option parser.
 * Good command lines are checked value by value; bad ones must exit 129 (run in a child). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "parse-opts.h"
#include "sbuf.h"
#include "strlist.h"

#define MAX_ARGS 16

struct values {
	int verbose, zero, dry, num;
	const char *name;
	struct strlist list;
};

static const char *const usage_str[] = {
	"git covopt test [<options>] [<path>...]",
	"git covopt test --other",
	NULL,
};

static void make_opts(struct opt_spec *o, struct values *v)
{
	const struct opt_spec table[] = {
		OPT_COUNT('v', "verbose", &v->verbose, "be more verbose"),
		OPT_BOOL('z', "null", &v->zero, "end lines with NUL"),
		OPT_BOOL('n', "dry-run", &v->dry, "change nothing"),
		OPT_GROUP("Tuning"),
		OPT_INT('t', "threshold", &v->num, "n", "a number"),
		OPT_STRING('o', "output", &v->name, "file", "write here"),
		OPT_LIST('x', "exclude", &v->list, "glob", "skip these"),
		OPT_BOOL(0, "long-only", &v->zero, "no short form"),
		OPT_END(),
	};

	memcpy(o, table, sizeof(table));
}
#define NR_OPTS 9

struct good_case {
	const char *argv[MAX_ARGS];
	int flags;
	const char *pos[MAX_ARGS];
	int verbose, zero, dry, num;
	const char *name;	/* NULL: untouched */
	const char *list;	/* items joined with ',' */
};

static const struct good_case good[] = {
	{ { "a", "--dry-run", "b", "-vz", "-t10", "-o", "out", "c" }, 0,
	  { "a", "b", "c" }, 1, 1, 1, 10, "out", "" },
	{ { "-t", "10" }, 0, { NULL }, 0, 0, 0, 10, NULL, "" },
	{ { "--threshold=42", "--output=x=y" }, 0, { NULL },
	  0, 0, 0, 42, "x=y", "" },
	{ { "--threshold", "7", "--output", "y", "p" }, 0, { "p" },
	  0, 0, 0, 7, "y", "" },
	{ { "--dry-run", "--no-dry-run" }, 0, { NULL }, 0, 0, 0, 0, NULL, "" },
	{ { "--no-dry-run", "-n" }, 0, { NULL }, 0, 0, 1, 0, NULL, "" },
	{ { "-vvv" }, 0, { NULL }, 3, 0, 0, 0, NULL, "" },
	{ { "-v", "--verbose", "-v" }, 0, { NULL }, 3, 0, 0, 0, NULL, "" },
	{ { "-vv", "--no-verbose" }, 0, { NULL }, 0, 0, 0, 0, NULL, "" },
	{ { "-x", "a", "--exclude", "b", "--exclude=c", "-xd" }, 0, { NULL },
	  0, 0, 0, 0, NULL, "a,b,c,d" },
	{ { "a", "--", "-v", "b" }, 0, { "a", "-v", "b" },
	  0, 0, 0, 0, NULL, "" },
	{ { "a", "--", "-v", "b" }, PARSE_OPT_KEEP_DASHDASH,
	  { "a", "--", "-v", "b" }, 0, 0, 0, 0, NULL, "" },
	{ { "--", "--" }, 0, { "--" }, 0, 0, 0, 0, NULL, "" },
	{ { "-", "-v" }, 0, { "-" }, 1, 0, 0, 0, NULL, "" },
	{ { "-t", "-5" }, 0, { NULL }, 0, 0, 0, -5, NULL, "" },
	{ { "-t", "-2147483648" }, 0, { NULL },
	  0, 0, 0, -2147483647 - 1, NULL, "" },
	{ { "-ofile" }, 0, { NULL }, 0, 0, 0, 0, "file", "" },
	{ { "-vzofile", "-o", "-v" }, 0, { NULL }, 1, 1, 0, 0, "-v", "" },
	{ { "-o", "" }, 0, { NULL }, 0, 0, 0, 0, "", "" },
	{ { "--long-only" }, 0, { NULL }, 0, 1, 0, 0, NULL, "" },
	{ { "-v", "sub", "-z", "x" }, PARSE_OPT_STOP_AT_NON_OPTION,
	  { "sub", "-z", "x" }, 1, 0, 0, 0, NULL, "" },
	{ { "-v", "sub", "-z" }, 0, { "sub" }, 1, 1, 0, 0, NULL, "" },
	{ { NULL }, 0, { NULL }, 0, 0, 0, 0, NULL, "" },
};

static int fill_argv(const char **argv, const char *const *args)
{
	int n = 0;

	argv[0] = "test";
	while (args[n]) {
		argv[n + 1] = args[n];
		n++;
	}
	argv[n + 1] = NULL;
	return n + 1;
}

static void test_good_command_lines(void **state)
{
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good_case *c = &good[i];
		struct values v = { .list = STRLIST_INIT };
		struct opt_spec opts[NR_OPTS];
		const char *argv[MAX_ARGS + 2];
		struct sbuf joined = SBUF_INIT;
		int argc = fill_argv(argv, c->argv), n, k;

		print_message("# case %zu\n", i);
		make_opts(opts, &v);
		n = parse_options(argc, argv, opts, usage_str, c->flags);
		for (k = 0; c->pos[k]; k++) {
			assert_true(k < n);
			assert_string_equal(argv[k], c->pos[k]);
		}
		assert_int_equal(n, k);
		assert_null(argv[n]);
		assert_int_equal(v.verbose, c->verbose);
		assert_int_equal(v.zero, c->zero);
		assert_int_equal(v.dry, c->dry);
		assert_int_equal(v.num, c->num);
		if (c->name)
			assert_string_equal(v.name, c->name);
		else
			assert_null(v.name);
		for (size_t j = 0; j < v.list.nr; j++)
			sbuf_addf(&joined, "%s%s", j ? "," : "",
				  v.list.items[j]);
		assert_string_equal(joined.buf, c->list);
		sbuf_release(&joined);
		strlist_release(&v.list);
	}
}

static void test_string_points_into_argv(void **state)
{
	struct values v = { .list = STRLIST_INIT };
	struct opt_spec opts[NR_OPTS];
	char arg[] = "--output=abc";
	const char *argv[] = { "test", arg, NULL };

	make_opts(opts, &v);
	assert_int_equal(parse_options(2, argv, opts, usage_str, 0), 0);
	assert_true(v.name == arg + 9);
	/* lists copy their items */
	argv[0] = "test";
	argv[1] = "-xq";
	assert_int_equal(parse_options(2, argv, opts, usage_str, 0), 0);
	assert_int_equal(v.list.nr, 1);
	assert_true(v.list.items[0] != argv[1] + 2);
	assert_string_equal(v.list.items[0], "q");
	strlist_release(&v.list);
}

/* Run parse_options in a child; collect exit status, stdout and stderr. */
static int run_child(const char *const *args, int flags, struct sbuf *out,
		     struct sbuf *err)
{
	int po[2], pe[2], status;
	pid_t pid;

	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct values v = { .list = STRLIST_INIT };
		struct opt_spec opts[NR_OPTS];
		const char *argv[MAX_ARGS + 2];
		int argc = fill_argv(argv, args);

		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		make_opts(opts, &v);
		parse_options(argc, argv, opts, usage_str, flags);
		_exit(0);	/* parsed without complaint */
	}
	close(po[1]);
	close(pe[1]);
	/* usage text is small: read stdout fully, then stderr */
	assert_int_equal(sbuf_read_fd(out, po[0], 1 << 16, "stdout"), 0);
	assert_int_equal(sbuf_read_fd(err, pe[0], 1 << 16, "stderr"), 0);
	close(po[0]);
	close(pe[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

struct bad_case {
	const char *argv[MAX_ARGS];
	const char *message;	/* the error line */
};

static const struct bad_case bad[] = {
	{ { "--bogus" }, "error: unknown option 'bogus'\n" },
	{ { "--bogus=1" }, "error: unknown option 'bogus=1'\n" },
	{ { "-q" }, "error: unknown switch 'q'\n" },
	{ { "-vq" }, "error: unknown switch 'q'\n" },
	{ { "--dry-run=1" }, "error: option 'dry-run' takes no value\n" },
	{ { "-t" }, "error: switch 't' requires a value\n" },
	{ { "--threshold" }, "error: option 'threshold' requires a value\n" },
	{ { "-t", "abc" }, "error: option expects an integer, got 'abc'\n" },
	{ { "-t10x" }, "error: option expects an integer, got '10x'\n" },
	{ { "-t", "" }, "error: option expects an integer, got ''\n" },
	{ { "--threshold=99999999999" },
	  "error: option expects an integer, got '99999999999'\n" },
	{ { "-t", "2147483648" },
	  "error: option expects an integer, got '2147483648'\n" },
	{ { "--no-output" }, "error: unknown option 'no-output'\n" },
	{ { "--no-" }, "error: unknown option 'no-'\n" },
	{ { "--dry" }, "error: unknown option 'dry'\n" },
	{ { "ok", "--", "x", "--bogus" }, NULL },	/* after "--": fine */
};

static void test_bad_options_exit_129(void **state)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sbuf out = SBUF_INIT, err = SBUF_INIT;
		int code = run_child(bad[i].argv, 0, &out, &err);

		print_message("# %s\n", bad[i].argv[0]);
		assert_int_equal(out.len, 0);
		if (!bad[i].message) {
			assert_int_equal(code, 0);
			assert_int_equal(err.len, 0);
		} else {
			assert_int_equal(code, 129);
			/* the error first, then the usage */
			assert_true(!strncmp(err.buf, bad[i].message,
					     strlen(bad[i].message)));
			assert_non_null(strstr(err.buf, "usage: git covopt "
							"test [<options>]"));
		}
		sbuf_release(&out);
		sbuf_release(&err);
	}
}

static void test_help(void **state)
{
	static const char *const args[][MAX_ARGS] = {
		{ "-h" }, { "a", "-h", "--bogus" }, { "--help-all" },
	};
	static const char head[] = "usage: git covopt test [<options>] "
				   "[<path>...]\n   or: git covopt test "
				   "--other\n";

	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		struct sbuf out = SBUF_INIT, err = SBUF_INIT;

		assert_int_equal(run_child(args[i], 0, &out, &err), 129);
		assert_int_equal(err.len, 0);
		assert_true(!strncmp(out.buf, head, strlen(head)));
		assert_non_null(strstr(out.buf, "-t, --threshold <n>"));
		assert_non_null(strstr(out.buf, "-o, --output <file>"));
		assert_non_null(strstr(out.buf, "\nTuning\n"));
		assert_non_null(strstr(out.buf, "    --long-only "));
		assert_non_null(strstr(out.buf, "-v, --verbose "));
		sbuf_release(&out);
		sbuf_release(&err);
	}
}

static void test_usage_with_options(void **state)
{
	pid_t pid;
	int status, pe[2];
	struct sbuf err = SBUF_INIT;

	assert_int_equal(pipe(pe), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		dup2(pe[1], 2);
		close(pe[0]);
		usage_with_options(usage_str, NULL);
	}
	close(pe[1]);
	assert_int_equal(sbuf_read_fd(&err, pe[0], 1 << 16, "stderr"), 0);
	close(pe[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 129);
	assert_string_equal(err.buf, "usage: git covopt test [<options>] "
				     "[<path>...]\n   or: git covopt test "
				     "--other\n\n");
	sbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_command_lines),
		cmocka_unit_test(test_string_points_into_argv),
		cmocka_unit_test(test_bad_options_exit_129),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_with_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
