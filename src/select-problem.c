/* select-problem.c - the optimizer's problem for a selection: which tests compete, their weights and costs.
 * A test's entries are the change's slots its signals reach; its prior adds run-all and recent failures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "affinity.h"
#include "coverage-vector.h"
#include "select-problem.h"
#include "xalloc.h"
#include "banned.h"

#define MIN_COST 0.001
#define FALLBACK_COST 1.0

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double select_default_cost(const struct model *m)
{
	double *v = xmalloc(st_mult(m->tests_nr + 1, sizeof(double)));
	size_t n = 0;
	double med = FALLBACK_COST;

	for (size_t i = 0; i < m->tests_nr; i++)
		if (m->tests[i].cost > 0)
			v[n++] = m->tests[i].cost;
	if (n) {
		qsort(v, n, sizeof(*v), cmp_double);
		med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	}
	free(v);
	return med > MIN_COST ? med : MIN_COST;
}

static int cmp_extra(const void *a, const void *b)
{
	const struct impact_extra *x = a, *y = b;

	if (x->test != y->test)
		return x->test < y->test ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct opt_entry *x = a, *y = b;

	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static void add_entry(struct select_problem *pb, uint32_t slot, float a)
{
	ALLOC_GROW(pb->entries, pb->entries_nr + 1, pb->entries_alloc);
	pb->entries[pb->entries_nr].slot = slot;
	pb->entries[pb->entries_nr].a = a;
	pb->entries_nr++;
}

/* Sort the entries from first on by slot and merge duplicates (a capped at 1). */
static void normalize_entries(struct select_problem *pb, size_t first)
{
	struct opt_entry *e = pb->entries + first;
	size_t n = pb->entries_nr - first, out = 0;

	if (n > 1)
		qsort(e, n, sizeof(*e), cmp_entry);
	for (size_t i = 0; i < n; i++) {
		if (out && e[out - 1].slot == e[i].slot) {
			float a = e[out - 1].a + e[i].a;

			e[out - 1].a = a > 1 ? 1 : a;
			continue;
		}
		e[out++] = e[i];
	}
	pb->entries_nr = first + out;
}

static void add_candidate(struct select_problem *pb, long test, double cost,
			  double prior, size_t first,
			  const struct select_rank *rank)
{
	static const struct select_rank none = { .specificity = 0 };
	struct opt_candidate *c;

	ALLOC_GROW(pb->cands, pb->cands_nr + 1, pb->cands_alloc);
	ALLOC_GROW(pb->test_of, pb->cands_nr + 1, pb->test_of_alloc);
	ALLOC_GROW(pb->rank, pb->cands_nr + 1, pb->rank_alloc);
	pb->rank[pb->cands_nr] = rank ? *rank : none;
	c = &pb->cands[pb->cands_nr];
	c->cost = round(cost * SELECT_TICKS_PER_SECOND);
	if (c->cost < 1)
		c->cost = 1;
	c->prior = prior;
	c->first = first;
	c->nr = pb->entries_nr - first;
	pb->test_of[pb->cands_nr++] = test;
}

/*
 * Bonus for tests that failed in recent recordings, 1/2 per step back; none
 * for a test that fails on the model's commit itself: it fails with or
 * without the change, so its failure cannot tell of the change.
 */
static double failure_decay(uint32_t history)
{
	double v = 0, w = 0.5;

	if (history & 1)
		return 0;
	for (int k = 1; k < 8; k++, w /= 2)
		if (history & (1u << k))
			v += w;
	return v;
}

/* The latest earlier recording the test failed in (1..7), or 0. */
static uint8_t failed_ago(uint32_t history)
{
	for (int k = 1; k < 8; k++)
		if (history & (1u << k))
			return (uint8_t)k;
	return 0;
}

/*
 * How sure it is that a test meets the change, for its failure bonus: its
 * strongest coverage value, as a share of the weakest signal of a test that
 * ran the changed code (1/16). A test only an import-time reach touches
 * weakly must not outrank the change's own tests on old failures alone.
 */
static double change_evidence(const struct select_problem *pb, size_t first)
{
	double best = 0;

	for (size_t k = first; k < pb->entries_nr; k++)
		if (pb->entries[k].a > best)
			best = pb->entries[k].a;
	best *= COVVEC_LEVELS;
	return best < 1 ? best : 1;
}

