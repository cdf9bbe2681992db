/* diff.c - the change to select tests for: changed files, both sides' contents and exact line ranges.
 * libgit2 lists the changed files; each file is then loaded once and diffed in memory with no context. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "diff.h"
#include "repo.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Like git: a NUL byte in the first 8000 bytes makes a file binary. */
#define BINARY_SNIFF_LEN 8000
/* Limits on a unified diff, beyond DIFF_MAX_PATCH. */
#define PATCH_MAX_FILES ((size_t)1 << 20)
#define PATCH_MAX_HEADER_LINE ((size_t)1 << 16)
#define PATCH_MAX_PATH ((size_t)4096)
#define HUNK_MAX_LINES ((unsigned long)1 << 30)

/* ------------------------------------------------------------------ */
/* change sets */

static void add_range(struct line_range **ranges, size_t *nr, size_t *alloc,
		      size_t start, size_t count)
{
	struct line_range *last = *nr ? &(*ranges)[*nr - 1] : NULL;

	if (!count)
		return;
	if (last && (size_t)last->start + last->count == start) {
		last->count += (uint32_t)count;
		return;
	}
	ALLOC_GROW(*ranges, *nr + 1, *alloc);
	(*ranges)[*nr].start = (uint32_t)start;
	(*ranges)[*nr].count = (uint32_t)count;
	(*nr)++;
}

static void add_old_range(struct file_change *fc, size_t start, size_t count)
{
	add_range(&fc->old_ranges, &fc->old_nr, &fc->old_alloc, start, count);
}

static void add_new_range(struct file_change *fc, size_t start, size_t count)
{
	add_range(&fc->new_ranges, &fc->new_nr, &fc->new_alloc, start, count);
}

static int looks_binary(const struct sbuf *sb)
{
	size_t n = sb->len < BINARY_SNIFF_LEN ? sb->len : BINARY_SNIFF_LEN;

	return n && memchr(sb->buf, '\0', n) != NULL;
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;
	const char *end = s + len, *nl;

	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n++;
		s = nl ? nl + 1 : end;
	}
	return n;
}

static void file_change_init(struct file_change *fc)
{
	memset(fc, 0, sizeof(*fc));
	sbuf_init(&fc->old_data, 0);
	sbuf_init(&fc->new_data, 0);
}

/* Forget contents and ranges: binary, too large or not a regular file. */
static void drop_contents(struct file_change *fc)
{
	sbuf_release(&fc->old_data);
	sbuf_release(&fc->new_data);
	fc->has_old = fc->has_new = 0;
	FREE_AND_NULL(fc->old_ranges);
	FREE_AND_NULL(fc->new_ranges);
	fc->old_nr = fc->old_alloc = fc->new_nr = fc->new_alloc = 0;
}

static void file_change_release(struct file_change *fc)
{
	drop_contents(fc);
	free(fc->old_path);
	free(fc->new_path);
	file_change_init(fc);
}

void change_set_release(struct change_set *set)
{
	for (size_t i = 0; i < set->nr; i++)
		file_change_release(&set->items[i]);
	free(set->items);
	set->items = NULL;
	set->nr = set->alloc = 0;
}

/* Move *fc into the set; fc is left empty. */
static void change_set_take(struct change_set *set, struct file_change *fc)
{
	ALLOC_GROW(set->items, set->nr + 1, set->alloc);
	set->items[set->nr++] = *fc;
	file_change_init(fc);
}

static const char *change_key(const struct file_change *fc)
{
	return fc->new_path ? fc->new_path : fc->old_path;
}

static int cmp_change(const void *va, const void *vb)
{
	const struct file_change *a = va, *b = vb;
	int c = strcmp(change_key(a), change_key(b));

	if (c)
		return c;
	if (!a->old_path || !b->old_path)
		return !!a->old_path - !!b->old_path;
	c = strcmp(a->old_path, b->old_path);
	if (c)
		return c;
	return (int)a->status - (int)b->status;
}

static void change_set_sort(struct change_set *set)
{
	if (set->nr > 1)
		qsort(set->items, set->nr, sizeof(*set->items), cmp_change);
}

