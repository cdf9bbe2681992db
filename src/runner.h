/* runner.h - runner profiles: collect the suite's test ids and execute a selection.
 * pytest (python -m pytest, Codecov ATS's runner) and "command" (any program, ATS's "DAN"). */
#ifndef COVOPT_RUNNER_H
#define COVOPT_RUNNER_H

#include "config.h"
#include "strlist.h"

/*
 * <python> is the runner's python_path, else the first of python3, python,
 * /usr/bin/python3 that runs pytest (python-find.h).
 */

/*
 * Collect the ids of every test of the suite into out (sorted, unique):
 * pytest: "<python> -m pytest -q --collect-only -p no:cacheprovider
 * <collect_options>" and the node ids of its output; command:
 * collect_command's stdout; both read by runner_parse_ids(), ids split by
 * a newline left out with a warning. Returns 0, or -1 with an error
 * naming the runner when the command cannot run or exits non-zero.
 */
int runner_collect(struct strlist *out, const struct runner_config *r);

/*
 * The ids in len bytes of text a collector printed, appended to out as
 * runner_collect() takes them: pytest: ids one a line up to the summary,
 * where a line that cannot begin a node id continues the one before it
 * (a newline in a parametrize id): such ids are left out and counted in
 * *split; command: every line that is not blank. A trailing CR is
 * dropped. Returns 0, or -1 with an error on a NUL byte.
 */
int runner_parse_ids(struct strlist *out, size_t *split, const char *text,
		     size_t len, const struct runner_config *r);

/*
 * Execute the tests ids (in the given order) and return the runner's exit
 * status: pytest: "<python> -m pytest [--cov=<coverage_root>
 * --cov-context=test when with_coverage] <execute_options> <ids>";
 * command: execute_command + ids. Ids are separate argv words, never
 * parsed by a shell. Returns the status (0 = passed) or -1 if it cannot run.
 */
int runner_execute(const struct runner_config *r, const struct strlist *ids,
		   int with_coverage);

/* The argv runner_execute would run, for --dry-run's runner_options;
 * 0, or -1 after an error (no Python that runs pytest). */
int runner_execute_argv(struct strlist *out, const struct runner_config *r,
			 const struct strlist *ids, int with_coverage);

#endif
