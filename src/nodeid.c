/* nodeid.c - pytest node ids and their JUnit (classname, name) form.
 * Forward as pytest's junitxml mangles; backward via tracked module paths. */
#include <stdlib.h>
#include <string.h>
#include "nodeid.h"
#include "xalloc.h"
#include "banned.h"

/*
 * Append the file part of a node id in dotted form: "/" becomes "." and a
 * final ".py" goes, as pytest's mangle_test_address() does.
 */
static void add_dotted_path(struct sbuf *out, const char *path, size_t len)
{
	if (len >= 3 && !memcmp(path + len - 3, ".py", 3))
		len -= 3;
	for (size_t i = 0; i < len; i++)
		sbuf_addch(out, path[i] == '/' ? '.' : path[i]);
}

/* The next "::" in [p, end), or NULL. */
static const char *find_sep(const char *p, const char *end)
{
	for (; p + 1 < end; p++)
		if (p[0] == ':' && p[1] == ':')
			return p;
	return NULL;
}

void nodeid_junit_key(struct sbuf *out, const char *nodeid)
{
	const char *end = nodeid + strcspn(nodeid, "[");
	const char *piece = nodeid, *sep;
	int first = 1;

	sbuf_reset(out);
	/* every "::" piece before the last one belongs to classname */
	while ((sep = find_sep(piece, end))) {
		if (first)
			add_dotted_path(out, piece, sep - piece);
		else {
			sbuf_addch(out, '.');
			sbuf_add(out, piece, sep - piece);
		}
		first = 0;
		piece = sep + 2;
	}
	sbuf_addch(out, '\t');
	if (first)
		add_dotted_path(out, piece, end - piece);
	else
		sbuf_add(out, piece, end - piece);
	sbuf_addstr(out, end);
}

/*
 * Build "path::A::B::name" where classes is the dotted rest of classname
 * after the module ("A.B"), possibly empty.
 */
static char *make_nodeid(const char *path, const char *classes,
			 const char *name)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, path);
	while (*classes) {
		size_t len = strcspn(classes, ".");

		sbuf_addstr(&sb, "::");
		sbuf_add(&sb, classes, len);
		classes += len;
		if (*classes)
			classes++;
	}
	sbuf_addstr(&sb, "::");
	sbuf_addstr(&sb, name);
	return sbuf_detach(&sb, NULL);
}

/*
 * If the dotted form of path (see add_dotted_path) is classname itself or
 * a "."-bounded prefix of it, return what follows the prefix (past the
 * dot); else NULL.
 */
static const char *strip_module(const char *classname, const char *path)
{
	size_t len = strlen(path);
	const char *c = classname;

	if (len >= 3 && !strcmp(path + len - 3, ".py"))
		len -= 3;
	for (size_t i = 0; i < len; i++, c++)
		if (*c != (path[i] == '/' ? '.' : path[i]))
			return NULL;
	if (*c == '.')
		return c + 1;
	return *c ? NULL : c;
}

static int is_python_path(const char *path)
{
	size_t len = strlen(path);

	return len > 3 && !strcmp(path + len - 3, ".py");
}

/*
 * The tracked Python file whose dotted form is the longest prefix of
 * classname, or -1. A plain scan: "a.b.c" cannot simply become "a/b/c.py"
 * because directories may have dots in their names ("tests/v1.2/").
 */
static long find_module(const char *classname,
			const struct strlist *repo_paths)
{
	size_t best_len = 0;
	long found = -1;

	for (size_t i = 0; i < repo_paths->nr; i++) {
		const char *path = repo_paths->items[i];
		const char *rest;

		if (!is_python_path(path))
			continue;
		rest = strip_module(classname, path);
		if (rest && (size_t)(rest - classname) > best_len) {
			best_len = rest - classname;
			found = (long)i;
		}
	}
	return found;
}

char *nodeid_from_junit(const char *classname, const char *name,
			const char *file, const struct strlist *repo_paths)
{
	const char *rest;
	long pos;

	if (!name || !*name)
		return NULL;
	if (!classname || !*classname) {
		/* a collection error: name is the dotted module itself */
		pos = find_module(name, repo_paths);
		if (pos < 0)
			return NULL;
		rest = strip_module(name, repo_paths->items[pos]);
		return rest && !*rest ? xstrdup(repo_paths->items[pos]) : NULL;
	}
	if (file && *file && (rest = strip_module(classname, file)))
		return make_nodeid(file, rest, name);
	pos = find_module(classname, repo_paths);
	if (pos < 0)
		return NULL;
	rest = strip_module(classname, repo_paths->items[pos]);
	return make_nodeid(repo_paths->items[pos], rest, name);
}
