/* builtin/record.c - "git covopt record": store the model of a test run in a note on a commit.
 * Parses options and prints the summary; record_commit() (record-commit.c) does the work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtin.h"
#include "parse-opts.h"
#include "progress.h"
#include "record-commit.h"
#include "repo-config.h"
#include "sbuf.h"
#include "strlist.h"
#include "usage.h"
#include "banned.h"

static const char *const record_usage[] = {
	"git covopt record [--coverage <file>]... [--junit <file>]... "
	"[--commit <rev>] [--flag <name>] [--ref <ref>] [--partial] [--sign] [-q]",
	"git covopt record --drop-flag <name> [--commit <rev>] [--ref <ref>] [-q]",
	NULL
};

struct record_options {
	struct strlist coverage;
	struct strlist junit;
	const char *rev;
	const char *flag;
	const char *ref;
	const char *drop_flag;
	int quiet;
	int partial;
	int sign;	/* -1: covopt.signModels */
};

void record_print_summary(const struct model *m, const char *flag,
			  const char *ref)
{
	size_t signals = 0;

	for (size_t i = 0; i < m->tests_nr; i++)
		signals += m->tests[i].signals_len ? 1 : 0;
	fprintf(stderr,
		"recorded %zu tests (%zu with coverage) over %zu features in "
		"%zu files for commit %.12s (flag '%s') in %s\n",
		m->tests_nr, signals, m->features_nr, m->files_nr, m->commit,
		flag, ref);
}

static int record(git_repository *repo, const struct record_options *o)
{
	struct record_request req = {
		.coverage = &o->coverage,
		.junit = &o->junit,
		.rev = o->rev,
		.flag = o->flag,
		.partial = o->partial,
	};
	struct record_result res;
	struct signing_setup signing;
	char *ref = repo_notes_ref(repo, o->ref, NULL);
	int ret = -1;

	model_init(&res.model);
	memset(&signing, 0, sizeof(signing));
	if (!ref || repo_search_depth(repo, &req.search_depth) < 0 ||
	    signing_setup_load(&signing, repo, o->sign, NULL) < 0)
		goto cleanup;
	req.notes_ref = ref;
	req.sign = signing_setup_signer(&signing);
	req.trust = signing_setup_trust(&signing);
	ret = record_commit(&res, repo, &req);
	if (!ret && !o->quiet)
		record_print_summary(&res.model, o->flag, ref);
cleanup:
	signing_setup_release(&signing);
	record_result_release(&res);
	free(ref);
	return ret;
}

/* --drop-flag: remove a flag and its tests from the model of the commit. */
static int drop_flag(git_repository *repo, const struct record_options *o)
{
	struct record_request req = {
		.rev = o->rev,
		.flag = o->drop_flag,
	};
	char *ref = repo_notes_ref(repo, o->ref, NULL);
	int ret = -1;

	if (ref && repo_search_depth(repo, &req.search_depth) >= 0) {
		req.notes_ref = ref;
		ret = record_drop_flag(repo, &req);
	}
	if (!ret && !o->quiet)
		fprintf(stderr, "dropped flag '%s' from the model of '%s' in "
			"%s\n", o->drop_flag, o->rev, ref);
	free(ref);
	return ret;
}

/*
 * Append the file name of .covopt.yml to files as a path from the current
 * directory: the file is at the top of the work tree, so are its names.
 */
static void add_config_file(struct strlist *files, git_repository *repo,
			    const char *name)
{
	const char *top = git_repository_workdir(repo);
	struct sbuf path = SBUF_INIT;

	if (top && *name != '/')
		sbuf_addstr(&path, top);
	sbuf_addstr(&path, name);
	strlist_append_nodup(files, sbuf_detach(&path, NULL));
}

/*
 * Without --coverage/--junit: record.coverage/junit of .covopt.yml (from
 * the top), else .coverage (in the current directory, where pytest wrote
 * it, as the files given are).
 */
static int default_inputs(struct record_options *o, git_repository *repo)
{
	struct covopt_config cfg;
	int ret = repo_load_config(&cfg, repo);

	if (!ret && !o->coverage.nr)
		for (size_t i = 0; i < cfg.coverage_files.nr; i++)
			add_config_file(&o->coverage, repo,
					cfg.coverage_files.items[i]);
	if (!ret && !o->junit.nr)
		for (size_t i = 0; i < cfg.junit_files.nr; i++)
			add_config_file(&o->junit, repo,
					cfg.junit_files.items[i]);
	if (!o->coverage.nr)
		strlist_append(&o->coverage, ".coverage");
	config_release(&cfg);
	return ret;
}

int cmd_record(int argc, const char **argv, git_repository *repo)
{
	struct record_options o = {
		.coverage = STRLIST_INIT,
		.junit = STRLIST_INIT,
		.rev = "HEAD",
		.flag = "default",
		.sign = -1,
	};
	const struct opt_spec options[] = {
		OPT_LIST(0, "coverage", &o.coverage, "file",
			 "coverage.py data file (repeatable; default .coverage)"),
		OPT_LIST(0, "junit", &o.junit, "file",
			 "JUnit XML report of the same run (repeatable)"),
		OPT_STRING(0, "commit", &o.rev, "rev",
			   "commit the run tested (default HEAD)"),
		OPT_STRING(0, "flag", &o.flag, "name",
			   "test group to record; others are carried forward"),
		OPT_STRING(0, "ref", &o.ref, "ref",
			   "notes ref (default refs/notes/covopt)"),
		OPT_BOOL(0, "partial", &o.partial,
			 "the run ran only some tests: keep the others' data"),
		OPT_BOOL(0, "sign", &o.sign,
			 "sign the model with git's signing set-up"),
		OPT_STRING(0, "drop-flag", &o.drop_flag, "name",
			   "remove this flag's tests from the model instead"),
		OPT_BOOL('q', "quiet", &o.quiet,
			 "print no informational messages"),
		OPT_END(),
	};
	int ret;

	argc = parse_options(argc, argv, options, record_usage, 0);
	if (argc) {
		error("too many arguments");
		usage_with_options(record_usage, options);
	}
	if (o.quiet)
		progress_disable();
	if (!*o.flag || strlen(o.flag) > 64 || strpbrk(o.flag, " \t\n/")) {
		error("bad flag name '%s'", o.flag);
		return COVOPT_EXIT_USAGE;
	}
	if (o.drop_flag && (o.coverage.nr || o.junit.nr || o.partial ||
			    strcmp(o.flag, "default"))) {
		error("--drop-flag takes no run: only --commit, --ref and -q");
		usage_with_options(record_usage, options);
	}
	if (o.drop_flag)
		return drop_flag(repo, &o) ? COVOPT_EXIT_FAILURE : 0;
	if (default_inputs(&o, repo) < 0)
		return COVOPT_EXIT_FAILURE;
	ret = record(repo, &o);
	strlist_release(&o.coverage);
	strlist_release(&o.junit);
	return ret ? COVOPT_EXIT_FAILURE : 0;
}
