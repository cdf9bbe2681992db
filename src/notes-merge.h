/* notes-merge.h - merge another clone's notes ref into ours without losing a model.
 * Union of notes by commit; where both sides annotate a commit, their models are combined. */
#ifndef COVOPT_NOTES_MERGE_H
#define COVOPT_NOTES_MERGE_H

#include <git2.h>
#include "sbuf.h"
#include "signing.h"

/* What notes_merge() did. */
enum notes_merge_result {
	NOTES_MERGE_UP_TO_DATE = 0,	/* nothing new on the remote side */
	NOTES_MERGE_FAST_FORWARD = 1,	/* ours was behind: now theirs */
	NOTES_MERGE_MERGED = 2,		/* a commit with both parents */
};

/*
 * The private ref the notes of remote are fetched into: for the notes ref
 * R, "R-remotes/<remote>" (refs/notes/covopt-remotes/origin). Returns a
 * new string, or NULL after an error when the name is not a valid ref.
 */
char *notes_merge_remote_ref(const char *notes_ref, const char *remote);

/*
 * Merge the notes commit remote_ref points at into local_ref. A missing
 * ref counts as empty. When one side already contains the other, local_ref
 * is left alone or fast-forwarded; otherwise the union of the notes is
 * written (a commit annotated on both sides with different notes gets
 * notes_merge_note()'s result) as a notes commit whose parents are local's
 * then remote's, and local_ref is moved by compare-and-swap, starting over
 * (bounded) when another writer moved it. The merged tree depends only on
 * the two sides, not on which one is local. Returns an enum
 * notes_merge_result, or -1 after an error (local_ref unchanged).
 */
int notes_merge(git_repository *repo, const char *local_ref,
		const char *remote_ref);

/* notes_merge(), keeping per commit the signed recording over an unsigned
 * one: where both sides annotate a commit and only one side's model is
 * trusted by trust (signing_verify_model()), that note is kept as it is
 * (trust NULL: notes_merge()). */
int notes_merge_trusted(git_repository *repo, const char *local_ref,
			const char *remote_ref,
			const struct signing_config *trust);

/*
 * The note for one commit (hex) from two different notes a and b (named
 * a_name and b_name in messages): both are decoded and combined with
 * model_merge(); a corrupt side is left out with a warning and the
 * other kept as it is. The result does not depend on the order of a and b.
 * out is reset first. Returns 0, or -1 when both are corrupt.
 */
int notes_merge_note(struct sbuf *out, const struct sbuf *a,
		     const char *a_name, const struct sbuf *b,
		     const char *b_name, const char *hex);

/* notes_merge_note(), under a trust set-up as notes_merge_trusted(). */
int notes_merge_note_trusted(struct sbuf *out, const struct sbuf *a,
			     const char *a_name, const struct sbuf *b,
			     const char *b_name, const char *hex,
			     const struct signing_config *trust);

#endif
