/* test-run-command.c - unit tests for running commands and the runner profiles.
 * Real programs (/bin/sh, printf, pwd, python3 -m pytest) run; stderr is captured to check messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run-command.h"
#include "runner.h"
#include "sbuf.h"
#include "strlist.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))
#define PYTHON "/usr/bin/python3"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Redirect fd (1 or 2) into a temporary file until fd_restore(). */
struct redirect {
	int fd, saved;
	FILE *tmp;
};

static void fd_redirect(struct redirect *r, int fd)
{
	r->fd = fd;
	r->tmp = tmpfile();
	assert_non_null(r->tmp);
	fflush(stdout);
	fflush(stderr);
	r->saved = dup(fd);
	assert_true(r->saved >= 0);
	assert_true(dup2(fileno(r->tmp), fd) >= 0);
}

/* Restore the fd; what was written to it goes into text (if not NULL). */
static void fd_restore(struct redirect *r, struct sbuf *text)
{
	fflush(stdout);
	fflush(stderr);
	assert_true(dup2(r->saved, r->fd) >= 0);
	close(r->saved);
	if (text) {
		sbuf_reset(text);
		assert_int_equal(lseek(fileno(r->tmp), 0, SEEK_SET), 0);
		assert_int_equal(sbuf_read_fd(text, fileno(r->tmp), 1 << 20,
					      "stderr"), 0);
	}
	fclose(r->tmp);
}

static void assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

/* The set of open fds, as a bitmap of the first 1024. */
static void open_fds(unsigned char *set, size_t n)
{
	memset(set, 0, n);
	for (size_t fd = 0; fd < n; fd++)
		if (fcntl((int)fd, F_GETFD) >= 0)
			set[fd] = 1;
}

static char *make_temp_dir(void)
{
	char tmpl[] = "/tmp/covopt-run-XXXXXX";
	char *real;

	assert_non_null(mkdtemp(tmpl));
	real = realpath(tmpl, NULL);
	assert_non_null(real);
	return real;
}

