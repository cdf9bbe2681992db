/* builtin/show.c - "git covopt show": describe the model that serves a commit.
 * Human summary by default; --json lists every test with its cost and features. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtin.h"
#include "json.h"
#include "model-codec.h"
#include "model-lookup.h"
#include "notes-store.h"
#include "parse-opts.h"
#include "quote.h"
#include "repo.h"
#include "coverage-vector.h"
#include "repo-config.h"
#include "signing.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define SHOW_TOP 10

static const char *const show_usage[] = {
	"git covopt show [<rev>] [--json] [--ref <ref>] [-q]",
	NULL
};

struct shown {
	char rev_hex[GIT_OID_HEXSZ + 1];
	char model_hex[GIT_OID_HEXSZ + 1];
	unsigned distance;
	struct model m;
	struct signing_verdict *signers;	/* per flag */
};

/* "<path>::<name>" of a feature. */
static void json_feature_name(struct json_writer *w, const struct model *m,
			      uint32_t feat)
{
	const struct model_feature *f = &m->features[feat];
	struct sbuf name = SBUF_INIT;

	sbuf_addf(&name, "%s::%s", m->files[f->file].path, f->name);
	json_stringn(w, name.buf, name.len);
	sbuf_release(&name);
}

static void json_feature(struct json_writer *w, const struct model *m,
			 uint32_t feat, unsigned q)
{
	const struct model_feature *f = &m->features[feat];
	struct sbuf name = SBUF_INIT;

	sbuf_addf(&name, "%s::%s", m->files[f->file].path, f->name);
	json_object_begin(w);
	json_key(w, "feature");
	json_stringn(w, name.buf, name.len);
	json_key(w, "kind");
	json_string(w, feature_kind_name(f->kind));
	json_key(w, "signal");
	json_double(w, covvec_share(q));
	json_object_end(w);
	sbuf_release(&name);
}

static void json_test(struct json_writer *w, const struct model *m,
		      const struct model_test *t)
{
	struct covvec_iter it;

	json_object_begin(w);
	json_key(w, "id");
	json_string(w, t->id);
	json_key(w, "flag");
	json_string(w, m->flags[t->flag].name);
	json_key(w, "cost");
	json_double(w, t->cost);
	json_key(w, "outcome");
	json_string(w, outcome_name(t->outcome));
	json_key(w, "history");
	json_int(w, t->history & ~MODEL_HISTORY_FLAKY);
	json_key(w, "flaky");
	json_bool(w, !!(t->history & MODEL_HISTORY_FLAKY));
	json_key(w, "features");
	json_array_begin(w);
	covvec_iter_init(&it, t->signals, t->signals_len);
	while (covvec_iter_next(&it) > 0)
		json_feature(w, m, it.feature, it.q);
	json_array_end(w);
	json_object_end(w);
}

/* Number of (test, feature) pairs with a signal. */
static size_t count_pairs(const struct model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->tests_nr; i++) {
		struct covvec_iter it;

		covvec_iter_init(&it, m->tests[i].signals,
				 m->tests[i].signals_len);
		while (covvec_iter_next(&it) > 0)
			n++;
	}
	return n;
}

static void show_json(const struct shown *s)
{
	const struct model *m = &s->m;
	struct sbuf out = SBUF_INIT;
	struct json_writer w;

	json_init(&w, &out, 1);
	json_object_begin(&w);
	json_key(&w, "commit");
	json_string(&w, s->rev_hex);
	json_key(&w, "model_commit");
	json_string(&w, s->model_hex);
	json_key(&w, "distance");
	json_int(&w, s->distance);
	json_key(&w, "flags");
	json_array_begin(&w);
	for (size_t i = 0; i < m->flags_nr; i++) {
		json_object_begin(&w);
		json_key(&w, "name");
		json_string(&w, m->flags[i].name);
		json_key(&w, "commit");
		json_string(&w, m->flags[i].commit);
		json_key(&w, "suite_time");
		json_double(&w, m->flags[i].suite_time);
		json_key(&w, "overhead");
		json_double(&w, m->flags[i].overhead);
		json_key(&w, "signature");
		json_string(&w, !s->signers[i].any_signed ? "none" :
			    s->signers[i].trusted ? "good" : "not trusted");
		json_key(&w, "signer");
		if (s->signers[i].any_signed)
			json_string(&w, s->signers[i].signer);
		else
			json_null(&w);
		json_object_end(&w);
	}
	json_array_end(&w);
	json_key(&w, "counts");
	json_object_begin(&w);
	json_key(&w, "tests");
	json_int(&w, (int64_t)m->tests_nr);
	json_key(&w, "features");
	json_int(&w, (int64_t)m->features_nr);
	json_key(&w, "files");
	json_int(&w, (int64_t)m->files_nr);
	json_key(&w, "pairs");
	json_int(&w, (int64_t)count_pairs(m));
	json_object_end(&w);
	json_key(&w, "import_time");
	json_array_begin(&w);
	for (size_t i = 0; i < m->features_nr; i++)
		if (m->features[i].import_time)
			json_feature_name(&w, m, (uint32_t)i);
	json_array_end(&w);
	json_key(&w, "tests");
	json_array_begin(&w);
	for (size_t i = 0; i < m->tests_nr; i++)
		json_test(&w, m, &m->tests[i]);
	json_array_end(&w);
	json_object_end(&w);
	sbuf_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, stdout);
	sbuf_release(&out);
}