static int is_regular(unsigned mode)
{
	return mode == GIT_FILEMODE_BLOB ||
	       mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

/* ------------------------------------------------------------------ */
/* diff_compute: libgit2 finds the files, we load each side once */

struct compute {
	git_repository *repo;
	enum diff_target target;
	const char *workdir;		/* set: new sides are in the work tree */
	const struct diff_filter *filter;
	struct strlist untracked_dirs;	/* "dir/" entries the walk kept */
	git_diff_options text_opts;	/* for the diff of loaded contents */
	struct sbuf path;
};

/*
 * Load blob id of path into out; *too_large is set instead of loading
 * anything over DIFF_MAX_FILE. With keep, a loaded blob is handed over
 * (the caller frees it; NULL when too large). 0 or -1.
 */
static int load_blob(struct sbuf *out, int *too_large, git_repository *repo,
		     const git_oid *id, const char *path, git_blob **keep)
{
	git_blob *blob = NULL;
	git_object_size_t size;

	if (git_blob_lookup(&blob, repo, id) < 0)
		return error_git("cannot read blob '%s' of '%s'",
				 git_oid_tostr_s(id), path);
	size = git_blob_rawsize(blob);
	if (size > DIFF_MAX_FILE) {
		*too_large = 1;
		git_blob_free(blob);
		return 0;
	}
	sbuf_add(out, git_blob_rawcontent(blob), (size_t)size);
	if (keep)
		*keep = blob;
	else
		git_blob_free(blob);
	return 0;
}

/* Apply the clean filters (e.g. CRLF conversion) as git diff does. */
static int clean_filter(struct compute *c, struct sbuf *data, const char *path)
{
	git_filter_list *filters = NULL;
	git_buf out = { 0 };
	int ret = 0;

	if (git_filter_list_load(&filters, c->repo, NULL, path,
				 GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT) < 0)
		return error_git("cannot load the filters of '%s'", path);
	if (!filters)
		return 0;
	if (git_filter_list_apply_to_buffer(&out, filters, data->buf,
					    data->len) < 0) {
		ret = error_git("cannot filter '%s'", path);
	} else {
		sbuf_reset(data);
		sbuf_add(data, out.ptr, out.size);
	}
	git_buf_dispose(&out);
	git_filter_list_free(filters);
	return ret;
}

static int load_workdir(struct compute *c, struct sbuf *out, int *too_large,
			const char *path)
{
	struct stat st;

	sbuf_reset(&c->path);
	sbuf_addstr(&c->path, c->workdir);
	sbuf_addstr(&c->path, path);
	if (lstat(c->path.buf, &st) < 0)
		return error("cannot stat '%s': %s", c->path.buf,
			     strerror(errno));
	if (!S_ISREG(st.st_mode))
		return error("cannot read '%s': not a regular file",
			     c->path.buf);
	if ((unsigned long long)st.st_size > DIFF_MAX_FILE) {
		*too_large = 1;
		return 0;
	}
	if (sbuf_read_file(out, c->path.buf, DIFF_MAX_FILE) < 0)
		return -1;
	return clean_filter(c, out, path);
}

static int same_valid_id(const git_diff_delta *d)
{
	return (d->old_file.flags & GIT_DIFF_FLAG_VALID_ID) &&
	       (d->new_file.flags & GIT_DIFF_FLAG_VALID_ID) &&
	       git_oid_equal(&d->old_file.id, &d->new_file.id);
}

/* The two blobs of a file, kept for the diff of their lines. */
struct sides {
	git_blob *old_blob, *new_blob;
	int too_large;
};

static int load_sides(struct compute *c, struct file_change *fc,
		      const git_diff_delta *d, struct sides *s)
{
	if (fc->old_path && is_regular(d->old_file.mode)) {
		if (load_blob(&fc->old_data, &s->too_large, c->repo,
			      &d->old_file.id, fc->old_path, &s->old_blob) < 0)
			return -1;
		fc->has_old = 1;
	}
	if (!fc->new_path || !is_regular(d->new_file.mode))
		return 0;
	fc->has_new = 1;
	if (fc->has_old && same_valid_id(d)) {
		sbuf_add(&fc->new_data, fc->old_data.buf, fc->old_data.len);
		return 0;
	}
	if (c->workdir)
		return load_workdir(c, &fc->new_data, &s->too_large,
				    fc->new_path);
	return load_blob(&fc->new_data, &s->too_large, c->repo,
			 &d->new_file.id, fc->new_path, &s->new_blob);
}

static int text_hunk_cb(const git_diff_delta *d, const git_diff_hunk *h,
			void *payload)
{
	struct file_change *fc = payload;

	if (h->old_lines > 0 && h->old_start > 0)
		add_old_range(fc, (size_t)h->old_start, (size_t)h->old_lines);
	if (h->new_lines > 0 && h->new_start > 0)
		add_new_range(fc, (size_t)h->new_start, (size_t)h->new_lines);
	return 0;
}

/*
 * The changed lines of a loaded text file. One side alone changes all of
 * its lines; two sides are diffed by libgit2 from the blobs (or the old
 * blob and the work tree buffer), which spares hashing what is known.
 */
static int diff_lines(struct compute *c, struct file_change *fc,
		      struct sides *s)
{
	const struct sbuf *o = &fc->old_data, *n = &fc->new_data;
	int ret;

	if (!fc->has_old || !fc->has_new) {
		if (fc->has_old)
			add_old_range(fc, 1, count_lines(o->buf, o->len));
		if (fc->has_new)
			add_new_range(fc, 1, count_lines(n->buf, n->len));
		return 0;
	}
	if (o->len == n->len && !memcmp(o->buf, n->buf, o->len))
		return 0;
	/* the contents are loaded already; diffing buffers skips the
	 * per-call attribute and driver lookups of git_diff_blobs */
	ret = git_diff_buffers(o->buf, o->len, NULL, n->buf, n->len, NULL,
			       &c->text_opts, NULL, NULL, text_hunk_cb, NULL,
			       fc);
	if (ret < 0)
		return error_git("cannot diff '%s'", change_key(fc));
	return 0;
}

static int map_status(git_delta_t s, enum change_status *out)
{
	switch (s) {
	case GIT_DELTA_ADDED:
		*out = CHANGE_ADDED;
		return 1;
	case GIT_DELTA_DELETED:
		*out = CHANGE_DELETED;
		return 1;
	case GIT_DELTA_MODIFIED:
	case GIT_DELTA_CONFLICTED:
	case GIT_DELTA_UNREADABLE:
		*out = CHANGE_MODIFIED;
		return 1;
	case GIT_DELTA_RENAMED:
		*out = CHANGE_RENAMED;
		return 1;
	case GIT_DELTA_COPIED:
		*out = CHANGE_COPIED;
		return 1;
	case GIT_DELTA_TYPECHANGE:
		*out = CHANGE_TYPECHANGE;
		return 1;
	default:
		return 0;	/* unmodified, ignored, untracked */
	}
}

/* Contents and ranges of one delta; fc has its status and paths. */
static int fill_change(struct compute *c, struct file_change *fc,
		       const git_diff_delta *d)
{
	struct sides s = { .old_blob = NULL };
	int ret = 0;

	fc->submodule = d->old_file.mode == GIT_FILEMODE_COMMIT ||
			d->new_file.mode == GIT_FILEMODE_COMMIT;
	fc->binary = !!(d->flags & GIT_DIFF_FLAG_BINARY) ||
		     d->status == GIT_DELTA_UNREADABLE;
	if (fc->status == CHANGE_MODIFIED &&
	    d->old_file.mode != d->new_file.mode && same_valid_id(d))
		fc->mode_only = 1;
	if (fc->submodule || fc->binary)
		return 0;
	/* a conflicted index entry has no blob of its own */
	if (fc->new_path && !c->workdir &&
	    is_regular(d->new_file.mode) && git_oid_is_zero(&d->new_file.id)) {
		fc->binary = 1;
		return 0;
	}
	if (load_sides(c, fc, d, &s) < 0) {
		ret = -1;
		goto done;
	}
	if (s.too_large || looks_binary(&fc->old_data) ||
	    looks_binary(&fc->new_data)) {
		fc->binary = 1;
		drop_contents(fc);
		goto done;
	}
	if (fc->status == CHANGE_MODIFIED &&
	    d->old_file.mode != d->new_file.mode &&
	    fc->old_data.len == fc->new_data.len &&
	    !memcmp(fc->old_data.buf, fc->new_data.buf, fc->old_data.len))
		fc->mode_only = 1;
	ret = diff_lines(c, fc, &s);
done:
	git_blob_free(s.old_blob);
	git_blob_free(s.new_blob);
	return ret;
}

/* Where the filter sends delta d: out, the untracked set, or NULL (an
 * untracked directory it keeps goes to c->untracked_dirs). */
static struct change_set *destination(struct compute *c,
				      struct change_set *out,
				      const git_diff_delta *d)
{
	const struct diff_filter *f = c->filter;
	const char *path = d->new_file.path;

	if (d->status == GIT_DELTA_UNTRACKED) {
		if (!f || !f->untracked || !f->keep_untracked ||
		    !f->keep_untracked(path, f->payload))
			return NULL;
		if (*path && path[strlen(path) - 1] == '/') {
			strlist_append(&c->untracked_dirs, path);
			return NULL;
		}
		return f->untracked;
	}
	if (!f || !f->keep ||
	    (d->new_file.path && f->keep(d->new_file.path, f->payload)) ||
	    (d->old_file.path && f->keep(d->old_file.path, f->payload)))
		return out;
	return NULL;
}

static int add_delta(struct compute *c, struct change_set *out,
		     const git_diff_delta *d)
{
	struct file_change fc;
	enum change_status status = CHANGE_ADDED;

	if (d->status != GIT_DELTA_UNTRACKED && !map_status(d->status, &status))
		return 0;
	out = destination(c, out, d);
	if (!out)
		return 0;
	file_change_init(&fc);
	fc.status = status;
	if (status != CHANGE_ADDED)
		fc.old_path = xstrdup(d->old_file.path);
	if (status != CHANGE_DELETED)
		fc.new_path = xstrdup(d->new_file.path);
	if (fill_change(c, &fc, d) < 0) {
		file_change_release(&fc);
		return -1;
	}
	change_set_take(out, &fc);
	return 0;
}

static int make_diff(git_diff **diff, struct compute *c, git_tree *base_tree,
		     const git_commit *head, const git_diff_options *opts)
{
	git_tree *head_tree = NULL;
	int ret;

	switch (c->target) {
	case DIFF_TO_WORKDIR:
		c->workdir = git_repository_workdir(c->repo);
		if (!c->workdir)
			return error("cannot diff against the work tree: "
				     "bare repository");
		if (git_diff_tree_to_workdir_with_index(diff, c->repo,
							base_tree, opts) < 0)
			return error_git("cannot diff the work tree");
		return 0;
	case DIFF_TO_INDEX:
		if (git_diff_tree_to_index(diff, c->repo, base_tree, NULL,
					   opts) < 0)
			return error_git("cannot diff the index");
		return 0;
	case DIFF_TO_TREE:
		if (!head)
			BUG("DIFF_TO_TREE without a head commit");
		if (git_commit_tree(&head_tree, head) < 0)
			return error_git("cannot read the tree of commit '%s'",
					 git_oid_tostr_s(git_commit_id(head)));
		ret = git_diff_tree_to_tree(diff, c->repo, base_tree,
					    head_tree, opts);
		git_tree_free(head_tree);
		if (ret < 0)
			return error_git("cannot diff commit '%s'",
					 git_oid_tostr_s(git_commit_id(head)));
		return 0;
	}
	BUG("unknown diff target %d", (int)c->target);
}

/*
 * The files of the untracked directories the first walk kept, from a walk
 * of those directories alone: a directory the filter refused (a virtual
 * environment, say) is never entered.
 */
static int add_untracked_dirs(struct compute *c)
{
	git_diff_options opts;
	git_diff *diff = NULL;
	int ret = -1;

	if (!c->untracked_dirs.nr)
		return 0;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED |
		     GIT_DIFF_RECURSE_UNTRACKED_DIRS;
	opts.pathspec.strings = c->untracked_dirs.items;
	opts.pathspec.count = c->untracked_dirs.nr;
	if (git_diff_index_to_workdir(&diff, c->repo, NULL, &opts) < 0) {
		error_git("cannot list untracked files");
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status != GIT_DELTA_UNTRACKED)
			continue;
		if (add_delta(c, NULL, d) < 0)
			goto cleanup;
	}
	ret = 0;
cleanup:
	git_diff_free(diff);
	return ret;
}

