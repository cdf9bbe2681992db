/* model.c - the in-memory test-impact model of one commit: building, lookup, validation.
 * Lookups are binary searches over the sorted arrays the codec and record produce. */
#include <math.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "strlist.h"
#include "coverage-vector.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
}

/* Whether p lies in the decoded block (and so is not freed on its own). */
static int in_block(const struct model *m, const void *p)
{
	return (uintptr_t)p - (uintptr_t)m->block < m->block_size;
}

static void free_item(const struct model *m, void *p)
{
	if (!in_block(m, p))
		free(p);
}

void model_release(struct model *m)
{
	for (size_t i = 0; i < m->flags_nr; i++) {
		free(m->flags[i].name);
		free(m->flags[i].signature);
	}
	for (size_t i = 0; i < m->files_nr; i++) {
		free_item(m, m->files[i].path);
		free_item(m, m->files[i].imports);
	}
	for (size_t i = 0; i < m->features_nr; i++)
		free_item(m, m->features[i].name);
	for (size_t i = 0; i < m->tests_nr; i++) {
		free_item(m, m->tests[i].id);
		free_item(m, m->tests[i].signals);
		if ((uintptr_t)m->tests[i].patterns -
		    (uintptr_t)m->patterns_block >
		    m->patterns_block_nr * sizeof(uint32_t))
			free(m->tests[i].patterns);
	}
	free(m->patterns_block);
	for (size_t i = 0; m->lines && i < m->features_nr; i++)
		if ((uintptr_t)m->lines[i].block_end -
		    (uintptr_t)m->lines_block >= m->lines_block_size)
			model_lines_release(&m->lines[i]);
	free(m->lines);
	free(m->lines_block);
	free(m->flags);
	free(m->files);
	free(m->features);
	free(m->tests);
	free(m->block);
	model_init(m);
}

static void *dup_mem(const void *p, size_t n)
{
	void *copy = xmalloc(n ? n : 1);

	if (n)
		memcpy(copy, p, n);
	return copy;
}

void model_lines_alloc(struct model *m)
{
	if (!m->lines)
		m->lines = xcalloc(m->features_alloc + 1, sizeof(*m->lines));
}

void model_patterns_block(struct model *m, size_t nr)
{
	free(m->patterns_block);
	m->patterns_block = xmalloc(st_mult(nr + 1, sizeof(uint32_t)));
	m->patterns_block_nr = nr;
}

void model_lines_release(struct model_lines *l)
{
	free(l->block_end);
	free(l->patterns);
	free(l->at_import);
	memset(l, 0, sizeof(*l));
}

void model_lines_copy(struct model_lines *dst, const struct model_lines *src)
{
	size_t bytes = MODEL_LINES_BYTES(src->blocks_nr);

	memset(dst, 0, sizeof(*dst));
	if (!src->blocks_nr)
		return;
	dst->blocks_nr = src->blocks_nr;
	dst->patterns_nr = src->patterns_nr;
	dst->block_end = dup_mem(src->block_end,
				 st_mult(src->blocks_nr, sizeof(uint32_t)));
	dst->at_import = dup_mem(src->at_import, bytes);
	dst->patterns = src->patterns_nr ?
		dup_mem(src->patterns, st_mult(src->patterns_nr, bytes)) :
		NULL;
}

static void copy_hex(char *dst, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n > COVOPT_OID_HEXSZ)
		n = COVOPT_OID_HEXSZ;
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

uint32_t model_add_flag(struct model *m, const char *name, const char *commit,
			double suite_time, double overhead,
			double recorded_at)
{
	struct model_flag *f;

	ALLOC_GROW(m->flags, m->flags_nr + 1, m->flags_alloc);
	f = &m->flags[m->flags_nr];
	f->name = xstrdup(name);
	copy_hex(f->commit, commit);
	f->suite_time = suite_time;
	f->overhead = overhead;
	f->recorded_at = recorded_at;
	f->signature = NULL;
	f->signature_len = 0;
	return (uint32_t)m->flags_nr++;
}

void model_flag_set_signature(struct model_flag *f, const void *sig,
			      size_t len)
{
	FREE_AND_NULL(f->signature);
	f->signature_len = 0;
	if (!sig || !len)
		return;
	f->signature = xmalloc(len);
	memcpy(f->signature, sig, len);
	f->signature_len = len;
}

uint32_t model_add_file(struct model *m, const char *path, const char *blob)
{
	struct model_file *f;

	ALLOC_GROW(m->files, m->files_nr + 1, m->files_alloc);
	f = &m->files[m->files_nr];
	f->path = xstrdup(path);
	copy_hex(f->blob, blob);
	f->imports = NULL;
	f->imports_nr = 0;
	return (uint32_t)m->files_nr++;
}

