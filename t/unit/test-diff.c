/* test-diff.c - unit tests for the change: unified diffs parsed against a base commit, and libgit2 diffs.
 * A throw-away repository is built with libgit2; the expected line ranges are those git diff -U0 prints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include "diff.h"
#include "sbuf.h"
#include "strlist.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof(*(a)))

/* ------------------------------------------------------------------ */
/* the repository: a base commit and a head commit */

struct file {
	const char *path;
	const char *data;
	size_t len;
	unsigned mode;
};

#define REG(p, s) { p, s, sizeof(s) - 1, GIT_FILEMODE_BLOB }
#define EXE(p, s) { p, s, sizeof(s) - 1, GIT_FILEMODE_BLOB_EXECUTABLE }
#define LNK(p, s) { p, s, sizeof(s) - 1, GIT_FILEMODE_LINK }
#define SUB(p) { p, NULL, 0, GIT_FILEMODE_COMMIT }

#define A_PY_BASE \
	"import os\n\n\ndef one():\n    return 1\n\n\ndef two():\n" \
	"    return 2\n\n\ndef three():\n    return 3\n"
#define A_PY_HEAD \
	"\n\ndef one():\n    return 1\n\n\ndef two(x):\n    return 2\n\n\n" \
	"def three():\n    return 3\n\n\ndef four():\n    return 4\n"
#define C_PY \
	"value_1 = 1 * 2\nvalue_2 = 2 * 2\nvalue_3 = 3 * 2\n" \
	"value_4 = 4 * 2\nvalue_5 = 5 * 2\nvalue_6 = 6 * 2\n" \
	"value_7 = 7 * 2\nvalue_8 = 8 * 2\nvalue_9 = 9 * 2\n" \
	"value_10 = 10 * 2\nvalue_11 = 11 * 2\nvalue_12 = 12 * 2\n"
#define D_PY \
	"value_1 = 1 * 2\nvalue_2 = 2 * 2\nvalue_3 = 3 * 2\n" \
	"value_4 = 4 * 2\nvalue_5 = 5 * 2\nvalue_6 = 6 * 2\n" \
	"value_7 = 70 * 2\nvalue_8 = 8 * 2\nvalue_9 = 9 * 2\n" \
	"value_10 = 10 * 2\nvalue_11 = 11 * 2\nvalue_12 = 12 * 2\n"

static const struct file base_files[] = {
	REG("a.py", A_PY_BASE),
	REG("b.txt", "alpha\nbeta\ngamma"),
	REG("bin.dat", "BIN\0\1\2data\n"),
	REG("caf\303\251.py", "x = 1\n"),
	REG("crlf.txt", "one\r\ntwo\r\nthree\r\n"),
	REG("dir/c.py", C_PY),
	REG("gone.py", "x = 1\ny = 2\n"),
	LNK("link", "a.py"),
	REG("run.sh", "#!/bin/sh\necho hi\n"),
	REG("sp ace.py", "y = 1\n"),
	SUB("sub"),
};

static const struct file head_files[] = {
	REG("a.py", A_PY_HEAD),
	REG("b.txt", "alpha\nBETA\ngamma\n"),
	REG("bin.dat", "BIN\0\1\3data\n"),
	REG("caf\303\251.py", "x = 1\n"),
	REG("crlf.txt", "one\r\nTWO\r\nthree\r\n"),
	REG("dir/d.py", D_PY),
	REG("link", "not a link\n"),
	REG("new.py", "print('new')\n"),
	EXE("run.sh", "#!/bin/sh\necho hi\n"),
	REG("sp ace.py", "y = 1\n"),
	SUB("sub"),
};

static char repo_dir[64];
static git_repository *repo;
static git_commit *base, *head;

static const struct file *find_file(const struct file *files, size_t nr,
				    const char *path)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(files[i].path, path))
			return &files[i];
	return NULL;
}

static void check_git(int ret)
{
	if (ret < 0)
		fail_msg("libgit2: %s", git_error_last() ?
			 git_error_last()->message : "?");
}

static git_commit *make_commit(const struct file *files, size_t nr,
			       git_commit *parent)
{
	git_index *idx = NULL;
	git_oid tree_id, commit_id;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_commit *commit = NULL;
	const git_commit *parents[1] = { parent };

	check_git(git_index_new(&idx));
	for (size_t i = 0; i < nr; i++) {
		git_index_entry e;

		memset(&e, 0, sizeof(e));
		e.mode = files[i].mode;
		e.path = files[i].path;
		if (files[i].mode == GIT_FILEMODE_COMMIT)
			check_git(git_oid_fromstr(&e.id, "0123456789abcdef"
						  "0123456789abcdef01234567"));
		else
			check_git(git_blob_create_from_buffer(&e.id, repo,
					files[i].data, files[i].len));
		check_git(git_index_add(idx, &e));
	}
	check_git(git_index_write_tree_to(&tree_id, idx, repo));
	check_git(git_tree_lookup(&tree, repo, &tree_id));
	check_git(git_signature_new(&sig, "T", "t@example.com", 1700000000, 0));
	check_git(git_commit_create(&commit_id, repo, NULL, sig, sig, NULL,
				    parent ? "head" : "base", tree,
				    parent ? 1 : 0, parents));
	check_git(git_commit_lookup(&commit, repo, &commit_id));
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
	return commit;
}

