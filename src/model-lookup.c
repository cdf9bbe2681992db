/* model-lookup.c - find the usable model nearest to a commit: the one lookup select, show, run and record share.
 * Decoding is the validation: a note is usable exactly when model_decode() takes it. */
#include <string.h>
#include "model-codec.h"
#include "model-lookup.h"
#include "notes-store.h"
#include "strlist.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

int model_lookup_decode(struct model *out, struct sbuf *why,
			const void *buf, size_t len, const char *ref,
			const git_oid *commit)
{
	struct sbuf what = SBUF_INIT;
	struct sbuf *old;
	int ret;

	sbuf_reset(why);
	sbuf_addf(&what, "note for commit %s in '%s'", git_oid_tostr_s(commit),
		  ref);
	old = error_divert(why);
	ret = model_decode(out, buf, len, what.buf);
	error_divert(old);
	sbuf_release(&what);
	return ret < 0 ? -1 : 0;
}

/* 1 the first time a note (commit, ref) is named in this process. */
static int first_report(const char *hex, const char *ref)
{
	static struct strlist reported;
	struct sbuf key = SBUF_INIT;
	int first = 1;

	sbuf_addf(&key, "%s %s", hex, ref);
	for (size_t i = 0; first && i < reported.nr; i++)
		first = !!strcmp(reported.items[i], key.buf);
	if (first)
		strlist_append(&reported, key.buf);
	sbuf_release(&key);
	return first;
}

void model_lookup_report(const char *why, const char *ref,
			 const git_oid *commit)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), commit);
	if (first_report(hex, ref))
		warning("%s; skipped it: remove it with 'git covopt gc' or "
			"'git notes --ref=%s remove %s'", why, ref, hex);
}

void model_lookup_report_untrusted(const struct signing_verdict *v,
				   const char *ref, const git_oid *commit)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), commit);
	if (!first_report(hex, ref))
		return;
	if (!v->any_signed)
		warning("model for commit %s in '%s' is not trusted "
			"(unsigned); skipped it: record models with "
			"'git covopt record --sign' (covopt.signModels)",
			hex, ref);
	else
		warning("model for commit %s in '%s' is not trusted (signer "
			"%s; %s); skipped it: add the signer's key to "
			"gpg.ssh.allowedSignersFile (gpg.format ssh) or trust "
			"it in gpg (gpg.minTrustLevel)", hex, ref, v->signer,
			v->why ? v->why : "bad signature");
}

/* What the walk's accept step fills. */
struct lookup_state {
	struct model *out;
	struct sbuf why;
	const struct signing_config *trust;	/* NULL: any model */
	char *signer;				/* of the model taken */
};

/* With a trust set-up: does m verify? Else reported, and 0. */
static int is_trusted(struct lookup_state *st, const struct model *m,
		      const char *ref, const git_oid *commit)
{
	struct signing_verdict v;
	int ok;

	if (!st->trust)
		return 1;
	signing_verify_model(&v, m, st->trust);
	ok = v.trusted;
	if (ok) {
		free(st->signer);
		st->signer = v.signer;
		v.signer = NULL;
	} else {
		model_lookup_report_untrusted(&v, ref, commit);
	}
	signing_verdict_release(&v);
	return ok;
}

/* Take the note when it decodes; the last one taken is the nearest. */
static int accept_decodable(const git_oid *commit, const struct sbuf *note,
			    const char *ref, void *payload)
{
	struct lookup_state *st = payload;
	struct model m;

	model_init(&m);
	if (model_lookup_decode(&m, &st->why, note->buf, note->len, ref,
				commit) < 0) {
		model_lookup_report(st->why.buf, ref, commit);
		return 0;
	}
	if (!is_trusted(st, &m, ref, commit)) {
		model_release(&m);
		return 0;
	}
	model_release(st->out);
	*st->out = m;
	return 1;
}

int model_lookup_nearest(struct model *out, struct model_found *where,
			 git_repository *repo, const char *notes_ref,
			 const git_oid *start, unsigned max_depth)
{
	return model_lookup_nearest_trusted(out, where, NULL, repo, notes_ref,
					    start, max_depth, NULL);
}

int model_lookup_nearest_trusted(struct model *out, struct model_found *where,
				 char **signer, git_repository *repo,
				 const char *notes_ref, const git_oid *start,
				 unsigned max_depth,
				 const struct signing_config *trust)
{
	struct lookup_state st = {
		.out = out,
		.why = SBUF_INIT,
		.trust = trust,
	};
	struct notes_search s = {
		.notes_ref = notes_ref,
		.start = start,
		.max_depth = max_depth,
		.accept = accept_decodable,
		.payload = &st,
	};
	struct sbuf note = SBUF_INIT;
	int ret;

	memset(where, 0, sizeof(*where));
	ret = notes_store_search(&where->commit, &where->distance, &note,
				 repo, &s);
	where->shallow = s.shallow;
	if (ret <= 0) {
		model_release(out);
		FREE_AND_NULL(st.signer);
	}
	if (signer)
		*signer = st.signer;
	else
		free(st.signer);
	sbuf_release(&note);
	sbuf_release(&st.why);
	return ret;
}
