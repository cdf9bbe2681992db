/* new-tests.c - tests the model cannot know: added since the model's commit, or in untracked files.
 * A test file changed on the way from the model's commit is read as the change leaves it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "feature-map.h"
#include "new-tests.h"
#include "sbuf.h"
#include "xalloc.h"
#include "banned.h"

static int skipped_dir(const char *name, size_t len)
{
	static const char *const names[] = { "build", "CVS", "dist",
		"node_modules", "venv", "_darcs", "{arch}" };

	if (len && name[0] == '.')
		return 1;
	if (len >= 4 && !memcmp(name + len - 4, ".egg", 4))
		return 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strlen(names[i]) == len && !memcmp(name, names[i], len))
			return 1;
	return 0;
}

int new_tests_in_skipped_dir(const char *path)
{
	const char *slash;

	while ((slash = strchr(path, '/'))) {
		if (skipped_dir(path, (size_t)(slash - path)))
			return 1;
		path = slash + 1;
	}
	return 0;
}

/* A test function of a source: its node id, the hash of its definition. */
struct test_fn {
	char *id;
	uint64_t hash;
};

struct test_fns {
	struct test_fn *items;		/* sorted by id, unique */
	size_t nr, alloc;
};

static int cmp_fn(const void *a, const void *b)
{
	return strcmp(((const struct test_fn *)a)->id,
		      ((const struct test_fn *)b)->id);
}

static void test_fns_release(struct test_fns *fns)
{
	for (size_t i = 0; i < fns->nr; i++)
		free(fns->items[i].id);
	free(fns->items);
	memset(fns, 0, sizeof(*fns));
}

/* The test functions of a source; a name defined twice is one test,
 * changed when either definition changed. 0 or -1. */
static int read_test_fns(struct test_fns *out, const char *path,
			 const char *buf, size_t len)
{
	struct feature_map map = FEATURE_MAP_INIT;
	size_t kept = 0;

	if (features_parse(&map, path, buf, len) < 0)
		return -1;
	for (size_t i = 0; i < map.nr; i++) {
		const struct feature_span *f = &map.items[i];

		if (f->kind != FEATURE_FUNCTION ||
		    !impact_is_test_name(f->name))
			continue;
		ALLOC_GROW(out->items, out->nr + 1, out->alloc);
		out->items[out->nr].id = impact_test_id(path, f->name);
		out->items[out->nr++].hash = f->hash;
	}
	feature_map_release(&map);
	if (out->nr > 1)
		qsort(out->items, out->nr, sizeof(*out->items), cmp_fn);
	for (size_t i = 0; i < out->nr; i++) {
		struct test_fn *last = kept ? &out->items[kept - 1] : NULL;

		if (last && !strcmp(last->id, out->items[i].id)) {
			last->hash = last->hash * 31 + out->items[i].hash;
			free(out->items[i].id);
			continue;
		}
		out->items[kept++] = out->items[i];
	}
	out->nr = kept;
	return 0;
}

static const struct test_fn *find_fn(const struct test_fns *fns,
				     const char *id)
{
	long k = sorted_find_str(fns->items, fns->nr, sizeof(*fns->items),
				 offsetof(struct test_fn, id), id);

	return k < 0 ? NULL : &fns->items[k];
}

int new_tests_in_source(struct strlist *out, const char *path,
			const char *buf, size_t len)
{
	struct test_fns fns = { NULL, 0, 0 };

	if (read_test_fns(&fns, path, buf, len) < 0)
		return -1;
	for (size_t i = 0; i < fns.nr; i++)
		strlist_append(out, fns.items[i].id);
	test_fns_release(&fns);
	strlist_sort_unique(out);
	return 0;
}

/*
 * The model's tests of test function id: id itself (*exact, or -1) and
 * its parametrized ids "id[...]", [*lo, *hi). Returns how many.
 */
static size_t model_tests_of(const struct model *m, const char *id,
			     long *exact, size_t *lo, size_t *hi)
{
	struct sbuf prefix = SBUF_INIT;

	sbuf_addf(&prefix, "%s[", id);
	*exact = model_find_test(m, id);
	*lo = sorted_first_str(m->tests, m->tests_nr, sizeof(*m->tests),
			       offsetof(struct model_test, id), prefix.buf);
	*hi = *lo;
	while (*hi < m->tests_nr &&
	       !strncmp(m->tests[*hi].id, prefix.buf, prefix.len))
		(*hi)++;
	sbuf_release(&prefix);
	return (*exact >= 0) + (*hi - *lo);
}

static void mark_removed(struct impact *imp, const struct model *m,
			 const char *id)
{
	size_t lo, hi;
	long exact;

	model_tests_of(m, id, &exact, &lo, &hi);
	if (exact >= 0)
		imp->removed[exact] = 1;
	for (size_t i = lo; i < hi; i++)
		imp->removed[i] = 1;
}

/* The entry of change that starts from path (or adds it), or NULL. */
static const struct file_change *change_of(const struct change_set *change,
					   const char *path)
{
	for (size_t i = 0; change && i < change->nr; i++) {
		const struct file_change *fc = &change->items[i];

		if (fc->status != CHANGE_COPIED &&
		    !strcmp(fc->old_path ? fc->old_path : fc->new_path, path))
			return fc;
	}
	return NULL;
}

/*
 * The target's version of the file since's entry fc leads to: 1 with
 * *as (its path and contents), 0 when the target has none, -1 when it
 * cannot be read (binary, a submodule).
 */