static void remove_tree(char *dir)
{
	const char *argv[] = { "rm", "-rf", dir, NULL };
	struct child c = { .argv = argv, .out = SBUF_INIT };

	assert_int_equal(run_command(&c), 0);
	free(dir);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	struct sbuf path = SBUF_INIT;
	FILE *f;

	sbuf_addf(&path, "%s/%s", dir, name);
	f = fopen(path.buf, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	sbuf_release(&path);
}

static void fill(struct strlist *list, const char *const *items)
{
	for (; items && *items; items++)
		strlist_append(list, *items);
}

static void assert_list(const struct strlist *got, const char *const *want)
{
	size_t n = 0;

	for (; want[n]; n++) {
		if (n >= got->nr)
			fail_msg("item %zu missing, want '%s'", n, want[n]);
		assert_string_equal(got->items[n], want[n]);
	}
	assert_int_equal(got->nr, n);
}

/* ------------------------------------------------------------------ */
/* run_command                                                         */

#define MISSING "covopt-no-such-program"
#define PREFIX "kept:"

static const struct {
	const char *name;
	const char *argv[14];
	const char *dir;
	size_t max;
	int status;
	const char *out;	/* captured after PREFIX */
	const char *err;	/* exact stderr */
} cases[] = {
	{ "echo", { "/bin/echo", "hello", "world" }, NULL, 0, 0,
	  "hello world\n", "" },
	{ "echo in PATH", { "echo", "-n", "x" }, NULL, 0, 0, "x", "" },
	{ "exit 0", { "/bin/sh", "-c", "exit 0" }, NULL, 0, 0, "", "" },
	{ "exit 3", { "/bin/sh", "-c", "echo out; exit 3" }, NULL, 0, 3,
	  "out\n", "" },
	{ "exit 255", { "/bin/sh", "-c", "exit 255" }, NULL, 0, 255, "", "" },
	{ "SIGTERM", { "/bin/sh", "-c", "kill -TERM $$" }, NULL, 0, 128 + 15,
	  "", "" },
	{ "SIGKILL", { "/bin/sh", "-c", "echo a; kill -KILL $$" }, NULL, 0,
	  128 + 9, "a\n", "" },
	{ "SIGPIPE is not ignored in the child",
	  { "/bin/sh", "-c", "kill -PIPE $$" }, NULL, 0, 128 + 13, "", "" },
	{ "stderr passes through",
	  { "/bin/sh", "-c", "echo to-err >&2; echo to-out" }, NULL, 0, 0,
	  "to-out\n", "to-err\n" },
	{ "missing program", { MISSING, "arg" }, NULL, 0, -1, "",
	  "error: cannot start '" MISSING "': No such file or directory\n" },
	{ "missing path", { "/nonexistent/prog" }, NULL, 0, -1, "",
	  "error: cannot start '/nonexistent/prog': "
	  "No such file or directory\n" },
	{ "not executable", { "/etc/passwd" }, NULL, 0, -1, "",
	  "error: cannot start '/etc/passwd': Permission denied\n" },
	{ "a directory", { "/tmp" }, NULL, 0, -1, "",
	  "error: cannot start '/tmp': Permission denied\n" },
	{ "empty program", { "" }, NULL, 0, -1, "",
	  "error: cannot run an empty command\n" },
	{ "no program", { NULL }, NULL, 0, -1, "",
	  "error: cannot run an empty command\n" },
	{ "missing dir", { "/bin/pwd" }, "/nonexistent-dir", 0, -1, "",
	  "error: cannot start '/bin/pwd' in '/nonexistent-dir': "
	  "No such file or directory\n" },
	{ "chdir to /", { "/bin/pwd" }, "/", 0, 0, "/\n", "" },
	{ "relative program after chdir", { "./true" }, "/bin", 0, 0, "", "" },
	{ "cap exactly reached", { "printf", "abcd" }, NULL, 4, 0, "abcd",
	  "" },
	{ "cap exceeded by one", { "printf", "abcd" }, NULL, 3, -1, "",
	  "error: output of 'printf' is too large (more than 3 bytes)\n" },
	{ "endless output", { "yes" }, NULL, 100000, -1, "",
	  "error: output of 'yes' is too large (more than 100000 bytes)\n" },
	{ "endless output ignoring SIGPIPE",
	  { "/bin/sh", "-c", "trap '' PIPE; while :; do echo y; done" },
	  NULL, 1000, -1, "",
	  "error: output of '/bin/sh' is too large (more than 1000 bytes)\n" },
	{ "output with NUL bytes", { "printf", "a\\000b" }, NULL, 0, 0,
	  "a\0b", "" },
	{ "arguments arrive unchanged",
	  { "/usr/bin/printf", "%s\\n", "two words", "'single'",
	    "\"double\"", "$(echo no)", "`echo no`", "line1\nline2",
	    "", "*", "$HOME", "a\\b;|&<>" },
	  NULL, 0, 0,
	  "two words\n'single'\n\"double\"\n$(echo no)\n`echo no`\n"
	  "line1\nline2\n\n*\n$HOME\na\\b;|&<>\n", "" },
	{ "arguments through \"$@\"",
	  { "/bin/sh", "-c", "printf '%s\\n' \"$@\"", "sh", "a b", "$(id)",
	    "`id`", "x\ny", "'", "\"", "-n" },
	  NULL, 0, 0, "a b\n$(id)\n`id`\nx\ny\n'\n\"\n-n\n", "" },
	{ "stdin is /dev/null",
	  { "/bin/sh", "-c",
	    "if read x; then echo \"got $x\"; else echo eof; fi" },
	  NULL, 0, 0, "eof\n", "" },
};

static void test_run_command_cases(void **state)
{
	struct sbuf err = SBUF_INIT;
	unsigned char before[1024], after[1024];

	open_fds(before, sizeof(before));
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct child c = { .argv = cases[i].argv, .dir = cases[i].dir,
				   .capture = 1, .no_stdin = 1,
				   .max_output = cases[i].max,
				   .out = SBUF_INIT };
		struct redirect r;
		size_t want_len = strlen(cases[i].out);
		int got;

		if (!strcmp(cases[i].name, "output with NUL bytes"))
			want_len = 3;
		sbuf_addstr(&c.out, PREFIX);
		fd_redirect(&r, 2);
		got = run_command(&c);
		fd_restore(&r, &err);
		if (got != cases[i].status)
			fail_msg("%s: status %d, want %d (stderr: %s)",
				 cases[i].name, got, cases[i].status, err.buf);
		assert_string_equal(err.buf, cases[i].err);
		assert_int_equal(c.out.len, strlen(PREFIX) + want_len);
		assert_memory_equal(c.out.buf, PREFIX, strlen(PREFIX));
		assert_memory_equal(c.out.buf + strlen(PREFIX), cases[i].out,
				    want_len);
		sbuf_release(&c.out);
		assert_no_children();
	}
	open_fds(after, sizeof(after));
	assert_memory_equal(before, after, sizeof(before));
	sbuf_release(&err);
}

