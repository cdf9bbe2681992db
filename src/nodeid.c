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

/*
 * The code point of the valid 4-byte UTF-8 sequence or U+FFFE/U+FFFF at
 * s (len bytes left), with its length in *n; 0 for anything else.
 */
static unsigned long escaped_code_point(const unsigned char *s, size_t len,
					size_t *n)
{
	unsigned long c;

	if (len >= 3 && s[0] == 0xef && s[1] == 0xbf &&
	    (s[2] == 0xbe || s[2] == 0xbf)) {
		*n = 3;
		return 0xfffeUL + (s[2] - 0xbe);
	}
	if (len < 4 || s[0] < 0xf0 || s[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < 4; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	c = ((unsigned long)(s[0] & 0x07) << 18) |
	    ((unsigned long)(s[1] & 0x3f) << 12) |
	    ((unsigned long)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
	if (c < 0x10000 || c > 0x10ffff)
		return 0;
	*n = 4;
	return c;
}

void nodeid_junit_escape(struct sbuf *out, const char *name, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;

	for (size_t i = 0; i < len; i++) {
		unsigned long c;
		size_t n;

		if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' &&
		    s[i] != '\r') {
			sbuf_addf(out, "#x%02X", s[i]);
		} else if ((c = escaped_code_point(s + i, len - i, &n))) {
			sbuf_addf(out, "#x%04lX", c);
			i += n - 1;
		} else {
			sbuf_addch(out, s[i]);
		}
	}
}

void nodeid_junit_key(struct sbuf *out, const char *nodeid)
{
	const char *end = nodeid + strcspn(nodeid, "[");
	const char *piece = nodeid, *sep;
	size_t name_start, name_len;
	char *name;
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
	name_start = out->len;
	if (first)
		add_dotted_path(out, piece, end - piece);
	else
		sbuf_add(out, piece, end - piece);
	sbuf_addstr(out, end);
	/* pytest escapes the name alone, after mangling */
	name_len = out->len - name_start;
	name = xmemdupz(out->buf + name_start, name_len);
	sbuf_setlen(out, name_start);
	nodeid_junit_escape(out, name, name_len);
	free(name);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Undo nodeid_junit_escape() for the control characters in name: "#x1B"
 * becomes ESC. A guess (the id may have held "#x1B" itself), for cases
 * no coverage context names. "#x1F600" (U+1F600, or U+001F then "600")
 * is read as the latter.
 */
static char *junit_unescape(const char *name)
{
	struct sbuf sb = SBUF_INIT;

	while (*name) {
		int hi, lo;

		if (name[0] == '#' && name[1] == 'x' &&
		    (hi = hex_digit(name[2])) >= 0 && hi < 2 &&
		    (lo = hex_digit(name[3])) >= 0) {
			int c = hi * 16 + lo;

			if (c != '\t' && c != '\n' && c != '\r' && c) {
				sbuf_addch(&sb, c);
				name += 4;
				continue;
			}
		}
		sbuf_addch(&sb, *name++);
	}
	return sbuf_detach(&sb, NULL);
}

/*
 * Build "path::A::B::name" where classes is the dotted rest of classname
 * after the module ("A.B"), possibly empty.
 */
static char *make_nodeid(const char *path, const char *classes,
			 const char *name)
{
	struct sbuf sb = SBUF_INIT;
	char *raw_name = junit_unescape(name);

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
	sbuf_addstr(&sb, raw_name);
	free(raw_name);
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
