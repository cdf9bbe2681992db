/* output.h - print a selection: node ids a line, NUL-separated, shell lists, or one JSON document.
 * Results go to stdout only; the --verbose report goes to stderr. */
#ifndef COVOPT_OUTPUT_H
#define COVOPT_OUTPUT_H

#include <stdio.h>
#include "sbuf.h"
#include "select.h"

enum output_format {
	OUTPUT_LINES,		/* one id a line, exactly as pytest names it */
	OUTPUT_TERMINAL,	/* one id a line for people: control
				 * characters quoted (quote_c_style) */
	OUTPUT_NUL,		/* ids NUL-terminated (-z, for xargs -0) */
	OUTPUT_JSON,		/* the whole story, with Codecov ATS's keys */
	OUTPUT_SHELL,		/* TESTS_TO_RUN='opt' 'id'... and TESTS_TO_SKIP=..., as ATS */
};

/* Extra facts for the JSON and shell forms (from run --dry-run). */
struct output_extra {
	const struct strlist *runner_options;	/* may be NULL */
	const char *fallback_reason;		/* NULL unless it fell back */
};

/*
 * Write the selection to out in fmt. Returns 0, or -1 after one error line:
 * a write error, or (lines and shell forms, which cannot hold it) an id
 * with a newline; then nothing is written.
 */
int output_selection(FILE *out, const struct selection *s,
		     enum output_format fmt, const struct output_extra *extra);

/* The --verbose report, for people, on err: ids, paths and names from
 * the model have their control characters escaped (quote_escape). */
void output_verbose(FILE *err, const struct selection *s);

/*
 * 0, or -1 after one error line when one of the nr ids at ids (stride
 * bytes apart) holds a newline: "test id '<id, \n shown>' holds a
 * newline: <instead>".
 */
int output_check_one_a_line(const char *const *ids, size_t nr, size_t stride,
			    const char *instead);

/* Append s quoted so that a POSIX shell reads it back as one word. */
void output_shell_quote(struct sbuf *out, const char *s);

#endif
