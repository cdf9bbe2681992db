/* nodeid.h - pytest node ids and their JUnit (classname, name) form.
 * pytest derives classname from the node id; we go both ways to join JUnit with coverage. */
#ifndef COVOPT_NODEID_H
#define COVOPT_NODEID_H

#include "sbuf.h"
#include "strlist.h"

/*
 * Append the len bytes of name as pytest's junitxml writes a test name
 * (bin_xml_escape): a character XML 1.0 forbids becomes the text "#x1B"
 * ("#x%02X", or "#x%04X" past U+00FF), other bytes are copied.
 */
void nodeid_junit_escape(struct sbuf *out, const char *name, size_t len);

/*
 * Write the JUnit key "classname\tname" of a node id into out, as pytest's
 * junitxml plugin derives it: "tests/test_a.py::TestX::test_y[p::q]" has
 * classname "tests.test_a.TestX" and name "test_y[p::q]"; the name is
 * escaped as by nodeid_junit_escape().
 */
void nodeid_junit_key(struct sbuf *out, const char *nodeid);

/*
 * Guess the node id of a JUnit test case seen in no coverage context:
 * find the longest dotted prefix of classname that names a tracked Python
 * file (repo_paths sorted; "a.b.c" -> "a/b/c.py"), the rest are classes.
 * With file (xunit1) given, it is used directly. An escaped control
 * character in name ("#x1B") is taken back. Returns a new string, or
 * NULL when no tracked file matches.
 */
char *nodeid_from_junit(const char *classname, const char *name,
			const char *file, const struct strlist *repo_paths);

#endif
