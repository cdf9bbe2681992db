/* fuzz-imports.c - fuzz import resolution: import names against an index of paths.
 * Input: extra repository paths, a blank line, the importer, then one import name a line. */
#include "fuzz.h"
#include "imports.h"

static const char *const fixed_paths[] = {
	"pkg/__init__.py", "pkg/mod.py", "pkg/sub/__init__.py",
	"pkg/sub/deep.py", "src/pkg/mod.py", "lib/util.pyi", "setup.py",
	"tests/test_mod.py", "README.md", "a.b/c.py",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist paths = STRLIST_INIT, names = STRLIST_INIT;
	struct import_index idx;
	size_t used = fuzz_first_part(data, size), nr = 0;
	uint32_t *found;

	for (size_t i = 0; i < sizeof(fixed_paths) / sizeof(*fixed_paths); i++)
		strlist_append(&paths, fixed_paths[i]);
	fuzz_split_lines(&paths, data, used, 1);
	fuzz_sort_unique(&paths);
	fuzz_split_lines(&names, data + used, size - used, 0);
	import_index_build(&idx, &paths);
	found = import_index_resolve(&idx, names.nr ? names.items[0] : "",
				     &names, &nr);
	for (size_t i = 0; i < nr; i++) {
		FUZZ_CHECK(found[i] < paths.nr);
		FUZZ_CHECK(!i || found[i - 1] < found[i]);
	}
	free(found);
	import_index_release(&idx);
	strlist_release(&paths);
	strlist_release(&names);
	return 0;
}
