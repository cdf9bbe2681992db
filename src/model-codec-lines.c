/* model-codec-lines.c - the "lines" section of the model's msgpack form: line evidence (format 2).
 * Four bins: block sizes, import bitsets, pattern tables, and each (test, feature) pair's pattern. */
#include <stdlib.h>
#include <string.h>
#include "coverage-vector.h"
#include "model-codec-lines.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

enum { COL_BLOCKS, COL_IMPORT, COL_PATTERNS, COL_REFS, COLS_NR };
static const char *const col_names[] = { "blocks", "import", "patterns",
					 "refs" };

/* ---------------------------------------------------------------- encode */

static void put_varint(struct sbuf *sb, uint64_t v)
{
	do {
		sbuf_addch(sb, (int)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
		v >>= 7;
	} while (v);
}

/* The padding bits of a bitset of n blocks are 0. */
static int padding_clear(const unsigned char *bits, uint32_t n)
{
	return !(n % 8) || !(bits[n / 8] >> (n % 8));
}

static int check_feature(const struct model_lines *l)
{
	size_t bytes = MODEL_LINES_BYTES(l->blocks_nr);

	if (!l->blocks_nr)
		return 0;
	if (l->blocks_nr > MODEL_MAX_BLOCKS || !padding_clear(
		    l->at_import, l->blocks_nr))
		return -1;
	for (uint32_t b = 0; b < l->blocks_nr; b++)
		if (l->block_end[b] <= (b ? l->block_end[b - 1] : 0))
			return -1;
	for (uint32_t p = 0; p < l->patterns_nr; p++)
		if (!padding_clear(l->patterns + p * bytes, l->blocks_nr) ||
		    (p && memcmp(l->patterns + (p - 1) * bytes,
				 l->patterns + p * bytes, bytes) >= 0))
			return -1;
	return 0;
}

/* Each entry of a test on a feature with patterns has one of them. */
static int check_refs(const struct model *m, const struct model_test *t)
{
	struct covvec_iter it;
	size_t k = 0;

	covvec_iter_init(&it, t->signals, t->signals_len);
	while (covvec_iter_next(&it) > 0) {
		const struct model_lines *l;
		uint32_t p = k < t->patterns_nr ? t->patterns[k] :
			MODEL_NO_PATTERN;

		k++;
		if (it.feature >= m->features_nr)
			return -1;
		l = &m->lines[it.feature];
		if (l->blocks_nr && l->patterns_nr && p >= l->patterns_nr)
			return -1;
	}
	return 0;
}

int lines_check(const struct model *m)
{
	if (!m->lines)
		return 0;
	for (size_t i = 0; i < m->features_nr; i++)
		if (check_feature(&m->lines[i]))
			return error("cannot encode model: bad line evidence "
				     "of feature '%s'", m->features[i].name);
	for (size_t i = 0; i < m->tests_nr; i++)
		if (check_refs(m, &m->tests[i]))
			return error("cannot encode model: bad line pattern "
				     "of test '%s'", m->tests[i].id);
	return 0;
}

static void pack_col(msgpack_packer *pk, struct sbuf *col)
{
	msgpack_pack_bin_with_body(pk, col->buf, col->len);
	sbuf_reset(col);
}

static void pack_refs(struct sbuf *col, const struct model *m)
{
	for (size_t i = 0; i < m->tests_nr; i++) {
		const struct model_test *t = &m->tests[i];
		struct covvec_iter it;
		size_t k = 0;

		covvec_iter_init(&it, t->signals, t->signals_len);
		while (covvec_iter_next(&it) > 0) {
			const struct model_lines *l = &m->lines[it.feature];

			if (l->blocks_nr && l->patterns_nr > 1)
				put_varint(col, t->patterns[k]);
			k++;
		}
	}
}

void lines_pack(msgpack_packer *pk, const struct model *m)
{
	struct sbuf col = SBUF_INIT;

	msgpack_pack_array(pk, COLS_NR + 1);
	msgpack_pack_uint64(pk, m->features_nr);
	for (size_t i = 0; i < m->features_nr; i++) {
		const struct model_lines *l = &m->lines[i];

		put_varint(&col, l->blocks_nr);
		for (uint32_t b = 0; b < l->blocks_nr; b++)
			put_varint(&col, l->block_end[b] -
				   (b ? l->block_end[b - 1] : 0));
	}
	pack_col(pk, &col);
	for (size_t i = 0; i < m->features_nr; i++)
		if (m->lines[i].blocks_nr)
			sbuf_add(&col, m->lines[i].at_import,
				 MODEL_LINES_BYTES(m->lines[i].blocks_nr));
	pack_col(pk, &col);
	for (size_t i = 0; i < m->features_nr; i++) {
		const struct model_lines *l = &m->lines[i];

		if (!l->blocks_nr)
			continue;
		put_varint(&col, l->patterns_nr);
		if (l->patterns_nr)
			sbuf_add(&col, l->patterns, l->patterns_nr *
				 MODEL_LINES_BYTES(l->blocks_nr));
	}
	pack_col(pk, &col);
	pack_refs(&col, m);
	pack_col(pk, &col);
	sbuf_release(&col);
}

/* ---------------------------------------------------------------- decode */

struct lcur {
	const unsigned char *p, *end;
};

/* A shortest-form LEB128 varint <= max; 0 or -1. */
static int get_long_varint(struct lcur *c, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	for (unsigned shift = 0;; shift += 7) {
		unsigned char byte;

		if (c->p >= c->end || shift > 63)
			return -1;
		byte = *c->p++;
		if (shift == 63 && byte > 1)
			return -1;
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			if (!byte && shift)
				return -1;
			break;
		}
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static inline int get_varint(struct lcur *c, uint64_t max, uint64_t *out)
{
	if (c->p < c->end && *c->p < 0x80) {	/* the common case */
		if (*c->p > max)
			return -1;
		*out = *c->p++;
		return 0;
	}
	return get_long_varint(c, max, out);
}

/* Where decoded evidence goes: one block (model.lines_block). */
struct lines_out {
	uint32_t *ends, *ends_end;	/* block ends of every feature */
	unsigned char *bytes;		/* copies of the bitsets */
};

static int decode_blocks(struct model_lines *l, struct lcur *c,
			 struct lines_out *o)
{
	uint64_t n, len, sum = 0;

	if (get_varint(c, MODEL_MAX_BLOCKS, &n) ||
	    n > (size_t)(c->end - c->p) ||
	    n > (size_t)(o->ends_end - o->ends))
		return -1;
	l->blocks_nr = (uint32_t)n;
	if (!n)
		return 0;
	l->block_end = o->ends;
	for (uint64_t b = 0; b < n; b++) {
		if (get_varint(c, UINT32_MAX, &len) || !len ||
		    len > UINT32_MAX - sum)
			return -1;
		sum += len;
		*o->ends++ = (uint32_t)sum;
	}
	return 0;
}

/* n bytes of c, copied to o; NULL when fewer are left. */
static unsigned char *take(struct lcur *c, size_t n, struct lines_out *o)
{
	unsigned char *at = o->bytes;

	if (n > (size_t)(c->end - c->p))
		return NULL;
	if (n)
		memcpy(at, c->p, n);
	c->p += n;
	o->bytes += n;
	return at;
}

static int decode_table(struct model_lines *l, struct lcur *imp,
			struct lcur *pat, struct lines_out *o)
{
	size_t bytes = MODEL_LINES_BYTES(l->blocks_nr);
	uint64_t k;

	if (!l->blocks_nr)
		return 0;
	if (!(l->at_import = take(imp, bytes, o)) ||
	    get_varint(pat, COVOPT_MAX_ITEMS, &k) ||
	    k > (size_t)(pat->end - pat->p) / bytes)
		return -1;
	l->patterns_nr = (uint32_t)k;
	if (k && !(l->patterns = take(pat, (size_t)k * bytes, o)))
		return -1;
	return check_feature(l);
}

/* One block for every feature's evidence: bounded by the bins' sizes. */
static void alloc_lines_block(struct model *m, const struct lcur *col,
			      struct lines_out *o)
{
	size_t ends = (size_t)(col[COL_BLOCKS].end - col[COL_BLOCKS].p);
	size_t bytes = st_add((size_t)(col[COL_IMPORT].end - col[COL_IMPORT].p),
			      (size_t)(col[COL_PATTERNS].end -
				       col[COL_PATTERNS].p));

	m->lines_block_size = st_add(st_mult(ends, sizeof(uint32_t)), bytes);
	m->lines_block = xmalloc(m->lines_block_size + 1);
	o->ends = (uint32_t *)m->lines_block;
	o->ends_end = o->ends + ends;
	o->bytes = m->lines_block + ends * sizeof(uint32_t);
}

/* An upper bound on the signal entries of every test: one a byte. */
static size_t max_entries(const struct model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->tests_nr; i++)
		n += m->tests[i].signals_len;
	return n;
}

static int decode_refs(struct model *m, struct model_test *t, struct lcur *c,
		       uint32_t **next)
{
	struct covvec_iter it;
	uint64_t v;
	int r;

	t->patterns = *next;
	covvec_iter_init(&it, t->signals, t->signals_len);
	while ((r = covvec_iter_next(&it)) > 0) {
		const struct model_lines *l;
		uint32_t p = MODEL_NO_PATTERN;

		if (it.feature >= m->features_nr)
			return -1;
		l = &m->lines[it.feature];
		if (l->blocks_nr && l->patterns_nr == 1)
			p = 0;
		else if (l->blocks_nr && l->patterns_nr > 1) {
			if (get_varint(c, l->patterns_nr - 1, &v))
				return -1;
			p = (uint32_t)v;
		}
		*(*next)++ = p;
	}
	t->patterns_nr = (size_t)(*next - t->patterns);
	return r;
}

static int bad_col(const char *what, int c, const char *problem)
{
	return error("%s: bad model: 'lines' column '%s': %s", what,
		     col_names[c], problem);
}

static int bind_lines(struct lcur *col, const msgpack_object *o, const struct model *m,
		const char *what)
{
	const msgpack_object *items;

	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != COLS_NR + 1)
		return error("%s: bad model: 'lines' is not an array of %d "
			     "items", what, COLS_NR + 1);
	items = o->via.array.ptr;
	if (items[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    items[0].via.u64 != m->features_nr)
		return error("%s: bad model: 'lines' count is not the feature "
			     "count", what);
	for (int c = 0; c < COLS_NR; c++) {
		const msgpack_object *bin = &items[c + 1];

		if (bin->type != MSGPACK_OBJECT_BIN)
			return bad_col(what, c, "not a bin");
		col[c].p = (const unsigned char *)bin->via.bin.ptr;
		col[c].end = col[c].p + bin->via.bin.size;
	}
	return 0;
}

int lines_decode(struct model *m, const msgpack_object *o, const char *what)
{
	struct lcur col[COLS_NR];
	struct lines_out out;
	uint32_t *next;

	if (bind_lines(col, o, m, what))
		return -1;
	model_lines_alloc(m);
	alloc_lines_block(m, col, &out);
	for (size_t i = 0; i < m->features_nr; i++) {
		if (decode_blocks(&m->lines[i], &col[COL_BLOCKS], &out))
			return error("%s: bad model: feature #%zu: bad line "
				     "blocks", what, i);
		if (decode_table(&m->lines[i], &col[COL_IMPORT],
				 &col[COL_PATTERNS], &out))
			return error("%s: bad model: feature #%zu: bad line "
				     "patterns", what, i);
	}
	model_patterns_block(m, max_entries(m));
	next = m->patterns_block;
	for (size_t i = 0; i < m->tests_nr; i++)
		if (decode_refs(m, &m->tests[i], &col[COL_REFS], &next))
			return error("%s: bad model: test #%zu: bad line "
				     "pattern", what, i);
	for (int c = 0; c < COLS_NR; c++)
		if (col[c].p != col[c].end)
			return bad_col(what, c, "trailing bytes");
	return 0;
}