static int setup_repo(void **state)
{
	git_libgit2_init();
	snprintf(repo_dir, sizeof(repo_dir), "/tmp/test-diff-XXXXXX");
	if (!mkdtemp(repo_dir))
		return -1;
	if (git_repository_init(&repo, repo_dir, 0) < 0)
		return -1;
	base = make_commit(base_files, ARRAY_SIZE(base_files), NULL);
	head = make_commit(head_files, ARRAY_SIZE(head_files), base);
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static int teardown_repo(void **state)
{
	git_commit_free(head);
	git_commit_free(base);
	git_repository_free(repo);
	nftw(repo_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	git_libgit2_shutdown();
	return 0;
}

/* ------------------------------------------------------------------ */
/* expectations */

struct want {
	enum change_status status;
	const char *old_path, *new_path;
	const char *old_ranges, *new_ranges;	/* "7,1 13,4"; "" none */
	int binary, mode_only, submodule;
	int has_old, has_new;	/* base's old_path, head's new_path */
	const char *new_data;	/* else this */
};

static void format_ranges(struct sbuf *sb, const struct line_range *r,
			  size_t nr)
{
	sbuf_reset(sb);
	for (size_t i = 0; i < nr; i++)
		sbuf_addf(sb, "%s%u,%u", i ? " " : "", r[i].start, r[i].count);
}

static void check_data(const char *name, const char *side, const char *path,
		       const struct sbuf *got, const char *want, size_t len)
{
	if (got->len != len || memcmp(got->buf, want, len))
		fail_msg("%s: %s contents of '%s' differ (%zu bytes, want %zu)",
			 name, side, path, got->len, len);
}

static void check_change(const char *name, const struct file_change *fc,
			 const struct want *w, const struct file *new_files,
			 size_t new_nr)
{
	struct sbuf sb = SBUF_INIT;
	const struct file *f;

	if (fc->status != w->status)
		fail_msg("%s: status of '%s' is %d, want %d", name,
			 w->new_path ? w->new_path : w->old_path,
			 (int)fc->status, (int)w->status);
	if ((fc->old_path || w->old_path) &&
	    (!fc->old_path || !w->old_path ||
	     strcmp(fc->old_path, w->old_path)))
		fail_msg("%s: old path '%s', want '%s'", name,
			 fc->old_path ? fc->old_path : "(null)",
			 w->old_path ? w->old_path : "(null)");
	if ((fc->new_path || w->new_path) &&
	    (!fc->new_path || !w->new_path ||
	     strcmp(fc->new_path, w->new_path)))
		fail_msg("%s: new path '%s', want '%s'", name,
			 fc->new_path ? fc->new_path : "(null)",
			 w->new_path ? w->new_path : "(null)");
	if (fc->binary != w->binary || fc->mode_only != w->mode_only ||
	    fc->submodule != w->submodule || fc->has_old != w->has_old ||
	    fc->has_new != w->has_new)
		fail_msg("%s: '%s': binary %d mode_only %d submodule %d "
			 "has_old %d has_new %d, want %d %d %d %d %d", name,
			 w->new_path ? w->new_path : w->old_path, fc->binary,
			 fc->mode_only, fc->submodule, fc->has_old,
			 fc->has_new, w->binary, w->mode_only, w->submodule,
			 w->has_old, w->has_new);
	format_ranges(&sb, fc->old_ranges, fc->old_nr);
	if (strcmp(sb.buf, w->old_ranges))
		fail_msg("%s: old ranges of '%s' are '%s', want '%s'", name,
			 w->old_path, sb.buf, w->old_ranges);
	format_ranges(&sb, fc->new_ranges, fc->new_nr);
	if (strcmp(sb.buf, w->new_ranges))
		fail_msg("%s: new ranges of '%s' are '%s', want '%s'", name,
			 w->new_path, sb.buf, w->new_ranges);
	if (w->has_old) {
		f = find_file(base_files, ARRAY_SIZE(base_files), w->old_path);
		assert_non_null(f);
		check_data(name, "old", w->old_path, &fc->old_data, f->data,
			   f->len);
	} else {
		assert_int_equal(fc->old_data.len, 0);
	}
	if (w->has_new && w->new_data) {
		check_data(name, "new", w->new_path, &fc->new_data,
			   w->new_data, strlen(w->new_data));
	} else if (w->has_new) {
		f = find_file(new_files, new_nr, w->new_path);
		assert_non_null(f);
		check_data(name, "new", w->new_path, &fc->new_data, f->data,
			   f->len);
	} else {
		assert_int_equal(fc->new_data.len, 0);
	}
	sbuf_release(&sb);
}

static void check_set(const char *name, const struct change_set *set,
		      const struct want *want, size_t nr,
		      const struct file *new_files, size_t new_nr)
{
	if (set->nr != nr)
		fail_msg("%s: %zu changed files, want %zu", name, set->nr, nr);
	for (size_t i = 0; i < nr; i++)
		check_change(name, &set->items[i], &want[i], new_files,
			     new_nr);
}

/* base -> head, in path order; ranges from git diff -U0 */
static const struct want full_want[] = {
	{ CHANGE_MODIFIED, "a.py", "a.py", "1,1 8,1", "7,1 13,4",
	  0, 0, 0, 1, 1, NULL },
	{ CHANGE_MODIFIED, "b.txt", "b.txt", "2,2", "2,2", 0, 0, 0, 1, 1,
	  NULL },
	{ CHANGE_MODIFIED, "bin.dat", "bin.dat", "", "", 1, 0, 0, 0, 0,
	  NULL },
	{ CHANGE_MODIFIED, "crlf.txt", "crlf.txt", "2,1", "2,1", 0, 0, 0,
	  1, 1, NULL },
	{ CHANGE_RENAMED, "dir/c.py", "dir/d.py", "7,1", "7,1", 0, 0, 0,
	  1, 1, NULL },
	{ CHANGE_DELETED, "gone.py", NULL, "1,2", "", 0, 0, 0, 1, 0, NULL },
	{ CHANGE_TYPECHANGE, "link", "link", "", "1,1", 0, 0, 0, 0, 1,
	  NULL },
	{ CHANGE_ADDED, NULL, "new.py", "", "1,1", 0, 0, 0, 0, 1, NULL },
	{ CHANGE_MODIFIED, "run.sh", "run.sh", "", "", 0, 1, 0, 1, 1, NULL },
};

static const struct want a_py_want[] = {
	{ CHANGE_MODIFIED, "a.py", "a.py", "1,1 8,1", "7,1 13,4",
	  0, 0, 0, 1, 1, NULL },
};

static const struct want b_txt_want[] = {
	{ CHANGE_MODIFIED, "b.txt", "b.txt", "2,2", "2,2", 0, 0, 0, 1, 1,
	  NULL },
};

static const struct want bin_want[] = {
	{ CHANGE_MODIFIED, "bin.dat", "bin.dat", "", "", 1, 0, 0, 0, 0,
	  NULL },
};

static const struct want names_want[] = {
	{ CHANGE_MODIFIED, "caf\303\251.py", "caf\303\251.py", "1,1", "1,1",
	  0, 0, 0, 1, 1, "x = 2\n" },
	{ CHANGE_MODIFIED, "sp ace.py", "sp ace.py", "1,1", "1,1",
	  0, 0, 0, 1, 1, "y = 2\n" },
};

static const struct want empty_want[] = {
	{ CHANGE_ADDED, NULL, "empty.py", "", "", 0, 0, 0, 0, 1, "" },
};

static const struct want sub_want[] = {
	{ CHANGE_MODIFIED, "sub", "sub", "", "", 0, 0, 1, 0, 0, NULL },
};

static const struct want copy_want[] = {
	{ CHANGE_COPIED, "dir/c.py", "dir/e.py", "", "13,1", 0, 0, 0, 1, 1,
	  C_PY "value_13 = 13 * 2\n" },
};

static const struct want rename_want[] = {
	{ CHANGE_RENAMED, "gone.py", "dir/gone2.py", "", "", 0, 0, 0, 1, 1,
	  "x = 1\ny = 2\n" },
};

static const struct want nonl_want[] = {
	{ CHANGE_MODIFIED, "b.txt", "b.txt", "3,1", "3,2", 0, 0, 0, 1, 1,
	  "alpha\nbeta\ngamma\ndelta" },
};

static const struct want interleaved_want[] = {
	{ CHANGE_MODIFIED, "gone.py", "gone.py", "1,2", "1,2", 0, 0, 0, 1, 1,
	  "a\nb\n" },
};

/* ------------------------------------------------------------------ */
/* diff_parse_unified */

static const char full_patch[] =
	"diff --git a/a.py b/a.py\n"
	"index fe9ea09..ed40535 100644\n"
	"--- a/a.py\n"
	"+++ b/a.py\n"
	"@@ -1,13 +1,16 @@\n"
	"-import os\n"
	" \n"
	" \n"
	" def one():\n"
	"     return 1\n"
	" \n"
	" \n"
	"-def two():\n"
	"+def two(x):\n"
	"     return 2\n"
	" \n"
	" \n"
	" def three():\n"
	"     return 3\n"
	"+\n"
	"+\n"
	"+def four():\n"
	"+    return 4\n"
	"diff --git a/b.txt b/b.txt\n"
	"index b9e9ab4..e50310a 100644\n"
	"--- a/b.txt\n"
	"+++ b/b.txt\n"
	"@@ -1,3 +1,3 @@\n"
	" alpha\n"
	"-beta\n"
	"-gamma\n"
	"\\ No newline at end of file\n"
	"+BETA\n"
	"+gamma\n"
	"diff --git a/bin.dat b/bin.dat\n"
	"index 9ff9703..ecde012 100644\n"
	"Binary files a/bin.dat and b/bin.dat differ\n"
	"diff --git a/crlf.txt b/crlf.txt\n"
	"index e1587ff..103b2f6 100644\n"
	"--- a/crlf.txt\n"
	"+++ b/crlf.txt\n"
	"@@ -1,3 +1,3 @@\n"
	" one\r\n"
	"-two\r\n"
	"+TWO\r\n"
	" three\r\n"
	"diff --git a/dir/c.py b/dir/d.py\n"
	"similarity index 91%\n"
	"rename from dir/c.py\n"
	"rename to dir/d.py\n"
	"index 2302e49..f8379e5 100644\n"
	"--- a/dir/c.py\n"
	"+++ b/dir/d.py\n"
	"@@ -4,7 +4,7 @@ value_3 = 3 * 2\n"
	" value_4 = 4 * 2\n"
	" value_5 = 5 * 2\n"
	" value_6 = 6 * 2\n"
	"-value_7 = 7 * 2\n"
	"+value_7 = 70 * 2\n"
	" value_8 = 8 * 2\n"
	" value_9 = 9 * 2\n"
	" value_10 = 10 * 2\n"
	"diff --git a/gone.py b/gone.py\n"
	"deleted file mode 100644\n"
	"index 2c18545..0000000\n"
	"--- a/gone.py\n"
	"+++ /dev/null\n"
	"@@ -1,2 +0,0 @@\n"
	"-x = 1\n"
	"-y = 2\n"
	"diff --git a/link b/link\n"
	"deleted file mode 120000\n"
	"index 8ce4f79..0000000\n"
	"--- a/link\n"
	"+++ /dev/null\n"
	"@@ -1 +0,0 @@\n"
	"-a.py\n"
	"\\ No newline at end of file\n"
	"diff --git a/link b/link\n"
	"new file mode 100644\n"
	"index 0000000..f5184a9\n"
	"--- /dev/null\n"
	"+++ b/link\n"
	"@@ -0,0 +1 @@\n"
	"+not a link\n"
	"diff --git a/new.py b/new.py\n"
	"new file mode 100644\n"
	"index 0000000..28cd44d\n"
	"--- /dev/null\n"
	"+++ b/new.py\n"
	"@@ -0,0 +1 @@\n"
	"+print('new')\n"
	"diff --git a/run.sh b/run.sh\n"
	"old mode 100644\n"
	"new mode 100755\n";

static const char u0_patch[] =
	"diff --git a/a.py b/a.py\n"
	"index fe9ea09..ed40535 100644\n"
	"--- a/a.py\n"
	"+++ b/a.py\n"
	"@@ -1 +0,0 @@\n"
	"-import os\n"
	"@@ -8 +7 @@ def one():\n"
	"-def two():\n"
	"+def two(x):\n"
	"@@ -13,0 +13,4 @@ def three():\n"
	"+\n"
	"+\n"
	"+def four():\n"
	"+    return 4\n"
	"diff --git a/b.txt b/b.txt\n"
	"index b9e9ab4..e50310a 100644\n"
	"--- a/b.txt\n"
	"+++ b/b.txt\n"
	"@@ -2,2 +2,2 @@ alpha\n"
	"-beta\n"
	"-gamma\n"
	"\\ No newline at end of file\n"
	"+BETA\n"
	"+gamma\n"
	"diff --git a/bin.dat b/bin.dat\n"
	"index 9ff9703..ecde012 100644\n"
	"Binary files a/bin.dat and b/bin.dat differ\n"
	"diff --git a/crlf.txt b/crlf.txt\n"
	"index e1587ff..103b2f6 100644\n"
	"--- a/crlf.txt\n"
	"+++ b/crlf.txt\n"
	"@@ -2 +2 @@ one\n"
	"-two\r\n"
	"+TWO\r\n"
	"diff --git a/dir/c.py b/dir/d.py\n"
	"similarity index 91%\n"
	"rename from dir/c.py\n"
	"rename to dir/d.py\n"
	"index 2302e49..f8379e5 100644\n"
	"--- a/dir/c.py\n"
	"+++ b/dir/d.py\n"
	"@@ -7 +7 @@ value_6 = 6 * 2\n"
	"-value_7 = 7 * 2\n"
	"+value_7 = 70 * 2\n"
	"diff --git a/gone.py b/gone.py\n"
	"deleted file mode 100644\n"
	"index 2c18545..0000000\n"
	"--- a/gone.py\n"
	"+++ /dev/null\n"
	"@@ -1,2 +0,0 @@\n"
	"-x = 1\n"
	"-y = 2\n"
	"diff --git a/link b/link\n"
	"deleted file mode 120000\n"
	"index 8ce4f79..0000000\n"
	"--- a/link\n"
	"+++ /dev/null\n"
	"@@ -1 +0,0 @@\n"
	"-a.py\n"
	"\\ No newline at end of file\n"
	"diff --git a/link b/link\n"
	"new file mode 100644\n"
	"index 0000000..f5184a9\n"
	"--- /dev/null\n"
	"+++ b/link\n"
	"@@ -0,0 +1 @@\n"
	"+not a link\n"
	"diff --git a/new.py b/new.py\n"
	"new file mode 100644\n"
	"index 0000000..28cd44d\n"
	"--- /dev/null\n"
	"+++ b/new.py\n"
	"@@ -0,0 +1 @@\n"
	"+print('new')\n"
	"diff --git a/run.sh b/run.sh\n"
	"old mode 100644\n"
	"new mode 100755\n";

static const char bin_patch[] =
	"diff --git a/bin.dat b/bin.dat\n"
	"index 9ff970344b30f91bd8af9ba39b7626fd94fcc685.."
	"ecde012c2f020aee6f5203f599d88918c8f59bd5 100644\n"
	"GIT binary patch\n"
	"literal 11\n"
	"ScmZ?r^kZOTPDw0D<N^Q=G6I4C\n"
	"\n"
	"literal 11\n"
	"ScmZ?r^kZOTN=Yn9<N^Q=ECPW5\n"
	"\n";

static const char noprefix_patch[] =
	"diff --git b.txt b.txt\n"
	"index b9e9ab4..e50310a 100644\n"
	"--- b.txt\n"
	"+++ b.txt\n"
	"@@ -1,3 +1,3 @@\n"
	" alpha\n"
	"-beta\n"
	"-gamma\n"
	"\\ No newline at end of file\n"
	"+BETA\n"
	"+gamma\n";

static const char names_patch[] =
	"diff --git \"a/caf\\303\\251.py\" \"b/caf\\303\\251.py\"\n"
	"index 7d4290a..407de30 100644\n"
	"--- \"a/caf\\303\\251.py\"\n"
	"+++ \"b/caf\\303\\251.py\"\n"
	"@@ -1 +1 @@\n"
	"-x = 1\n"
	"+x = 2\n"
	"diff --git a/sp ace.py b/sp ace.py\n"
	"index a003ef7..47643d4 100644\n"
	"--- a/sp ace.py\t\n"
	"+++ b/sp ace.py\t\n"
	"@@ -1 +1 @@\n"
	"-y = 1\n"
	"+y = 2\n";

static const char emptyfile_patch[] =
	"diff --git a/empty.py b/empty.py\n"
	"new file mode 100644\n"
	"index 0000000..e69de29\n";

static const char plain_patch[] =
	"diff -u a.py.orig a.py\n"
	"--- a.py\t2024-01-01 10:00:00.000000000 +0100\n"
	"+++ a.py\t2024-01-02 10:00:00.000000000 +0100\n"
	"@@ -1,13 +1,16 @@\n"
	"-import os\n"
	" \n"
	"\n"			/* an empty context line, as tools emit */
	" def one():\n"
	"     return 1\n"
	" \n"
	" \n"
	"-def two():\n"
	"+def two(x):\n"
	"     return 2\n"
	" \n"
	" \n"
	" def three():\n"
	"     return 3\n"
	"+\n"
	"+\n"
	"+def four():\n"
	"+    return 4\n";

static const char sub_patch[] =
	"diff --git a/sub b/sub\n"
	"index 0123456..89abcde 160000\n"
	"--- a/sub\n"
	"+++ b/sub\n"
	"@@ -1 +1 @@\n"
	"-Subproject commit 0123456789abcdef0123456789abcdef01234567\n"
	"+Subproject commit 89abcdef0123456789abcdef0123456789abcdef\n";

static const char copy_patch[] =
	"diff --git a/dir/c.py b/dir/e.py\n"
	"similarity index 95%\n"
	"copy from dir/c.py\n"
	"copy to dir/e.py\n"
	"index 2302e49..1111111 100644\n"
	"--- a/dir/c.py\n"
	"+++ b/dir/e.py\n"
	"@@ -10,3 +10,4 @@ value_9 = 9 * 2\n"
	" value_10 = 10 * 2\n"
	" value_11 = 11 * 2\n"
	" value_12 = 12 * 2\n"
	"+value_13 = 13 * 2\n";

/* a pure rename: no "---"/"+++" lines, names of unequal length */
static const char rename_patch[] =
	"diff --git a/gone.py b/dir/gone2.py\n"
	"similarity index 100%\n"
	"rename from gone.py\n"
	"rename to dir/gone2.py\n";

/* a line added after a last line without a newline, still without one */
static const char nonl_patch[] =
	"--- a/b.txt\n"
	"+++ b/b.txt\n"
	"@@ -2,2 +2,3 @@\n"
	" beta\n"
	"-gamma\n"
	"\\ No newline at end of file\n"
	"+gamma\n"
	"+delta\n"
	"\\ No newline at end of file\n";

/* '-' and '+' lines interleaved: the runs are still exact */
static const char interleaved_patch[] =
	"--- a/gone.py\n"
	"+++ b/gone.py\n"
	"@@ -1,2 +1,2 @@\n"
	"-x = 1\n"
	"+a\n"
	"-y = 2\n"
	"+b\n";

/* the same change as full_patch, in a mail with a signature */
static const char mail_patch[] =
	"From 1234 Mon Sep 17 00:00:00 2001\n"
	"Subject: [PATCH] change b\n"
	"\n"
	"---\n"
	" b.txt | 4 ++--\n"
	"\n"
	"diff --git a/b.txt b/b.txt\n"
	"index b9e9ab4..e50310a 100644\n"
	"--- a/b.txt\n"
	"+++ b/b.txt\n"
	"@@ -1,3 +1,3 @@\n"
	" alpha\n"
	"-beta\n"
	"-gamma\n"
	"\\ No newline at end of file\n"
	"+BETA\n"
	"+gamma\n"
	"-- \n"
	"2.39.2\n";

struct parse_case {
	const char *name;
	const char *patch;	/* NULL: the CRLF form of full_patch */
	size_t len;
	int ret;
	const struct want *want;
	size_t want_nr;
};

#define OK(n, p, w) { n, p, sizeof(p) - 1, 0, w, ARRAY_SIZE(w) }
#define BAD(n, p) { n, p, sizeof(p) - 1, -1, NULL, 0 }

static const struct parse_case parse_cases[] = {
	OK("git diff", full_patch, full_want),
	OK("git diff -U0", u0_patch, full_want),
	{ "git diff with CRLF", NULL, 0, 0, full_want, ARRAY_SIZE(full_want) },
	OK("git diff --binary", bin_patch, bin_want),
	OK("git diff --no-prefix", noprefix_patch, b_txt_want),
	OK("quoted names and spaces", names_patch, names_want),
	OK("empty new file", emptyfile_patch, empty_want),
	OK("diff -u", plain_patch, a_py_want),
	OK("submodule", sub_patch, sub_want),
	OK("copy", copy_patch, copy_want),
	OK("pure rename", rename_patch, rename_want),
	OK("no newline at end", nonl_patch, nonl_want),
	OK("interleaved", interleaved_patch, interleaved_want),
	OK("mail", mail_patch, b_txt_want),
	{ "empty", "", 0, 0, NULL, 0 },
	{ "blank lines", "\n \r\n\t\n", 6, 0, NULL, 0 },
	/* not an empty diff, an error (issue 13) */
	BAD("only text", "hello\nworld\n"),
	BAD("a lone --- line", "--- a/x\n"),
	BAD("hunk without header", "@@ -1 +1 @@\n-a\n+b\n"),
	BAD("--- without +++",
	    "diff --git a/a.py b/a.py\n--- a/a.py\n@@ -1 +1 @@\n"),
	BAD("hunk without ---",
	    "diff --git a/a.py b/a.py\n@@ -1 +1 @@\n-import os\n+x\n"),
	BAD("bad hunk header",
	    "--- a/a.py\n+++ b/a.py\n@@ -x +1 @@\n-import os\n+x\n"),
	BAD("hunk header without @@",
	    "--- a/a.py\n+++ b/a.py\n@@ -1 +1\n-import os\n+x\n"),
	BAD("start 0 with a count",
	    "--- a/a.py\n+++ b/a.py\n@@ -0,1 +1 @@\n-import os\n+x\n"),
	BAD("huge number",
	    "--- a/a.py\n+++ b/a.py\n@@ -99999999999999999999 +1 @@\n-a\n"),
	BAD("too few lines",
	    "--- a/a.py\n+++ b/a.py\n@@ -1,3 +1,3 @@\n-import os\n+x\n"
	    " \n--- a/b.txt\n+++ b/b.txt\n"),
	BAD("too few lines before the next file",
	    "--- a/a.py\n+++ b/a.py\n@@ -1,3 +1,3 @@\n-import os\n+x\n"
	    " \ndiff --git a/b.txt b/b.txt\n"),
	BAD("too many lines",
	    "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-import os\n+x\n+y\n"),
	BAD("patch ends in a hunk",
	    "--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n-import os\n"),
	BAD("does not apply",
	    "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-import sys\n+x\n"),
	BAD("context does not apply",
	    "--- a/a.py\n+++ b/a.py\n@@ -4,2 +4,2 @@\n def one():\n"
	    "-    return 2\n+    return 3\n"),
	BAD("beyond the end",
	    "--- a/a.py\n+++ b/a.py\n@@ -20 +20 @@\n-x\n+y\n"),
	BAD("out of order",
	    "--- a/a.py\n+++ b/a.py\n@@ -8 +8 @@\n-def two():\n+def t():\n"
	    "@@ -1 +1 @@\n-import os\n+x\n"),
	BAD("not in the base",
	    "--- a/nope.py\n+++ b/nope.py\n@@ -1 +1 @@\n-a\n+b\n"),
	BAD("a directory in the base",
	    "--- a/dir\n+++ b/dir\n@@ -1 +1 @@\n-a\n+b\n"),
	BAD("deletion leaves lines",
	    "diff --git a/gone.py b/gone.py\ndeleted file mode 100644\n"
	    "--- a/gone.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x = 1\n"),
	BAD("misplaced backslash",
	    "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n\\ No newline\n-import os\n"
	    "+x\n"),
	BAD("new line after no newline at end",
	    "--- a/a.py\n+++ b/a.py\n@@ -8,2 +8,2 @@\n-def two():\n"
	    "+def two(x):\n\\ No newline at end of file\n     return 2\n"),
	BAD("old line without newline not the last",
	    "--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-import os\n"
	    "\\ No newline at end of file\n+x\n"),
	BAD("an empty added line without its newline (fuzz-diff)",
	    "--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+\n"
	    "\\ No newline at end of file\n"),
	BAD("bad mode",
	    "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 12345\n"),
	BAD("bad index line",
	    "diff --git a/run.sh b/run.sh\nindex 1234567\n"),
	BAD("names of a bad header",
	    "diff --git a/run.sh\nold mode 100644\nnew mode 100755\n"),
	BAD("unterminated quote",
	    "--- \"a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-import os\n+x\n"),
	BAD("changed twice",
	    "--- a/gone.py\n+++ b/gone.py\n@@ -1 +1 @@\n-x = 1\n+x\n"
	    "--- a/gone.py\n+++ b/gone.py\n@@ -2 +2 @@\n-y = 2\n+y\n"),
	BAD("both sides absent", "--- /dev/null\n+++ /dev/null\n"),
};

static char *crlf_copy(const char *s, size_t *len)
{
	struct sbuf sb = SBUF_INIT;

	for (; *s; s++) {
		if (*s == '\n' && (sb.len == 0 || sb.buf[sb.len - 1] != '\r'))
			sbuf_addch(&sb, '\r');
		sbuf_addch(&sb, *s);
	}
	return sbuf_detach(&sb, len);
}

static void test_parse_table(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct change_set set = CHANGE_SET_INIT;
		char *copy = NULL;
		const char *patch = c->patch;
		size_t len = c->len;
		int ret;

		if (!patch)
			patch = copy = crlf_copy(full_patch, &len);
		ret = diff_parse_unified(&set, repo, base, patch, len, c->name);
		if (ret != c->ret)
			fail_msg("%s: returned %d, want %d", c->name, ret,
				 c->ret);
		if (ret)
			assert_int_equal(set.nr, 0);
		else
			check_set(c->name, &set, c->want, c->want_nr,
				  head_files, ARRAY_SIZE(head_files));
		change_set_release(&set);
		free(copy);
	}
}

/* Messages of a parse that must fail go to /dev/null. */
static int quiet_begin(void)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	assert_true(saved >= 0 && null >= 0);
	dup2(null, 2);
	close(null);
	return saved;
}

