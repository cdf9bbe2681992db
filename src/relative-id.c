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
