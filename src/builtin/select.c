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
#include "repo-config.h"
#include "builtin/select-args.h"
#include "shard.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

static const char *const select_usage[] = {
	"git covopt select [<options>] [--trust=<any|signed>] [<base>] [<head>] [-- <path>...]",
	"git covopt select [<options>] <base>..<head> | <base>...<head>",
	"git covopt select [<options>] --cached [<base>]",
	"git covopt select [<options>] --diff=- [<base>] < patch",
	NULL
};

int cmd_select(int argc, const char **argv, git_repository *repo)
{
	struct select_options o = SELECT_OPTIONS_INIT;
	struct covopt_config cfg;
	struct selection s;
	int verbose = 0, nul = 0, json = 0, staged = 0, full_name = 0, quiet = 0;
	const char *confidence = NULL, *shard = NULL, *rest = NULL;
	uint32_t shard_k = 0, shard_n = 0;
	char *owned = NULL, *ref = NULL, *prefix = NULL;
	const struct opt_spec options[] = {
		OPT_SELECT_COMMON(&o, confidence, staged),
		OPT_INT('n', NULL, &o.top_n, "n",
			"only the top N tests by initial score compete"),
		OPT_STRING(0, "diff", &o.diff_file, "file",
			   "read a unified diff from a file ('-': stdin)"),
		OPT_BOOL('z', NULL, &nul, "terminate test ids with NUL"),
		OPT_BOOL(0, "json", &json, "print one JSON document"),
		OPT_BOOL(0, "full-name", &full_name,
			 "print ids relative to the top, not the current directory"),
		OPT_COUNT('v', "verbose", &verbose, "explain the choice on stderr"),
		OPT_BOOL('q', "quiet", &quiet, "print no informational messages"),
		OPT_STRING(0, "shard", &shard, "k/n",
			   "print part K of N parts of balanced cost"),
		OPT_STRING(0, "rest", &rest, "file",
			   "write the tests not selected to a file"),
		OPT_END(),
	};
	int ret = COVOPT_EXIT_FAILURE;

	argc = parse_options(argc, argv, options, select_usage,
			     PARSE_OPT_KEEP_DASHDASH);
	o.cached |= staged;
	if (select_args_positionals(&o, repo, argc, argv, &owned) < 0 ||
	    select_args_confidence(&o, confidence) < 0 ||
	    (shard && shard_parse(&shard_k, &shard_n, shard) < 0))
		usage_with_options(select_usage, options);
	if ((o.cached && o.head_rev) || (o.diff_file && (o.head_rev || o.cached)))
		die("--cached and --diff take at most a base revision");
	if (repo_load_config(&cfg, repo) < 0 ||
	    select_apply_config(&o, repo, &cfg) < 0 ||
	    !(ref = repo_notes_ref(repo, o.notes_ref, &cfg)))
		goto cleanup;
	o.notes_ref = ref;
	o.config = &cfg;
	if (select_run(&s, repo, &o) < 0) {
		selection_release(&s);
		goto cleanup;
	}
	prefix = json || full_name ? xstrdup("") : repo_prefix(repo);
	selection_relative(&s, prefix);
	if (rest && selection_write_rest(&s, rest) < 0) {
		selection_release(&s);
		goto cleanup;
	}
	if (shard_n)
		selection_shard(&s, shard_k, shard_n);
	if (verbose && !quiet)
		output_verbose(stderr, &s);
	ret = output_selection(stdout, &s, json ? OUTPUT_JSON :
			       nul ? OUTPUT_NUL :
			       isatty(STDOUT_FILENO) ? OUTPUT_TERMINAL :
			       OUTPUT_LINES, NULL) < 0 ?
	      COVOPT_EXIT_FAILURE : 0;
	selection_release(&s);
cleanup:
	config_release(&cfg);
	strlist_release(&o.pathspec);
	free(owned);
	free(ref);
	free(prefix);
	return ret;
}
