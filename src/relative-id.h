/* relative-id.h - test ids relative to the current directory, as pytest resolves path arguments.
 * Only the file part of an id (before the first "::") is a path; the rest is left as it is. Paths
 * given in the current directory go the other way, to the top. */
#ifndef COVOPT_RELATIVE_ID_H
#define COVOPT_RELATIVE_ID_H

#include "sbuf.h"

/*
 * Append to out the test id (its file part relative to the top of the work
 * tree) as seen from the directory prefix ("" for the top, else "dir/" or
 * "dir/sub/", relative to the top, '/'-terminated): "tests/t.py::test_x"
 * from "tests/" is "t.py::test_x", from "src/" "../tests/t.py::test_x".
 */
void relative_id(struct sbuf *out, const char *id, const char *prefix);

/*
 * The directory cwd relative to the directory top (both absolute, without
 * symbolic links), as relative_id() takes it: "" when cwd is top or not
 * inside it, else "dir/sub/". A new string.
 */
char *relative_prefix(const char *top, const char *cwd);

/*
 * Append to out the path given on the command line in the directory prefix
 * (as relative_id() takes it) as a path from the top, the way git reads a
 * pathspec: from "sub/", "mod.py" is "sub/mod.py", "../x" is "x" and "."
 * is "sub"; ":/x" is "x" from anywhere. "" names the whole work tree.
 * 0, or -1 (out unchanged) when path is absolute or leaves the top.
 */
int top_path(struct sbuf *out, const char *path, const char *prefix);

#endif
