/* diff.h - the change to select tests for: changed files with both sides' content and line ranges.
 * Computed in-process with libgit2 (trees, index, work tree) or parsed from a unified diff. */
#ifndef COVOPT_DIFF_H
#define COVOPT_DIFF_H

#include <git2.h>
#include "sbuf.h"
#include "strlist.h"

/* Refuse to load a changed file larger than this (treated as binary). */
#define DIFF_MAX_FILE ((size_t)64 << 20)
/* Refuse a unified diff on stdin larger than this. */
#define DIFF_MAX_PATCH ((size_t)512 << 20)

/* A run of lines, 1-based: start .. start + count - 1. */
struct line_range {
	uint32_t start;
	uint32_t count;
};

enum change_status {
	CHANGE_ADDED,
	CHANGE_DELETED,
	CHANGE_MODIFIED,
	CHANGE_RENAMED,
	CHANGE_COPIED,
	CHANGE_TYPECHANGE,	/* e.g. file <-> symlink */
};

struct file_change {
	enum change_status status;
	char *old_path;		/* NULL when added */
	char *new_path;		/* NULL when deleted */
	int binary;		/* binary on either side (or too large) */
	int submodule;		/* a gitlink on either side */
	int mode_only;		/* only the file mode changed */
	/* Contents, loaded for non-binary regular files: old from the base
	 * tree, new from the head tree, the index or the work tree. */
	int has_old, has_new;
	struct sbuf old_data, new_data;
	/* Changed lines: removed/modified lines of the old side, added/
	 * modified lines of the new side (diff with zero context lines). */
	struct line_range *old_ranges;
	size_t old_nr, old_alloc;
	struct line_range *new_ranges;
	size_t new_nr, new_alloc;
};

struct change_set {
	struct file_change *items;	/* sorted by new_path (else old_path) */
	size_t nr, alloc;
};

#define CHANGE_SET_INIT { .items = NULL }

enum diff_target {
	DIFF_TO_WORKDIR,	/* base tree -> work tree (index included), like git diff <base> */
	DIFF_TO_INDEX,		/* base tree -> index, like git diff --cached <base> */
	DIFF_TO_TREE,		/* base tree -> head tree, like git diff <base> <head> */
};

/* Which files diff_compute_filtered() lists and loads. */
struct diff_filter {
	/* A changed file is kept if keep() keeps its new or its old path
	 * (NULL: every file). */
	int (*keep)(const char *path, void *payload);
	/* With DIFF_TO_WORKDIR and untracked: the untracked files (in
	 * untracked directories too) that .gitignore does not exclude and
	 * keep_untracked() keeps go to *untracked as CHANGE_ADDED. It may be
	 * asked about an untracked directory ("dir/") before its files: 0
	 * and the directory is not entered. */
	int (*keep_untracked)(const char *path, void *payload);
	struct change_set *untracked;
	void *payload;
};

/*
 * Compute the change from base to the target into out (CHANGE_SET_INIT).
 * head is used only with DIFF_TO_TREE. Renames and copies are detected
 * (git_diff_find_similar). pathspec (may be empty) limits the change, as
 * "-- <path>..." does for git diff. Returns 0, or -1 after an error.
 */
int diff_compute(struct change_set *out, git_repository *repo,
		 const git_commit *base, const git_commit *head,
		 enum diff_target target, const struct strlist *pathspec);

/*
 * diff_compute() with only the files filter keeps (NULL keeps all): the
 * others are neither loaded nor listed; and, as filter says, the work
 * tree's untracked files. Both sets are released on error.
 */
int diff_compute_filtered(struct change_set *out, git_repository *repo,
			  const git_commit *base, const git_commit *head,
			  enum diff_target target,
			  const struct strlist *pathspec,
			  const struct diff_filter *filter);

/*
 * Parse a unified diff (git diff or diff -u output; "a/" and "b/" prefixes
 * stripped; /dev/null for added and deleted files; "rename from/to" and
 * "Binary files ... differ" understood) of len bytes. Old contents come from
 * the base tree by old path; new contents are made by applying the hunks to
 * the old contents. what names the input in messages ("<stdin>"). A
 * malformed diff (bad hunk header, hunk counts that do not match its lines,
 * hunk that does not apply) is an error naming what and the line number;
 * so is text with no file section at all (garbage, a lone "--- a/x"):
 * only empty or blank input is an empty diff.
 * Returns 0 or -1.
 */
int diff_parse_unified(struct change_set *out, git_repository *repo,
		       const git_commit *base, const char *buf, size_t len,
		       const char *what);

void change_set_release(struct change_set *set);

#endif
