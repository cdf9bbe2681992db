/* strlist.c - a growable list of owned C strings.
 * Sorting uses strcmp, so the order is bytewise and deterministic. */
#include <stdlib.h>
#include <string.h>
#include "strlist.h"
#include "xalloc.h"
#include "banned.h"

char *strlist_append(struct strlist *list, const char *s)
{
	char *copy = xstrdup(s);

	strlist_append_nodup(list, copy);
	return copy;
}

void strlist_append_nodup(struct strlist *list, char *s)
{
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *list)
{
	if (list->nr > 1)
		qsort(list->items, list->nr, sizeof(*list->items), cmp_str);
}

void strlist_sort_unique(struct strlist *list)
{
	size_t kept = 0;

	strlist_sort(list);
	for (size_t i = 0; i < list->nr; i++) {
		if (kept && !strcmp(list->items[kept - 1], list->items[i])) {
			free(list->items[i]);
			continue;
		}
		list->items[kept++] = list->items[i];
	}
	list->nr = kept;
}

static const char *key_at(const void *base, size_t size, size_t member,
			  size_t i)
{
	return *(char *const *)((const char *)base + i * size + member);
}

size_t sorted_first_str(const void *base, size_t nr, size_t size,
			size_t member, const char *key)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(key_at(base, size, member, mid), key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long sorted_find_str(const void *base, size_t nr, size_t size, size_t member,
		     const char *key)
{
	size_t i = sorted_first_str(base, nr, size, member, key);

	return i < nr && !strcmp(key_at(base, size, member, i), key) ?
		(long)i : -1;
}

long strlist_find_sorted(const struct strlist *list, const char *s)
{
	return sorted_find_str(list->items, list->nr, sizeof(*list->items), 0,
			       s);
}

void strlist_release(struct strlist *list)
{
	for (size_t i = 0; i < list->nr; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}
