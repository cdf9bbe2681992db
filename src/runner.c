/* runner.c - runner profiles: collect the suite's test ids and execute a selection.
 * Both profiles build an argv (never a shell string); ids that look like options are refused. */
#include <stdlib.h>
#include <string.h>
#include "runner.h"
#include "run-command.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* A collected suite is text, one id a line: this is plenty. */
#define RUNNER_MAX_COLLECT ((size_t)64 << 20)
/* pytest's exit status when it collected no tests. */
#define PYTEST_NO_TESTS 5

static const char *runner_name(const struct runner_config *r)
{
	if (r->name && *r->name)
		return r->name;
	return r->type == RUNNER_PYTEST ? "pytest" : "command";
}

static const char *python_path(const struct runner_config *r)
{
	return r->python_path && *r->python_path ? r->python_path : "python3";
}

static void append_all(struct strlist *out, const struct strlist *from)
{
	for (size_t i = 0; i < from->nr; i++)
		strlist_append(out, from->items[i]);
}

/* A NULL-terminated view of list's items (free() only the array). */
static const char **argv_array(const struct strlist *list)
{
	const char **args = xcalloc(st_add(list->nr, 1), sizeof(*args));

	for (size_t i = 0; i < list->nr; i++)
		args[i] = list->items[i];
	return args;
}

static void sort_unique(struct strlist *list)
{
	size_t kept = 0;

	strlist_sort(list);
	for (size_t i = 0; i < list->nr; i++) {
		if (kept && !strcmp(list->items[kept - 1], list->items[i])) {
			free(list->items[i]);
			continue;
		}
		list->items[kept++] = list->items[i];
	}
	list->nr = kept;
}

/* ------------------------------------------------------------------ */
/* Collecting                                                          */

static int is_blank(const char *s)
{
	return !s[strspn(s, " \t")];
}

/*
 * Split the collector's output into ids. pytest: lines holding "::" up
 * to the first blank line (the summary and any warnings follow it);
 * command: every line that is not blank (empty or only spaces and tabs).
 * A trailing CR is dropped; ids are otherwise kept as printed.
 */
static int parse_ids(struct strlist *out, const struct sbuf *text,
		     const struct runner_config *r)
{
	const char *p = text->buf, *end = text->buf + text->len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t len = (eol ? eol : end) - p;
		char *line;

		if (len && p[len - 1] == '\r')
			len--;
		if (memchr(p, '\0', len))
			return error("runner '%s' printed a test id holding "
				     "a NUL byte", runner_name(r));
		line = xmemdupz(p, len);
		p = eol ? eol + 1 : end;
		if (r->type == RUNNER_PYTEST && is_blank(line)) {
			free(line);
			break;
		}
		if (is_blank(line) ||
		    (r->type == RUNNER_PYTEST && !strstr(line, "::")))
			free(line);
		else
			strlist_append_nodup(out, line);
	}
	return 0;
}

static void collect_argv(struct strlist *argv, const struct runner_config *r)
{
	if (r->type == RUNNER_COMMAND) {
		append_all(argv, &r->collect_command);
		return;
	}
	strlist_append(argv, python_path(r));
	strlist_append(argv, "-m");
	strlist_append(argv, "pytest");
	strlist_append(argv, "-q");
	strlist_append(argv, "--collect-only");
	strlist_append(argv, "-p");
	strlist_append(argv, "no:cacheprovider");
	append_all(argv, &r->collect_options);
}

int runner_collect(struct strlist *out, const struct runner_config *r)
{
	struct strlist argv = STRLIST_INIT, ids = STRLIST_INIT;
	struct sbuf text = SBUF_INIT;
	const char **args = NULL;
	struct child c = { 0 };
	int ret = -1, status;

	collect_argv(&argv, r);
	if (!argv.nr) {
		error("runner '%s' has no collect command", runner_name(r));
		goto cleanup;
	}
	args = argv_array(&argv);
	c.argv = args;
	c.capture = 1;
	c.no_stdin = 1;
	c.max_output = RUNNER_MAX_COLLECT;
	c.out = text;
	status = run_command(&c);
	text = c.out;
	if (status < 0) {
		error("runner '%s' cannot collect tests", runner_name(r));
		goto cleanup;
	}
	if (r->type == RUNNER_PYTEST && status == PYTEST_NO_TESTS) {
		ret = 0;
		goto cleanup;
	}
	if (status) {
		error("runner '%s' failed to collect tests (exit status %d)",
		      runner_name(r), status);
		goto cleanup;
	}
	if (parse_ids(&ids, &text, r) < 0)
		goto cleanup;
	for (size_t i = 0; i < ids.nr; i++)
		strlist_append_nodup(out, ids.items[i]);
	ids.nr = 0;
	sort_unique(out);
	ret = 0;

cleanup:
	free(args);
	strlist_release(&ids);
	sbuf_release(&text);
	strlist_release(&argv);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Executing                                                           */

/* Append the ids to argv, refusing any that would read as an option;
 * returns how many were refused. */
static size_t append_ids(struct strlist *argv, const struct runner_config *r,
			 const struct strlist *ids)
{
	size_t refused = 0;

	for (size_t i = 0; i < ids->nr; i++) {
		if (ids->items[i][0] == '-' || !ids->items[i][0]) {
			error("runner '%s': refusing test id '%s'",
			      runner_name(r), ids->items[i]);
			refused++;
			continue;
		}
		strlist_append(argv, ids->items[i]);
	}
	return refused;
}

/* The argv without ids; the ids go after it. */
static void execute_head(struct strlist *out, const struct runner_config *r,
			 int with_coverage)
{
	if (r->type == RUNNER_COMMAND) {
		append_all(out, &r->execute_command);
		return;
	}
	strlist_append(out, python_path(r));
	strlist_append(out, "-m");
	strlist_append(out, "pytest");
	if (with_coverage) {
		struct sbuf cov = SBUF_INIT;

		sbuf_addf(&cov, "--cov=%s", r->coverage_root &&
			  *r->coverage_root ? r->coverage_root : ".");
		strlist_append_nodup(out, sbuf_detach(&cov, NULL));
		strlist_append(out, "--cov-context=test");
	}
	append_all(out, &r->execute_options);
	/* Whatever the options above, what follows is node ids, not options. */
	strlist_append(out, "--");
}

void runner_execute_argv(struct strlist *out, const struct runner_config *r,
			 const struct strlist *ids, int with_coverage)
{
	execute_head(out, r, with_coverage);
	append_ids(out, r, ids);
}

int runner_execute(const struct runner_config *r, const struct strlist *ids,
		   int with_coverage)
{
	struct strlist argv = STRLIST_INIT;
	const char **args = NULL;
	struct child c = { 0 };
	size_t head, refused;
	int ret = -1;

	sbuf_init(&c.out, 0);
	execute_head(&argv, r, with_coverage);
	head = argv.nr;
	refused = append_ids(&argv, r, ids);
	if (argv.nr == head) {
		/* Nothing to run: an empty selection passes. */
		ret = refused ? -1 : 0;
		goto cleanup;
	}
	if (r->type == RUNNER_COMMAND && !r->execute_command.nr) {
		error("runner '%s' has no execute command", runner_name(r));
		goto cleanup;
	}
	args = argv_array(&argv);
	c.argv = args;
	c.no_stdin = 1;
	ret = run_command(&c);

cleanup:
	free(args);
	strlist_release(&argv);
	return ret;
}
