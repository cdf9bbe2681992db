/* repo-config.h - the configuration a repository's commands run with: .covopt.yml, then git config.
 * Git config (covopt.*) is personal and wins over the project's file. */
#ifndef COVOPT_REPO_CONFIG_H
#define COVOPT_REPO_CONFIG_H

#include <git2.h>
#include "config.h"

/*
 * Fill cfg (uninitialised) with the defaults, then .covopt.yml from the top
 * of the work tree (if any; messages name it ".covopt.yml"), then the git
 * config overrides covopt.budget, covopt.notesRef and covopt.runner.
 * Returns 0, or -1 after an error (cfg is then still released safely).
 */
int repo_load_config(struct covopt_config *cfg, git_repository *repo);

/*
 * The notes ref a command uses: opt (--ref), else $COVOPT_NOTES_REF, else
 * git config covopt.notesRef, else notes_ref of .covopt.yml, else
 * refs/notes/covopt. Caller frees; NULL after an error.
 */
char *repo_notes_ref(git_repository *repo, const char *opt);

#endif
