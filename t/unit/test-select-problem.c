/* test-select-problem.c - unit tests of select-problem.c: which tests compete, with what entries,
 * costs and priors; tests gone from the target, new tests, always_run and run-all. No git. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "coverage-vector.h"
#include "impact.h"
#include "model.h"
#include "sbuf.h"
#include "select-problem.h"
#include "strlist.h"
#include "xalloc.h"

#define BLOB "0123456789abcdef0123456789abcdef01234567"

/* Features a.py::f, a.py::g, a.py::h; a change to f (3 lines) and g (2). */
enum { F, G, H };

struct fixture_test {
	const char *id;
	double cost;
	uint32_t history;
	int feature[2];		/* covered features (q 16 and 8), -1: none */
	double prior;		/* impact prior */
	int removed;
};

/* Sorted by id, as models are. */
static const struct fixture_test fixture_tests[] = {
	{ "tests/test_a.py::test_f", 2.0, 2, { F, G }, 0, 0 },	/* failed before */
	{ "tests/test_a.py::test_g", 0, 0, { G, -1 }, 0, 0 },	/* cost unknown */
	{ "tests/test_a.py::test_h", 1.0, 0, { H, -1 }, 0.5, 0 }, /* changed test */
	{ "tests/test_b.py::test_always", 1.0, 0, { F, -1 }, 0, 0 },
	{ "tests/test_c.py::test_gone", 1.0, 0, { F, -1 }, 0, 1 },
	{ "tests/test_d.py::test_missing", 1.0, 0, { F, -1 }, 0, 0 },
	{ "tests/test_e.py::test_far", 1.0, 2, { H, -1 }, 0, 0 },
};
#define NTESTS (sizeof(fixture_tests) / sizeof(*fixture_tests))

struct fixture {
	struct model m;
	struct impact imp;
	struct strlist always;
};

static void build_model(struct model *m)
{
	model_init(m);
	model_add_flag(m, "default", BLOB, 8, 0, 1);
	model_add_file(m, "a.py", BLOB);
	model_add_feature(m, 0, "f", FEATURE_FUNCTION, 1, 3);
	model_add_feature(m, 0, "g", FEATURE_FUNCTION, 2, 2);
	model_add_feature(m, 0, "h", FEATURE_FUNCTION, 3, 2);
	for (size_t i = 0; i < NTESTS; i++) {
		const struct fixture_test *t = &fixture_tests[i];
		struct covvec_writer w;
		unsigned char *sig;
		size_t len;

		covvec_writer_init(&w);
		covvec_writer_add(&w, (uint32_t)t->feature[0], 16);
		if (t->feature[1] >= 0)
			covvec_writer_add(&w, (uint32_t)t->feature[1], 8);
		sig = covvec_writer_finish(&w, &len);
		model_add_test(m, t->id, 0, t->cost, OUTCOME_PASSED,
			       t->history, sig, len);
	}
}

static void add_slot(struct impact *imp, long feature, double weight)
{
	ALLOC_GROW(imp->slots, imp->slots_nr + 1, imp->slots_alloc);
	memset(&imp->slots[imp->slots_nr], 0, sizeof(*imp->slots));
	imp->slots[imp->slots_nr].kind = SLOT_FEATURE;
	imp->slots[imp->slots_nr].feature = feature;
	imp->slots[imp->slots_nr].weight = weight;
	imp->feature_slot[feature] = (long)imp->slots_nr++;
}

static void build_impact(struct impact *imp, const struct model *m)
{
	memset(imp, 0, sizeof(*imp));
	imp->feature_slot = xmalloc(st_mult(m->features_nr, sizeof(long)));
	for (size_t i = 0; i < m->features_nr; i++)
		imp->feature_slot[i] = -1;
	imp->global_slot = -1;
	add_slot(imp, F, 3);
	add_slot(imp, G, 2);
	/* test_g also reaches f through an import, at half strength */
	ALLOC_GROW(imp->extra, 1, imp->extra_alloc);
	imp->extra[0].test = 1;
	imp->extra[0].slot = 0;
	imp->extra[0].a = 0.5f;
	imp->extra_nr = 1;
	imp->prior = xcalloc(m->tests_nr, sizeof(double));
	imp->removed = xcalloc(m->tests_nr, 1);
	for (size_t i = 0; i < NTESTS; i++) {
		imp->prior[i] = fixture_tests[i].prior;
		imp->removed[i] = (unsigned char)fixture_tests[i].removed;
	}
	strlist_append(&imp->new_tests, "tests/test_a.py::test_new");
	strlist_append(&imp->new_tests, "tests/test_b.py::test_always");
	strlist_append(&imp->new_tests, "tests/test_d.py::test_new2");
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	build_model(&fx->m);
	assert_int_equal(model_validate(&fx->m, "fixture"), 0);
	build_impact(&fx->imp, &fx->m);
	strlist_append(&fx->always, "tests/test_b.py::test_always");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	impact_release(&fx->imp);
	model_release(&fx->m);
	strlist_release(&fx->always);
	free(fx);
	return 0;
}