static void quiet_end(int saved)
{
	dup2(saved, 2);
	close(saved);
}

/* Every prefix of a valid patch parses or fails cleanly. */
static void test_parse_truncated(void **state)
{
	static const char *const patches[] = {
		full_patch, u0_patch, bin_patch, names_patch, plain_patch,
		nonl_patch, mail_patch,
	};
	int saved = quiet_begin();
	size_t ok = 0, failed = 0;

	for (size_t p = 0; p < ARRAY_SIZE(patches); p++) {
		size_t len = strlen(patches[p]);

		for (size_t n = 0; n <= len; n++) {
			struct change_set set = CHANGE_SET_INIT;
			/* an exact-size copy: no reading past n */
			char *buf = malloc(n ? n : 1);
			int ret;

			memcpy(buf, patches[p], n);
			ret = diff_parse_unified(&set, repo, base, buf, n,
						 "<cut>");
			if (ret != 0 && ret != -1)
				fail_msg("prefix %zu returned %d", n, ret);
			if (ret)
				assert_int_equal(set.nr, 0);
			ret ? failed++ : ok++;
			if (n == len)
				assert_int_equal(ret, 0);
			change_set_release(&set);
			free(buf);
		}
	}
	quiet_end(saved);
	/* both outcomes happen: the cuts are really exercised */
	assert_true(ok > 0 && failed > 0);
}