/*
 * A NULL base stands for the empty tree (the parent of a root commit).
 * The file list comes from libgit2 without loading contents (apart from
 * rename candidates); then each changed file is loaded once and its lines
 * are diffed from what was loaded, so the ranges always agree with the
 * contents we hand out, also for a work tree file that changes under us.
 */
int diff_compute(struct change_set *out, git_repository *repo,
		 const git_commit *base, const git_commit *head,
		 enum diff_target target, const struct strlist *pathspec)
{
	return diff_compute_filtered(out, repo, base, head, target, pathspec,
				     NULL);
}

int diff_compute_filtered(struct change_set *out, git_repository *repo,
			  const git_commit *base, const git_commit *head,
			  enum diff_target target,
			  const struct strlist *pathspec,
			  const struct diff_filter *filter)
{
	struct compute c;
	git_diff_options opts;
	git_diff_find_options find;
	git_tree *base_tree = NULL;
	git_diff *diff = NULL;
	size_t n;
	int ret = -1;

	memset(&c, 0, sizeof(c));
	c.repo = repo;
	c.target = target;
	c.filter = filter;
	sbuf_init(&c.path, 0);
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_options_init(&c.text_opts, GIT_DIFF_OPTIONS_VERSION);
	git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
	if (base && git_commit_tree(&base_tree, base) < 0) {
		error_git("cannot read the tree of commit '%s'",
			  git_oid_tostr_s(git_commit_id(base)));
		goto cleanup;
	}
	opts.flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	/* libgit2 1.5 leaks some 20 KB a submodule each time a work-tree
	 * diff looks into a submodule's checkout (a regex search that frees
	 * nothing when nothing matches): the work tree's side of submodules
	 * is not looked at. A committed or staged move is still seen; a
	 * checkout of another commit, unstaged, is not (covopt never looks
	 * inside a submodule; it only notes that one moved). */
	if (target == DIFF_TO_WORKDIR)
		opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	/* Untracked directories are entered in a walk of their own, unless
	 * paths are given: libgit2 matches "dir/" against them, not its
	 * files; the walk is then narrow anyway. */
	if (target == DIFF_TO_WORKDIR && filter && filter->untracked)
		opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED |
			      (pathspec && pathspec->nr ?
			       GIT_DIFF_RECURSE_UNTRACKED_DIRS :
			       GIT_DIFF_ENABLE_FAST_UNTRACKED_DIRS);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	if (pathspec && pathspec->nr) {
		opts.pathspec.strings = pathspec->items;
		opts.pathspec.count = pathspec->nr;
	}
	c.text_opts.flags = GIT_DIFF_FORCE_TEXT | GIT_DIFF_INDENT_HEURISTIC;
	c.text_opts.context_lines = 0;
	c.text_opts.interhunk_lines = 0;
	if (make_diff(&diff, &c, base_tree, head, &opts) < 0)
		goto cleanup;
	find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_COPIES;
	if (git_diff_find_similar(diff, &find) < 0) {
		error_git("cannot detect renames");
		goto cleanup;
	}
	n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++)
		if (add_delta(&c, out, git_diff_get_delta(diff, i)) < 0)
			goto cleanup;
	if (add_untracked_dirs(&c) < 0)
		goto cleanup;
	change_set_sort(out);
	if (filter && filter->untracked)
		change_set_sort(filter->untracked);
	ret = 0;
