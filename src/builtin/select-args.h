/* builtin/select-args.h - the command line select and run share: options, revisions, paths.
 * Only builtins parse argv; they fill struct select_options for select.c. */
#ifndef COVOPT_BUILTIN_SELECT_ARGS_H
#define COVOPT_BUILTIN_SELECT_ARGS_H

#include <git2.h>
#include "parse-opts.h"
#include "select.h"

/* The option-table lines select and run share; confidence and staged are
 * a const char * and an int of the caller's. */
#define OPT_SELECT_COMMON(o, confidence, staged) \
	OPT_STRING('t', "time", &(o)->budget, "seconds", \
		   "budget for the selected tests: seconds or N% of the suite"), \
	OPT_BOOL(0, "wall", &(o)->wall, \
		 "charge the run's start-up overhead to the budget"), \
	OPT_STRING(0, "confidence", &(confidence), "share", \
		   "smallest set reaching this share of the change signal"), \
	OPT_BOOL(0, "cached", &(o)->cached, "the index against the base"), \
	OPT_BOOL(0, "staged", &(staged), "synonym for --cached"), \
	OPT_STRING(0, "ref", &(o)->notes_ref, "ref", \
		   "notes ref (default refs/notes/covopt)"), \
	OPT_STRING(0, "trust", &(o)->trust, "any|signed", \
		   "use only signed models (default covopt.trust or any)")

/*
 * The arguments left after option parsing (with PARSE_OPT_KEEP_DASHDASH):
 * revisions, then "--" and paths relative to the current directory (made
 * top-relative, as pathspecs of repo). 0, or -1 after an error.
 */
int select_args_positionals(struct select_options *o, git_repository *repo,
			    int argc, const char **argv, char **owned);

/*
 * Revisions as git diff takes them: nothing, "A", "A B", "A..B", "A...B"
 * (merge base). *owned receives a string to free later. 0, or -1 after an
 * error.
 */
int select_args_revisions(struct select_options *o, int argc,
			  const char **argv, char **owned);

/* Parse --confidence (a share in (0, 1]) into o; NULL leaves it off. */
int select_args_confidence(struct select_options *o, const char *value);

#endif
