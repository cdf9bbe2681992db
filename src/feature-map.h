/* feature-map.h - split a source file into code features: functions, methods, class bodies, module level.
 * Python is read with py-lexer's tokens; other files are one "<file>" feature. */
#ifndef COVOPT_FEATURE_MAP_H
#define COVOPT_FEATURE_MAP_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"
#include "strlist.h"

/* Refuse to parse sources larger than this (bytes). */
#define FEATURES_MAX_SOURCE ((size_t)64 << 20)

struct feature_span {
	char *name;		/* "<module>", "Class", "Class.method", "func", "<file>" */
	enum feature_kind kind;
	uint64_t hash;		/* hash of the normalized body, see hash_line() in feature-map.c */
	uint32_t first_line;	/* 1-based; decorators included */
	uint32_t last_line;	/* last line of the body (inclusive) */
	/* First line of a def's or class's body, below its header (decorators,
	 * signature, defaults); 0 for a body on the header's line, "<module>"
	 * and "<file>". header_hash hashes the header alone (the whole
	 * feature when there is no body_line), normalized as hash is. */
	uint32_t body_line;
	uint64_t header_hash;
};

struct feature_map {
	struct feature_span *items;	/* sorted by name (strcmp), unique */
	size_t nr, alloc;
	/* owner[l] = index into items of the feature that owns line l,
	 * for 1 <= l <= lines_nr; owner[0] is unused. Python lines end at
	 * "\n", "\r\n" or a lone "\r", other files' lines at "\n". */
	uint32_t *owner;
	size_t lines_nr;
	/*
	 * Python only (NULL otherwise), for 1 <= l <= lines_nr: line_hash[l]
	 * is a non-zero hash of the code of a significant line (one holding a
	 * token other than a comment or a line end: the lines a feature's body
	 * hash covers), 0 for the others; stmt[l] is the first line of the
	 * logical line (statement) a significant line belongs to, else 0. The
	 * k-th significant line a feature owns is stable while its hash is.
	 */
	uint64_t *line_hash;
	uint32_t *stmt;
	/* Python only, for code lines: the indentation column (tabs to 8)
	 * of the first line of its statement, else 0. */
	uint32_t *indent;
	/* Modules this file imports, as written but absolute where possible:
	 * "os.path", "pkg.mod", and for "from pkg.mod import name" both
	 * "pkg.mod" and "pkg.mod.name"; relative imports keep their leading
	 * dots ("..util", ".helpers"). Found at every statement start: line
	 * starts, after ';' and after the ':' of a compound statement (if,
	 * try, case...), in any block. Sorted, unique. */
	struct strlist imports;
};

#define FEATURE_MAP_INIT { .items = NULL, .imports = STRLIST_INIT }

/* 1 if path names a Python source file (".py" or ".pyi"). */
int features_is_python(const char *path);

/*
 * Parse buf (len bytes, any bytes, need not be NUL-terminated) of the file at
 * path (used for the language and for messages) into out, which must be
 * FEATURE_MAP_INIT or released. Python files always have a "<module>"
 * feature; other files have exactly one "<file>" feature. Never fails on odd
 * code (unbalanced brackets, unterminated strings, bad bytes): it does its
 * best. Returns 0, or -1 with an error if the source is too large.
 */
int features_parse(struct feature_map *out, const char *path, const char *buf,
		   size_t len);

/*
 * features_parse() with FEATURES_* flags. FEATURES_SIG_ONLY: line_hash[l] is
 * 1 for a significant line instead of its hash (cheaper, for callers that
 * only ask which lines are significant); everything else is the same.
 */
#define FEATURES_SIG_ONLY 1u
int features_parse_flags(struct feature_map *out, const char *path,
			 const char *buf, size_t len, unsigned flags);

/*
 * The significant lines feature k of map owns, in order, into *lines (a
 * malloc'ed array, NULL when none); returns how many. 0 for non-Python.
 */
size_t feature_map_sig_lines(const struct feature_map *map, size_t k,
			     uint32_t **lines);

/* Index of the feature called name in map, or -1. */
long feature_map_find(const struct feature_map *map, const char *name);

void feature_map_release(struct feature_map *map);

#endif
