/* index-checkout.h - a temporary checkout of the index, so "run --cached" tests what is committed.
 * The work tree is never written: an interrupted or killed run cannot lose an unstaged edit. */
#ifndef COVOPT_INDEX_CHECKOUT_H
#define COVOPT_INDEX_CHECKOUT_H

#include <git2.h>

struct index_checkout {
	char *top;	/* the temporary directory; NULL when there is none */
	char *cwd;	/* the current directory's place in it, to run in */
};

#define INDEX_CHECKOUT_INIT { .top = NULL, .cwd = NULL }

/*
 * Does the work tree hold anything the index does not: a tracked file
 * changed or deleted and not staged, or an untracked file that is not
 * ignored (submodules aside)? Then it is not what would be committed. 1
 * or 0, -1 after an error.
 */
int index_checkout_needed(git_repository *repo);

/*
 * Write every file of the repository's index (the one $GIT_INDEX_FILE
 * names, as during "git commit -a") into a new directory
 * $TMPDIR/git-covopt-index-XXXXXX (TMPDIR default /tmp) with "git
 * checkout-index", which applies the same filters as a checkout (a
 * submodule becomes a symlink to the work tree's); set
 * co->cwd to the directory there that matches the current one. From now
 * until index_checkout_remove(), SIGHUP, SIGINT, SIGQUIT and SIGTERM are
 * held: the running child (see run_command_interrupt()) gets the signal,
 * and no new one starts. 0, or -1 with an error and nothing left behind.
 */
int index_checkout_create(struct index_checkout *co, git_repository *repo);

/*
 * Remove the directory (symlinks in it are removed, never followed) and
 * release co. If a signal was held, the default action is restored and
 * the signal raised again, so the process ends as it would have. 0, or -1
 * with an error naming the directory left behind.
 */
int index_checkout_remove(struct index_checkout *co);

#endif
