/* imports.c - resolve Python import names to tracked files, for the module dependency graph.
 * A file's module name is its path below its package root, the directory above its chain of packages. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "imports.h"
#include "feature-map.h"
#include "sbuf.h"
#include "strlist.h"
#include "xalloc.h"
#include "banned.h"

/*
 * BY_ROOT entries name a file as Python imports it from its package root.
 * BY_SUFFIX entries name it by every dotted suffix of its path with two
 * components or more ("src.ns.mod", "ns.mod", the directory above being
 * the root); they only serve names that resolve under no package root,
 * such as those of namespace packages (PEP 420).
 */
enum entry_kind { BY_ROOT, BY_SUFFIX };

struct import_entry {
	char *name;		/* dotted module name */
	enum entry_kind kind;
	uint32_t path;		/* index into paths */
	uint32_t root_len;	/* the path's first root_len bytes are the root */
};

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !memcmp(s + n - m, suffix, m);
}

static int is_init(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return !strcmp(base, "__init__.py") || !strcmp(base, "__init__.pyi");
}

/* Length of the directory part of path, without its last '/' (0 at the top). */
static size_t dir_len(const char *path, size_t len)
{
	while (len && path[len - 1] != '/')
		len--;
	return len ? len - 1 : 0;
}

static int is_package(const struct import_index *idx, const char *dir,
		      size_t len)
{
	struct sbuf sb = SBUF_INIT;
	int ret;

	sbuf_add(&sb, dir, len);
	ret = strlist_find_sorted(&idx->packages, sb.buf) >= 0;
	sbuf_release(&sb);
	return ret;
}

/*
 * The package root of path, as the length of its prefix (with the '/'):
 * the directory above the topmost package directory that holds path, or
 * path's own directory when that is no package.
 */
static size_t root_len_of(const struct import_index *idx, const char *path)
{
	size_t d = dir_len(path, strlen(path));

	while (d && is_package(idx, path, d))
		d = dir_len(path, d);
	return d ? d + 1 : 0;
}

/*
 * The dotted module name of path below its first skip bytes: "pkg/mod.py"
 * is "pkg.mod", "pkg/__init__.pyi" is "pkg"; NULL when it is empty.
 */
static char *module_of(const char *path, size_t skip)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addstr(&sb, path + skip);
	if (ends_with(sb.buf, ".py"))
		sbuf_setlen(&sb, sb.len - 3);
	else if (ends_with(sb.buf, ".pyi"))
		sbuf_setlen(&sb, sb.len - 4);
	if (!strcmp(sb.buf, "__init__"))
		sbuf_setlen(&sb, 0);
	else if (ends_with(sb.buf, "/__init__"))
		sbuf_setlen(&sb, sb.len - strlen("/__init__"));
	for (size_t i = 0; i < sb.len; i++)
		if (sb.buf[i] == '/')
			sb.buf[i] = '.';
	if (!sb.len) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb, NULL);
}

static void add_entry(struct import_index *idx, char *name,
		      enum entry_kind kind, size_t path, size_t root_len)
{
	struct import_entry *e;

	ALLOC_GROW(idx->items, idx->nr + 1, idx->alloc);
	e = &idx->items[idx->nr++];
	e->name = name;
	e->kind = kind;
	e->path = (uint32_t)path;
	e->root_len = (uint32_t)root_len;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct import_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->path < y->path ? -1 : x->path > y->path;
}

static void index_file(struct import_index *idx, size_t i)
{
	const char *p = idx->paths->items[i];
	size_t root = root_len_of(idx, p);
	char *mod = module_of(p, root), *full = module_of(p, 0);

	if (mod)
		add_entry(idx, mod, BY_ROOT, i, root);
	/* "/" became ".": offsets in full are offsets in the path */
	for (const char *s = full; s && strchr(s, '.'); s = strchr(s, '.') + 1)
		add_entry(idx, xstrdup(s), BY_SUFFIX, i, (size_t)(s - full));
	free(full);
}

void import_index_build(struct import_index *idx, const struct strlist *paths)
{
	memset(idx, 0, sizeof(*idx));
	idx->paths = paths;
	for (size_t i = 0; i < paths->nr; i++) {
		const char *p = paths->items[i];
		struct sbuf dir = SBUF_INIT;

		if (!is_init(p))
			continue;
		sbuf_add(&dir, p, dir_len(p, strlen(p)));
		strlist_append(&idx->packages, dir.buf);
		sbuf_release(&dir);
	}
	strlist_sort(&idx->packages);
	for (size_t i = 0; i < paths->nr; i++)
		if (features_is_python(paths->items[i]))
			index_file(idx, i);
	if (idx->nr)
		qsort(idx->items, idx->nr, sizeof(*idx->items), cmp_entry);
}

void import_index_release(struct import_index *idx)
{
	for (size_t i = 0; i < idx->nr; i++)
		free(idx->items[i].name);
	free(idx->items);
	strlist_release(&idx->packages);
	memset(idx, 0, sizeof(*idx));
}

/* ---- resolving ----------------------------------------------------------- */

struct found {
	uint32_t *v;
	size_t nr, alloc;
};

/* Add path to f, unless f is NULL (only counting). */
static void add_found(struct found *f, size_t path)
{
	if (!f)
		return;
	ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	f->v[f->nr++] = (uint32_t)path;
}

/* The importer's package root: root[0..len) of its path. */
struct root {
	const char *path;
	size_t len;
};

