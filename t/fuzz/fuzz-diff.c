/* fuzz-diff.c - fuzz the unified-diff reader (select --diff=-) against a fixed base commit.
 * The base lives in an in-memory object database: text, CRLF, binary, executable, symlink. */
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>
#include "fuzz.h"
#include "diff.h"

static git_repository *repo;
static git_commit *base;

struct base_file {
	const char *name;
	git_filemode_t mode;
	const char *data;
	size_t len;
};

#define FILE_OF(name, mode, text) { name, mode, text, sizeof(text) - 1 }

static const struct base_file top_files[] = {
	FILE_OF("CRLF.txt", GIT_FILEMODE_BLOB, "one\r\ntwo\r\nthree\r\n"),
	FILE_OF("README", GIT_FILEMODE_BLOB, "alpha\nbeta\ngamma\ndelta\n"),
	FILE_OF("a.py", GIT_FILEMODE_BLOB, "import os\n\n\ndef f():\n"
		"    return 1\n\n\nclass A:\n    pass\n"),
	FILE_OF("bin.dat", GIT_FILEMODE_BLOB, "\x89PNG\0\0\x01\x02"),
	FILE_OF("empty", GIT_FILEMODE_BLOB, ""),
	FILE_OF("link", GIT_FILEMODE_LINK, "a.py"),
	FILE_OF("noeol", GIT_FILEMODE_BLOB, "x\ny"),
	FILE_OF("run.sh", GIT_FILEMODE_BLOB_EXECUTABLE, "#!/bin/sh\necho hi\n"),
};

static const struct base_file pkg_files[] = {
	FILE_OF("__init__.py", GIT_FILEMODE_BLOB, ""),
	FILE_OF("mod.py", GIT_FILEMODE_BLOB, "x = 1\ny = 2\nz = 3\n"),
};

static void insert(git_treebuilder *tb, const char *name, const git_oid *id,
		   git_filemode_t mode)
{
	FUZZ_CHECK(!git_treebuilder_insert(NULL, tb, name, id, mode));
}

static void add_files(git_treebuilder *tb, const struct base_file *files,
		      size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		git_oid id;

		FUZZ_CHECK(!git_blob_create_from_buffer(&id, repo, files[i].data,
							files[i].len));
		insert(tb, files[i].name, &id, files[i].mode);
	}
}

/* The base commit: the files above, pkg/ and a submodule "sub". */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	git_odb_backend *mempack;
	git_odb *odb;
	git_treebuilder *top, *pkg;
	git_signature *sig;
	git_oid pkg_id, tree_id, commit_id, sub_id;
	git_tree *tree;

	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	FUZZ_CHECK(!git_odb_new(&odb) && !git_mempack_new(&mempack) &&
		   !git_odb_add_backend(odb, mempack, 1) &&
		   !git_repository_wrap_odb(&repo, odb));
	FUZZ_CHECK(!git_treebuilder_new(&pkg, repo, NULL) &&
		   !git_treebuilder_new(&top, repo, NULL));
	add_files(pkg, pkg_files, sizeof(pkg_files) / sizeof(*pkg_files));
	FUZZ_CHECK(!git_treebuilder_write(&pkg_id, pkg));
	add_files(top, top_files, sizeof(top_files) / sizeof(*top_files));
	insert(top, "pkg", &pkg_id, GIT_FILEMODE_TREE);
	FUZZ_CHECK(!git_oid_fromstr(&sub_id,
				    "0123456789abcdef0123456789abcdef01234567"));
	insert(top, "sub", &sub_id, GIT_FILEMODE_COMMIT);
	FUZZ_CHECK(!git_treebuilder_write(&tree_id, top));
	FUZZ_CHECK(!git_tree_lookup(&tree, repo, &tree_id));
	FUZZ_CHECK(!git_signature_new(&sig, "Fuzz", "fuzz@example.com", 0, 0));
	FUZZ_CHECK(!git_commit_create(&commit_id, repo, NULL, sig, sig, NULL,
				      "base\n", tree, 0, NULL));
	FUZZ_CHECK(!git_commit_lookup(&base, repo, &commit_id));
	git_signature_free(sig);
	git_tree_free(tree);
	git_treebuilder_free(top);
	git_treebuilder_free(pkg);
	git_odb_free(odb);
	return 0;
}

static size_t lines_of(const struct sbuf *sb)
{
	size_t n = 0;

	for (size_t i = 0; i < sb->len; i++)
		n += sb->buf[i] == '\n';
	return n + (sb->len && sb->buf[sb->len - 1] != '\n');
}

/* Ranges are ordered, apart, and inside the side's lines when loaded. */
static void check_ranges(const struct line_range *r, size_t nr, int has_data,
			 const struct sbuf *data)
{
	size_t lines = has_data ? lines_of(data) : SIZE_MAX;

	for (size_t i = 0; i < nr; i++) {
		FUZZ_CHECK(r[i].count && r[i].start);
		FUZZ_CHECK(!i || r[i - 1].start + r[i - 1].count < r[i].start);
		FUZZ_CHECK((size_t)r[i].start - 1 + r[i].count <= lines);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct change_set set = CHANGE_SET_INIT;

	if (!diff_parse_unified(&set, repo, base, (const char *)data, size,
				"<stdin>")) {
		for (size_t i = 0; i < set.nr; i++) {
			const struct file_change *fc = &set.items[i];

			FUZZ_CHECK(fc->old_path || fc->new_path);
			FUZZ_CHECK(!fc->binary || (!fc->has_old && !fc->has_new));
			check_ranges(fc->old_ranges, fc->old_nr, fc->has_old,
				     &fc->old_data);
			check_ranges(fc->new_ranges, fc->new_nr, fc->has_new,
				     &fc->new_data);
		}
	}
	change_set_release(&set);
	return 0;
}
