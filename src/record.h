/* record.h - turn one test run (coverage contexts + JUnit) into the model of a commit.
 * Features come from the files as they are in the commit's tree, never from the worktree. */
#ifndef COVOPT_RECORD_H
#define COVOPT_RECORD_H

#include <git2.h>
#include "ingest/coverage-db.h"
#include "ingest/junit-xml.h"
#include "model.h"

/*
 * Build into out (initialised by the caller) the model of commit from the
 * coverage data and JUnit report of one run, under the flag named flag.
 * Files are all tracked Python files plus any other tracked file with
 * coverage; measured paths map to tracked paths by longest suffix. Returns 0,
 * or -1 after an error (out is then released).
 */
int record_build_model(struct model *out, git_repository *repo,
		       const git_commit *commit,
		       const struct coverage_data *cov,
		       const struct junit_report *junit, const char *flag);

#endif
