/* strlist.h - a growable list of owned C strings.
 * Items are copied in and freed by strlist_release(). */
#ifndef COVOPT_STRLIST_H
#define COVOPT_STRLIST_H

#include <stddef.h>

struct strlist {
	char **items;
	size_t nr, alloc;
};

#define STRLIST_INIT { .items = NULL }

/* Append a copy of s; returns the copy (owned by the list). */
char *strlist_append(struct strlist *list, const char *s);
/* Append s itself; the list takes ownership. */
void strlist_append_nodup(struct strlist *list, char *s);
void strlist_sort(struct strlist *list);
/* Sort and drop repeated strings (freeing them). */
void strlist_sort_unique(struct strlist *list);
/* Index of s in a sorted list, or -1. */
long strlist_find_sorted(const struct strlist *list, const char *s);
void strlist_release(struct strlist *list);

/*
 * Binary search of nr records of size bytes at base, sorted by the C string
 * that each holds at byte offset member (a char *): the index of the first
 * record whose string equals key, or -1.
 */
long sorted_find_str(const void *base, size_t nr, size_t size, size_t member,
		     const char *key);
/* The same search: the index of the first record not below key (nr when
 * every one is). */
size_t sorted_first_str(const void *base, size_t nr, size_t size,
			size_t member, const char *key);

#endif
