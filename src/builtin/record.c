/* builtin/record.c - "git covopt record": store the model of a test run in a note on a commit.
 * Parses options, loads the run, builds the model, and merges it into the note atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtin.h"
#include "ingest/coverage-db.h"
#include "ingest/junit-xml.h"
#include "model-codec.h"
#include "model-merge.h"
#include "notes-store.h"
#include "parse-opts.h"
#include "record.h"
#include "repo.h"
#include "repo-config.h"
#include "usage.h"
#include "banned.h"

#define COVOPT_DEFAULT_SEARCH_DEPTH 100

static const char *const record_usage[] = {
	"git covopt record [--coverage <file>]... [--junit <file>]... "
	"[--commit <rev>] [--flag <name>] [--ref <ref>] [--partial] [-q]",
	NULL
};

struct record_options {
	struct strlist coverage;
	struct strlist junit;
	const char *rev;
	const char *flag;
	const char *ref;
	int quiet;
	int partial;
};

/* What the note update callback needs; it may run more than once. */
struct record_state {
	const struct model *fresh;
	const struct model *ancestor;	/* nearest ancestor's model, or NULL */
	const char *commit_hex;
	int partial;		/* keep the data of the tests not run */
};

static int update_note(struct sbuf *note, int exists, void *payload)
{
	struct record_state *st = payload;
	struct model current, merged;
	char what[128];
	int ret = -1;

	model_init(&current);
	model_init(&merged);
	snprintf(what, sizeof(what), "existing note for commit %s",
		 st->commit_hex);
	if (exists && model_decode(&current, note->buf, note->len, what) < 0)
		goto cleanup;
	(st->partial ? model_carry_forward_partial : model_carry_forward)(
		&merged, st->fresh, exists ? &current : st->ancestor);
	sbuf_reset(note);
	ret = model_encode(note, &merged);
cleanup:
	model_release(&current);
	model_release(&merged);
	return ret;
}

/* Decode the model nearest to commit's first parent, if any (for carry-forward). */
static int load_ancestor(struct model *out, int *found, git_repository *repo,
			 const char *ref, const git_commit *commit)
{
	struct sbuf note = SBUF_INIT;
	git_oid at;
	unsigned distance;
	long depth;
	char what[128];
	int ret;

	*found = 0;
	if (!git_commit_parentcount(commit))
		return 0;
	if (repo_config_int(repo, "covopt.searchDepth",
			    COVOPT_DEFAULT_SEARCH_DEPTH, &depth) < 0)
		return -1;
	ret = notes_store_find_nearest_any(&at, &distance, &note, repo, ref,
				     git_commit_parent_id(commit, 0),
				     depth > 0 ? (unsigned)depth - 1 : 0);
	if (ret == 1) {
		snprintf(what, sizeof(what), "note for commit %s",
			 git_oid_tostr_s(&at));
		ret = model_decode(out, note.buf, note.len, what);
		*found = !ret;
	}
	sbuf_release(&note);
	return ret < 0 ? -1 : 0;
}

static int load_run(struct coverage_data *cov, struct junit_report *junit,
		    const struct record_options *o)
{
	for (size_t i = 0; i < o->coverage.nr; i++)
		if (coverage_data_load(cov, o->coverage.items[i]) < 0)
			return -1;
	for (size_t i = 0; i < o->junit.nr; i++)
		if (junit_load(junit, o->junit.items[i]) < 0)
			return -1;
	return 0;
}

static void report(const struct model *m, const char *ref,
		   const struct record_options *o)
{
	size_t signals = 0;

	if (o->quiet)
		return;
	for (size_t i = 0; i < m->tests_nr; i++)
		signals += m->tests[i].signals_len ? 1 : 0;
	fprintf(stderr,
		"recorded %zu tests (%zu with coverage) over %zu features in "
		"%zu files for commit %.12s (flag '%s') in %s\n",
		m->tests_nr, signals, m->features_nr, m->files_nr, m->commit,
		o->flag, ref);
}

static int record(git_repository *repo, const struct record_options *o)
{
	struct coverage_data cov = COVERAGE_DATA_INIT;
	struct junit_report junit = JUNIT_REPORT_INIT;
	struct model fresh, ancestor;
	struct record_state st;
	git_commit *commit = NULL;
	char *ref = repo_notes_ref(repo, o->ref, NULL);
	char hex[GIT_OID_HEXSZ + 1];
	int has_ancestor = 0;
	int ret = -1;

	model_init(&fresh);
	model_init(&ancestor);
	if (!ref || repo_resolve_commit(&commit, repo, o->rev) < 0 ||
	    load_run(&cov, &junit, o) < 0 ||
	    record_build_model(&fresh, repo, commit, &cov, &junit, o->flag) < 0 ||
	    load_ancestor(&ancestor, &has_ancestor, repo, ref, commit) < 0)
		goto cleanup;
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	st.fresh = &fresh;
	st.ancestor = has_ancestor ? &ancestor : NULL;
	st.commit_hex = hex;
	st.partial = o->partial;
	if (notes_store_update(repo, ref, git_commit_id(commit), update_note,
			       &st, "git covopt record") < 0)
		goto cleanup;
	report(&fresh, ref, o);
	ret = 0;
cleanup:
	model_release(&fresh);
	model_release(&ancestor);
	coverage_data_release(&cov);
	junit_report_release(&junit);
	git_commit_free(commit);
	free(ref);
	return ret;
}

/* Without --coverage/--junit: record.coverage/junit of .covopt.yml, else .coverage. */
static int default_inputs(struct record_options *o, git_repository *repo)
{
	struct covopt_config cfg;
	int ret = repo_load_config(&cfg, repo);

	if (!ret && !o->coverage.nr)
		for (size_t i = 0; i < cfg.coverage_files.nr; i++)
			strlist_append(&o->coverage, cfg.coverage_files.items[i]);
	if (!ret && !o->junit.nr)
		for (size_t i = 0; i < cfg.junit_files.nr; i++)
			strlist_append(&o->junit, cfg.junit_files.items[i]);
	if (!o->coverage.nr)
		strlist_append(&o->coverage, ".coverage");
	config_release(&cfg);
	return ret;
}

int cmd_record(int argc, const char **argv, git_repository *repo)
{
	struct record_options o = { STRLIST_INIT, STRLIST_INIT, "HEAD",
				    "default", NULL, 0, 0 };
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
		OPT_BOOL('q', "quiet", &o.quiet, "print no summary"),
		OPT_END(),
	};
	int ret;

	argc = parse_options(argc, argv, options, record_usage, 0);
	if (argc) {
		error("too many arguments");
		usage_with_options(record_usage, options);
	}
	if (!*o.flag || strlen(o.flag) > 64 || strpbrk(o.flag, " \t\n/")) {
		error("bad flag name '%s'", o.flag);
		return COVOPT_EXIT_USAGE;
	}
	if (default_inputs(&o, repo) < 0)
		return COVOPT_EXIT_FAILURE;
	ret = record(repo, &o);
	strlist_release(&o.coverage);
	strlist_release(&o.junit);
	return ret ? COVOPT_EXIT_FAILURE : 0;
}
