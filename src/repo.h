/* repo.h - the repository as git-covopt sees it: open it, resolve revisions, read files at a commit.
 * Thin helpers over libgit2 that turn its errors into one-line messages naming the thing. */
#ifndef COVOPT_REPO_H
#define COVOPT_REPO_H

#include <git2.h>
#include "sbuf.h"
#include "strlist.h"

/* Open the repository git runs us in, as git finds it: $GIT_DIR (as
 * "git --git-dir" passes it), $GIT_WORK_TREE ("--work-tree"),
 * $GIT_INDEX_FILE and $GIT_CEILING_DIRECTORIES honoured. 0 or -1. */
int repo_open(git_repository **out);

/* Resolve rev ("HEAD~1", a hex id, a branch) to a commit. 0 or -1 naming rev. */
int repo_resolve_commit(git_commit **out, git_repository *repo,
			const char *rev);

/* Read the blob id into out (reset first), refusing blobs over max bytes. */
int repo_read_blob(struct sbuf *out, git_repository *repo, const git_oid *id,
		   size_t max);

/* One tracked file of a tree. */
struct repo_entry {
	char *path;
	git_oid blob;
};

struct repo_tree_files {
	struct repo_entry *items;	/* sorted by path */
	size_t nr, alloc;
	struct strlist paths;		/* the same paths, sorted */
};

/* List every blob (regular or executable file, no symlinks, no submodules)
 * in the tree of commit, recursively. 0 or -1. */
int repo_list_files(struct repo_tree_files *out, git_repository *repo,
		    const git_commit *commit);
void repo_tree_files_release(struct repo_tree_files *files);

/* Read a git config string (e.g. "covopt.budget") into a new string or NULL. */
char *repo_config_string(git_repository *repo, const char *key);
/* Read a git config boolean (true/yes/on/1...); dflt when unset, -1 on a
 * bad value (after an error naming the key). */
int repo_config_bool(git_repository *repo, const char *key, int dflt,
		     int *out);
/* Read a git config integer; returns dflt when unset, -1 on a bad value. */
int repo_config_int(git_repository *repo, const char *key, long dflt,
		    long *out);

/* The identity of the commits git-covopt writes (notes commits):
 * $GIT_COMMITTER_NAME/EMAIL, then user.name/email, then git-covopt's own.
 * 0, or libgit2's error. */
int repo_signature(git_signature **out, git_repository *repo);

/* The current directory relative to the top of the work tree, as
 * relative_id() takes it: "dir/sub/", or "" at the top, outside the work
 * tree or in a bare repository. A new string. */
char *repo_prefix(git_repository *repo);

#endif