/* quiet: the child's stderr and a failure to start it are not shown. */
static void test_quiet(void **state)
{
	const char *talk[] = { "/bin/sh", "-c", "echo to-err >&2; exit 4",
			       NULL };
	const char *missing[] = { MISSING, NULL };
	struct child c = { .argv = talk,
			   .silence = CHILD_NO_STDERR | CHILD_NO_REPORT,
			   .out = SBUF_INIT };
	struct sbuf err = SBUF_INIT;
	struct redirect r;

	fd_redirect(&r, 2);
	assert_int_equal(run_command(&c), 4);
	c.argv = missing;
	assert_int_equal(run_command(&c), -1);
	fd_restore(&r, &err);
	assert_string_equal(err.buf, "");
	sbuf_release(&err);
	assert_no_children();
}

static void test_no_capture(void **state)
{
	const char *argv[] = { "/bin/echo", "to-stdout", NULL };
	struct child c = { .argv = argv, .out = SBUF_INIT };
	struct sbuf out = SBUF_INIT;
	struct redirect r;

	/* Buffered output of ours must come before the child's. */
	fd_redirect(&r, 1);
	fputs("ours\n", stdout);
	assert_int_equal(run_command(&c), 0);
	fd_restore(&r, &out);
	assert_string_equal(out.buf, "ours\nto-stdout\n");
	assert_int_equal(c.out.len, 0);
	sbuf_release(&out);
	assert_no_children();
}

static void test_stdin(void **state)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "if read x; then echo \"got $x\"; "
			       "else echo eof; fi", NULL };
	int p[2], saved;

	/* Our stdin holds a line: inherited it is read, else /dev/null. */
	for (int no_stdin = 0; no_stdin <= 1; no_stdin++) {
		struct child c = { .argv = argv, .capture = 1,
				   .no_stdin = no_stdin, .out = SBUF_INIT };

		assert_int_equal(pipe(p), 0);
		assert_int_equal(write(p[1], "data\n", 5), 5);
		close(p[1]);
		saved = dup(0);
		assert_true(dup2(p[0], 0) >= 0);
		close(p[0]);
		assert_int_equal(run_command(&c), 0);
		assert_true(dup2(saved, 0) >= 0);
		close(saved);
		assert_string_equal(c.out.buf,
				    no_stdin ? "eof\n" : "got data\n");
		sbuf_release(&c.out);
	}
	assert_no_children();
}

