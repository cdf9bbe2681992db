/* record-commit.c - record one test run as the model of a commit: the steps of "git covopt record".
 * Shared by "record" and "run --record", so neither starts another git-covopt to do it. */
#include <stdio.h>
#include <string.h>
#include "ingest/coverage-db.h"
#include "ingest/junit-xml.h"
#include "model-codec.h"
#include "model-lookup.h"
#include "model-merge.h"
#include "notes-store.h"
#include "record.h"
#include "record-commit.h"
#include "repo.h"
#include "banned.h"

/* What the note update callback needs; it may run more than once. */
struct record_state {
	const struct model *fresh;
	const struct model *ancestor;	/* nearest ancestor's model, or NULL */
	const git_oid *commit;
	const char *notes_ref;
	int partial;		/* keep the data of the tests not run */
	const struct signing_config *sign;	/* or NULL */
	const struct signing_config *trust;	/* or NULL */
};

/* Is the note already on the commit one to carry from? Under a trust
 * set-up, only when it is trusted (else reported and replaced). */
static int current_trusted(const struct record_state *st,
			   const struct model *current)
{
	struct signing_verdict v;
	int ok;

	if (!st->trust)
		return 1;
	signing_verify_model(&v, current, st->trust);
	ok = v.trusted;
	if (!ok)
		model_lookup_report_untrusted(&v, st->notes_ref, st->commit);
	signing_verdict_release(&v);
	return ok;
}

/* Sign the note's model as stored: decode, sign each flag, encode. */
static int sign_note(struct sbuf *note, const struct record_state *st)
{
	struct model m;
	int ret;

	model_init(&m);
	ret = model_decode(&m, note->buf, note->len, "the new model");
	if (!ret)
		ret = signing_sign_model(&m, st->sign);
	if (!ret) {
		sbuf_reset(note);
		ret = model_encode(note, &m);
	}
	model_release(&m);
	return ret;
}

/* A corrupt note on the commit itself is reported and replaced. */
static int update_note(struct sbuf *note, int exists, void *payload)
{
	struct record_state *st = payload;
	struct model current, merged;
	struct sbuf why = SBUF_INIT;
	int ret = -1;

	model_init(&current);
	model_init(&merged);
	if (exists && model_lookup_decode(&current, &why, note->buf, note->len,
					  st->notes_ref, st->commit) < 0) {
		model_lookup_report(why.buf, st->notes_ref, st->commit);
		exists = 0;
	}
	if (exists && !current_trusted(st, &current))
		exists = 0;
	if (!exists && !st->ancestor) {	/* nothing to carry: no copy */
		sbuf_reset(note);
		ret = model_encode(note, st->fresh);
		goto cleanup;
	}
	(st->partial ? model_carry_forward_partial : model_carry_forward)(
		&merged, st->fresh, exists ? &current : st->ancestor);
	sbuf_reset(note);
	ret = model_encode(note, &merged);
cleanup:
	if (!ret && st->sign)
		ret = sign_note(note, st);
	model_release(&current);
	model_release(&merged);
	sbuf_release(&why);
	return ret;
}

/* Decode the usable model nearest to commit's first parent, if any (for
 * carry-forward); a shallow clone's history ends at its boundary. */
static int load_ancestor(struct model *out, int *found, git_repository *repo,
			 const struct record_request *req,
			 const git_commit *commit)
{
	struct model_found at;
	int ret;

	*found = 0;
	if (!git_commit_parentcount(commit))
		return 0;
	ret = model_lookup_nearest_trusted(out, &at, NULL, repo,
					   req->notes_ref,
					   git_commit_parent_id(commit, 0),
					   req->search_depth ?
					   req->search_depth - 1 : 0,
					   req->trust);
	*found = ret > 0;
	return ret < 0 ? -1 : 0;
}

static int load_run(struct coverage_data *cov, struct junit_report *junit,
		    const struct record_request *req)
{
	for (size_t i = 0; i < req->coverage->nr; i++)
		if (coverage_data_load(cov, req->coverage->items[i]) < 0)
			return -1;
	for (size_t i = 0; i < req->junit->nr; i++)
		if (junit_load(junit, req->junit->items[i]) < 0)
			return -1;
	return 0;
}

