/* test-coverage-vector.c - unit tests of the packed per-test signal (writer, iterator, quantizer).
 * Exact bytes for known inputs, round trips of feature lists, and malformed varints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "coverage-vector.h"

#define MAX_ENTRIES 8

struct entry {
	uint32_t feature;
	unsigned q;
};

static unsigned char *write_all(size_t *len, const struct entry *e, size_t nr)
{
	struct covvec_writer w;

	covvec_writer_init(&w);
	for (size_t i = 0; i < nr; i++)
		covvec_writer_add(&w, e[i].feature, e[i].q);
	return covvec_writer_finish(&w, len);
}

struct round_trip_case {
	const char *name;
	struct entry e[MAX_ENTRIES];
	size_t nr;
	const char *bytes;	/* the exact encoding, when checked */
	size_t len;
};

static void test_round_trip(void **state)
{
	static const struct round_trip_case cases[] = {
		{ "one at 0, full", { { 0, 16 } }, 1, "\x0f", 1 },
		{ "one at 0, least", { { 0, 1 } }, 1, "\x00", 1 },
		{ "two adjacent", { { 0, 16 }, { 1, 1 } }, 2, "\x0f\x10", 2 },
		{ "delta 8 needs two bytes", { { 8, 1 } }, 1, "\x80\x01", 2 },
		{ "delta 7 fits one byte", { { 7, 16 } }, 1, "\x7f", 1 },
		{ "largest feature", { { UINT32_MAX, 16 } }, 1,
		  "\xff\xff\xff\xff\xff\x01", 6 },
		{ "sparse", { { 3, 2 }, { 100, 9 }, { 70000, 16 },
			      { 70001, 1 }, { 4000000000u, 5 } }, 5, NULL, 0 },
		{ "up to the top", { { 1, 3 }, { UINT32_MAX - 1, 4 },
				     { UINT32_MAX, 5 } }, 3, NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct round_trip_case *c = &cases[i];
		struct covvec_iter it;
		unsigned char *buf;
		size_t len, k = 0;
		int r;

		print_message("# %s\n", c->name);
		buf = write_all(&len, c->e, c->nr);
		assert_non_null(buf);
		if (c->bytes) {
			assert_int_equal(len, c->len);
			assert_memory_equal(buf, c->bytes, len);
		}
		covvec_iter_init(&it, buf, len);
		while ((r = covvec_iter_next(&it)) > 0) {
			assert_true(k < c->nr);
			assert_int_equal(it.feature, c->e[k].feature);
			assert_int_equal(it.q, c->e[k].q);
			k++;
		}
		assert_int_equal(r, 0);
		assert_int_equal(k, c->nr);
		/* the end stays the end */
		assert_int_equal(covvec_iter_next(&it), 0);
		free(buf);
	}
}

static void test_empty(void **state)
{
	struct covvec_writer w;
	struct covvec_iter it;
	size_t len = 99;

	covvec_writer_init(&w);
	assert_null(covvec_writer_finish(&w, &len));
	assert_int_equal(len, 0);
	covvec_iter_init(&it, NULL, 0);
	assert_int_equal(covvec_iter_next(&it), 0);
}

static void test_writer_reuse(void **state)
{
	struct covvec_writer w;
	unsigned char *a, *b;
	size_t la, lb;

	/* after finish the writer starts over: feature 0 is allowed again */
	covvec_writer_init(&w);
	covvec_writer_add(&w, 5, 3);
	a = covvec_writer_finish(&w, &la);
	covvec_writer_add(&w, 0, 2);
	b = covvec_writer_finish(&w, &lb);
	assert_int_equal(la, 1);
	assert_int_equal(a[0], (5 << 4) | 2);
	assert_int_equal(lb, 1);
	assert_int_equal(b[0], 1);
	free(a);
	free(b);
}

static void test_quantize(void **state)
{
	static const struct {
		double share;
		unsigned q;
	} cases[] = {
		{ 1e-12, 1 }, { 1.0 / 16, 1 }, { 1.0 / 16 + 1e-9, 2 },
		{ 0.5, 8 }, { 0.5 + 1e-9, 9 }, { 15.0 / 16, 15 },
		{ 0.99, 16 }, { 1.0, 16 },
		/* out of range: clamped */
		{ 0.0, 1 }, { -3.0, 1 }, { 1.5, 16 }, { 1e300, 16 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("# quantize %g\n", cases[i].share);
		assert_int_equal(covvec_quantize(cases[i].share), cases[i].q);
	}
	assert_int_equal(covvec_quantize(NAN), 1);
	assert_int_equal(covvec_quantize(INFINITY), 16);
	assert_int_equal(covvec_quantize(-INFINITY), 1);
	for (unsigned q = 1; q <= COVVEC_LEVELS; q++) {
		assert_true(covvec_share(q) == q / 16.0);
		assert_int_equal(covvec_quantize(covvec_share(q)), q);
	}
}

struct bad_case {
	const char *name;
	const char *bytes;
	size_t len;
	size_t good;	/* entries read before the error */
};

#define BAD(n, s, good) { n, s, sizeof(s) - 1, good }

static void test_malformed(void **state)
{
	static const struct bad_case cases[] = {
		BAD("truncated varint", "\x80", 0),
		BAD("truncated after an entry", "\x0f\xff\xff", 1),
		BAD("overlong varint (7 bytes)",
		    "\x80\x80\x80\x80\x80\x80\x00", 0),
		BAD("zero delta after the first", "\x0f\x0f", 1),
		BAD("zero delta, other level", "\x13\x05", 1),
		BAD("delta over 32 bits", "\x80\x80\x80\x80\x80\x02", 0),
		BAD("feature overflow", "\xff\xff\xff\xff\xff\x01\x10", 1),
		BAD("feature overflow by sum", "\x80\x80\x80\x80\x80\x01"
		    "\x80\x80\x80\x80\x80\x01", 1),
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		/* an exact-size copy: reading past it is caught by ASan */
		unsigned char *buf = malloc(c->len);
		struct covvec_iter it;
		size_t k = 0;
		int r;

		print_message("# %s\n", c->name);
		assert_non_null(buf);
		memcpy(buf, c->bytes, c->len);
		covvec_iter_init(&it, buf, c->len);
		while ((r = covvec_iter_next(&it)) > 0)
			k++;
		assert_int_equal(r, -1);
		assert_int_equal(k, c->good);
		assert_int_equal(covvec_check(buf, c->len, UINT32_MAX), -1);
		free(buf);
	}
}

static void test_feature_zero_first_only(void **state)
{
	struct covvec_iter it;

	/* a first entry with delta 0 is feature 0, which is fine */
	covvec_iter_init(&it, (const unsigned char *)"\x03\x10", 2);
	assert_int_equal(covvec_iter_next(&it), 1);
	assert_int_equal(it.feature, 0);
	assert_int_equal(it.q, 4);
	assert_int_equal(covvec_iter_next(&it), 1);
	assert_int_equal(it.feature, 1);
	assert_int_equal(it.q, 1);
	assert_int_equal(covvec_iter_next(&it), 0);
}

/* What covvec_check() must say: the iterator's verdict plus the limit. */
static int iter_check(const unsigned char *buf, size_t len, uint32_t limit)
{
	struct covvec_iter it;
	int r;

	covvec_iter_init(&it, buf, len);
	while ((r = covvec_iter_next(&it)) > 0)
		if (it.feature >= limit)
			return -1;
	return r;
}

static void test_check(void **state)
{
	static const uint32_t features[] = { 0, 7, 8, 300, 70000, 70001,
					     1u << 30 };
	static const uint32_t limits[] = { 0, 1, 5, 300, UINT32_MAX };
	struct covvec_writer w;
	unsigned char *buf, b[3];
	size_t len, n = sizeof(features) / sizeof(features[0]);

	/* 1- to 5-byte entries: in range up to the last feature only */
	covvec_writer_init(&w);
	for (size_t i = 0; i < n; i++)
		covvec_writer_add(&w, features[i], (unsigned)i % 16 + 1);
	buf = covvec_writer_finish(&w, &len);
	assert_int_equal(covvec_check(buf, len, features[n - 1] + 1), 0);
	assert_int_equal(covvec_check(buf, len, features[n - 1]), -1);
	assert_int_equal(covvec_check(buf, len, 70001), -1);
	assert_int_equal(covvec_check(buf, len - 1, UINT32_MAX), -1);
	free(buf);
	assert_int_equal(covvec_check(NULL, 0, 0), 0);
	assert_int_equal(covvec_check((const unsigned char *)"\x0f", 1, 0),
			 -1);
	/* every 1- and 2-byte input, and a spread of 3-byte ones, agree */
	for (unsigned v = 0; v < 1u << 16; v++) {
		b[0] = (unsigned char)(v & 0xff);
		b[1] = (unsigned char)(v >> 8);
		b[2] = (unsigned char)(v * 37 >> 3);
		for (size_t k = 0; k < sizeof(limits) / sizeof(limits[0]); k++)
			for (size_t l = 1; l <= 3; l++)
				if (covvec_check(b, l, limits[k]) !=
				    iter_check(b, l, limits[k]))
					fail_msg("check and iterator differ "
						 "on %02x %02x %02x (%zu "
						 "bytes), limit %u", b[0], b[1],
						 b[2], l, limits[k]);
	}
}

/* Run fn in a child and expect it to abort, as BUG() does. */
static void assert_aborts(void (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void add_out_of_order(void)
{
	struct covvec_writer w;

	covvec_writer_init(&w);
	covvec_writer_add(&w, 4, 1);
	covvec_writer_add(&w, 4, 1);
}

static void add_level_zero(void)
{
	struct covvec_writer w;

	covvec_writer_init(&w);
	covvec_writer_add(&w, 1, 0);
}

static void add_level_17(void)
{
	struct covvec_writer w;

	covvec_writer_init(&w);
	covvec_writer_add(&w, 1, 17);
}

static void test_writer_bugs(void **state)
{
	assert_aborts(add_out_of_order);
	assert_aborts(add_level_zero);
	assert_aborts(add_level_17);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_writer_reuse),
		cmocka_unit_test(test_quantize),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_feature_zero_first_only),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_writer_bugs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