cleanup:
	if (ret) {
		change_set_release(out);
		if (filter && filter->untracked)
			change_set_release(filter->untracked);
	}
	sbuf_release(&c.path);
	strlist_release(&c.untracked_dirs);
	git_diff_free(diff);
	git_tree_free(base_tree);
	return ret;
}

/* ------------------------------------------------------------------ */
/* diff_parse_unified: the reader */

struct parser {
	const char *what;
	const char *pos, *end;		/* the rest of the patch */
	const char *line;		/* the current line, NULL at the end */
	size_t len;			/* its length without "\n" */
	size_t hlen;			/* ... and without a final "\r" */
	size_t lineno;
	git_repository *repo;
	git_tree *tree;			/* of the base; NULL: empty */
};

static void advance(struct parser *p)
{
	const char *nl;

	if (p->pos >= p->end) {
		p->line = NULL;
		p->len = p->hlen = 0;
		return;
	}
	p->line = p->pos;
	nl = memchr(p->pos, '\n', (size_t)(p->end - p->pos));
	p->len = nl ? (size_t)(nl - p->pos) : (size_t)(p->end - p->pos);
	p->pos = nl ? nl + 1 : p->end;
	p->hlen = p->len;
	if (p->hlen && p->line[p->hlen - 1] == '\r')
		p->hlen--;
	p->lineno++;
}

/* Does the current line (without "\r") start with s? */
static int at(const struct parser *p, const char *s)
{
	size_t n = strlen(s);

	return p->line && p->hlen >= n && !memcmp(p->line, s, n);
}

static int next_starts_with(const struct parser *p, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(p->end - p->pos) >= n && !memcmp(p->pos, s, n);
}

static int parse_error(const struct parser *p, const char *reason)
{
	return error("cannot parse '%s' line %zu: %s", p->what, p->lineno,
		     reason);
}

static int header_error(const struct parser *p, size_t lineno,
			const char *reason, const char *path)
{
	return error("cannot parse '%s' line %zu: %s%s%s%s", p->what, lineno,
		     path ? "'" : "", path ? path : "", path ? "' " : "",
		     reason);
}

/* ------------------------------------------------------------------ */
/* diff_parse_unified: file headers */

struct patch_file {
	int git;			/* a "diff --git" section */
	char *git_old, *git_new;	/* its names, prefixes kept */
	int has_minus_plus;
	char *minus, *plus;		/* "---" / "+++"; NULL: /dev/null */
	char *from, *to;		/* rename/copy from/to */
	int is_rename, is_copy, is_new, is_deleted, binary;
	unsigned old_mode, new_mode;	/* 0 when not given */
	size_t lineno;			/* of the first header line */
};

static void patch_file_release(struct patch_file *f)
{
	free(f->git_old);
	free(f->git_new);
	free(f->minus);
	free(f->plus);
	free(f->from);
	free(f->to);
	memset(f, 0, sizeof(*f));
}

static int check_path(const char *s, size_t len)
{
	return len && len <= PATCH_MAX_PATH && !memchr(s, '\0', len);
}

/*
 * Read a C-quoted name (git's quote_c_style) at s[0] == '"' into out.
 * Returns the number of bytes used, or 0 when it is malformed.
 */
static size_t unquote(struct sbuf *out, const char *s, size_t len)
{
	static const char esc[] = "abfnrtv\"\\", val[] = "\a\b\f\n\r\t\v\"\\";
	size_t i = 1;

	while (i < len && s[i] != '"') {
		const char *e;

		if (s[i] != '\\') {
			sbuf_addch(out, s[i++]);
		} else if (i + 1 < len && s[i + 1] &&
			   (e = strchr(esc, s[i + 1]))) {
			sbuf_addch(out, val[e - esc]);
			i += 2;
		} else if (i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
			   s[i + 2] >= '0' && s[i + 2] <= '7' &&
			   s[i + 3] >= '0' && s[i + 3] <= '7') {
			sbuf_addch(out, ((s[i + 1] - '0') << 6) |
				   ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
			i += 4;
		} else {
			return 0;
		}
	}
	if (i >= len)
		return 0;
	return i + 1;
}

/* A name from a "---"/"+++"/"rename from" line: quoted, or up to a tab. */
static char *read_name(const char *s, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	const char *tab;

	if (len && s[0] == '"') {
		if (!unquote(&sb, s, len))
			goto bad;
	} else {
		tab = memchr(s, '\t', len);
		sbuf_add(&sb, s, tab ? (size_t)(tab - s) : len);
	}
	if (!check_path(sb.buf, sb.len))
		goto bad;
	return sbuf_detach(&sb, NULL);
bad:
	sbuf_release(&sb);
	return NULL;
}

/* Are a and b (n bytes each) the same name, maybe after a prefix each? */
static int same_name(const char *a, const char *b, size_t n)
{
	const char *sa, *sb;

	if (!memcmp(a, b, n))
		return 1;
	sa = memchr(a, '/', n);
	sb = memchr(b, '/', n);
	return sa && sb && sa - a == sb - b &&
	       !memcmp(sa, sb, n - (size_t)(sa - a));
}

/*
 * The two names of "diff --git A B", needed only when no "---"/"+++" or
 * rename lines follow (mode changes, binary files, empty files). Then A
 * and B name the same file, so unquoted they split in the middle; quoted
 * names (git quotes both) are read as such. 0, or -1 when they cannot be
 * split.
 */
static int split_git_names(struct patch_file *f, const char *s, size_t len)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	size_t used, half = len / 2;

	if (len && s[0] == '"') {
		used = unquote(&a, s, len);
		if (!used || used + 1 >= len || s[used] != ' ' ||
		    s[used + 1] != '"' ||
		    unquote(&b, s + used + 1, len - used - 1) != len - used - 1)
			goto bad;
	} else {
		if (len % 2 != 1 || s[half] != ' ' ||
		    !same_name(s, s + half + 1, half))
			goto bad;
		sbuf_add(&a, s, half);
		sbuf_add(&b, s + half + 1, half);
	}
	if (!check_path(a.buf, a.len) || !check_path(b.buf, b.len))
		goto bad;
	f->git_old = sbuf_detach(&a, NULL);
	f->git_new = sbuf_detach(&b, NULL);
	return 0;
bad:
	sbuf_release(&a);
	sbuf_release(&b);
	return -1;
}

