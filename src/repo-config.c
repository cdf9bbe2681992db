/* repo-config.c - the configuration a repository's commands run with: .covopt.yml, then git config,
 * and what follows from it (notes ref, search depth); config.c stays a pure parser without libgit2. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "python-find.h"
#include "repo-config.h"
#include "repo.h"
#include "sbuf.h"
#include "strlist.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

static int load_file(struct covopt_config *cfg, git_repository *repo)
{
	const char *top = git_repository_workdir(repo);
	struct sbuf path = SBUF_INIT, text = SBUF_INIT;
	int ret = 0;

	if (!top)
		return 0;
	sbuf_addf(&path, "%s%s", top, COVOPT_CONFIG_FILE);
	ret = config_read_file(&text, path.buf, COVOPT_CONFIG_FILE);
	if (!ret)
		ret = config_parse(cfg, text.buf, text.len, COVOPT_CONFIG_FILE);
	ret = ret < 0 ? -1 : 0;
	sbuf_release(&text);
	sbuf_release(&path);
	return ret;
}

/* Replace *field with the git config value of key, when set. */
static void override(char **field, git_repository *repo, const char *key)
{
	char *v = repo_config_string(repo, key);

	if (!v)
		return;
	free(*field);
	*field = v;
}

int repo_load_config(struct covopt_config *cfg, git_repository *repo)
{
	config_init(cfg);
	if (load_file(cfg, repo) < 0)
		return -1;
	override(&cfg->budget, repo, "covopt.budget");
	override(&cfg->notes_ref, repo, "covopt.notesRef");
	override(&cfg->runner, repo, "covopt.runner");
	for (size_t i = 0; i < cfg->runners_nr; i++)
		if (cfg->runners[i].type == RUNNER_PYTEST)
			override(&cfg->runners[i].python_path, repo,
				 PYTHON_FIND_GIT_KEY);
	return 0;
}

int repo_search_depth(git_repository *repo, unsigned *out)
{
	long depth;

	if (repo_config_int(repo, "covopt.searchDepth",
			    COVOPT_DEFAULT_SEARCH_DEPTH, &depth) < 0)
		return -1;
	*out = depth > 0 ? (unsigned)depth : 0;
	return 0;
}

/* Expand a short name as git notes --ref does. */
static char *expand_ref(const char *name)
{
	struct sbuf sb = SBUF_INIT;

	if (!strncmp(name, "refs/", 5))
		sbuf_addstr(&sb, name);
	else if (!strncmp(name, "notes/", 6))
		sbuf_addf(&sb, "refs/%s", name);
	else
		sbuf_addf(&sb, "refs/notes/%s", name);
	return sbuf_detach(&sb, NULL);
}

/* The configured name (git config over .covopt.yml), or NULL for the default. */
static int configured_ref(char **out, git_repository *repo,
			  const struct covopt_config *cfg)
{
	struct covopt_config own;
	int ret = 0;

	*out = NULL;
	if (!cfg) {
		ret = repo_load_config(&own, repo);
		cfg = &own;
	}
	if (!ret && cfg->notes_ref && *cfg->notes_ref)
		*out = expand_ref(cfg->notes_ref);
	if (cfg == &own)
		config_release(&own);
	return ret;
}

char *repo_notes_ref(git_repository *repo, const char *opt,
		     const struct covopt_config *cfg)
{
	const char *env = getenv("COVOPT_NOTES_REF");
	char *name = NULL;
	int valid = 0;

	if (opt && *opt)
		name = expand_ref(opt);
	else if (env && *env)
		name = expand_ref(env);
	else if (configured_ref(&name, repo, cfg) < 0)
		return NULL;
	if (!name)
		name = xstrdup(COVOPT_DEFAULT_NOTES_REF);
	if (git_reference_name_is_valid(&valid, name) < 0 || !valid) {
		error("invalid notes ref '%s'", name);
		FREE_AND_NULL(name);
	}
	return name;
}

/* The remote to name in "git covopt fetch": the only one, else origin
 * when there is one, else a placeholder; NULL without remotes. */
static const char *remote_to_name(const struct strlist *remotes)
{
	if (!remotes->nr)
		return NULL;
	if (remotes->nr == 1)
		return remotes->items[0];
	if (strlist_find_sorted(remotes, "origin") >= 0)
		return "origin";
	return "<remote>";
}

/*
 * The names of the remotes with a URL ("remote.<name>.url"), sorted. The
 * config is walked without a pattern: git_remote_list() matches a regex
 * whose match data libgit2 1.5 never frees.
 */
static void list_remotes(struct strlist *out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;

	if (git_repository_config_snapshot(&cfg, repo) ||
	    git_config_iterator_new(&it, cfg)) {
		git_config_free(cfg);
		return;
	}
	while (!git_config_next(&e, it)) {
		size_t len = strlen(e->name);

		if (len > 11 && !strncmp(e->name, "remote.", 7) &&
		    !strcmp(e->name + len - 4, ".url"))
			strlist_append_nodup(out, xmemdupz(e->name + 7, len - 11));
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	strlist_sort_unique(out);
}

void repo_model_fixes(struct sbuf *out, git_repository *repo, int sign)
{
	struct strlist remotes = STRLIST_INIT;
	const char *remote;

	sbuf_addf(out, "record one with 'git covopt record%s' after a full "
		  "test run", sign ? " --sign" : "");
	/* A config that cannot be read only loses the second fix. */
	list_remotes(&remotes, repo);
	remote = remote_to_name(&remotes);
	if (remote)
		sbuf_addf(out, ", or fetch one with 'git covopt fetch %s'",
			  remote);
	strlist_release(&remotes);
}
