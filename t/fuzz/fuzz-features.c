/* fuzz-features.c - fuzz the Python scanner: source bytes to features and imports.
 * Checks the feature map's invariants: sorted unique names, every line owned, a <module>. */
#include "fuzz.h"
#include "feature-map.h"

static void check_map(const struct feature_map *map)
{
	FUZZ_CHECK(feature_map_find(map, "<module>") >= 0);
	for (size_t i = 0; i < map->nr; i++) {
		const struct feature_span *f = &map->items[i];

		FUZZ_CHECK(!i || strcmp(map->items[i - 1].name, f->name) < 0);
		FUZZ_CHECK(f->kind <= FEATURE_KIND_MAX);
		FUZZ_CHECK(f->first_line <= f->last_line || !f->last_line);
	}
	for (size_t l = 1; l <= map->lines_nr; l++)
		FUZZ_CHECK(map->owner[l] < map->nr);
	for (size_t i = 1; i < map->imports.nr; i++)
		FUZZ_CHECK(strcmp(map->imports.items[i - 1],
				  map->imports.items[i]) < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feature_map map = FEATURE_MAP_INIT;
	/* features_parse() takes any bytes: no NUL terminator here */
	char *copy = xmalloc(size ? size : 1);

	memcpy(copy, data, size);
	if (!features_parse(&map, "pkg/fuzz.py", copy, size))
		check_map(&map);
	feature_map_release(&map);
	free(copy);
	return 0;
}
