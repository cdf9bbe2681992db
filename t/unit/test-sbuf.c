/* test-sbuf.c - unit tests of the growable byte buffer and its strbuf invariants.
 * After every operation: buf is never NULL, buf[len] is NUL, and alloc > len once allocated. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sbuf.h"

static void assert_invariants(const struct sbuf *sb)
{
	assert_non_null(sb->buf);
	assert_int_equal(sb->buf[sb->len], '\0');
	if (sb->alloc)
		assert_true(sb->alloc > sb->len);
	else
		assert_true(sb->buf == sbuf_slopbuf && sb->len == 0);
	/* nobody ever writes into the shared empty buffer */
	assert_int_equal(sbuf_slopbuf[0], '\0');
}

static void test_init(void **state)
{
	struct sbuf a = SBUF_INIT, b;

	assert_invariants(&a);
	assert_string_equal(a.buf, "");
	sbuf_init(&b, 0);
	assert_invariants(&b);
	assert_int_equal(b.alloc, 0);
	sbuf_init(&b, 100);
	assert_invariants(&b);
	assert_true(b.alloc >= 101);
	assert_int_equal(b.len, 0);
	sbuf_release(&b);
	assert_invariants(&b);
	assert_int_equal(b.alloc, 0);
	/* releasing an empty buffer twice is fine */
	sbuf_release(&a);
	sbuf_release(&a);
	assert_invariants(&a);
}

static void test_add_holds_nul(void **state)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_add(&sb, "a\0b", 3);
	assert_invariants(&sb);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4);
	sbuf_addch(&sb, '\0');
	sbuf_addch(&sb, 'z');
	assert_invariants(&sb);
	assert_int_equal(sb.len, 5);
	assert_memory_equal(sb.buf, "a\0b\0z", 6);
	sbuf_add(&sb, "ignored", 0);
	assert_int_equal(sb.len, 5);
	sbuf_addstr(&sb, "");
	assert_int_equal(sb.len, 5);
	sbuf_release(&sb);
}

struct op {
	enum { ADD, ADDSTR, ADDCH, ADDF_STR, ADDF_NUM, SETLEN } kind;
	const char *s;
	size_t n;
	const char *expect;	/* the whole buffer afterwards */
};

static void test_operations_table(void **state)
{
	static const struct op ops[] = {
		{ ADDSTR, "hello", 0, "hello" },
		{ ADDCH, NULL, ' ', "hello " },
		{ ADD, "worldXXX", 5, "hello world" },
		{ ADDF_STR, "<x>", 42, "hello world<x>-42" },
		{ SETLEN, NULL, 5, "hello" },
		{ ADDF_NUM, NULL, 42, "hello00042|2a" },
		{ SETLEN, NULL, 0, "" },
		{ ADDCH, NULL, 'q', "q" },
	};
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct op *o = &ops[i];

		switch (o->kind) {
		case ADD:
			sbuf_add(&sb, o->s, o->n);
			break;
		case ADDSTR:
			sbuf_addstr(&sb, o->s);
			break;
		case ADDCH:
			sbuf_addch(&sb, (int)o->n);
			break;
		case ADDF_STR:
			sbuf_addf(&sb, "%s-%zu", o->s, o->n);
			break;
		case ADDF_NUM:
			sbuf_addf(&sb, "%05zu|%zx", o->n, o->n);
			break;
		case SETLEN:
			sbuf_setlen(&sb, o->n);
			break;
		}
		assert_invariants(&sb);
		assert_int_equal(sb.len, strlen(o->expect));
		assert_string_equal(sb.buf, o->expect);
	}
	sbuf_reset(&sb);
	assert_invariants(&sb);
	assert_int_equal(sb.len, 0);
	sbuf_release(&sb);
}

static void test_addf_growth(void **state)
{
	struct sbuf sb = SBUF_INIT;
	char *big = malloc(5001);
	size_t expect = 0, room;

	assert_non_null(big);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	/* longer than addf's first guess (64 bytes) and any earlier room */
	for (int i = 0; i < 5; i++) {
		sbuf_addf(&sb, "[%d:%s]", i, big + i * 1000);
		expect += 4 + 5000 - i * 1000;
		assert_invariants(&sb);
		assert_int_equal(sb.len, expect);
	}
	assert_memory_equal(sb.buf, "[0:xxx", 6);
	assert_int_equal(sb.buf[sb.len - 1], ']');
	/* exactly filling the room left: no overflow, NUL still in place */
	sbuf_release(&sb);
	sbuf_grow(&sb, 64);
	room = sb.alloc - 1;
	sbuf_addf(&sb, "%.*s", (int)room, big);
	assert_invariants(&sb);
	assert_int_equal(sb.len, room);
	assert_int_equal(sb.alloc, room + 1);
	/* one byte more than the room: the second formatting pass */
	sbuf_release(&sb);
	sbuf_grow(&sb, 64);
	room = sb.alloc - 1;
	sbuf_addf(&sb, "%.*s", (int)room + 1, big);
	assert_invariants(&sb);
	assert_int_equal(sb.len, room + 1);
	assert_int_equal(strspn(sb.buf, "x"), room + 1);
	free(big);
	sbuf_release(&sb);
}

