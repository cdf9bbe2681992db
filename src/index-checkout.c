/* index-checkout.c - a temporary checkout of the index, so "run --cached" tests what is committed.
 * git checkout-index writes it outside the work tree; signals are held until it is removed again. */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "index-checkout.h"
#include "run-command.h"
#include "sbuf.h"
#include "strlist.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* The signals that end a run early; held while a checkout exists. */
static const int held_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define HELD_NR (sizeof(held_signals) / sizeof(held_signals[0]))

static struct sigaction saved_actions[HELD_NR];
static int holding;
static volatile sig_atomic_t caught_signal;

/* ------------------------------------------------------------------ */
/* Is a checkout needed?                                               */

int index_checkout_needed(git_repository *repo)
{
	git_status_options opts;
	git_status_list *list = NULL;
	size_t n;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
		     GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &opts) < 0)
		return error_git("cannot compare the work tree with the index");
	n = git_status_list_entrycount(list);
	git_status_list_free(list);
	return n > 0;
}

/* ------------------------------------------------------------------ */
/* Signals                                                             */

static void on_signal(int sig)
{
	if (!caught_signal)
		caught_signal = sig;
	run_command_interrupt(sig);
}

/* Catch the signals that are not ignored (a background job ignores SIGINT). */
static void hold_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	caught_signal = 0;
	for (size_t i = 0; i < HELD_NR; i++) {
		sigaction(held_signals[i], NULL, &saved_actions[i]);
		if (saved_actions[i].sa_handler != SIG_IGN)
			sigaction(held_signals[i], &sa, NULL);
	}
	holding = 1;
}

/* Put the old actions back; raise a signal caught meanwhile again. */
static void release_signals(void)
{
	int sig = caught_signal;

	if (!holding)
		return;
	for (size_t i = 0; i < HELD_NR; i++)
		sigaction(held_signals[i], &saved_actions[i], NULL);
	holding = 0;
	if (sig)
		raise(sig);
}

