/* path-map.c - map file paths recorded on another machine to repository paths.
 * Tracked paths are indexed by basename; the most shared trailing parts win. */
#include <stdlib.h>
#include <string.h>
#include "path-map.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* One tracked path, reachable by its basename. */
struct basename_entry {
	const char *base;	/* points into repo_paths->items[index] */
	size_t len;
	size_t index;
};

struct basename_index {
	struct basename_entry *entries;	/* sorted by basename, then index */
	size_t nr;
};

static int is_sep(char c)
{
	return c == '/' || c == '\\';
}

static int cmp_name(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int cmp_entry(const void *va, const void *vb)
{
	const struct basename_entry *a = va, *b = vb;
	int c = cmp_name(a->base, a->len, b->base, b->len);

	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

void path_map_init(struct path_map *map, const struct strlist *repo_paths)
{
	struct basename_index *idx = xcalloc(1, sizeof(*idx));

	map->repo_paths = repo_paths;
	map->by_basename = idx;
	if (!repo_paths->nr)
		return;
	idx->entries = xcalloc(repo_paths->nr, sizeof(*idx->entries));
	for (size_t i = 0; i < repo_paths->nr; i++) {
		const char *path = repo_paths->items[i];
		const char *slash = strrchr(path, '/');
		struct basename_entry *e = &idx->entries[idx->nr];

		e->base = slash ? slash + 1 : path;
		e->len = strlen(e->base);
		e->index = i;
		if (e->len)
			idx->nr++;
	}
	qsort(idx->entries, idx->nr, sizeof(*idx->entries), cmp_entry);
}

void path_map_release(struct path_map *map)
{
	struct basename_index *idx = map->by_basename;

	if (idx)
		free(idx->entries);
	free(idx);
	map->by_basename = NULL;
	map->repo_paths = NULL;
}

/*
 * Step back over one component ending at *end (exclusive) in [start, *end),
 * skipping separators after it; sets *comp and *len. Returns 0 at the start.
 */
static int prev_component(const char *start, const char **end,
			  const char **comp, size_t *len)
{
	const char *e = *end, *b;

	while (e > start && is_sep(e[-1]))
		e--;
	if (e == start)
		return 0;
	for (b = e; b > start && !is_sep(b[-1]); b--)
		;
	*comp = b;
	*len = e - b;
	*end = b;
	return 1;
}

/* How many trailing components recorded and tracked share. */
static size_t shared_suffix(const char *recorded, const char *tracked)
{
	const char *rend = recorded + strlen(recorded);
	const char *tend = tracked + strlen(tracked);
	const char *rc, *tc;
	size_t rlen, tlen, n = 0;

	while (prev_component(recorded, &rend, &rc, &rlen) &&
	       prev_component(tracked, &tend, &tc, &tlen) &&
	       !cmp_name(rc, rlen, tc, tlen))
		n++;
	return n;
}

/* First entry whose basename is not below (base, len). */
static size_t lower_bound(const struct basename_index *idx, const char *base,
			  size_t len)
{
	size_t lo = 0, hi = idx->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct basename_entry *e = &idx->entries[mid];

		if (cmp_name(e->base, e->len, base, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long path_map_resolve(const struct path_map *map, const char *recorded)
{
	const struct basename_index *idx = map->by_basename;
	const char *end = recorded + strlen(recorded);
	const char *base;
	size_t len, best = 0;
	long found = -1;
	int tie = 0;

	if (!idx)
		BUG("path_map_resolve() before path_map_init()");
	if (!prev_component(recorded, &end, &base, &len))
		return -1;
	for (size_t i = lower_bound(idx, base, len); i < idx->nr; i++) {
		const struct basename_entry *e = &idx->entries[i];
		size_t n;

		if (cmp_name(e->base, e->len, base, len))
			break;
		n = shared_suffix(recorded, map->repo_paths->items[e->index]);
		if (n > best) {
			best = n;
			found = (long)e->index;
			tie = 0;
		} else if (n == best) {
			tie = 1;
		}
	}
	return tie ? -1 : found;
}
