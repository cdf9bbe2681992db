/* model-merge.c - combine two models: carry other flags' tests forward onto a fresh recording.
 * Used by record (--flag carry-forward) and by sync, where two clones recorded the same commit. */
#include <stdlib.h>
#include <string.h>
#include "model-merge.h"
#include "model-merge-lines.h"
#include "coverage-vector.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

static unsigned char *dup_bytes(const unsigned char *p, size_t len)
{
	unsigned char *copy;

	if (!len)
		return NULL;
	copy = xmalloc(len);
	memcpy(copy, p, len);
	return copy;
}

/* model_copy() without the flag skip (-1: none) and its tests. */
static void copy_except(struct model *out, const struct model *src,
			long skip)
{
	memcpy(out->commit, src->commit, sizeof(out->commit));
	for (size_t i = 0; i < src->flags_nr; i++) {
		const struct model_flag *f = &src->flags[i];
		uint32_t at;

		if ((long)i == skip)
			continue;
		at = model_add_flag(out, f->name, f->commit, f->suite_time,
				   f->overhead, f->recorded_at);
		model_flag_set_signature(&out->flags[at], f->signature,
					 f->signature_len);
	}
	for (size_t i = 0; i < src->files_nr; i++) {
		const struct model_file *f = &src->files[i];
		uint32_t at = model_add_file(out, f->path, f->blob);
		struct model_file *n = &out->files[at];

		n->imports_nr = f->imports_nr;
		n->imports = f->imports_nr ?
			xmalloc(st_mult(f->imports_nr, sizeof(uint32_t))) :
			NULL;
		if (f->imports_nr)
			memcpy(n->imports, f->imports,
			       f->imports_nr * sizeof(uint32_t));
	}
	for (size_t i = 0; i < src->features_nr; i++) {
		const struct model_feature *f = &src->features[i];
		uint32_t at = model_add_feature(out, f->file, f->name, f->kind,
						f->hash, f->lines);

		out->features[at].import_time = f->import_time;
	}
	for (size_t i = 0; i < src->tests_nr; i++) {
		const struct model_test *t = &src->tests[i];
		uint32_t flag = skip >= 0 && t->flag > skip ? t->flag - 1 :
				t->flag;
		struct model_test *n;
		uint32_t at;

		if ((long)t->flag == skip)
			continue;
		at = model_add_test(out, t->id, flag, t->cost, t->outcome,
				    t->history, dup_bytes(t->signals,
							  t->signals_len),
				    t->signals_len);
		n = &out->tests[at];
		n->patterns_nr = t->patterns_nr;
		n->patterns = (uint32_t *)dup_bytes((const unsigned char *)
				t->patterns, t->patterns_nr * sizeof(uint32_t));
	}
	if (src->lines) {
		model_lines_alloc(out);
		for (size_t i = 0; i < src->features_nr; i++)
			model_lines_copy(&out->lines[i], &src->lines[i]);
	}
}

void model_copy(struct model *out, const struct model *src)
{
	copy_except(out, src, -1);
}

void model_without_flag(struct model *out, const struct model *src,
			uint32_t flag)
{
	copy_except(out, src, flag);
}

/* For each feature of base, its index in fresh or -1. Caller frees. */
static long *map_features(const struct model *fresh, const struct model *base)
{
	long *map = xmalloc(st_mult(base->features_nr + 1, sizeof(long)));
	long *file_map = xmalloc(st_mult(base->files_nr + 1, sizeof(long)));

	for (size_t i = 0; i < base->files_nr; i++)
		file_map[i] = model_find_file(fresh, base->files[i].path);
	for (size_t i = 0; i < base->features_nr; i++) {
		const struct model_feature *f = &base->features[i];
		long file = file_map[f->file];

		map[i] = file < 0 ? -1 :
			 model_find_feature(fresh, (uint32_t)file, f->name);
	}
	free(file_map);
	return map;
}

/* Re-encode signals through the feature map (order is kept: both models
 * sort features by path, then name). */
static unsigned char *remap_signals(const struct model_test *t,
				    const long *map, size_t *len)
{
	struct covvec_writer w;
	struct covvec_iter it;
	long last = -1;

	covvec_writer_init(&w);
	covvec_iter_init(&it, t->signals, t->signals_len);
	while (covvec_iter_next(&it) > 0) {
		long to = map[it.feature];

		if (to <= last)
			continue;
		covvec_writer_add(&w, (uint32_t)to, it.q);
		last = to;
	}
	return covvec_writer_finish(&w, len);
}

