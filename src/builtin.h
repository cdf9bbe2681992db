/* builtin.h - the subcommands of git-covopt, one file each under src/builtin/.
 * Each takes the arguments after the subcommand name (argv[0] is its name) and an open repo. */
#ifndef COVOPT_BUILTIN_H
#define COVOPT_BUILTIN_H

#include <git2.h>

int cmd_fetch(int argc, const char **argv, git_repository *repo);
int cmd_gc(int argc, const char **argv, git_repository *repo);
int cmd_hook(int argc, const char **argv, git_repository *repo);
int cmd_push(int argc, const char **argv, git_repository *repo);
int cmd_record(int argc, const char **argv, git_repository *repo);
int cmd_run(int argc, const char **argv, git_repository *repo);
int cmd_select(int argc, const char **argv, git_repository *repo);
int cmd_show(int argc, const char **argv, git_repository *repo);

/* The line "recorded N tests ... in <ref>" record and run --record print
 * on stderr for the model m of a run. */
struct model;
void record_print_summary(const struct model *m, const char *flag,
			  const char *ref);

#endif