static int parse_mode(const char *s, size_t len, unsigned *out)
{
	unsigned v = 0;

	if (len != 6)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -1;
		v = v * 8 + (unsigned)(s[i] - '0');
	}
	if (v == 0100664)
		v = GIT_FILEMODE_BLOB;
	if (!is_regular(v) && v != GIT_FILEMODE_LINK &&
	    v != GIT_FILEMODE_COMMIT)
		return -1;
	*out = v;
	return 0;
}

/* "index <old>..<new>[ <mode>]": only the mode matters to us. */
static int parse_index_line(struct patch_file *f, const char *s, size_t len)
{
	const char *sp = memchr(s, ' ', len);
	size_t ids = sp ? (size_t)(sp - s) : len;
	unsigned mode;
	int dots = 0;

	for (size_t i = 0; i + 1 < ids; i++)
		dots |= s[i] == '.' && s[i + 1] == '.';
	if (!dots)
		return -1;
	if (!sp)
		return 0;
	if (parse_mode(sp + 1, len - (size_t)(sp + 1 - s), &mode) < 0)
		return -1;
	if (!f->old_mode)
		f->old_mode = mode;
	if (!f->new_mode)
		f->new_mode = mode;
	return 0;
}

/* Skip the data of a "GIT binary patch": up to the next file. */
static void skip_binary_patch(struct parser *p)
{
	advance(p);
	while (p->line && !at(p, "diff --git "))
		advance(p);
}

/* One line of the extended header; 1 handled, 0 not a header, -1 error. */
static int parse_ext_header(struct parser *p, struct patch_file *f)
{
	static const struct {
		const char *prefix;
		int kind;
	} hdrs[] = {
		{ "old mode ", 1 }, { "new mode ", 2 },
		{ "deleted file mode ", 3 }, { "new file mode ", 4 },
		{ "rename from ", 5 }, { "rename to ", 6 },
		{ "copy from ", 7 }, { "copy to ", 8 },
		{ "similarity index ", 0 }, { "dissimilarity index ", 0 },
		{ "index ", 9 }, { "Binary files ", 10 },
		{ "GIT binary patch", 11 },
	};
	const char *arg;
	size_t n, alen;

	for (size_t i = 0; i < sizeof(hdrs) / sizeof(*hdrs); i++) {
		if (!at(p, hdrs[i].prefix))
			continue;
		n = strlen(hdrs[i].prefix);
		arg = p->line + n;
		alen = p->hlen - n;
		switch (hdrs[i].kind) {
		case 1:
		case 3:
			if (hdrs[i].kind == 3)
				f->is_deleted = 1;
			if (parse_mode(arg, alen, &f->old_mode) < 0)
				return parse_error(p, "bad file mode");
			break;
		case 2:
		case 4:
			if (hdrs[i].kind == 4)
				f->is_new = 1;
			if (parse_mode(arg, alen, &f->new_mode) < 0)
				return parse_error(p, "bad file mode");
			break;
		case 5:
		case 7:
			f->is_rename |= hdrs[i].kind == 5;
			f->is_copy |= hdrs[i].kind == 7;
			free(f->from);
			if (!(f->from = read_name(arg, alen)))
				return parse_error(p, "bad file name");
			break;
		case 6:
		case 8:
			free(f->to);
			if (!(f->to = read_name(arg, alen)))
				return parse_error(p, "bad file name");
			break;
		case 9:
			if (parse_index_line(f, arg, alen) < 0)
				return parse_error(p, "bad 'index' line");
			break;
		case 10:
			f->binary = 1;
			break;
		case 11:
			f->binary = 1;
			skip_binary_patch(p);
			return 1;
		}
		advance(p);
		return 1;
	}
	return 0;
}

/* "--- a" then "+++ b"; the current line is "--- ". */
static int parse_minus_plus(struct parser *p, struct patch_file *f)
{
	const char *s;
	size_t len;

	for (int side = 0; side < 2; side++) {
		char **name = side ? &f->plus : &f->minus;

		if (side && !at(p, "+++ "))
			return parse_error(p, "'---' line without '+++' line");
		if (p->hlen > PATCH_MAX_HEADER_LINE)
			return parse_error(p, "header line too long");
		s = p->line + 4;
		len = p->hlen - 4;
		if (len >= 9 && !memcmp(s, "/dev/null", 9) &&
		    (len == 9 || s[9] == '\t')) {
			*name = NULL;
		} else if (!(*name = read_name(s, len))) {
			return parse_error(p, "bad file name");
		}
		advance(p);
	}
	f->has_minus_plus = 1;
	return 0;
}

static int parse_file_header(struct parser *p, struct patch_file *f)
{
	int ret;

	f->lineno = p->lineno;
	if (at(p, "diff --git ")) {
		f->git = 1;
		if (p->hlen > PATCH_MAX_HEADER_LINE)
			return parse_error(p, "header line too long");
		/* the names are needed only without "---"/"+++" lines */
		split_git_names(f, p->line + 11, p->hlen - 11);
		advance(p);
		while (p->line && !at(p, "diff --git ") && !at(p, "--- ") &&
		       !at(p, "@@ ")) {
			if (p->hlen > PATCH_MAX_HEADER_LINE)
				return parse_error(p, "header line too long");
			ret = parse_ext_header(p, f);
			if (ret < 0)
				return -1;
			if (!ret)
				break;
		}
	}
	if (at(p, "--- "))
		return parse_minus_plus(p, f);
	if (at(p, "@@ "))
		return parse_error(p, "hunk without '---' and '+++' lines");
	return 0;
}

static const char *strip_prefix(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (name && !strncmp(name, prefix, n) && name[n])
		return name + n;
	return name;
}

static int has_prefix(const char *name, const char *prefix)
{
	return !name || strip_prefix(name, prefix) != name;
}

