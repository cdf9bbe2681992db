/* xalloc.h - checked allocation and overflow-checked size arithmetic.
 * Allocation failure dies: there is nothing sensible to do without memory. */
#ifndef COVOPT_XALLOC_H
#define COVOPT_XALLOC_H

#include <stddef.h>
#include <stdint.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Copy len bytes into a new NUL-terminated buffer. */
char *xmemdupz(const void *data, size_t len);

/* a + b and a * b, dying on overflow. */
size_t st_add(size_t a, size_t b);
size_t st_mult(size_t a, size_t b);

/* Grow the array x (holding nr items, room for alloc) to hold at least n. */
#define ALLOC_GROW(x, n, alloc) \
	do { \
		if ((n) > (alloc)) { \
			size_t alloc_want_ = (alloc) < 16 ? 16 : (alloc); \
			while (alloc_want_ < (n)) \
				alloc_want_ = st_mult(alloc_want_, 2); \
			(alloc) = alloc_want_; \
			(x) = xrealloc((x), st_mult(sizeof(*(x)), (alloc))); \
		} \
	} while (0)

#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

#endif