static int cmp_test(const void *a, const void *b)
{
	return strcmp(((const struct model_test *)a)->id,
		      ((const struct model_test *)b)->id);
}

static void inherit_history(struct model *out, const struct model *base)
{
	for (size_t i = 0; i < out->tests_nr; i++) {
		struct model_test *t = &out->tests[i];
		long old = model_find_test(base, t->id);
		uint32_t failed = t->outcome == OUTCOME_FAILED ||
				  t->outcome == OUTCOME_ERROR;

		if (old < 0 || strcmp(base->flags[base->tests[old].flag].name,
				      out->flags[t->flag].name))
			continue;
		t->history = ((base->tests[old].history << 1) | failed) &
			     ~MODEL_HISTORY_FLAKY;
		/* failed and passed on the same commit: flaky */
		if (!strcmp(base->commit, out->commit) &&
		    (base->tests[old].history & 1) != failed)
			t->history |= MODEL_HISTORY_FLAKY;
		t->history |= base->tests[old].history & MODEL_HISTORY_FLAKY;
	}
}

/*
 * Where each flag of base goes in out: a flag fresh lacks is added; a flag
 * fresh has maps to it when partial (its suite time and start-up overhead
 * stay the full run's: a part of the suite measures neither), else to -1
 * (fresh replaces it).
 */
static long *map_flags(struct model *out, const struct model *fresh,
		       const struct model *base, int partial)
{
	long *flag_map = xmalloc(st_mult(base->flags_nr + 1, sizeof(long)));

	for (size_t i = 0; i < base->flags_nr; i++) {
		const struct model_flag *f = &base->flags[i];
		long k = model_find_flag(fresh, f->name);

		if (k < 0) {
			flag_map[i] = (long)model_add_flag(out, f->name,
					f->commit, f->suite_time, f->overhead,
					f->recorded_at);
			/* still good if the flag's data arrives unchanged */
			model_flag_set_signature(&out->flags[flag_map[i]],
						 f->signature,
						 f->signature_len);
		} else {
			flag_map[i] = partial ? k : -1;
		}
		if (k >= 0 && partial) {
			out->flags[k].suite_time = f->suite_time;
			out->flags[k].overhead = f->overhead;
		}
	}
	return flag_map;
}

/*
 * A run of some tests collects only some test files: what ran at import
 * time in the run it completes still did, where the code is the same.
 */
static void keep_import_time(struct model *out, const struct model *base,
			     const long *map)
{
	for (size_t i = 0; i < base->features_nr; i++)
		if (map[i] >= 0 && base->features[i].import_time &&
		    base->features[i].hash == out->features[map[i]].hash)
			out->features[map[i]].import_time = 1;
}

static void carry(struct model *out, const struct model *fresh,
		  const struct model *base, int partial)
{
	struct lines_rebuild rb;
	long *map;
	long *flag_map;

	model_copy(out, fresh);
	if (!base)
		return;
	inherit_history(out, base);
	flag_map = map_flags(out, fresh, base, partial);
	map = map_features(fresh, base);
	if (partial)
		keep_import_time(out, base, map);
	lines_rebuild_init(&rb, out);
	lines_rebuild_source(&rb, fresh, NULL);
	for (size_t i = 0; i < out->tests_nr; i++)
		lines_rebuild_test(&rb, &out->tests[i], fresh, &fresh->tests[i],
				   NULL);
	for (size_t i = 0; i < base->tests_nr; i++) {
		const struct model_test *t = &base->tests[i];
		unsigned char *sig;
		size_t len;
		uint32_t at;

		if (flag_map[t->flag] < 0 || model_find_test(fresh, t->id) >= 0)
			continue;
		sig = remap_signals(t, map, &len);
		at = model_add_test(out, t->id, (uint32_t)flag_map[t->flag],
				    t->cost, t->outcome, t->history, sig, len);
		lines_rebuild_test(&rb, &out->tests[at], base, t, map);
	}
	if (out->tests_nr > fresh->tests_nr)	/* base's run still speaks */
		lines_rebuild_source(&rb, base, map);
	if (out->tests_nr > 1)
		qsort(out->tests, out->tests_nr, sizeof(*out->tests),
		      cmp_test);
	lines_rebuild_finish(&rb);
	free(map);
	free(flag_map);
}

