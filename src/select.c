/* select.c - the whole selection: find the model, read the change, score tests, choose within budget.
 * select-problem.c builds the problem; the target says which tests exist, so pytest meets no unknown id. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "budget.h"
#include "model-codec.h"
#include "model-lookup.h"
#include "new-tests.h"
#include "notes-store.h"
#include "optimizer.h"
#include "output.h"
#include "relative-id.h"
#include "repo.h"
#include "repo-config.h"
#include "select.h"
#include "select-problem.h"
#include "shard.h"
#include "signing.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define RUN_ALL_MARK "covopt: run-all"

/* Where the change goes: a commit's tree, the index or the work tree. */
struct target {
	git_repository *repo;
	git_tree *tree;
	git_index *index;
	const char *workdir;
	char *last_path;
	int last_exists;
};

/* ---------------------------------------------------------------- inputs */

/* --time or covopt.budget in seconds of a suite of suite_time; -1 after an error. */
static double parse_budget(const char *value, double suite_time)
{
	struct budget b;

	switch (budget_parse(&b, value, 0)) {
	case BUDGET_OK:
	case BUDGET_ZERO:
		return budget_seconds(&b, suite_time);
	case BUDGET_OVER_100:
		return error("bad budget '%s': more than 100%%", value);
	default:
		return error("bad budget '%s': give seconds (10, 2.5) or a "
			     "share of the suite time (5%%)", value);
	}
}

/* Who signed m, for the record: verified with git's set-up if m carries
 * signatures; NULL when unsigned or when it does not verify. Quiet. */
static char *informational_signer(git_repository *repo, const struct model *m)
{
	struct signing_config c;
	struct signing_verdict v;
	struct sbuf quiet = SBUF_INIT, *old;
	char *signer = NULL;
	int any = 0, loaded;

	for (size_t i = 0; i < m->flags_nr; i++)
		any |= m->flags[i].signature_len > 0;
	if (!any)
		return NULL;
	old = error_divert(&quiet);
	loaded = signing_config_load(&c, repo) == 0;
	if (loaded) {
		signing_verify_model(&v, m, &c);
		if (v.trusted) {
			signer = v.signer;
			v.signer = NULL;
		}
		signing_verdict_release(&v);
		signing_config_release(&c);
	}
	error_divert(old);
	sbuf_release(&quiet);
	return signer;
}

/* The nearest model (trusted one under --trust=signed), and its signer. */
static int find_model(struct selection *s, struct model_found *at,
		      git_repository *repo, const git_commit *base,
		      const struct select_options *o, int *trusted_only)
{
	struct signing_setup signing;
	int found;

	if (signing_setup_load(&signing, repo, 0, o->trust) < 0)
		return -1;
	*trusted_only = signing.trust == TRUST_SIGNED;
	found = model_lookup_nearest_trusted(&s->model, at, &s->model_signer,
					     repo, o->notes_ref,
					     git_commit_id(base),
					     o->search_depth,
					     signing_setup_trust(&signing));
	signing_setup_release(&signing);
	if (found > 0 && !*trusted_only)
		s->model_signer = informational_signer(repo, &s->model);
	return found;
}

static int load_model(struct selection *s, git_repository *repo,
		      const git_commit *base, const struct select_options *o)
{
	const char *ref = o->notes_ref;
	const char *which;
	struct model_found at;
	int found, trusted_only;

	found = find_model(s, &at, repo, base, o, &trusted_only);
	if (found < 0)
		return -1;
	which = trusted_only ? "trusted (signed) model" : "model";
	s->distance = at.distance;
	if (!found && o->fallback && (o->collected || o->probe)) {
		struct sbuf why = SBUF_INIT;

		sbuf_addf(&why, "no %s for %.12s or its %u nearest "
			  "ancestors in %s%s (", which, s->base_hex,
			  o->search_depth, ref,
			  at.shallow ? " (the search stopped at the boundary "
			  "of this shallow clone)" : "");
		repo_model_fixes(&why, repo, trusted_only);
		sbuf_addch(&why, ')');
		s->fallback_reason = sbuf_detach(&why, NULL);
		return 1;
	}
	if (!found) {
		struct sbuf fixes = SBUF_INIT;

		repo_model_fixes(&fixes, repo, trusted_only);
		error("no %s for '%.12s' or its %u nearest ancestors in "
		      "'%s'%s; %s", which, s->base_hex, o->search_depth, ref,
		      at.shallow ? " (the search stopped at the boundary of "
		      "this shallow clone)" : "", fixes.buf);
		sbuf_release(&fixes);
		return -1;
	}
	git_oid_tostr(s->model_hex, sizeof(s->model_hex), &at.commit);
	return 0;
}

