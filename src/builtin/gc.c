/* builtin/gc.c - "git covopt gc": drop the models no branch, tag or HEAD can reach, and corrupt ones.
 * One walk from every tip marks the annotated commits still reachable; one notes commit drops the rest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtin.h"
#include "model-lookup.h"
#include "notes-store.h"
#include "repo.h"
#include "parse-opts.h"
#include "quote.h"
#include "repo-config.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Rounds of read, decide, compare-and-swap before giving up. */
#define GC_MAX_ATTEMPTS 5

static const char *const gc_usage[] = {
	"git covopt gc [--dry-run] [--ref <ref>] [-q]",
	NULL
};

/* One annotated commit of the notes ref. */
struct gc_note {
	git_oid commit;
	git_oid blob;
	int reachable;
	int missing;	/* no such object any more */
	char *corrupt;	/* why the note does not decode, or NULL */
};

struct gc_notes {
	struct gc_note *items;	/* sorted by commit once collected */
	size_t nr, alloc;
	size_t reachable_nr;
	size_t corrupt_nr;
};

static void gc_notes_release(struct gc_notes *n)
{
	for (size_t i = 0; i < n->nr; i++)
		free(n->items[i].corrupt);
	free(n->items);
	memset(n, 0, sizeof(*n));
}

static int collect_note(const git_oid *commit, const git_oid *blob,
			void *payload)
{
	struct gc_notes *n = payload;

	ALLOC_GROW(n->items, n->nr + 1, n->alloc);
	memset(&n->items[n->nr], 0, sizeof(n->items[0]));
	git_oid_cpy(&n->items[n->nr].commit, commit);
	git_oid_cpy(&n->items[n->nr].blob, blob);
	n->nr++;
	return 0;
}

static int cmp_note(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct gc_note *)a)->commit,
			   &((const struct gc_note *)b)->commit);
}

/* Sort; keep one entry per commit (a note may be both flat and fanned out). */
static void sort_notes(struct gc_notes *n)
{
	size_t out = 0;

	if (!n->nr)
		return;
	qsort(n->items, n->nr, sizeof(n->items[0]), cmp_note);
	for (size_t i = 1; i < n->nr; i++)
		if (git_oid_cmp(&n->items[i].commit, &n->items[out].commit))
			n->items[++out] = n->items[i];
	n->nr = out + 1;
}

static struct gc_note *find_note(struct gc_notes *n, const git_oid *id)
{
	struct gc_note key;

	git_oid_cpy(&key.commit, id);
	return n->nr ? bsearch(&key, n->items, n->nr, sizeof(key), cmp_note) :
		       NULL;
}

/* ------------------------------------------------------------------ */
/* What is reachable                                                   */
/* ------------------------------------------------------------------ */

/*
 * The walk starts from every branch (local and remote-tracking), tag and
 * HEAD (ours and each linked worktree's), and from every commit a reflog
 * of those still names, as git gc keeps those commits too. tips counts
 * the starting points that were commits.
 */
struct gc_walk {
	git_repository *repo;
	git_revwalk *walk;
	size_t tips;
};

/* Start from id when it is a commit; anything else is no tip. */
static void push_id(struct gc_walk *w, const git_oid *id)
{
	if (git_oid_is_zero(id))
		return;
	if (git_revwalk_push(w->walk, id) < 0) {
		git_error_clear();
		return;
	}
	w->tips++;
}

static void push_reflog(struct gc_walk *w, const char *name)
{
	git_reflog *log = NULL;
	size_t nr;

	if (git_reflog_read(&log, w->repo, name) < 0) {
		git_error_clear();
		return;
	}
	nr = git_reflog_entrycount(log);
	for (size_t i = 0; i < nr; i++) {
		const git_reflog_entry *e = git_reflog_entry_byindex(log, i);

		push_id(w, git_reflog_entry_id_old(e));
		push_id(w, git_reflog_entry_id_new(e));
	}
	git_reflog_free(log);
}

static int is_kept_ref(const char *name)
{
	return !strncmp(name, "refs/heads/", 11) ||
	       !strncmp(name, "refs/remotes/", 13) ||
	       !strncmp(name, "refs/tags/", 10);
}

/* A ref that points to a missing object means a broken repository: stop. */
static int push_ref(struct gc_walk *w, git_reference *ref)
{
	const char *name = git_reference_name(ref);
	git_object *obj = NULL;
	int r;

	r = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
	if (r == GIT_ENOTFOUND)
		return error_git("cannot read '%s'", name);
	if (r < 0) {
		git_error_clear();	/* a tag of a tree or a blob */
	} else {
		push_id(w, git_object_id(obj));
		git_object_free(obj);
	}
	push_reflog(w, name);
	return 0;
}

