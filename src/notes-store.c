/* notes-store.c - keep models in a git notes ref, written blob by blob (msgpack holds NULs).
 * Reads any fan-out; writes a whole new notes commit, then moves the ref by compare-and-swap. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hex.h"
#include "notes-store.h"
#include "model.h"
#include "repo.h"
#include "strlist.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* How often a writer that lost the race to the ref starts over. */
#define NOTES_MAX_ATTEMPTS 50

/* A fan-out directory: two lowercase hex digits, holding a tree. */
static int is_fanout_dir(const git_tree_entry *e)
{
	const char *name = git_tree_entry_name(e);

	return git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	       strlen(name) == 2 && hex_is_lower(name, 2);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

void notes_tip_release(struct notes_tip *tip)
{
	git_tree_free(tip->tree);
	git_commit_free(tip->commit);
	memset(tip, 0, sizeof(*tip));
}

int notes_tip_load(struct notes_tip *tip, git_repository *repo,
		   const char *ref)
{
	int r;

	memset(tip, 0, sizeof(*tip));
	r = git_reference_name_to_id(&tip->id, repo, ref);
	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return error_git("cannot read notes ref '%s'", ref);
	if (git_commit_lookup(&tip->commit, repo, &tip->id) < 0 ||
	    git_commit_tree(&tip->tree, tip->commit) < 0) {
		error_git("cannot read notes ref '%s'", ref);
		notes_tip_release(tip);
		return -1;
	}
	tip->exists = 1;
	return 0;
}

/*
 * Find the note blob for hex (40 lowercase digits) in a notes tree, flat
 * or fanned out at any depth. Returns 1 with *blob set, 0 when absent,
 * -1 on error.
 */
static int find_note(git_oid *blob, git_repository *repo,
		     const git_tree *root, const char *hex, const char *ref)
{
	const git_tree *cur = root;
	git_tree *owned = NULL;
	int ret = 0;

	for (size_t k = 0; k + 2 <= COVOPT_OID_HEXSZ; k += 2) {
		const git_tree_entry *e = git_tree_entry_byname(cur, hex + k);
		char dir[3] = { hex[k], hex[k + 1], '\0' };
		git_tree *sub = NULL;

		if (e && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_oid_cpy(blob, git_tree_entry_id(e));
			ret = 1;
			break;
		}
		e = git_tree_entry_byname(cur, dir);
		if (!e || !is_fanout_dir(e) || k + 2 == COVOPT_OID_HEXSZ)
			break;
		if (git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0) {
			ret = error_git("cannot read notes tree of '%s'", ref);
			break;
		}
		git_tree_free(owned);
		cur = owned = sub;
	}
	git_tree_free(owned);
	return ret;
}

static int read_blob(struct sbuf *out, git_repository *repo,
		     const git_oid *id, const char *ref, const char *hex)
{
	git_blob *blob = NULL;
	git_object_size_t size;

	sbuf_reset(out);
	if (git_blob_lookup(&blob, repo, id) < 0)
		return error_git("cannot read note for '%s' in '%s'", hex, ref);
	size = git_blob_rawsize(blob);
	if (size > COVOPT_MAX_NOTE_SIZE) {
		git_blob_free(blob);
		return error("note for '%s' in '%s' is too large (%llu bytes)",
			     hex, ref, (unsigned long long)size);
	}
	sbuf_add(out, git_blob_rawcontent(blob), (size_t)size);
	git_blob_free(blob);
	return 0;
}

/* Look the note for hex up under tip and read it; 1, 0 or -1. */
static int tip_read_note(struct sbuf *out, git_repository *repo,
			 const struct notes_tip *tip, const char *hex,
			 const char *ref)
{
	git_oid blob;
	int r;

	if (!tip->exists)
		return 0;
	r = find_note(&blob, repo, tip->tree, hex, ref);
	if (r <= 0)
		return r;
	return read_blob(out, repo, &blob, ref, hex) ? -1 : 1;
}

int notes_store_read(struct sbuf *out, git_repository *repo,
		     const char *notes_ref, const git_oid *commit)
{
	struct notes_tip tip;
	char hex[GIT_OID_HEXSZ + 1];
	int ret;

	sbuf_reset(out);
	git_oid_tostr(hex, sizeof(hex), commit);
	if (notes_tip_load(&tip, repo, notes_ref))
		return -1;
	ret = tip_read_note(out, repo, &tip, hex, notes_ref);
	notes_tip_release(&tip);
	return ret;
}

/* Is a commit missing (lookup_error) the boundary of a shallow clone? */
static int at_shallow_boundary(git_repository *repo, int lookup_error,
			       struct notes_search *s)
{
	if (lookup_error != GIT_ENOTFOUND ||
	    git_repository_is_shallow(repo) != 1)
		return 0;
	git_error_clear();
	s->shallow = 1;
	return 1;
}

/* The walk of one notes ref from s->start, at most max_depth steps. */
static int search_ref(git_oid *found, unsigned *distance, struct sbuf *note,
		      git_repository *repo, const char *ref,
		      struct notes_search *s, unsigned max_depth)
{
	struct notes_tip tip;
	git_commit *c = NULL, *parent = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int ret = -1, r;

	if (notes_tip_load(&tip, repo, ref))
		return -1;
	if (!tip.exists) {
		ret = 0;
		goto cleanup;
	}
	r = git_commit_lookup(&c, repo, s->start);
	if (r < 0) {
		if (at_shallow_boundary(repo, r, s)) {
			ret = 0;
			goto cleanup;
		}
		git_oid_tostr(hex, sizeof(hex), s->start);
		error_git("cannot read commit '%s'", hex);
		goto cleanup;
	}
	for (unsigned d = 0;; d++) {
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		r = tip_read_note(note, repo, &tip, hex, ref);
		if (r > 0 && s->accept)
			r = s->accept(git_commit_id(c), note, ref, s->payload);
		if (r) {
			if (r > 0) {
				git_oid_cpy(found, git_commit_id(c));
				*distance = d;
			}
			ret = r;
			break;
		}
		ret = 0;
		if (d == max_depth || !git_commit_parentcount(c))
			break;
		r = git_commit_parent(&parent, c, 0);
		if (r < 0 && at_shallow_boundary(repo, r, s))
			break;
		if (r < 0) {
			ret = error_git("cannot read parent of '%s'", hex);
			break;
		}
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
cleanup:
	git_commit_free(c);
	notes_tip_release(&tip);
	return ret;
}

int notes_store_find_nearest(git_oid *found, unsigned *distance,
			     struct sbuf *note, git_repository *repo,
			     const char *notes_ref, const git_oid *start,
			     unsigned max_depth)
{
	struct notes_search s = { .start = start, .max_depth = max_depth };

	return search_ref(found, distance, note, repo, notes_ref, &s,
			  max_depth);
}

/* ------------------------------------------------------------------ */
/* Lookup in our notes, then in the remote-tracking ones               */
/* ------------------------------------------------------------------ */

/* The refs "<notes_ref>-remotes/...", sorted. 0 or -1. */
static int list_tracking_refs(struct strlist *out, git_repository *repo,
			      const char *notes_ref)
{
	git_reference_iterator *it = NULL;
	struct sbuf prefix = SBUF_INIT, glob = SBUF_INIT;
	const char *name;
	int r, ret = -1;

	sbuf_addf(&prefix, "%s-remotes/", notes_ref);
	sbuf_addf(&glob, "%s*", prefix.buf);
	if (git_reference_iterator_glob_new(&it, repo, glob.buf) < 0) {
		error_git("cannot list refs '%s'", glob.buf);
		goto cleanup;
	}
	while (!(r = git_reference_next_name(&name, it)))
		if (!strncmp(name, prefix.buf, prefix.len))
			strlist_append(out, name);
	if (r != GIT_ITEROVER) {
		error_git("cannot list refs '%s'", glob.buf);
		goto cleanup;
	}
	strlist_sort(out);
	ret = 0;
cleanup:
	git_reference_iterator_free(it);
	sbuf_release(&prefix);
	sbuf_release(&glob);
	return ret;
}

int notes_store_search(git_oid *found, unsigned *distance,
		       struct sbuf *note, git_repository *repo,
		       struct notes_search *s)
{
	struct strlist refs = STRLIST_INIT;
	struct sbuf other = SBUF_INIT;
	git_oid at;
	unsigned d;
	int best, r = 0;

	s->shallow = 0;
	best = search_ref(found, distance, note, repo, s->notes_ref, s,
			  s->max_depth);
	if (best < 0 || (best && !*distance))
		return best;
	if (list_tracking_refs(&refs, repo, s->notes_ref) < 0)
		r = -1;
	/* only a strictly nearer note beats the one found before */
	for (size_t i = 0; !r && i < refs.nr; i++) {
		if (best && !*distance)
			break;
		r = search_ref(&at, &d, &other, repo, refs.items[i], s,
			       best ? *distance - 1 : s->max_depth);
		if (r > 0) {
			git_oid_cpy(found, &at);
			*distance = d;
			sbuf_reset(note);
			sbuf_add(note, other.buf, other.len);
			best = 1;
			r = 0;
		}
	}
	strlist_release(&refs);
	sbuf_release(&other);
	return r < 0 ? -1 : best;
}

int notes_store_find_nearest_any(git_oid *found, unsigned *distance,
				 struct sbuf *note, git_repository *repo,
				 const char *notes_ref, const git_oid *start,
				 unsigned max_depth)
{
	struct notes_search s = {
		.notes_ref = notes_ref,
		.start = start,
		.max_depth = max_depth,
	};

	return notes_store_search(found, distance, note, repo, &s);
}

/* ------------------------------------------------------------------ */
/* Listing                                                             */
/* ------------------------------------------------------------------ */

/* hex holds the k digits of the fan-out directories above tree. */
static int foreach_level(git_repository *repo, const git_tree *tree,
			 char *hex, size_t k, notes_foreach_fn fn,
			 void *payload, const char *ref)
{
	size_t nr = git_tree_entrycount(tree);

	for (size_t i = 0; i < nr; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		size_t n = strlen(name);
		git_tree *sub = NULL;
		git_oid id;
		int r;

		if (k + n > COVOPT_OID_HEXSZ || !hex_is_lower(name, n))
			continue;
		memcpy(hex + k, name, n);
		hex[k + n] = '\0';
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    k + n == COVOPT_OID_HEXSZ) {
			if (git_oid_fromstr(&id, hex) < 0)
				continue;
			r = fn(&id, git_tree_entry_id(e), payload);
		} else if (is_fanout_dir(e) && k + 2 < COVOPT_OID_HEXSZ) {
			if (git_tree_lookup(&sub, repo,
					    git_tree_entry_id(e)) < 0)
				return error_git("cannot read notes tree of "
						 "'%s'", ref);
			r = foreach_level(repo, sub, hex, k + 2, fn, payload,
					  ref);
			git_tree_free(sub);
		} else {
			continue;
		}
		if (r)
			return r;
	}
	return 0;
}

int notes_store_foreach_tree(git_repository *repo, const git_tree *tree,
			     notes_foreach_fn fn, void *payload,
			     const char *what)
{
	char hex[GIT_OID_HEXSZ + 1];

	return foreach_level(repo, tree, hex, 0, fn, payload, what);
}

int notes_store_foreach(git_repository *repo, const char *notes_ref,
			notes_foreach_fn fn, void *payload)
{
	struct notes_tip tip;
	char hex[GIT_OID_HEXSZ + 1];
	int ret = 0;

	if (notes_tip_load(&tip, repo, notes_ref))
		return -1;
	if (tip.exists)
		ret = foreach_level(repo, tip.tree, hex, 0, fn, payload,
				    notes_ref);
	notes_tip_release(&tip);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/* The first fan-out directory of tree, or NULL when tree is flat. */
static const git_tree_entry *first_fanout_dir(const git_tree *tree)
{
	size_t nr = tree ? git_tree_entrycount(tree) : 0;

	for (size_t i = 0; i < nr; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);

		if (is_fanout_dir(e))
			return e;
	}
	return NULL;
}

/* The subtree named dir in tree, if there is one. 0 or libgit2's error. */
static int lookup_dir(git_tree **out, git_repository *repo,
		      const git_tree *tree, const char *dir)
{
	const git_tree_entry *e = NULL;

	*out = NULL;
	if (tree)
		e = git_tree_entry_byname(tree, dir);
	if (!e || !is_fanout_dir(e))
		return 0;
	return git_tree_lookup(out, repo, git_tree_entry_id(e));
}

static int write_level(git_oid *out, git_repository *repo,
		       const git_tree *tree, const git_tree *like,
		       const char *hex, size_t k, const git_oid *blob);

/*
 * Put the note one fan-out directory down from bld (built from tree, may
 * be NULL), dropping a flat entry for the same commit at this level. fan
 * is a fan-out directory of this level whose layout a new directory takes.
 */
static int insert_below(git_treebuilder *bld, git_repository *repo,
			const git_tree *tree, const git_tree_entry *fan,
			const char *hex, size_t k, const git_oid *blob)
{
	git_tree *sub = NULL, *sub_like = NULL;
	char dir[3] = { hex[k], hex[k + 1], '\0' };
	git_oid sub_id;
	int err;

	if (git_treebuilder_get(bld, hex + k) &&
	    (err = git_treebuilder_remove(bld, hex + k)) < 0)
		return err;
	if ((err = lookup_dir(&sub, repo, tree, dir)) < 0 ||
	    (err = git_tree_lookup(&sub_like, repo,
				   git_tree_entry_id(fan))) < 0 ||
	    (err = write_level(&sub_id, repo, sub, sub_like, hex, k + 2,
			       blob)) < 0)
		goto cleanup;
	err = git_treebuilder_insert(NULL, bld, dir, &sub_id,
				     GIT_FILEMODE_TREE);
cleanup:
	git_tree_free(sub_like);
	git_tree_free(sub);
	return err < 0 ? err : 0;
}

/*
 * Write the notes (sub)tree for the digits hex + k with the note blob set:
 * every other entry of tree (NULL: none yet) is kept. When this level is
 * fanned out (judged from tree, or from like, a sibling, for a new
 * directory) the note goes one directory down; otherwise it is stored
 * flat here. Returns 0 or libgit2's error.
 */
static int write_level(git_oid *out, git_repository *repo,
		       const git_tree *tree, const git_tree *like,
		       const char *hex, size_t k, const git_oid *blob)
{
	git_treebuilder *bld = NULL;
	const git_tree_entry *fan;
	int err;

	if ((err = git_treebuilder_new(&bld, repo, tree)) < 0)
		return err;
	fan = first_fanout_dir(tree ? tree : like);
	if (!fan || k + 2 >= COVOPT_OID_HEXSZ)
		err = git_treebuilder_insert(NULL, bld, hex + k, blob,
					     GIT_FILEMODE_BLOB);
	else
		err = insert_below(bld, repo, tree, fan, hex, k, blob);
	if (err >= 0)
		err = git_treebuilder_write(out, bld);
	git_treebuilder_free(bld);
	return err < 0 ? err : 0;
}

int notes_store_tree_set(git_oid *out, git_repository *repo,
			 const git_tree *tree, const git_oid *commit,
			 const git_oid *blob)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), commit);
	if (write_level(out, repo, tree, NULL, hex, 0, blob) < 0)
		return error_git("cannot write notes tree for '%s'", hex);
	return 0;
}