/* The runner's collection says what exists; without one, the target does. */
static int candidate_exists(const struct select_problem_input *in,
			    const char *id)
{
	if (in->collected)
		return strlist_find_sorted(in->collected, id) >= 0;
	return in->exists(id, in->exists_payload);
}

/* 1 if the test's name names a changed function its entries reach
 * (affinity.h); the slots' words are folded once, in slot_words. */
static int entries_affinity(const struct select_problem *pb, const char *id,
			    size_t first)
{
	char word[AFFINITY_WORD_MAX];

	affinity_test_word(word, id);
	for (size_t k = first; k < pb->entries_nr; k++) {
		const char *fw = pb->slot_word + (size_t)pb->entries[k].slot *
						 AFFINITY_WORD_MAX;

		if (affinity_words_match(word, fw))
			return 1;
	}
	return 0;
}

/*
 * The test's entries on the change slots its signals and extras reach;
 * its specificity from the lines it runs in changed features against
 * all the lines it runs.
 */
static void add_test_entries(struct select_problem *pb,
			     const struct select_problem_input *in,
			     size_t test, size_t *x, struct select_rank *rank)
{
	const struct model *m = in->model;
	const struct impact *imp = in->impact;
	const struct model_test *mt = &m->tests[test];
	double all_lines = 0, changed_lines = 0;
	struct covvec_iter it;

	covvec_iter_init(&it, mt->signals, mt->signals_len);
	while (covvec_iter_next(&it) > 0) {
		double lines = m->features[it.feature].lines * covvec_share(it.q);

		all_lines += lines;
		if (imp->feature_slot[it.feature] < 0)
			continue;
		changed_lines += lines;
		add_entry(pb, (uint32_t)imp->feature_slot[it.feature],
			  (float)covvec_share(it.q));
	}
	for (; *x < imp->extra_nr && imp->extra[*x].test <= test; (*x)++)
		if (imp->extra[*x].test == test)
			add_entry(pb, imp->extra[*x].slot, imp->extra[*x].a);
	if (imp->global_slot >= 0)
		add_entry(pb, (uint32_t)imp->global_slot, 1.0f);
	rank->specificity = changed_lines > 0 ?
		(float)covvec_share(covvec_quantize(changed_lines / all_lines)) : 0;
}

/* The modular bonuses of a test that meets the change (select_rank). */
static double rank_bonus(const struct select_problem *pb,
			 const struct model_test *mt, size_t first,
			 struct select_rank *rank)
{
	double evidence = change_evidence(pb, first);

	rank->failed_ago = failed_ago(mt->history);
	return evidence * (SELECT_MEET_BONUS +
			   SELECT_FAILURE_BONUS * failure_decay(mt->history) +
			   SELECT_SPECIFICITY_BONUS * sqrt(rank->specificity) +
			   SELECT_AFFINITY_BONUS * rank->affinity);
}

static void add_model_tests(struct select_problem *pb,
			    const struct select_problem_input *in,
			    double prior_scale)
{
	const struct model *m = in->model;
	const struct impact *imp = in->impact;
	double unknown_cost = in->default_cost;
	size_t x = 0;

	for (size_t i = 0; i < m->tests_nr; i++) {
		const struct model_test *mt = &m->tests[i];
		struct select_rank rank = { .specificity = 0 };
		size_t first = pb->entries_nr;
		double prior;

		add_test_entries(pb, in, i, &x, &rank);
		prior = imp->prior[i] * prior_scale;
		if (in->run_all)
			prior += prior_scale;
		if (imp->removed[i] || pb->forced[i] ||
		    (pb->entries_nr == first && !prior) ||
		    !candidate_exists(in, mt->id)) {
			pb->entries_nr = first;
			continue;
		}
		normalize_entries(pb, first);
		if (pb->entries_nr > first) {
			rank.affinity = entries_affinity(pb, mt->id, first);
			prior += prior_scale * rank_bonus(pb, mt, first, &rank);
		}
		add_candidate(pb, (long)i, mt->cost > 0 ? mt->cost : unknown_cost,
			      prior, first, &rank);
	}
}

