/* shard.h - split selected tests into N parts of balanced estimated cost, deterministically.
 * Longest processing time first: each test, costliest first, goes to the least loaded part. */
#ifndef COVOPT_SHARD_H
#define COVOPT_SHARD_H

#include <stddef.h>
#include <stdint.h>

#define SHARD_MAX 10000

/*
 * Fill part[i] (0-based, < n) for each of the nr items of cost[]. Ties break
 * on the lower item index (costs) and the lower part index (loads), so the
 * same input always gives the same split. With LPT the largest part costs
 * at most 4/3 of the optimum.
 */
void shard_assign(uint32_t *part, const double *cost, size_t nr, uint32_t n);

/* Parse "K/N" (1 <= K <= N <= SHARD_MAX) into k (0-based) and n; 0 or -1. */
int shard_parse(uint32_t *k, uint32_t *n, const char *spec);

#endif
