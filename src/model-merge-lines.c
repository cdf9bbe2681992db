/* model-merge-lines.c - carry line evidence along when models are combined (model-merge.c).
 * Evidence of a feature survives only if every source that ran it has it for the same body hash. */
#include <stdlib.h>
#include <string.h>
#include "coverage-vector.h"
#include "model-merge-lines.h"
#include "xalloc.h"
#include "banned.h"

void lines_rebuild_init(struct lines_rebuild *rb, struct model *out)
{
	size_t n = out->features_nr + 1;

	memset(rb, 0, sizeof(*rb));
	rb->out = out;
	rb->sets = xcalloc(n, sizeof(*rb->sets));
	rb->imports = xcalloc(n, sizeof(*rb->imports));
	rb->imports_nr = xcalloc(n, sizeof(size_t));
	rb->imports_alloc = xcalloc(n, sizeof(size_t));
	rb->dropped = xcalloc(n, 1);
}

static long target(const long *map, size_t i)
{
	return map ? map[i] : (long)i;
}

/* Can evidence of src's feature sf count for out's feature to? */
static const struct model_lines *usable(struct lines_rebuild *rb,
					const struct model *src, size_t sf,
					long to)
{
	const struct model_lines *ev = src->lines ? &src->lines[sf] : NULL;
	struct line_sets *ls = &rb->sets[to];
	uint32_t n;

	if (!ev || !ev->blocks_nr ||
	    src->features[sf].hash != rb->out->features[to].hash) {
		rb->dropped[to] = 1;
		return NULL;
	}
	n = line_evidence_lines(ev);
	if (!ls->sig_nr && !ls->sets_nr)
		ls->sig_nr = n;
	if (ls->sig_nr != n) {
		rb->dropped[to] = 1;
		return NULL;
	}
	return ev;
}

static void mark_import(struct lines_rebuild *rb, long to, uint32_t set)
{
	ALLOC_GROW(rb->imports[to], rb->imports_nr[to] + 1,
		   rb->imports_alloc[to]);
	rb->imports[to][rb->imports_nr[to]++] = set;
}

/* Build feature f's evidence (or leave it without). */
static void build_feature(struct lines_rebuild *rb, size_t f,
			  uint32_t **pattern_of)
{
	struct model_lines *l = &rb->out->lines[f];
	unsigned char *is_import;

	model_lines_release(l);
	if (rb->dropped[f] || !rb->sets[f].sets_nr)
		return;
	is_import = xcalloc(rb->sets[f].sets_nr + 1, 1);
	for (size_t i = 0; i < rb->imports_nr[f]; i++)
		is_import[rb->imports[f][i]] = 1;
	if (line_evidence_build(l, &pattern_of[f], &rb->sets[f], is_import))
		model_lines_release(l);
	free(is_import);
}

void lines_rebuild_source(struct lines_rebuild *rb, const struct model *src,
			  const long *map)
{
	if (!src->lines)
		return;
	rb->active = 1;
	for (size_t sf = 0; sf < src->features_nr; sf++) {
		long to = target(map, sf);
		const struct model_lines *ev;

		/* a stale version's import-time lines say nothing here */
		if (to < 0 || !src->lines[sf].blocks_nr ||
		    src->features[sf].hash != rb->out->features[to].hash)
			continue;
		ev = usable(rb, src, sf, to);
		if (!ev)
			continue;
		line_evidence_expand(&rb->sets[to], ev, MODEL_NO_PATTERN);
		mark_import(rb, to, (uint32_t)rb->sets[to].sets_nr - 1);
	}
}

void lines_rebuild_test(struct lines_rebuild *rb, struct model_test *to,
			const struct model *src, const struct model_test *from,
			const long *map)
{
	struct covvec_iter it;
	size_t k = 0, nr = 0, alloc = 0;
	long last = -1;

	free(to->patterns);
	to->patterns = NULL;
	to->patterns_nr = 0;
	covvec_iter_init(&it, from->signals, from->signals_len);
	for (; covvec_iter_next(&it) > 0; k++) {
		long f = target(map, it.feature);
		uint32_t p = k < from->patterns_nr ? from->patterns[k] :
			MODEL_NO_PATTERN;
		uint32_t set = MODEL_NO_PATTERN;
		const struct model_lines *ev;

		if (f <= last)
			continue;
		last = f;
		ev = usable(rb, src, it.feature, f);
		if (ev && p < ev->patterns_nr) {
			line_evidence_expand(&rb->sets[f], ev, p);
			set = (uint32_t)rb->sets[f].sets_nr - 1;
		} else {
			rb->dropped[f] = 1;
		}
		ALLOC_GROW(to->patterns, nr + 1, alloc);
		to->patterns[nr++] = set;
	}
	to->patterns_nr = nr;
}

/* Turn a test's set indices into pattern indices. */
static void finish_test(struct model *out, struct model_test *t,
			uint32_t **pattern_of)
{
	struct covvec_iter it;
	size_t k = 0;

	covvec_iter_init(&it, t->signals, t->signals_len);
	while (covvec_iter_next(&it) > 0 && k < t->patterns_nr) {
		uint32_t set = t->patterns[k];

		t->patterns[k++] = out->lines[it.feature].blocks_nr &&
			set != MODEL_NO_PATTERN ?
			pattern_of[it.feature][set] : MODEL_NO_PATTERN;
	}
}

void lines_rebuild_finish(struct lines_rebuild *rb)
{
	struct model *out = rb->out;
	size_t n = out->features_nr;
	uint32_t **pattern_of = xcalloc(n + 1, sizeof(*pattern_of));

	if (rb->active) {
		model_lines_alloc(out);
		for (size_t f = 0; f < n; f++)
			build_feature(rb, f, pattern_of);
		for (size_t t = 0; t < out->tests_nr; t++)
			finish_test(out, &out->tests[t], pattern_of);
	} else {
		for (size_t t = 0; t < out->tests_nr; t++) {
			FREE_AND_NULL(out->tests[t].patterns);
			out->tests[t].patterns_nr = 0;
		}
	}
	for (size_t f = 0; f < n; f++) {
		free(pattern_of[f]);
		free(rb->imports[f]);
		line_sets_release(&rb->sets[f]);
	}
	free(pattern_of);
	free(rb->imports);
	free(rb->imports_nr);
	free(rb->imports_alloc);
	free(rb->sets);
	free(rb->dropped);
	memset(rb, 0, sizeof(*rb));
}