static int target_side(const struct file_change **as,
		       const struct file_change *fc,
		       const struct change_set *change)
{
	const char *path = fc->new_path ? fc->new_path : fc->old_path;
	const struct file_change *later = change_of(change, path);

	if (later)
		fc = later;
	else if (!fc->new_path)
		return 0;
	if (fc->binary || fc->submodule)
		return -1;
	*as = fc;
	return fc->has_new;
}

/* Append to found the test functions of fns the model does not know. */
static void keep_unknown(struct strlist *found, const struct model *m,
			 const struct test_fns *fns)
{
	size_t lo, hi;
	long exact;

	for (size_t i = 0; i < fns->nr; i++)
		if (!model_tests_of(m, fns->items[i].id, &exact, &lo, &hi))
			strlist_append(found, fns->items[i].id);
}

/*
 * Test function id changed since the model's commit: its parametrized
 * ids in the model may be gone (a case removed or renamed), so they give
 * way to the function's id, which runs whatever cases it has now. 1 when
 * the model had such ids.
 */
static int restate(struct impact *imp, const struct model *m, const char *id)
{
	size_t lo, hi;
	long exact;

	model_tests_of(m, id, &exact, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		imp->removed[i] = 1;
	return lo < hi;
}

/* Compare a test file's functions at the model's commit and in the
 * target; with restated NULL, changed ones are left as they are. */
static void compare_fns(struct impact *imp, struct strlist *restated,
			const struct model *m, const struct test_fns *before,
			const struct test_fns *after)
{
	for (size_t i = 0; i < before->nr; i++) {
		const struct test_fn *b = &before->items[i];
		const struct test_fn *a = find_fn(after, b->id);

		if (!a)
			mark_removed(imp, m, b->id);
		else if (restated && a->hash != b->hash &&
			 restate(imp, m, b->id))
			strlist_append(restated, b->id);
	}
}

/* One file changed since the model's commit: its new and its gone tests. */
static int since_file(struct impact *imp, struct strlist *found,
		      struct strlist *restated,
		      const struct new_tests_input *in,
		      const struct file_change *fc)
{
	struct test_fns before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	const struct file_change *now = NULL;
	int side = fc->binary || fc->submodule ? -1 :
		   target_side(&now, fc, in->change);
	int ret = 0;

	if (side < 0)
		return 0;
	if (fc->has_old)
		ret = read_test_fns(&before, fc->old_path, fc->old_data.buf,
				    fc->old_data.len);
	if (!ret && side &&
	    impact_is_test_file(in->model, in->test_patterns, now->new_path))
		ret = read_test_fns(&after, now->new_path, now->new_data.buf,
				    now->new_data.len);
	if (!ret) {
		compare_fns(imp, in->collected ? NULL : restated, in->model,
			    &before, &after);
		keep_unknown(found, in->model, &after);
	}
	test_fns_release(&before);
	test_fns_release(&after);
	return ret;
}

static int untracked_file(struct strlist *found,
			  const struct new_tests_input *in,
			  const struct file_change *fc)
{
	struct test_fns fns = { NULL, 0, 0 };
	int ret = 0;

	if (fc->has_new && !fc->binary &&
	    impact_is_test_file(in->model, in->test_patterns, fc->new_path))
		ret = read_test_fns(&fns, fc->new_path, fc->new_data.buf,
				    fc->new_data.len);
	if (!ret)
		keep_unknown(found, in->model, &fns);
	test_fns_release(&fns);
	return ret;
}

/* The verbose line of a test restate() replaced by its function's id. */
static void note_restated(struct impact *imp, const char *id)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "changed since the model's commit, run whole: %s", id);
	strlist_append_nodup(&imp->notes, sbuf_detach(&sb, NULL));
}

/* Move the ids of found that new_tests lacks into added; how many. */
static size_t take_new(struct strlist *added, const struct strlist *new_tests,
		       struct strlist *found)
{
	size_t n = 0;

	strlist_sort_unique(found);
	for (size_t i = 0; i < found->nr; i++) {
		if (strlist_find_sorted(new_tests, found->items[i]) >= 0)
			continue;
		strlist_append(added, found->items[i]);
		n++;
	}
	strlist_release(found);
	return n;
}

int new_tests_find(struct impact *imp, struct new_tests_count *n,
		   const struct new_tests_input *in)
{
	struct strlist since = STRLIST_INIT, untracked = STRLIST_INIT;
	struct strlist added = STRLIST_INIT, restated = STRLIST_INIT;
	int ret = 0;

	memset(n, 0, sizeof(*n));
	for (size_t i = 0; !ret && in->since && i < in->since->nr; i++)
		ret = since_file(imp, &since, &restated, in,
				 &in->since->items[i]);
	for (size_t i = 0; !ret && in->untracked && i < in->untracked->nr; i++)
		ret = untracked_file(&untracked, in, &in->untracked->items[i]);
	if (!ret) {
		n->since = take_new(&added, &imp->new_tests, &since);
		n->untracked = take_new(&added, &imp->new_tests, &untracked);
		for (size_t i = 0; i < added.nr; i++)
			strlist_append(&imp->new_tests, added.items[i]);
		for (size_t i = 0; i < restated.nr; i++) {
			strlist_append(&imp->new_tests, restated.items[i]);
			note_restated(imp, restated.items[i]);
		}
		strlist_sort_unique(&imp->new_tests);
	}
	strlist_release(&restated);
	strlist_release(&since);
	strlist_release(&untracked);
	strlist_release(&added);
	return ret;
}
