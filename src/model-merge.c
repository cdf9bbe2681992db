/* model-merge.c - combine two models: carry other flags' tests forward onto a fresh recording.
 * Used by record (--flag carry-forward) and by sync, where two clones recorded the same commit. */
#include <stdlib.h>
#include <string.h>
#include "model-merge.h"
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

void model_copy(struct model *out, const struct model *src)
{
	memcpy(out->commit, src->commit, sizeof(out->commit));
	for (size_t i = 0; i < src->flags_nr; i++) {
		const struct model_flag *f = &src->flags[i];

		model_add_flag(out, f->name, f->commit, f->suite_time,
			       f->overhead, f->recorded_at);
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

		model_add_feature(out, f->file, f->name, f->kind, f->hash,
				  f->lines);
	}
	for (size_t i = 0; i < src->tests_nr; i++) {
		const struct model_test *t = &src->tests[i];

		model_add_test(out, t->id, t->flag, t->cost, t->outcome,
			       t->history,
			       dup_bytes(t->signals, t->signals_len),
			       t->signals_len);
	}
}

long model_find_feature(const struct model *m, uint32_t file,
			const char *name)
{
	size_t lo = 0, hi = m->features_nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct model_feature *f = &m->features[mid];
		int c = f->file != file ? (f->file < file ? -1 : 1) :
					  strcmp(f->name, name);

		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
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
 * fresh has maps to it when partial (its suite time stays the full
 * suite's), else to -1 (fresh replaces it).
 */
static long *map_flags(struct model *out, const struct model *fresh,
		       const struct model *base, int partial)
{
	long *flag_map = xmalloc(st_mult(base->flags_nr + 1, sizeof(long)));

	for (size_t i = 0; i < base->flags_nr; i++) {
		const struct model_flag *f = &base->flags[i];
		long k = model_find_flag(fresh, f->name);

		if (k < 0)
			flag_map[i] = (long)model_add_flag(out, f->name,
					f->commit, f->suite_time, f->overhead,
					f->recorded_at);
		else
			flag_map[i] = partial ? k : -1;
		if (k >= 0 && partial &&
		    out->flags[k].suite_time < f->suite_time)
			out->flags[k].suite_time = f->suite_time;
	}
	return flag_map;
}

static void carry(struct model *out, const struct model *fresh,
		  const struct model *base, int partial)
{
	long *map;
	long *flag_map;

	model_copy(out, fresh);
	if (!base)
		return;
	inherit_history(out, base);
	flag_map = map_flags(out, fresh, base, partial);
	map = map_features(fresh, base);
	for (size_t i = 0; i < base->tests_nr; i++) {
		const struct model_test *t = &base->tests[i];
		unsigned char *sig;
		size_t len;

		if (flag_map[t->flag] < 0 || model_find_test(fresh, t->id) >= 0)
			continue;
		sig = remap_signals(t, map, &len);
		model_add_test(out, t->id, (uint32_t)flag_map[t->flag],
			       t->cost, t->outcome, t->history, sig, len);
	}
	if (out->tests_nr > 1)
		qsort(out->tests, out->tests_nr, sizeof(*out->tests),
		      cmp_test);
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
