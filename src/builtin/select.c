/* builtin/select.c - "git covopt select": print the tests to run for a change, within a budget.
 * Parses revisions and options into struct select_options; select.c does the work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtin.h"
#include "config.h"
#include "output.h"
#include "parse-opts.h"
#include "repo.h"
#include "select.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

static const char *const select_usage[] = {
	"git covopt select [<options>] [<base>] [<head>] [-- <path>...]",
	"git covopt select [<options>] <base>..<head> | <base>...<head>",
	"git covopt select [<options>] --cached [<base>]",
	"git covopt select [<options>] --diff=- [<base>] < patch",
	NULL
};

/* "A..B", "A...B", "A B", "A" or nothing into the options. */
static int parse_revisions(struct select_options *o, int argc,
			   const char **argv, char **owned)
{
	const char *dots;

	if (argc > 2)
		return error("too many revisions (at most a base and a head)");
	if (argc == 2) {
		o->base_rev = argv[0];
		o->head_rev = argv[1];
		return 0;
	}
	if (!argc)
		return 0;
	dots = strstr(argv[0], "..");
	if (!dots) {
		o->base_rev = argv[0];
		return 0;
	}
	*owned = xstrdup(argv[0]);
	(*owned)[dots - argv[0]] = '\0';
	o->merge_base = !strncmp(dots, "...", 3);
	o->base_rev = **owned ? *owned : "HEAD";
	o->head_rev = dots + (o->merge_base ? 3 : 2);
	if (!*o->head_rev)
		o->head_rev = "HEAD";
	return 0;
}

/* .covopt.yml at the top of the work tree, when there is one. */
static int load_config(struct covopt_config *cfg, git_repository *repo)
{
	struct sbuf path = SBUF_INIT;
	const char *top = git_repository_workdir(repo);
	int ret = 0;

	struct sbuf text = SBUF_INIT;

	config_init(cfg);
	if (top) {
		sbuf_addf(&path, "%s%s", top, COVOPT_CONFIG_FILE);
		if (!access(path.buf, F_OK))
			ret = sbuf_read_file(&text, path.buf, CONFIG_MAX_SIZE) < 0 ||
			      config_parse(cfg, text.buf, text.len,
					   COVOPT_CONFIG_FILE) < 0 ? -1 : 0;
	}
	sbuf_release(&text);
	sbuf_release(&path);
	return ret;
}

/* Defaults from git config (covopt.*), then from .covopt.yml. */
static int apply_config(struct select_options *o, git_repository *repo,
			const struct covopt_config *cfg, char **budget)
{
	long depth, wall;

	if (repo_config_int(repo, "covopt.searchDepth", 100, &depth) < 0 ||
	    repo_config_int(repo, "covopt.budgetIncludesStartup", 0, &wall) < 0)
		return -1;
	o->search_depth = depth > 0 ? (unsigned)depth : 0;
	if (wall)
		o->wall = 1;
	if (!o->notes_ref && cfg->notes_ref && !getenv("COVOPT_NOTES_REF") &&
	    !repo_config_string_exists(repo, "covopt.notesRef"))
		o->notes_ref = cfg->notes_ref;
	if (o->budget)
		return 0;
	*budget = repo_config_string(repo, "covopt.budget");
	o->budget = *budget ? *budget : cfg->budget;
	return 0;
}

static int parse_confidence(struct select_options *o, const char *value)
{
	char *end;
	double v;

	if (!value)
		return 0;
	v = strtod(value, &end);
	if (end == value || *end || !(v > 0 && v <= 1))
		return error("bad confidence '%s': give a share in (0, 1], "
			     "like 0.95", value);
	o->confidence = v;
	return 0;
}

int cmd_select(int argc, const char **argv, git_repository *repo)
{
	struct select_options o = SELECT_OPTIONS_INIT;
	struct covopt_config cfg;
	struct selection s;
	int verbose = 0, nul = 0, json = 0, staged = 0, dashdash = -1;
	const char *confidence = NULL;
	char *owned = NULL, *budget = NULL;
	const struct opt_spec options[] = {
		OPT_STRING('t', "time", &o.budget, "seconds",
			   "budget for the selected tests: seconds or N% of the suite"),
		OPT_BOOL(0, "wall", &o.wall,
			 "charge the run's start-up overhead to the budget"),
		OPT_STRING(0, "confidence", &confidence, "share",
			   "smallest set reaching this share of the change signal"),
		OPT_INT('n', NULL, &o.top_n, "n",
			"only the top N tests by initial score compete"),
		OPT_BOOL(0, "cached", &o.cached, "the index against the base"),
		OPT_BOOL(0, "staged", &staged, "synonym for --cached"),
		OPT_STRING(0, "diff", &o.diff_file, "file",
			   "read a unified diff from a file ('-': stdin)"),
		OPT_BOOL('z', NULL, &nul, "terminate test ids with NUL"),
		OPT_BOOL(0, "json", &json, "print one JSON document"),
		OPT_COUNT('v', "verbose", &verbose, "explain the choice on stderr"),
		OPT_STRING(0, "ref", &o.notes_ref, "ref",
			   "notes ref (default refs/notes/covopt)"),
		OPT_END(),
	};
	int ret = COVOPT_EXIT_FAILURE;

	argc = parse_options(argc, argv, options, select_usage,
			     PARSE_OPT_KEEP_DASHDASH);
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dashdash = i;
			break;
		}
	if (dashdash >= 0)
		for (int i = dashdash + 1; i < argc; i++)
			strlist_append(&o.pathspec, argv[i]);
	o.cached |= staged;
	if (parse_revisions(&o, dashdash >= 0 ? dashdash : argc, argv, &owned) < 0 ||
	    parse_confidence(&o, confidence) < 0) {
		usage_with_options(select_usage, options);
	}
	if ((o.cached && o.head_rev) || (o.diff_file && (o.head_rev || o.cached)))
		die("--cached and --diff take at most a base revision");
	if (load_config(&cfg, repo) < 0 ||
	    apply_config(&o, repo, &cfg, &budget) < 0)
		goto cleanup;
	o.config = &cfg;
	if (o.budget && select_parse_budget(o.budget, 0) < 0)
		goto cleanup;
	if (select_run(&s, repo, &o) < 0) {
		selection_release(&s);
		goto cleanup;
	}
	if (verbose)
		output_verbose(stderr, &s);
	ret = output_selection(stdout, &s, json ? OUTPUT_JSON :
			       nul ? OUTPUT_NUL : OUTPUT_LINES, NULL) < 0 ?
	      error("cannot write the selection") : 0;
	if (ret)
		ret = COVOPT_EXIT_FAILURE;
	selection_release(&s);
cleanup:
	config_release(&cfg);
	strlist_release(&o.pathspec);
	free(owned);
	free(budget);
	return ret;
}
