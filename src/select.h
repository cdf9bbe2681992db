/* select.h - the whole selection: find the model, read the change, score tests, choose within budget.
 * Front ends fill struct select_options; nothing here reads argv or prints to stdout. */
#ifndef COVOPT_SELECT_H
#define COVOPT_SELECT_H

#include <git2.h>
#include "config.h"
#include "diff.h"
#include "impact.h"
#include "model.h"
#include "repo-config.h"
#include "select-problem.h"
#include "strlist.h"

struct select_options {
	const char *base_rev;		/* NULL = HEAD */
	const char *head_rev;		/* NULL = index or work tree */
	int merge_base;			/* A...B: base is the merge base */
	int cached;			/* index instead of work tree */
	const char *diff_file;		/* "-" = a unified diff on stdin */
	struct strlist pathspec;
	const char *budget;		/* "10", "2.5", "5%"; NULL = none */
	int wall;			/* budget includes start-up overhead */
	int top_n;			/* 0 = all */
	double confidence;		/* 0 = off, else (0, 1] */
	const char *notes_ref;		/* as repo_notes_ref() resolved it */
	unsigned search_depth;
	const struct covopt_config *config;
	/* The suite as the runner collected it (sorted), or NULL: tests
	 * outside it are gone, tests in it the model lacks are new. */
	const struct strlist *collected;
	/* With collected: when no model is in reach, choose every collected
	 * test and give the reason instead of failing. */
	int fallback;
	/* With fallback and no collection yet: only find out whether
	 * anything would be chosen (a missing model sets fallback_reason). */
	int probe;
	const char *trust;		/* --trust: "any", "signed"; NULL: covopt.trust */
};

#define SELECT_OPTIONS_INIT { \
	.pathspec = STRLIST_INIT, \
	.search_depth = COVOPT_DEFAULT_SEARCH_DEPTH, \
}

struct selected_test {
	const char *id;		/* borrowed from the model or new_tests */
	double gain;
	double cost;
	int is_new;
	int forced;		/* listed in always_run */
	struct select_rank rank;	/* its ranking signals (select-problem.h) */
};

struct selection {
	char base_hex[GIT_OID_HEXSZ + 1];
	char head_hex[GIT_OID_HEXSZ + 1];	/* "" for the index or work tree */
	const char *target;			/* "commit", "index", "worktree", "diff" */
	char model_hex[GIT_OID_HEXSZ + 1];
	char *model_signer;			/* who signed it (verified), or NULL */
	unsigned distance;
	struct model model;
	struct change_set changes;
	struct impact impact;
	struct selected_test *chosen;		/* most valuable first */
	size_t nr;
	struct strlist left_out;		/* affected, not chosen (budget) */
	struct strlist to_skip;			/* known tests not chosen */
	struct strlist present_diff;		/* known tests the change reaches */
	struct strlist global_level;		/* tests reached by global paths */
	double budget;				/* seconds for tests; < 0 none */
	double overhead;			/* start-up of the run */
	double cost;				/* estimated time of the chosen tests */
	double suite_time;			/* the model's whole suite (flags summed) */
	double utility, utility_all, bound;
	const char *strategy;
	size_t affected;
	int run_all;				/* "covopt: run-all" asked for everything */
	char *fallback_reason;			/* no model: everything chosen, and why */
	double default_cost;			/* cost of a test of unknown cost */
	size_t new_since_model;			/* tests added since the model */
	size_t new_untracked;			/* tests in untracked files */
	struct strlist relative_ids;		/* owns chosen ids rewritten by selection_relative() */
};

/*
 * Select tests as o says. Returns 0 (an empty selection included), or -1
 * after one error line: bad revision, no model within reach (with how to
 * record one), a corrupt note (naming the commit), a malformed diff.
 */
int select_run(struct selection *out, git_repository *repo,
	       const struct select_options *o);

void selection_release(struct selection *s);

/* Fill what the command line left unset from git config (covopt.*) and
 * cfg (.covopt.yml); checks the budget's syntax. 0 or -1. */
int select_apply_config(struct select_options *o, git_repository *repo,
			const struct covopt_config *cfg);

/* Rewrite the chosen and the skipped ids relative to the directory prefix
 * (as relative_id() takes it), for printing; "" changes nothing. */
void selection_relative(struct selection *s, const char *prefix);

/* Keep only the chosen tests that fall in part k of n (balanced by cost). */
void selection_shard(struct selection *s, uint32_t k, uint32_t n);

/* Write the known tests not chosen, one a line, to path. 0, or -1 after
 * one error line: the file cannot be written, or an id holds a newline
 * (then path is left alone). */
int selection_write_rest(const struct selection *s, const char *path);

#endif
