/* coverage-db.h - read coverage.py's SQLite data file (schema 7: coverage 6.x and 7.x) with contexts.
 * Line data (line_bits numbits) and arc data (branch mode) both become sets of executed lines. */
#ifndef COVOPT_COVERAGE_DB_H
#define COVOPT_COVERAGE_DB_H

#include <stddef.h>
#include <stdint.h>
#include "strlist.h"

/* Executed lines of one file under one context. */
struct coverage_record {
	uint32_t file;		/* index into coverage_data.files */
	uint32_t context;	/* index into coverage_data.contexts */
	uint32_t *lines;	/* sorted, unique, each >= 1 */
	size_t lines_nr;
};

/*
 * Everything read from one or more .coverage files. Paths and contexts are
 * kept once each, in first-seen order; loading a second file appends to and
 * reuses them, so records of several files (xdist, parallel runs) combine.
 */
struct coverage_data {
	struct strlist files;		/* measured file paths, as recorded */
	struct strlist contexts;	/* context strings, "" included */
	struct coverage_record *records;
	size_t records_nr, records_alloc;
	/* private lookup tables for deduplication */
	void *file_index, *context_index;
};

#define COVERAGE_DATA_INIT { .files = STRLIST_INIT, .contexts = STRLIST_INIT }

/*
 * Load the coverage.py data file at path into data. Errors (each one line
 * naming the file): cannot open, not an SQLite database, not a coverage.py
 * data file, unsupported schema version, corrupt numbits. A file with data
 * but no non-empty context is refused with a hint to record with
 * "pytest --cov-context=test". Returns 0 or -1; on -1 data may hold what was
 * loaded from earlier files but nothing from this one.
 */
int coverage_data_load(struct coverage_data *data, const char *path);

void coverage_data_release(struct coverage_data *data);

/*
 * Split a pytest-cov context "tests/t.py::test_x|run" into the node id
 * (copied into a new string) and the phase ("run", "setup", "teardown").
 * A context without "|" is taken whole with phase "". Returns the node id
 * (caller frees) or NULL for the empty context.
 */
char *coverage_context_nodeid(const char *context, const char **phase);

#endif
