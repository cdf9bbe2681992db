/* xalloc.c - checked allocation and overflow-checked size arithmetic.
 * Every allocation in git-covopt goes through here. */
#include <stdlib.h>
#include <string.h>
#include "usage.h"
#include "xalloc.h"

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die("out of memory, malloc failed (tried to allocate %zu bytes)",
		    size);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die("out of memory, calloc failed (%zu x %zu bytes)", nmemb,
		    size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		die("out of memory, realloc failed (tried to allocate %zu bytes)",
		    size);
	return p;
}

char *xmemdupz(const void *data, size_t len)
{
	char *p = xmalloc(st_add(len, 1));

	if (len)
		memcpy(p, data, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xmemdupz(s, strlen(s));
}

size_t st_add(size_t a, size_t b)
{
	if (SIZE_MAX - a < b)
		die("size overflow: %zu + %zu", a, b);
	return a + b;
}

size_t st_mult(size_t a, size_t b)
{
	if (a && SIZE_MAX / a < b)
		die("size overflow: %zu * %zu", a, b);
	return a * b;
}