/* ---------------------------------------------------------------- change */

struct test_files {
	const struct model *model;
	const struct strlist *test_patterns;
	const char *workdir;
};

/* diff_filter's keep: only test files are listed and read. */
static int keep_test_file(const char *path, void *payload)
{
	const struct test_files *tf = payload;

	return impact_is_test_file(tf->model, tf->test_patterns, path);
}

/* Is directory dir (of the work tree, "dir/") a virtual environment? */
static int is_virtualenv(const char *workdir, const char *dir)
{
	static const char *const marks[] = { "pyvenv.cfg", "bin/activate",
					      "Scripts/activate" };
	struct sbuf path = SBUF_INIT;
	struct stat st;
	int found = 0;

	for (size_t i = 0; !found && i < sizeof(marks) / sizeof(*marks); i++) {
		sbuf_reset(&path);
		sbuf_addf(&path, "%s%s%s", workdir, dir, marks[i]);
		found = !stat(path.buf, &st);
	}
	sbuf_release(&path);
	return found;
}

/* diff_filter's keep_untracked: test files outside what pytest skips. */
static int keep_untracked_test(const char *path, void *payload)
{
	const struct test_files *tf = payload;
	size_t len = strlen(path);

	if (new_tests_in_skipped_dir(path))
		return 0;
	if (len && path[len - 1] == '/')
		return !is_virtualenv(tf->workdir, path);
	return keep_test_file(path, payload);
}

/* Untracked test files are new tests, unless the runner collected the suite. */
static int lists_untracked(const struct selection *s,
			   const struct select_options *o)
{
	return !strcmp(s->target, "worktree") && !o->collected;
}

/* The change into s->changes; untracked test files (if listed) into untracked. */
static int read_changes(struct selection *s, struct change_set *untracked,
			git_repository *repo, const git_commit *base,
			const git_commit *head, const struct select_options *o)
{
	struct sbuf patch = SBUF_INIT;
	int ret;

	if (!o->diff_file) {
		enum diff_target t = head ? DIFF_TO_TREE :
				     o->cached ? DIFF_TO_INDEX : DIFF_TO_WORKDIR;
		struct test_files tf = {
			.model = &s->model,
			.test_patterns = &o->config->test_patterns,
			.workdir = git_repository_workdir(repo),
		};
		struct diff_filter filter = {
			.keep_untracked = keep_untracked_test,
			.untracked = lists_untracked(s, o) ? untracked : NULL,
			.payload = &tf,
		};

		return diff_compute_filtered(&s->changes, repo, base, head, t,
					     &o->pathspec, &filter);
	}
	if (strcmp(o->diff_file, "-"))
		ret = sbuf_read_file(&patch, o->diff_file, DIFF_MAX_PATCH);
	else
		ret = sbuf_read_fd(&patch, 0, DIFF_MAX_PATCH, "<stdin>");
	if (!ret)
		ret = diff_parse_unified(&s->changes, repo, base, patch.buf,
					 patch.len,
					 strcmp(o->diff_file, "-") ?
					 o->diff_file : "<stdin>");
	sbuf_release(&patch);
	return ret;
}

/*
 * Tests the model cannot know besides the change's own: those added
 * between the model's commit and the base, and those in the untracked
 * test files read_changes() listed (NULL: none listed).
 */