/* Is any commit of drop (nr, sorted) under the k hex digits of prefix? */
static int drops_under(const git_oid *drop, size_t nr, const char *prefix,
		       size_t k)
{
	for (size_t i = 0; i < nr; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &drop[i]);
		if (!strncmp(hex, prefix, k))
			return 1;
	}
	return 0;
}

static int cmp_oid(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static int filter_level(git_oid *out, size_t *left, git_repository *repo,
			const git_tree *tree, char *hex, size_t k,
			const git_oid *drop, size_t nr);

/* Rewrite the fan-out directory e, dropping it when it ends up empty. */
static int filter_dir(git_treebuilder *bld, git_repository *repo,
		      const git_tree_entry *e, char *hex, size_t k,
		      const git_oid *drop, size_t nr)
{
	const char *name = git_tree_entry_name(e);
	git_tree *sub = NULL;
	git_oid id;
	size_t left;
	int err;

	if ((err = git_tree_lookup(&sub, repo, git_tree_entry_id(e))) < 0 ||
	    (err = filter_level(&id, &left, repo, sub, hex, k + 2, drop,
				nr)) < 0)
		goto cleanup;
	if (!left)
		err = git_treebuilder_remove(bld, name);
	else
		err = git_treebuilder_insert(NULL, bld, name, &id,
					     GIT_FILEMODE_TREE);
cleanup:
	git_tree_free(sub);
	return err;
}

/*
 * Write tree without the dropped notes below the k digits of hex: a note
 * is a blob whose name completes the digits; a fan-out directory holds two
 * more. Directories without dropped notes are kept as they are. left is
 * the number of entries that remain. 0 or libgit2's error.
 */
static int filter_level(git_oid *out, size_t *left, git_repository *repo,
			const git_tree *tree, char *hex, size_t k,
			const git_oid *drop, size_t nr)
{
	git_treebuilder *bld = NULL;
	size_t entries = git_tree_entrycount(tree);
	int err;

	if ((err = git_treebuilder_new(&bld, repo, tree)) < 0)
		return err;
	for (size_t i = 0; i < entries && err >= 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *name = git_tree_entry_name(e);
		size_t len = strlen(name);
		git_oid id;

		if (!len || k + len > GIT_OID_HEXSZ || !hex_is_lower(name, len))
			continue;
		memcpy(hex + k, name, len);
		hex[k + len] = '\0';
		if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
		    k + len == GIT_OID_HEXSZ) {
			if (git_oid_fromstr(&id, hex) < 0)
				continue;
			if (nr && bsearch(&id, drop, nr, sizeof(*drop), cmp_oid))
				err = git_treebuilder_remove(bld, name);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			   len == 2 && k + 2 < GIT_OID_HEXSZ &&
			   drops_under(drop, nr, hex, k + 2)) {
			err = filter_dir(bld, repo, e, hex, k, drop, nr);
		}
	}
	if (err >= 0) {
		*left = git_treebuilder_entrycount(bld);
		err = git_treebuilder_write(out, bld);
	}
	git_treebuilder_free(bld);
	return err < 0 ? err : 0;
}