static void test_chdir(void **state)
{
	char *dir = make_temp_dir();
	struct strlist argv = STRLIST_INIT;
	struct sbuf out = SBUF_INIT, want = SBUF_INIT, printed = SBUF_INIT;
	struct redirect r;

	strlist_append(&argv, "/bin/pwd");
	assert_int_equal(run_command_list(&argv, dir, 1, &out), 0);
	sbuf_addf(&want, "%s\n", dir);
	assert_string_equal(out.buf, want.buf);

	/* Without capture stdout is inherited and the buffer left alone. */
	fd_redirect(&r, 1);
	assert_int_equal(run_command_list(&argv, dir, 0, NULL), 0);
	fd_restore(&r, &printed);
	assert_string_equal(printed.buf, want.buf);
	strlist_release(&argv);
	strlist_append(&argv, "/bin/sh");
	strlist_append(&argv, "-c");
	strlist_append(&argv, "exit 7");
	assert_int_equal(run_command_list(&argv, dir, 0, &out), 7);
	assert_string_equal(out.buf, want.buf);

	strlist_release(&argv);
	sbuf_release(&out);
	sbuf_release(&want);
	sbuf_release(&printed);
	remove_tree(dir);
	assert_no_children();
}

static void test_no_fd_leak_into_child(void **state)
{
	const char *argv[] = { PYTHON, "-I", "-S", "-c",
			       "import os\n"
			       "for fd in range(3, 1024):\n"
			       "    try:\n"
			       "        os.fstat(fd)\n"
			       "    except OSError:\n"
			       "        continue\n"
			       "    print(fd)\n", NULL };
	struct child c = { .argv = argv, .capture = 1, .no_stdin = 1,
			   .out = SBUF_INIT };
	unsigned char before[1024];
	char *p, *end;

	open_fds(before, sizeof(before));
	assert_int_equal(run_command(&c), 0);
	/* Every fd the child has was already open in the parent before. */
	for (p = c.out.buf; *p; p = end + 1) {
		long fd = strtol(p, &end, 10);

		assert_true(end > p && *end == '\n');
		assert_true(fd >= 3 && fd < 1024);
		if (!before[fd])
			fail_msg("fd %ld leaked into the child", fd);
	}
	sbuf_release(&c.out);
	assert_no_children();
}

/* ------------------------------------------------------------------ */
/* runner: command                                                     */

static void command_runner(struct runner_config *r,
			   const char *const *collect,
			   const char *const *execute)
{
	memset(r, 0, sizeof(*r));
	r->name = (char *)"cmd";
	r->type = RUNNER_COMMAND;
	fill(&r->collect_command, collect);
	fill(&r->execute_command, execute);
}

static void runner_release(struct runner_config *r)
{
	strlist_release(&r->collect_options);
	strlist_release(&r->execute_options);
	strlist_release(&r->collect_command);
	strlist_release(&r->execute_command);
}

static const struct {
	const char *name;
	const char *collect[4];
	int ret;
	const char *ids[6];
	const char *err;
} collect_cases[] = {
	{ "sorted, unique, blank lines and CR dropped",
	  { "/bin/sh", "-c",
	    "printf 'b\\n\\nt::a[x y]\\r\\nb\\n  \\n\\t\\r\\na\\n\\n'" },
	  0, { "a", "b", "t::a[x y]" }, "" },
	{ "no final newline", { "/bin/sh", "-c", "printf 'z\\ny'" },
	  0, { "y", "z" }, "" },
	{ "nothing", { "/bin/true" }, 0, { NULL }, "" },
	{ "failing collector", { "/bin/sh", "-c", "echo a; exit 1" }, -1,
	  { NULL },
	  "error: runner 'cmd' failed to collect tests (exit status 1)\n" },
	{ "5 is a failure for commands", { "/bin/sh", "-c", "exit 5" }, -1,
	  { NULL },
	  "error: runner 'cmd' failed to collect tests (exit status 5)\n" },
	{ "killed collector", { "/bin/sh", "-c", "kill -TERM $$" }, -1,
	  { NULL },
	  "error: runner 'cmd' failed to collect tests (exit status 143)\n" },
	{ "missing collector", { MISSING }, -1, { NULL },
	  "error: cannot start '" MISSING "': No such file or directory\n"
	  "error: runner 'cmd' cannot collect tests\n" },
	{ "no collect command", { NULL }, -1, { NULL },
	  "error: runner 'cmd' has no collect command\n" },
	{ "NUL byte in an id", { "printf", "a\\n\\000b\\n" }, -1, { NULL },
	  "error: runner 'cmd' printed a test id holding a NUL byte\n" },
};