/* Indices of the n largest values (ties: lower index first). */
static size_t top_n(const double *value, size_t nr, size_t n, size_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < nr; i++) {
		size_t j;

		if (!(value[i] > 0))
			continue;
		for (j = k; j > 0 && value[out[j - 1]] < value[i]; j--)
			if (j < n)
				out[j] = out[j - 1];
		if (j < n) {
			out[j] = i;
			if (k < n)
				k++;
		}
	}
	return k;
}

static void show_slowest(const struct model *m)
{
	double *cost = xcalloc(m->tests_nr + 1, sizeof(double));
	struct sbuf id = SBUF_INIT;
	size_t top[SHOW_TOP], k;

	for (size_t i = 0; i < m->tests_nr; i++)
		cost[i] = m->tests[i].cost;
	k = top_n(cost, m->tests_nr, SHOW_TOP, top);
	if (k)
		printf("\nslowest tests:\n");
	for (size_t i = 0; i < k; i++)
		printf("  %8.3f s  %s\n", cost[top[i]],
		       quote_shown(&id, m->tests[top[i]].id));
	sbuf_release(&id);
	free(cost);
}

static void show_busiest(const struct model *m)
{
	double *users = xcalloc(m->features_nr + 1, sizeof(double));
	struct sbuf path = SBUF_INIT, name = SBUF_INIT;
	size_t top[SHOW_TOP], k;

	for (size_t i = 0; i < m->tests_nr; i++) {
		struct covvec_iter it;

		covvec_iter_init(&it, m->tests[i].signals,
				 m->tests[i].signals_len);
		while (covvec_iter_next(&it) > 0)
			users[it.feature] += 1;
	}
	k = top_n(users, m->features_nr, SHOW_TOP, top);
	if (k)
		printf("\nfeatures most tests touch:\n");
	for (size_t i = 0; i < k; i++) {
		const struct model_feature *f = &m->features[top[i]];

		printf("  %6.0f tests  %s::%s\n", users[top[i]],
		       quote_shown(&path, m->files[f->file].path),
		       quote_shown(&name, f->name));
	}
	sbuf_release(&path);
	sbuf_release(&name);
	free(users);
}

static void show_flaky(const struct model *m)
{
	struct sbuf id = SBUF_INIT;
	int any = 0;

	for (size_t i = 0; i < m->tests_nr; i++) {
		if (!(m->tests[i].history & MODEL_HISTORY_FLAKY))
			continue;
		if (!any++)
			printf("\nflaky tests (failed and passed on one commit):\n");
		printf("  %s\n", quote_shown(&id, m->tests[i].id));
	}
	sbuf_release(&id);
}

