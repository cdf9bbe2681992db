/* builtin/sync.c - "git covopt fetch" and "git covopt push": share models through a remote.
 * The user's own git carries the notes ref (their credentials apply); notes-merge.c merges it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtin.h"
#include "notes-merge.h"
#include "notes-store.h"
#include "parse-opts.h"
#include "repo.h"
#include "run-command.h"
#include "signing.h"
#include "repo-config.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* How often a push that lost the race on the remote starts over. */
#define PUSH_MAX_ATTEMPTS 5
/* git ls-remote --exit-code: no matching ref. */
#define LS_REMOTE_NO_MATCH 2

static const char *const fetch_usage[] = {
	"git covopt fetch [--setup] [--ref <ref>] [--trust=<any|signed>] [-q] [<remote>]",
	NULL
};

static const char *const push_usage[] = {
	"git covopt push [--setup] [--ref <ref>] [--trust=<any|signed>] [-q] [<remote>]",
	NULL
};

struct sync_options {
	const char *remote_opt;	/* from the command line, or NULL */
	const char *ref_opt;
	const char *trust_opt;	/* --trust, or NULL: covopt.trust */
	int setup;
	int quiet;
	char *remote;		/* the remote in use */
	char *ref;		/* our notes ref */
	char *tracking;		/* where their notes are fetched */
};

static void sync_options_release(struct sync_options *o)
{
	FREE_AND_NULL(o->remote);
	FREE_AND_NULL(o->ref);
	FREE_AND_NULL(o->tracking);
}

/* ------------------------------------------------------------------ */
/* Which remote                                                        */
/* ------------------------------------------------------------------ */

/* branch.<current>.remote, or NULL (detached HEAD, unborn, unset). */
static char *branch_remote(git_repository *repo)
{
	git_reference *head = NULL;
	struct sbuf key = SBUF_INIT;
	char *remote = NULL;

	if (git_repository_head(&head, repo) < 0 ||
	    !git_reference_is_branch(head))
		goto cleanup;
	sbuf_addf(&key, "branch.%s.remote",
		  git_reference_shorthand(head));
	remote = repo_config_string(repo, key.buf);
cleanup:
	sbuf_release(&key);
	git_reference_free(head);
	return remote;
}

/*
 * A configured remote has a URL (or a push URL). Read from the config:
 * libgit2 1.5's git_remote_lookup() leaks pcre2 match data.
 */
static int remote_exists(git_repository *repo, const char *name)
{
	static const char *const keys[] = { "url", "pushurl" };
	int found = 0;

	for (size_t i = 0; !found && i < 2; i++) {
		struct sbuf key = SBUF_INIT;
		char *value;

		sbuf_addf(&key, "remote.%s.%s", name, keys[i]);
		value = repo_config_string(repo, key.buf);
		found = !!value;
		free(value);
		sbuf_release(&key);
	}
	return found;
}