static int push_refs(struct gc_walk *w)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int r, ret = 0;

	if (git_reference_iterator_new(&it, w->repo) < 0)
		return error_git("cannot list refs");
	while (!(r = git_reference_next(&ref, it))) {
		if (is_kept_ref(git_reference_name(ref)) && push_ref(w, ref))
			ret = -1;
		git_reference_free(ref);
		ref = NULL;
		if (ret)
			break;
	}
	if (!ret && r != GIT_ITEROVER)
		ret = error_git("cannot list refs");
	git_reference_iterator_free(it);
	return ret;
}

static void push_heads(struct gc_walk *w)
{
	git_strarray names = { .strings = NULL, .count = 0 };
	git_oid id;

	if (!git_reference_name_to_id(&id, w->repo, "HEAD"))
		push_id(w, &id);
	git_error_clear();	/* an unborn branch */
	push_reflog(w, "HEAD");
	if (git_worktree_list(&names, w->repo) < 0) {
		git_error_clear();
		return;
	}
	for (size_t i = 0; i < names.count; i++) {
		git_reference *head = NULL;

		if (!git_repository_head_for_worktree(&head, w->repo,
						      names.strings[i]) &&
		    git_reference_target(head))
			push_id(w, git_reference_target(head));
		git_error_clear();
		git_reference_free(head);
	}
	git_strarray_dispose(&names);
}

/* Mark the notes whose commit is reachable; stop once all of them are. */
static int mark_reachable(struct gc_notes *n, git_repository *repo)
{
	struct gc_walk w = { .repo = repo };
	git_oid id;
	int r = 0, ret = -1;

	if (git_revwalk_new(&w.walk, repo) < 0) {
		error_git("cannot walk the history");
		goto cleanup;
	}
	if (push_refs(&w))
		goto cleanup;
	push_heads(&w);
	if (!w.tips) {
		error("no branch, tag or HEAD to keep models for; "
		      "not dropping every note");
		goto cleanup;
	}
	while (n->reachable_nr < n->nr &&
	       !(r = git_revwalk_next(&id, w.walk))) {
		struct gc_note *note = find_note(n, &id);

		if (note && !note->reachable) {
			note->reachable = 1;
			n->reachable_nr++;
		}
	}
	if (n->reachable_nr < n->nr && r != GIT_ITEROVER) {
		error_git("cannot walk the history");
		goto cleanup;
	}
	ret = 0;
cleanup:
	git_revwalk_free(w.walk);
	return ret;
}

static int mark_missing(struct gc_notes *n, git_repository *repo)
{
	git_odb *odb = NULL;

	if (git_repository_odb(&odb, repo) < 0)
		return error_git("cannot open the object database");
	for (size_t i = 0; i < n->nr; i++)
		if (!n->items[i].reachable)
			n->items[i].missing =
				!git_odb_exists(odb, &n->items[i].commit);
	git_odb_free(odb);
	return 0;
}

/* A note goes when no tip reaches its commit or when it does not decode. */
static int drops(const struct gc_note *note)
{
	return !note->reachable || note->corrupt;
}

