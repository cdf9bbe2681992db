/* python-find.h - which Python runs a pytest runner: the configured one, else the first that can.
 * Decided in one place, probed only when a pytest runner starts, once a process. */
#ifndef COVOPT_PYTHON_FIND_H
#define COVOPT_PYTHON_FIND_H

#include "strlist.h"

/* The git config key that sets every pytest runner's python_path. */
#define PYTHON_FIND_GIT_KEY "covopt.pythonPath"

/*
 * The interpreters to try, in order, into out: configured alone when it
 * is set (not NULL nor empty), else "python3", "python" (looked up in
 * PATH), "/usr/bin/python3".
 */
void python_candidates(struct strlist *out, const char *configured);

/*
 * The interpreter of runner runner_name: configured when set (not
 * probed), else the first candidate that runs "-m pytest --version"
 * successfully (quietly; the answer is kept for the rest of the process).
 * Returns a string that lives until exit, or NULL after one error naming
 * what was tried, the .covopt.yml key and the git config key to set.
 */
const char *python_find(const char *configured, const char *runner_name);

#endif
