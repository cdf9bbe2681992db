/* builtin/hook.c - "git covopt hook": install or remove the git hooks that run the affected tests.
 * A hook we write is a small sh script carrying a marker line; only such a file is replaced or removed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtin.h"
#include "parse-opts.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define HOOK_MARKER "# installed by git-covopt"
#define HOOK_SAVED_SUFFIX ".covopt-saved"
#define HOOK_NEW_SUFFIX ".covopt-new"
/* Enough to find our marker, which is on the second line. */
#define HOOK_SCAN_MAX (64 * 1024)
/* The budget is pasted into the script: keep it short and plain. */
#define HOOK_BUDGET_MAX 16

static const char *const hook_usage[] = {
	"git covopt hook install [--pre-commit] [--pre-push] [-t <seconds>] [--force] [-q]",
	"git covopt hook uninstall [--pre-commit] [--pre-push] [-q]",
	NULL
};

enum hook_state {
	HOOK_ABSENT,
	HOOK_OURS,
	HOOK_FOREIGN,
};

/* The hooks we know, as bits of a selection. */
#define KIND_PRE_COMMIT 1
#define KIND_PRE_PUSH 2

struct hook_kind {
	unsigned bit;
	const char *name;
	void (*write)(struct sbuf *script, const char *budget);
};

/* ------------------------------------------------------------------ */
/* The scripts                                                         */
/* ------------------------------------------------------------------ */

static void add_budget(struct sbuf *sb, const char *budget)
{
	if (budget)
		sbuf_addf(sb, " -t %s", budget);
}

static void write_pre_commit(struct sbuf *sb, const char *budget)
{
	sbuf_addstr(sb,
		"#!/bin/sh\n"
		HOOK_MARKER "\n"
		"# pre-commit: run the tests the staged change affects with\n"
		"# the runner of .covopt.yml (pytest by default); a failing\n"
		"# test refuses the commit, nothing selected lets it through.\n"
		"# The tests run on what is staged: with unstaged or untracked\n"
		"# files, in a temporary checkout of the index (the work tree\n"
		"# is left alone).\n"
		"# Skip once: git commit --no-verify\n"
		"# Remove: git covopt hook uninstall\n"
		"exec git covopt run --cached");
	add_budget(sb, budget);
	sbuf_addstr(sb, "\n");
}

/*
 * Each line of stdin is "<local ref> <local sha> <remote ref> <remote sha>".
 * A deletion is skipped. The base is what the remote has; for a new branch
 * (or a remote commit we do not have) it is the merge base with the remote's
 * default branch, else the pushed commit's parent. The tests run on the work
 * tree, so only the checked-out commit can be tested; other refs are skipped
 * with a note. stdin of the runner is /dev/null: it must not eat our lines.
 */
static void write_pre_push(struct sbuf *sb, const char *budget)
{
	sbuf_addstr(sb,
		"#!/bin/sh\n"
		HOOK_MARKER "\n"
		"# pre-push: for each ref pushed, run the tests affected by\n"
		"# the commits the remote does not have yet (git covopt run\n"
		"# <remote> <local>); the first failure refuses the push. A\n"
		"# new branch is compared with its merge base with\n"
		"# <remote>/HEAD, else with its parent. Only the checked-out\n"
		"# commit can be tested.\n"
		"# Skip once: git push --no-verify\n"
		"# Remove: git covopt hook uninstall --pre-push\n"
		"remote=$1\n"
		"head=$(git rev-parse -q --verify HEAD)\n"
		"while read -r local_ref local_sha remote_ref remote_sha\n"
		"do\n"
		"\tcase $local_sha in\n"
		"\t*[!0]*) ;;\n"
		"\t*) continue ;;\n"
		"\tesac\n"
		"\tif test \"$local_sha\" != \"$head\"\n"
		"\tthen\n"
		"\t\techo \"git-covopt: $local_ref not checked out: "
		"skipped\" >&2\n"
		"\t\tcontinue\n"
		"\tfi\n"
		"\tbase=\n"
		"\tcase $remote_sha in\n"
		"\t*[!0]*)\n"
		"\t\tif git cat-file -e \"$remote_sha^{commit}\" 2>/dev/null\n"
		"\t\tthen\n"
		"\t\t\tbase=$remote_sha\n"
		"\t\tfi ;;\n"
		"\tesac\n"
		"\tif test -z \"$base\"\n"
		"\tthen\n"
		"\t\tbase=$(git merge-base \"refs/remotes/$remote/HEAD\" \\\n"
		"\t\t\t\"$local_sha\" 2>/dev/null) ||\n"
		"\t\tbase=$(git rev-parse -q --verify \"$local_sha^1\") || {\n"
		"\t\t\techo \"git-covopt: $local_ref has no base: "
		"skipped\" >&2\n"
		"\t\t\tcontinue\n"
		"\t\t}\n"
		"\tfi\n"
		"\tgit covopt run");
	add_budget(sb, budget);
	sbuf_addstr(sb,
		" \"$base\" \"$local_sha\" </dev/null || exit 1\n"
		"done\n"
		"exit 0\n");
}