/*
 * Add the files that make the dotted name a module or a package under
 * root: root/a/b.py(i), root/a/b/__init__.py(i); returns how many (f may
 * be NULL to count only). Namespace
 * packages (directories without __init__.py) need no entry of their own.
 */
static size_t lookup_path(const struct import_index *idx,
			  const struct root *root, const char *name,
			  struct found *f)
{
	static const char *const ends[] = {
		".py", ".pyi", "/__init__.py", "/__init__.pyi",
	};
	struct sbuf sb = SBUF_INIT;
	size_t base, n = 0;

	sbuf_add(&sb, root->path, root->len);
	for (const char *s = name; *s; s++)
		sbuf_addch(&sb, *s == '.' ? '/' : *s);
	base = sb.len;
	for (size_t k = 0; k < sizeof(ends) / sizeof(*ends); k++) {
		long i;

		sbuf_setlen(&sb, base);
		sbuf_addstr(&sb, ends[k]);
		i = strlist_find_sorted(idx->paths, sb.buf);
		if (i >= 0) {
			add_found(f, (size_t)i);
			n++;
		}
	}
	sbuf_release(&sb);
	return n;
}

/* 1 if root holds a module, package or namespace package called top. */
static int root_has(const struct import_index *idx, const struct root *root,
		    const char *top)
{
	struct sbuf dir = SBUF_INIT;
	size_t i;
	int ret;

	if (lookup_path(idx, root, top, NULL))
		return 1;
	sbuf_add(&dir, root->path, root->len);
	sbuf_addstr(&dir, top);
	sbuf_addch(&dir, '/');
	i = sorted_first_str(idx->paths->items, idx->paths->nr,
			     sizeof(*idx->paths->items), 0, dir.buf);
	ret = i < idx->paths->nr &&
	      !strncmp(idx->paths->items[i], dir.buf, dir.len);
	sbuf_release(&dir);
	return ret;
}

/* Look up name and each of its parent packages under root; returns how many files. */
static size_t lookup_with_parents(const struct import_index *idx,
				  const char *name, const struct root *root,
				  struct found *f)
{
	struct sbuf sb = SBUF_INIT;
	size_t n = 0;

	sbuf_addstr(&sb, name);
	for (;;) {
		char *dot;

		if (sb.len)
			n += lookup_path(idx, root, sb.buf, f);
		dot = strrchr(sb.buf, '.');
		if (!dot)
			break;
		sbuf_setlen(&sb, (size_t)(dot - sb.buf));
	}
	sbuf_release(&sb);
	return n;
}

/* Look up name under the root of every entry of kind called key. */
static size_t lookup_in_roots(const struct import_index *idx, const char *key,
			      enum entry_kind kind, const char *name,
			      struct found *f)
{
	size_t i = sorted_first_str(idx->items, idx->nr, sizeof(*idx->items),
				    offsetof(struct import_entry, name), key);
	size_t n = 0;

	for (; i < idx->nr && !strcmp(idx->items[i].name, key); i++) {
		const struct import_entry *e = &idx->items[i];
		struct root r = { idx->paths->items[e->path], e->root_len };

		if (e->kind == kind)
			n += lookup_with_parents(idx, name, &r, f);
	}
	return n;
}

/*
 * "a.b.c": under the importer's root if "a" is there (pytest puts that
 * root first on sys.path), else under every root that has "a" as a module
 * or regular package. A dotted name found so nowhere is looked up under
 * every directory where a path ends like it or a dotted parent of it.
 */
static void resolve_absolute(const struct import_index *idx, const char *name,
			     const struct root *own, struct found *f)
{
	struct sbuf sb = SBUF_INIT;
	size_t n = 0;

	sbuf_add(&sb, name, strcspn(name, "."));
	if (sb.len && root_has(idx, own, sb.buf))
		n = lookup_with_parents(idx, name, own, f);
	else if (sb.len)
		n = lookup_in_roots(idx, sb.buf, BY_ROOT, name, f);
	sbuf_reset(&sb);
	sbuf_addstr(&sb, name);
	while (!n && strchr(sb.buf, '.')) {
		n = lookup_in_roots(idx, sb.buf, BY_SUFFIX, name, f);
		sbuf_setlen(&sb, (size_t)(strrchr(sb.buf, '.') - sb.buf));
	}
	sbuf_release(&sb);
}

/*
 * ".x" / "..p.q" from importer: its package, one level up per extra dot
 * (not above its root), then the rest of the name.
 */
static char *absolute_name(const char *importer, size_t root_len,
			   const char *name)
{
	char *pkg = module_of(importer, root_len);
	size_t lead = strspn(name, ".");
	size_t up = lead - (size_t)is_init(importer);	/* a module's package is its parent */
	struct sbuf sb = SBUF_INIT;

	for (size_t k = 0; pkg && k < up; k++) {
		char *last = strrchr(pkg, '.');

		if (!last) {
			pkg[0] = '\0';
			break;
		}
		*last = '\0';
	}
	if (pkg)
		sbuf_addstr(&sb, pkg);
	if (name[lead]) {
		if (sb.len)
			sbuf_addch(&sb, '.');
		sbuf_addstr(&sb, name + lead);
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
	struct root own = { importer, root_len_of(idx, importer) };
	size_t out = 0;

	for (size_t i = 0; i < names->nr; i++) {
		const char *name = names->items[i];

		if (name[0] == '.') {
			char *abs = absolute_name(importer, own.len, name);

			lookup_with_parents(idx, abs, &own, &f);
			free(abs);
		} else {
			resolve_absolute(idx, name, &own, &f);
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
