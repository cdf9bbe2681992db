/* shard.c - split selected tests into N parts of balanced estimated cost, deterministically.
 * A binary heap of part loads makes each placement O(log N). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "shard.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

struct load {
	double cost;
	uint32_t part;
};

static int lighter(const struct load *a, const struct load *b)
{
	if (a->cost != b->cost)
		return a->cost < b->cost;
	return a->part < b->part;
}

static void sift_down(struct load *heap, size_t nr, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct load tmp;

		if (l < nr && lighter(&heap[l], &heap[m]))
			m = l;
		if (r < nr && lighter(&heap[r], &heap[m]))
			m = r;
		if (m == i)
			return;
		tmp = heap[i];
		heap[i] = heap[m];
		heap[m] = tmp;
		i = m;
	}
}

static const double *sort_costs;

static int costlier_first(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (sort_costs[x] != sort_costs[y])
		return sort_costs[x] > sort_costs[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

void shard_assign(uint32_t *part, const double *cost, size_t nr, uint32_t n)
{
	size_t *order = xmalloc(st_mult(nr + 1, sizeof(size_t)));
	struct load *heap = xmalloc(st_mult((size_t)n + 1, sizeof(*heap)));

	for (size_t i = 0; i < nr; i++)
		order[i] = i;
	sort_costs = cost;
	qsort(order, nr, sizeof(*order), costlier_first);
	for (uint32_t p = 0; p < n; p++) {
		heap[p].cost = 0;
		heap[p].part = p;
	}
	for (size_t k = 0; k < nr; k++) {
		size_t i = order[k];

		part[i] = heap[0].part;
		heap[0].cost += cost[i];
		sift_down(heap, n, 0);
	}
	free(order);
	free(heap);
}

int shard_parse(uint32_t *k, uint32_t *n, const char *spec)
{
	const char *p = spec;
	char *end;
	unsigned long a, b;

	if (!(*p >= '0' && *p <= '9'))
		goto bad;
	errno = 0;
	a = strtoul(p, &end, 10);
	if (errno || *end != '/' || !(end[1] >= '0' && end[1] <= '9'))
		goto bad;
	p = end + 1;
	b = strtoul(p, &end, 10);
	if (errno || *end || !a || a > b || b > SHARD_MAX)
		goto bad;
	*k = (uint32_t)a - 1;
	*n = (uint32_t)b;
	return 0;
bad:
	return error("bad shard '%s': give K/N with 1 <= K <= N <= %d, like 2/4",
		     spec, SHARD_MAX);
}