/* Decide the old and new paths of f into fc; 0 or -1. */
static int resolve_names(struct parser *p, struct patch_file *f,
			 struct file_change *fc)
{
	const char *old_name, *new_name;
	int strip;

	if (f->has_minus_plus) {
		old_name = f->minus;
		new_name = f->plus;
	} else {
		old_name = f->is_new ? NULL : f->git_old;
		new_name = f->is_deleted ? NULL : f->git_new;
		if ((!old_name && !f->is_new) || (!new_name && !f->is_deleted))
			if (!(f->from && f->to))
				return header_error(p, f->lineno, "cannot "
						    "find the file names of "
						    "a 'diff --git' header",
						    NULL);
	}
	if (f->git && f->git_old)
		strip = has_prefix(f->git_old, "a/") &&
			has_prefix(f->git_new, "b/");
	else
		strip = (old_name || new_name) && has_prefix(old_name, "a/") &&
			has_prefix(new_name, "b/");
	if (strip) {
		old_name = strip_prefix(old_name, "a/");
		new_name = strip_prefix(new_name, "b/");
	}
	if (f->from && !f->is_new)
		old_name = f->from;
	if (f->to && !f->is_deleted)
		new_name = f->to;
	if (f->is_new)
		old_name = NULL;
	if (f->is_deleted)
		new_name = NULL;
	/* a plain diff -u does not rename: it changes the new name */
	if (!f->git && old_name && new_name)
		old_name = new_name;
	if (!old_name && !new_name)
		return header_error(p, f->lineno, "file absent on both sides",
				    NULL);
	fc->old_path = old_name ? xstrdup(old_name) : NULL;
	fc->new_path = new_name ? xstrdup(new_name) : NULL;
	if (!old_name)
		fc->status = CHANGE_ADDED;
	else if (!new_name)
		fc->status = CHANGE_DELETED;
	else if (f->is_copy)
		fc->status = CHANGE_COPIED;
	else if (f->is_rename || strcmp(old_name, new_name))
		fc->status = CHANGE_RENAMED;
	else
		fc->status = CHANGE_MODIFIED;
	return 0;
}

/* ------------------------------------------------------------------ */
/* diff_parse_unified: hunks */

/* Applying one file's hunks to its old contents. */
struct apply {
	int on;				/* apply, else check the shape */
	const char *path;		/* for messages */
	const char *old, *old_end;	/* the old lines not yet used */
	size_t old_nr;			/* lines of the old contents */
	size_t old_line;		/* old lines used so far */
	size_t new_line;		/* lines written to new_data */
	size_t new_floor;		/* end of the last hunk, new side */
	char last_kind;			/* of the last hunk line, or 0 */
	int new_closed;			/* the new side has ended */
	int old_crlf;			/* the old lines end in CRLF */
	int crlf;			/* the hunk's lines end in CRLF */
	struct file_change *fc;
};

/* Does the first line end in CRLF? */
static int ends_in_crlf(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);

	return nl && nl > s && nl[-1] == '\r';
}

/* The next old line, with its "\n" if it has one. */
static const char *old_next(struct apply *a, size_t *len)
{
	const char *s = a->old, *nl;

	nl = memchr(s, '\n', (size_t)(a->old_end - s));
	*len = nl ? (size_t)(nl - s) + 1 : (size_t)(a->old_end - s);
	a->old += *len;
	a->old_line++;
	return s;
}

/* Copy old lines to the new contents until old_line == upto. */
static void copy_old(struct apply *a, size_t upto)
{
	size_t len;
	const char *s;

	while (a->old_line < upto) {
		s = old_next(a, &len);
		if (a->on)
			sbuf_add(&a->fc->new_data, s, len);
		a->new_line++;
	}
}

static int same_line(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen && a[alen - 1] == '\n')
		alen--;
	if (alen && a[alen - 1] == '\r')
		alen--;
	if (blen && b[blen - 1] == '\r')
		blen--;
	return alen == blen && !memcmp(a, b, alen);
}

static int parse_number(const char **s, const char *end, unsigned long *out)
{
	unsigned long v = 0;
	const char *q = *s;

	if (q >= end || *q < '0' || *q > '9')
		return -1;
	while (q < end && *q >= '0' && *q <= '9') {
		v = v * 10 + (unsigned long)(*q++ - '0');
		if (v > HUNK_MAX_LINES)
			return -1;
	}
	*s = q;
	*out = v;
	return 0;
}

/* One range of a hunk header: "-start[,count]" or "+start[,count]". */
static int parse_hunk_range(const char **s, const char *end, char sign,
			    unsigned long *start, unsigned long *count)
{
	if (*s >= end || **s != sign)
		return -1;
	(*s)++;
	if (parse_number(s, end, start) < 0)
		return -1;
	*count = 1;
	if (*s < end && **s == ',') {
		(*s)++;
		if (parse_number(s, end, count) < 0)
			return -1;
	}
	if (*count && !*start)
		return -1;
	return 0;
}

static int parse_hunk_header(struct parser *p, unsigned long *os,
			     unsigned long *oc, unsigned long *ns,
			     unsigned long *nc)
{
	const char *s = p->line + 3, *end = p->line + p->hlen;

	if (parse_hunk_range(&s, end, '-', os, oc) < 0 || s >= end || *s++ != ' ' ||
	    parse_hunk_range(&s, end, '+', ns, nc) < 0 ||
	    (size_t)(end - s) < 3 || memcmp(s, " @@", 3))
		return parse_error(p, "bad hunk header");
	return 0;
}

static int hunk_mismatch(const struct parser *p, const struct apply *a)
{
	return error("'%s' line %zu: hunk does not apply to '%s'", p->what,
		     p->lineno, a->path);
}