static int find_tests_beyond_change(struct selection *s,
				    git_repository *repo,
				    const git_commit *base,
				    const struct change_set *untracked,
				    const struct select_options *o)
{
	struct test_files tf = { .model = &s->model,
				 .test_patterns = &o->config->test_patterns };
	struct diff_filter filter = { .keep = keep_test_file, .payload = &tf };
	struct change_set since = CHANGE_SET_INIT;
	struct new_tests_input in = { .model = &s->model,
				      .change = &s->changes,
				      .untracked = untracked,
				      .test_patterns = tf.test_patterns,
				      .collected = o->collected != NULL };
	struct new_tests_count n;
	git_commit *model_commit = NULL;
	git_oid at;
	int ret = -1;

	if (s->distance) {
		if (git_oid_fromstr(&at, s->model_hex) < 0 ||
		    git_commit_lookup(&model_commit, repo, &at) < 0) {
			error_git("cannot read the model's commit '%s'",
				  s->model_hex);
			goto cleanup;
		}
		if (diff_compute_filtered(&since, repo, model_commit, base,
					  DIFF_TO_TREE, NULL, &filter) < 0)
			goto cleanup;
		in.since = &since;
	}
	ret = new_tests_find(&s->impact, &n, &in);
	s->new_since_model = n.since;
	s->new_untracked = n.untracked;
cleanup:
	change_set_release(&since);
	git_commit_free(model_commit);
	return ret;
}

/* A blob of the model's commit, for line evidence of changed functions. */
static int read_model_blob(struct sbuf *out, const char *hex, void *payload)
{
	git_oid id;

	if (git_oid_fromstr(&id, hex))
		return -1;
	return repo_read_blob(out, payload, &id, DIFF_MAX_FILE);
}

/* ---------------------------------------------------------------- target */

static int target_open(struct target *t, git_repository *repo,
		       const git_commit *head, const char *kind)
{
	memset(t, 0, sizeof(*t));
	t->repo = repo;
	if (head)
		return git_commit_tree(&t->tree, head) < 0 ?
		       error_git("cannot read the tree of the head commit") : 0;
	if (!strcmp(kind, "index"))
		return git_repository_index(&t->index, repo) < 0 ?
		       error_git("cannot read the index") : 0;
	t->workdir = git_repository_workdir(repo);
	return 0;
}

static int path_exists(struct target *t, const char *path, size_t len)
{
	struct sbuf full = SBUF_INIT;
	git_tree_entry *entry = NULL;
	struct stat st;
	int exists = 1;

	if (t->last_path && strlen(t->last_path) == len &&
	    !memcmp(t->last_path, path, len))
		return t->last_exists;
	free(t->last_path);
	t->last_path = xmemdupz(path, len);
	if (t->tree) {
		exists = !git_tree_entry_bypath(&entry, t->tree, t->last_path);
		git_tree_entry_free(entry);
	} else if (t->index) {
		exists = git_index_get_bypath(t->index, t->last_path, 0) != NULL;
	} else if (t->workdir) {
		sbuf_addf(&full, "%s%s", t->workdir, t->last_path);
		exists = !stat(full.buf, &st);
		sbuf_release(&full);
	}
	t->last_exists = exists;
	return exists;
}

/* Does the file of node id exist in the target? */
static int test_exists(struct target *t, const char *id)
{
	const char *sep = strstr(id, "::");

	return path_exists(t, id, sep ? (size_t)(sep - id) : strlen(id));
}

/* select_exists_fn over the target. */
static int target_has_test(const char *id, void *payload)
{
	return test_exists(payload, id);
}

static void target_close(struct target *t)
{
	git_tree_free(t->tree);
	git_index_free(t->index);
	free(t->last_path);
}

/* ---------------------------------------------------------------- result */

static void add_chosen(struct selection *s, const char *id, double gain,
		       double cost, int is_new, int forced)
{
	struct selected_test *st = &s->chosen[s->nr++];

	st->id = id;
	st->gain = gain;
	st->cost = cost;
	st->is_new = is_new;
	st->forced = forced;
	memset(&st->rank, 0, sizeof(st->rank));
	s->cost += cost;
}

/* The always_run tests that exist: model tests, or collected new ones. */
static void add_forced(struct selection *s, const struct select_options *o,
		       struct target *t, unsigned char *listed)
{
	const struct strlist *always = &o->config->always_run;

