/* model-lookup.c - find the usable model nearest to a commit: the one lookup select, show, run and record share.
 * Decoding is the validation: a note is usable exactly when model_decode() takes it. */
#include <string.h>
#include "model-codec.h"
#include "model-lookup.h"
#include "notes-store.h"
#include "strlist.h"
#include "usage.h"
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

void model_lookup_report(const char *why, const char *ref,
			 const git_oid *commit)
{
	static struct strlist reported;
	struct sbuf key = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), commit);
	sbuf_addf(&key, "%s %s", hex, ref);
	for (size_t i = 0; i < reported.nr; i++)
		if (!strcmp(reported.items[i], key.buf))
			goto done;
	strlist_append(&reported, key.buf);
	warning("%s; skipped it: remove it with 'git covopt gc' or "
		"'git notes --ref=%s remove %s'", why, ref, hex);
done:
	sbuf_release(&key);
}

/* What the walk's accept step fills. */
struct lookup_state {
	struct model *out;
	struct sbuf why;
};

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
	model_release(st->out);
	*st->out = m;
	return 1;
}

int model_lookup_nearest(struct model *out, struct model_found *where,
			 git_repository *repo, const char *notes_ref,
			 const git_oid *start, unsigned max_depth)
{
	struct lookup_state st = { .out = out, .why = SBUF_INIT };
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
	if (ret <= 0)
		model_release(out);
	sbuf_release(&note);
	sbuf_release(&st.why);
	return ret;
}

/* The remote to name in "git covopt fetch": the only one, else origin
 * when there is one, else a placeholder; NULL without remotes. */
static const char *remote_to_name(const git_strarray *remotes)
{
	if (!remotes->count)
		return NULL;
	if (remotes->count == 1)
		return remotes->strings[0];
	for (size_t i = 0; i < remotes->count; i++)
		if (!strcmp(remotes->strings[i], "origin"))
			return "origin";
	return "<remote>";
}

void model_lookup_fixes(struct sbuf *out, git_repository *repo)
{
	git_strarray remotes = { 0 };
	const char *remote = NULL;

	sbuf_addstr(out, "record one with 'git covopt record' after a full "
		    "test run");
	/* A list that cannot be read only loses the second fix. */
	if (!git_remote_list(&remotes, repo))
		remote = remote_to_name(&remotes);
	if (remote)
		sbuf_addf(out, ", or fetch one with 'git covopt fetch %s'",
			  remote);
	git_strarray_dispose(&remotes);
}