/* One line of a hunk body; kind is ' ', '-' or '+'. */
static int hunk_line(struct parser *p, struct apply *a, char kind,
		     const char *text, size_t len)
{
	const char *old = NULL;
	size_t olen = 0;

	if (kind != '-' && a->new_closed)
		return parse_error(p, "line after the end of the new file");
	if (kind != '+') {
		if (a->on) {
			if (a->old_line >= a->old_nr)
				return hunk_mismatch(p, a);
			old = old_next(a, &olen);
			if (!same_line(old, olen, text, len))
				return hunk_mismatch(p, a);
		} else {
			a->old_line++;
		}
	}
	a->last_kind = kind;
	if (kind == '-') {
		add_old_range(a->fc, a->old_line, 1);
		return 0;
	}
	a->new_line++;
	if (kind == '+')
		add_new_range(a->fc, a->new_line, 1);
	if (!a->on)
		return 0;
	if (kind == ' ') {
		sbuf_add(&a->fc->new_data, old, olen);
		return 0;
	}
	sbuf_add(&a->fc->new_data, text, len);
	/* a patch turned to CRLF: new lines end like the old ones */
	if (a->crlf && a->old_crlf)
		sbuf_addch(&a->fc->new_data, '\r');
	sbuf_addch(&a->fc->new_data, '\n');
	if (a->fc->new_data.len > DIFF_MAX_FILE) {
		/* too large: keep checking the shape only */
		a->on = 0;
		a->fc->binary = 1;
	}
	return 0;
}

/*
 * "\ No newline at end of file": the line before it is the last of its
 * side (old for ' ' and '-', new for ' ' and '+'); after a '+' line the
 * "\n" we wrote goes. 0 or -1.
 */
static int no_newline(struct parser *p, struct apply *a)
{
	struct sbuf *nd = &a->fc->new_data;
	char kind = a->last_kind;

	if (!kind)
		return parse_error(p, "misplaced '\\' line");
	if (kind != '+' && a->on && a->old_line != a->old_nr)
		return parse_error(p, "'\\' line before the end of the file");
	a->last_kind = 0;
	if (kind == '-')
		return 0;
	a->new_closed = 1;
	if (kind != '+' || !a->on || !nd->len || nd->buf[nd->len - 1] != '\n')
		return 0;
	sbuf_setlen(nd, nd->len - 1);
	if (a->crlf && a->old_crlf && nd->len && nd->buf[nd->len - 1] == '\r')
		sbuf_setlen(nd, nd->len - 1);
	/* an empty last line without its newline is no line at all: git
	 * never writes one, and the hunk would count a line the file lacks */
	if (!nd->len || nd->buf[nd->len - 1] == '\n')
		return parse_error(p, "'\\' line after an empty '+' line");
	return 0;
}

/* The body of a hunk, after its header line. crlf: the patch's own lines
 * end in CRLF, so the "\r" of each line is not part of the text. */
static int hunk_body(struct parser *p, struct apply *a, unsigned long oc,
		     unsigned long nc, int crlf)
{
	while (oc || nc) {
		char kind;
		size_t len;

		advance(p);
		if (!p->line)
			return parse_error(p, "patch ends inside a hunk");
		len = crlf ? p->hlen : p->len;
		kind = len ? p->line[0] : ' ';
		if (kind == '\\') {
			if (no_newline(p, a) < 0)
				return -1;
			continue;
		}
		if (kind != ' ' && kind != '-' && kind != '+')
			return parse_error(p, "hunk has fewer lines than "
					   "its header says");
		if ((kind != '+' && !oc) || (kind != '-' && !nc))
			return parse_error(p, "hunk has more lines than "
					   "its header says");
		if (len > DIFF_MAX_FILE)
			return parse_error(p, "line too long");
		if (hunk_line(p, a, kind, len ? p->line + 1 : "",
			      len ? len - 1 : 0) < 0)
			return -1;
		if (kind != '+')
			oc--;
		if (kind != '-')
			nc--;
	}
	advance(p);
	if (at(p, "\\")) {
		if (no_newline(p, a) < 0)
			return -1;
		advance(p);
	}
	return 0;
}

static int apply_hunk(struct parser *p, struct apply *a)
{
	unsigned long os, oc, ns, nc;
	size_t old_begin, new_begin;
	int crlf = p->len != p->hlen;

	a->crlf = crlf;
	a->last_kind = 0;
	if (parse_hunk_header(p, &os, &oc, &ns, &nc) < 0)
		return -1;
	old_begin = oc ? os - 1 : os;
	new_begin = nc ? ns - 1 : ns;
	if (old_begin < a->old_line || new_begin < a->new_floor)
		return parse_error(p, "hunks out of order");
	if (a->on && old_begin + oc > a->old_nr)
		return error("'%s' line %zu: hunk does not apply to '%s': "
			     "beyond its end", p->what, p->lineno, a->path);
	if (a->new_closed && old_begin > a->old_line)
		return parse_error(p, "hunk after the end of the new file");
	if (a->on)
		copy_old(a, old_begin);
	else
		a->old_line = old_begin;
	a->new_floor = new_begin + nc;
	return hunk_body(p, a, oc, nc, crlf);
}

/* A line left over after a hunk that looks like hunk lines. */
static int stray_hunk_line(const struct parser *p)
{
	if (!p->line || !p->len)
		return 0;
	if (p->line[0] == ' ' || p->line[0] == '+')
		return !at(p, "+++ ");
	if (p->line[0] != '-')
		return 0;
	/* "--- " starts the next plain diff; "-- " ends a mail */
	return !at(p, "--- ") && !(p->hlen == 3 && at(p, "-- "));
}

/* ------------------------------------------------------------------ */
/* diff_parse_unified: one file */

static unsigned tree_mode(const git_tree_entry *e)
{
	return (unsigned)git_tree_entry_filemode(e);
}

/* Find the old side in the base tree and load it when it is a regular,
 * text file. 0 or -1 (missing from the base, or a directory there). */
static int load_old(struct parser *p, struct patch_file *f,
		    struct file_change *fc)
{
	git_tree_entry *e = NULL;
	unsigned mode;
	int ret = 0, too_large = 0;

	if (!p->tree || git_tree_entry_bypath(&e, p->tree, fc->old_path) < 0)
		return header_error(p, f->lineno, "is not in the base commit",
				    fc->old_path);
	mode = tree_mode(e);
	if (mode == GIT_FILEMODE_TREE) {
		ret = header_error(p, f->lineno, "is a directory in the base "
				   "commit", fc->old_path);
		goto done;
	}
	if (!f->old_mode)
		f->old_mode = mode;
	if (mode == GIT_FILEMODE_COMMIT)
		fc->submodule = 1;
	if (fc->binary || fc->submodule || !is_regular(mode))
		goto done;
	ret = load_blob(&fc->old_data, &too_large, p->repo,
			git_tree_entry_id(e), fc->old_path, NULL);
	if (ret)
		goto done;
	fc->has_old = 1;
	if (too_large || looks_binary(&fc->old_data)) {
		fc->binary = 1;
		drop_contents(fc);
	}
done:
	git_tree_entry_free(e);
	return ret;
}