int record_commit(struct record_result *out, git_repository *repo,
		  const struct record_request *req)
{
	struct coverage_data cov = COVERAGE_DATA_INIT;
	struct junit_report junit = JUNIT_REPORT_INIT;
	struct model ancestor;
	struct record_state st;
	git_commit *commit = NULL;
	int has_ancestor = 0;
	int ret = -1;

	model_init(&out->model);
	model_init(&ancestor);
	if (repo_resolve_commit(&commit, repo, req->rev) < 0 ||
	    load_run(&cov, &junit, req) < 0 ||
	    record_build_model(&out->model, repo, commit, &cov, &junit,
			       req->flag) < 0 ||
	    load_ancestor(&ancestor, &has_ancestor, repo, req, commit) < 0)
		goto cleanup;
	st.fresh = &out->model;
	st.ancestor = has_ancestor ? &ancestor : NULL;
	st.commit = git_commit_id(commit);
	st.notes_ref = req->notes_ref;
	st.partial = req->partial;
	st.sign = req->sign;
	st.trust = req->trust;
	if (notes_store_update(repo, req->notes_ref, git_commit_id(commit),
			       update_note, &st, "git covopt record") < 0)
		goto cleanup;
	ret = 0;
cleanup:
	model_release(&ancestor);
	coverage_data_release(&cov);
	junit_report_release(&junit);
	git_commit_free(commit);
	return ret;
}

/* What the drop-flag note update callback needs; it may run more than once. */
struct drop_state {
	const struct model *nearest;	/* the commit's or an ancestor's model */
	const git_oid *commit;
	const char *notes_ref;
	const char *flag;
};

/* The model of the commit without the flag; refuses an unknown flag and
 * the last one (no model would be left). */
static int drop_flag_note(struct sbuf *note, int exists, void *payload)
{
	struct drop_state *st = payload;
	struct model current, without;
	const struct model *from = st->nearest;
	struct sbuf why = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	long flag;
	int ret = -1;

	model_init(&current);
	model_init(&without);
	git_oid_tostr(hex, sizeof(hex), st->commit);
	if (exists && model_lookup_decode(&current, &why, note->buf, note->len,
					  st->notes_ref, st->commit) < 0) {
		error("the note for commit '%.12s' in '%s' is corrupt: %s",
		      hex, st->notes_ref, why.buf);
		goto cleanup;
	}
	if (exists)
		from = &current;
	flag = model_find_flag(from, st->flag);
	if (flag < 0)
		error("no flag '%s' in the model of commit '%.12s'", st->flag,
		      hex);
	else if (from->flags_nr == 1)
		error("flag '%s' is the only one of the model of commit "
		      "'%.12s': nothing would be left", st->flag, hex);
	else {
		model_without_flag(&without, from, (uint32_t)flag);
		memcpy(without.commit, hex, sizeof(without.commit));
		sbuf_reset(note);
		ret = model_encode(note, &without);
	}
cleanup:
	model_release(&current);
	model_release(&without);
	sbuf_release(&why);
	return ret;
}

int record_drop_flag(git_repository *repo, const struct record_request *req)
{
	struct model nearest;
	struct model_found at;
	struct drop_state st = {
		.nearest = &nearest,
		.notes_ref = req->notes_ref,
		.flag = req->flag,
	};
	git_commit *commit = NULL;
	int found, ret = -1;

	model_init(&nearest);
	if (repo_resolve_commit(&commit, repo, req->rev) < 0)
		goto cleanup;
	st.commit = git_commit_id(commit);
	found = model_lookup_nearest(&nearest, &at, repo, req->notes_ref,
				     st.commit, req->search_depth);
	if (!found)
		error("no model for '%s' or its %u nearest ancestors in '%s'",
		      req->rev, req->search_depth, req->notes_ref);
	if (found > 0)
		ret = notes_store_update(repo, req->notes_ref, st.commit,
					 drop_flag_note, &st,
					 "git covopt record --drop-flag");
cleanup:
	model_release(&nearest);
	git_commit_free(commit);
	return ret;
}

void record_result_release(struct record_result *r)
{
	model_release(&r->model);
}