static void test_command_collect(void **state)
{
	struct sbuf err = SBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(collect_cases); i++) {
		struct runner_config r;
		struct strlist ids = STRLIST_INIT;
		struct redirect red;
		int got;

		command_runner(&r, collect_cases[i].collect, NULL);
		fd_redirect(&red, 2);
		got = runner_collect(&ids, &r);
		fd_restore(&red, &err);
		if (got != collect_cases[i].ret)
			fail_msg("%s: returned %d", collect_cases[i].name, got);
		assert_string_equal(err.buf, collect_cases[i].err);
		if (got < 0)
			assert_int_equal(ids.nr, 0);
		else
			assert_list(&ids, collect_cases[i].ids);
		strlist_release(&ids);
		runner_release(&r);
		assert_no_children();
	}
	sbuf_release(&err);
}

static void test_command_execute(void **state)
{
	char *dir = make_temp_dir();
	struct sbuf file = SBUF_INIT, got = SBUF_INIT, err = SBUF_INIT;
	const char *ids_in[] = { "t.py::a b", "$(echo x)", "-k", "t::`id`",
				 "x;y", "", "--", NULL };
	struct strlist ids = STRLIST_INIT, argv = STRLIST_INIT;
	struct runner_config r;
	struct redirect red;

	sbuf_addf(&file, "%s/ids", dir);
	{
		const char *execute[] = {
			"/bin/sh", "-c",
			"printf '%s\\n' \"$@\" > \"$0\"; exit 3",
			file.buf, NULL };

		command_runner(&r, NULL, execute);
	}
	fill(&ids, ids_in);

	fd_redirect(&red, 2);
	assert_int_equal(runner_execute(&r, &ids, 0), 3);
	fd_restore(&red, &err);
	assert_string_equal(err.buf,
			    "error: runner 'cmd': refusing test id '-k'\n"
			    "error: runner 'cmd': refusing test id ''\n"
			    "error: runner 'cmd': refusing test id '--'\n");
	assert_int_equal(sbuf_read_file(&got, file.buf, 1 << 20), 0);
	assert_string_equal(got.buf,
			    "t.py::a b\n$(echo x)\nt::`id`\nx;y\n");

	/* The same argv for --dry-run, coverage making no difference. */
	fd_redirect(&red, 2);
	runner_execute_argv(&argv, &r, &ids, 1);
	fd_restore(&red, NULL);
	{
		const char *want[] = {
			"/bin/sh", "-c",
			"printf '%s\\n' \"$@\" > \"$0\"; exit 3", file.buf,
			"t.py::a b", "$(echo x)", "t::`id`", "x;y", NULL };

		assert_list(&argv, want);
	}

	/* Nothing selected: nothing runs, and that passes. */
	strlist_release(&ids);
	unlink(file.buf);
	assert_int_equal(runner_execute(&r, &ids, 0), 0);
	assert_int_equal(access(file.buf, F_OK), -1);

	/* Only refused ids: nothing runs, and that fails. */
	strlist_append(&ids, "-x");
	fd_redirect(&red, 2);
	assert_int_equal(runner_execute(&r, &ids, 0), -1);
	fd_restore(&red, &err);
	assert_string_equal(err.buf,
			    "error: runner 'cmd': refusing test id '-x'\n");
	assert_int_equal(access(file.buf, F_OK), -1);

	/* A missing program cannot run. */
	strlist_release(&ids);
	strlist_append(&ids, "a");
	strlist_release(&r.execute_command);
	strlist_append(&r.execute_command, MISSING);
	fd_redirect(&red, 2);
	assert_int_equal(runner_execute(&r, &ids, 0), -1);
	fd_restore(&red, &err);
	assert_string_equal(err.buf, "error: cannot start '" MISSING
			    "': No such file or directory\n");

	/* No execute command at all. */
	strlist_release(&r.execute_command);
	fd_redirect(&red, 2);
	assert_int_equal(runner_execute(&r, &ids, 0), -1);
	fd_restore(&red, &err);
	assert_string_equal(err.buf,
			    "error: runner 'cmd' has no execute command\n");

	strlist_release(&ids);
	strlist_release(&argv);
	runner_release(&r);
	sbuf_release(&file);
	sbuf_release(&got);
	sbuf_release(&err);
	remove_tree(dir);
	assert_no_children();
}

