/* fuzz-config.c - fuzz the .covopt.yml reader, then the globs and commands it accepted.
 * Globs are matched against fixed paths; runner commands are split as the runner would. */
#include "fuzz.h"
#include "config.h"

static const char *const paths[] = {
	"conftest.py", "pkg/mod.py", "tests/test_a.py", "docs/a/b/c.md",
	"requirements-dev.txt", "[x].py",
};

static void match_all(const struct strlist *globs)
{
	for (size_t i = 0; i < globs->nr; i++)
		for (size_t j = 0; j < sizeof(paths) / sizeof(*paths); j++)
			config_glob_match(globs->items[i], paths[j]);
}

static void split_all(const struct strlist *words)
{
	for (size_t i = 0; i < words->nr; i++) {
		struct strlist argv = STRLIST_INIT;

		config_split_command(&argv, words->items[i], "fuzz command");
		strlist_release(&argv);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct covopt_config cfg;

	config_init(&cfg);
	if (!config_parse(&cfg, (const char *)data, size, "fuzz.yml")) {
		FUZZ_CHECK(config_runner(&cfg, "pytest"));
		FUZZ_CHECK(!cfg.runner || config_runner(&cfg, cfg.runner));
		match_all(&cfg.global_paths);
		match_all(&cfg.ignore_paths);
		match_all(&cfg.test_patterns);
		for (size_t i = 0; i < cfg.runners_nr; i++) {
			split_all(&cfg.runners[i].collect_command);
			split_all(&cfg.runners[i].execute_command);
		}
	}
	config_release(&cfg);
	return 0;
}