int notes_store_tree_without(git_oid *out, git_repository *repo,
			     const git_tree *tree, const git_oid *drop,
			     size_t nr)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t left;

	return filter_level(out, &left, repo, tree, hex, 0, drop, nr);
}

int notes_store_commit(git_oid *out, git_repository *repo,
		       const git_oid *tree_id, const git_commit **parents,
		       size_t nr, const char *message)
{
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	struct sbuf msg = SBUF_INIT;
	int err;

	sbuf_addstr(&msg, message);
	if (!msg.len || msg.buf[msg.len - 1] != '\n')
		sbuf_addch(&msg, '\n');
	if ((err = git_tree_lookup(&tree, repo, tree_id)) >= 0 &&
	    (err = repo_signature(&sig, repo)) >= 0)
		err = git_commit_create(out, repo, NULL, sig, sig, NULL,
					msg.buf, tree, nr, parents);
	sbuf_release(&msg);
	git_signature_free(sig);
	git_tree_free(tree);
	return err < 0 ? err : 0;
}

/* Build the notes commit holding blob for hex on top of tip. 0 or -1. */
static int make_commit(git_oid *out, git_repository *repo,
		       const struct notes_tip *tip, const char *hex,
		       const git_oid *blob, const char *message)
{
	const git_commit *parents[1] = { tip->commit };
	git_oid tree_id;

	if (write_level(&tree_id, repo, tip->tree, NULL, hex, 0, blob) < 0 ||
	    notes_store_commit(out, repo, &tree_id, parents,
			       tip->exists ? 1 : 0, message) < 0)
		return error_git("cannot write notes commit for '%s'", hex);
	return 0;
}