/* The work tree: test_d.py is not there. */
static int exists(const char *id, void *payload)
{
	(void)payload;
	return strncmp(id, "tests/test_d.py", 15) != 0;
}

/* "id cost=<ticks> prior=<p> [slot:a ...]" for candidate c. */
static void describe(struct sbuf *out, const struct select_problem *pb,
		     const struct model *m, size_t c)
{
	const struct opt_candidate *cand = &pb->cands[c];

	sbuf_reset(out);
	sbuf_addf(out, "%s cost=%.0f prior=%g",
		  select_problem_test_id(pb, m, c), cand->cost, cand->prior);
	for (size_t k = 0; k < cand->nr; k++)
		sbuf_addf(out, " %u:%g", pb->entries[cand->first + k].slot,
			  (double)pb->entries[cand->first + k].a);
}

static const struct {
	const char *name;
	const char *const *collected;	/* NULL-terminated, sorted; NULL: none */
	int run_all;
	const char *const want[8];	/* NULL-terminated */
} cases[] = {
	{
		/*
		 * prior scale = 1 + 3 + 2 = 6; default cost = median 1 s.
		 * Each test meeting the change: 6 x 0.0002. test_f: failed
		 * a recording ago (0.1 x 1/2), runs only changed lines
		 * (0.02 x sqrt 1), is named after f (0.02): 6 x 0.0902;
		 * test_g: 6 x (0.0002 + 0.02 + 0.02).
		 */
		"work tree", NULL, 0, {
			"tests/test_a.py::test_f cost=2000000 prior=0.5412 0:1 1:0.5",
			"tests/test_a.py::test_g cost=1000000 prior=0.2412 0:0.5 1:1",
			"tests/test_a.py::test_h cost=1000000 prior=3",
			"tests/test_a.py::test_new cost=1000000 prior=6",
			NULL,
		},
	},
	{
		"run-all gives every existing test a prior", NULL, 1, {
			"tests/test_a.py::test_f cost=2000000 prior=6.5412 0:1 1:0.5",
			"tests/test_a.py::test_g cost=1000000 prior=6.2412 0:0.5 1:1",
			"tests/test_a.py::test_h cost=1000000 prior=9",
			"tests/test_e.py::test_far cost=1000000 prior=6",
			"tests/test_a.py::test_new cost=1000000 prior=6",
			NULL,
		},
	},
	{
		"the collection decides what exists and what is new",
		(const char *const[]){
			"tests/test_a.py::test_f",
			"tests/test_b.py::test_always",
			"tests/test_d.py::test_missing",
			"tests/test_z.py::test_z",
			NULL,
		}, 0, {
			"tests/test_a.py::test_f cost=2000000 prior=0.5412 0:1 1:0.5",
			"tests/test_d.py::test_missing cost=1000000 prior=0.1212 0:1",
			"tests/test_z.py::test_z cost=1000000 prior=6",
			NULL,
		},
	},
};

static void test_candidates(void **state)
{
	struct fixture *fx = *state;
	struct sbuf got = SBUF_INIT;

	assert_true(select_default_cost(&fx->m) == 1.0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct strlist collected = STRLIST_INIT;
		struct select_problem_input in = {
			.model = &fx->m,
			.impact = &fx->imp,
			.always_run = &fx->always,
			.run_all = cases[i].run_all,
			.default_cost = select_default_cost(&fx->m),
			.exists = exists,
		};
		struct select_problem pb;
		size_t n = 0;

		print_message("case: %s\n", cases[i].name);
		for (const char *const *c = cases[i].collected; c && *c; c++)
			strlist_append(&collected, *c);
		if (cases[i].collected)
			in.collected = &collected;
		select_problem_build(&pb, &in);
		while (cases[i].want[n])
			n++;
		for (size_t c = 0; c < pb.cands_nr && c < n; c++) {
			describe(&got, &pb, &fx->m, c);
			assert_string_equal(got.buf, cases[i].want[c]);
		}
		assert_int_equal(pb.cands_nr, n);
		assert_int_equal(pb.p.cands_nr, n);
		assert_int_equal(pb.p.slots_nr, 2);
		assert_true(pb.p.weight[0] == 3 && pb.p.weight[1] == 2);
		assert_true(pb.forced[3] && !pb.forced[0]);
		select_problem_release(&pb);
		strlist_release(&collected);
	}
	sbuf_release(&got);
}

/* A failure bonus, and the bonus for meeting the change at all (6 x 0.0002
 * here), count as much as the test meets the change: fully from a signal of
 * 1/16 up, less for a weak import-time reach alone. */
