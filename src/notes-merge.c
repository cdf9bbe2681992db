/* notes-merge.c - merge another clone's notes ref into ours without losing a model.
 * As git's notes-merge: resolve both sides, short-circuit the trivial cases, else union + commit. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "notes-merge.h"
#include "model-codec.h"
#include "model-lookup.h"
#include "model-merge.h"
#include "notes-store.h"
#include "repo.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* How often a merge that lost the race to the local ref starts over. */
#define MERGE_MAX_ATTEMPTS 50
/* try_merge(): another writer moved the local ref first. */
#define MERGE_RETRY 100

char *notes_merge_remote_ref(const char *notes_ref, const char *remote)
{
	struct sbuf sb = SBUF_INIT;
	int valid = 0;

	sbuf_addf(&sb, "%s-remotes/%s", notes_ref, remote);
	if (git_reference_name_is_valid(&valid, sb.buf) < 0 || !valid) {
		error("cannot track notes of remote '%s': '%s' is not a valid "
		      "ref name", remote, sb.buf);
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ */
/* Combining two notes of one commit                                   */
/* ------------------------------------------------------------------ */

/* Byte order of two notes: which one plays b (wins ties) never depends
 * on which side is local. */
static int cmp_bytes(const struct sbuf *x, const struct sbuf *y)
{
	int c = memcmp(x->buf, y->buf, x->len < y->len ? x->len : y->len);

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static int decode_side(struct model *m, const struct sbuf *note,
		       const char *name, const char *hex)
{
	struct sbuf what = SBUF_INIT;
	int ret;

	sbuf_addf(&what, "note for commit %s in '%s'", hex, name);
	ret = model_decode(m, note->buf, note->len, what.buf);
	sbuf_release(&what);
	return ret;
}

/* Under a trust set-up: 1 when only a is trusted, 2 when only b is,
 * 0 when both or neither are (merged as usual). */
static int only_trusted(const struct model *a, const struct model *b,
			const struct signing_config *trust)
{
	struct signing_verdict va, vb;
	int ta, tb;

	if (!trust)
		return 0;
	signing_verify_model(&va, a, trust);
	signing_verify_model(&vb, b, trust);
	ta = va.trusted;
	tb = vb.trusted;
	signing_verdict_release(&va);
	signing_verdict_release(&vb);
	return ta == tb ? 0 : ta ? 1 : 2;
}

int notes_merge_note(struct sbuf *out, const struct sbuf *a,
		     const char *a_name, const struct sbuf *b,
		     const char *b_name, const char *hex)
{
	return notes_merge_note_trusted(out, a, a_name, b, b_name, hex, NULL);
}

int notes_merge_note_trusted(struct sbuf *out, const struct sbuf *a,
			     const char *a_name, const struct sbuf *b,
			     const char *b_name, const char *hex,
			     const struct signing_config *trust)
{
	int keep;
	struct model ma, mb, merged;
	int bad_a, bad_b, ret = -1;

	sbuf_reset(out);
	if (cmp_bytes(a, b) > 0) {
		const struct sbuf *t = a;
		const char *n = a_name;

		a = b;
		b = t;
		a_name = b_name;
		b_name = n;
	}
	model_init(&ma);
	model_init(&mb);
	model_init(&merged);
	bad_a = decode_side(&ma, a, a_name, hex) < 0;
	bad_b = decode_side(&mb, b, b_name, hex) < 0;
	if (bad_a && bad_b) {
		error("cannot merge the notes for commit '%s': both are "
		      "corrupt", hex);
		goto cleanup;
	}
	if (bad_a || bad_b) {
		warning("left out the corrupt note for commit '%s' from '%s'; "
			"kept the one from '%s'", hex, bad_a ? a_name : b_name,
			bad_a ? b_name : a_name);
		sbuf_add(out, bad_a ? b->buf : a->buf, bad_a ? b->len : a->len);
		ret = 0;
		goto cleanup;
	}
	keep = only_trusted(&ma, &mb, trust);
	if (keep) {	/* the signed recording, as it is */
		sbuf_add(out, keep == 1 ? a->buf : b->buf,
			 keep == 1 ? a->len : b->len);
		ret = 0;
		goto cleanup;
	}
	if (model_merge(&merged, &ma, &mb) < 0 ||
	    model_encode(out, &merged) < 0) {
		error("cannot merge the notes for commit '%s'", hex);
		goto cleanup;
	}
	ret = 0;
cleanup:
	model_release(&ma);
	model_release(&mb);
	model_release(&merged);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The two sides                                                       */
/* ------------------------------------------------------------------ */

struct note_entry {
	git_oid commit;
	git_oid blob;
};

/* One notes ref as loaded, and its notes once listed. */
struct side {
	const char *ref;
	struct notes_tip tip;
	struct note_entry *notes;	/* by commit, listed on demand */
	size_t nr, alloc;
};

static void side_release(struct side *s)
{
	notes_tip_release(&s->tip);
	FREE_AND_NULL(s->notes);
	s->nr = s->alloc = 0;
}

static int side_load(struct side *s, git_repository *repo, const char *ref)
{
	memset(s, 0, sizeof(*s));
	s->ref = ref;
	return notes_tip_load(&s->tip, repo, ref);
}

static int collect_note(const git_oid *commit, const git_oid *blob,
			void *payload)
{
	struct side *s = payload;

	if (s->nr >= COVOPT_MAX_ITEMS)
		return error("cannot merge '%s': more than %zu notes", s->ref,
			     COVOPT_MAX_ITEMS);
	ALLOC_GROW(s->notes, s->nr + 1, s->alloc);
	git_oid_cpy(&s->notes[s->nr].commit, commit);
	git_oid_cpy(&s->notes[s->nr].blob, blob);
	s->nr++;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct note_entry *x = a, *y = b;
	int c = git_oid_cmp(&x->commit, &y->commit);

	return c ? c : git_oid_cmp(&x->blob, &y->blob);
}

/* List the notes, sorted by commit; a commit noted twice (flat and
 * fanned out) keeps one note, the same whichever side reads it. */
static int side_list_notes(struct side *s, git_repository *repo)
{
	size_t k = 0;

	s->nr = 0;
	if (notes_store_foreach_tree(repo, s->tip.tree, collect_note, s,
				     s->ref) < 0)
		return -1;
	if (s->nr > 1)
		qsort(s->notes, s->nr, sizeof(*s->notes), cmp_entry);
	for (size_t i = 0; i < s->nr; i++)
		if (!k || !git_oid_equal(&s->notes[k - 1].commit,
					 &s->notes[i].commit))
			s->notes[k++] = s->notes[i];
	s->nr = k;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Screening what arrives                                              */
/* ------------------------------------------------------------------ */

/* Does the note e of r differ from l's note of its commit? l is listed. */
static int is_incoming(const struct side *l, const struct note_entry *e)
{
	size_t lo = 0, hi = l->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = git_oid_cmp(&l->notes[mid].commit, &e->commit);

		if (!c)
			return !git_oid_equal(&l->notes[mid].blob, &e->blob);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 1;
}

/* Is the incoming note e of r corrupt? Warns naming it. 1, 0 or -1. */
static int is_corrupt(git_repository *repo, const struct side *r,
		      const struct note_entry *e)
{
	struct sbuf note = SBUF_INIT, why = SBUF_INIT;
	struct model m;
	int ret = 0;

	model_init(&m);
	if (repo_read_blob(&note, repo, &e->blob, COVOPT_MAX_NOTE_SIZE) < 0)
		ret = -1;
	else if (model_lookup_decode(&m, &why, note.buf, note.len, r->ref,
				     &e->commit) < 0) {
		warning("left out the %s", why.buf);
		ret = 1;
	}
	model_release(&m);
	sbuf_release(&note);
	sbuf_release(&why);
	return ret;
}

/*
 * Leave the notes of r that l lacks or holds differently and that do not
 * decode out of r's tree (each one named in a warning): r->tip.tree
 * becomes the tree without them. *nr counts them. 0 or -1.
 */
static int screen_incoming(size_t *nr, git_repository *repo, struct side *l,
			   struct side *r)
{
	git_oid *bad = NULL, tree_id;
	size_t alloc = 0;
	git_tree *tree = NULL;
	int ret = -1, c = 0;

	*nr = 0;
	if ((l->tip.exists && side_list_notes(l, repo) < 0) ||
	    side_list_notes(r, repo) < 0)
		return -1;
	for (size_t i = 0; i < r->nr; i++) {
		if (!is_incoming(l, &r->notes[i]))
			continue;
		c = is_corrupt(repo, r, &r->notes[i]);
		if (c < 0)
			goto cleanup;
		if (!c)
			continue;
		ALLOC_GROW(bad, *nr + 1, alloc);
		git_oid_cpy(&bad[(*nr)++], &r->notes[i].commit);
	}
	ret = 0;
	if (!*nr)
		goto cleanup;
	if (notes_store_tree_without(&tree_id, repo, r->tip.tree, bad,
				     *nr) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0) {
		ret = error_git("cannot leave the corrupt notes out of '%s'",
				r->ref);
		goto cleanup;
	}
	git_tree_free(r->tip.tree);
	r->tip.tree = tree;
	ret = side_list_notes(r, repo);
cleanup:
	free(bad);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The union tree                                                      */
/* ------------------------------------------------------------------ */

/* The note to write for a commit both sides annotate differently. */
static int merged_blob(git_oid *out, git_repository *repo,
		       const struct side *base, const git_oid *base_blob,
		       const struct side *other, const git_oid *other_blob,
		       const git_oid *commit, const struct signing_config *trust)
{
	struct sbuf x = SBUF_INIT, y = SBUF_INIT, merged = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int ret = -1;

	git_oid_tostr(hex, sizeof(hex), commit);
	if (repo_read_blob(&x, repo, base_blob, COVOPT_MAX_NOTE_SIZE) < 0 ||
	    repo_read_blob(&y, repo, other_blob, COVOPT_MAX_NOTE_SIZE) < 0 ||
	    notes_merge_note_trusted(&merged, &x, base->ref, &y, other->ref,
				     hex, trust) < 0)
		goto cleanup;
	if (git_blob_create_from_buffer(out, repo, merged.buf,
					merged.len) < 0) {
		error_git("cannot write note for '%s'", hex);
		goto cleanup;
	}
	ret = 0;
cleanup:
	sbuf_release(&x);
	sbuf_release(&y);
	sbuf_release(&merged);
	return ret;
}

/* Set one note in *cur (a tree we may own in *owned). */
static int put_note(const git_tree **cur, git_tree **owned,
		    git_repository *repo, const git_oid *commit,
		    const git_oid *blob)
{
	git_tree *next = NULL;
	git_oid id;

	if (notes_store_tree_set(&id, repo, *cur, commit, blob) < 0)
		return -1;
	if (git_tree_lookup(&next, repo, &id) < 0)
		return error_git("cannot read the merged notes tree");
	git_tree_free(*owned);
	*cur = *owned = next;
	return 0;
}

/*
 * The base is the side with more notes (then the larger tree id): the
 * other side's notes go into a copy of its tree, which keeps its fan-out.
 * Choosing it by content, not by role, makes both clones write one tree.
 */
static int write_union(git_oid *out, git_repository *repo, struct side *l,
		       struct side *r, const struct signing_config *trust)
{
	const struct side *base = l, *other = r;
	const git_tree *cur;
	git_tree *owned = NULL;
	git_oid blob;
	size_t i = 0;
	int ret = -1;

	if (side_list_notes(l, repo) < 0 || side_list_notes(r, repo) < 0)
		return -1;
	if (r->nr > l->nr || (r->nr == l->nr &&
			      git_oid_cmp(git_tree_id(r->tip.tree),
					  git_tree_id(l->tip.tree)) > 0)) {
		base = r;
		other = l;
	}
	cur = base->tip.tree;
	for (size_t j = 0; j < other->nr; j++) {
		const struct note_entry *e = &other->notes[j];

		while (i < base->nr &&
		       git_oid_cmp(&base->notes[i].commit, &e->commit) < 0)
			i++;
		git_oid_cpy(&blob, &e->blob);
		if (i < base->nr &&
		    git_oid_equal(&base->notes[i].commit, &e->commit)) {
			if (git_oid_equal(&base->notes[i].blob, &e->blob))
				continue;
			if (merged_blob(&blob, repo, base,
					&base->notes[i].blob, other, &e->blob,
					&e->commit, trust) < 0)
				goto cleanup;
			if (git_oid_equal(&blob, &base->notes[i].blob))
				continue;
		}
		if (put_note(&cur, &owned, repo, &e->commit, &blob) < 0)
			goto cleanup;
	}
	git_oid_cpy(out, git_tree_id(cur));
	ret = 0;
cleanup:
	git_tree_free(owned);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Merging the refs                                                    */
/* ------------------------------------------------------------------ */

/* The merge commit of l and r, or (no l) r's screened tree on r. */
static int make_merge_commit(git_oid *out, git_repository *repo,
			     const struct side *l, const struct side *r,
			     const git_oid *tree_id)
{
	const git_commit *both[2] = { l->tip.commit, r->tip.commit };
	const git_commit **parents = l->tip.exists ? both : both + 1;
	struct sbuf msg = SBUF_INIT;
	int ret = 0;

	sbuf_addf(&msg, "Notes merged by 'git covopt' from '%s'\n", r->ref);
	if (notes_store_commit(out, repo, tree_id, parents,
			       l->tip.exists ? 2 : 1, msg.buf) < 0)
		ret = error_git("cannot write the notes commit merging '%s'",
				r->ref);
	sbuf_release(&msg);
	return ret;
}

/* Move the local ref from l to id: the result, MERGE_RETRY or -1. */
static int move_local(git_repository *repo, const struct side *l,
		      const git_oid *id, const char *what, int result)
{
	struct sbuf msg = SBUF_INIT;
	int r;

	sbuf_addf(&msg, "git covopt: %s", what);
	r = notes_store_move_ref(repo, l->ref,
				 l->tip.exists ? &l->tip.id : NULL, id, msg.buf);
	sbuf_release(&msg);
	if (r < 0)
		return -1;
	return r ? MERGE_RETRY : result;
}

/* 1 when commit a contains b (equal or descendant), 0 if not, -1. */
static int contains(git_repository *repo, const git_oid *a, const git_oid *b)
{
	int r;

	if (git_oid_equal(a, b))
		return 1;
	r = git_graph_descendant_of(repo, a, b);
	if (r < 0)
		return error_git("cannot compare notes commits");
	return r;
}

/* Does r hold notes l lacks (is there anything to merge)? 1, 0 or -1;
 * *ff tells whether r contains l (or there is no l). */
static int is_ahead(int *ff, git_repository *repo, const struct side *l,
		    const struct side *r)
{
	int c;

	*ff = 1;
	if (!r->tip.exists ||
	    (l->tip.exists && git_oid_equal(&l->tip.id, &r->tip.id)))
		return 0;
	if (!l->tip.exists)
		return 1;
	c = contains(repo, &r->tip.id, &l->tip.id);
	if (c)
		return c;
	*ff = 0;
	c = contains(repo, &l->tip.id, &r->tip.id);
	return c < 0 ? -1 : !c;
}

static int try_merge(git_repository *repo, const char *local_ref,
		     const char *remote_ref, const struct signing_config *trust)
{
	struct side l, r;
	struct sbuf what = SBUF_INIT;
	git_oid tree, id;
	size_t bad = 0;
	int ret = -1, ff, ahead;

	if (side_load(&l, repo, local_ref) < 0)
		return -1;
	if (side_load(&r, repo, remote_ref) < 0)
		goto cleanup;
	ahead = is_ahead(&ff, repo, &l, &r);
	if (ahead <= 0) {
		ret = ahead ? -1 : NOTES_MERGE_UP_TO_DATE;
		goto cleanup;
	}
	if (screen_incoming(&bad, repo, &l, &r) < 0)
		goto cleanup;
	if (ff && !bad) {
		sbuf_addf(&what, "fast-forward notes to '%s'", remote_ref);
		ret = move_local(repo, &l, &r.tip.id, what.buf,
				 NOTES_MERGE_FAST_FORWARD);
		goto cleanup;
	}
	if (l.tip.exists) {
		if (write_union(&tree, repo, &l, &r, trust) < 0)
			goto cleanup;
	} else {
		git_oid_cpy(&tree, git_tree_id(r.tip.tree));
	}
	if (make_merge_commit(&id, repo, &l, &r, &tree) < 0)
		goto cleanup;
	sbuf_addf(&what, "merge notes from '%s'", remote_ref);
	ret = move_local(repo, &l, &id, what.buf,
			 l.tip.exists ? NOTES_MERGE_MERGED :
			 NOTES_MERGE_FAST_FORWARD);
cleanup:
	sbuf_release(&what);
	side_release(&l);
	side_release(&r);
	return ret;
}

/* Sleep 1-8 ms, differently in each process, so racing writers part. */
static void backoff(unsigned attempt)
{
	struct timespec ts;
	unsigned seed = (unsigned)getpid() * 2654435761u + attempt * 40503u;

	seed ^= seed >> 15;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(1 + seed % 8) * 1000000L;
	nanosleep(&ts, NULL);
}

int notes_merge(git_repository *repo, const char *local_ref,
		const char *remote_ref)
{
	return notes_merge_trusted(repo, local_ref, remote_ref, NULL);
}

int notes_merge_trusted(git_repository *repo, const char *local_ref,
			const char *remote_ref,
			const struct signing_config *trust)
{
	for (unsigned attempt = 0; attempt < MERGE_MAX_ATTEMPTS; attempt++) {
		int r = try_merge(repo, local_ref, remote_ref, trust);

		if (r != MERGE_RETRY)
			return r;
		backoff(attempt);
	}
	return error("cannot merge '%s' into '%s': still moved by other "
		     "writers after %d attempts", remote_ref, local_ref,
		     MERGE_MAX_ATTEMPTS);
}
