/* fuzz.h - what every fuzz harness shares: the libFuzzer entry points and input splitting.
 * Harnesses build with clang and libFuzzer (make fuzz) and with gcc and replay.c (make check). */
#ifndef COVOPT_FUZZ_H
#define COVOPT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "strlist.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant: crash so that libFuzzer saves the input. */
#define FUZZ_CHECK(cond) do { if (!(cond)) abort(); } while (0)

/*
 * Split data at '\n' into out, one string a line (a NUL ends a line's
 * string early). With stop_at_blank, stop after the first empty line and
 * return the bytes used, so a second part can follow; else return size.
 */
static inline size_t fuzz_split_lines(struct strlist *out, const uint8_t *data,
				      size_t size, int stop_at_blank)
{
	size_t pos = 0;

	while (pos < size) {
		const uint8_t *line = data + pos;
		const uint8_t *nl = memchr(line, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - line) : size - pos;

		pos += len + (nl != NULL);
		if (!len && stop_at_blank)
			return pos;
		strlist_append_nodup(out, xmemdupz(line, len));
	}
	return pos;
}

/* Bytes up to and including the first empty line ("\n\n"), or 0. */
static inline size_t fuzz_first_part(const uint8_t *data, size_t size)
{
	for (size_t i = 1; i < size; i++)
		if (data[i - 1] == '\n' && data[i] == '\n')
			return i + 1;
	return 0;
}

/* Sort list and drop repeats, as repository path lists are. */
static inline void fuzz_sort_unique(struct strlist *list)
{
	size_t out = 0;

	strlist_sort(list);
	for (size_t i = 0; i < list->nr; i++) {
		if (out && !strcmp(list->items[out - 1], list->items[i])) {
			free(list->items[i]);
			continue;
		}
		list->items[out++] = list->items[i];
	}
	list->nr = out;
}

#endif
