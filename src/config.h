/* config.h - .covopt.yml, read with libyaml into struct covopt_config with defaults.
 * Unknown keys, duplicate keys, wrong types: one error with file:line:column and the key. */
#ifndef COVOPT_CONFIG_H
#define COVOPT_CONFIG_H

#include <stddef.h>
#include "strlist.h"

#define COVOPT_CONFIG_FILE ".covopt.yml"
#define CONFIG_MAX_SIZE ((size_t)1 << 20)
#define CONFIG_MAX_DEPTH 8

enum runner_type {
	RUNNER_PYTEST,		/* python -m pytest */
	RUNNER_COMMAND,		/* any command: collect prints ids, execute takes them */
};

struct runner_config {
	char *name;
	enum runner_type type;
	/* pytest */
	char *python_path;		/* NULL = unset: found by python-find.c */
	char *coverage_root;		/* --cov=<root>, default "." */
	struct strlist collect_options;	/* extra args for --collect-only */
	struct strlist execute_options;	/* extra args when executing */
	/* command */
	struct strlist collect_command;	/* argv; prints one test id a line */
	struct strlist execute_command;	/* argv; selected ids are appended */
	/* not from .covopt.yml: where collect and execute run (NULL: here) */
	const char *dir;
};

struct covopt_config {
	char *budget;			/* as written: "10", "2.5", "5%"; NULL = unset */
	char *notes_ref;		/* NULL = unset */
	struct strlist global_paths;	/* globs whose change affects every test */
	struct strlist ignore_paths;	/* globs whose change affects no test */
	struct strlist test_patterns;	/* globs of test files */
	struct strlist coverage_files;	/* record's default --coverage */
	struct strlist junit_files;	/* record's default --junit */
	struct strlist always_run;	/* test ids always selected */
	char *runner;			/* default runner name; NULL = "pytest" */
	struct runner_config *runners;	/* configured runners; "pytest" always exists */
	size_t runners_nr, runners_alloc;
};

/* Fill cfg with the defaults: global paths conftest.py, pyproject.toml,
 * setup.cfg, setup.py, tox.ini, pytest.ini, requirements*.txt; test
 * patterns test_*.py, *_test.py; a "pytest" runner. */
void config_init(struct covopt_config *cfg);
void config_release(struct covopt_config *cfg);

/*
 * Parse YAML text (len bytes) named what (for messages) over the defaults
 * in cfg (config_init first). A list given in the file replaces the
 * default list. Errors: "what:LINE:COL: ..." naming the key. Returns 0/-1.
 */
int config_parse(struct covopt_config *cfg, const char *buf, size_t len,
		 const char *what);

/*
 * Read the config file at path (named what in messages) into sb: 0, 1
 * when there is no such file, or -1 after one error line; a file over
 * CONFIG_MAX_SIZE bytes is refused at the line and column of the limit.
 */
struct sbuf;
int config_read_file(struct sbuf *sb, const char *path, const char *what);

/* Read the file at path if it exists (a missing file is not an error:
 * defaults stay). Returns 0 or -1. */
int config_load_file(struct covopt_config *cfg, const char *path);

/* The one place that picks the runner: name (--runner) when given, else
 * runner of .covopt.yml, else "pytest". */
const char *config_runner_name(const struct covopt_config *cfg,
			       const char *name);

/* The runner config_runner_name() picks from name (NULL: the default), or
 * NULL when there is none of that name. */
const struct runner_config *config_runner(const struct covopt_config *cfg,
					  const char *name);

#endif
