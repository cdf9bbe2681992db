/* builtin/run.c - "git covopt run": collect, select, execute with the configured runner.
 * Exits with the runner's status; --dry-run prints what would run, as Codecov ATS did. */
#include <limits.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtin.h"
#include "index-checkout.h"
#include "ingest/junit-xml.h"
#include "nodeid.h"
#include "output.h"
#include "parse-opts.h"
#include "progress.h"
#include "quote.h"
#include "record-commit.h"
#include "repo.h"
#include "repo-config.h"
#include "runner.h"
#include "builtin/select-args.h"
#include "shard.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

static const char *const run_usage[] = {
	"git covopt run [<options>] [--trust=<any|signed>] [<base>] [<head>] [-- <path>...]",
	"git covopt run --dry-run [--dry-run-format=json|space-separated-list] [<base>]",
	NULL
};

struct run_options {
	const char *runner;
	int dry_run;
	const char *format;
	int record;
	int observe;
	int verbose;
	int quiet;		/* no informational messages on stderr */
	const char *shard;
	const char *rest;
	const char *ref;	/* the notes ref, passed on to record */
	const char *trust;	/* --trust, passed on to record */
};

/* The execute options pytest gets, for --dry-run's runner_options. */
static int runner_options(struct strlist *out, const struct runner_config *r,
			  int with_coverage)
{
	struct strlist none = STRLIST_INIT, argv = STRLIST_INIT;
	size_t skip;

	if (runner_execute_argv(&argv, r, &none, with_coverage) < 0) {
		strlist_release(&argv);
		return -1;
	}
	/* drop the interpreter and "-m pytest", or the command itself */
	skip = r->type == RUNNER_PYTEST ? 3 : r->execute_command.nr;
	for (size_t i = skip; i < argv.nr; i++)
		if (strcmp(argv.items[i], "--"))
			strlist_append(out, argv.items[i]);
	strlist_release(&argv);
	return 0;
}

static int dry_run(const struct selection *s, const struct runner_config *r,
		   const char *format)
{
	struct strlist opts = STRLIST_INIT;
	struct output_extra extra = {
		.runner_options = &opts,
		.fallback_reason = s->fallback_reason,
	};
	enum output_format fmt;
	int ret;

	if (!format || !strcmp(format, "json"))
		fmt = OUTPUT_JSON;
	else if (!strcmp(format, "space-separated-list"))
		fmt = OUTPUT_SHELL;
	else
		return error("unknown --dry-run-format '%s' (json or "
			     "space-separated-list)", format);
	ret = runner_options(&opts, r, 0) < 0 ? -1 :
	      output_selection(stdout, s, fmt, &extra);
	strlist_release(&opts);
	return ret;
}

/* A private JUnit report path under $GIT_DIR, for --observe and --record. */
static char *report_path(git_repository *repo)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%scovopt-run-%ld.xml", git_repository_path(repo),
		  (long)getpid());
	return sbuf_detach(&sb, NULL);
}

/* The runner, with --junitxml added for pytest when a report is wanted. */
static void with_report(struct runner_config *copy,
			const struct runner_config *r, const char *report)
{
	*copy = *r;
	memset(&copy->execute_options, 0, sizeof(copy->execute_options));
	for (size_t i = 0; i < r->execute_options.nr; i++)
		strlist_append(&copy->execute_options,
			       r->execute_options.items[i]);
	if (report && r->type == RUNNER_PYTEST) {
		struct sbuf opt = SBUF_INIT;

		sbuf_addf(&opt, "--junitxml=%s", report);
		strlist_append_nodup(&copy->execute_options,
				     sbuf_detach(&opt, NULL));
	}
}

/* Is the JUnit case c the test with node id? */
static int junit_case_is(const struct junit_case *c, const char *id,
			 struct sbuf *key)
{
	size_t n = strlen(c->classname);

	nodeid_junit_key(key, id);
	return !strncmp(key->buf, c->classname, n) && key->buf[n] == '\t' &&
	       !strcmp(key->buf + n + 1, c->name);
}