/* Damaged bytes anywhere in a valid patch: parse or fail cleanly. */
static void test_parse_damaged(void **state)
{
	static const char subst[] = "\n-+ @\\0\"";
	size_t len = strlen(full_patch);
	char *buf = malloc(len);
	int saved = quiet_begin();

	for (size_t n = 0; n < len; n++) {
		for (size_t k = 0; k < sizeof(subst) - 1; k++) {
			struct change_set set = CHANGE_SET_INIT;
			int ret;

			memcpy(buf, full_patch, len);
			buf[n] = subst[k];
			ret = diff_parse_unified(&set, repo, base, buf, len,
						 "<damaged>");
			if (ret != 0 && ret != -1)
				fail_msg("damage at %zu returned %d", n, ret);
			change_set_release(&set);
		}
	}
	quiet_end(saved);
	free(buf);
}

/* The parse of a -U3 patch and of a -U0 patch agree on every range. */
static void test_parse_context_width(void **state)
{
	struct change_set u3 = CHANGE_SET_INIT, u0 = CHANGE_SET_INIT;

	assert_int_equal(diff_parse_unified(&u3, repo, base, full_patch,
					    strlen(full_patch), "u3"), 0);
	assert_int_equal(diff_parse_unified(&u0, repo, base, u0_patch,
					    strlen(u0_patch), "u0"), 0);
	assert_int_equal(u3.nr, u0.nr);
	for (size_t i = 0; i < u3.nr; i++) {
		assert_int_equal(u3.items[i].old_nr, u0.items[i].old_nr);
		assert_int_equal(u3.items[i].new_nr, u0.items[i].new_nr);
		assert_memory_equal(u3.items[i].old_ranges,
				    u0.items[i].old_ranges,
				    u3.items[i].old_nr *
				    sizeof(struct line_range));
		assert_memory_equal(u3.items[i].new_ranges,
				    u0.items[i].new_ranges,
				    u3.items[i].new_nr *
				    sizeof(struct line_range));
	}
	change_set_release(&u3);
	change_set_release(&u0);
}