/*
 * A ref that did not exist is expected to be still absent: libgit2 checks
 * the zero id under the ref's lock, whereas git_reference_create(force=0)
 * checks existence before taking the lock, so two first writers could
 * both succeed and one notes commit would be lost.
 */
int notes_store_move_ref(git_repository *repo, const char *ref,
			 const git_oid *old, const git_oid *id,
			 const char *message)
{
	git_reference *out = NULL;
	char *log = xmemdupz(message, strcspn(message, "\n"));
	git_oid absent;
	int r;

	memset(&absent, 0, sizeof(absent));
	r = git_reference_create_matching(&out, repo, ref, id, 1,
					  old ? old : &absent, log);
	free(log);
	git_reference_free(out);
	if (r == GIT_EMODIFIED || r == GIT_EEXISTS || r == GIT_ELOCKED)
		return 1;
	if (r < 0)
		return error_git("cannot update '%s'", ref);
	return 0;
}

/*
 * Why nothing can be written into the object database of repo: the error
 * of a probe file of a few KB written and removed there (ENOSPC, EDQUOT,
 * EROFS...), or NULL when the probe goes through.
 */
static const char *odb_write_problem(git_repository *repo)
{
	struct sbuf path = SBUF_INIT;
	char block[4096] = { 0 };
	const char *why = NULL;
	int fd;

	sbuf_addf(&path, "%sobjects/covopt-probe-XXXXXX",
		  git_repository_path(repo));
	fd = mkstemp(path.buf);
	if (fd < 0) {
		why = strerror(errno);
	} else {
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block) ||
		    fsync(fd))
			why = strerror(errno ? errno : ENOSPC);
		close(fd);
		unlink(path.buf);
	}
	sbuf_release(&path);
	return why;
}