	for (size_t i = 0; i < always->nr; i++) {
		const char *id = always->items[i];
		long k = model_find_test(&s->model, id);
		int collected = o->collected &&
				strlist_find_sorted(o->collected, id) >= 0;

		if (k >= 0 && !s->impact.removed[k] && !listed[k] &&
		    (!o->collected || collected) && test_exists(t, id)) {
			listed[k] = 1;
			add_chosen(s, s->model.tests[k].id, 0,
				   s->model.tests[k].cost > 0 ?
				   s->model.tests[k].cost : s->default_cost,
				   0, 1);
		} else if (k < 0 && collected) {
			add_chosen(s, id, 0, s->default_cost, 1, 1);
		}
	}
}

static void fill_result(struct selection *s, const struct select_problem *pb,
			const struct opt_result *r, unsigned char *listed)
{
	unsigned char *chosen = xcalloc(pb->cands_nr + 1, 1);

	for (size_t k = 0; k < r->nr; k++) {
		uint32_t c = r->chosen[k];

		chosen[c] = 1;
		add_chosen(s, select_problem_test_id(pb, &s->model, c),
			   r->gain[k], pb->cands[c].cost / SELECT_TICKS_PER_SECOND,
			   pb->test_of[c] < 0, 0);
		s->chosen[s->nr - 1].rank = pb->rank[c];
		if (pb->test_of[c] >= 0)
			listed[pb->test_of[c]] = 1;
	}
	for (size_t c = 0; c < pb->cands_nr; c++) {
		const char *id = select_problem_test_id(pb, &s->model, c);

		if (pb->test_of[c] >= 0 && pb->cands[c].nr)
			strlist_append(&s->present_diff, id);
		if (!chosen[c])
			strlist_append(&s->left_out, id);
	}
	for (size_t i = 0; i < s->model.tests_nr; i++) {
		if (s->impact.global_slot >= 0 && !s->impact.removed[i])
			strlist_append(&s->global_level, s->model.tests[i].id);
		if (!listed[i] && !s->impact.removed[i])
			strlist_append(&s->to_skip, s->model.tests[i].id);
	}
	s->utility = r->utility;
	s->utility_all = r->utility_all;
	s->bound = r->bound;
	s->strategy = r->strategy;
	s->affected = r->affected;
	free(chosen);
}

static int optimize(struct selection *s, struct target *t,
		    const struct select_options *o)
{
	struct select_problem_input in = {
		.model = &s->model,
		.impact = &s->impact,
		.always_run = &o->config->always_run,
		.collected = o->collected,
		.run_all = s->run_all,
		.default_cost = s->default_cost,
		.exists = target_has_test,
		.exists_payload = t,
	};
	struct select_problem pb;
	struct opt_result r;
	unsigned char *listed = xcalloc(s->model.tests_nr + 1, 1);
	size_t room;
	int ret;

	memset(&r, 0, sizeof(r));
	select_problem_build(&pb, &in);
	room = st_add(st_add(pb.cands_nr, o->config->always_run.nr), 1);
	s->chosen = xcalloc(room, sizeof(*s->chosen));
	add_forced(s, o, t, listed);
	pb.p.budget = s->run_all || s->budget < 0 ? -1 :
		      s->budget > s->cost ?
		      floor((s->budget - s->cost) * SELECT_TICKS_PER_SECOND +
			    0.5) : 0;
	pb.p.top_n = o->top_n > 0 ? (size_t)o->top_n : 0;
	pb.p.target_share = o->confidence;
	ret = optimizer_solve(&r, &pb.p);
	if (!ret)
		fill_result(s, &pb, &r, listed);
	opt_result_release(&r);
	select_problem_release(&pb);
	free(listed);
	return ret;
}

/* ---------------------------------------------------------------- options */

