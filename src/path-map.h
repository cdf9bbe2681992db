/* path-map.h - map file paths recorded on another machine to repository paths.
 * Longest matching suffix of path components wins; ties are ambiguous and refused. */
#ifndef COVOPT_PATH_MAP_H
#define COVOPT_PATH_MAP_H

#include "strlist.h"

struct path_map {
	const struct strlist *repo_paths;	/* borrowed, sorted */
	void *by_basename;			/* private index */
};

/* Index the sorted repository paths (borrowed; must outlive the map). */
void path_map_init(struct path_map *map, const struct strlist *repo_paths);
void path_map_release(struct path_map *map);

/*
 * The repository path that recorded (an absolute or relative path,
 * '/' or '\\' separated) stands for: the tracked path sharing the most
 * trailing components with it, at least the basename. Returns the index
 * into repo_paths, or -1 when no tracked path matches or when two match
 * equally well (ambiguous).
 */
long path_map_resolve(const struct path_map *map, const char *recorded);

#endif