static void test_parse_too_large(void **state)
{
	struct change_set set = CHANGE_SET_INIT;
	int saved = quiet_begin();

	/* the size is checked before a byte is read */
	assert_int_equal(diff_parse_unified(&set, repo, base, full_patch,
					    DIFF_MAX_PATCH + 1, "big"), -1);
	quiet_end(saved);
	assert_int_equal(set.nr, 0);
}

/* ------------------------------------------------------------------ */
/* diff_compute */

static void test_compute_tree(void **state)
{
	struct change_set set = CHANGE_SET_INIT;

	assert_int_equal(diff_compute(&set, repo, base, head, DIFF_TO_TREE,
				      NULL), 0);
	check_set("tree", &set, full_want, ARRAY_SIZE(full_want), head_files,
		  ARRAY_SIZE(head_files));
	change_set_release(&set);
}

static void test_compute_pathspec(void **state)
{
	struct change_set set = CHANGE_SET_INIT;
	struct strlist ps = STRLIST_INIT;

	strlist_append(&ps, "dir");
	assert_int_equal(diff_compute(&set, repo, base, head, DIFF_TO_TREE,
				      &ps), 0);
	check_set("pathspec dir", &set, full_want + 4, 1, head_files,
		  ARRAY_SIZE(head_files));
	change_set_release(&set);
	strlist_release(&ps);
	strlist_append(&ps, "a.py");
	assert_int_equal(diff_compute(&set, repo, base, head, DIFF_TO_TREE,
				      &ps), 0);
	check_set("pathspec a.py", &set, a_py_want, 1, head_files,
		  ARRAY_SIZE(head_files));
	change_set_release(&set);
	strlist_release(&ps);
}