static const struct hook_kind kinds[] = {
	{ KIND_PRE_COMMIT, "pre-commit", write_pre_commit },
	{ KIND_PRE_PUSH, "pre-push", write_pre_push },
	{ 0, NULL, NULL },
};

/* ------------------------------------------------------------------ */
/* Files                                                               */
/* ------------------------------------------------------------------ */

/*
 * The hooks directory: core.hooksPath (relative to the top of the work
 * tree, or to $GIT_DIR in a bare repository, as git runs hooks there), else
 * $GIT_DIR/hooks (the common one, for a linked worktree). No trailing slash.
 */
static int hooks_dir(struct sbuf *out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf path = GIT_BUF_INIT;
	int r, ret = -1;

	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		error_git("cannot read the git config");
		goto cleanup;
	}
	r = git_config_get_path(&path, cfg, "core.hooksPath");
	if (r < 0 && r != GIT_ENOTFOUND) {
		error_git("bad core.hooksPath");
		goto cleanup;
	}
	if (!r && path.size) {
		const char *top = git_repository_workdir(repo);

		if (path.ptr[0] != '/')
			sbuf_addstr(out, top ? top : git_repository_path(repo));
		sbuf_addstr(out, path.ptr);
	} else {
		git_buf_dispose(&path);
		if (git_repository_item_path(&path, repo,
					     GIT_REPOSITORY_ITEM_HOOKS) < 0) {
			error_git("cannot find the hooks directory");
			goto cleanup;
		}
		sbuf_addstr(out, path.ptr);
	}
	while (out->len > 1 && out->buf[out->len - 1] == '/')
		sbuf_setlen(out, out->len - 1);
	ret = 0;
cleanup:
	git_buf_dispose(&path);
	git_config_free(cfg);
	return ret;
}

/* mkdir -p dir. 0 or -1. */
static int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int ret = 0;

	for (char *s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c)
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			ret = error("cannot create '%s': %s", p,
				    strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return ret;
}

/* 1 when buf holds a line that is exactly our marker. */
static int has_marker(const char *buf, size_t len)
{
	size_t n = strlen(HOOK_MARKER);

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;

		if (end - i == n && !memcmp(buf + i, HOOK_MARKER, n))
			return 1;
		i = end + 1;
	}
	return 0;
}

/* Is there a hook at path, and did we write it? A state or -1. */
static int classify(const char *path)
{
	char buf[HOOK_SCAN_MAX];
	struct stat st;
	size_t len;
	FILE *f;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return HOOK_ABSENT;
		return error("cannot read '%s': %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return HOOK_FOREIGN;	/* a symlink, a directory... */
	f = fopen(path, "rb");
	if (!f)
		return error("cannot read '%s': %s", path, strerror(errno));
	len = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		fclose(f);
		return error("cannot read '%s'", path);
	}
	fclose(f);
	return has_marker(buf, len) ? HOOK_OURS : HOOK_FOREIGN;
}

static int path_exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

/* Write script to path, executable, replacing any file there. 0 or -1. */
static int write_script(const char *path, const struct sbuf *script)
{
	struct stat st;
	int fd, ret = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0755);
	if (fd < 0)
		return error("cannot write '%s': %s", path, strerror(errno));
	if (write(fd, script->buf, script->len) != (ssize_t)script->len ||
	    fstat(fd, &st) < 0 ||
	    fchmod(fd, (st.st_mode & 07777) | S_IRUSR | S_IXUSR) < 0)
		ret = error("cannot write '%s': %s", path, strerror(errno));
	if (close(fd) < 0 && !ret)
		ret = error("cannot write '%s': %s", path, strerror(errno));
	if (ret)
		unlink(path);
	return ret;
}