/* The new contents are complete: check and classify them. */
static int finish_file(struct parser *p, struct patch_file *f,
		       struct file_change *fc, struct apply *a)
{
	if (!a->on) {
		drop_contents(fc);
		return 0;
	}
	if (a->new_closed && a->old_line < a->old_nr)
		return error("'%s' line %zu: hunk does not apply to '%s': "
			     "lines after its end", p->what, p->lineno,
			     a->path);
	copy_old(a, a->old_nr);
	if (fc->status == CHANGE_DELETED) {
		if (fc->new_data.len)
			return error("'%s' line %zu: deletion of '%s' leaves "
				     "lines behind", p->what, p->lineno,
				     fc->old_path);
		sbuf_release(&fc->new_data);
	} else {
		fc->has_new = 1;
	}
	if (looks_binary(&fc->new_data)) {
		fc->binary = 1;
		drop_contents(fc);
	}
	if (fc->status == CHANGE_MODIFIED && f->old_mode != f->new_mode &&
	    !fc->old_nr && !fc->new_nr && !fc->binary)
		fc->mode_only = 1;
	return 0;
}

/* Parse one file from its header, apply its hunks, fill fc. */
static int parse_file(struct parser *p, struct patch_file *f,
		      struct file_change *fc)
{
	struct apply a = { 0 };
	size_t hunks = 0;

	if (parse_file_header(p, f) < 0 || resolve_names(p, f, fc) < 0)
		return -1;
	fc->binary = f->binary;
	if (fc->old_path && load_old(p, f, fc) < 0)
		return -1;
	if (!f->new_mode && fc->new_path)
		f->new_mode = f->old_mode ? f->old_mode : GIT_FILEMODE_BLOB;
	if (f->old_mode == GIT_FILEMODE_COMMIT ||
	    f->new_mode == GIT_FILEMODE_COMMIT)
		fc->submodule = 1;
	a.on = !fc->binary && !fc->submodule &&
	       (!fc->old_path || fc->has_old) &&
	       (!fc->new_path || is_regular(f->new_mode));
	a.path = fc->old_path ? fc->old_path : fc->new_path;
	a.old = fc->old_data.buf;
	a.old_end = fc->old_data.buf + fc->old_data.len;
	a.old_nr = count_lines(fc->old_data.buf, fc->old_data.len);
	a.old_crlf = ends_in_crlf(fc->old_data.buf, fc->old_data.len);
	a.fc = fc;
	for (; at(p, "@@ "); hunks++)
		if (apply_hunk(p, &a) < 0)
			return -1;
	if (hunks && stray_hunk_line(p))
		return parse_error(p, "hunk has more lines than its header "
				   "says");
	return finish_file(p, f, fc, &a);
}

/* git splits a type change into a deletion and an addition: join them. */
static int join_typechange(struct change_set *set, struct file_change *fc)
{
	struct file_change *prev = set->nr ? &set->items[set->nr - 1] : NULL;

	if (fc->status != CHANGE_ADDED || !prev ||
	    prev->status != CHANGE_DELETED || strcmp(prev->old_path,
						     fc->new_path))
		return 0;
	prev->status = CHANGE_TYPECHANGE;
	prev->new_path = fc->new_path;
	fc->new_path = NULL;
	prev->binary |= fc->binary;
	prev->submodule |= fc->submodule;
	prev->has_new = fc->has_new;
	sbuf_release(&prev->new_data);
	prev->new_data = fc->new_data;
	sbuf_init(&fc->new_data, 0);
	free(prev->new_ranges);
	prev->new_ranges = fc->new_ranges;
	prev->new_nr = fc->new_nr;
	prev->new_alloc = fc->new_alloc;
	fc->new_ranges = NULL;
	fc->new_nr = fc->new_alloc = 0;
	if (prev->binary)
		drop_contents(prev);
	file_change_release(fc);
	return 1;
}

static int check_unique(const struct parser *p, const struct change_set *set)
{
	for (size_t i = 1; i < set->nr; i++)
		if (!strcmp(change_key(&set->items[i - 1]),
			    change_key(&set->items[i])))
			return error("cannot parse '%s': '%s' is changed more "
				     "than once", p->what,
				     change_key(&set->items[i]));
	return 0;
}

/* Only spaces and tabs (a "\r" was cut already). */
static int is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int diff_parse_unified(struct change_set *out, git_repository *repo,
		       const git_commit *base, const char *buf, size_t len,
		       const char *what)
{
	struct parser p = { what, buf, buf ? buf + len : buf, NULL, 0, 0, 0,
			    repo, NULL };
	struct patch_file f = { 0 };
	struct file_change fc;
	size_t skipped = 0;	/* the first line that was not blank, skipped */
	const char *why = NULL;
	int ret = -1;

	file_change_init(&fc);
	if (len > DIFF_MAX_PATCH)
		return error("cannot parse '%s': larger than %zu bytes", what,
			     DIFF_MAX_PATCH);
	if (base && git_commit_tree(&p.tree, base) < 0) {
		error_git("cannot read the tree of commit '%s'",
			  git_oid_tostr_s(git_commit_id(base)));
		goto cleanup;
	}
	advance(&p);
	while (p.line) {
		if (at(&p, "@@ ")) {
			parse_error(&p, "hunk without a file header");
			goto cleanup;
		}
		if (!at(&p, "diff --git ") &&
		    !(at(&p, "--- ") && next_starts_with(&p, "+++ "))) {
			if (!skipped && !is_blank(p.line, p.hlen)) {
				skipped = p.lineno;
				why = at(&p, "--- ") ?
					"'---' line without '+++' line" :
					"not a diff: no 'diff --git' or "
					"'---'/'+++' file header";
			}
			advance(&p);
			continue;
		}
		if (out->nr >= PATCH_MAX_FILES) {
			parse_error(&p, "too many files");
			goto cleanup;
		}
		if (parse_file(&p, &f, &fc) < 0)
			goto cleanup;
		patch_file_release(&f);
		if (!join_typechange(out, &fc))
			change_set_take(out, &fc);
	}
	/* text around file sections is fine (a commit message); text alone
	 * is not an empty diff */
	if (!out->nr && skipped) {
		header_error(&p, skipped, why, NULL);
		goto cleanup;
	}
	change_set_sort(out);
	ret = check_unique(&p, out);
cleanup:
	patch_file_release(&f);
	file_change_release(&fc);
	git_tree_free(p.tree);
	if (ret)
		change_set_release(out);
	return ret;
}
