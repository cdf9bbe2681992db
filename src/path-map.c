/* src/path-map.c - placeholder, being written */
extern int covopt_placeholder_path_map;
