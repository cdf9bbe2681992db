/* optimizer.c - choose the most valuable set of tests within a time budget.
 * Lazy greedy (CELF) on a saturating coverage utility, budget safeguards. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "optimizer.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/*
 * The objective
 *
 *   utility(S) = sum_j w_j f(x_j) + sum_{i in S} prior_i,
 *   x_j = sum_{i in S} a_ij,  f(x) = x / (x + k),
 *
 * is monotone submodular: f is concave and increasing, the prior is
 * modular. The marginal gain of i given coverage x is
 *
 *   sum_j w_j (f(x_j + a_ij) - f(x_j)) + prior_i
 *     = sum_j w_j a_ij k / ((x_j + k)(x_j + a_ij + k)) + prior_i,
 *
 * and we use the right-hand form: it has no cancellation, so a small gain
 * stays positive and gains only ever shrink as x grows. That last fact is
 * what lets lazy greedy (Leskovec et al., KDD 2007, "CELF") keep stale
 * gains in a max-heap as upper bounds and re-evaluate only the top.
 *
 * With a budget B we run, as CELF does,
 *   (1) greedy on gain/cost, skipping what no longer fits,
 *   (2) greedy on plain gain, skipping what no longer fits,
 *   (3) the best single affordable candidate,
 * and keep the best. max((1), (3)) alone is already within a factor
 * (1 - 1/e) / 2 ~ 0.316 of the optimum (Khuller, Moss and Naor 1999 for
 * coverage; Krause and Guestrin 2005 for any monotone submodular
 * function), and max((1), (2)) is too (Leskovec et al. 2007), so the best
 * of the three keeps that guarantee.
 *
 * The a-priori factor is loose; out->bound is a data-dependent one. For
 * the returned S and any feasible O, submodularity gives
 *   utility(O) <= utility(S) + sum_{i in O \ S} delta_i(S),
 * and the sum is at most the fractional knapsack value of the gains
 * delta_i(S) with capacity B, which is cheap to compute exactly.
 *
 * Every comparison breaks ties on lower cost, then lower index, and no
 * step depends on anything but the input, so the result is reproducible
 * byte for byte.
 */

/*
 * Once the best fresh gain falls below this share of the utility so far,
 * the rest are taken in the order of their (stale) heap keys, each gain
 * evaluated once, instead of re-evaluated until exact. Each such pick is
 * worth less than 1e-6 of what was already chosen; exact greedy order
 * there cost dozens of re-evaluations per candidate once the utility had
 * saturated (seconds for 100,000 tests), for no difference one can see.
 */
#define OPT_TAIL_SHARE 1e-6
#define OPT_TAIL_SHARE_BUDGETED 1e-8

/* Candidate indices are reported as uint32_t. */
#define OPT_MAX_CANDS ((size_t)UINT32_MAX)

/* One greedy run: the picks and their totals. */
struct opt_run {
	uint32_t *idx;
	double *gain;
	size_t nr;
	double cost;
	double utility;
	const char *strategy;
};

/* A heap entry: the gain evaluated after stamp picks, and its key. */
struct opt_item {
	double key;		/* gain, or gain / cost */
	double gain;
	uint32_t idx;
	uint32_t stamp;
};

struct opt_work {
	const struct opt_problem *p;
	double *x;		/* coverage per slot of the current set */
	double *g0;		/* initial gain per candidate */
	struct opt_item *heap;
	size_t heap_nr;
	uint32_t *pool;		/* the candidates that compete */
	size_t pool_nr;
	size_t affected;	/* candidates with g0 > 0 (pool is a prefix) */
};

/* A sort record: key descending, then cost, then index ascending. */
struct opt_rank {
	double key;
	double cost;
	double val;
	uint32_t idx;
};

/* ------------------------------------------------------------------ */
/* validation                                                         */

