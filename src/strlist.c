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

long strlist_find_sorted(const struct strlist *list, const char *s)
{
	size_t lo = 0, hi = list->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(list->items[mid], s);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void strlist_release(struct strlist *list)
{
	for (size_t i = 0; i < list->nr; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->nr = list->alloc = 0;
}
