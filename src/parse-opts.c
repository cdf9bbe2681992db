/* parse-opts.c - table-driven command-line options, in the manner of git's parse-options.
 * Supports -abc clusters, -tVALUE, -t VALUE, --long=VALUE, --long VALUE, --no-long and "--". */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "parse-opts.h"
#include "usage.h"
#include "banned.h"

static int takes_arg(const struct opt_spec *o)
{
	return o->type == OPTION_STRING || o->type == OPTION_LIST ||
	       o->type == OPTION_INT;
}

static void print_usage(FILE *out, const char *const *usagestr,
			const struct opt_spec *opts)
{
	for (size_t i = 0; usagestr[i]; i++)
		fprintf(out, "%s%s\n", i ? "   or: " : "usage: ", usagestr[i]);
	for (const struct opt_spec *o = opts; o && o->type != OPTION_END; o++) {
		char head[128];
		int n = 0;

		if (o->type == OPTION_GROUP) {
			fprintf(out, "\n%s\n", o->help ? o->help : "");
			continue;
		}
		if (o == opts)
			fputc('\n', out);
		if (o->short_name)
			n += snprintf(head + n, sizeof(head) - n, "-%c",
				      o->short_name);
		if (o->long_name)
			n += snprintf(head + n, sizeof(head) - n, "%s--%s",
				      o->short_name ? ", " : "", o->long_name);
		if (takes_arg(o))
			snprintf(head + n, sizeof(head) - n, " <%s>",
				 o->argh ? o->argh : "value");
		fprintf(out, "    %-26s %s\n", head, o->help ? o->help : "");
	}
	fputc('\n', out);
}

void usage_with_options(const char *const *usagestr,
			const struct opt_spec *opts)
{
	print_usage(stderr, usagestr, opts);
	exit(COVOPT_EXIT_USAGE);
}

static void usage_error(const char *const *usagestr,
			const struct opt_spec *opts, const char *fmt, ...)
	COVOPT_PRINTF(3, 4) COVOPT_NORETURN;

static void usage_error(const char *const *usagestr,
			const struct opt_spec *opts, const char *fmt, ...)
{
	va_list ap;

	fputs("error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_with_options(usagestr, opts);
}

static int set_value(const struct opt_spec *o, const char *arg, int negated,
		     const char *const *usagestr, const struct opt_spec *opts)
{
	switch (o->type) {
	case OPTION_BOOL:
		*(int *)o->value = !negated;
		return 0;
	case OPTION_COUNT:
		*(int *)o->value = negated ? 0 : *(int *)o->value + 1;
		return 0;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTION_LIST:
		strlist_append(o->value, arg);
		return 0;
	case OPTION_INT: {
		char *end;
		long v;

		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < INT_MIN || v > INT_MAX)
			usage_error(usagestr, opts,
				    "option expects an integer, got '%s'", arg);
		*(int *)o->value = (int)v;
		return 0;
	}
	default:
		BUG("option type %d cannot take a value", o->type);
	}
}

static const struct opt_spec *find_long(const struct opt_spec *opts,
					 const char *name, size_t len,
					 int *negated)
{
	*negated = 0;
	for (const struct opt_spec *o = opts; o->type != OPTION_END; o++)
		if (o->long_name && strlen(o->long_name) == len &&
		    !strncmp(o->long_name, name, len))
			return o;
	if (len > 3 && !strncmp(name, "no-", 3)) {
		for (const struct opt_spec *o = opts; o->type != OPTION_END;
		     o++)
			if (o->long_name && !takes_arg(o) &&
			    strlen(o->long_name) == len - 3 &&
			    !strncmp(o->long_name, name + 3, len - 3)) {
				*negated = 1;
				return o;
			}
	}
	return NULL;
}

static const struct opt_spec *find_short(const struct opt_spec *opts, int c)
{
	for (const struct opt_spec *o = opts; o->type != OPTION_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

/* Parse one long option at argv[*i]; may consume argv[*i + 1]. */
static void parse_long(const char **argv, int argc, int *i,
		       const struct opt_spec *opts,
		       const char *const *usagestr)
{
	const char *name = argv[*i] + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int negated;
	const struct opt_spec *o = find_long(opts, name, len, &negated);

	if (!o)
		usage_error(usagestr, opts, "unknown option '%s'", name);
	if (!takes_arg(o)) {
		if (eq)
			usage_error(usagestr, opts, "option '%s' takes no value",
				    o->long_name);
		set_value(o, NULL, negated, usagestr, opts);
		return;
	}
	if (eq) {
		set_value(o, eq + 1, 0, usagestr, opts);
		return;
	}
	if (*i + 1 >= argc)
		usage_error(usagestr, opts, "option '%s' requires a value",
			    o->long_name);
	set_value(o, argv[++*i], 0, usagestr, opts);
}

/* Parse a cluster of short options at argv[*i]; may consume argv[*i + 1]. */
static void parse_short(const char **argv, int argc, int *i,
			const struct opt_spec *opts,
			const char *const *usagestr)
{
	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct opt_spec *o = find_short(opts, *p);
		char name[2] = { *p, '\0' };

		if (!o)
			usage_error(usagestr, opts, "unknown switch '%s'", name);
		if (!takes_arg(o)) {
			set_value(o, NULL, 0, usagestr, opts);
			continue;
		}
		if (p[1]) {
			set_value(o, p + 1, 0, usagestr, opts);
			return;
		}
		if (*i + 1 >= argc)
			usage_error(usagestr, opts,
				    "switch '%s' requires a value", name);
		set_value(o, argv[++*i], 0, usagestr, opts);
		return;
	}
}

int parse_options(int argc, const char **argv, const struct opt_spec *opts,
		  const char *const *usagestr, int flags)
{
	int out = 0;
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			if (flags & PARSE_OPT_KEEP_DASHDASH)
				argv[out++] = arg;
			i++;
			break;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help-all")) {
			print_usage(stdout, usagestr, opts);
			exit(COVOPT_EXIT_USAGE);
		}
		if (arg[0] != '-' || !arg[1]) {
			argv[out++] = arg;
			if (flags & PARSE_OPT_STOP_AT_NON_OPTION) {
				i++;
				break;
			}
			continue;
		}
		if (arg[1] == '-')
			parse_long(argv, argc, &i, opts, usagestr);
		else
			parse_short(argv, argc, &i, opts, usagestr);
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	return out;
}
