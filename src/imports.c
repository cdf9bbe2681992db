/* imports.c - resolve Python import names to tracked files, for the module dependency graph.
 * Each Python file is indexed under every dotted suffix of its path, so source roots need no config. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "imports.h"
#include "sbuf.h"
#include "strlist.h"
#include "xalloc.h"
#include "banned.h"

struct import_entry {
	char *name;		/* dotted module name */
	uint32_t path;		/* index into paths */
	unsigned depth;		/* components dropped from the front: 0 = exact */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* "src/pkg/mod.py" -> "src.pkg.mod"; "pkg/__init__.py" -> "pkg". */
static char *module_of(const char *path)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, path);
	if (ends_with(sb.buf, "/__init__.py"))
		sbuf_setlen(&sb, sb.len - strlen("/__init__.py"));
	else if (ends_with(sb.buf, ".py"))
		sbuf_setlen(&sb, sb.len - 3);
	else if (ends_with(sb.buf, ".pyi"))
		sbuf_setlen(&sb, sb.len - 4);
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '/')
			sb.buf[i] = '.';
	return sbuf_detach(&sb, NULL);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct import_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->path < y->path ? -1 : x->path > y->path;
}

void import_index_build(struct import_index *idx, const struct strlist *paths)
{
	memset(idx, 0, sizeof(*idx));
	idx->paths = paths;
	for (size_t i = 0; i < paths->nr; i++) {
		const char *p = paths->items[i];
		char *mod;
		unsigned depth = 0;

		if (!ends_with(p, ".py") && !ends_with(p, ".pyi"))
			continue;
		mod = module_of(p);
		for (const char *s = mod; s; depth++) {
			struct import_entry *e;
			const char *dot = strchr(s, '.');

			ALLOC_GROW(idx->items, idx->nr + 1, idx->alloc);
			e = &idx->items[idx->nr++];
			e->name = xstrdup(s);
			e->path = (uint32_t)i;
			e->depth = depth;
			s = dot ? dot + 1 : NULL;
		}
		free(mod);
	}
	if (idx->nr)
		qsort(idx->items, idx->nr, sizeof(*idx->items), cmp_entry);
}

void import_index_release(struct import_index *idx)
{
	for (size_t i = 0; i < idx->nr; i++)
		free(idx->items[i].name);
	free(idx->items);
	memset(idx, 0, sizeof(*idx));
}

struct found {
	uint32_t *v;
	size_t nr, alloc;
};

static void add_found(struct found *f, uint32_t path)
{
	ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	f->v[f->nr++] = path;
}

/* Every file indexed under exactly name, at its best (smallest) depth. */
static void lookup(const struct import_index *idx, const char *name,
		   struct found *f)
{
	size_t i = sorted_first_str(idx->items, idx->nr, sizeof(*idx->items),
				    offsetof(struct import_entry, name), name);

	for (; i < idx->nr && !strcmp(idx->items[i].name, name); i++)
		add_found(f, idx->items[i].path);
}

/* Look up name and each of its parent packages. */
static void lookup_with_parents(const struct import_index *idx,
				const char *name, struct found *f)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, name);
	for (;;) {
		char *dot;

		if (sb.len)
			lookup(idx, sb.buf, f);
		dot = strrchr(sb.buf, '.');
		if (!dot)
			break;
		sbuf_setlen(&sb, (size_t)(dot - sb.buf));
	}
	sbuf_release(&sb);
}

/* Turn ".x" / "..p.q" into an absolute dotted name from importer's package. */
static char *absolute_name(const char *importer, const char *name)
{
	char *pkg = module_of(importer);
	size_t dots = strspn(name, ".");
	struct sbuf sb = SBUF_INIT;

	if (!ends_with(importer, "__init__.py"))
		dots++;	/* a module's package is its parent */
	for (size_t k = 1; k < dots; k++) {
		char *last = strrchr(pkg, '.');

		if (!last) {
			pkg[0] = '\0';
			break;
		}
		*last = '\0';
	}
	sbuf_addstr(&sb, pkg);
	if (name[strspn(name, ".")]) {
		if (sb.len)
			sbuf_addch(&sb, '.');
		sbuf_addstr(&sb, name + strspn(name, "."));
	}
	free(pkg);
	return sbuf_detach(&sb, NULL);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t *import_index_resolve(const struct import_index *idx,
			       const char *importer,
			       const struct strlist *names, size_t *nr)
{
	struct found f = { NULL, 0, 0 };
	size_t out = 0;

	for (size_t i = 0; i < names->nr; i++) {
		const char *name = names->items[i];

		if (name[0] == '.') {
			char *abs = absolute_name(importer, name);

			lookup_with_parents(idx, abs, &f);
			free(abs);
		} else {
			lookup_with_parents(idx, name, &f);
		}
	}
	if (f.nr)
		qsort(f.v, f.nr, sizeof(*f.v), cmp_u32);
	for (size_t i = 0; i < f.nr; i++)
		if (!out || f.v[out - 1] != f.v[i])
			f.v[out++] = f.v[i];
	*nr = out;
	if (!out)
		FREE_AND_NULL(f.v);
	return f.v;
}
