/* repo-config.h - the configuration a repository's commands run with: .covopt.yml, then git config.
 * Git config (covopt.*) is personal and wins over the project's file. */
#ifndef COVOPT_REPO_CONFIG_H
#define COVOPT_REPO_CONFIG_H

#include <git2.h>
#include "config.h"
#include "sbuf.h"

#define COVOPT_DEFAULT_NOTES_REF "refs/notes/covopt"
#define COVOPT_DEFAULT_SEARCH_DEPTH 100

/*
 * Fill cfg (uninitialised) with the defaults, then .covopt.yml from the top
 * of the work tree (if any; messages name it ".covopt.yml"), then the git
 * config overrides covopt.budget, covopt.notesRef, covopt.runner and
 * covopt.pythonPath (the python_path of every pytest runner).
 * Returns 0, or -1 after an error (cfg is then still released safely).
 */
int repo_load_config(struct covopt_config *cfg, git_repository *repo);

/*
 * The one place that decides the notes ref a command uses: opt (--ref),
 * else $COVOPT_NOTES_REF, else git config covopt.notesRef, else notes_ref
 * of .covopt.yml, else refs/notes/covopt (an empty value counts as unset).
 * A short name "foo" becomes "refs/notes/foo", "notes/foo"
 * "refs/notes/foo", as git notes --ref does. cfg is the configuration the
 * command loaded (repo_load_config()), or NULL to load it here when
 * needed. Storage (notes-store.c, notes-merge.c) takes the result as an
 * argument. Caller frees; NULL after an error (an invalid ref name).
 */
char *repo_notes_ref(git_repository *repo, const char *opt,
		     const struct covopt_config *cfg);

/* covopt.searchDepth: how many first parents select and record look back
 * for a model (default 100; 0 or less: none). 0, or -1 after an error. */
int repo_search_depth(git_repository *repo, unsigned *out);

/*
 * The ways to a model when none is in reach, for the end of an error
 * line: record one, and, when the repository has a remote, fetch one
 * ("git covopt fetch origin"; the network is not contacted).
 * With sign, the record fix asks for a signed model.
 */
void repo_model_fixes(struct sbuf *out, git_repository *repo, int sign);

#endif