void model_carry_forward(struct model *out, const struct model *fresh,
			 const struct model *base)
{
	carry(out, fresh, base, 0);
}

void model_carry_forward_partial(struct model *out, const struct model *fresh,
				 const struct model *base)
{
	carry(out, fresh, base, 1);
}

/* ------------------------------------------------------------------ */
/* Combining two models of one commit                                  */
/* ------------------------------------------------------------------ */

/* Does flag fx of x beat flag fy (same name) of y? Ties go to y. */
static int flag_beats(const struct model *x, const struct model_flag *fx,
		      const struct model *y, const struct model_flag *fy)
{
	int own_x = !strcmp(fx->commit, x->commit);
	int own_y = !strcmp(fy->commit, y->commit);

	if (own_x != own_y)
		return own_x;
	return fx->recorded_at > fy->recorded_at;
}

/* Index maps from each side's items to the merged model's (or -1). */
struct side_map {
	long *flag;
	long *file;
	long *feature;
};

static void side_map_init(struct side_map *map, const struct model *m)
{
	map->flag = xmalloc(st_mult(m->flags_nr + 1, sizeof(long)));
	map->file = xmalloc(st_mult(m->files_nr + 1, sizeof(long)));
	map->feature = xmalloc(st_mult(m->features_nr + 1, sizeof(long)));
	for (size_t i = 0; i < m->flags_nr; i++)
		map->flag[i] = -1;
}

