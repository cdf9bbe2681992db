/* fuzz-features.c - fuzz the Python scanner: source bytes to features, imports and data-file names.
 * Checks the feature map's invariants: sorted unique names, every line owned, a <module>. */
#include "fuzz.h"
#include "data-refs.h"
#include "feature-map.h"

static void check_map(const struct feature_map *map)
{
	FUZZ_CHECK(feature_map_find(map, "<module>") >= 0);
	for (size_t i = 0; i < map->nr; i++) {
		const struct feature_span *f = &map->items[i];

		FUZZ_CHECK(!i || strcmp(map->items[i - 1].name, f->name) < 0);
		FUZZ_CHECK(f->kind <= FEATURE_KIND_MAX);
		FUZZ_CHECK(f->first_line <= f->last_line || !f->last_line);
		FUZZ_CHECK(f->last_line <= map->lines_nr);
	}
	for (size_t l = 1; l <= map->lines_nr; l++)
		FUZZ_CHECK(map->owner[l] < map->nr);
	for (size_t i = 1; i < map->imports.nr; i++)
		FUZZ_CHECK(strcmp(map->imports.items[i - 1],
				  map->imports.items[i]) < 0);
}

/* The same bytes give the same features, hashes and imports. */
static void check_same(const struct feature_map *a, const struct feature_map *b)
{
	FUZZ_CHECK(a->nr == b->nr && a->lines_nr == b->lines_nr &&
		   a->imports.nr == b->imports.nr);
	for (size_t i = 0; i < a->nr; i++)
		FUZZ_CHECK(!strcmp(a->items[i].name, b->items[i].name) &&
			   a->items[i].hash == b->items[i].hash);
	for (size_t l = 1; l <= a->lines_nr; l++)
		FUZZ_CHECK(a->owner[l] == b->owner[l]);
	for (size_t i = 0; i < a->imports.nr; i++)
		FUZZ_CHECK(!strcmp(a->imports.items[i], b->imports.items[i]));
}

/* Lines naming a data file are ascending lines of the source. */
static void check_data_refs(const struct feature_map *map, const char *buf,
			    size_t size)
{
	uint32_t *lines;
	size_t nr = data_refs_lines(buf, size, "a.txt", &lines);

	for (size_t i = 0; i < nr; i++)
		FUZZ_CHECK(lines[i] >= 1 && lines[i] <= map->lines_nr &&
			   (!i || lines[i - 1] < lines[i]));
	free(lines);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feature_map map = FEATURE_MAP_INIT, again = FEATURE_MAP_INIT;
	/* features_parse() takes any bytes: no NUL terminator here */
	char *copy = xmalloc(size ? size : 1);

	memcpy(copy, data, size);
	if (!features_parse(&map, "pkg/fuzz.py", copy, size)) {
		check_map(&map);
		FUZZ_CHECK(!features_parse(&again, "pkg/fuzz.py", copy, size));
		check_same(&map, &again);
		check_data_refs(&map, copy, size);
	}
	feature_map_release(&map);
	feature_map_release(&again);
	free(copy);
	return 0;
}
