/* relative-id.c - test ids relative to the current directory, as pytest resolves path arguments.
 * Like git ls-files: a "../" for each directory of the prefix the id's file is not under. */
#include <string.h>
#include "relative-id.h"
#include "xalloc.h"
#include "banned.h"

/* Length of the directories prefix and path share, whole components. */
static size_t shared_dirs(const char *path, size_t path_len,
			  const char *prefix)
{
	size_t shared = 0;

	for (size_t i = 0; prefix[i] && i < path_len; i++) {
		if (prefix[i] != path[i])
			break;
		if (prefix[i] == '/')
			shared = i + 1;
	}
	return shared;
}

void relative_id(struct sbuf *out, const char *id, const char *prefix)
{
	const char *colons = strstr(id, "::");
	size_t file_len = colons ? (size_t)(colons - id) : strlen(id);
	size_t shared = shared_dirs(id, file_len, prefix);

	for (const char *p = prefix + shared; *p; p++)
		if (*p == '/')
			sbuf_addstr(out, "../");
	sbuf_addstr(out, id + shared);
}

char *relative_prefix(const char *top, const char *cwd)
{
	size_t n = strlen(top);
	struct sbuf out = SBUF_INIT;

	while (n > 1 && top[n - 1] == '/')
		n--;
	if (n == 1 && top[0] == '/')
		n = 0;	/* the work tree is the root directory */
	if (strncmp(top, cwd, n) || (cwd[n] && cwd[n] != '/'))
		return xstrdup("");	/* outside the work tree */
	for (const char *p = cwd + n; *p; ) {
		size_t len = strcspn(p, "/");

		if (len) {
			sbuf_add(&out, p, len);
			sbuf_addch(&out, '/');
		}
		p += len + (p[len] == '/');
	}
	return sbuf_detach(&out, NULL);
}

/* Drop the last component of the '/'-joined path in out, if any. */
static int drop_last(struct sbuf *out, size_t start)
{
	size_t n = out->len;

	if (n == start)
		return -1;
	while (n > start && out->buf[n - 1] != '/')
		n--;
	sbuf_setlen(out, n > start ? n - 1 : start);
	return 0;
}

int top_path(struct sbuf *out, const char *path, const char *prefix)
{
	size_t start = out->len;
	const char *p;

	if (*path == '/')
		return -1;
	if (path[0] == ':' && path[1] == '/') {
		prefix = "";
		path += 2;
	}
	for (int part = 0; part < 2; part++)
		for (p = part ? path : prefix; *p; ) {
			size_t len = strcspn(p, "/");

			if (len == 2 && !strncmp(p, "..", 2)) {
				if (drop_last(out, start) < 0) {
					sbuf_setlen(out, start);
					return -1;
				}
			} else if (len && !(len == 1 && *p == '.')) {
				if (out->len > start)
					sbuf_addch(out, '/');
				sbuf_add(out, p, len);
			}
			p += len + (p[len] == '/');
		}
	return 0;
}