/* Defaults for what the command line left unset. */
int select_apply_config(struct select_options *o, git_repository *repo,
			const struct covopt_config *cfg)
{
	int wall;

	if (repo_search_depth(repo, &o->search_depth) < 0 ||
	    repo_config_bool(repo, "covopt.budgetIncludesStartup", 0, &wall) < 0)
		return -1;
	if (wall)
		o->wall = 1;
	if (!o->budget)
		o->budget = cfg->budget;
	return o->budget && parse_budget(o->budget, 0) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- driver */

static int resolve(git_commit **base, git_commit **head, git_repository *repo,
		   const struct select_options *o)
{
	git_oid mb;
	git_commit *merged = NULL;

	if (repo_resolve_commit(base, repo, o->base_rev ? o->base_rev : "HEAD") < 0 ||
	    (o->head_rev && repo_resolve_commit(head, repo, o->head_rev) < 0))
		return -1;
	if (!o->merge_base)
		return 0;
	if (git_merge_base(&mb, repo, git_commit_id(*base),
			   git_commit_id(*head)) < 0)
		return error("no merge base of '%s' and '%s'", o->base_rev,
			     o->head_rev);
	if (git_commit_lookup(&merged, repo, &mb) < 0)
		return error_git("cannot read the merge base");
	git_commit_free(*base);
	*base = merged;
	return 0;
}

/* "covopt: run-all" in the message of the head commit (or HEAD). */
static int wants_run_all(git_repository *repo, const git_commit *head)
{
	git_commit *c = NULL;
	int yes;

	if (head)
		return strstr(git_commit_message(head), RUN_ALL_MARK) != NULL;
	if (repo_resolve_commit(&c, repo, "HEAD") < 0)
		return 0;
	yes = strstr(git_commit_message(c), RUN_ALL_MARK) != NULL;
	git_commit_free(c);
	return yes;
}

static int set_budget(struct selection *s, const struct select_options *o)
{
	double suite = 0;

	s->budget = -1;
	for (size_t i = 0; i < s->model.flags_nr; i++) {
		suite += s->model.flags[i].suite_time;
		s->overhead += s->model.flags[i].overhead;
	}
	s->suite_time = suite;
	if (!o->budget)
		return 0;
	s->budget = parse_budget(o->budget, suite);
	if (s->budget < 0)
		return -1;
	if (o->wall)
		s->budget = s->budget > s->overhead ?
			    s->budget - s->overhead : 0;
	return 0;
}

/*
 * Say under --verbose which files were renamed or copied: their features
 * are compared across the two paths, so a pure rename changes nothing.
 */
static void note_renames(struct selection *s)
{
	for (size_t i = 0; i < s->changes.nr; i++) {
		const struct file_change *fc = &s->changes.items[i];
		struct sbuf sb = SBUF_INIT;

		if (fc->status != CHANGE_RENAMED && fc->status != CHANGE_COPIED)
			continue;
		sbuf_addf(&sb, "%s: %s -> %s (compared feature by feature)",
			  fc->status == CHANGE_RENAMED ? "renamed" : "copied",
			  fc->old_path, fc->new_path);
		strlist_append_nodup(&s->impact.notes, sbuf_detach(&sb, NULL));
	}
}

/* No model: every collected test, in the collected order. */
static void choose_everything(struct selection *s,
			      const struct select_options *o)
{
	s->chosen = xcalloc(o->collected->nr + 1, sizeof(*s->chosen));
	for (size_t i = 0; i < o->collected->nr; i++)
		add_chosen(s, o->collected->items[i], 0, 0, 1, 0);
	s->strategy = "fallback";
}

int select_run(struct selection *s, git_repository *repo,
	       const struct select_options *o)
{
	int found;

	git_commit *base = NULL, *head = NULL;
	struct impact_options io;
	struct change_set untracked = CHANGE_SET_INIT;
	struct target t;
	int ret = -1;

	memset(s, 0, sizeof(*s));
	model_init(&s->model);
	memset(&t, 0, sizeof(t));
	if (resolve(&base, &head, repo, o) < 0)
		goto cleanup;
	if (!head && !o->diff_file && o->cached &&
	    git_repository_is_bare(repo)) {
		error("'--cached' needs an index: '%s' is a bare repository",
		      git_repository_path(repo));
		goto cleanup;
	}
	git_oid_tostr(s->base_hex, sizeof(s->base_hex), git_commit_id(base));
	s->target = head ? "commit" : o->diff_file ? "diff" :
		    o->cached ? "index" : "worktree";
	if (head)
		git_oid_tostr(s->head_hex, sizeof(s->head_hex),
			      git_commit_id(head));
	found = load_model(s, repo, base, o);
	if (found == 1) {
		if (o->collected)
			choose_everything(s, o);
		ret = 0;
		goto cleanup;
	}
	s->default_cost = select_default_cost(&s->model);
	if (found < 0 || set_budget(s, o) < 0 ||
	    read_changes(s, &untracked, repo, base, head, o) < 0)
		goto cleanup;
	io.global_paths = &o->config->global_paths;
	io.ignore_paths = &o->config->ignore_paths;
	io.test_patterns = &o->config->test_patterns;
	io.read_blob = read_model_blob;
	io.blob_payload = repo;
	s->run_all = wants_run_all(repo, head);
	if (impact_analyze(&s->impact, &s->model, &s->changes, &io) < 0)
		goto cleanup;
	note_renames(s);
	if (find_tests_beyond_change(s, repo, base, lists_untracked(s, o) ?
				     &untracked : NULL, o) < 0 ||
	    target_open(&t, repo, head, s->target) < 0)
		goto cleanup;
	ret = optimize(s, &t, o);
cleanup:
	change_set_release(&untracked);
	target_close(&t);
	git_commit_free(base);
	git_commit_free(head);
	return ret;
}

void selection_release(struct selection *s)
{
	model_release(&s->model);
	change_set_release(&s->changes);
	impact_release(&s->impact);
	free(s->chosen);
	strlist_release(&s->left_out);
	strlist_release(&s->to_skip);
	strlist_release(&s->present_diff);
	strlist_release(&s->global_level);
	free(s->fallback_reason);
	free(s->model_signer);
	strlist_release(&s->relative_ids);
	memset(s, 0, sizeof(*s));
}

void selection_relative(struct selection *s, const char *prefix)
{
	struct sbuf id = SBUF_INIT;

	if (!*prefix)
		return;
	for (size_t i = 0; i < s->nr; i++) {
		sbuf_reset(&id);
		relative_id(&id, s->chosen[i].id, prefix);
		s->chosen[i].id = strlist_append(&s->relative_ids, id.buf);
	}
	for (size_t i = 0; i < s->to_skip.nr; i++) {
		sbuf_reset(&id);
		relative_id(&id, s->to_skip.items[i], prefix);
		free(s->to_skip.items[i]);
		s->to_skip.items[i] = sbuf_detach(&id, NULL);
	}
	sbuf_release(&id);
}

void selection_shard(struct selection *s, uint32_t k, uint32_t n)
{
	uint32_t *part = xmalloc(st_mult(s->nr + 1, sizeof(uint32_t)));
	double *cost = xmalloc(st_mult(s->nr + 1, sizeof(double)));
	size_t out = 0;

	for (size_t i = 0; i < s->nr; i++)
		cost[i] = s->chosen[i].cost;
	shard_assign(part, cost, s->nr, n);
	s->cost = 0;
	for (size_t i = 0; i < s->nr; i++) {
		if (part[i] != k)
			continue;
		s->cost += s->chosen[i].cost;
		s->chosen[out++] = s->chosen[i];
	}
	s->nr = out;
	free(part);
	free(cost);
}

int selection_write_rest(const struct selection *s, const char *path)
{
	struct sbuf why = SBUF_INIT;
	FILE *f;
	int ret = 0;

	sbuf_addf(&why, "cannot write it to '%s', one id a line", path);
	ret = output_check_one_a_line((const char *const *)s->to_skip.items,
				      s->to_skip.nr, sizeof(char *), why.buf);
	sbuf_release(&why);
	if (ret)
		return -1;
	f = fopen(path, "w");
	if (!f)
		return error("cannot write '%s': %s", path, strerror(errno));
	for (size_t i = 0; i < s->to_skip.nr; i++)
		if (fprintf(f, "%s\n", s->to_skip.items[i]) < 0)
			ret = -1;
	if (fclose(f) || ret)
		return error("cannot write '%s': %s", path, strerror(errno));
	return 0;
}