/*
 * libgit2 1.5 can report success for a loose object it could not write
 * (a full disk), and the ref update then fails with "target OID ...
 * doesn't exist": the notes commit must be in the object database before
 * the ref moves; when it is not, a probe write names the cause.
 */
static int check_written(git_repository *repo, const git_oid *id,
			 const char *hex)
{
	const char *why;
	git_odb *odb = NULL;
	int found;

	if (git_repository_odb(&odb, repo) < 0)
		return error_git("cannot write model note for '%s'", hex);
	found = git_odb_exists(odb, id);
	git_odb_free(odb);
	if (found)
		return 0;
	why = odb_write_problem(repo);
	return error("cannot write model note for '%s': %s", hex,
		     why ? why : "the object database did not keep it");
}

/* One read-compute-write round: 0 done, 1 lost the race, -1 error. */
static int try_update(git_repository *repo, const char *ref,
		      const git_oid *commit, notes_update_fn fn,
		      void *payload, const char *message)
{
	struct notes_tip tip;
	struct sbuf note = SBUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid blob, id;
	int exists, ret = -1;

	git_oid_tostr(hex, sizeof(hex), commit);
	if (notes_tip_load(&tip, repo, ref))
		return -1;
	exists = tip_read_note(&note, repo, &tip, hex, ref);
	if (exists < 0 || fn(&note, exists, payload))
		goto cleanup;
	if (note.len > COVOPT_MAX_NOTE_SIZE) {
		error("note for '%s' is too large (%zu bytes)", hex, note.len);
		goto cleanup;
	}
	if (git_blob_create_from_buffer(&blob, repo, note.buf, note.len) < 0) {
		error_git("cannot write model note for '%s'", hex);
		goto cleanup;
	}
	if (make_commit(&id, repo, &tip, hex, &blob, message) ||
	    check_written(repo, &id, hex))
		goto cleanup;
	ret = notes_store_move_ref(repo, ref, tip.exists ? &tip.id : NULL,
				   &id, message);
cleanup:
	sbuf_release(&note);
	notes_tip_release(&tip);
	return ret;
}

/* Sleep 1-8 ms, differently in each process, so racing writers part. */
static void backoff(unsigned attempt)
{
	struct timespec now, ts;
	unsigned seed;

	clock_gettime(CLOCK_MONOTONIC, &now);
	seed = (unsigned)now.tv_nsec ^ ((unsigned)getpid() * 2654435761u) ^
	       (attempt * 40503u);
	seed ^= seed >> 13;
	seed *= 0x5bd1e995u;
	seed ^= seed >> 15;
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(1 + seed % 8) * 1000000L;
	nanosleep(&ts, NULL);
}

int notes_store_update(git_repository *repo, const char *notes_ref,
		       const git_oid *commit, notes_update_fn fn,
		       void *payload, const char *message)
{
	for (unsigned attempt = 0; attempt < NOTES_MAX_ATTEMPTS; attempt++) {
		int r = try_update(repo, notes_ref, commit, fn, payload,
				   message);

		if (r <= 0)
			return r;
		backoff(attempt);
	}
	return error("cannot update '%s': still moved by other writers or "
		     "locked after %d attempts", notes_ref, NOTES_MAX_ATTEMPTS);
}