static int move_file(const char *from, const char *to)
{
	if (rename(from, to) < 0)
		return error("cannot rename '%s' to '%s': %s", from, to,
			     strerror(errno));
	return 0;
}

/* ------------------------------------------------------------------ */
/* install / uninstall                                                 */
/* ------------------------------------------------------------------ */

struct hook_paths {
	struct sbuf hook, saved, fresh;
};

static void hook_paths_init(struct hook_paths *p, const char *dir,
			    const char *name)
{
	struct sbuf init = SBUF_INIT;

	p->hook = p->saved = p->fresh = init;
	sbuf_addf(&p->hook, "%s/%s", dir, name);
	sbuf_addf(&p->saved, "%s%s", p->hook.buf, HOOK_SAVED_SUFFIX);
	sbuf_addf(&p->fresh, "%s%s", p->hook.buf, HOOK_NEW_SUFFIX);
}

static void hook_paths_release(struct hook_paths *p)
{
	sbuf_release(&p->hook);
	sbuf_release(&p->saved);
	sbuf_release(&p->fresh);
}

/*
 * Put the new script in place. Ours is replaced; a foreign hook is moved
 * aside to <hook>.covopt-saved with force, never over an earlier saved one.
 * The script is written first, so a failure leaves the old hook untouched.
 */
static int install_one(const struct hook_kind *k, const char *dir,
		       const char *budget, int force, int quiet)
{
	struct hook_paths p;
	struct sbuf script = SBUF_INIT;
	int state, ret = -1;

	hook_paths_init(&p, dir, k->name);
	state = classify(p.hook.buf);
	if (state < 0)
		goto cleanup;
	if (state == HOOK_FOREIGN && !force) {
		error("'%s' was not installed by git-covopt; use --force to "
		      "move it aside", p.hook.buf);
		goto cleanup;
	}
	if (state == HOOK_FOREIGN && path_exists(p.saved.buf)) {
		error("'%s' already holds a saved hook; move it away first",
		      p.saved.buf);
		goto cleanup;
	}
	k->write(&script, budget);
	if (write_script(p.fresh.buf, &script))
		goto cleanup;
	if (state == HOOK_FOREIGN) {
		if (move_file(p.hook.buf, p.saved.buf)) {
			unlink(p.fresh.buf);
			goto cleanup;
		}
		if (!quiet)
			fprintf(stderr, "moved '%s' to '%s'\n", p.hook.buf,
				p.saved.buf);
	}
	if (move_file(p.fresh.buf, p.hook.buf)) {
		unlink(p.fresh.buf);
		if (state == HOOK_FOREIGN)
			move_file(p.saved.buf, p.hook.buf);
		goto cleanup;
	}
	if (!quiet)
		fprintf(stderr, "installed %s hook '%s'\n", k->name,
			p.hook.buf);
	ret = 0;
cleanup:
	sbuf_release(&script);
	hook_paths_release(&p);
	return ret;
}

/*
 * Remove our hook and put back the one install --force moved aside. No
 * hook of ours is not an error (uninstall is idempotent); a foreign hook
 * is left alone and is one.
 */
static int uninstall_one(const struct hook_kind *k, const char *dir,
			 int quiet)
{
	struct hook_paths p;
	int state, ret = -1;

	hook_paths_init(&p, dir, k->name);
	state = classify(p.hook.buf);
	if (state < 0)
		goto cleanup;
	if (state == HOOK_FOREIGN) {
		error("'%s' was not installed by git-covopt; not removing it",
		      p.hook.buf);
		goto cleanup;
	}
	if (state == HOOK_OURS) {
		if (unlink(p.hook.buf) < 0) {
			error("cannot remove '%s': %s", p.hook.buf,
			      strerror(errno));
			goto cleanup;
		}
		if (!quiet)
			fprintf(stderr, "removed %s hook '%s'\n", k->name,
				p.hook.buf);
	}
	if (path_exists(p.saved.buf)) {
		if (move_file(p.saved.buf, p.hook.buf))
			goto cleanup;
		if (!quiet)
			fprintf(stderr, "restored '%s' from '%s'\n",
				p.hook.buf, p.saved.buf);
	} else if (state == HOOK_ABSENT && !quiet) {
		fprintf(stderr, "no git-covopt %s hook in '%s'\n", k->name,
			dir);
	}
	ret = 0;
cleanup:
	hook_paths_release(&p);
	return ret;
}