/* ------------------------------------------------------------------ */
/* runner: pytest                                                      */

static void test_pytest_argv(void **state)
{
	struct runner_config r = { .type = RUNNER_PYTEST };
	struct strlist ids = STRLIST_INIT, argv = STRLIST_INIT;
	const char *ids_in[] = { "t.py::a", "t.py::b[-1]", NULL };

	fill(&ids, ids_in);
	strlist_append(&r.execute_options, "-x");
	strlist_append(&r.execute_options, "--tb=short");
	r.python_path = (char *)"py";
	assert_int_equal(runner_execute_argv(&argv, &r, &ids, 1), 0);
	{
		const char *want[] = { "py", "-m", "pytest", "--cov=.",
				       "--cov-context=test", "-x",
				       "--tb=short", "--", "t.py::a",
				       "t.py::b[-1]", NULL };

		assert_list(&argv, want);
	}
	strlist_release(&argv);

	r.python_path = (char *)PYTHON;
	r.coverage_root = (char *)"src";
	runner_execute_argv(&argv, &r, &ids, 1);
	assert_string_equal(argv.items[0], PYTHON);
	assert_string_equal(argv.items[3], "--cov=src");
	strlist_release(&argv);

	runner_execute_argv(&argv, &r, &ids, 0);
	{
		const char *want[] = { PYTHON, "-m", "pytest", "-x",
				       "--tb=short", "--", "t.py::a",
				       "t.py::b[-1]", NULL };

		assert_list(&argv, want);
	}
	strlist_release(&argv);
	strlist_release(&ids);
	runner_release(&r);
}

static const char test_module[] =
	"import pytest\n"
	"def test_ok():\n"
	"    pass\n"
	"def test_fail():\n"
	"    assert 1 == 2\n"
	"@pytest.mark.parametrize('x', ['a b'])\n"
	"def test_param(x):\n"
	"    assert x == 'a b'\n";

/*
 * Collect (into collected) or execute id in dir, keeping stdout (pytest's
 * report) out of the TAP stream; stderr goes into err.
 */
static int in_dir(const char *dir, const struct runner_config *r,
		  const char *id, int with_coverage, struct strlist *collected,
		  struct sbuf *err)
{
	char cwd[PATH_MAX];
	struct redirect out, e;
	struct strlist ids = STRLIST_INIT;
	int ret;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	fd_redirect(&out, 1);
	fd_redirect(&e, 2);
	if (collected) {
		ret = runner_collect(collected, r);
	} else {
		strlist_append(&ids, id);
		ret = runner_execute(r, &ids, with_coverage);
	}
	fd_restore(&e, err);
	fd_restore(&out, NULL);
	assert_int_equal(chdir(cwd), 0);
	strlist_release(&ids);
	return ret;
}