static int check_candidate(const struct opt_problem *p, size_t i)
{
	const struct opt_candidate *c = &p->cands[i];
	const struct opt_entry *e;

	if (!(c->cost > 0) || !isfinite(c->cost))
		return error("invalid cost of candidate '%zu': %g", i,
			     c->cost);
	if (!(c->prior >= 0) || !isfinite(c->prior))
		return error("invalid prior of candidate '%zu': %g", i,
			     c->prior);
	if (c->nr > p->entries_nr || c->first > p->entries_nr - c->nr)
		return error("entries of candidate '%zu' out of range", i);
	e = p->entries + c->first;
	for (size_t k = 0; k < c->nr; k++) {
		if (e[k].slot >= p->slots_nr)
			return error("slot of candidate '%zu' out of range: %u",
				     i, e[k].slot);
		if (k && e[k].slot <= e[k - 1].slot)
			return error("slots of candidate '%zu' not increasing",
				     i);
		if (!(e[k].a > 0 && e[k].a <= 1))
			return error("invalid coverage of candidate '%zu': %g",
				     i, (double)e[k].a);
	}
	return 0;
}

static int check_problem(const struct opt_problem *p)
{
	if (p->cands_nr > OPT_MAX_CANDS)
		return error("too many candidates: %zu", p->cands_nr);
	if ((p->slots_nr && !p->weight) || (p->cands_nr && !p->cands) ||
	    (p->entries_nr && !p->entries))
		return error("incomplete optimizer problem");
	if (isnan(p->budget))
		return error("invalid budget: %g", p->budget);
	if (p->target_share != 0 &&
	    !(p->target_share > 0 && p->target_share <= 1))
		return error("invalid target share: %g", p->target_share);
	for (size_t j = 0; j < p->slots_nr; j++)
		if (!(p->weight[j] >= 0) || !isfinite(p->weight[j]))
			return error("invalid weight of slot '%zu': %g", j,
				     p->weight[j]);
	for (size_t i = 0; i < p->cands_nr; i++)
		if (check_candidate(p, i) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* gains and utility                                                  */

static double marginal_gain(const struct opt_problem *p, const double *x,
			    uint32_t i)
{
	const struct opt_candidate *c = &p->cands[i];
	const struct opt_entry *e = p->entries + c->first;
	const double k = OPT_SATURATION;
	double g = 0;

	for (size_t n = 0; n < c->nr; n++) {
		double w = p->weight[e[n].slot], a = e[n].a, xj;

		if (w <= 0)
			continue;
		xj = x[e[n].slot];
		g += w * a * k / ((xj + k) * (xj + a + k));
	}
	return g + c->prior;
}

static void cover(const struct opt_problem *p, double *x, uint32_t i)
{
	const struct opt_candidate *c = &p->cands[i];
	const struct opt_entry *e = p->entries + c->first;

	for (size_t n = 0; n < c->nr; n++)
		x[e[n].slot] += e[n].a;
}

/* The coverage part of the utility: sum_j w_j f(x_j). */
static double coverage_value(const struct opt_problem *p, const double *x)
{
	double u = 0;

	for (size_t j = 0; j < p->slots_nr; j++)
		if (x[j] > 0)
			u += p->weight[j] * (x[j] / (x[j] + OPT_SATURATION));
	return u;
}

/* Utility of set (nr indices) using the scratch x (slots_nr, any state). */
static double set_utility(const struct opt_problem *p, double *x,
			  const uint32_t *set, size_t nr)
{
	double prior = 0;

	if (p->slots_nr)
		memset(x, 0, st_mult(p->slots_nr, sizeof(*x)));
	for (size_t n = 0; n < nr; n++) {
		if (set[n] >= p->cands_nr)
			BUG("candidate %u out of range", set[n]);
		cover(p, x, set[n]);
		prior += p->cands[set[n]].prior;
	}
	return coverage_value(p, x) + prior;
}

double optimizer_utility(const struct opt_problem *p, const uint32_t *set,
			 size_t nr)
{
	double *x = xcalloc(p->slots_nr, sizeof(*x));
	double u = set_utility(p, x, set, nr);

	free(x);
	return u;
}

/* ------------------------------------------------------------------ */
/* ranking and the heap                                               */

static int rank_cmp(const void *va, const void *vb)
{
	const struct opt_rank *a = va, *b = vb;

	if (a->key != b->key)
		return a->key > b->key ? -1 : 1;
	if (a->cost != b->cost)
		return a->cost < b->cost ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Does heap item a come before b? Keys first; the cost only on a tie. */
static int before(const struct opt_work *w, const struct opt_item *a,
		  const struct opt_item *b)
{
	double ca, cb;

	if (a->key != b->key)
		return a->key > b->key;
	ca = w->p->cands[a->idx].cost;
	cb = w->p->cands[b->idx].cost;
	if (ca != cb)
		return ca < cb;
	return a->idx < b->idx;
}

static void sift_down(struct opt_work *w, size_t at)
{
	struct opt_item *h = w->heap;
	struct opt_item item = h[at];

	for (;;) {
		size_t child = 2 * at + 1;

		if (child >= w->heap_nr)
			break;
		if (child + 1 < w->heap_nr &&
		    before(w, &h[child + 1], &h[child]))
			child++;
		if (!before(w, &h[child], &item))
			break;
		h[at] = h[child];
		at = child;
	}
	h[at] = item;
}

static void heap_pop(struct opt_work *w)
{
	w->heap[0] = w->heap[--w->heap_nr];
	if (w->heap_nr)
		sift_down(w, 0);
}

/* Fill the heap with the pool, keyed by initial gain (or gain / cost). */
static void heap_build(struct opt_work *w, int ratio)
{
	for (size_t n = 0; n < w->pool_nr; n++) {
		uint32_t i = w->pool[n];
		struct opt_item *it = &w->heap[n];

		it->idx = i;
		it->stamp = 0;
		it->gain = w->g0[i];
		it->key = ratio ? w->g0[i] / w->p->cands[i].cost : w->g0[i];
	}
	w->heap_nr = w->pool_nr;
	for (size_t n = w->heap_nr / 2; n-- > 0;)
		sift_down(w, n);
}

/* ------------------------------------------------------------------ */
/* the strategies                                                     */

static void run_init(struct opt_run *r, size_t max, const char *strategy)
{
	r->idx = xcalloc(max, sizeof(*r->idx));
	r->gain = xcalloc(max, sizeof(*r->gain));
	r->nr = 0;
	r->cost = 0;
	r->utility = 0;
	r->strategy = strategy;
}

static void run_release(struct opt_run *r)
{
	FREE_AND_NULL(r->idx);
	FREE_AND_NULL(r->gain);
	r->nr = 0;
}

static void run_add(struct opt_run *r, const struct opt_problem *p,
		    uint32_t i, double gain)
{
	r->idx[r->nr] = i;
	r->gain[r->nr++] = gain;
	r->cost += p->cands[i].cost;
	r->utility += gain;
}

/*
 * Lazy greedy. A heap entry whose gain was evaluated after the last pick
 * is exact; since gains only shrink, every other entry's key is an upper
 * bound, so an exact entry on top is the true greedy choice (ties
 * included: the heap order is total). A candidate that does not fit the
 * remaining budget never will again, so it is dropped for good. Stops
 * once the running utility reaches target (pass HUGE_VAL for "never").
 */
static void lazy_greedy(struct opt_work *w, struct opt_run *r, int ratio,
			double budget, double target)
{
	const struct opt_problem *p = w->p;
	int tail = 0;

	if (p->slots_nr)
		memset(w->x, 0, st_mult(p->slots_nr, sizeof(*w->x)));
	heap_build(w, ratio);
	while (w->heap_nr && !(r->utility >= target)) {
		struct opt_item *top = &w->heap[0];
		double c = p->cands[top->idx].cost;

		if (budget >= 0 && !(r->cost + c <= budget)) {
			heap_pop(w);
			continue;
		}
		if (tail) {
			double g = marginal_gain(p, w->x, top->idx);
			uint32_t i = top->idx;

			heap_pop(w);
			if (g > 0) {
				cover(p, w->x, i);
				run_add(r, p, i, g);
			}
			continue;
		}
		if (top->stamp != r->nr) {
			top->gain = marginal_gain(p, w->x, top->idx);
			top->key = ratio ? top->gain / c : top->gain;
			top->stamp = (uint32_t)r->nr;
			if (top->gain > 0)
				sift_down(w, 0);
			else
				heap_pop(w);
			if (r->nr && top->gain < (budget >= 0 ? OPT_TAIL_SHARE_BUDGETED :
			    OPT_TAIL_SHARE) * r->utility)
				tail = 1;
			continue;
		}
		cover(p, w->x, top->idx);
		run_add(r, p, top->idx, top->gain);
		heap_pop(w);
	}
	r->utility = coverage_value(p, w->x);
	for (size_t n = 0; n < r->nr; n++)
		r->utility += p->cands[r->idx[n]].prior;
}

/* The single affordable candidate of highest initial gain. */
static void best_single(struct opt_work *w, struct opt_run *r, double budget)
{
	const struct opt_problem *p = w->p;
	struct opt_rank best = { 0, 0, 0, 0 }, cur;
	int found = 0;

	for (size_t n = 0; n < w->pool_nr; n++) {
		uint32_t i = w->pool[n];

		if (!(p->cands[i].cost <= budget))
			continue;
		cur.key = w->g0[i];
		cur.cost = p->cands[i].cost;
		cur.val = 0;
		cur.idx = i;
		if (!found || rank_cmp(&cur, &best) < 0)
			best = cur;
		found = 1;
	}
	if (!found)
		return;
	run_add(r, p, best.idx, best.key);
	r->utility = set_utility(p, w->x, r->idx, 1);
}

/*
 * Online bound: utility(S) plus the fractional knapsack, with capacity
 * budget, of the gains delta_i(S) of every affected candidate outside S
 * (those left out by top_n included, so the bound holds for the whole
 * problem).
 */
static double knapsack_bound(struct opt_work *w, const struct opt_run *r,
			     double budget)
{
	const struct opt_problem *p = w->p;
	struct opt_rank *items = NULL;
	unsigned char *in_s = NULL;
	size_t items_nr = 0;
	double extra = 0, room = budget;

	in_s = xcalloc(p->cands_nr, 1);
	for (size_t n = 0; n < r->nr; n++)
		in_s[r->idx[n]] = 1;
	items = xcalloc(w->affected, sizeof(*items));
	set_utility(p, w->x, r->idx, r->nr);
	for (size_t n = 0; n < w->affected; n++) {
		uint32_t i = w->pool[n];
		double d, c = p->cands[i].cost;

		if (in_s[i])
			continue;
		d = marginal_gain(p, w->x, i);
		if (!(d > 0))
			continue;
		items[items_nr].key = d / c;
		items[items_nr].cost = c;
		items[items_nr].val = d;
		items[items_nr++].idx = i;
	}
	qsort(items, items_nr, sizeof(*items), rank_cmp);
	for (size_t n = 0; n < items_nr && room > 0; n++) {
		if (items[n].cost <= room) {
			extra += items[n].val;
			room -= items[n].cost;
		} else {
			extra += items[n].val * (room / items[n].cost);
			break;
		}
	}
	free(items);
	free(in_s);
	return r->utility + extra;
}

/* ------------------------------------------------------------------ */
/* setup and the driver                                               */

/*
 * Initial gains, the affected count, utility_all, and the pool: the
 * affected candidates (first w->affected of w->pool, by index), cut to
 * the top_n by initial gain when asked.
 */
static double work_setup(struct opt_work *w, const struct opt_problem *p)
{
	size_t n = p->cands_nr;
	double prior = 0;

	w->p = p;
	w->x = xcalloc(p->slots_nr, sizeof(*w->x));
	w->g0 = xcalloc(n, sizeof(*w->g0));
	w->heap = xcalloc(n, sizeof(*w->heap));
	w->pool = xcalloc(n, sizeof(*w->pool));
	for (size_t i = 0; i < n; i++) {
		w->g0[i] = marginal_gain(p, w->x, (uint32_t)i);
		if (w->g0[i] > 0)
			w->pool[w->affected++] = (uint32_t)i;
	}
	w->pool_nr = w->affected;
	for (size_t k = 0; k < w->affected; k++) {
		cover(p, w->x, w->pool[k]);
		prior += p->cands[w->pool[k]].prior;
	}
	return coverage_value(p, w->x) + prior;
}

/* Keep only the top_n of the pool by initial gain, in that order. */
static void work_top_n(struct opt_work *w, size_t top_n)
{
	struct opt_rank *r;

	if (!top_n || top_n >= w->pool_nr)
		return;
	r = xcalloc(w->pool_nr, sizeof(*r));
	for (size_t n = 0; n < w->pool_nr; n++) {
		uint32_t i = w->pool[n];

		r[n].key = w->g0[i];
		r[n].cost = w->p->cands[i].cost;
		r[n].idx = i;
	}
	qsort(r, w->pool_nr, sizeof(*r), rank_cmp);
	/* reorder, not cut: the knapsack bound walks every affected one */
	for (size_t n = 0; n < w->pool_nr; n++)
		w->pool[n] = r[n].idx;
	w->pool_nr = top_n;
	free(r);
}

static void work_release(struct opt_work *w)
{
	free(w->x);
	free(w->g0);
	free(w->heap);
	free(w->pool);
	memset(w, 0, sizeof(*w));
}

/*
 * Budgeted: the best of ratio greedy, gain greedy and best single, in
 * that order of preference on equal utility.
 */
static void solve_budgeted(struct opt_work *w, struct opt_run *best,
			   double budget)
{
	struct opt_run runs[3];
	size_t pick = 0;

	run_init(&runs[0], w->pool_nr, "ratio-greedy");
	lazy_greedy(w, &runs[0], 1, budget, HUGE_VAL);
	run_init(&runs[1], w->pool_nr, "gain-greedy");
	lazy_greedy(w, &runs[1], 0, budget, HUGE_VAL);
	run_init(&runs[2], 1, "best-single");
	best_single(w, &runs[2], budget);
	for (size_t n = 1; n < 3; n++)
		if (runs[n].utility > runs[pick].utility)
			pick = n;
	for (size_t n = 0; n < 3; n++)
		if (n != pick)
			run_release(&runs[n]);
	*best = runs[pick];
}

int optimizer_solve(struct opt_result *out, const struct opt_problem *p)
{
	struct opt_work w;
	struct opt_run run = { 0 };
	int budgeted = !(p->budget < 0);
	int targeted = p->target_share > 0;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	if (check_problem(p) < 0)
		return -1;

	out->utility_all = work_setup(&w, p);
	out->affected = w.affected;
	work_top_n(&w, p->top_n);

	if (targeted) {
		run_init(&run, w.pool_nr, "ratio-greedy");
		lazy_greedy(&w, &run, 1, budgeted ? p->budget : -1,
			    p->target_share * out->utility_all);
	} else if (budgeted) {
		solve_budgeted(&w, &run, p->budget);
	} else {
		run_init(&run, w.pool_nr, "all");
		lazy_greedy(&w, &run, 0, -1, HUGE_VAL);
	}

	if (budgeted)
		out->bound = knapsack_bound(&w, &run, p->budget);
	else if (run.nr == w.affected)
		out->bound = run.utility;
	else
		out->bound = fmax(run.utility, out->utility_all);

	out->chosen = run.idx;
	out->gain = run.gain;
	out->nr = run.nr;
	out->utility = run.utility;
	out->cost = run.cost;
	out->strategy = run.strategy;
	work_release(&w);
	return 0;
}

void opt_result_release(struct opt_result *r)
{
	if (!r)
		return;
	free(r->chosen);
	free(r->gain);
	memset(r, 0, sizeof(*r));
}
