/* record.c - turn one test run (coverage contexts + JUnit) into the model of a commit.
 * Lines map to features through each file's owner table; a test's signal on a feature is
 * the share of the feature's executed lines (over the whole run) that the test ran. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "feature-map.h"
#include "imports.h"
#include "line-evidence.h"
#include "nodeid.h"
#include "path-map.h"
#include "progress.h"
#include "record.h"
#include "repo.h"
#include "coverage-vector.h"
#include "strlist.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* What the builder knows of a line of a model file, in one place. */
struct line_info {
	uint32_t owner;		/* global feature index */
	uint32_t stamp;		/* last test (index + 1) that counted it */
	uint32_t sig;		/* index among its feature's significant
				   lines, or UINT32_MAX */
	uint32_t stmt_last;	/* at a statement's first line: its last line */
	unsigned char executed;	/* 1 if any context ran the line */
	unsigned char header;	/* 1 on a def's header lines: they run at
				   import time whether or not it is called */
};

/* Per model file: which feature owns each line, and scratch marks. */
struct file_lines {
	struct line_info *line;	/* [1..lines_nr] */
	size_t lines_nr;
};

/*
 * Line evidence being gathered, in the order it comes: one "pair" per
 * signal entry of each test (in test, then feature order), then the empty
 * context's pairs; each holds runs of the feature's significant lines.
 */
struct line_record {
	uint32_t *sig_nr;		/* per feature: its significant lines */
	size_t sig_alloc;
	uint32_t *pair_feature;		/* per pair */
	size_t *pair_run;		/* per pair: its first run; one more at the end */
	size_t pairs_nr, pairs_alloc, pair_run_alloc;
	size_t test_pairs;		/* pairs before the empty context's */
	uint32_t *runs;			/* start, end pairs */
	size_t runs_nr, runs_alloc;	/* in runs */
	uint64_t *keys;			/* scratch: feature << 32 | line index */
	size_t keys_nr, keys_alloc;
	uint32_t *grouped;		/* scratch: keys' lines by feature */
	size_t grouped_alloc;
	size_t *group_at;		/* scratch: a touched feature's first */
	size_t group_alloc;
	uint32_t *group_of;		/* scratch: feature -> touched index */
	size_t group_of_alloc;
};

/* A JUnit case by its key "classname\tname". */
struct junit_key {
	char *key;
	size_t index;
};

struct builder {
	struct model *m;
	git_repository *repo;
	const struct coverage_data *cov;
	const struct junit_report *junit;
	struct repo_tree_files tree;
	long *cov_to_file;	/* coverage file index -> model file, or -1 */
	struct file_lines *lines;	/* per model file */
	struct strlist test_ids;	/* sorted, unique */
	long *context_to_test;	/* coverage context -> test, or -1 */
	long *test_to_case;	/* test -> junit case, or -1 */
	struct junit_key *keys;
	size_t keys_nr;
	struct line_record lr;
	unsigned char *import_context;	/* per coverage context: the empty one */
};

/* ---------------------------------------------------------------- files */

static int is_python(const char *path)
{
	return features_is_python(path);
}

/* Map measured paths to tracked ones; note which tracked files are covered. */
static void map_coverage_files(struct builder *b, unsigned char *covered)
{
	struct path_map map;
	size_t unmapped = 0;
	const char *example = NULL;

	path_map_init(&map, &b->tree.paths);
	b->cov_to_file = xmalloc(st_mult(b->cov->files.nr + 1, sizeof(long)));
	for (size_t i = 0; i < b->cov->files.nr; i++) {
		long at = path_map_resolve(&map, b->cov->files.items[i]);

		b->cov_to_file[i] = at;
		if (at >= 0)
			covered[at] = 1;
		else if (!unmapped++)
			example = b->cov->files.items[i];
	}
	if (unmapped)
		warning("%zu measured file(s) are not tracked in the recorded "
			"commit and were ignored, e.g. '%s'", unmapped, example);
	path_map_release(&map);
}