/* The node id among ids of JUnit case c, or NULL. */
static const char *case_nodeid(const struct junit_case *c,
			       const struct strlist *ids, struct sbuf *key)
{
	for (size_t i = 0; i < ids->nr; i++)
		if (junit_case_is(c, ids->items[i], key))
			return ids->items[i];
	return NULL;
}

/* --observe: which failing tests did the selection leave out? Named by
 * their node ids (what pytest takes), JUnit's names if none matches. */
static void report_missed(const struct selection *s,
			  const struct strlist *collected, const char *report)
{
	struct junit_report junit = JUNIT_REPORT_INIT;
	struct sbuf key = SBUF_INIT, shown = SBUF_INIT;
	size_t failed = 0, missed = 0;

	if (junit_load(&junit, report) < 0)
		return;
	for (size_t i = 0; i < junit.nr; i++) {
		const struct junit_case *c = &junit.cases[i];
		int caught = 0;

		if (c->outcome != OUTCOME_FAILED && c->outcome != OUTCOME_ERROR)
			continue;
		failed++;
		for (size_t k = 0; k < s->nr && !caught; k++)
			caught = junit_case_is(c, s->chosen[k].id, &key);
		if (!caught) {
			const char *id = case_nodeid(c, collected, &key);

			missed++;
			if (!id) {
				sbuf_reset(&key);
				sbuf_addf(&key, "%s::%s", c->classname, c->name);
				id = key.buf;
			}
			sbuf_reset(&shown);
			quote_escape(&shown, id, strlen(id));
			fprintf(stderr, "observe: missed %s\n", shown.buf);
		}
	}
	fprintf(stderr, "observe: %zu test%s failed; the selection of %zu "
		"caught %zu and missed %zu\n", failed, failed == 1 ? "" : "s",
		s->nr, failed - missed, missed);
	junit_report_release(&junit);
	sbuf_release(&key);
	sbuf_release(&shown);
}

/* Record the run as the model of HEAD, keeping the data of tests not run
 * (from a trusted model only, under --trust=signed as under covopt.trust). */
static int record_run(git_repository *repo, const char *report,
		      const struct run_options *ro)
{
	struct strlist coverage = STRLIST_INIT, junit = STRLIST_INIT;
	struct record_request req = {
		.coverage = &coverage,
		.junit = &junit,
		.rev = "HEAD",
		.flag = "default",
		.notes_ref = ro->ref,
		.partial = 1,
	};
	struct record_result res;
	struct signing_setup signing;
	int ret;

	strlist_append(&coverage, ".coverage");
	strlist_append(&junit, report);
	model_init(&res.model);
	ret = signing_setup_load(&signing, repo, -1, ro->trust);
	req.sign = signing_setup_signer(&signing);
	req.trust = signing_setup_trust(&signing);
	ret = ret < 0 || repo_search_depth(repo, &req.search_depth) < 0 ||
	      record_commit(&res, repo, &req) < 0 ?
	      error("recording the run failed") : 0;
	signing_setup_release(&signing);
	if (!ret && !ro->quiet)
		record_print_summary(&res.model, req.flag, ro->ref);
	record_result_release(&res);
	strlist_release(&coverage);
	strlist_release(&junit);
	return ret;
}

static int execute(const struct selection *s, const struct runner_config *r,
		   const struct strlist *collected, const struct run_options *ro,
		   git_repository *repo)
{
	struct strlist ids = STRLIST_INIT;
	struct runner_config copy;
	char *report = ro->observe || ro->record ? report_path(repo) : NULL;
	int status;

	if (ro->observe)
		for (size_t i = 0; i < collected->nr; i++)
			strlist_append(&ids, collected->items[i]);
	else
		for (size_t i = 0; i < s->nr; i++)
			strlist_append(&ids, s->chosen[i].id);
	if (!ids.nr) {
		if (!ro->quiet)
			fprintf(stderr, "git covopt run: no test to run\n");
		strlist_release(&ids);
		free(report);
		return 0;
	}
	with_report(&copy, r, report);
	status = runner_execute(&copy, &ids, ro->record);
	if (ro->observe && report)
		report_missed(s, collected, report);
	if (ro->record && status >= 0 &&
	    record_run(repo, report, ro) < 0 && !status)
		status = 1;
	if (report)
		unlink(report);
	strlist_release(&copy.execute_options);
	strlist_release(&ids);
	free(report);
	return status < 0 ? 1 : status;
}