/* Decode the notes that would stay; those that fail go too. 0 or -1. */
static int mark_corrupt(struct gc_notes *n, git_repository *repo,
			const char *ref)
{
	struct sbuf note = SBUF_INIT, why = SBUF_INIT;
	struct model m;
	int ret = 0;

	model_init(&m);
	for (size_t i = 0; !ret && i < n->nr; i++) {
		struct gc_note *e = &n->items[i];

		if (!e->reachable)
			continue;
		if (repo_read_blob(&note, repo, &e->blob,
				   COVOPT_MAX_NOTE_SIZE) < 0) {
			ret = -1;
			break;
		}
		if (model_lookup_decode(&m, &why, note.buf, note.len, ref,
					&e->commit) < 0) {
			e->corrupt = sbuf_detach(&why, NULL);
			n->corrupt_nr++;
		}
		model_release(&m);
	}
	sbuf_release(&note);
	sbuf_release(&why);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The new notes tree                                                  */
/* ------------------------------------------------------------------ */

/* The commits whose notes go, sorted (as n is). Caller frees. */
static git_oid *dropped_commits(const struct gc_notes *n, size_t *nr)
{
	git_oid *drop = xcalloc(n->nr + 1, sizeof(*drop));

	*nr = 0;
	for (size_t i = 0; i < n->nr; i++)
		if (drops(&n->items[i]))
			git_oid_cpy(&drop[(*nr)++], &n->items[i].commit);
	return drop;
}

/*
 * Commit the tree of tip without the dropped notes, parent tip, and move
 * ref from tip to it. 0 done, 1 someone moved the ref meanwhile, -1 error.
 */
static int write_without(git_repository *repo, const char *ref,
			 const git_oid *tip_id, const struct gc_notes *n)
{
	static const char message[] = "Notes removed by 'git covopt gc'\n";
	git_commit *tip = NULL;
	git_tree *tree = NULL;
	size_t nr;
	git_oid *drop = dropped_commits(n, &nr);
	git_oid tree_id, id;
	int ret = -1;

	if (git_commit_lookup(&tip, repo, tip_id) < 0 ||
	    git_commit_tree(&tree, tip) < 0 ||
	    notes_store_tree_without(&tree_id, repo, tree, drop, nr) < 0 ||
	    notes_store_commit(&id, repo, &tree_id,
			       (const git_commit **)&tip, 1, message) < 0) {
		error_git("cannot write notes commit for '%s'", ref);
		goto cleanup;
	}
	ret = notes_store_move_ref(repo, ref, tip_id, &id,
				   "notes: git covopt gc");
cleanup:
	free(drop);
	git_tree_free(tree);
	git_commit_free(tip);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The command                                                         */
/* ------------------------------------------------------------------ */

static void print_drops(FILE *out, const struct gc_notes *n)
{
	for (size_t i = 0; i < n->nr; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		if (!drops(&n->items[i]))
			continue;
		git_oid_tostr(hex, sizeof(hex), &n->items[i].commit);
		if (n->items[i].corrupt) {
			struct sbuf why = SBUF_INIT;

			/* the reason may quote the note's own bytes */
			quote_escape(&why, n->items[i].corrupt,
				     strlen(n->items[i].corrupt));
			fprintf(out, "drop %s (corrupt: %s)\n", hex, why.buf);
			sbuf_release(&why);
		} else
			fprintf(out, "drop %s (%s)\n", hex,
				n->items[i].missing ? "missing" :
				"unreachable");
	}
}

/*
 * Read the notes of ref as they are at tip and decide what goes. The tip is
 * read again afterwards: notes_store_foreach reads the ref on its own, and
 * the list must be the one of the commit we rewrite. 0, 1 (moved), -1.
 */
static int plan(struct gc_notes *n, git_oid *tip, int *exists,
		git_repository *repo, const char *ref)
{
	git_oid again;
	int r;

	gc_notes_release(n);
	r = git_reference_name_to_id(tip, repo, ref);
	if (r == GIT_ENOTFOUND) {
		git_error_clear();
		*exists = 0;
		return 0;
	}
	if (r < 0)
		return error_git("cannot read notes ref '%s'", ref);
	*exists = 1;
	if (notes_store_foreach(repo, ref, collect_note, n))
		return -1;
	if (git_reference_name_to_id(&again, repo, ref) < 0 ||
	    !git_oid_equal(&again, tip)) {
		git_error_clear();
		return 1;
	}
	sort_notes(n);
	if (!n->nr)
		return 0;
	if (mark_reachable(n, repo) || mark_missing(n, repo) ||
	    mark_corrupt(n, repo, ref))
		return -1;
	return 0;
}

static int gc(git_repository *repo, const char *ref, int dry_run, int quiet)
{
	struct gc_notes n = { .items = NULL };
	git_oid tip;
	int exists, r = -1;

	if (git_repository_is_shallow(repo)) {
		return error("cannot gc models in a shallow repository: the "
			     "history it lacks looks unreachable");
	}
	for (unsigned attempt = 0; attempt < GC_MAX_ATTEMPTS; attempt++) {
		r = plan(&n, &tip, &exists, repo, ref);
		if (r < 0)
			break;
		if (r > 0)
			continue;
		if (!exists || dry_run ||
		    (n.reachable_nr == n.nr && !n.corrupt_nr))
			break;
		r = write_without(repo, ref, &tip, &n);
		if (r <= 0)
			break;
	}
	if (r > 0)
		r = error("cannot update '%s': moved by other writers %d "
			  "times", ref, GC_MAX_ATTEMPTS);
	if (!r && exists && (dry_run || !quiet))
		print_drops(dry_run ? stdout : stderr, &n);
	gc_notes_release(&n);
	return r;
}

int cmd_gc(int argc, const char **argv, git_repository *repo)
{
	int dry_run = 0, quiet = 0, ret;
	const char *opt_ref = NULL;
	const struct opt_spec options[] = {
		OPT_BOOL('n', "dry-run", &dry_run,
			 "list the notes that would be dropped, drop nothing"),
		OPT_STRING(0, "ref", &opt_ref, "ref",
			   "notes ref (default refs/notes/covopt)"),
		OPT_BOOL('q', "quiet", &quiet,
			 "print no informational messages"),
		OPT_END(),
	};
	char *ref;

	argc = parse_options(argc, argv, options, gc_usage, 0);
	if (argc) {
		error("too many arguments");
		usage_with_options(gc_usage, options);
	}
	ref = repo_notes_ref(repo, opt_ref, NULL);
	ret = ref ? gc(repo, ref, dry_run, quiet) : -1;
	free(ref);
	return ret ? COVOPT_EXIT_FAILURE : 0;
}