/* A budget as select takes it (seconds or N%), and nothing a shell reads. */
static int check_budget(const char *s)
{
	size_t i = 0, digits = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (s[i] == '.')
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (s[i] == '%')
		i++;
	if (!digits || s[i] || i > HOOK_BUDGET_MAX)
		return error("bad budget '%s': give seconds (30, 2.5) or a "
			     "share of the suite (5%%)", s);
	return 0;
}

static int for_each_kind(unsigned selected, git_repository *repo,
			 const char *budget, int force, int install, int quiet)
{
	struct sbuf dir = SBUF_INIT;
	int ret = 0;

	if (install && git_repository_is_bare(repo))
		return error("cannot install hooks in a bare repository: "
			     "pre-commit and pre-push run in a work tree");
	if (hooks_dir(&dir, repo) < 0 || (install && make_dirs(dir.buf) < 0)) {
		sbuf_release(&dir);
		return -1;
	}
	for (const struct hook_kind *k = kinds; k->name; k++) {
		if (!(selected & k->bit))
			continue;
		if (install ? install_one(k, dir.buf, budget, force, quiet) :
			      uninstall_one(k, dir.buf, quiet))
			ret = -1;
	}
	sbuf_release(&dir);
	return ret;
}

int cmd_hook(int argc, const char **argv, git_repository *repo)
{
	int pre_commit = 0, pre_push = 0, force = 0, quiet = 0, install;
	const char *budget = NULL;
	const struct opt_spec top_options[] = { OPT_END() };
	const struct opt_spec install_options[] = {
		OPT_BOOL(0, "pre-commit", &pre_commit,
			 "the pre-commit hook (the default)"),
		OPT_BOOL(0, "pre-push", &pre_push, "the pre-push hook"),
		OPT_STRING('t', "time", &budget, "seconds",
			   "budget of each run: seconds or N% of the suite"),
		OPT_BOOL(0, "force", &force,
			 "move a hook git-covopt did not write aside"),
		OPT_BOOL('q', "quiet", &quiet, "print nothing but errors"),
		OPT_END(),
	};
	const struct opt_spec uninstall_options[] = {
		OPT_BOOL(0, "pre-commit", &pre_commit,
			 "the pre-commit hook (the default)"),
		OPT_BOOL(0, "pre-push", &pre_push, "the pre-push hook"),
		OPT_BOOL('q', "quiet", &quiet, "print nothing but errors"),
		OPT_END(),
	};
	const struct opt_spec *options;
	unsigned selected;

	argc = parse_options(argc, argv, top_options, hook_usage,
			     PARSE_OPT_STOP_AT_NON_OPTION);
	if (!argc) {
		error("need a subcommand: install or uninstall");
		usage_with_options(hook_usage, NULL);
	}
	if (!strcmp(argv[0], "install")) {
		install = 1;
		options = install_options;
	} else if (!strcmp(argv[0], "uninstall")) {
		install = 0;
		options = uninstall_options;
	} else {
		error("unknown subcommand '%s'", argv[0]);
		usage_with_options(hook_usage, NULL);
	}
	argc = parse_options(argc, argv, options, hook_usage, 0);
	if (argc) {
		error("too many arguments");
		usage_with_options(hook_usage, options);
	}
	if (budget && check_budget(budget))
		usage_with_options(hook_usage, options);
	selected = (pre_commit ? KIND_PRE_COMMIT : 0) |
		   (pre_push ? KIND_PRE_PUSH : 0);
	if (!selected)
		selected = KIND_PRE_COMMIT;
	if (for_each_kind(selected, repo, budget, force, install, quiet))
		return COVOPT_EXIT_FAILURE;
	return 0;
}
