/* glob.h - match a repository path against a glob as .gitignore does.
 * Used for the path lists of .covopt.yml (global_paths, ignore_paths, test_patterns). */
#ifndef COVOPT_GLOB_H
#define COVOPT_GLOB_H

#include "strlist.h"

/*
 * Match a repository path (a file, '/'-separated, no leading '/') against
 * one pattern of .gitignore's PATTERN FORMAT: a pattern without a '/' but
 * a trailing one matches a name at any depth; with a '/' at the start or in
 * the middle, the whole path from the top. A trailing '/' matches only a
 * directory: here, a path under it. '*', '?' and "[a-z]", "[!a]", "[^a]",
 * "[[:digit:]]" classes never match '/'; "**" as a whole segment matches
 * any number of directories; '\' escapes the next character; unescaped
 * trailing spaces are dropped. A file inside a matched directory matches.
 * Unlike a .gitignore line, a leading '#' or '!' is an ordinary character.
 * Time is polynomial in the lengths. Returns 1 on a match, else 0.
 */
int glob_match(const char *pattern, const char *path);

/* 1 if path matches any glob of list (which may be NULL). */
int glob_match_any(const struct strlist *list, const char *path);

#endif
