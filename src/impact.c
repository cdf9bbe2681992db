/* impact.c - what a change means for the model's tests: weighted change slots and test priors.
 * Both sides of each changed file are parsed into features; a feature whose body hash is the
 * same on both sides carries no weight, so moved or re-commented code selects nothing. */
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "coverage-vector.h"
#include "data-refs.h"
#include "feature-map.h"
#include "glob.h"
#include "impact.h"
#include "coverage-vector.h"
#include "line-evidence.h"
#include "model.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Everything one analysis needs besides the result. */
struct ctx {
	struct impact *imp;
	const struct model *m;
	const struct impact_options *o;
	uint32_t **importers;	/* reverse import graph, built on first use */
	size_t *importers_nr;
	/* both sides of the file being compared */
	const struct feature_map *old_map, *new_map;
	int no_lines;		/* a changed function, a model without line evidence */
	int naming;		/* features reached by naming a data file: no
				 * test they define is new */
	double outside;		/* changed lines of a file outside every feature */
	/* such files, looked for in the code once every file is compared */
	struct data_change { const char *path; double weight; } *data;
	size_t data_nr, data_alloc;
	unsigned char *file_ran;	/* per model file: some code of it ran */
};

const struct impact_reach impact_reach_body = { 1.0f, 0.3f, 0.08f, 0.02f, 0 };
const struct impact_reach impact_reach_collected = { 0.05f, 0.04f, 0.03f,
						     0.01f, 0 };
const struct impact_reach impact_reach_header = { 0.01f, 0.01f, 0.005f,
						  0.001f, 0 };
const struct impact_reach impact_reach_unmeasured = {
	0, 0, IMPACT_IMPORT_SIGNAL, IMPACT_IMPORT_SIGNAL / 2,
	IMPACT_IMPORT_SIGNAL / 2
};

static long add_slot(struct ctx *c, enum slot_kind kind, long feature,
		     double weight, const char *path, const char *name)
{
	struct impact *imp = c->imp;
	struct impact_slot *s;
	struct sbuf label = SBUF_INIT;

	sbuf_addstr(&label, path);
	if (name) {
		sbuf_addstr(&label, "::");
		sbuf_addstr(&label, name);
	}
	ALLOC_GROW(imp->slots, imp->slots_nr + 1, imp->slots_alloc);
	s = &imp->slots[imp->slots_nr];
	s->kind = kind;
	s->feature = feature;
	s->weight = weight < 1 ? 1 : weight;
	s->label = sbuf_detach(&label, NULL);
	if (feature >= 0)
		imp->feature_slot[feature] = (long)imp->slots_nr;
	return (long)imp->slots_nr++;
}

static void add_extra(struct impact *imp, size_t test, long slot, float a)
{
	struct impact_extra *e;

	ALLOC_GROW(imp->extra, imp->extra_nr + 1, imp->extra_alloc);
	e = &imp->extra[imp->extra_nr++];
	e->test = (uint32_t)test;
	e->slot = (uint32_t)slot;
	e->a = a;
}

/* A verbose line "what: path[::name]". */
static void note(struct impact *imp, const char *what, const char *path,
		 const char *name)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "%s: %s", what, path);
	if (name)
		sbuf_addf(&sb, "::%s", name);
	strlist_append_nodup(&imp->notes, sbuf_detach(&sb, NULL));
}

/* ---------------------------------------------------------------- tests */

int impact_is_test_name(const char *qualname)
{
	const char *last = strrchr(qualname, '.');
	const char *p = qualname;

	if (strncmp(last ? last + 1 : qualname, "test", 4))
		return 0;
	while (last && p < last) {
		if (strncmp(p, "Test", 4))
			return 0;
		p = strchr(p, '.') + 1;
	}
	return 1;
}

