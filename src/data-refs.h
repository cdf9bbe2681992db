/* data-refs.h - which lines of Python code name a data file in a string literal.
 * A changed file that is not code reaches the code that opens it: "default_en.txt", "data/x.json". */
#ifndef COVOPT_DATA_REFS_H
#define COVOPT_DATA_REFS_H

#include <stddef.h>
#include <stdint.h>

/*
 * 1 if name occurs in s[0..n) as a whole file name: neither side touches a
 * letter, digit, '_', '.' or '-' ("data/x.json" and "x.json" name
 * "x.json"; "x.json.gz" and "old_x.json" do not). A name without a '.'
 * counts only after '/' or a backslash ("etc/VERSION", not "VERSION": such a
 * string is more often a word). An empty name never does.
 */
int data_refs_names(const char *s, size_t n, const char *name);

/*
 * The lines of Python source buf[0..len) (untrusted bytes) on which a
 * string literal naming name starts, ascending and unique, into *lines
 * (malloc'ed, NULL when none); returns how many. Comments do not count.
 */
size_t data_refs_lines(const char *buf, size_t len, const char *name,
		       uint32_t **lines);

#endif