/* Fill o->remote, o->ref and o->tracking; the remote must exist. */
static int resolve_names(struct sync_options *o, git_repository *repo)
{
	if (o->remote_opt)
		o->remote = xstrdup(o->remote_opt);
	else if (!(o->remote = branch_remote(repo)))
		o->remote = xstrdup("origin");
	if (!remote_exists(repo, o->remote))
		return error("no such remote '%s'", o->remote);
	if (!(o->ref = repo_notes_ref(repo, o->ref_opt, NULL)) ||
	    !(o->tracking = notes_merge_remote_ref(o->ref, o->remote)))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fetch and merge                                                     */
/* ------------------------------------------------------------------ */

/* 1 when the remote has our notes ref, 0 when not, -1 on error. */
static int remote_has_notes(const struct sync_options *o)
{
	const char *argv[] = { "git", "ls-remote", "--exit-code", o->remote,
			       o->ref, NULL };
	struct child c = {
		.argv = argv, .capture = 1, .no_stdin = 1, .out = SBUF_INIT,
	};
	struct sbuf line = SBUF_INIT;
	int status, found = 0;

	status = run_command(&c);
	if (status == 0) {
		/* the pattern also matches longer names ending in it */
		sbuf_addf(&line, "\t%s\n", o->ref);
		found = !!strstr(c.out.buf, line.buf);
	} else if (status != LS_REMOTE_NO_MATCH) {
		found = error("cannot list the refs of remote '%s'",
			      o->remote);
	}
	sbuf_release(&line);
	sbuf_release(&c.out);
	return found;
}

/* git fetch <remote> +<ref>:<tracking>. 0 or -1. */
static int fetch_notes(const struct sync_options *o, git_repository *repo)
{
	struct sbuf spec = SBUF_INIT;
	const char *argv[] = { "git", "fetch", "--quiet", "--no-tags",
			       "--no-write-fetch-head", o->remote, NULL,
			       NULL };
	struct child c = {
		.argv = argv, .no_stdin = 1, .out = SBUF_INIT,
	};
	git_odb *odb = NULL;
	int status;

	sbuf_addf(&spec, "+%s:%s", o->ref, o->tracking);
	argv[6] = spec.buf;
	status = run_command(&c);
	sbuf_release(&spec);
	sbuf_release(&c.out);
	if (status)
		return error("cannot fetch '%s' from '%s'", o->ref, o->remote);
	/* objects git just wrote are in packs libgit2 has not seen yet */
	if (git_repository_odb(&odb, repo) < 0 || git_odb_refresh(odb) < 0) {
		git_odb_free(odb);
		return error_git("cannot read the object database");
	}
	git_odb_free(odb);
	return 0;
}

static void report_merge(const struct sync_options *o, int result)
{
	static const char *const what[] = {
		[NOTES_MERGE_UP_TO_DATE] = "up to date with",
		[NOTES_MERGE_FAST_FORWARD] = "fast-forwarded to the notes of",
		[NOTES_MERGE_MERGED] = "merged with the notes of",
	};

	if (!o->quiet)
		fprintf(stderr, "%s: %s '%s'\n", o->ref, what[result],
			o->remote);
}

/* Fetch the remote's notes and merge them into ours. *has_remote tells
 * whether the remote holds the notes ref. 0 or -1. */
static int fetch_and_merge(const struct sync_options *o,
			   git_repository *repo, int *has_remote)
{
	struct signing_setup signing;
	int r;

	*has_remote = remote_has_notes(o);
	if (*has_remote < 0)
		return -1;
	if (!*has_remote) {
		if (!o->quiet)
			fprintf(stderr, "%s: remote '%s' has no notes yet\n",
				o->ref, o->remote);
		return 0;
	}
	if (signing_setup_load(&signing, repo, 0, o->trust_opt) < 0)
		return -1;
	r = fetch_notes(o, repo) < 0 ? -1 :
	    notes_merge_trusted(repo, o->ref, o->tracking,
				signing_setup_trust(&signing));
	signing_setup_release(&signing);
	if (r < 0)
		return -1;
	report_merge(o, r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* --setup                                                             */
/* ------------------------------------------------------------------ */

/* What the remote's fetch (push) refspecs hold. */
struct refspec_scan {
	const char *want;
	int found;
	size_t nr;
};

static int scan_refspec(const git_config_entry *e, void *payload)
{
	struct refspec_scan *scan = payload;

	scan->nr++;
	scan->found |= !strcmp(e->value, scan->want);
	return 0;
}

/* Look for spec among remote.<name>.fetch (push). 0 or -1. */
static int find_refspec(struct refspec_scan *scan, git_repository *repo,
			const char *name, const char *spec, int push)
{
	git_config *cfg = NULL;
	struct sbuf key = SBUF_INIT;
	int r;

	memset(scan, 0, sizeof(*scan));
	scan->want = spec;
	sbuf_addf(&key, "remote.%s.%s", name, push ? "push" : "fetch");
	r = git_repository_config_snapshot(&cfg, repo);
	if (!r)
		r = git_config_get_multivar_foreach(cfg, key.buf, NULL,
						    scan_refspec, scan);
	git_config_free(cfg);
	if (r < 0 && r != GIT_ENOTFOUND)
		error_git("cannot read '%s'", key.buf);
	sbuf_release(&key);
	return r < 0 && r != GIT_ENOTFOUND ? -1 : 0;
}

/* git config --add remote.<name>.fetch (push) <spec>. 0 or -1. */
static int add_refspec(const char *name, const char *spec, int push)
{
	struct sbuf key = SBUF_INIT;
	const char *argv[] = { "git", "config", "--add", NULL, spec, NULL };
	struct child c = {
		.argv = argv, .no_stdin = 1, .out = SBUF_INIT,
	};
	int status;

	sbuf_addf(&key, "remote.%s.%s", name, push ? "push" : "fetch");
	argv[3] = key.buf;
	status = run_command(&c);
	if (status)
		error("cannot add '%s' to '%s'", spec, key.buf);
	sbuf_release(&key);
	sbuf_release(&c.out);
	return status ? -1 : 0;
}

static int setup_fetch(const struct sync_options *o, git_repository *repo)
{
	struct sbuf spec = SBUF_INIT;
	struct refspec_scan scan;
	int ret;

	sbuf_addf(&spec, "+%s:%s", o->ref, o->tracking);
	ret = find_refspec(&scan, repo, o->remote, spec.buf, 0);
	if (!ret && !scan.found)
		ret = add_refspec(o->remote, spec.buf, 0);
	if (!ret && !o->quiet)
		fprintf(stderr, "'git fetch %s' now brings '%s' into '%s'\n",
			o->remote, o->ref, o->tracking);
	sbuf_release(&spec);
	return ret;
}

/* A push refspec replaces git's default of pushing the current branch:
 * when the remote had none, "HEAD" keeps that. */
static int setup_push(const struct sync_options *o, git_repository *repo)
{
	struct sbuf spec = SBUF_INIT;
	struct refspec_scan scan;
	int ret;

	sbuf_addf(&spec, "%s:%s", o->ref, o->ref);
	ret = find_refspec(&scan, repo, o->remote, spec.buf, 1);
	if (!ret && !scan.nr)
		ret = add_refspec(o->remote, "HEAD", 1);
	if (!ret && !scan.found)
		ret = add_refspec(o->remote, spec.buf, 1);
	if (!ret && !o->quiet)
		fprintf(stderr, "'git push %s' now pushes '%s'%s\n", o->remote,
			o->ref, scan.nr ? "" : " and the current branch");
	sbuf_release(&spec);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Push                                                                */
/* ------------------------------------------------------------------ */

/* git push <remote> <ref>:<ref>: 0 pushed, 1 rejected (the remote
 * moved meanwhile), -1 any other failure. */
static int push_notes(const struct sync_options *o)
{
	struct sbuf spec = SBUF_INIT, rejected = SBUF_INIT;
	const char *argv[] = { "git", "-c", "advice.pushUpdateRejected=false",
			       "push", "--porcelain", "--quiet", o->remote,
			       NULL, NULL };
	struct child c = {
		.argv = argv, .capture = 1, .no_stdin = 1, .out = SBUF_INIT,
	};
	int status, ret = -1;

	sbuf_addf(&spec, "%s:%s", o->ref, o->ref);
	argv[7] = spec.buf;
	sbuf_addf(&rejected, "!\t%s\t", spec.buf);
	status = run_command(&c);
	if (!status)
		ret = 0;
	else if (status == 1 && strstr(c.out.buf, rejected.buf))
		ret = 1;
	else
		error("cannot push '%s' to '%s'", o->ref, o->remote);
	sbuf_release(&spec);
	sbuf_release(&rejected);
	sbuf_release(&c.out);
	return ret;
}

static int local_notes_exist(git_repository *repo, const char *ref)
{
	git_oid id;
	int r = git_reference_name_to_id(&id, repo, ref);

	if (r == GIT_ENOTFOUND)
		return 0;
	if (r < 0)
		return error_git("cannot read notes ref '%s'", ref);
	return 1;
}

static int push(const struct sync_options *o, git_repository *repo)
{
	int has_remote, r;

	for (unsigned attempt = 1; attempt <= PUSH_MAX_ATTEMPTS; attempt++) {
		if (fetch_and_merge(o, repo, &has_remote) < 0 ||
		    (r = local_notes_exist(repo, o->ref)) < 0)
			return -1;
		if (!r) {
			if (!o->quiet)
				fprintf(stderr, "%s: no notes to push\n",
					o->ref);
			return 0;
		}
		r = push_notes(o);
		if (r <= 0) {
			if (!r && !o->quiet)
				fprintf(stderr, "%s: pushed to '%s'\n",
					o->ref, o->remote);
			return r;
		}
		if (!o->quiet)
			fprintf(stderr, "%s: '%s' moved meanwhile; merging "
				"again (attempt %u of %d)\n", o->ref,
				o->remote, attempt + 1, PUSH_MAX_ATTEMPTS);
	}
	return error("cannot push '%s' to '%s': it kept moving (%d attempts)",
		     o->ref, o->remote, PUSH_MAX_ATTEMPTS);
}

/* ------------------------------------------------------------------ */
/* The commands                                                        */
/* ------------------------------------------------------------------ */

/* Parse the options shared by fetch and push; at most one <remote>. */
static void parse_sync_options(struct sync_options *o, int argc,
			       const char **argv,
			       const char *const *usagestr)
{
	const struct opt_spec options[] = {
		OPT_BOOL(0, "setup", &o->setup,
			 "configure the remote so that plain git fetch/push "
			 "carry the notes"),
		OPT_STRING(0, "ref", &o->ref_opt, "ref",
			   "notes ref (default refs/notes/covopt)"),
		OPT_STRING(0, "trust", &o->trust_opt, "any|signed",
			   "in a merge, keep signed models over unsigned ones"),
		OPT_BOOL('q', "quiet", &o->quiet, "print nothing but errors"),
		OPT_END(),
	};

	argc = parse_options(argc, argv, options, usagestr, 0);
	if (argc > 1) {
		error("too many arguments");
		usage_with_options(usagestr, options);
	}
	o->remote_opt = argc ? argv[0] : NULL;
}

int cmd_fetch(int argc, const char **argv, git_repository *repo)
{
	struct sync_options o;
	int has_remote = 0, ret = -1;

	memset(&o, 0, sizeof(o));
	parse_sync_options(&o, argc, argv, fetch_usage);
	if (resolve_names(&o, repo) < 0 ||
	    fetch_and_merge(&o, repo, &has_remote) < 0)
		goto cleanup;
	if (o.setup && !has_remote) {
		/* git fetch fails on a configured ref the remote lacks */
		error("not configuring '%s': it has no '%s' yet, and plain "
		      "'git fetch' would fail; push some first with 'git "
		      "covopt push --setup %s'", o.remote, o.ref, o.remote);
		goto cleanup;
	}
	if (o.setup && setup_fetch(&o, repo) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	sync_options_release(&o);
	return ret ? COVOPT_EXIT_FAILURE : 0;
}

int cmd_push(int argc, const char **argv, git_repository *repo)
{
	struct sync_options o;
	int ret = -1;

	memset(&o, 0, sizeof(o));
	parse_sync_options(&o, argc, argv, push_usage);
	if (resolve_names(&o, repo) < 0 || push(&o, repo) < 0)
		goto cleanup;
	if (o.setup && local_notes_exist(repo, o.ref) <= 0) {
		error("not configuring '%s': there are no notes in '%s' to "
		      "push yet", o.remote, o.ref);
		goto cleanup;
	}
	if (o.setup && (setup_fetch(&o, repo) < 0 || setup_push(&o, repo) < 0))
		goto cleanup;
	ret = 0;
cleanup:
	sync_options_release(&o);
	return ret ? COVOPT_EXIT_FAILURE : 0;
}