/*
 * A change that reaches no test needs no collection either (a comment-only
 * commit through the hook starts no pytest): 1 when there is nothing to
 * run (said on stderr), 0 when the suite must be collected, -1 on error.
 */
static int nothing_to_run(git_repository *repo, const struct select_options *o,
			  int quiet)
{
	struct select_options probe = *o;
	struct selection s;
	int ret;

	probe.probe = 1;
	if (select_run(&s, repo, &probe) < 0) {
		selection_release(&s);
		return -1;
	}
	ret = !s.fallback_reason && !s.nr;
	if (ret && !quiet)
		fprintf(stderr, "git covopt run: no test to run\n");
	selection_release(&s);
	return ret;
}

/* One line on stderr: how much of the suite runs, in tests and time. */
static void print_summary(const struct selection *s, size_t suite_tests)
{
	fprintf(stderr, "selected %zu of %zu test%s", s->nr, suite_tests,
		suite_tests == 1 ? "" : "s");
	if (s->suite_time > 0)
		fprintf(stderr, ", est. %.1f s of %.1f s",
			s->cost + s->overhead, s->suite_time);
	fputc('\n', stderr);
}

/*
 * --cached tests what would be committed: when the work tree holds
 * unstaged changes or untracked files, in a temporary checkout of the
 * index. Not with --dry-run (nothing runs) nor --record (it records the
 * work tree's coverage as the model of HEAD). 1, 0, or -1 on error.
 */
static int wants_index_checkout(git_repository *repo,
				const struct select_options *o,
				const struct run_options *ro)
{
	if (!o->cached || ro->dry_run || ro->record)
		return 0;
	return index_checkout_needed(repo);
}

/*
 * The runner r, run in dir instead: a relative python_path with a slash
 * (".venv/bin/python") still names the work tree's interpreter. *owned
 * takes what the caller frees.
 */
static const struct runner_config *runner_in_dir(struct runner_config *copy,
						 const struct runner_config *r,
						 const char *dir, char **owned)
{
	char cwd[PATH_MAX];

	*copy = *r;
	copy->dir = dir;
	if (r->type == RUNNER_PYTEST && r->python_path &&
	    strchr(r->python_path, '/') &&
	    r->python_path[0] != '/' && getcwd(cwd, sizeof(cwd))) {
		struct sbuf abs = SBUF_INIT;

		sbuf_addf(&abs, "%s/%s", cwd, r->python_path);
		copy->python_path = *owned = sbuf_detach(&abs, NULL);
	}
	return copy;
}

/*
 * Run at the top of the work tree, where the model's ids (top-relative)
 * name the tests: a relative --rest file keeps naming the file it named
 * (*owned receives the new name to free). 0, or -1 after an error.
 */
static int chdir_to_top(git_repository *repo, const char **rest, char **owned)
{
	const char *top = git_repository_workdir(repo);
	char *prefix = repo_prefix(repo);

	if (*rest && **rest != '/' && *prefix) {
		struct sbuf path = SBUF_INIT;

		sbuf_addf(&path, "%s%s", prefix, *rest);
		*rest = *owned = sbuf_detach(&path, NULL);
	}
	free(prefix);
	if (top && chdir(top) < 0)
		return error("cannot change to the top of the work tree '%s': "
			     "%s", top, strerror(errno));
	return 0;
}

static const struct runner_config *pick_runner(const struct covopt_config *cfg,
					       const char *name)
{
	const struct runner_config *r = config_runner(cfg, name);

	if (!r)
		error("no runner named '%s' in .covopt.yml",
		      config_runner_name(cfg, name));
	return r;
}