/* From the empty tree: every file is added, whole. */
static void test_compute_root(void **state)
{
	struct change_set set = CHANGE_SET_INIT;
	size_t files = 0;

	assert_int_equal(diff_compute(&set, repo, NULL, base, DIFF_TO_TREE,
				      NULL), 0);
	assert_int_equal(set.nr, ARRAY_SIZE(base_files));
	for (size_t i = 0; i < set.nr; i++) {
		const struct file_change *fc = &set.items[i];
		const struct file *f = &base_files[i];

		assert_int_equal(fc->status, CHANGE_ADDED);
		assert_null(fc->old_path);
		assert_string_equal(fc->new_path, f->path);
		if (!fc->has_new)
			continue;
		files++;
		assert_int_equal(fc->new_nr, 1);
		assert_int_equal(fc->new_ranges[0].start, 1);
		assert_memory_equal(fc->new_data.buf, f->data, f->len);
	}
	/* all but the binary file, the symlink and the submodule */
	assert_int_equal(files, ARRAY_SIZE(base_files) - 3);
	change_set_release(&set);
}

static void write_file(const char *path, const char *data, size_t len)
{
	char full[256];
	FILE *fp;

	snprintf(full, sizeof(full), "%s/%s", repo_dir, path);
	fp = fopen(full, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* The work tree and the index hold base; then we change them. */
static void checkout_base(void)
{
	git_index *idx = NULL;
	git_tree *tree = NULL;
	char full[256];

	snprintf(full, sizeof(full), "%s/dir", repo_dir);
	mkdir(full, 0777);
	snprintf(full, sizeof(full), "%s/sub", repo_dir);
	mkdir(full, 0777);
	for (size_t i = 0; i < ARRAY_SIZE(base_files); i++) {
		const struct file *f = &base_files[i];

		snprintf(full, sizeof(full), "%s/%s", repo_dir, f->path);
		if (f->mode == GIT_FILEMODE_LINK)
			assert_int_equal(symlink(f->data, full), 0);
		else if (f->mode != GIT_FILEMODE_COMMIT)
			write_file(f->path, f->data, f->len);
	}
	check_git(git_commit_tree(&tree, base));
	check_git(git_repository_index(&idx, repo));
	check_git(git_index_read_tree(idx, tree));
	check_git(git_index_write(idx));
	git_index_free(idx);
	git_tree_free(tree);
}

static const struct want workdir_want[] = {
	{ CHANGE_MODIFIED, "a.py", "a.py", "1,1 8,1", "7,1 13,4",
	  0, 0, 0, 1, 1, NULL },
	{ CHANGE_MODIFIED, "b.txt", "b.txt", "2,2", "2,2", 0, 0, 0, 1, 1,
	  NULL },
	{ CHANGE_DELETED, "gone.py", NULL, "1,2", "", 0, 0, 0, 1, 0, NULL },
	{ CHANGE_ADDED, NULL, "new.py", "", "1,1", 0, 0, 0, 0, 1, NULL },
};

static const struct want index_want[] = {
	{ CHANGE_MODIFIED, "b.txt", "b.txt", "2,2", "2,2", 0, 0, 0, 1, 1,
	  NULL },
	{ CHANGE_ADDED, NULL, "new.py", "", "1,1", 0, 0, 0, 0, 1, NULL },
};

static void test_compute_workdir_index(void **state)
{
	struct change_set set = CHANGE_SET_INIT;
	git_index *idx = NULL;
	char full[256];

	checkout_base();
	assert_int_equal(diff_compute(&set, repo, base, NULL, DIFF_TO_WORKDIR,
				      NULL), 0);
	assert_int_equal(set.nr, 0);
	/* staged: b.txt and new.py; unstaged: a.py, gone.py removed;
	 * untracked.py is not part of git diff */
	write_file("b.txt", "alpha\nBETA\ngamma\n", 17);
	write_file("new.py", "print('new')\n", 13);
	check_git(git_repository_index(&idx, repo));
	check_git(git_index_add_bypath(idx, "b.txt"));
	check_git(git_index_add_bypath(idx, "new.py"));
	check_git(git_index_write(idx));
	git_index_free(idx);
	write_file("a.py", A_PY_HEAD, sizeof(A_PY_HEAD) - 1);
	write_file("untracked.py", "x\n", 2);
	snprintf(full, sizeof(full), "%s/gone.py", repo_dir);
	assert_int_equal(unlink(full), 0);

	assert_int_equal(diff_compute(&set, repo, base, NULL, DIFF_TO_INDEX,
				      NULL), 0);
	check_set("index", &set, index_want, ARRAY_SIZE(index_want),
		  head_files, ARRAY_SIZE(head_files));
	change_set_release(&set);

	assert_int_equal(diff_compute(&set, repo, base, NULL, DIFF_TO_WORKDIR,
				      NULL), 0);
	check_set("workdir", &set, workdir_want, ARRAY_SIZE(workdir_want),
		  head_files, ARRAY_SIZE(head_files));
	change_set_release(&set);
}

static int keep_a_py(const char *path, void *payload)
{
	return !strcmp(path, "a.py");
}

/* Untracked: nothing in venv/; directories, files named test_*. */
static int keep_tests(const char *path, void *payload)
{
	if (!strncmp(path, "venv/", 5))
		return 0;
	return path[strlen(path) - 1] == '/' || strstr(path, "test_");
}

#define TEST_U "def test_u():\n    pass\n"

/* After test_compute_workdir_index: only what the filter keeps, and the
 * untracked test files it keeps, ignored ones and refused directories
 * left out. */
static void test_compute_filtered(void **state)
{
	struct change_set set = CHANGE_SET_INIT, untracked = CHANGE_SET_INIT;
	struct strlist paths = STRLIST_INIT;
	struct diff_filter filter = { .keep = keep_a_py,
				      .keep_untracked = keep_tests,
				      .untracked = &untracked };
	const struct file_change *fc;
	char full[256];

	snprintf(full, sizeof(full), "%s/tests", repo_dir);
	assert_int_equal(mkdir(full, 0777), 0);
	snprintf(full, sizeof(full), "%s/venv", repo_dir);
	assert_int_equal(mkdir(full, 0777), 0);
	write_file("venv/test_v.py", TEST_U, strlen(TEST_U));
	write_file("tests/test_u.py", TEST_U, strlen(TEST_U));
	write_file("tests/test_i.py", TEST_U, strlen(TEST_U));
	write_file("tests/other.py", "x = 1\n", 6);
	write_file(".git/info/exclude", "test_i.py\n", 10);
	assert_int_equal(diff_compute_filtered(&set, repo, base, NULL,
					       DIFF_TO_WORKDIR, NULL,
					       &filter), 0);
	assert_int_equal(set.nr, 1);
	assert_string_equal(set.items[0].new_path, "a.py");
	assert_int_equal(untracked.nr, 1);
	fc = &untracked.items[0];
	assert_int_equal(fc->status, CHANGE_ADDED);
	assert_null(fc->old_path);
	assert_string_equal(fc->new_path, "tests/test_u.py");
	assert_true(fc->has_new && !fc->has_old && !fc->binary);
	assert_int_equal(fc->new_data.len, strlen(TEST_U));
	assert_memory_equal(fc->new_data.buf, TEST_U, strlen(TEST_U));
	change_set_release(&set);
	change_set_release(&untracked);

	/* paths limit the untracked files too */
	strlist_append(&paths, "tests/test_u.py");
	assert_int_equal(diff_compute_filtered(&set, repo, base, NULL,
					       DIFF_TO_WORKDIR, &paths,
					       &filter), 0);
	assert_int_equal(set.nr, 0);
	assert_int_equal(untracked.nr, 1);
	assert_string_equal(untracked.items[0].new_path, "tests/test_u.py");
	change_set_release(&untracked);
	strlist_release(&paths);
	strlist_append(&paths, "tests/test_i.py");
	strlist_append(&paths, "venv");
	assert_int_equal(diff_compute_filtered(&set, repo, base, NULL,
					       DIFF_TO_WORKDIR, &paths,
					       &filter), 0);
	assert_int_equal(untracked.nr, 0);
	strlist_release(&paths);

	/* the index has no untracked files */
	assert_int_equal(diff_compute_filtered(&set, repo, base, NULL,
					       DIFF_TO_INDEX, NULL,
					       &filter), 0);
	assert_int_equal(untracked.nr, 0);
	change_set_release(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_context_width),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_damaged),
		cmocka_unit_test(test_parse_too_large),
		cmocka_unit_test(test_compute_tree),
		cmocka_unit_test(test_compute_pathspec),
		cmocka_unit_test(test_compute_root),
		cmocka_unit_test(test_compute_workdir_index),
		cmocka_unit_test(test_compute_filtered),
	};

	return cmocka_run_group_tests(tests, setup_repo, teardown_repo);
}