static void test_grow(void **state)
{
	struct sbuf sb = SBUF_INIT;
	size_t before;

	sbuf_grow(&sb, 0);
	assert_invariants(&sb);
	assert_true(sb.alloc >= 1);
	sbuf_addstr(&sb, "abc");
	sbuf_grow(&sb, 1000);
	assert_true(sb.alloc >= 3 + 1000 + 1);
	assert_string_equal(sb.buf, "abc");
	before = sb.alloc;
	sbuf_grow(&sb, 10);
	assert_int_equal(sb.alloc, before);
	for (int i = 0; i < 10000; i++)
		sbuf_addch(&sb, 'a' + i % 26);
	assert_invariants(&sb);
	assert_int_equal(sb.len, 10003);
	assert_int_equal(sb.buf[10002], 'a' + 9999 % 26);
	sbuf_release(&sb);
}

static void test_detach(void **state)
{
	struct sbuf sb = SBUF_INIT;
	size_t len = 99;
	char *s;

	/* an empty buffer still hands over a fresh, freeable string */
	s = sbuf_detach(&sb, &len);
	assert_non_null(s);
	assert_true(s != sbuf_slopbuf);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	sbuf_add(&sb, "x\0y", 3);
	s = sbuf_detach(&sb, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(s, "x\0y", 4);
	assert_invariants(&sb);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	/* the buffer is usable again and does not share memory with s */
	sbuf_addstr(&sb, "new");
	assert_string_equal(sb.buf, "new");
	assert_memory_equal(s, "x\0y", 4);
	free(s);
	s = sbuf_detach(&sb, NULL);
	assert_string_equal(s, "new");
	free(s);
	sbuf_release(&sb);
}

/* Write len bytes of a pattern (with NULs) to a new temporary file. */
static char *temp_file(size_t len)
{
	char *path = strdup("/tmp/covopt-sbuf-XXXXXX");
	int fd = mkstemp(path);
	char *data = malloc(len + 1);

	assert_true(fd >= 0);
	assert_non_null(data);
	for (size_t i = 0; i < len; i++)
		data[i] = (char)(i % 251);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
	return path;
}

/* Capture stderr of fn-like code: returns what was written. */
static FILE *cap;
static int cap_saved = -1;

static void cap_begin(void)
{
	fflush(stderr);
	cap = tmpfile();
	assert_non_null(cap);
	cap_saved = dup(2);
	dup2(fileno(cap), 2);
}

static void cap_end(char *out, size_t size)
{
	size_t n;

	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	rewind(cap);
	n = fread(out, 1, size - 1, cap);
	out[n] = '\0';
	fclose(cap);
}

struct read_case {
	size_t file_len, max;
	int ok;
};

static void test_read_file(void **state)
{
	static const struct read_case cases[] = {
		{ 0, 0, 1 }, { 100, 100, 1 }, { 100, 99, 0 }, { 100, 1000, 1 },
		{ 200000, 200000, 1 }, { 200000, 199999, 0 },
		{ 200000, 65536, 0 }, { 65536, 65536, 1 }, { 65537, 65536, 0 },
	};
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct read_case *c = &cases[i];
		char *path = temp_file(c->file_len);
		struct sbuf sb = SBUF_INIT;
		int r;

		print_message("# %zu bytes, max %zu\n", c->file_len, c->max);
		cap_begin();
		r = sbuf_read_file(&sb, path, c->max);
		cap_end(err, sizeof(err));
		assert_invariants(&sb);
		if (c->ok) {
			assert_int_equal(r, 0);
			assert_string_equal(err, "");
			assert_int_equal(sb.len, c->file_len);
			for (size_t k = 0; k < sb.len; k++)
				if ((unsigned char)sb.buf[k] != k % 251)
					fail_msg("byte %zu differs", k);
		} else {
			assert_int_equal(r, -1);
			assert_non_null(strstr(err, "is too large"));
			assert_non_null(strstr(err, path));
		}
		unlink(path);
		free(path);
		sbuf_release(&sb);
	}
}

static void test_read_file_appends_and_fails(void **state)
{
	struct sbuf sb = SBUF_INIT;
	char *path = temp_file(3);
	char err[512];
	int r;

	sbuf_addstr(&sb, "head:");
	assert_int_equal(sbuf_read_file(&sb, path, 100), 0);
	assert_int_equal(sb.len, 8);
	assert_memory_equal(sb.buf, "head:\0\1\2", 9);
	unlink(path);
	cap_begin();
	r = sbuf_read_file(&sb, path, 100);
	cap_end(err, sizeof(err));
	assert_int_equal(r, -1);
	assert_non_null(strstr(err, "error: cannot open '"));
	assert_non_null(strstr(err, path));
	/* one line */
	assert_non_null(strchr(err, '\n'));
	assert_int_equal(strchr(err, '\n') - err + 1, strlen(err));
	free(path);
	sbuf_release(&sb);
}

static void test_read_fd_pipe(void **state)
{
	struct sbuf sb = SBUF_INIT;
	int fds[2];
	pid_t pid;
	int status;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(fds[0]);
		/* in many small writes, so reads come back short */
		for (int i = 0; i < 1000; i++)
			if (write(fds[1], "0123456789", 10) != 10)
				_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(sbuf_read_fd(&sb, fds[0], 10000, "pipe"), 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(sb.len, 10000);
	assert_memory_equal(sb.buf + 9990, "0123456789", 11);
	sbuf_release(&sb);
}

static void setlen_beyond(void)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, "abc");
	sbuf_setlen(&sb, sb.alloc);
}

static void test_setlen_beyond_is_a_bug(void **state)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		setlen_beyond();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_add_holds_nul),
		cmocka_unit_test(test_operations_table),
		cmocka_unit_test(test_addf_growth),
		cmocka_unit_test(test_grow),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_read_file_appends_and_fails),
		cmocka_unit_test(test_read_fd_pipe),
		cmocka_unit_test(test_setlen_beyond_is_a_bug),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