/* ------------------------------------------------------------------ */
/* Making and removing the directory                                   */

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	if (remove(path) < 0 && errno != ENOENT)
		return error("cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

/* rm -rf dir, without following a symlink. */
static int remove_tree(const char *dir)
{
	if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return error("cannot remove the index checkout '%s'", dir);
	return 0;
}

/* mkdir -p for the directories below top in rel. 0 or -1. */
static int make_dirs_below(const char *top, const char *rel)
{
	struct sbuf path = SBUF_INIT;
	int ret = 0;

	sbuf_addstr(&path, top);
	for (const char *p = rel; *p && !ret;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		sbuf_addch(&path, '/');
		sbuf_add(&path, p, len);
		if (len && mkdir(path.buf, 0777) < 0 && errno != EEXIST)
			ret = error("cannot create '%s': %s", path.buf,
				    strerror(errno));
		p += len + (slash ? 1 : 0);
	}
	sbuf_release(&path);
	return ret;
}

/*
 * The current directory relative to the top of the work tree ("" at the
 * top or outside it), into rel.
 */
static void current_prefix(struct sbuf *rel, const char *workdir)
{
	char cwd[PATH_MAX], top[PATH_MAX];
	size_t n;

	if (!getcwd(cwd, sizeof(cwd)) || !realpath(workdir, top))
		return;
	n = strlen(top);
	if (strncmp(cwd, top, n) || (cwd[n] != '/' && cwd[n]))
		return;
	if (n == 1)	/* the work tree is "/" */
		n = 0;
	if (cwd[n] == '/')
		sbuf_addstr(rel, cwd + n + 1);
}

/*
 * git reads a relative $GIT_INDEX_FILE against its current directory,
 * and checkout-index runs at the top: make it absolute first.
 */
static void absolute_index_file(void)
{
	const char *file = getenv("GIT_INDEX_FILE");
	char cwd[PATH_MAX];
	struct sbuf abs = SBUF_INIT;

	if (!file || !*file || *file == '/' || !getcwd(cwd, sizeof(cwd)))
		return;
	sbuf_addf(&abs, "%s/%s", cwd, file);
	setenv("GIT_INDEX_FILE", abs.buf, 1);
	sbuf_release(&abs);
}

static int checkout_index(const char *top, git_repository *repo)
{
	const char *workdir = git_repository_workdir(repo);
	struct strlist argv = STRLIST_INIT;
	struct sbuf arg = SBUF_INIT;
	int status;

	absolute_index_file();
	strlist_append(&argv, "git");
	sbuf_addf(&arg, "--git-dir=%s", git_repository_path(repo));
	strlist_append(&argv, arg.buf);
	sbuf_reset(&arg);
	sbuf_addf(&arg, "--work-tree=%s", workdir);
	strlist_append(&argv, arg.buf);
	strlist_append(&argv, "checkout-index");
	strlist_append(&argv, "-a");
	strlist_append(&argv, "-f");
	sbuf_reset(&arg);
	sbuf_addf(&arg, "--prefix=%s/", top);
	strlist_append(&argv, arg.buf);
	status = run_command_list(&argv, workdir, 0, NULL);
	sbuf_release(&arg);
	strlist_release(&argv);
	if (status > 0)
		error("cannot check out the index into '%s' (git "
		      "checkout-index exit status %d)", top, status);
	return status ? -1 : 0;
}

/*
 * checkout-index leaves a submodule an empty directory: make it a link to
 * the work tree's submodule, so that tests using its files find them.
 */
static int link_submodules(const char *top, git_repository *repo)
{
	const char *workdir = git_repository_workdir(repo);
	git_index *index = NULL;
	struct sbuf at = SBUF_INIT, target = SBUF_INIT;
	int ret = 0;

	if (git_repository_index(&index, repo) < 0)
		return error_git("cannot read the index");
	for (size_t i = 0; !ret && i < git_index_entrycount(index); i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);

		if (e->mode != GIT_FILEMODE_COMMIT)
			continue;
		sbuf_reset(&at);
		sbuf_addf(&at, "%s/%s", top, e->path);
		sbuf_reset(&target);
		sbuf_addf(&target, "%s%s", workdir, e->path);
		if ((rmdir(at.buf) < 0 && errno != ENOENT) ||
		    symlink(target.buf, at.buf) < 0)
			ret = error("cannot link submodule '%s' into '%s': %s",
				    e->path, top, strerror(errno));
	}
	git_index_free(index);
	sbuf_release(&at);
	sbuf_release(&target);
	return ret;
}

int index_checkout_create(struct index_checkout *co, git_repository *repo)
{
	const char *tmp = getenv("TMPDIR");
	const char *workdir = git_repository_workdir(repo);
	struct sbuf dir = SBUF_INIT, rel = SBUF_INIT;

	co->top = co->cwd = NULL;
	if (!workdir)
		return error("cannot check out the index: no work tree");
	sbuf_addf(&dir, "%s/git-covopt-index-XXXXXX",
		  tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		error("cannot create '%s': %s", dir.buf, strerror(errno));
		sbuf_release(&dir);
		return -1;
	}
	co->top = sbuf_detach(&dir, NULL);
	hold_signals();
	current_prefix(&rel, workdir);
	sbuf_addstr(&dir, co->top);
	if (rel.len)
		sbuf_addf(&dir, "/%s", rel.buf);
	co->cwd = sbuf_detach(&dir, NULL);
	if (checkout_index(co->top, repo) < 0 ||
	    link_submodules(co->top, repo) < 0 ||
	    make_dirs_below(co->top, rel.buf) < 0) {
		sbuf_release(&rel);
		index_checkout_remove(co);
		return -1;
	}
	sbuf_release(&rel);
	return 0;
}

int index_checkout_remove(struct index_checkout *co)
{
	int ret = 0;

	if (co->top)
		ret = remove_tree(co->top);
	FREE_AND_NULL(co->top);
	FREE_AND_NULL(co->cwd);
	release_signals();
	return ret;
}