/* Number each feature's significant lines; note where statements end. */
static void index_lines(struct builder *b, struct file_lines *fl,
			const struct feature_map *fm, uint32_t base)
{
	for (size_t l = 0; l <= fm->lines_nr; l++)
		fl->line[l].sig = UINT32_MAX;
	if (!fm->line_hash)
		return;
	for (size_t l = 1; l <= fm->lines_nr; l++) {
		uint32_t *n = &b->lr.sig_nr[base + fm->owner[l]];

		if (!fm->line_hash[l])
			continue;
		fl->line[l].sig = (*n)++;
		fl->line[fm->stmt[l]].stmt_last = (uint32_t)l;
	}
}

static int parse_file(struct builder *b, uint32_t file, const git_oid *blob,
		      struct feature_map *fm)
{
	struct sbuf src = SBUF_INIT;
	const char *path = b->m->files[file].path;
	uint32_t base = (uint32_t)b->m->features_nr;
	struct file_lines *fl = &b->lines[file];
	int ret = -1;

	if (repo_read_blob(&src, b->repo, blob, FEATURES_MAX_SOURCE) < 0 ||
	    features_parse_flags(fm, path, src.buf, src.len,
				 FEATURES_SIG_ONLY) < 0)
		goto cleanup;
	for (size_t k = 0; k < fm->nr; k++)
		model_add_feature(b->m, file, fm->items[k].name,
				  fm->items[k].kind, fm->items[k].hash, 0);
	ALLOC_GROW(b->lr.sig_nr, b->m->features_nr + 1, b->lr.sig_alloc);
	ALLOC_GROW(b->lr.group_of, b->m->features_nr + 1,
		   b->lr.group_of_alloc);
	memset(b->lr.sig_nr + base, 0, (fm->nr + 1) * sizeof(uint32_t));
	fl->lines_nr = fm->lines_nr;
	fl->line = xcalloc(st_add(fm->lines_nr, 1), sizeof(*fl->line));
	for (size_t l = 1; l <= fm->lines_nr; l++) {
		const struct feature_span *f = &fm->items[fm->owner[l]];

		fl->line[l].owner = base + fm->owner[l];
		fl->line[l].header = f->kind == FEATURE_FUNCTION &&
				(!f->body_line || l < f->body_line);
	}
	index_lines(b, fl, fm, base);
	ret = 0;
cleanup:
	sbuf_release(&src);
	return ret;
}

/* Add the model's files and their features; resolve imports. */
static int add_files(struct builder *b)
{
	unsigned char *covered = xcalloc(b->tree.nr + 1, 1);
	struct feature_map *maps;
	struct strlist paths = STRLIST_INIT;
	struct import_index idx;
	long *tree_index;
	int ret = -1;

	map_coverage_files(b, covered);
	tree_index = xmalloc(st_mult(b->tree.nr + 1, sizeof(long)));
	for (size_t i = 0; i < b->tree.nr; i++) {
		const struct repo_entry *e = &b->tree.items[i];
		char hex[GIT_OID_HEXSZ + 1];

		tree_index[i] = -1;
		if (!covered[i] && !is_python(e->path))
			continue;
		git_oid_tostr(hex, sizeof(hex), &e->blob);
		tree_index[i] = model_add_file(b->m, e->path, hex);
		strlist_append(&paths, e->path);
	}
	for (size_t i = 0; i < b->cov->files.nr; i++)
		if (b->cov_to_file[i] >= 0)
			b->cov_to_file[i] = tree_index[b->cov_to_file[i]];
	b->lines = xcalloc(b->m->files_nr + 1, sizeof(*b->lines));
	maps = xcalloc(b->m->files_nr + 1, sizeof(*maps));
	for (size_t i = 0, f = 0; i < b->tree.nr; i++)
		if (tree_index[i] >= 0 &&
		    parse_file(b, (uint32_t)f++, &b->tree.items[i].blob,
			       &maps[tree_index[i]]) < 0)
			goto cleanup;
	import_index_build(&idx, &paths);
	for (size_t f = 0; f < b->m->files_nr; f++)
		b->m->files[f].imports = import_index_resolve(
			&idx, b->m->files[f].path, &maps[f].imports,
			&b->m->files[f].imports_nr);
	import_index_release(&idx);
	ret = 0;
cleanup:
	for (size_t f = 0; f < b->m->files_nr; f++)
		feature_map_release(&maps[f]);
	free(maps);
	free(tree_index);
	free(covered);
	strlist_release(&paths);
	return ret;
}

