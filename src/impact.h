/* impact.h - what a change means for the model's tests: weighted change slots and test priors.
 * Files are compared feature by feature by name and body hash, never by line number. */
#ifndef COVOPT_IMPACT_H
#define COVOPT_IMPACT_H

#include <stddef.h>
#include <stdint.h>
#include "diff.h"
#include "model.h"
#include "sbuf.h"
#include "strlist.h"

/* Coverage value given to the tests of a test file whose helpers changed. */
#define IMPACT_IMPORT_SIGNAL 0.5f

/*
 * Coverage values of the tests a change to import-time code reaches, by
 * directness: tests that ran code of the same class, of the same module,
 * tests in test files that import the module directly, then through a
 * package or other files. Used for module level and class bodies; for a
 * function that ran at import or collection time, and (weaker) for a
 * changed function header, below the function's own tests (a signal of
 * at least 1/16).
 */
struct impact_reach {
	float in_class, in_module, direct, indirect;
	float conftest;	/* tests under a conftest.py importing it, or 0 */
};

extern const struct impact_reach impact_reach_body;
extern const struct impact_reach impact_reach_collected;
extern const struct impact_reach impact_reach_header;
/*
 * Code no test's coverage measured (a helper module beside the tests,
 * outside --cov): the test files importing it, directly or through
 * others, and the tests under a conftest.py importing it, are all that
 * is known of its users.
 */
extern const struct impact_reach impact_reach_unmeasured;

enum slot_kind {
	SLOT_FEATURE,	/* a changed feature of the model */
	SLOT_GLOBAL,	/* a path that affects every test changed */
	SLOT_HELPER,	/* a non-test part of a test file changed */
	SLOT_LINES,	/* a changed block of a feature's lines (line evidence) */
};

/* Share of a changed function's weight left on the function as a whole
 * when its line evidence places the change: the rest goes to the changed
 * blocks, covered by the tests that ran them. */
#define IMPACT_FEATURE_SHARE 0.25

/* One unit of change signal the selection tries to cover. */
struct impact_slot {
	enum slot_kind kind;
	long feature;		/* model feature (SLOT_FEATURE), else -1 */
	double weight;		/* changed lines, at least 1 */
	char *label;		/* "path::name" or the path */
};

/* An extra coverage value of a test on a slot, beyond the model's signals. */
struct impact_extra {
	uint32_t test;
	uint32_t slot;
	float a;
};

/* The slots of a changed function's blocks (SLOT_LINES). */
struct impact_lines {
	long feature;
	uint32_t *block_slot;	/* per block of its model_lines: slot or UINT32_MAX */
};

struct impact_options {
	const struct strlist *global_paths;	/* globs */
	const struct strlist *ignore_paths;	/* globs */
	const struct strlist *test_patterns;	/* globs */
	/* Read a blob by hex id (the model's version of a file), or NULL:
	 * line evidence of a function changed since the model is then not
	 * used. Returns 0, or -1 (not an error: the feature falls back). */
	int (*read_blob)(struct sbuf *out, const char *hex, void *payload);
	void *blob_payload;
};

struct impact {
	struct impact_slot *slots;
	size_t slots_nr, slots_alloc;
	long *feature_slot;		/* per model feature: slot index or -1 */
	long global_slot;		/* slot every test covers, or -1 */
	struct impact_extra *extra;
	size_t extra_nr, extra_alloc;
	double *prior;			/* per model test: changed test bonus */
	unsigned char *removed;		/* per model test: gone from the target */
	struct strlist new_tests;	/* ids of tests the model does not know */
	struct strlist notes;		/* verbose lines: binary, deleted, ... */
	/* per changed function with line evidence: its block slots */
	struct impact_lines *lines;
	size_t lines_nr, lines_alloc;
	size_t files_changed, features_changed;
};

/*
 * Analyse changes against model m into out (zeroed by this call). Returns 0,
 * or -1 after an error (a changed file that cannot be parsed is not an
 * error: it is reported in notes and counted as a whole-file change).
 */
int impact_analyze(struct impact *out, const struct model *m,
		   const struct change_set *changes,
		   const struct impact_options *o);

void impact_release(struct impact *imp);

/* 1 if name (last "::" part of a node id, or a feature's last '.' part)
 * looks like a pytest test function: "test*"; classes "Test*". */
int impact_is_test_name(const char *qualname);

/* 1 if path holds tests: it matches test_patterns or holds tests of m. */
int impact_is_test_file(const struct model *m,
			const struct strlist *test_patterns, const char *path);

/* The node id of test function qualname (a feature name) in path:
 * "TestX.test_y" or "TestX.test_y#2" -> "path::TestX::test_y". */
char *impact_test_id(const char *path, const char *qualname);

#endif
