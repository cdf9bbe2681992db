/* fuzz-coverage-context.c - fuzz the parsers of coverage contexts and pytest node ids.
 * Each line is a context ("nodeid|phase") and a JUnit "classname<TAB>name<TAB>file". */
#include "fuzz.h"
#include "ingest/coverage-db.h"
#include "nodeid.h"
#include "sbuf.h"

static const char *const repo_paths[] = {
	"pkg/mod.py", "tests/__init__.py", "tests/test_a.py",
	"tests/v1.2/test_b.py", "tests/test_a_more.py",
};

static void junit_side(const char *line, const struct strlist *paths)
{
	char *copy = xstrdup(line), *fields[3] = { copy, NULL, NULL };
	char *nodeid;

	for (int i = 1; i < 3; i++) {
		char *tab = fields[i - 1] ? strchr(fields[i - 1], '\t') : NULL;

		if (tab) {
			*tab = '\0';
			fields[i] = tab + 1;
		}
	}
	nodeid = nodeid_from_junit(fields[0], fields[1], fields[2], paths);
	free(nodeid);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist lines = STRLIST_INIT, paths = STRLIST_INIT;
	struct sbuf key = SBUF_INIT;

	for (size_t i = 0; i < sizeof(repo_paths) / sizeof(*repo_paths); i++)
		strlist_append(&paths, repo_paths[i]);
	strlist_sort(&paths);
	fuzz_split_lines(&lines, data, size, 0);
	for (size_t i = 0; i < lines.nr; i++) {
		const char *phase = NULL;
		char *nodeid = coverage_context_nodeid(lines.items[i], &phase);

		FUZZ_CHECK(phase);
		if (nodeid) {
			nodeid_junit_key(&key, nodeid);
			FUZZ_CHECK(memchr(key.buf, '\t', key.len));
		}
		free(nodeid);
		junit_side(lines.items[i], &paths);
	}
	sbuf_release(&key);
	strlist_release(&lines);
	strlist_release(&paths);
	return 0;
}
