/* junit-xml.h - read pytest's JUnit XML report (xunit1 and xunit2) with expat.
 * Each testcase gives classname, name, file, duration and outcome; suites give total time. */
#ifndef COVOPT_JUNIT_XML_H
#define COVOPT_JUNIT_XML_H

#include <stddef.h>
#include <stdio.h>
#include "model.h"

#define JUNIT_MAX_SIZE ((size_t)256 << 20)
/* The longest time="..." we take, in seconds (about 116 days). */
#define JUNIT_MAX_TIME 1e7

struct junit_case {
	char *classname;	/* "tests.test_a.TestX" */
	char *name;		/* "test_y[1-2]" */
	char *file;		/* "tests/test_a.py" (xunit1 only), else NULL */
	double time;		/* seconds, >= 0 */
	enum test_outcome outcome;	/* passed, failed, error, skipped */
};

struct junit_report {
	struct junit_case *cases;
	size_t nr, alloc;
	double suite_time;	/* sum of <testsuite time=...> */
};

#define JUNIT_REPORT_INIT { .cases = NULL }

/*
 * Parse the JUnit XML file at path, appending its test cases to report.
 * A testcase with <failure> is failed, with <error> error (pytest also
 * reports a failing teardown of a passed test as a second testcase entry
 * with <error>: the worst outcome wins when the same classname+name
 * appears twice, and times add up), with <skipped> skipped. Errors (one
 * line naming the file and line): cannot open, not well-formed XML
 * (truncated or garbage), no <testsuite> root, a bad time attribute
 * (only plain decimals, as "1.25" or "2e-3", up to JUNIT_MAX_TIME seconds:
 * no sign, hex, inf or nan).
 * Returns 0 or -1; on -1 nothing from this file is appended.
 */
int junit_load(struct junit_report *report, const char *path);

/* The same from the open stream fp (read to its end; not closed), named
 * what in messages: a file junit_load() opened, or memory (fmemopen). */
int junit_load_stream(struct junit_report *report, FILE *fp,
		      const char *what);

void junit_report_release(struct junit_report *report);

#endif
