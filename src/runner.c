/* runner.c - runner profiles: collect the suite's test ids and execute a selection.
 * Both profiles build an argv (never a shell string); ids that look like options are refused. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "python-find.h"
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

/* The interpreter: python_path, else the one python_find() probes. */
static const char *python_path(const struct runner_config *r)
{
	return python_find(r->python_path, runner_name(r));
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

/* ------------------------------------------------------------------ */
/* Collecting                                                          */

static int is_blank(const char *s)
{
	return !s[strspn(s, " \t")];
}

/* pytest's summary: "=== warnings summary ===", "4 tests collected in
 * 0.01s", "2/4 tests collected (2 deselected) in 0.01s". */
static int is_summary(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (*s == '=')
		return 1;
	if (n && s[n] == '/' && isdigit((unsigned char)s[n + 1]))
		n += 1 + strspn(s + n + 1, "0123456789");
	return n && (!strncmp(s + n, " tests collected", 16) ||
		     !strncmp(s + n, " test collected", 15));
}

/* Where the ids end: at the summary, or at the blank line before it. */
static size_t ids_end(const struct strlist *lines)
{
	for (size_t i = 0; i < lines->nr; i++) {
		size_t j = i;

		if (is_summary(lines->items[i]))
			return i;
		if (!is_blank(lines->items[i]))
			continue;
		while (j < lines->nr && is_blank(lines->items[j]))
			j++;
		if (j == lines->nr || is_summary(lines->items[j]))
			return i;
	}
	return lines->nr;
}

/* Can line begin a node id: "<file>::<name>", the name opening its
 * parameters ("[") before it closes any? */
static int starts_id(const char *line)
{
	const char *name = strstr(line, "::");
	size_t open;

	if (!name || name == line)
		return 0;
	name += 2;
	open = strcspn(name, "[");
	return !memchr(name, ']', open);
}

/* A whole id: it also closes the parameters it opens. */
static int whole_id(const char *line)
{
	const char *name = strstr(line, "::") + 2;
	size_t len = strlen(name);

	return !strchr(name, '[') || name[len - 1] == ']';
}

/* Keep id unless a newline split it; 1 when it was split. */
static size_t finish_id(struct strlist *out, const char *id, int split)
{
	if (!id)
		return 0;
	if (split)
		return 1;
	strlist_append(out, id);
	return 0;
}

/*
 * pytest -q: one id a line up to the summary. A line that cannot begin
 * an id continues the one before it, as a newline in a parametrize id
 * (printed as is only with disable_test_id_escaping_and_forfeit_all_
 * rights_to_community_support) leaves it: such ids are counted in
 * *split and left out. Lines before the first id are not ids.
 */
static void pytest_ids(struct strlist *out, size_t *split,
		       const struct strlist *lines)
{
	size_t end = ids_end(lines);
	const char *id = NULL;
	int broken = 0;

	for (size_t i = 0; i < end; i++) {
		const char *line = lines->items[i];

		if (starts_id(line)) {
			*split += finish_id(out, id, broken);
			id = line;
			broken = !whole_id(line);
		} else if (id) {
			broken = 1;
		}
	}
	*split += finish_id(out, id, broken);
}

int runner_parse_ids(struct strlist *out, size_t *split, const char *text,
		     size_t len, const struct runner_config *r)
{
	struct strlist lines = STRLIST_INIT;
	const char *p = text, *end = text + len;

	*split = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (eol ? eol : end) - p;

		if (n && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n)) {
			strlist_release(&lines);
			return error("runner '%s' printed a test id holding "
				     "a NUL byte", runner_name(r));
		}
		strlist_append_nodup(&lines, xmemdupz(p, n));
		p = eol ? eol + 1 : end;
	}
	if (r->type == RUNNER_PYTEST)
		pytest_ids(out, split, &lines);
	else
		for (size_t i = 0; i < lines.nr; i++)
			if (!is_blank(lines.items[i]))
				strlist_append(out, lines.items[i]);
	strlist_release(&lines);
	return 0;
}

static int collect_argv(struct strlist *argv, const struct runner_config *r)
{
	const char *python;

	if (r->type == RUNNER_COMMAND) {
		append_all(argv, &r->collect_command);
		return 0;
	}
	if (!(python = python_path(r)))
		return -1;
	strlist_append(argv, python);
	strlist_append(argv, "-m");
	strlist_append(argv, "pytest");
	strlist_append(argv, "-q");
	strlist_append(argv, "--collect-only");
	strlist_append(argv, "-p");
	strlist_append(argv, "no:cacheprovider");
	append_all(argv, &r->collect_options);
	return 0;
}

int runner_collect(struct strlist *out, const struct runner_config *r)
{
	struct strlist argv = STRLIST_INIT, ids = STRLIST_INIT;
	struct sbuf text = SBUF_INIT;
	const char **args = NULL;
	struct child c = { 0 };
	size_t split;
	int ret = -1, status;

	if (collect_argv(&argv, r) < 0)
		goto cleanup;
	if (!argv.nr) {
		error("runner '%s' has no collect command", runner_name(r));
		goto cleanup;
	}
	args = argv_array(&argv);
	c.argv = args;
	c.dir = r->dir;
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
	if (runner_parse_ids(&ids, &split, text.buf, text.len, r) < 0)
		goto cleanup;
	if (split)
		warning("runner '%s' printed %zu test id%s split over lines "
			"(a newline in a parametrize id?): left out",
			runner_name(r), split, split == 1 ? "" : "s");
	for (size_t i = 0; i < ids.nr; i++)
		strlist_append_nodup(out, ids.items[i]);
	ids.nr = 0;
	strlist_sort_unique(out);
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

/* The argv without ids; the ids go after it. 0, or -1 without a Python. */
static int execute_head(struct strlist *out, const struct runner_config *r,
			int with_coverage)
{
	const char *python;

	if (r->type == RUNNER_COMMAND) {
		append_all(out, &r->execute_command);
		return 0;
	}
	if (!(python = python_path(r)))
		return -1;
	strlist_append(out, python);
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
	return 0;
}

int runner_execute_argv(struct strlist *out, const struct runner_config *r,
			const struct strlist *ids, int with_coverage)
{
	if (execute_head(out, r, with_coverage) < 0)
		return -1;
	append_ids(out, r, ids);
	return 0;
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
	if (execute_head(&argv, r, with_coverage) < 0)
		goto cleanup;
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
	c.dir = r->dir;
	c.no_stdin = 1;
	ret = run_command(&c);

cleanup:
	free(args);
	strlist_release(&argv);
	return ret;
}
