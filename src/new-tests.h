/* new-tests.h - tests the model cannot know: added since the model's commit, or in untracked files.
 * They join the change's own new tests; tests deleted since the model's commit are marked removed. */
#ifndef COVOPT_NEW_TESTS_H
#define COVOPT_NEW_TESTS_H

#include "diff.h"
#include "impact.h"
#include "model.h"
#include "strlist.h"

struct new_tests_input {
	const struct model *model;
	/* Test files changed from the model's commit to the base, or NULL. */
	const struct change_set *since;
	/* The change from the base to the target: it has the last word on
	 * the files of since it touches. May be NULL. */
	const struct change_set *change;
	/* The work tree's untracked test files (CHANGE_ADDED), or NULL. */
	const struct change_set *untracked;
	const struct strlist *test_patterns;	/* globs of test files */
	/* The runner collected the suite: it says which cases exist, so
	 * a changed parametrized test is not restated. */
	int collected;
};

struct new_tests_count {
	size_t since;		/* new tests from the files of since */
	size_t untracked;	/* new tests from untracked files */
};

/*
 * Add to imp->new_tests (sorted, unique) the test functions the model
 * does not know that the target holds in the files of since and
 * untracked, counting them in *n; those already in imp->new_tests (new
 * in the change itself) are not counted again. Model tests of a test
 * function the model's commit defined and the target no longer does are
 * marked in imp->removed; so are the parametrized ids of a test function
 * whose definition changed, whose own id then joins imp->new_tests
 * (uncounted, with a line in imp->notes). Returns 0, or -1 after an error.
 */
int new_tests_find(struct impact *imp, struct new_tests_count *n,
		   const struct new_tests_input *in);

/*
 * 1 if a directory of path (every part of "dir/", all but the last part of
 * a file's path) is one pytest does not collect from by default
 * (norecursedirs): ".*", "*.egg", build, CVS, dist, node_modules, venv,
 * _darcs, {arch}. Untracked test files there are not new tests.
 */
int new_tests_in_skipped_dir(const char *path);

/* Append to out the node ids of the test functions defined in the source
 * buf (len bytes) of path (by feature-map and impact_is_test_name), then
 * sort out and drop duplicates. Returns 0, or -1 after an error. */
int new_tests_in_source(struct strlist *out, const char *path,
			const char *buf, size_t len);

#endif