int cmd_run(int argc, const char **argv, git_repository *repo)
{
	struct select_options o = SELECT_OPTIONS_INIT;
	struct run_options ro = { 0 };
	struct covopt_config cfg;
	struct strlist collected = STRLIST_INIT;
	struct selection s;
	struct index_checkout co = INDEX_CHECKOUT_INIT;
	struct runner_config in_checkout;
	const struct runner_config *r;
	const char *confidence = NULL;
	char *owned = NULL, *ref = NULL, *python = NULL, *rest_owned = NULL;
	uint32_t shard_k = 0, shard_n = 0;
	int staged = 0, checkout, ret = COVOPT_EXIT_FAILURE;
	const struct opt_spec options[] = {
		OPT_SELECT_COMMON(&o, confidence, staged),
		OPT_STRING(0, "runner", &ro.runner, "name",
			   "runner from .covopt.yml (default pytest)"),
		OPT_BOOL(0, "dry-run", &ro.dry_run, "print what would run"),
		OPT_STRING(0, "dry-run-format", &ro.format, "format",
			   "json (default) or space-separated-list"),
		OPT_BOOL(0, "record", &ro.record,
			 "record the run's coverage as the model of HEAD"),
		OPT_BOOL(0, "observe", &ro.observe,
			 "run everything; report failures the selection missed"),
		OPT_STRING(0, "shard", &ro.shard, "k/n",
			   "run part K of N parts of balanced cost"),
		OPT_STRING(0, "rest", &ro.rest, "file",
			   "write the tests not selected to a file"),
		OPT_COUNT('v', "verbose", &ro.verbose, "explain the choice on stderr"),
		OPT_BOOL('q', "quiet", &ro.quiet, "print no informational messages"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, run_usage,
			     PARSE_OPT_KEEP_DASHDASH);
	o.cached |= staged;
	if (select_args_positionals(&o, repo, argc, argv, &owned) < 0)
		usage_with_options(run_usage, options);
	if (ro.quiet)
		progress_disable();
	if (o.cached && o.head_rev)
		die("--cached takes at most a base revision");
	config_init(&cfg);
	if (select_args_confidence(&o, confidence) < 0 ||
	    (ro.shard && shard_parse(&shard_k, &shard_n, ro.shard) < 0) ||
	    chdir_to_top(repo, &ro.rest, &rest_owned) < 0)
		goto cleanup;
	config_release(&cfg);
	if (repo_load_config(&cfg, repo) < 0 ||
	    select_apply_config(&o, repo, &cfg) < 0 ||
	    !(ref = repo_notes_ref(repo, o.notes_ref, &cfg)) ||
	    !(r = pick_runner(&cfg, ro.runner)))
		goto cleanup;
	o.notes_ref = ro.ref = ref;
	ro.trust = o.trust;
	o.config = &cfg;
	o.fallback = 1;
	if (!ro.observe && !ro.dry_run) {
		int nothing = nothing_to_run(repo, &o, ro.quiet);

		if (nothing) {
			ret = nothing < 0 ? COVOPT_EXIT_FAILURE : 0;
			goto cleanup;
		}
	}
	checkout = wants_index_checkout(repo, &o, &ro);
	if (checkout < 0 || (checkout && index_checkout_create(&co, repo) < 0))
		goto cleanup;
	if (checkout) {
		if (!ro.quiet)
			fprintf(stderr, "git covopt run: unstaged or untracked "
				"files: testing the index in '%s'\n", co.top);
		r = runner_in_dir(&in_checkout, r, co.cwd, &python);
	}
	if (runner_collect(&collected, r) < 0)
		goto cleanup;
	o.collected = &collected;
	if (select_run(&s, repo, &o) < 0) {
		selection_release(&s);
		goto cleanup;
	}
	if (s.fallback_reason)
		warning("%s: running every test", s.fallback_reason);
	if (ro.rest && selection_write_rest(&s, ro.rest) < 0)
		goto release;
	if (shard_n)
		selection_shard(&s, shard_k, shard_n);
	if (ro.verbose && !ro.quiet)
		output_verbose(stderr, &s);
	else if (!ro.quiet && !ro.dry_run)
		print_summary(&s, collected.nr);
	ret = ro.dry_run ? (dry_run(&s, r, ro.format) < 0 ? 1 : 0) :
	      execute(&s, r, &collected, &ro, repo);
release:
	selection_release(&s);
cleanup:
	index_checkout_remove(&co);
	config_release(&cfg);
	strlist_release(&collected);
	strlist_release(&o.pathspec);
	free(owned);
	free(rest_owned);
	free(ref);
	free(python);
	return ret;
}
