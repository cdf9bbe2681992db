/* repo.c - the repository as git-covopt sees it: open it, resolve revisions, read files at a commit.
 * Every libgit2 failure becomes one line naming the revision, path or key involved. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <git2/sys/repository.h>
#include "relative-id.h"
#include "repo.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* $name when set and not empty, else NULL. */
static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/*
 * Is path (the work tree asked for) already repo's work tree? libgit2 1.5's
 * git_repository_set_workdir() leaks its buffer when nothing changes.
 */
static int is_workdir(git_repository *repo, const char *path)
{
	const char *current = git_repository_workdir(repo);
	char *real = realpath(path, NULL);
	size_t n = real ? strlen(real) : 0;
	int same;

	same = current && real && !strncmp(current, real, n) &&
	       (!strcmp(current + n, "/") || !current[n]);
	free(real);
	return same;
}

/*
 * The work tree git would use: $GIT_WORK_TREE; else, with $GIT_DIR set, a
 * repository that is neither bare nor has core.worktree works in the
 * current directory; else the one libgit2 found. 0 or -1.
 */
static int set_work_tree(git_repository *repo, const char *git_dir)
{
	const char *work_tree = env("GIT_WORK_TREE");
	char *configured = NULL;
	char cwd[4096];

	if (!work_tree && git_dir && !git_repository_is_bare(repo)) {
		configured = repo_config_string(repo, "core.worktree");
		if (!configured && getcwd(cwd, sizeof(cwd)))
			work_tree = cwd;
		free(configured);
	}
	if (work_tree && !is_workdir(repo, work_tree) &&
	    git_repository_set_workdir(repo, work_tree, 0) < 0)
		return error_git("cannot use work tree '%s'", work_tree);
	return 0;
}

int repo_open(git_repository **out)
{
	const char *git_dir = env("GIT_DIR");
	const char *index_file = env("GIT_INDEX_FILE");
	git_index *index = NULL;
	int r;

	*out = NULL;
	if (git_dir)
		r = git_repository_open_ext(out, git_dir,
					    GIT_REPOSITORY_OPEN_NO_SEARCH,
					    NULL);
	else
		r = git_repository_open_ext(out, ".", 0,
					    env("GIT_CEILING_DIRECTORIES"));
	if (r < 0 && git_dir)
		return error_git("not a git repository: '%s'", git_dir);
	if (r < 0)
		return error_git("not a git repository");
	if (set_work_tree(*out, git_dir) < 0)
		goto fail;
	if (index_file) {
		if (git_index_open(&index, index_file) < 0) {
			error_git("cannot read index file '%s'", index_file);
			goto fail;
		}
		git_repository_set_index(*out, index);
		git_index_free(index);
	}
	return 0;
fail:
	git_repository_free(*out);
	*out = NULL;
	return -1;
}

int repo_resolve_commit(git_commit **out, git_repository *repo,
			const char *rev)
{
	git_object *obj = NULL;
	int ret;

	*out = NULL;
	if (git_revparse_single(&obj, repo, rev) < 0)
		return error("bad revision '%s'", rev);
	ret = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (ret < 0)
		return error("'%s' does not name a commit", rev);
	return 0;
}

int repo_read_blob(struct sbuf *out, git_repository *repo, const git_oid *id,
		   size_t max)
{
	git_blob *blob = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	git_object_size_t size;

	sbuf_reset(out);
	git_oid_tostr(hex, sizeof(hex), id);
	if (git_blob_lookup(&blob, repo, id) < 0)
		return error_git("cannot read blob '%s'", hex);
	size = git_blob_rawsize(blob);
	if (size > max) {
		git_blob_free(blob);
		return error("blob '%s' is too large (%llu bytes)", hex,
			     (unsigned long long)size);
	}
	sbuf_add(out, git_blob_rawcontent(blob), (size_t)size);
	git_blob_free(blob);
	return 0;
}

struct list_state {
	struct repo_tree_files *out;
	struct sbuf path;
};

