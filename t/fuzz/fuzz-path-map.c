/* fuzz-path-map.c - fuzz mapping recorded paths to repository paths.
 * Input: extra repository paths, a blank line, then one recorded path a line. */
#include "fuzz.h"
#include "path-map.h"

static const char *const fixed_paths[] = {
	"pkg/mod.py", "src/pkg/mod.py", "tests/test_mod.py", "mod.py",
	"a/b/c/d.py", "x/b/c/d.py", "README",
};

/* 1 if the last component of recorded ('/' or '\\' separated, trailing
 * separators ignored) is the basename of the tracked path. */
static int same_basename(const char *tracked, const char *recorded)
{
	const char *slash = strrchr(tracked, '/');
	const char *base = slash ? slash + 1 : tracked;
	size_t end = strlen(recorded), start;

	while (end && (recorded[end - 1] == '/' || recorded[end - 1] == '\\'))
		end--;
	for (start = end; start && recorded[start - 1] != '/' &&
	     recorded[start - 1] != '\\'; start--)
		;
	return strlen(base) == end - start &&
	       !memcmp(base, recorded + start, end - start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist paths = STRLIST_INIT, recorded = STRLIST_INIT;
	struct path_map map;
	size_t used = fuzz_first_part(data, size);

	for (size_t i = 0; i < sizeof(fixed_paths) / sizeof(*fixed_paths); i++)
		strlist_append(&paths, fixed_paths[i]);
	fuzz_split_lines(&paths, data, used, 1);
	fuzz_sort_unique(&paths);
	fuzz_split_lines(&recorded, data + used, size - used, 0);
	path_map_init(&map, &paths);
	for (size_t i = 0; i < recorded.nr; i++) {
		long at = path_map_resolve(&map, recorded.items[i]);

		FUZZ_CHECK(at >= -1 && at < (long)paths.nr);
		FUZZ_CHECK(at < 0 ||
			   same_basename(paths.items[at], recorded.items[i]));
	}
	path_map_release(&map);
	strlist_release(&paths);
	strlist_release(&recorded);
	return 0;
}
