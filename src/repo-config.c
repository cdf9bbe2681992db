/* repo-config.c - the configuration a repository's commands run with: .covopt.yml, then git config.
 * Reading the file here keeps config.c free of libgit2, so it stays a pure, unit-tested parser. */
#include <stdlib.h>
#include <unistd.h>
#include "notes-store.h"
#include "repo-config.h"
#include "repo.h"
#include "sbuf.h"
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
	if (!access(path.buf, F_OK))
		ret = sbuf_read_file(&text, path.buf, CONFIG_MAX_SIZE) < 0 ||
		      config_parse(cfg, text.buf, text.len,
				   COVOPT_CONFIG_FILE) < 0 ? -1 : 0;
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
	return 0;
}

char *repo_notes_ref(git_repository *repo, const char *opt)
{
	struct covopt_config cfg;
	char *ref = NULL;

	if (opt || getenv("COVOPT_NOTES_REF"))
		return notes_store_ref_name(repo, opt);
	if (repo_load_config(&cfg, repo) == 0)
		ref = notes_store_ref_name(repo, cfg.notes_ref);
	config_release(&cfg);
	return ref;
}