static int list_cb(const char *root, const git_tree_entry *entry,
		   void *payload)
{
	struct list_state *st = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);
	struct repo_entry *e;

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0;
	sbuf_reset(&st->path);
	sbuf_addstr(&st->path, root);
	sbuf_addstr(&st->path, git_tree_entry_name(entry));
	ALLOC_GROW(st->out->items, st->out->nr + 1, st->out->alloc);
	e = &st->out->items[st->out->nr++];
	e->path = xmemdupz(st->path.buf, st->path.len);
	git_oid_cpy(&e->blob, git_tree_entry_id(entry));
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct repo_entry *)a)->path,
		      ((const struct repo_entry *)b)->path);
}

int repo_list_files(struct repo_tree_files *out, git_repository *repo,
		    const git_commit *commit)
{
	struct list_state st = { .out = out, .path = SBUF_INIT };
	git_tree *tree = NULL;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (git_commit_tree(&tree, commit) < 0) {
		error_git("cannot read the tree of commit '%s'",
			  git_oid_tostr_s(git_commit_id(commit)));
		goto cleanup;
	}
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, list_cb, &st) < 0) {
		error_git("cannot walk the tree of commit '%s'",
			  git_oid_tostr_s(git_commit_id(commit)));
		goto cleanup;
	}
	qsort(out->items, out->nr, sizeof(*out->items), cmp_entry);
	for (size_t i = 0; i < out->nr; i++)
		strlist_append(&out->paths, out->items[i].path);
	ret = 0;
cleanup:
	sbuf_release(&st.path);
	git_tree_free(tree);
	if (ret)
		repo_tree_files_release(out);
	return ret;
}

void repo_tree_files_release(struct repo_tree_files *files)
{
	for (size_t i = 0; i < files->nr; i++)
		free(files->items[i].path);
	free(files->items);
	strlist_release(&files->paths);
	memset(files, 0, sizeof(*files));
}

char *repo_config_string(git_repository *repo, const char *key)
{
	git_config *cfg = NULL;
	git_buf buf = { 0 };
	char *value = NULL;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return NULL;
	if (!git_config_get_string_buf(&buf, cfg, key))
		value = xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	git_config_free(cfg);
	return value;
}

int repo_config_bool(git_repository *repo, const char *key, int dflt,
		     int *out)
{
	git_config *cfg = NULL;
	int ret;

	*out = dflt;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return 0;
	ret = git_config_get_bool(out, cfg, key);
	git_config_free(cfg);
	if (ret == GIT_ENOTFOUND) {
		*out = dflt;
		return 0;
	}
	if (ret < 0)
		return error("bad value for config '%s': %s", key,
			     git_error_text());
	return 0;
}

int repo_config_int(git_repository *repo, const char *key, long dflt,
		    long *out)
{
	git_config *cfg = NULL;
	int64_t v;
	int ret;

	*out = dflt;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return 0;
	ret = git_config_get_int64(&v, cfg, key);
	git_config_free(cfg);
	if (ret == GIT_ENOTFOUND)
		return 0;
	if (ret < 0)
		return error("bad value for config '%s': %s", key,
			     git_error_text());
	*out = (long)v;
	return 0;
}

int repo_signature(git_signature **out, git_repository *repo)
{
	const char *name = getenv("GIT_COMMITTER_NAME");
	const char *email = getenv("GIT_COMMITTER_EMAIL");

	if (name && *name && email && *email &&
	    !git_signature_now(out, name, email))
		return 0;
	if (!git_signature_default(out, repo))
		return 0;
	return git_signature_now(out, "git-covopt", "git-covopt@localhost");
}

char *repo_prefix(git_repository *repo)
{
	const char *workdir = git_repository_workdir(repo);
	char *top = workdir ? realpath(workdir, NULL) : NULL;
	char *cwd = top ? realpath(".", NULL) : NULL;
	char *prefix = relative_prefix(top && cwd ? top : "", cwd ? cwd : "");

	free(top);
	free(cwd);
	return prefix;
}
