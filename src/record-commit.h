/* record-commit.h - record one test run as the model of a commit: the steps of "git covopt record".
 * Load the run, build the model, carry the nearest ancestor's forward, store the note atomically. */
#ifndef COVOPT_RECORD_COMMIT_H
#define COVOPT_RECORD_COMMIT_H

#include <git2.h>
#include "model.h"
#include "signing.h"
#include "strlist.h"

struct record_request {
	const struct strlist *coverage;	/* coverage.py data files, at least one */
	const struct strlist *junit;	/* JUnit reports of the same run */
	const char *rev;		/* the commit the run tested */
	const char *flag;		/* test group recorded; others carried forward */
	const char *notes_ref;		/* as repo_notes_ref() resolved it */
	unsigned search_depth;		/* covopt.searchDepth (repo_search_depth()) */
	int partial;			/* only some tests ran: keep the others' data */
	/* sign every flag of the note with this set-up, or NULL */
	const struct signing_config *sign;
	/* carry forward only from trusted models (covopt.trust), or NULL */
	const struct signing_config *trust;
};

struct record_result {
	struct model model;		/* the model of the run alone, for a summary */
};

/*
 * Record the run req describes as the note on its commit in req->notes_ref:
 * build the model, carry forward the flags (with partial: the tests) the
 * run lacks from the commit's note, or else from the nearest annotated
 * first-parent ancestor (at most search_depth commits from the commit),
 * and write the note by compare-and-swap; with req->sign every flag of the
 * note is signed (a note there that req->trust does not trust is not
 * carried from but replaced). out is filled either way;
 * release it with record_result_release(). Returns 0, or -1 after an
 * error (the notes ref unchanged).
 */
int record_commit(struct record_result *out, git_repository *repo,
		  const struct record_request *req);
void record_result_release(struct record_result *r);

/*
 * Remove the flag req->flag and its tests from the model of req->rev (its
 * own note, or else the nearest ancestor's within req->search_depth, which
 * then becomes its note), by compare-and-swap in req->notes_ref; coverage
 * and junit are not used. Returns 0, or -1 after an error: no model, no
 * such flag, or it is the model's only flag (the notes ref unchanged).
 */
int record_drop_flag(git_repository *repo, const struct record_request *req);

#endif