/*
 * New tests: those the runner collected and the model lacks, else those
 * the change adds to test files (found by parsing). Sorted, unique.
 */
static void find_new_tests(struct select_problem *pb,
			   const struct select_problem_input *in)
{
	const struct strlist *from = in->collected ? in->collected :
						     &in->impact->new_tests;

	for (size_t i = 0; i < from->nr; i++) {
		const char *id = from->items[i];

		if ((i && !strcmp(from->items[i - 1], id)) ||
		    model_find_test(in->model, id) >= 0 ||
		    strlist_find_sorted(in->always_run, id) >= 0)
			continue;
		ALLOC_GROW(pb->new_ids.items, pb->new_ids.nr + 1,
			   pb->new_ids.alloc);
		pb->new_ids.items[pb->new_ids.nr++] = (char *)id;
	}
}

static void add_new_tests(struct select_problem *pb,
			  const struct select_problem_input *in,
			  double prior_scale)
{
	const struct strlist *ids = &pb->new_ids;

	find_new_tests(pb, in);
	for (size_t i = 0; i < ids->nr; i++) {
		size_t first = pb->entries_nr;

		if (!candidate_exists(in, ids->items[i]))
			continue;
		if (in->impact->global_slot >= 0)
			add_entry(pb, (uint32_t)in->impact->global_slot, 1.0f);
		add_candidate(pb, -1 - (long)i, in->default_cost, prior_scale,
			      first, NULL);
	}
}

/* Per slot: the folded word of the model feature it stands for (a
 * feature, or one of its blocks), "" for other slots (affinity.h). */
static char *slot_words(const struct impact *imp, const struct model *m)
{
	char *w = xcalloc(imp->slots_nr + 1, AFFINITY_WORD_MAX);

	for (size_t j = 0; j < imp->slots_nr; j++)
		if (imp->slots[j].kind == SLOT_FEATURE)
			affinity_feature_word(w + j * AFFINITY_WORD_MAX,
					      m->features[imp->slots[j].feature].name);
	for (size_t i = 0; i < imp->lines_nr; i++) {
		const struct impact_lines *il = &imp->lines[i];

		for (uint32_t b = 0; b < m->lines[il->feature].blocks_nr; b++)
			if (il->block_slot[b] != UINT32_MAX)
				affinity_feature_word(w + (size_t)il->block_slot[b] *
						      AFFINITY_WORD_MAX,
						      m->features[il->feature].name);
	}
	return w;
}

void select_problem_build(struct select_problem *pb,
			  const struct select_problem_input *in)
{
	struct impact *imp = in->impact;
	const struct model *m = in->model;
	double total = 0;

	memset(pb, 0, sizeof(*pb));
	pb->forced = xcalloc(m->tests_nr + 1, 1);
	for (size_t i = 0; i < in->always_run->nr; i++) {
		long k = model_find_test(m, in->always_run->items[i]);

		if (k >= 0)
			pb->forced[k] = 1;
	}
	pb->weight = xmalloc(st_mult(imp->slots_nr + 1, sizeof(double)));
	for (size_t j = 0; j < imp->slots_nr; j++)
		total += pb->weight[j] = imp->slots[j].weight;
	if (imp->extra_nr > 1)
		qsort(imp->extra, imp->extra_nr, sizeof(*imp->extra), cmp_extra);
	pb->slot_word = slot_words(imp, m);
	add_model_tests(pb, in, 1 + total);
	add_new_tests(pb, in, 1 + total);
	pb->p.weight = pb->weight;
	pb->p.slots_nr = imp->slots_nr;
	pb->p.cands = pb->cands;
	pb->p.cands_nr = pb->cands_nr;
	pb->p.entries = pb->entries;
	pb->p.entries_nr = pb->entries_nr;
}

void select_problem_release(struct select_problem *pb)
{
	free(pb->weight);
	free(pb->cands);
	free(pb->entries);
	free(pb->test_of);
	free(pb->rank);
	free(pb->slot_word);
	free(pb->forced);
	free(pb->new_ids.items);
}

const char *select_problem_test_id(const struct select_problem *pb,
				   const struct model *m, size_t c)
{
	long test = pb->test_of[c];

	return test >= 0 ? m->tests[test].id : pb->new_ids.items[-1 - test];
}