static void test_failure_bonus_by_evidence(void **state)
{
	static const struct {
		float a;
		uint32_t history;
		const char *want;
	} bonus_cases[] = {
		{ 0.01f, 2, "tests/test_e.py::test_far cost=1000000 "
			    "prior=0.048192 0:0.01" },
		{ 1.0f / 16, 2, "tests/test_e.py::test_far cost=1000000 "
				"prior=0.3012 0:0.0625" },
		{ 0.5f, 2, "tests/test_e.py::test_far cost=1000000 "
			   "prior=0.3012 0:0.5" },
		{ 0.5f, 4, "tests/test_e.py::test_far cost=1000000 "
			   "prior=0.1512 0:0.5" },	/* failed two back */
		/* fails on the model's commit itself: no failure bonus,
		 * it fails with or without the change; it meets it */
		{ 0.5f, 3, "tests/test_e.py::test_far cost=1000000 "
			   "prior=0.0012 0:0.5" },
	};
	struct fixture *fx = *state;
	struct sbuf got = SBUF_INIT;

	ALLOC_GROW(fx->imp.extra, 2, fx->imp.extra_alloc);
	fx->imp.extra_nr = 2;
	fx->imp.extra[1].test = 6;	/* test_far */
	fx->imp.extra[1].slot = 0;
	for (size_t i = 0; i < sizeof(bonus_cases) / sizeof(*bonus_cases); i++) {
		struct select_problem_input in = {
			.model = &fx->m,
			.impact = &fx->imp,
			.always_run = &fx->always,
			.default_cost = select_default_cost(&fx->m),
			.exists = exists,
		};
		struct select_problem pb;
		size_t c;

		fx->imp.extra[1].a = bonus_cases[i].a;
		fx->m.tests[6].history = bonus_cases[i].history;
		select_problem_build(&pb, &in);
		for (c = 0; c < pb.cands_nr && pb.test_of[c] != 6; c++)
			;
		assert_true(c < pb.cands_nr);
		describe(&got, &pb, &fx->m, c);
		assert_string_equal(got.buf, bonus_cases[i].want);
		select_problem_release(&pb);
	}
	sbuf_release(&got);
}

static void test_default_cost(void **state)
{
	struct model m;

	(void)state;
	model_init(&m);
	assert_true(select_default_cost(&m) == 1.0);	/* nothing known */
	model_add_test(&m, "a", 0, 0.0001, OUTCOME_PASSED, 0, NULL, 0);
	model_add_test(&m, "b", 0, 0, OUTCOME_PASSED, 0, NULL, 0);
	assert_true(select_default_cost(&m) == 0.001);	/* at least 1 ms */
	model_add_test(&m, "c", 0, 3, OUTCOME_PASSED, 0, NULL, 0);
	model_add_test(&m, "d", 0, 5, OUTCOME_PASSED, 0, NULL, 0);
	assert_true(select_default_cost(&m) == 3);	/* median of 3 known */
	model_release(&m);
}

/*
 * The ranking signals of tests that run the same changed lines: the one
 * whose lines lie mostly in the change, and the one named after the
 * changed function, rank before a broad test; each says why.
 */
static void test_rank_signals(void **state)
{
	static const char *const ids[] = {
		"t.py::test_broad", "t.py::test_focused", "t.py::test_price",
	};
	struct model m;
	struct impact imp;
	struct strlist none = STRLIST_INIT;
	struct select_problem pb;
	struct select_problem_input in = {
		.model = &m, .impact = &imp, .always_run = &none,
		.default_cost = 1, .exists = exists,
	};

	(void)state;
	model_init(&m);
	model_add_flag(&m, "default", BLOB, 3, 0, 1);
	model_add_file(&m, "shop.py", BLOB);
	model_add_feature(&m, 0, "price", FEATURE_FUNCTION, 1, 3);
	model_add_feature(&m, 0, "report", FEATURE_FUNCTION, 2, 60);
	for (size_t i = 0; i < 3; i++) {
		struct covvec_writer w;
		unsigned char *sig;
		size_t len;

		covvec_writer_init(&w);
		covvec_writer_add(&w, 0, 16);
		if (i != 1)	/* the broad and the named test run report too */
			covvec_writer_add(&w, 1, 16);
		sig = covvec_writer_finish(&w, &len);
		model_add_test(&m, ids[i], 0, 1.0, OUTCOME_PASSED, 0, sig, len);
	}
	memset(&imp, 0, sizeof(imp));
	imp.feature_slot = xmalloc(2 * sizeof(long));
	imp.feature_slot[0] = imp.feature_slot[1] = -1;
	imp.global_slot = -1;
	add_slot(&imp, 0, 1);
	imp.prior = xcalloc(3, sizeof(double));
	imp.removed = xcalloc(3, 1);
	select_problem_build(&pb, &in);
	assert_int_equal(pb.cands_nr, 3);
	/* 3 of 63 lines in the change: 1/16, the least share there is */
	assert_true(pb.rank[0].specificity == 1.0f / 16 && !pb.rank[0].affinity);
	assert_true(pb.rank[1].specificity == 1 && !pb.rank[1].affinity);
	assert_true(pb.rank[2].specificity == 1.0f / 16 && pb.rank[2].affinity);
	assert_true(pb.cands[1].prior > pb.cands[0].prior);
	assert_true(pb.cands[2].prior > pb.cands[0].prior);
	assert_true(!pb.rank[0].failed_ago);
	select_problem_release(&pb);
	impact_release(&imp);
	model_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_candidates, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_failure_bonus_by_evidence,
						setup, teardown),
		cmocka_unit_test(test_default_cost),
		cmocka_unit_test(test_rank_signals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
