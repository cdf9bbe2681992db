/* builtin/select-args.c - the command line select and run share: revisions, paths, --confidence.
 * "A..B", "A...B", "A B", "A" or nothing, then "--" and paths (from the current directory, as git
 * reads them), into struct select_options. */
#include <stdlib.h>
#include <string.h>
#include "builtin/select-args.h"
#include "relative-id.h"
#include "repo.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* "A..B", "A...B", "A B", "A" or nothing into the options. */
int select_args_revisions(struct select_options *o, int argc,
			  const char **argv, char **owned)
{
	const char *dots;

	if (argc > 2)
		return error("too many revisions (at most a base and a head)");
	if (argc == 2) {
		o->base_rev = argv[0];
		o->head_rev = argv[1];
		return 0;
	}
	if (!argc)
		return 0;
	dots = strstr(argv[0], "..");
	if (!dots) {
		o->base_rev = argv[0];
		return 0;
	}
	*owned = xstrdup(argv[0]);
	(*owned)[dots - argv[0]] = '\0';
	o->merge_base = !strncmp(dots, "...", 3);
	o->base_rev = **owned ? *owned : "HEAD";
	o->head_rev = dots + (o->merge_base ? 3 : 2);
	if (!*o->head_rev)
		o->head_rev = "HEAD";
	return 0;
}

/*
 * The paths, given in the current directory, as pathspecs from the top;
 * one naming the whole work tree ("." at the top) leaves none. Dies on
 * a path outside the work tree, as git does.
 */
static void add_paths(struct select_options *o, git_repository *repo,
		      int argc, const char **argv)
{
	char *prefix = repo_prefix(repo);
	struct sbuf path = SBUF_INIT;
	int whole = 0;

	for (int i = 0; i < argc; i++) {
		sbuf_reset(&path);
		if (top_path(&path, argv[i], prefix) < 0)
			die("'%s' is outside the repository (paths are "
			    "relative to the current directory)", argv[i]);
		whole |= !path.len;
		strlist_append(&o->pathspec, path.buf);
	}
	if (whole)
		strlist_release(&o->pathspec);
	sbuf_release(&path);
	free(prefix);
}

int select_args_positionals(struct select_options *o, git_repository *repo,
			    int argc, const char **argv, char **owned)
{
	int dashdash = argc;

	for (int i = 0; i < argc && dashdash == argc; i++)
		if (!strcmp(argv[i], "--"))
			dashdash = i;
	if (dashdash + 1 < argc)
		add_paths(o, repo, argc - dashdash - 1, argv + dashdash + 1);
	return select_args_revisions(o, dashdash, argv, owned);
}

int select_args_confidence(struct select_options *o, const char *value)
{
	char *end;
	double v;

	if (!value)
		return 0;
	v = strtod(value, &end);
	if (end == value || *end || !(v > 0 && v <= 1))
		return error("bad confidence '%s': give a share in (0, 1], "
			     "like 0.95", value);
	o->confidence = v;
	return 0;
}
