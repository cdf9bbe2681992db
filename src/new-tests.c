/* new-tests.c - tests the model cannot know: added since the model's commit, or in untracked files.
 * A test file changed on the way from the model's commit is read as the change leaves it. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "feature-map.h"
#include "new-tests.h"
#include "sbuf.h"
#include "xalloc.h"
#include "banned.h"

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

int new_tests_in_source(struct strlist *out, const char *path,
			const char *buf, size_t len)
{
	struct feature_map map = FEATURE_MAP_INIT;

	if (features_parse(&map, path, buf, len) < 0)
		return -1;
	for (size_t i = 0; i < map.nr; i++) {
		const struct feature_span *f = &map.items[i];

		if (f->kind == FEATURE_FUNCTION && impact_is_test_name(f->name))
			strlist_append_nodup(out, impact_test_id(path, f->name));
	}
	feature_map_release(&map);
	sort_unique(out);
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
	const struct file_change *later = change_of(change, fc->new_path ?
						    fc->new_path : fc->old_path);

	if (later)
		fc = later;
	else if (!fc->new_path)
		return 0;
	if (fc->binary || fc->submodule)
		return -1;
	*as = fc;
	return fc->has_new;
}

/* Append to found the ids of list the model does not know. */
static void keep_unknown(struct strlist *found, const struct model *m,
			 const struct strlist *list)
{
	size_t lo, hi;
	long exact;

	for (size_t i = 0; i < list->nr; i++)
		if (!model_tests_of(m, list->items[i], &exact, &lo, &hi))
			strlist_append(found, list->items[i]);
}

/* One file changed since the model's commit: its new and its gone tests. */
static int since_file(struct impact *imp, struct strlist *found,
		      const struct new_tests_input *in,
		      const struct file_change *fc)
{
	struct strlist before = STRLIST_INIT, after = STRLIST_INIT;
	const struct file_change *now = NULL;
	int side = fc->binary || fc->submodule ? -1 :
		   target_side(&now, fc, in->change);
	int ret = 0;

	if (side < 0)
		return 0;
	if (fc->has_old)
		ret = new_tests_in_source(&before, fc->old_path,
					  fc->old_data.buf, fc->old_data.len);
	if (!ret && side &&
	    impact_is_test_file(in->model, in->test_patterns, now->new_path))
		ret = new_tests_in_source(&after, now->new_path,
					  now->new_data.buf, now->new_data.len);
	for (size_t i = 0; !ret && i < before.nr; i++)
		if (strlist_find_sorted(&after, before.items[i]) < 0)
			mark_removed(imp, in->model, before.items[i]);
	if (!ret)
		keep_unknown(found, in->model, &after);
	strlist_release(&before);
	strlist_release(&after);
	return ret;
}

static int untracked_file(struct strlist *found,
			  const struct new_tests_input *in,
			  const struct file_change *fc)
{
	struct strlist ids = STRLIST_INIT;
	int ret = 0;

	if (fc->has_new && !fc->binary &&
	    impact_is_test_file(in->model, in->test_patterns, fc->new_path))
		ret = new_tests_in_source(&ids, fc->new_path, fc->new_data.buf,
					  fc->new_data.len);
	if (!ret)
		keep_unknown(found, in->model, &ids);
	strlist_release(&ids);
	return ret;
}

/* Move the ids of found that new_tests lacks into added; how many. */
static size_t take_new(struct strlist *added, const struct strlist *new_tests,
		       struct strlist *found)
{
	size_t n = 0;

	sort_unique(found);
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
	struct strlist added = STRLIST_INIT;
	int ret = 0;

	memset(n, 0, sizeof(*n));
	for (size_t i = 0; !ret && in->since && i < in->since->nr; i++)
		ret = since_file(imp, &since, in, &in->since->items[i]);
	for (size_t i = 0; !ret && in->untracked && i < in->untracked->nr; i++)
		ret = untracked_file(&untracked, in, &in->untracked->items[i]);
	if (!ret) {
		n->since = take_new(&added, &imp->new_tests, &since);
		n->untracked = take_new(&added, &imp->new_tests, &untracked);
		for (size_t i = 0; i < added.nr; i++)
			strlist_append(&imp->new_tests, added.items[i]);
		strlist_sort(&imp->new_tests);
	}
	strlist_release(&since);
	strlist_release(&untracked);
	strlist_release(&added);
	return ret;
}
