/* fuzz-config.c - fuzz the .covopt.yml reader (runner commands are split while it reads),
 * then match the globs it accepted against fixed paths. */
#include "fuzz.h"
#include "config.h"
#include "glob.h"

static const char *const paths[] = {
	"conftest.py", "pkg/mod.py", "tests/test_a.py", "docs/a/b/c.md",
	"requirements-dev.txt", "[x].py",
};

static void match_all(const struct strlist *globs)
{
	for (size_t i = 0; i < globs->nr; i++)
		for (size_t j = 0; j < sizeof(paths) / sizeof(*paths); j++)
			glob_match(globs->items[i], paths[j]);
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
	}
	config_release(&cfg);
	return 0;
}