static void show_human(const struct shown *s)
{
	const struct model *m = &s->m;
	struct sbuf name = SBUF_INIT, commit = SBUF_INIT;
	double suite = 0;

	printf("model of commit %s", s->model_hex);
	if (s->distance)
		printf(" (%u commit%s before %.12s)", s->distance,
		       s->distance == 1 ? "" : "s", s->rev_hex);
	printf("\n");
	for (size_t i = 0; i < m->flags_nr; i++) {
		const struct model_flag *f = &m->flags[i];
		const struct signing_verdict *v = &s->signers[i];

		suite += f->suite_time;

		printf("flag %-12s recorded on %.12s, suite %.2f s, "
		       "start-up %.2f s, ", quote_shown(&name, f->name),
		       quote_shown(&commit, f->commit), f->suite_time, f->overhead);
		if (!v->any_signed)
			printf("unsigned\n");
		else if (v->trusted)
			printf("signed by %s\n", quote_shown(&name, v->signer));
		else
			printf("signature not trusted (%s: %s)\n",
			       quote_shown(&name, v->signer),
			       quote_shown(&commit, v->why));
	}
	sbuf_release(&name);
	sbuf_release(&commit);
	printf("%zu tests, %zu features, %zu files, %zu (test, feature) "
	       "pairs\n", m->tests_nr, m->features_nr, m->files_nr,
	       count_pairs(m));
	printf("total suite time: %.2f s\n", suite);
	show_slowest(m);
	show_busiest(m);
	show_flaky(m);
}

/* Each flag's signature, checked with git's set-up (when it loads). */
static void check_signers(struct shown *s, git_repository *repo)
{
	struct signing_config c;
	int loaded = 0;

	s->signers = xcalloc(s->m.flags_nr + 1, sizeof(*s->signers));
	for (size_t i = 0; i < s->m.flags_nr; i++) {
		struct signing_verdict *v = &s->signers[i];

		if (s->m.flags[i].signature_len && !loaded)
			loaded = signing_config_load(&c, repo) < 0 ? -1 : 1;
		if (!s->m.flags[i].signature_len || loaded < 0) {
			v->any_signed = s->m.flags[i].signature_len > 0;
			v->signer = xstrdup("unknown");
			v->why = xstrdup("bad signing set-up");
			continue;
		}
		signing_verify_flag(v, &s->m, i, &c);
	}
	if (loaded > 0)
		signing_config_release(&c);
}

static int load(struct shown *s, git_repository *repo, const char *rev,
		const char *ref)
{
	git_commit *commit = NULL;
	struct model_found at;
	long depth;
	int ret = -1, found;

	if (repo_resolve_commit(&commit, repo, rev) < 0 ||
	    repo_config_int(repo, "covopt.searchDepth", 100, &depth) < 0)
		goto cleanup;
	git_oid_tostr(s->rev_hex, sizeof(s->rev_hex), git_commit_id(commit));
	found = model_lookup_nearest(&s->m, &at, repo, ref,
				     git_commit_id(commit),
				     depth > 0 ? (unsigned)depth : 0);
	if (found < 0)
		goto cleanup;
	if (!found) {
		struct sbuf fixes = SBUF_INIT;

		repo_model_fixes(&fixes, repo, 0);
		error("no model for '%s' or its %ld nearest ancestors in '%s'; "
		      "%s", rev, depth, ref, fixes.buf);
		sbuf_release(&fixes);
		goto cleanup;
	}
	s->distance = at.distance;
	git_oid_tostr(s->model_hex, sizeof(s->model_hex), &at.commit);
	check_signers(s, repo);
	ret = 0;
cleanup:
	git_commit_free(commit);
	return ret;
}

int cmd_show(int argc, const char **argv, git_repository *repo)
{
	int json = 0, quiet = 0;
	const char *opt_ref = NULL;
	const struct opt_spec options[] = {
		OPT_BOOL(0, "json", &json, "print one JSON document"),
		OPT_STRING(0, "ref", &opt_ref, "ref",
			   "notes ref (default refs/notes/covopt)"),
		OPT_BOOL('q', "quiet", &quiet,
			 "print no informational messages"),
		OPT_END(),
	};
	struct shown s;
	char *ref;
	int ret;

	argc = parse_options(argc, argv, options, show_usage, 0);
	if (argc > 1) {
		error("too many arguments");
		usage_with_options(show_usage, options);
	}
	memset(&s, 0, sizeof(s));
	model_init(&s.m);
	ref = repo_notes_ref(repo, opt_ref, NULL);
	ret = ref ? load(&s, repo, argc ? argv[0] : "HEAD", ref) : -1;
	if (!ret) {
		if (json)
			show_json(&s);
		else
			show_human(&s);
	}
	for (size_t i = 0; s.signers && i < s.m.flags_nr; i++)
		signing_verdict_release(&s.signers[i]);
	free(s.signers);
	model_release(&s.m);
	free(ref);
	return ret ? COVOPT_EXIT_FAILURE : 0;
}
