/* data-refs.c - which lines of Python code name a data file in a string literal.
 * A plain byte search first, so files that never mention the name are not lexed. */
#include <string.h>
#include "data-refs.h"
#include "py-lexer.h"
#include "xalloc.h"
#include "banned.h"

/* A byte that continues a file name: the name must not touch one. */
static int name_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
	       ch == '-' || ch >= 0x80;
}

int data_refs_names(const char *s, size_t n, const char *name)
{
	size_t k = strlen(name);
	int bare = !strchr(name, '.');

	if (!k || k > n)
		return 0;
	for (size_t i = 0; i + k <= n; i++) {
		if (s[i] != name[0] || memcmp(s + i, name, k))
			continue;
		if ((i && name_byte((unsigned char)s[i - 1])) ||
		    (i + k < n && name_byte((unsigned char)s[i + k])))
			continue;
		/* "data" or "config" alone is a word, not a file */
		if (bare && (!i || (s[i - 1] != '/' && s[i - 1] != '\\')))
			continue;
		return 1;
	}
	return 0;
}

size_t data_refs_lines(const char *buf, size_t len, const char *name,
		       uint32_t **lines)
{
	struct py_lexer lx;
	struct py_token tok;
	size_t nr = 0, alloc = 0;

	*lines = NULL;
	if (!data_refs_names(buf, len, name))
		return 0;
	py_lexer_init(&lx, buf, len);
	while (py_lexer_next(&lx, &tok)) {
		if (tok.kind != PY_TOK_STRING ||
		    !data_refs_names(buf + tok.off, tok.len, name) ||
		    (nr && (*lines)[nr - 1] == tok.line))
			continue;
		ALLOC_GROW(*lines, nr + 1, alloc);
		(*lines)[nr++] = tok.line;
	}
	return nr;
}
