/* notes-store.h - keep models in a git notes ref, written blob by blob (msgpack holds NULs).
 * The ref only ever moves by compare-and-swap to a complete notes commit. */
#ifndef COVOPT_NOTES_STORE_H
#define COVOPT_NOTES_STORE_H

#include <git2.h>
#include "sbuf.h"

/* Where a notes ref points now; exists is 0 when there is no ref yet. */
struct notes_tip {
	int exists;
	git_oid id;
	git_commit *commit;
	git_tree *tree;
};

/* Load where ref points (exists 0 when it is missing). Returns 0, or -1
 * after an error (tip then holds nothing). */
int notes_tip_load(struct notes_tip *tip, git_repository *repo,
		   const char *ref);
void notes_tip_release(struct notes_tip *tip);

/*
 * Read the note on commit from notes_ref into out (which is reset first).
 * Notes may be stored flat ("<hex>") or fanned out ("ab/cdef...",
 * "ab/cd/ef..."), as git writes them. Returns 1 when found, 0 when there is
 * no note (or no notes ref), -1 on error (message printed). Notes larger
 * than COVOPT_MAX_NOTE_SIZE are an error.
 */
int notes_store_read(struct sbuf *out, git_repository *repo,
		     const char *notes_ref, const git_oid *commit);

/*
 * Compute the new note for one commit from the current one. note holds the
 * current note when exists is 1 (empty otherwise); the callback replaces its
 * contents with the note to write and returns 0, or returns -1 (after
 * printing an error) to abort without writing anything.
 */
typedef int (*notes_update_fn)(struct sbuf *note, int exists, void *payload);

/*
 * Set the note on commit in notes_ref to what fn computes. Builds a new
 * notes commit (parent: the current notes commit) whose tree keeps every
 * other note and the existing fan-out, then moves the ref only if it still
 * points where it did; if another writer moved it meanwhile, reads again,
 * calls fn again and retries (bounded). On any failure the ref is left as
 * it was. message is the notes commit message. Returns 0 or -1.
 */
int notes_store_update(git_repository *repo, const char *notes_ref,
		       const git_oid *commit, notes_update_fn fn,
		       void *payload, const char *message);

/*
 * Starting at start and following first parents for at most max_depth
 * steps (0 = start only), find the first commit with a note. On success
 * fills found, distance (steps from start) and note, and returns 1; returns
 * 0 when none is in reach, -1 on error.
 */
int notes_store_find_nearest(git_oid *found, unsigned *distance,
			     struct sbuf *note, git_repository *repo,
			     const char *notes_ref, const git_oid *start,
			     unsigned max_depth);

/*
 * notes_store_find_nearest() over notes_ref and over each remote-tracking
 * notes ref "<notes_ref>-remotes/<remote>", so that notes a plain "git
 * fetch" brought after "git covopt fetch --setup" serve at once. The
 * nearest note wins; at equal distance notes_ref's, then the tracking
 * refs' in name order. Returns 1, 0 or -1 as notes_store_find_nearest().
 */
int notes_store_find_nearest_any(git_oid *found, unsigned *distance,
			   struct sbuf *note, git_repository *repo,
			   const char *notes_ref, const git_oid *start,
			   unsigned max_depth);

/*
 * Decide on the note found on commit in ref: return 1 to take it, 0 to
 * pass it by (the walk goes on to the parent), -1 to stop on an error.
 */
typedef int (*notes_accept_fn)(const git_oid *commit, const struct sbuf *note,
			       const char *ref, void *payload);

struct notes_search {
	const char *notes_ref;
	const git_oid *start;
	unsigned max_depth;
	notes_accept_fn accept;		/* NULL: every note is taken */
	void *payload;
	int shallow;			/* out: stopped at a shallow boundary */
};

/*
 * notes_store_find_nearest_any() from s->start, taking only the notes
 * s->accept takes. A walk that reaches the boundary of a shallow clone
 * (a commit whose parent is not in it) stops there, as at a root, and
 * sets s->shallow. Returns 1, 0 or -1 as notes_store_find_nearest().
 */
int notes_store_search(git_oid *found, unsigned *distance,
		       struct sbuf *note, git_repository *repo,
		       struct notes_search *s);

/* Call fn for each annotated commit id and its note blob id. Stops and
 * returns fn's value when non-zero. Returns 0, or -1 on error. */
typedef int (*notes_foreach_fn)(const git_oid *commit, const git_oid *blob,
				void *payload);
int notes_store_foreach(git_repository *repo, const char *notes_ref,
			notes_foreach_fn fn, void *payload);
/* The same over one notes tree; what names it in messages. */
int notes_store_foreach_tree(git_repository *repo, const git_tree *tree,
			     notes_foreach_fn fn, void *payload,
			     const char *what);

/* ---- Building notes commits by hand (notes-merge.c, gc) ---- */

/*
 * Write a copy of the notes tree (NULL: an empty one) with the note on
 * commit set to blob, keeping every other note and the tree's fan-out
 * layout, as notes_store_update() does. The new tree's id goes to out.
 * Returns 0, or -1 after an error.
 */
int notes_store_tree_set(git_oid *out, git_repository *repo,
			 const git_tree *tree, const git_oid *commit,
			 const git_oid *blob);

/*
 * Write a copy of the notes tree without the notes of the nr commits of
 * drop (sorted by git_oid_cmp), keeping the fan-out layout; a fan-out
 * directory left empty goes too, one without dropped notes is kept as it
 * is. The new tree's id goes to out. 0, or libgit2's error (nothing
 * printed).
 */
int notes_store_tree_without(git_oid *out, git_repository *repo,
			     const git_tree *tree, const git_oid *drop,
			     size_t nr);

/*
 * Write a notes commit of the tree tree_id with the nr parents (0 for the
 * first), signed by repo_signature(); message gets a final newline. 0, or
 * libgit2's error (nothing printed).
 */
int notes_store_commit(git_oid *out, git_repository *repo,
		       const git_oid *tree_id, const git_commit **parents,
		       size_t nr, const char *message);

/*
 * Move ref to id, but only if it still points at old (NULL: only if it
 * still does not exist). message (first line) goes to the reflog.
 * Returns 0 when moved, 1 when another writer moved or locked the ref
 * first (read again and retry), -1 after an error.
 */
int notes_store_move_ref(git_repository *repo, const char *ref,
			 const git_oid *old, const git_oid *id,
			 const char *message);

#endif
