/* parse-opts.h - table-driven command-line options, in the manner of git's parse-options.
 * -h prints usage and the table and exits 129; unknown options are usage errors (exit 129). */
#ifndef COVOPT_PARSE_OPTS_H
#define COVOPT_PARSE_OPTS_H

#include "strlist.h"

enum opt_type {
	OPTION_END,
	OPTION_GROUP,
	OPTION_BOOL,	/* int *, set to 1; --no-NAME sets 0 */
	OPTION_STRING,	/* const char **, points into argv */
	OPTION_LIST,	/* struct strlist *, appended on each use */
	OPTION_INT,	/* int *, decimal, range-checked */
	OPTION_COUNT,	/* int *, incremented (e.g. -v -v) */
};

struct opt_spec {
	enum opt_type type;
	int short_name;
	const char *long_name;
	void *value;
	const char *argh;
	const char *help;
};

#define OPT_END() { OPTION_END, 0, NULL, NULL, NULL, NULL }
#define OPT_GROUP(h) { OPTION_GROUP, 0, NULL, NULL, NULL, (h) }
#define OPT_BOOL(s, l, v, h) { OPTION_BOOL, (s), (l), (v), NULL, (h) }
#define OPT_COUNT(s, l, v, h) { OPTION_COUNT, (s), (l), (v), NULL, (h) }
#define OPT_STRING(s, l, v, a, h) { OPTION_STRING, (s), (l), (v), (a), (h) }
#define OPT_LIST(s, l, v, a, h) { OPTION_LIST, (s), (l), (v), (a), (h) }
#define OPT_INT(s, l, v, a, h) { OPTION_INT, (s), (l), (v), (a), (h) }

/* Keep a "--" separator among the returned arguments. */
#define PARSE_OPT_KEEP_DASHDASH 1
/* Stop at the first non-option argument (for subcommand dispatch). */
#define PARSE_OPT_STOP_AT_NON_OPTION 2

/*
 * Parse argv[1..argc-1] against opts. Positional arguments are moved to the
 * front of argv (argv[0] is dropped) and their count is returned. On -h the
 * usage is printed to stdout and the process exits 129; on a bad option an
 * error and the usage go to stderr and the process exits 129.
 */
int parse_options(int argc, const char **argv, const struct opt_spec *opts,
		  const char *const *usagestr, int flags);

/* Print usage (and the option table, if any) to stderr and exit 129. */
void usage_with_options(const char *const *usagestr,
			const struct opt_spec *opts) __attribute__((noreturn));

#endif
