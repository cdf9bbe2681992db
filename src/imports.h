/* imports.h - resolve Python import names to tracked files, for the module dependency graph.
 * "pkg.mod" finds pkg/mod.py or pkg/mod/__init__.py under any source root (src/, lib/...). */
#ifndef COVOPT_IMPORTS_H
#define COVOPT_IMPORTS_H

#include <stddef.h>
#include <stdint.h>
#include "strlist.h"

struct import_entry;

struct import_index {
	const struct strlist *paths;	/* borrowed, sorted */
	struct import_entry *items;	/* dotted module name -> path index */
	size_t nr, alloc;
};

/* Index every Python file of paths (sorted, borrowed) by its module names. */
void import_index_build(struct import_index *idx, const struct strlist *paths);
void import_index_release(struct import_index *idx);

/*
 * Resolve the import names of the file importer (as feature_map gives them:
 * "a.b", ".x", "..p.q") to indices into paths. Importing "a.b.c" also
 * imports the packages "a" and "a.b". An absolute name that matches under
 * several source roots gives all of them (over-approximation is safe).
 * Returns a sorted, unique, malloc'ed array (NULL when empty) and its size.
 */
uint32_t *import_index_resolve(const struct import_index *idx,
			       const char *importer,
			       const struct strlist *names, size_t *nr);

#endif