/* ---------------------------------------------------------------- tests */

static int cmp_key(const void *a, const void *b)
{
	const struct junit_key *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void index_junit(struct builder *b)
{
	struct sbuf sb = SBUF_INIT;

	b->keys = xmalloc(st_mult(b->junit->nr + 1, sizeof(*b->keys)));
	for (size_t i = 0; i < b->junit->nr; i++) {
		const struct junit_case *c = &b->junit->cases[i];

		sbuf_reset(&sb);
		sbuf_addf(&sb, "%s\t%s", c->classname, c->name);
		b->keys[i].key = xmemdupz(sb.buf, sb.len);
		b->keys[i].index = i;
	}
	b->keys_nr = b->junit->nr;
	qsort(b->keys, b->keys_nr, sizeof(*b->keys), cmp_key);
	sbuf_release(&sb);
}

/* First JUnit key entry equal to key, or -1. */
static long find_key(const struct builder *b, const char *key)
{
	return sorted_find_str(b->keys, b->keys_nr, sizeof(*b->keys),
			       offsetof(struct junit_key, key), key);
}

/* Collect every test id: from coverage contexts and from JUnit cases. */
static void collect_test_ids(struct builder *b)
{
	struct sbuf key = SBUF_INIT;
	unsigned char *used = xcalloc(b->keys_nr + 1, 1);
	struct strlist ids = STRLIST_INIT;

	for (size_t i = 0; i < b->cov->contexts.nr; i++) {
		const char *phase;
		char *id = coverage_context_nodeid(b->cov->contexts.items[i],
						   &phase);
		long k;

		if (!id)
			continue;
		nodeid_junit_key(&key, id);
		for (k = find_key(b, key.buf);
		     k >= 0 && (size_t)k < b->keys_nr &&
		     !strcmp(b->keys[k].key, key.buf); k++)
			used[k] = 1;
		strlist_append_nodup(&ids, id);
	}
	for (size_t k = 0; k < b->keys_nr; k++) {
		const struct junit_case *c = &b->junit->cases[b->keys[k].index];
		char *id;

		if (used[k])
			continue;
		id = nodeid_from_junit(c->classname, c->name, c->file,
				       &b->tree.paths);
		if (id)
			strlist_append_nodup(&ids, id);
		else
			warning("cannot tell the test id of JUnit test case "
				"'%s' '%s'; skipped", c->classname, c->name);
	}
	strlist_sort(&ids);
	for (size_t i = 0; i < ids.nr; i++)
		if (!i || strcmp(ids.items[i - 1], ids.items[i]))
			strlist_append(&b->test_ids, ids.items[i]);
	strlist_release(&ids);
	free(used);
	sbuf_release(&key);
}

static void map_contexts(struct builder *b)
{
	b->context_to_test = xmalloc(st_mult(b->cov->contexts.nr + 1,
					     sizeof(long)));
	b->import_context = xcalloc(b->cov->contexts.nr + 1, 1);
	for (size_t i = 0; i < b->cov->contexts.nr; i++) {
		const char *phase;
		char *id = coverage_context_nodeid(b->cov->contexts.items[i],
						   &phase);

		b->context_to_test[i] = id ?
			strlist_find_sorted(&b->test_ids, id) : -1;
		b->import_context[i] = !id;
		free(id);
	}
}

static int severity(enum test_outcome o)
{
	static const int rank[] = { 0, 2, 3, 1, 0 };

	return o <= OUTCOME_MAX ? rank[o] : 0;
}

/* Cost and outcome of a test from its JUnit case(s). */
static void junit_facts(struct builder *b, const char *id, double *cost,
			enum test_outcome *outcome)
{
	struct sbuf key = SBUF_INIT;
	long k;

	*cost = 0;
	*outcome = OUTCOME_UNKNOWN;
	nodeid_junit_key(&key, id);
	for (k = find_key(b, key.buf);
	     k >= 0 && (size_t)k < b->keys_nr && !strcmp(b->keys[k].key, key.buf);
	     k++) {
		const struct junit_case *c = &b->junit->cases[b->keys[k].index];

		*cost += c->time;
		if (*outcome == OUTCOME_UNKNOWN ||
		    severity(c->outcome) > severity(*outcome))
			*outcome = c->outcome;
	}
	sbuf_release(&key);
}

/* ---------------------------------------------------------------- signals */

/*
 * Lines the empty context ran, at import or collection time, mark their
 * features; a def's header runs then anyway, only its body tells that it
 * was called.
 */
static void mark_import_time(struct builder *b, const struct file_lines *fl,
			     const struct coverage_record *rec)
{
	for (size_t i = 0; i < rec->lines_nr; i++) {
		uint32_t l = rec->lines[i];

		if (l && l <= fl->lines_nr && !fl->line[l].header)
			b->m->features[fl->line[l].owner].import_time = 1;
	}
}

static void mark_executed(struct builder *b)
{
	for (size_t r = 0; r < b->cov->records_nr; r++) {
		const struct coverage_record *rec = &b->cov->records[r];
		long f = b->cov_to_file[rec->file];
		struct file_lines *fl;

		if (f < 0)
			continue;
		fl = &b->lines[f];
		for (size_t i = 0; i < rec->lines_nr; i++)
			if (rec->lines[i] <= fl->lines_nr)
				fl->line[rec->lines[i]].executed = 1;
		if (!*b->cov->contexts.items[rec->context])
			mark_import_time(b, fl, rec);
	}
	for (size_t f = 0; f < b->m->files_nr; f++) {
		struct file_lines *fl = &b->lines[f];

		for (size_t l = 1; l <= fl->lines_nr; l++)
			if (fl->line[l].executed)
				b->m->features[fl->line[l].owner].lines++;
	}
}

/* Records grouped by test: order[] holds record indices, start[t]..start[t+1]. */
static void group_records(struct builder *b, size_t **order, size_t **start)
{
	size_t tests = b->test_ids.nr;
	size_t *pos = xcalloc(tests + 2, sizeof(size_t));

	*start = xcalloc(tests + 2, sizeof(size_t));
	*order = xmalloc(st_mult(b->cov->records_nr + 1, sizeof(size_t)));
	for (size_t r = 0; r < b->cov->records_nr; r++) {
		long t = b->context_to_test[b->cov->records[r].context];

		if (t >= 0)
			(*start)[t + 1]++;
	}
	for (size_t t = 0; t < tests; t++)
		(*start)[t + 1] += (*start)[t];
	memcpy(pos, *start, (tests + 1) * sizeof(size_t));
	for (size_t r = 0; r < b->cov->records_nr; r++) {
		long t = b->context_to_test[b->cov->records[r].context];

		if (t >= 0)
			(*order)[pos[t]++] = r;
	}
	free(pos);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Line l (of feature feat) ran: note its statement's significant lines. */
static void note_lines(struct line_record *lr, const struct file_lines *fl,
		       uint32_t l, uint32_t feat)
{
	uint32_t end = fl->line[l].stmt_last;
	uint32_t last = end > l ? end : l;

	for (uint32_t k = l; k <= last && k <= fl->lines_nr; k++) {
		if (fl->line[k].sig == UINT32_MAX || fl->line[k].owner != feat)
			continue;
		ALLOC_GROW(lr->keys, lr->keys_nr + 1, lr->keys_alloc);
		lr->keys[lr->keys_nr++] = (uint64_t)feat << 32 |
					  fl->line[k].sig;
	}
}

/* Append a run [start, end) to the last pair, merging touching runs. */
static void add_run(struct line_record *lr, uint32_t start, uint32_t end)
{
	if (lr->runs_nr > lr->pair_run[lr->pairs_nr - 1] &&
	    lr->runs[2 * lr->runs_nr - 1] == start) {
		lr->runs[2 * lr->runs_nr - 1] = end;
		return;
	}
	ALLOC_GROW(lr->runs, 2 * (lr->runs_nr + 1), lr->runs_alloc);
	lr->runs[2 * lr->runs_nr] = start;
	lr->runs[2 * lr->runs_nr + 1] = end;
	lr->runs_nr++;
}

/*
 * The noted line indexes grouped by touched feature, in the order they
 * came (a counting sort: no comparison sort of every test's lines);
 * group i is grouped[group_at[i]..group_at[i + 1]).
 */
static void group_keys(struct line_record *lr, const uint32_t *touched,
		       size_t touched_nr)
{
	uint32_t *group_of = lr->group_of;
	size_t *at;

	ALLOC_GROW(lr->grouped, lr->keys_nr + 1, lr->grouped_alloc);
	ALLOC_GROW(lr->group_at, touched_nr + 2, lr->group_alloc);
	at = lr->group_at;
	memset(at, 0, (touched_nr + 2) * sizeof(*at));
	for (size_t i = 0; i < touched_nr; i++)
		group_of[touched[i]] = (uint32_t)i;
	for (size_t k = 0; k < lr->keys_nr; k++)
		at[group_of[lr->keys[k] >> 32] + 2]++;
	for (size_t i = 2; i < touched_nr + 2; i++)
		at[i] += at[i - 1];
	for (size_t k = 0; k < lr->keys_nr; k++)
		lr->grouped[at[group_of[lr->keys[k] >> 32] + 1]++] =
			(uint32_t)lr->keys[k];
}

/* Sort n line indexes: most come sorted already, from one record. */
static void sort_lines(uint32_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (v[i - 1] > v[i]) {
			qsort(v, n, sizeof(*v), cmp_u32);
			return;
		}
}

/*
 * One new pair per touched feature (sorted) from the noted lines, in that
 * order; empties the notes.
 */
static void add_pairs(struct line_record *lr, const uint32_t *touched,
		      size_t touched_nr)
{
	ALLOC_GROW(lr->pair_feature, lr->pairs_nr + touched_nr + 1,
		   lr->pairs_alloc);
	ALLOC_GROW(lr->pair_run, lr->pairs_nr + touched_nr + 2,
		   lr->pair_run_alloc);
	if (touched_nr)
		group_keys(lr, touched, touched_nr);
	for (size_t i = 0; i < touched_nr; i++) {
		uint32_t *v = lr->grouped + lr->group_at[i];
		size_t n = lr->group_at[i + 1] - lr->group_at[i];

		lr->pair_feature[lr->pairs_nr] = touched[i];
		lr->pair_run[lr->pairs_nr++] = lr->runs_nr;
		sort_lines(v, n);
		for (size_t k = 0; k < n; k++)
			if (!k || v[k - 1] != v[k])
				add_run(lr, v[k], v[k] + 1);
	}
	lr->pair_run[lr->pairs_nr] = lr->runs_nr;
	lr->keys_nr = 0;
}

/* The packed signal of test t over the records order[from..to). */
static unsigned char *test_signal(struct builder *b, size_t t,
				  const size_t *order, size_t from, size_t to,
				  uint32_t *count, size_t *len)
{
	uint32_t *touched = NULL;
	size_t touched_nr = 0, touched_alloc = 0;
	struct covvec_writer w;

	for (size_t i = from; i < to; i++) {
		const struct coverage_record *rec = &b->cov->records[order[i]];
		long f = b->cov_to_file[rec->file];
		struct file_lines *fl;

		if (f < 0)
			continue;
		fl = &b->lines[f];
		for (size_t k = 0; k < rec->lines_nr; k++) {
			uint32_t l = rec->lines[k], feat;

			if (l > fl->lines_nr || fl->line[l].stamp == t + 1)
				continue;
			fl->line[l].stamp = (uint32_t)t + 1;
			feat = fl->line[l].owner;
			note_lines(&b->lr, fl, l, feat);
			if (!count[feat]++) {
				ALLOC_GROW(touched, touched_nr + 1,
					   touched_alloc);
				touched[touched_nr++] = feat;
			}
		}
	}
	if (touched_nr > 1)
		qsort(touched, touched_nr, sizeof(*touched), cmp_u32);
	add_pairs(&b->lr, touched, touched_nr);
	covvec_writer_init(&w);
	for (size_t i = 0; i < touched_nr; i++) {
		uint32_t feat = touched[i];
		double share = (double)count[feat] / b->m->features[feat].lines;

		covvec_writer_add(&w, feat, covvec_quantize(share));
		count[feat] = 0;
	}
	free(touched);
	return covvec_writer_finish(&w, len);
}

/* The empty context (import, collection): one more set per feature it ran. */
static void add_import_sets(struct builder *b)
{
	uint32_t stamp = (uint32_t)b->test_ids.nr + 1;
	unsigned char *seen = xcalloc(b->m->features_nr + 1, 1);
	uint32_t *touched = NULL;
	size_t touched_nr = 0, touched_alloc = 0;

	for (size_t r = 0; r < b->cov->records_nr; r++) {
		const struct coverage_record *rec = &b->cov->records[r];
		long f = b->cov_to_file[rec->file];
		struct file_lines *fl = f >= 0 ? &b->lines[f] : NULL;

		if (!fl || !b->import_context[rec->context])
			continue;
		for (size_t k = 0; k < rec->lines_nr; k++) {
			uint32_t l = rec->lines[k];

			if (l > fl->lines_nr || fl->line[l].stamp == stamp)
				continue;
			fl->line[l].stamp = stamp;
			note_lines(&b->lr, fl, l, fl->line[l].owner);
			if (!seen[fl->line[l].owner]++) {
				ALLOC_GROW(touched, touched_nr + 1,
					   touched_alloc);
				touched[touched_nr++] = fl->line[l].owner;
			}
		}
	}
	if (touched_nr > 1)
		qsort(touched, touched_nr, sizeof(*touched), cmp_u32);
	b->lr.test_pairs = b->lr.pairs_nr;
	add_pairs(&b->lr, touched, touched_nr);
	free(touched);
	free(seen);
}

/* The pairs grouped by feature, each group in pair order: *start per feature. */
static size_t *pairs_by_feature(const struct line_record *lr, size_t features,
				size_t **start)
{
	size_t *order = xmalloc(st_mult(lr->pairs_nr + 1, sizeof(size_t)));
	size_t *pos = xcalloc(features + 2, sizeof(size_t));

	*start = xcalloc(features + 2, sizeof(size_t));
	for (size_t p = 0; p < lr->pairs_nr; p++)
		(*start)[lr->pair_feature[p] + 1]++;
	for (size_t f = 0; f < features; f++)
		(*start)[f + 1] += (*start)[f];
	memcpy(pos, *start, (features + 1) * sizeof(size_t));
	for (size_t p = 0; p < lr->pairs_nr; p++)
		order[pos[lr->pair_feature[p]]++] = p;
	free(pos);
	return order;
}

/*
 * Feature f's evidence from its pairs order[from..to); their patterns into
 * pattern[]. ls is scratch space, reused from feature to feature.
 */
static void build_feature(struct builder *b, size_t f, const size_t *order,
			  size_t from, size_t to, uint32_t *pattern,
			  struct line_sets *ls)
{
	const struct line_record *lr = &b->lr;
	unsigned char *is_import = xcalloc(to - from + 1, 1);
	uint32_t *pattern_of;

	line_sets_reset(ls, lr->sig_nr[f]);
	for (size_t i = from; i < to; i++) {
		size_t p = order[i];

		line_sets_begin(ls);
		for (size_t r = lr->pair_run[p]; r < lr->pair_run[p + 1]; r++)
			line_sets_add_run(ls, lr->runs[2 * r],
					  lr->runs[2 * r + 1]);
		is_import[i - from] = p >= lr->test_pairs;
	}
	if (line_evidence_build(&b->m->lines[f], &pattern_of, ls, is_import))
		model_lines_release(&b->m->lines[f]);
	for (size_t i = from; i < to; i++)
		if (order[i] < lr->test_pairs)
			pattern[order[i]] = b->m->lines[f].blocks_nr ?
				pattern_of[i - from] : MODEL_NO_PATTERN;
	free(pattern_of);
	free(is_import);
}

/* Build each feature's line evidence and give each test its patterns. */
static void finish_line_evidence(struct builder *b)
{
	struct model *m = b->m;
	size_t *start, *order = pairs_by_feature(&b->lr, m->features_nr,
						 &start);
	struct line_sets ls;
	uint32_t *next;

	model_lines_alloc(m);
	model_patterns_block(m, b->lr.test_pairs);
	line_sets_init(&ls, 0);
	for (size_t f = 0; f < m->features_nr; f++)
		if (start[f] < start[f + 1])	/* something ran it */
			build_feature(b, f, order, start[f], start[f + 1],
				      m->patterns_block, &ls);
	line_sets_release(&ls);
	next = m->patterns_block;
	for (size_t t = 0; t < m->tests_nr; t++) {	/* pairs in test order */
		struct model_test *mt = &m->tests[t];
		struct covvec_iter it;

		mt->patterns = next;
		covvec_iter_init(&it, mt->signals, mt->signals_len);
		while (covvec_iter_next(&it) > 0)
			next++;
		mt->patterns_nr = (size_t)(next - mt->patterns);
	}
	free(order);
	free(start);
}

static void add_tests(struct builder *b, uint32_t flag)
{
	size_t *order, *start;
	uint32_t *count = xcalloc(b->m->features_nr + 1, sizeof(uint32_t));
	struct progress *progress;

	mark_executed(b);
	group_records(b, &order, &start);
	progress = progress_start("Building test signals", b->test_ids.nr);
	for (size_t t = 0; t < b->test_ids.nr; t++) {
		const char *id = b->test_ids.items[t];
		enum test_outcome outcome;
		double cost;
		size_t len;
		unsigned char *sig = test_signal(b, t, order, start[t],
						 start[t + 1], count, &len);

		junit_facts(b, id, &cost, &outcome);
		model_add_test(b->m, id, flag, cost, outcome,
			       outcome == OUTCOME_FAILED ||
			       outcome == OUTCOME_ERROR, sig, len);
		progress_update(progress, t + 1);
	}
	progress_stop(progress);
	add_import_sets(b);
	finish_line_evidence(b);
	free(count);
	free(order);
	free(start);
}

/* ---------------------------------------------------------------- driver */

static void builder_release(struct builder *b)
{
	for (size_t f = 0; b->lines && f < b->m->files_nr; f++) {
		free(b->lines[f].line);
	}
	free(b->lr.sig_nr);
	free(b->lr.pair_feature);
	free(b->lr.pair_run);
	free(b->lr.runs);
	free(b->lr.keys);
	free(b->lr.grouped);
	free(b->lr.group_at);
	free(b->lr.group_of);
	free(b->import_context);
	free(b->lines);
	for (size_t k = 0; k < b->keys_nr; k++)
		free(b->keys[k].key);
	free(b->keys);
	free(b->cov_to_file);
	free(b->context_to_test);
	free(b->test_to_case);
	strlist_release(&b->test_ids);
	repo_tree_files_release(&b->tree);
}

int record_build_model(struct model *out, git_repository *repo,
		       const git_commit *commit,
		       const struct coverage_data *cov,
		       const struct junit_report *junit, const char *flag)
{
	struct builder b;
	double in_tests = 0;
	struct timespec now;
	uint32_t flag_index;
	int ret = -1;

	memset(&b, 0, sizeof(b));
	b.m = out;
	b.repo = repo;
	b.cov = cov;
	b.junit = junit;
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(commit));
	for (size_t i = 0; i < junit->nr; i++)
		in_tests += junit->cases[i].time;
	clock_gettime(CLOCK_REALTIME, &now);	/* sync: the latest wins */
	flag_index = model_add_flag(out, flag, out->commit, junit->suite_time,
				    junit->suite_time > in_tests ?
				    junit->suite_time - in_tests : 0,
				    (double)now.tv_sec + now.tv_nsec / 1e9);
	if (repo_list_files(&b.tree, repo, commit) < 0 || add_files(&b) < 0)
		goto cleanup;
	index_junit(&b);
	collect_test_ids(&b);
	map_contexts(&b);
	add_tests(&b, flag_index);
	ret = 0;
cleanup:
	builder_release(&b);
	if (ret)
		model_release(out);
	return ret;
}
