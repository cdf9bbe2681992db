/* imports.h - resolve Python import names to tracked files, for the module dependency graph.
 * "pkg.mod" finds pkg/mod.py or pkg/mod/__init__.py(i) under a package root (src/, lib/, tests/...). */
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
	struct strlist packages;	/* directories with an __init__.py(i), sorted */
};

/*
 * Index every Python file of paths (sorted, borrowed) by its module name
 * below its package root. A package is a directory of paths holding an
 * __init__.py or __init__.pyi; a file's package root is the directory above
 * the topmost package of the chain of packages that holds it, or its own
 * directory when that is no package: with src/pkg/__init__.py and
 * src/pkg/sub/__init__.py, src/pkg/sub/mod.py is "pkg.sub.mod" under "src/";
 * with no tests/__init__.py, tests/utils.py is "utils" under "tests/".
 */
void import_index_build(struct import_index *idx, const struct strlist *paths);
void import_index_release(struct import_index *idx);

/*
 * Resolve the import names of the file importer (as feature_map gives them:
 * "a.b", ".x", "..p.q") to indices into paths. Importing "a.b.c" also
 * imports the packages "a" and "a.b". An absolute name resolves under the
 * importer's own root when its first component is there (pytest puts that
 * root first on sys.path), else under every root that has it
 * (over-approximation is safe); a dotted name found under no root (a
 * namespace package without __init__.py) matches files by path suffix, as
 * "ns.mod" matches src/ns/mod.py. A relative name resolves from the
 * importer's package, under its root. Returns a sorted, unique, malloc'ed
 * array (NULL when empty) and its size.
 */
uint32_t *import_index_resolve(const struct import_index *idx,
			       const char *importer,
			       const struct strlist *names, size_t *nr);

#endif