static void test_pytest_runner(void **state)
{
	char *dir = make_temp_dir();
	struct runner_config r = { .type = RUNNER_PYTEST,
				   .python_path = (char *)PYTHON };
	struct strlist ids = STRLIST_INIT;
	struct sbuf err = SBUF_INIT, path = SBUF_INIT;
	const char *want[] = { "test_m.py::test_fail", "test_m.py::test_ok",
			       "test_m.py::test_param[a b]", NULL };

	unsetenv("PYTEST_ADDOPTS");
	setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
	write_file(dir, "pytest.ini", "[pytest]\n");
	write_file(dir, "test_m.py", test_module);

	assert_int_equal(in_dir(dir, &r, NULL, 0, &ids, &err), 0);
	assert_list(&ids, want);
	strlist_release(&ids);

	assert_int_equal(in_dir(dir, &r, "test_m.py::test_ok", 0, NULL, &err),
			 0);
	assert_int_equal(in_dir(dir, &r, "test_m.py::test_param[a b]", 0,
				NULL, &err), 0);
	assert_int_equal(in_dir(dir, &r, "test_m.py::test_fail", 0, NULL,
				&err), 1);

	/* With coverage, contexts land in .coverage. */
	assert_int_equal(in_dir(dir, &r, "test_m.py::test_ok", 1, NULL, &err),
			 0);
	sbuf_addf(&path, "%s/.coverage", dir);
	assert_int_equal(access(path.buf, F_OK), 0);

	/* A broken test file: pytest exits 2, collection fails. */
	write_file(dir, "test_broken.py", "def test_x(:\n");
	assert_int_equal(in_dir(dir, &r, NULL, 0, &ids, &err), -1);
	assert_string_equal(err.buf, "error: runner 'pytest' failed to "
			    "collect tests (exit status 2)\n");
	assert_int_equal(ids.nr, 0);

	/* No tests at all (status 5) is an empty suite, not an error. */
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/test_m.py", dir);
	assert_int_equal(unlink(path.buf), 0);
	sbuf_reset(&path);
	sbuf_addf(&path, "%s/test_broken.py", dir);
	assert_int_equal(unlink(path.buf), 0);
	assert_int_equal(in_dir(dir, &r, NULL, 0, &ids, &err), 0);
	assert_int_equal(ids.nr, 0);
	assert_string_equal(err.buf, "");

	/* A python without pytest, or none at all. */
	r.python_path = (char *)MISSING;
	assert_int_equal(in_dir(dir, &r, NULL, 0, &ids, &err), -1);
	assert_string_equal(err.buf,
			    "error: cannot start '" MISSING
			    "': No such file or directory\n"
			    "error: runner 'pytest' cannot collect tests\n");

	sbuf_release(&err);
	sbuf_release(&path);
	remove_tree(dir);
	assert_no_children();
}

static void interrupt_on_usr1(int sig)
{
	run_command_interrupt(SIGTERM);
}

/* Last: once interrupted, run_command() starts nothing more. */
static void test_interrupt(void **state)
{
	const char *signals[] = { "/bin/sh", "-c",
				  "kill -USR1 $PPID; exec sleep 30", NULL };
	const char *after[] = { "/bin/true", NULL };
	struct child c = { .argv = signals, .out = SBUF_INIT };
	struct child next = { .argv = after, .out = SBUF_INIT };
	struct sigaction sa = { .sa_handler = interrupt_on_usr1 }, old;
	struct sbuf err = SBUF_INIT;
	struct redirect r;

	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	/* The handler sends SIGTERM on to the child running. */
	assert_int_equal(run_command(&c), 128 + SIGTERM);
	fd_redirect(&r, 2);
	assert_int_equal(run_command(&next), -1);
	fd_restore(&r, &err);
	assert_string_equal(err.buf,
			    "error: interrupted: not starting '/bin/true'\n");
	sigaction(SIGUSR1, &old, NULL);
	sbuf_release(&err);
	assert_no_children();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_command_cases),
		cmocka_unit_test(test_no_capture),
		cmocka_unit_test(test_stdin),
		cmocka_unit_test(test_chdir),
		cmocka_unit_test(test_no_fd_leak_into_child),
		cmocka_unit_test(test_command_collect),
		cmocka_unit_test(test_command_execute),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_pytest_argv),
		cmocka_unit_test(test_pytest_runner),
		cmocka_unit_test(test_interrupt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