static void side_map_release(struct side_map *map)
{
	free(map->flag);
	free(map->file);
	free(map->feature);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every flag name of a and b, each once, sorted; each from its winner. */
static void merge_flags(struct model *out, const struct model *a,
			struct side_map *ma, const struct model *b,
			struct side_map *mb)
{
	size_t nr = a->flags_nr + b->flags_nr, k = 0;
	const char **names = xmalloc(st_mult(nr + 1, sizeof(char *)));

	for (size_t i = 0; i < a->flags_nr; i++)
		names[k++] = a->flags[i].name;
	for (size_t i = 0; i < b->flags_nr; i++)
		if (model_find_flag(a, b->flags[i].name) < 0)
			names[k++] = b->flags[i].name;
	if (k > 1)
		qsort(names, k, sizeof(*names), cmp_str);
	for (size_t i = 0; i < k; i++) {
		long ia = model_find_flag(a, names[i]);
		long ib = model_find_flag(b, names[i]);
		int from_a = ib < 0 ||
			     (ia >= 0 && flag_beats(a, &a->flags[ia], b,
						    &b->flags[ib]));
		const struct model_flag *f = from_a ? &a->flags[ia] :
						      &b->flags[ib];
		long at = (long)model_add_flag(out, f->name, f->commit,
					       f->suite_time, f->overhead,
					       f->recorded_at);

		/* a signature covers its flag, not the note: it survives */
		model_flag_set_signature(&out->flags[at], f->signature,
					 f->signature_len);
		if (from_a)
			ma->flag[ia] = at;
		else
			mb->flag[ib] = at;
	}
	free(names);
}

/* Imports of a merged file, from the side it was taken from. */
static void copy_imports(struct model_file *to, const struct model_file *from,
			 const long *file_map)
{
	to->imports_nr = from->imports_nr;
	if (!from->imports_nr)
		return;
	to->imports = xmalloc(st_mult(from->imports_nr, sizeof(uint32_t)));
	for (size_t i = 0; i < from->imports_nr; i++)
		to->imports[i] = (uint32_t)file_map[from->imports[i]];
}

/* The union of files by path (both sides are sorted by path). */
static void merge_files(struct model *out, const struct model *a,
			struct side_map *ma, const struct model *b,
			struct side_map *mb)
{
	size_t i = 0, j = 0;

	while (i < a->files_nr || j < b->files_nr) {
		int c = i == a->files_nr ? 1 : j == b->files_nr ? -1 :
			strcmp(a->files[i].path, b->files[j].path);
		const struct model_file *f = c < 0 ? &a->files[i] :
						     &b->files[j];
		long at = (long)model_add_file(out, f->path, f->blob);

		if (c <= 0)
			ma->file[i++] = at;
		if (c >= 0)
			mb->file[j++] = at;
	}
	i = j = 0;
	for (size_t k = 0; k < out->files_nr; k++) {
		while (i < a->files_nr && ma->file[i] < (long)k)
			i++;
		while (j < b->files_nr && mb->file[j] < (long)k)
			j++;
		if (j < b->files_nr && mb->file[j] == (long)k)
			copy_imports(&out->files[k], &b->files[j], mb->file);
		else
			copy_imports(&out->files[k], &a->files[i], ma->file);
	}
}

static int cmp_feature(const struct model *a, const struct model_feature *x,
		       const struct model *b, const struct model_feature *y)
{
	int c = strcmp(a->files[x->file].path, b->files[y->file].path);

	return c ? c : strcmp(x->name, y->name);
}

/* The union of features by (path, name), in that order; b's kind and
 * hash win (both describe the same commit), lines is the larger,
 * import_time is set when either side has it. */
static void merge_features(struct model *out, const struct model *a,
			   struct side_map *ma, const struct model *b,
			   struct side_map *mb)
{
	size_t i = 0, j = 0;

	while (i < a->features_nr || j < b->features_nr) {
		const struct model_feature *x = i < a->features_nr ?
						&a->features[i] : NULL;
		const struct model_feature *y = j < b->features_nr ?
						&b->features[j] : NULL;
		int c = !x ? 1 : !y ? -1 : cmp_feature(a, x, b, y);
		const struct model_feature *f = c < 0 ? x : y;
		uint32_t file = (uint32_t)(c < 0 ? ma->file[x->file] :
						   mb->file[y->file]);
		uint32_t lines = f->lines;
		long at;

		if (!c && x->lines > lines)	/* f is y */
			lines = x->lines;
		at = (long)model_add_feature(out, file, f->name, f->kind,
					     f->hash, lines);
		out->features[at].import_time = (c <= 0 && x->import_time) ||
						 (c >= 0 && y->import_time);
		if (c <= 0)
			ma->feature[i++] = at;
		if (c >= 0)
			mb->feature[j++] = at;
	}
}

static void add_test(struct model *out, const struct model_test *t,
		     const struct side_map *map, struct lines_rebuild *rb,
		     const struct model *src)
{
	unsigned char *sig;
	size_t len;
	uint32_t at;

	sig = remap_signals(t, map->feature, &len);
	at = model_add_test(out, t->id, (uint32_t)map->flag[t->flag], t->cost,
			    t->outcome, t->history, sig, len);
	lines_rebuild_test(rb, &out->tests[at], src, t, map->feature);
}

/* Tests by id: each comes with its flag's winning side; an id both
 * sides bring goes to the side whose flag wins. */
static void merge_tests(struct model *out, const struct model *a,
			const struct side_map *ma, const struct model *b,
			const struct side_map *mb, struct lines_rebuild *rb)
{
	size_t i = 0, j = 0;

	while (i < a->tests_nr || j < b->tests_nr) {
		const struct model_test *x = i < a->tests_nr ? &a->tests[i] :
							       NULL;
		const struct model_test *y = j < b->tests_nr ? &b->tests[j] :
							       NULL;
		int c = !x ? 1 : !y ? -1 : strcmp(x->id, y->id);
		int use_x = c <= 0 && ma->flag[x->flag] >= 0;
		int use_y = c >= 0 && mb->flag[y->flag] >= 0;

		if (use_x && use_y)
			use_x = flag_beats(a, &a->flags[x->flag], b,
					   &b->flags[y->flag]);
		if (use_x)
			add_test(out, x, ma, rb, a);
		else if (use_y)
			add_test(out, y, mb, rb, b);
		i += c <= 0;
		j += c >= 0;
	}
}

int model_merge(struct model *out, const struct model *a,
		       const struct model *b)
{
	struct side_map ma, mb;
	struct lines_rebuild rb;
	int ret;

	side_map_init(&ma, a);
	side_map_init(&mb, b);
	memcpy(out->commit, b->commit[0] ? b->commit : a->commit,
	       sizeof(out->commit));
	merge_flags(out, a, &ma, b, &mb);
	merge_files(out, a, &ma, b, &mb);
	merge_features(out, a, &ma, b, &mb);
	lines_rebuild_init(&rb, out);
	lines_rebuild_source(&rb, a, ma.feature);
	lines_rebuild_source(&rb, b, mb.feature);
	merge_tests(out, a, &ma, b, &mb, &rb);
	lines_rebuild_finish(&rb);
	ret = model_validate(out, "merged model");
	side_map_release(&ma);
	side_map_release(&mb);
	return ret;
}
