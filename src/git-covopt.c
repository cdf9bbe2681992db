/* git-covopt.c - main(): initialise libgit2, open the repository, dispatch the subcommand.
 * Run as "git covopt <command>"; exit 0 ok, 1 failure, 128 fatal, 129 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <git2.h>
#include "builtin.h"
#include "repo.h"
#include "run-command.h"
#include "sbuf.h"
#include "usage.h"
#include "banned.h"

struct command {
	const char *name;
	int (*fn)(int argc, const char **argv, git_repository *repo);
	const char *summary;
};

static const struct command commands[] = {
	{ "fetch", cmd_fetch, "fetch models from a remote and merge them" },
	{ "gc", cmd_gc, "drop models no branch can use any more" },
	{ "hook", cmd_hook, "install or remove the pre-commit hook" },
	{ "push", cmd_push, "merge and push models to a remote" },
	{ "record", cmd_record, "store a model of a test run in refs/notes/covopt" },
	{ "run", cmd_run, "select tests and run them with the configured runner" },
	{ "select", cmd_select, "print the tests to run for a change, within a budget" },
	{ "show", cmd_show, "describe the model of a commit" },
	{ NULL, NULL, NULL },
};

static const char usage_head[] =
	"usage: git covopt [--version] [--help] <command> [<args>]\n";

static void print_commands(FILE *out)
{
	fputs(usage_head, out);
	fputs("\nThese are the git-covopt commands:\n", out);
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "   %-10s %s\n", c->name, c->summary);
	fputs("\n'git covopt help <command>' shows the manual of a command.\n",
	      out);
}

static const struct command *find_command(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* 1 if man knows the page (quietly asks "man -w page"). */
static int have_page(const char *page)
{
	const char *argv[] = { "man", "-w", page, NULL };
	struct child c = { .argv = argv, .capture = 1, .no_stdin = 1,
			   .out = SBUF_INIT };
	int found = run_command(&c) == 0;

	sbuf_release(&c.out);
	return found;
}

/* "git covopt help [cmd]" and "--help": open the manual as git does,
 * the command's own page (git-covopt-select) when it is installed. */
static int show_manual(const char *cmd)
{
	struct sbuf page = SBUF_INIT;

	if (cmd && !find_command(cmd)) {
		error("'%s' is not a git-covopt command", cmd);
		print_commands(stderr);
		return COVOPT_EXIT_USAGE;
	}
	if (cmd)
		sbuf_addf(&page, "git-covopt-%s", cmd);
	if (!cmd || !have_page(page.buf)) {
		sbuf_reset(&page);
		sbuf_addstr(&page, "git-covopt");
	}
	fflush(stdout);
	execlp("man", "man", page.buf, (char *)NULL);
	/* no man: fall back to the command list */
	print_commands(stdout);
	return 0;
}

static int run_builtin(const struct command *c, int argc, const char **argv)
{
	git_repository *repo = NULL;
	int ret;

	/* "-h" prints the usage before anything needs a repository */
	if (argc > 1 && !strcmp(argv[1], "-h"))
		return c->fn(argc, argv, NULL);
	if (repo_open(&repo) < 0)
		return COVOPT_EXIT_FATAL;
	ret = c->fn(argc, argv, repo);
	git_repository_free(repo);
	return ret;
}

int main(int argc, const char **argv)
{
	const struct command *c;
	int ret;

	if (argc < 2) {
		print_commands(stderr);
		return COVOPT_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("git-covopt version %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return show_manual(argc > 2 ? argv[2] : NULL);
	if (!strcmp(argv[1], "-h")) {
		print_commands(stdout);
		return COVOPT_EXIT_USAGE;
	}
	c = find_command(argv[1]);
	if (!c) {
		error("'%s' is not a git-covopt command. See 'git covopt --help'",
		      argv[1]);
		return COVOPT_EXIT_USAGE;
	}
	if (argc > 2 && !strcmp(argv[2], "--help"))
		return show_manual(c->name);
	git_libgit2_init();
	/* git trusts its object database; re-hashing every object read
	 * would cost select a third of its time */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* select looks test files up in one directory many times: keep big
	 * trees in the object cache (libgit2 caches only trees < 4 KiB) */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE,
			 (size_t)16 << 20);
	ret = run_builtin(c, argc - 1, argv + 1);
	git_libgit2_shutdown();
	return ret;
}