uint32_t model_add_feature(struct model *m, uint32_t file, const char *name,
			   enum feature_kind kind, uint64_t hash,
			   uint32_t lines)
{
	struct model_feature *f;

	if (m->lines && m->features_nr + 1 > m->features_alloc) {
		size_t old = m->features_alloc;

		ALLOC_GROW(m->features, m->features_nr + 1, m->features_alloc);
		m->lines = xrealloc(m->lines, st_mult(m->features_alloc + 1,
						      sizeof(*m->lines)));
		memset(m->lines + old + 1, 0,
		       (m->features_alloc - old) * sizeof(*m->lines));
	}
	ALLOC_GROW(m->features, m->features_nr + 1, m->features_alloc);
	f = &m->features[m->features_nr];
	f->file = file;
	f->name = xstrdup(name);
	f->kind = (uint8_t)kind;
	f->hash = hash;
	f->lines = lines;
	f->import_time = 0;
	return (uint32_t)m->features_nr++;
}

uint32_t model_add_test(struct model *m, const char *id, uint32_t flag,
			double cost, enum test_outcome outcome,
			uint32_t history, unsigned char *signals,
			size_t signals_len)
{
	struct model_test *t;

	ALLOC_GROW(m->tests, m->tests_nr + 1, m->tests_alloc);
	t = &m->tests[m->tests_nr];
	t->id = xstrdup(id);
	t->flag = flag;
	t->cost = cost;
	t->outcome = (uint8_t)outcome;
	t->history = history;
	t->signals = signals;
	t->signals_len = signals_len;
	t->patterns = NULL;
	t->patterns_nr = 0;
	return (uint32_t)m->tests_nr++;
}

long model_find_file(const struct model *m, const char *path)
{
	return sorted_find_str(m->files, m->files_nr, sizeof(*m->files),
			       offsetof(struct model_file, path), path);
}

long model_find_test(const struct model *m, const char *id)
{
	return sorted_find_str(m->tests, m->tests_nr, sizeof(*m->tests),
			       offsetof(struct model_test, id), id);
}

long model_find_flag(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->flags_nr; i++)
		if (!strcmp(m->flags[i].name, name))
			return (long)i;
	return -1;
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

static int validate_files(const struct model *m, const char *what)
{
	for (size_t i = 0; i < m->files_nr; i++) {
		const struct model_file *f = &m->files[i];

		if (i && strcmp(m->files[i - 1].path, f->path) >= 0)
			return error("%s: files not sorted at '%s'", what,
				     f->path);
		for (size_t k = 0; k < f->imports_nr; k++)
			if (f->imports[k] >= m->files_nr)
				return error("%s: bad import index in '%s'",
					     what, f->path);
	}
	return 0;
}

static int validate_features(const struct model *m, const char *what)
{
	for (size_t i = 0; i < m->features_nr; i++) {
		const struct model_feature *f = &m->features[i];
		const struct model_feature *p = i ? f - 1 : NULL;

		if (f->file >= m->files_nr || f->kind > FEATURE_KIND_MAX)
			return error("%s: bad feature #%zu", what, i);
		if (p && (p->file > f->file ||
			  (p->file == f->file && strcmp(p->name, f->name) >= 0)))
			return error("%s: features not sorted at #%zu", what,
				     i);
	}
	return 0;
}

static int validate_tests(const struct model *m, const char *what)
{
	uint32_t limit = m->features_nr > UINT32_MAX ? UINT32_MAX :
		(uint32_t)m->features_nr;

	for (size_t i = 0; i < m->tests_nr; i++) {
		const struct model_test *t = &m->tests[i];

		if (i && strcmp(m->tests[i - 1].id, t->id) >= 0)
			return error("%s: tests not sorted at '%s'", what,
				     t->id);
		if (t->flag >= m->flags_nr || t->outcome > OUTCOME_MAX ||
		    !(t->cost >= 0) || t->cost > 1e9)
			return error("%s: bad test '%s'", what, t->id);
		if (covvec_check(t->signals, t->signals_len, limit))
			return error("%s: bad signal of test '%s'", what,
				     t->id);
	}
	return 0;
}

/* A duration or date in seconds: finite, not negative (nor NaN). */
static int good_seconds(double t)
{
	return isfinite(t) && t >= 0;
}

int model_validate_flag(const struct model_flag *f, const char *what)
{
	if (!good_seconds(f->suite_time) || !good_seconds(f->overhead) ||
	    !good_seconds(f->recorded_at))
		return error("%s: bad flag '%s': a time is negative or not "
			     "finite", what, f->name);
	return 0;
}

int model_validate(const struct model *m, const char *what)
{
	for (size_t i = 0; i < m->flags_nr; i++)
		if (model_validate_flag(&m->flags[i], what))
			return -1;
	if (validate_files(m, what) || validate_features(m, what) ||
	    validate_tests(m, what))
		return -1;
	return 0;
}

const char *feature_kind_name(enum feature_kind kind)
{
	static const char *const names[] = { "module", "class", "function",
					     "file" };

	return kind <= FEATURE_KIND_MAX ? names[kind] : "unknown";
}

const char *outcome_name(enum test_outcome outcome)
{
	static const char *const names[] = { "passed", "failed", "error",
					     "skipped", "unknown" };

	return outcome <= OUTCOME_MAX ? names[outcome] : "unknown";
}