/* Model tests whose id starts with prefix: [*lo, *hi). */
static void test_range(const struct model *m, const char *prefix, size_t *lo,
		       size_t *hi)
{
	size_t len = strlen(prefix), a = 0, b = m->tests_nr;

	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (strcmp(m->tests[mid].id, prefix) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	while (a < m->tests_nr && !strncmp(m->tests[a].id, prefix, len))
		a++;
	*hi = a;
}

int impact_is_test_file(const struct model *m,
			const struct strlist *test_patterns, const char *path)
{
	struct sbuf prefix = SBUF_INIT;
	size_t lo, hi;

	if (glob_match_any(test_patterns, path))
		return 1;
	sbuf_addf(&prefix, "%s::", path);
	test_range(m, prefix.buf, &lo, &hi);
	sbuf_release(&prefix);
	return lo < hi;
}

static int is_test_file(const struct ctx *c, const char *path)
{
	return impact_is_test_file(c->m, c->o->test_patterns, path);
}

/*
 * Length of qualname without the "#2", "#3"... feature-map gives a second
 * definition of a name: Python keeps the last one, pytest collects it
 * under the plain name.
 */
static size_t plain_name_len(const char *qualname)
{
	size_t len = strlen(qualname), n = len;

	while (n && qualname[n - 1] >= '0' && qualname[n - 1] <= '9')
		n--;
	return n < len && n && qualname[n - 1] == '#' ? n - 1 : len;
}

char *impact_test_id(const char *path, const char *qualname)
{
	struct sbuf sb = SBUF_INIT;
	const char *end = qualname + plain_name_len(qualname);

	sbuf_addf(&sb, "%s::", path);
	for (const char *p = qualname; p < end; p++)
		if (*p == '.')
			sbuf_addstr(&sb, "::");
		else
			sbuf_addch(&sb, *p);
	return sbuf_detach(&sb, NULL);
}

static int has_string(const struct strlist *list, const char *s)
{
	for (size_t i = 0; i < list->nr; i++)
		if (!strcmp(list->items[i], s))
			return 1;
	return 0;
}

/* A test function changed, appeared or went away. */
static void test_changed(struct ctx *c, const char *path, const char *name,
			 int gone)
{
	char *id = impact_test_id(path, name);
	struct sbuf prefix = SBUF_INIT;
	size_t lo, hi, known = 0;

	sbuf_addf(&prefix, "%s[", id);
	for (int pass = 0; pass < 2; pass++) {
		test_range(c->m, pass ? prefix.buf : id, &lo, &hi);
		for (size_t i = lo; i < hi; i++) {
			const char *tid = c->m->tests[i].id;

			if (pass == 0 && strcmp(tid, id))
				continue;
			known++;
			if (gone)
				c->imp->removed[i] = 1;
			else
				c->imp->prior[i] = 1;
		}
	}
	if (!known && !gone && !c->naming &&
	    !has_string(&c->imp->new_tests, id))
		strlist_append(&c->imp->new_tests, id);
	sbuf_release(&prefix);
	free(id);
}

/* Every model test of a test file gets a share of this slot. */
static void file_tests_cover(struct ctx *c, const char *path, long slot)
{
	struct sbuf prefix = SBUF_INIT;
	size_t lo, hi;

	sbuf_addf(&prefix, "%s::", path);
	test_range(c->m, prefix.buf, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		add_extra(c->imp, i, slot, IMPACT_IMPORT_SIGNAL);
	sbuf_release(&prefix);
}

/* ---------------------------------------------------------------- imports */

static void build_importers(struct ctx *c)
{
	const struct model *m = c->m;
	size_t *alloc = xcalloc(m->files_nr + 1, sizeof(size_t));

	c->importers = xcalloc(m->files_nr + 1, sizeof(*c->importers));
	c->importers_nr = xcalloc(m->files_nr + 1, sizeof(size_t));
	for (size_t f = 0; f < m->files_nr; f++)
		for (size_t k = 0; k < m->files[f].imports_nr; k++) {
			uint32_t to = m->files[f].imports[k];

			ALLOC_GROW(c->importers[to], c->importers_nr[to] + 1,
				   alloc[to]);
			c->importers[to][c->importers_nr[to]++] = (uint32_t)f;
		}
	free(alloc);
}

/* Raise val[] of every model test of a test file to at least a. */
static void file_tests_reach(struct ctx *c, const char *path, float *val,
			     float a)
{
	struct sbuf prefix = SBUF_INIT;
	size_t lo, hi;

	sbuf_addf(&prefix, "%s::", path);
	test_range(c->m, prefix.buf, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		if (val[i] < a)
			val[i] = a;
	sbuf_release(&prefix);
}

/* The last component of a '/'-separated path. */
static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Raise val[] of every model test under the directory of conftest path to a. */
static void conftest_reach(struct ctx *c, const char *path, float *val,
			   float a)
{
	char *dir = xmemdupz(path, (size_t)(last_component(path) - path));
	size_t lo, hi;

	test_range(c->m, dir, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		if (val[i] < a)
			val[i] = a;
	free(dir);
}

static int is_conftest(const char *path)
{
	return !strcmp(last_component(path), "conftest.py");
}

/*
 * Tests in test files that import file reach it: those importing it
 * directly at direct, through other files (a package's __init__...) at
 * indirect; with r->conftest, the tests under a conftest.py on the way.
 */
static void importers_reach(struct ctx *c, uint32_t file, float *val,
			    const struct impact_reach *r)
{
	const struct model *m = c->m;
	uint32_t *depth, *queue;
	size_t head = 0, tail = 0;

	if (!c->importers)
		build_importers(c);
	depth = xcalloc(m->files_nr + 1, sizeof(uint32_t));
	queue = xmalloc(st_mult(m->files_nr + 1, sizeof(uint32_t)));
	depth[file] = 1;
	queue[tail++] = file;
	while (head < tail) {
		uint32_t f = queue[head++];

		if (f != file && is_test_file(c, m->files[f].path))
			file_tests_reach(c, m->files[f].path, val,
					 depth[f] == 2 ? r->direct :
							 r->indirect);
		else if (f != file && r->conftest > 0 &&
			 is_conftest(m->files[f].path))
			conftest_reach(c, m->files[f].path, val, r->conftest);
		for (size_t k = 0; k < c->importers_nr[f]; k++) {
			uint32_t g = c->importers[f][k];

			if (!depth[g]) {
				depth[g] = depth[f] + 1;
				queue[tail++] = g;
			}
		}
	}
	free(queue);
	free(depth);
}

/* The class a feature belongs to: "C" for "C" (a class) and "C.m"; else none. */
static size_t class_len(const struct model_feature *f)
{
	const char *dot = strrchr(f->name, '.');

	if (f->kind == FEATURE_CLASS)
		return strlen(f->name);
	return dot ? (size_t)(dot - f->name) : 0;
}

/* Is g code of the class (cls_len bytes of feature name cls)? */
static int in_class(const struct model_feature *g, const char *cls,
		    size_t cls_len)
{
	return cls_len && !strncmp(g->name, cls, cls_len) &&
	       (g->name[cls_len] == '.' || !g->name[cls_len]);
}

/* Tests that ran code of the changed feature's class, or of its module. */
static void users_reach(struct ctx *c, const struct model_feature *changed,
			float *val, const struct impact_reach *r)
{
	const struct model *m = c->m;
	size_t cls_len = class_len(changed);

	for (size_t i = 0; i < m->tests_nr; i++) {
		struct covvec_iter it;

		covvec_iter_init(&it, m->tests[i].signals,
				 m->tests[i].signals_len);
		while (covvec_iter_next(&it) > 0) {
			const struct model_feature *g = &m->features[it.feature];
			float a;

			if (g->file != changed->file)
				continue;
			a = in_class(g, changed->name, cls_len) ?
				r->in_class : r->in_module;
			if (val[i] < a)
				val[i] = a;
		}
	}
}

/*
 * A change to code that runs at import or collection time reaches the
 * tests that use what it built, most directly first (see impact.h).
 * Returns how many tests it reached.
 */
static size_t reach_cover(struct ctx *c, long feat, long slot,
			  const struct impact_reach *r)
{
	const struct model *m = c->m;
	const struct model_feature *f = &m->features[feat];
	float *val = xcalloc(m->tests_nr + 1, sizeof(float));
	size_t n = 0;

	users_reach(c, f, val, r);
	importers_reach(c, f->file, val, r);
	for (size_t i = 0; i < m->tests_nr; i++)
		if (val[i] > 0) {
			add_extra(c->imp, i, slot, val[i]);
			n++;
		}
	free(val);
	return n;
}

/* Did the change touch a function's header: decorators, signature, defaults? */
static int header_changed(const struct ctx *c, const char *name)
{
	long o, n;

	if (!c->old_map || !c->new_map)
		return 1;
	o = feature_map_find(c->old_map, name);
	n = feature_map_find(c->new_map, name);
	return o < 0 || n < 0 ||
	       c->old_map->items[o].header_hash !=
	       c->new_map->items[n].header_hash;
}

/* 1 if no code of model file f ran under coverage: it was not measured. */
static int never_ran(struct ctx *c, uint32_t f)
{
	if (!c->file_ran) {
		c->file_ran = xcalloc(c->m->files_nr + 1, 1);
		for (size_t k = 0; k < c->m->features_nr; k++) {
			const struct model_feature *g = &c->m->features[k];

			if (g->lines || g->import_time)
				c->file_ran[g->file] = 1;
		}
	}
	return !c->file_ran[f];
}

/* How a changed feature reaches beyond the tests that ran it, or NULL. */
static const struct impact_reach *reach_of(struct ctx *c, long feat,
					   const struct feature_span *span)
{
	if (never_ran(c, c->m->features[feat].file))
		return &impact_reach_unmeasured;
	if (span->kind == FEATURE_MODULE || span->kind == FEATURE_CLASS)
		return &impact_reach_body;
	if (span->kind != FEATURE_FUNCTION)
		return NULL;
	if (c->m->features[feat].import_time)
		return &impact_reach_collected;
	return header_changed(c, span->name) ? &impact_reach_header : NULL;
}

/* ---------------------------------------------------------------- lines */

/*
 * The significant-line hashes of feature k of map: *nr of them; with
 * indent, their indentation columns into *indent (malloc'ed).
 */
static uint64_t *sig_hashes(const struct feature_map *map, size_t k,
			    size_t *nr, uint32_t **indent)
{
	uint32_t *lines;
	uint64_t *h;

	*nr = feature_map_sig_lines(map, k, &lines);
	h = xmalloc(st_mult(*nr + 1, sizeof(uint64_t)));
	if (indent)
		*indent = xmalloc(st_mult(*nr + 1, sizeof(uint32_t)));
	for (size_t i = 0; i < *nr; i++) {
		h[i] = map->line_hash[lines[i]];
		if (indent)
			(*indent)[i] = map->indent[lines[i]];
	}
	free(lines);
	return h;
}

/*
 * Weights of the base version's lines (a, an of them) moved onto the
 * model's version of feature feat, read from the model's blob of its
 * file: n lines. NULL with *why when that version cannot be had.
 */
static double *through_model_version(struct ctx *c, long feat,
				     const uint64_t *a, size_t an,
				     const double *wa, uint32_t n,
				     const char **why)
{
	const struct model_feature *mf = &c->m->features[feat];
	const struct model_file *file = &c->m->files[mf->file];
	struct feature_map fm = FEATURE_MAP_INIT;
	struct sbuf src = SBUF_INIT;
	uint64_t *mh = NULL;
	long *match = xmalloc(st_mult(an + 1, sizeof(long)));
	double *wm = NULL;
	size_t mn = 0;
	long k;

	*why = "the model's version of the function cannot be read";
	if (!c->o->read_blob ||
	    c->o->read_blob(&src, file->blob, c->o->blob_payload) < 0 ||
	    features_parse(&fm, file->path, src.buf, src.len) < 0 ||
	    (k = feature_map_find(&fm, mf->name)) < 0 ||
	    fm.items[k].hash != mf->hash)
		goto done;
	mh = sig_hashes(&fm, (size_t)k, &mn, NULL);
	*why = "the function changed too much since the model";
	if (mn != n || line_align(match, a, an, mh, mn))
		goto done;
	wm = xcalloc(n + 1, sizeof(double));
	line_weights_transfer(wm, n, wa, match, an);
done:
	free(mh);
	free(match);
	feature_map_release(&fm);
	sbuf_release(&src);
	return wm;
}

/*
 * The change's weight on each significant line of the model's version of
 * feature feat (old is the base side, new the target side). NULL with
 * *why when the change cannot be placed.
 */
static double *model_line_weights(struct ctx *c, long feat,
				  const struct feature_map *old, size_t oi,
				  const struct feature_map *new, size_t ni,
				  const char **why)
{
	uint32_t n = line_evidence_lines(&c->m->lines[feat]);
	size_t an, bn;
	uint32_t *a_indent, *b_indent;
	uint64_t *a = sig_hashes(old, oi, &an, &a_indent);
	uint64_t *b = sig_hashes(new, ni, &bn, &b_indent);
	long *match = xmalloc(st_mult(an + 1, sizeof(long)));
	double *wa = xcalloc(an + 1, sizeof(double)), *wm = NULL;

	*why = "the change is too large to align";
	if (line_align(match, a, an, b, bn))
		goto done;
	line_change_weights(wa, match, an, bn, a_indent, b_indent);
	if (c->m->features[feat].hash != old->items[oi].hash) {
		wm = through_model_version(c, feat, a, an, wa, n, why);
	} else if (an == n) {
		wm = wa;
		wa = NULL;
	} else {
		*why = "the model's lines do not match";
	}
done:
	free(a_indent);
	free(b_indent);
	free(a);
	free(b);
	free(match);
	free(wa);
	return wm;
}

/* Blocks of ev that some test ran (not only the empty context). */
static unsigned char *blocks_ran(const struct model_lines *ev)
{
	size_t bytes = MODEL_LINES_BYTES(ev->blocks_nr);
	unsigned char *ran = xcalloc(bytes + 1, 1);

	for (uint32_t p = 0; p < ev->patterns_nr; p++)
		for (size_t i = 0; i < bytes; i++)
			ran[i] |= ev->patterns[p * bytes + i];
	return ran;
}

/* A slot per changed block some test ran; the function keeps a share. */
static int add_block_slots(struct ctx *c, long feat, const double *bw,
			   const char *path, const char *name)
{
	const struct model_lines *ev = &c->m->lines[feat];
	struct impact_slot *fs = &c->imp->slots[c->imp->feature_slot[feat]];
	unsigned char *ran = blocks_ran(ev);
	struct impact_lines *il;
	double total = 0, w = fs->weight;
	struct sbuf label = SBUF_INIT;

	for (uint32_t b = 0; b < ev->blocks_nr; b++)
		if (ran[b / 8] >> (b % 8) & 1)
			total += bw[b];
	if (!total) {
		free(ran);
		return -1;
	}
	fs->weight = w * IMPACT_FEATURE_SHARE;
	ALLOC_GROW(c->imp->lines, c->imp->lines_nr + 1, c->imp->lines_alloc);
	il = &c->imp->lines[c->imp->lines_nr++];
	il->feature = feat;
	il->block_slot = xmalloc(st_mult(ev->blocks_nr, sizeof(uint32_t)));
	for (uint32_t b = 0; b < ev->blocks_nr; b++) {
		long slot;

		il->block_slot[b] = UINT32_MAX;
		if (!(ran[b / 8] >> (b % 8) & 1) || !bw[b])
			continue;
		sbuf_reset(&label);
		sbuf_addf(&label, "%s [block %u]", name, b + 1);
		slot = add_slot(c, SLOT_LINES, -1, 1, path, label.buf);
		c->imp->slots[slot].weight = w * (1 - IMPACT_FEATURE_SHARE) *
					     bw[b] / total;
		il->block_slot[b] = (uint32_t)slot;
	}
	sbuf_release(&label);
	free(ran);
	return 0;
}

/*
 * Place a changed function's lines on the model's line evidence: the
 * tests that ran the changed blocks cover their slots. Where that fails,
 * the function's slot stays whole (the feature-level signal): say why.
 */
static void place_lines(struct ctx *c, const char *path,
			const struct feature_map *old, size_t oi,
			const struct feature_map *new, size_t ni)
{
	const char *name = old->items[oi].name, *why;
	long mfile = model_find_file(c->m, path), feat;
	double *wm, *bw;
	const struct model_lines *ev;

	feat = mfile < 0 ? -1 :
		model_find_feature(c->m, (uint32_t)mfile, name);
	if (feat < 0 || old->items[oi].kind != FEATURE_FUNCTION ||
	    c->imp->feature_slot[feat] < 0 || never_ran(c, (uint32_t)mfile))
		return;
	if (!c->m->lines) {	/* format 1: said once, by impact_analyze() */
		c->no_lines = 1;
		return;
	}
	ev = &c->m->lines[feat];
	if (!ev->blocks_nr) {
		note(c->imp, "no line evidence in the model, function-level "
		     "signal", path, name);
		return;
	}
	if (!(wm = model_line_weights(c, feat, old, oi, new, ni, &why))) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "%s, function-level signal", why);
		note(c->imp, sb.buf, path, name);
		sbuf_release(&sb);
		return;
	}
	bw = xcalloc(ev->blocks_nr + 1, sizeof(double));
	for (uint32_t j = 0; j < line_evidence_lines(ev); j++)
		bw[line_evidence_block(ev, j)] += wm[j];
	if (add_block_slots(c, feat, bw, path, name))
		note(c->imp, "no test ran the changed lines, function-level "
		     "signal", path, name);
	free(bw);
	free(wm);
}

/* The tests whose pattern holds a changed block cover its slot. */
static void cover_blocks(struct ctx *c)
{
	const struct model *m = c->m;
	long *at;

	if (!c->imp->lines_nr)
		return;
	at = xmalloc(st_mult(m->features_nr + 1, sizeof(long)));
	for (size_t f = 0; f < m->features_nr; f++)
		at[f] = -1;
	for (size_t i = 0; i < c->imp->lines_nr; i++)
		at[c->imp->lines[i].feature] = (long)i;
	for (size_t t = 0; t < m->tests_nr; t++) {
		const struct model_test *mt = &m->tests[t];
		struct covvec_iter it;

		covvec_iter_init(&it, mt->signals, mt->signals_len);
		for (size_t k = 0; covvec_iter_next(&it) > 0; k++) {
			const struct impact_lines *il;
			const struct model_lines *ev;
			uint32_t p = k < mt->patterns_nr ? mt->patterns[k] :
				MODEL_NO_PATTERN;

			if (at[it.feature] < 0 || p == MODEL_NO_PATTERN)
				continue;
			il = &c->imp->lines[at[it.feature]];
			ev = &m->lines[it.feature];
			for (uint32_t b = 0; b < ev->blocks_nr; b++)
				if (il->block_slot[b] != UINT32_MAX &&
				    line_pattern_has(ev, p, b))
					add_extra(c->imp, t, il->block_slot[b],
						  1.0f);
		}
	}
	free(at);
}

/* ---------------------------------------------------------------- features */

static uint32_t lines_in(const struct line_range *r, size_t nr, uint32_t first,
			 uint32_t last)
{
	uint32_t n = 0;

	for (size_t i = 0; i < nr; i++) {
		uint32_t a = r[i].start, b = r[i].start + r[i].count - 1;

		if (!r[i].count || b < first || a > last)
			continue;
		n += (b < last ? b : last) - (a > first ? a : first) + 1;
	}
	return n;
}

/* A feature of a non-test file changed (or went away). */
static void code_changed(struct ctx *c, long mfile, const char *path,
			 const struct feature_span *span, double weight)
{
	long feat = mfile >= 0 ?
		model_find_feature(c->m, (uint32_t)mfile, span->name) :
		-1;
	const struct impact_reach *reach;
	long slot;

	c->imp->features_changed++;
	if (feat < 0) {
		if (span->kind == FEATURE_FILE) {
			note(c->imp, "outside every feature", path, NULL);
			c->outside += weight;
		} else {
			note(c->imp, "new code, not in the model", path,
			     span->name);
		}
		return;
	}
	slot = add_slot(c, SLOT_FEATURE, feat, weight, path, span->name);
	reach = reach_of(c, feat, span);
	if (reach) {
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "reached through import time (%zu tests, %s)",
			  reach_cover(c, feat, slot, reach),
			  reach == &impact_reach_unmeasured ?
			  "not measured: its importers" :
			  reach == &impact_reach_body ? "module or class body" :
			  reach == &impact_reach_collected ?
			  "ran at import or collection" :
			  "changed decorator, signature or default");
		note(c->imp, sb.buf, path, span->name);
		sbuf_release(&sb);
	}
}

/* A feature of a test file changed: the test itself, or a helper of its tests. */
static void test_file_changed(struct ctx *c, const char *path,
			      const struct feature_span *span, double weight,
			      int gone)
{
	long slot;

	c->imp->features_changed++;
	if (span->kind == FEATURE_FUNCTION && impact_is_test_name(span->name)) {
		test_changed(c, path, span->name, gone);
		return;
	}
	slot = add_slot(c, SLOT_HELPER, -1, weight, path, span->name);
	file_tests_cover(c, path, slot);
}

static void feature_changed(struct ctx *c, const struct file_change *fc,
			    const struct feature_span *span, double weight,
			    int gone, int test_file)
{
	const char *old_path = fc->old_path ? fc->old_path : fc->new_path;
	const char *path = fc->new_path && !gone ? fc->new_path : old_path;
	long mfile = model_find_file(c->m, old_path);

	if (test_file)
		test_file_changed(c, path, span, weight, gone);
	else
		code_changed(c, mfile, old_path, span, weight);
}

/* The features of one side (old or new) of a changed file, if it has that side. */
static int map_side_features(struct feature_map *map, const char *path,
			     int has, const struct sbuf *data)
{
	if (!has)
		return 0;
	return features_parse(map, path, data->buf, data->len);
}

/*
 * Is a definition of name (without its "#N") left in map? Removing one of
 * two "def test_x" leaves the test test_x: it changed, it is not gone.
 */
static int still_defined(const struct feature_map *map, const char *name)
{
	char *plain = xmemdupz(name, plain_name_len(name));
	int ret = feature_map_find(map, plain) >= 0;

	free(plain);
	return ret;
}

static void compare_files(struct ctx *c, const struct file_change *fc,
			  const struct feature_map *old,
			  const struct feature_map *new, int test_file)
{
	for (size_t i = 0; i < old->nr; i++) {
		const struct feature_span *s = &old->items[i];
		long k = feature_map_find(new, s->name);
		double w;

		if (k >= 0 && new->items[k].hash == s->hash)
			continue;
		if (k < 0) {
			w = s->last_line - s->first_line + 1;
		} else {
			const struct feature_span *n = &new->items[k];
			uint32_t a = lines_in(fc->new_ranges, fc->new_nr,
					      n->first_line, n->last_line);
			uint32_t b = lines_in(fc->old_ranges, fc->old_nr,
					      s->first_line, s->last_line);

			w = a > b ? a : b;
		}
		feature_changed(c, fc, k >= 0 ? &new->items[k] : s, w,
				k < 0 && !still_defined(new, s->name),
				test_file);
		if (k >= 0 && !test_file)
			place_lines(c, fc->old_path ? fc->old_path :
				    fc->new_path, old, i, new, (size_t)k);
	}
	for (size_t k = 0; k < new->nr; k++) {
		const struct feature_span *n = &new->items[k];

		if (feature_map_find(old, n->name) >= 0)
			continue;
		feature_changed(c, fc, n, n->last_line - n->first_line + 1, 0,
				test_file);
	}
}

/*
 * A file whose contents we cannot read as text (binary, on either side):
 * every feature the model has of it changed as a whole, so a covered file
 * that turns binary still selects its tests. None: outside every feature.
 */
static void binary_changed(struct ctx *c, const struct file_change *fc,
			   const char *path)
{
	long mfile = model_find_file(c->m, fc->old_path ? fc->old_path : path);
	const struct feature_span whole = { .name = (char *)"<file>",
					    .kind = FEATURE_FILE,
					    .first_line = 1, .last_line = 1 };
	size_t had = 0;

	for (size_t k = 0; mfile >= 0 && k < c->m->features_nr; k++) {
		const struct model_feature *f = &c->m->features[k];
		struct feature_span span = whole;

		if (f->file != (uint32_t)mfile)
			continue;
		span.name = f->name;
		span.kind = f->kind;
		code_changed(c, mfile, path, &span, 1);
		had++;
	}
	if (!had)
		code_changed(c, mfile, path, &whole, 1);
}

/* ---------------------------------------------------------------- data files */

/*
 * Feature span of file (the model's version, parsed into fm) names the
 * changed data file: it reaches the tests as a change of that feature
 * would, its header unchanged (a function's own tests; module level and
 * functions run at import time reach their users too).
 */
static void name_reaches(struct ctx *c, uint32_t file,
			 const struct feature_map *fm,
			 const struct feature_span *span, double weight)
{
	const char *path = c->m->files[file].path;
	long feat = model_find_feature(c->m, file, span->name);

	if (feat >= 0 && c->imp->feature_slot[feat] >= 0)
		return;		/* changed itself: its slot stands */
	c->old_map = c->new_map = fm;
	if (is_test_file(c, path))
		test_file_changed(c, path, span, weight, 0);
	else
		code_changed(c, (long)file, path, span, weight);
	c->old_map = c->new_map = NULL;
}

/* The features of model file f naming data file name; returns how many. */
static size_t data_named_in(struct ctx *c, uint32_t f, const char *name,
			    const char *data_path, double weight)
{
	const struct model_file *mf = &c->m->files[f];
	struct feature_map fm = FEATURE_MAP_INIT;
	struct sbuf src = SBUF_INIT, what = SBUF_INIT;
	unsigned char *seen = NULL;
	uint32_t *lines = NULL;
	size_t nr = 0, n = 0;

	if (!features_is_python(mf->path) || !strcmp(mf->path, data_path) ||
	    c->o->read_blob(&src, mf->blob, c->o->blob_payload) < 0 ||
	    !(nr = data_refs_lines(src.buf, src.len, name, &lines)) ||
	    features_parse(&fm, mf->path, src.buf, src.len) < 0)
		goto done;
	seen = xcalloc(fm.nr + 1, 1);
	sbuf_addf(&what, "names %s in a string", data_path);
	for (size_t i = 0; i < nr; i++) {
		uint32_t k;

		if (lines[i] < 1 || lines[i] > fm.lines_nr)
			continue;
		k = fm.owner[lines[i]];
		if (seen[k])
			continue;
		seen[k] = 1;
		note(c->imp, what.buf, mf->path, fm.items[k].name);
		name_reaches(c, f, &fm, &fm.items[k], weight);
		n++;
	}
done:
	free(seen);
	free(lines);
	feature_map_release(&fm);
	sbuf_release(&what);
	sbuf_release(&src);
	return n;
}

/*
 * A changed file outside every feature (data, templates, a binary): the
 * code whose string literals name it (its last path component) reads it,
 * so the tests of that code are the tests of the change.
 */
static void data_file_changed(struct ctx *c, const char *path, double weight)
{
	const char *name = last_component(path);
	size_t before = c->imp->features_changed, n = 0;

	if (!c->o->read_blob || !*name)
		return;
	c->naming = 1;
	for (size_t f = 0; f < c->m->files_nr; f++)
		n += data_named_in(c, (uint32_t)f, name, path, weight);
	c->naming = 0;
	c->imp->features_changed = before;
	if (!n)
		note(c->imp, "named in no string of the model's code", path,
		     NULL);
}

/*
 * A file moved (renamed, whatever its contents did): code that names it
 * breaks. A module's importers reach it as a change of its module level
 * would; a data file, the code naming its old name.
 */
static void file_moved(struct ctx *c, const struct file_change *fc)
{
	const struct feature_span module = { .name = (char *)"<module>",
					     .kind = FEATURE_MODULE };
	long mfile, feat;

	if (!features_is_python(fc->old_path)) {
		if (!c->outside)
			c->outside = 1;
		return;
	}
	mfile = model_find_file(c->m, fc->old_path);
	feat = mfile < 0 ? -1 :
		model_find_feature(c->m, (uint32_t)mfile, "<module>");
	if (feat < 0 || c->imp->feature_slot[feat] >= 0 ||
	    is_test_file(c, fc->old_path))
		return;
	note(c->imp, "moved: its importers", fc->old_path, NULL);
	code_changed(c, mfile, fc->old_path, &module, 1);
}

static int analyze_file(struct ctx *c, const struct file_change *fc)
{
	struct feature_map old = FEATURE_MAP_INIT, new = FEATURE_MAP_INIT;
	const char *path = fc->new_path ? fc->new_path : fc->old_path;
	int ret = 0;

	if (fc->mode_only) {
		note(c->imp, "mode change only", path, NULL);
		return 0;
	}
	if (fc->submodule || fc->binary) {
		note(c->imp, fc->submodule ? "submodule" : "binary file",
		     path, NULL);
		if (fc->submodule)
			return 0;
	}
	if (map_side_features(&old, fc->old_path ? fc->old_path : path,
			      fc->has_old, &fc->old_data) < 0 ||
	    map_side_features(&new, path, fc->has_new, &fc->new_data) < 0) {
		ret = -1;
		goto cleanup;
	}
	c->outside = 0;
	if (fc->binary && !fc->has_old && !fc->has_new) {
		binary_changed(c, fc, path);
	} else {
		c->old_map = &old;
		c->new_map = &new;
		compare_files(c, fc, &old, &new,
			      is_test_file(c, path) ||
			      (fc->old_path && is_test_file(c, fc->old_path)));
		c->old_map = c->new_map = NULL;
	}
	if (fc->old_path && fc->new_path && strcmp(fc->old_path, fc->new_path))
		file_moved(c, fc);
	if (c->outside) {
		ALLOC_GROW(c->data, c->data_nr + 1, c->data_alloc);
		c->data[c->data_nr].path = fc->old_path ? fc->old_path : path;
		c->data[c->data_nr++].weight = c->outside;
	}
cleanup:
	c->old_map = c->new_map = NULL;
	feature_map_release(&old);
	feature_map_release(&new);
	return ret;
}

/* ---------------------------------------------------------------- driver */

static double changed_lines(const struct file_change *fc)
{
	double n = 0;

	for (size_t i = 0; i < fc->new_nr; i++)
		n += fc->new_ranges[i].count;
	for (size_t i = 0; i < fc->old_nr; i++)
		n += fc->old_ranges[i].count;
	return n;
}

static int matches(const struct strlist *globs, const struct file_change *fc)
{
	return globs && ((fc->new_path && glob_match_any(globs, fc->new_path)) ||
			 (fc->old_path && glob_match_any(globs, fc->old_path)));
}

int impact_analyze(struct impact *out, const struct model *m,
		   const struct change_set *changes,
		   const struct impact_options *o)
{
	struct ctx c = { .imp = out, .m = m, .o = o, .no_lines = 0 };
	int ret = 0;

	memset(out, 0, sizeof(*out));
	out->global_slot = -1;
	out->feature_slot = xmalloc(st_mult(m->features_nr + 1, sizeof(long)));
	for (size_t i = 0; i < m->features_nr; i++)
		out->feature_slot[i] = -1;
	out->prior = xcalloc(m->tests_nr + 1, sizeof(double));
	out->removed = xcalloc(m->tests_nr + 1, 1);
	for (size_t i = 0; i < changes->nr && !ret; i++) {
		const struct file_change *fc = &changes->items[i];
		const char *path = fc->new_path ? fc->new_path : fc->old_path;

		if (matches(o->ignore_paths, fc)) {
			note(out, "ignored path", path, NULL);
			continue;
		}
		out->files_changed++;
		if (matches(o->global_paths, fc)) {
			if (out->global_slot < 0)
				out->global_slot = add_slot(&c, SLOT_GLOBAL, -1,
							    0, path, NULL);
			out->slots[out->global_slot].weight +=
				changed_lines(fc);
			note(out, "affects every test", path, NULL);
			continue;
		}
		ret = analyze_file(&c, fc);
	}
	for (size_t i = 0; !ret && i < c.data_nr; i++)
		data_file_changed(&c, c.data[i].path, c.data[i].weight);
	free(c.data);
	if (!ret)
		cover_blocks(&c);
	if (c.no_lines)
		note(out, "the model has no line evidence (format 1), "
		     "function-level signals", "changed functions", NULL);
	free(c.file_ran);
	if (c.importers) {
		for (size_t f = 0; f < m->files_nr; f++)
			free(c.importers[f]);
		free(c.importers);
		free(c.importers_nr);
	}
	strlist_sort(&out->new_tests);
	if (ret)
		impact_release(out);
	return ret;
}

void impact_release(struct impact *imp)
{
	for (size_t i = 0; i < imp->slots_nr; i++)
		free(imp->slots[i].label);
	free(imp->slots);
	free(imp->feature_slot);
	free(imp->extra);
	free(imp->prior);
	free(imp->removed);
	strlist_release(&imp->new_tests);
	strlist_release(&imp->notes);
	for (size_t i = 0; i < imp->lines_nr; i++)
		free(imp->lines[i].block_slot);
	free(imp->lines);
	memset(imp, 0, sizeof(*imp));
	imp->global_slot = -1;
}
