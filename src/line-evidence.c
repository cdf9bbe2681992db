/* line-evidence.c - which of a feature's lines each test ran (blocks, patterns) and where a change lands in them.
 * Blocks are cut wherever some set starts or stops; patterns are the distinct sets of blocks. */
#include <stdlib.h>
#include <string.h>
#include "line-evidence.h"
#include "xalloc.h"
#include "banned.h"

void line_sets_init(struct line_sets *ls, uint32_t sig_nr)
{
	memset(ls, 0, sizeof(*ls));
	ls->sig_nr = sig_nr;
}

void line_sets_release(struct line_sets *ls)
{
	free(ls->runs);
	free(ls->first);
	memset(ls, 0, sizeof(*ls));
}

void line_sets_reset(struct line_sets *ls, uint32_t sig_nr)
{
	ls->sig_nr = sig_nr;
	ls->runs_nr = 0;
	ls->sets_nr = 0;
}

uint32_t line_sets_begin(struct line_sets *ls)
{
	ALLOC_GROW(ls->first, ls->sets_nr + 2, ls->first_alloc);
	ls->first[ls->sets_nr] = ls->runs_nr;
	ls->first[ls->sets_nr + 1] = ls->runs_nr;
	return (uint32_t)ls->sets_nr++;
}

void line_sets_add_run(struct line_sets *ls, uint32_t start, uint32_t end)
{
	size_t nr = ls->runs_nr - ls->first[ls->sets_nr - 1];

	if (start >= end || end > ls->sig_nr)
		return;
	if (nr && ls->runs[2 * ls->runs_nr - 1] >= start) {
		if (ls->runs[2 * ls->runs_nr - 1] < end)
			ls->runs[2 * ls->runs_nr - 1] = end;
		return;
	}
	ALLOC_GROW(ls->runs, 2 * (ls->runs_nr + 1), ls->runs_alloc);
	ls->runs[2 * ls->runs_nr] = start;
	ls->runs[2 * ls->runs_nr + 1] = end;
	ls->runs_nr++;
	ls->first[ls->sets_nr] = ls->runs_nr;
}

/* Where blocks start: at 0 and wherever a run starts or ends. */
static unsigned char *block_cuts(const struct line_sets *ls)
{
	unsigned char *cut = xcalloc(ls->sig_nr + 1, 1);

	cut[0] = 1;
	for (size_t r = 0; r < ls->runs_nr; r++) {
		cut[ls->runs[2 * r]] = 1;
		cut[ls->runs[2 * r + 1]] = 1;
	}
	return cut;
}

/* The bitset of blocks the runs of set s touch. */
static void set_bits(unsigned char *bits, const struct line_sets *ls,
		     size_t s, const uint32_t *block_of)
{
	for (size_t r = ls->first[s]; r < ls->first[s + 1]; r++)
		for (uint32_t b = block_of[ls->runs[2 * r]];
		     b <= block_of[ls->runs[2 * r + 1] - 1]; b++)
			bits[b / 8] |= 1u << (b % 8);
}

static size_t sort_bytes;	/* the bitset size qsort compares */

static int cmp_bits(const void *a, const void *b)
{
	return memcmp(a, b, sort_bytes);
}

/* 1 if the nr bitsets in bits are in order already (often all the same). */
static int patterns_sorted(const unsigned char *bits, size_t nr, size_t bytes)
{
	for (size_t i = 1; i < nr; i++)
		if (memcmp(bits + (i - 1) * bytes, bits + i * bytes, bytes) > 0)
			return 0;
	return 1;
}

/* Sort and unique the bitsets of the sets; return how many remain. */
static size_t unique_patterns(unsigned char *bits, size_t nr, size_t bytes)
{
	size_t out = 0;

	sort_bytes = bytes;
	if (!patterns_sorted(bits, nr, bytes))
		qsort(bits, nr, bytes, cmp_bits);
	for (size_t i = 0; i < nr; i++)
		if (!out || memcmp(bits + (out - 1) * bytes, bits + i * bytes,
				   bytes))
			memmove(bits + out++ * bytes, bits + i * bytes, bytes);
	return out;
}

static uint32_t find_pattern(const unsigned char *table, size_t nr,
			     size_t bytes, const unsigned char *bits)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(table + mid * bytes, bits, bytes);

		if (!c)
			return (uint32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return MODEL_NO_PATTERN;
}

/* Cut the lines into blocks: out->block_end, and each line's block. */
static uint32_t *cut_blocks(struct model_lines *out, const struct line_sets *ls)
{
	unsigned char *cut = block_cuts(ls);
	uint32_t *block_of = xmalloc(st_mult(ls->sig_nr + 1, sizeof(uint32_t)));
	uint32_t nb = 0;

	for (uint32_t i = 1; i <= ls->sig_nr; i++)
		nb += cut[i] || i == ls->sig_nr;
	out->blocks_nr = nb;
	out->block_end = xmalloc(st_mult(nb, sizeof(uint32_t)));
	nb = 0;
	for (uint32_t i = 0; i < ls->sig_nr; i++) {
		block_of[i] = nb;
		if (cut[i + 1] || i + 1 == ls->sig_nr)
			out->block_end[nb++] = i + 1;
	}
	free(cut);
	return block_of;
}

int line_evidence_build(struct model_lines *out, uint32_t **pattern_of,
			const struct line_sets *ls,
			const unsigned char *is_import)
{
	size_t bytes, nr = ls->sets_nr;
	unsigned char *bits, *table;
	uint32_t *block_of;

	memset(out, 0, sizeof(*out));
	*pattern_of = xmalloc(st_mult(nr + 1, sizeof(uint32_t)));
	for (size_t s = 0; s < nr; s++)
		(*pattern_of)[s] = MODEL_NO_PATTERN;
	if (!ls->sig_nr)
		return -1;
	block_of = cut_blocks(out, ls);
	if (out->blocks_nr > MODEL_MAX_BLOCKS) {
		free(block_of);
		model_lines_release(out);
		return -1;
	}
	bytes = MODEL_LINES_BYTES(out->blocks_nr);
	bits = xcalloc(nr + 1, bytes);
	table = xcalloc(nr + 1, bytes);
	out->at_import = xcalloc(1, bytes);
	for (size_t s = 0; s < nr; s++) {
		set_bits(bits + s * bytes, ls, s, block_of);
		if (is_import && is_import[s])
			set_bits(out->at_import, ls, s, block_of);
		else
			memcpy(table + out->patterns_nr++ * bytes,
			       bits + s * bytes, bytes);
	}
	out->patterns_nr = (uint32_t)unique_patterns(table, out->patterns_nr,
						     bytes);
	for (size_t s = 0; s < nr; s++)
		if (!is_import || !is_import[s])
			(*pattern_of)[s] = find_pattern(table, out->patterns_nr,
							bytes, bits + s * bytes);
	out->patterns = out->patterns_nr ?
		xrealloc(table, st_mult(out->patterns_nr, bytes)) : NULL;
	if (!out->patterns_nr)
		free(table);
	free(bits);
	free(block_of);
	return 0;
}

uint32_t line_evidence_lines(const struct model_lines *ev)
{
	return ev->blocks_nr ? ev->block_end[ev->blocks_nr - 1] : 0;
}

uint32_t line_evidence_block(const struct model_lines *ev, uint32_t i)
{
	uint32_t lo = 0, hi = ev->blocks_nr;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ev->block_end[mid] <= i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void line_evidence_expand(struct line_sets *ls, const struct model_lines *ev,
			  uint32_t p)
{
	const unsigned char *bits = p == MODEL_NO_PATTERN ? ev->at_import :
		ev->patterns + (size_t)p * MODEL_LINES_BYTES(ev->blocks_nr);

	line_sets_begin(ls);
	for (uint32_t b = 0; b < ev->blocks_nr; b++)
		if (bits[b / 8] >> (b % 8) & 1)
			line_sets_add_run(ls, b ? ev->block_end[b - 1] : 0,
					  ev->block_end[b]);
}

/* ---------------------------------------------------------------- changes */

int line_align(long *match, const uint64_t *a, size_t an, const uint64_t *b,
	       size_t bn)
{
	size_t pre = 0, suf = 0, n, m;
	uint32_t *len;

	for (size_t i = 0; i < an; i++)
		match[i] = -1;
	while (pre < an && pre < bn && a[pre] == b[pre]) {
		match[pre] = (long)pre;
		pre++;
	}
	while (suf < an - pre && suf < bn - pre &&
	       a[an - 1 - suf] == b[bn - 1 - suf]) {
		match[an - 1 - suf] = (long)(bn - 1 - suf);
		suf++;
	}
	n = an - pre - suf;
	m = bn - pre - suf;
	if (!n || !m)
		return 0;
	if (n > LINE_ALIGN_MAX_CELLS / m)
		return -1;
	/* len[i][j]: common subsequence of a[pre+i..] and b[pre+j..] */
	len = xcalloc(st_mult(n + 1, m + 1), sizeof(uint32_t));
	for (size_t i = n; i--;)
		for (size_t j = m; j--;)
			len[i * (m + 1) + j] = a[pre + i] == b[pre + j] ?
				len[(i + 1) * (m + 1) + j + 1] + 1 :
				len[(i + 1) * (m + 1) + j] >
				len[i * (m + 1) + j + 1] ?
				len[(i + 1) * (m + 1) + j] :
				len[i * (m + 1) + j + 1];
	for (size_t i = 0, j = 0; i < n && j < m;) {
		if (a[pre + i] == b[pre + j]) {
			match[pre + i++] = (long)(pre + j++);
		} else if (len[(i + 1) * (m + 1) + j] >=
			   len[i * (m + 1) + j + 1]) {
			i++;
		} else {
			j++;
		}
	}
	free(len);
	return 0;
}

/*
 * Which kept neighbour of a run of inserted lines (indented at least at
 * col) runs with it: -1 before, 1 after, 0 both alike. The one indented
 * as the run, when only one is: the first line of the body under an `if`
 * before it, the last line of a block before a dedent, the next statement
 * after a block.
 */
static int gap_side(const uint32_t *indent, long before, size_t after,
		    uint32_t col)
{
	int b, a;

	if (!indent)
		return 0;
	b = indent[before] == col;
	a = indent[after] == col;
	return b == a ? 0 : b ? -1 : 1;
}

/* Spread w over the old lines [from, to) (deleted ones), or the neighbours. */
static void weigh_gap(double *weight, const uint32_t *indent, size_t an,
		      long before, size_t after, size_t deleted,
		      double inserted, uint32_t col)
{
	if (deleted) {
		for (size_t i = (size_t)(before + 1); i < after; i++)
			weight[i] += inserted / (double)deleted;
		return;
	}
	if (before >= 0 && after < an) {
		int side = gap_side(indent, before, after, col);

		weight[before] += side < 0 ? inserted :
			side > 0 ? 0 : inserted / 2;
		weight[after] += side > 0 ? inserted :
			side < 0 ? 0 : inserted / 2;
	} else if (before >= 0) {
		weight[before] += inserted;
	} else if (after < an) {
		weight[after] += inserted;
	}
}

/* The least indentation of new lines [from, to), or 0 without indents. */
static uint32_t least_indent(const uint32_t *indent, long from, long to)
{
	uint32_t col = UINT32_MAX;

	if (!indent)
		return 0;
	for (long j = from; j < to; j++)
		if (indent[j] < col)
			col = indent[j];
	return col;
}

void line_change_weights(double *weight, const long *match, size_t an,
			 size_t bn, const uint32_t *a_indent,
			 const uint32_t *b_indent)
{
	long before = -1;	/* last kept old line */
	long new_at = -1;	/* its new index */
	const uint32_t *indent = a_indent && b_indent ? a_indent : NULL;

	for (size_t i = 0; i <= an; i++) {
		size_t deleted;
		long new_next;

		if (i < an && match[i] < 0)
			continue;
		new_next = i < an ? match[i] : (long)bn;
		deleted = i - (size_t)(before + 1);
		for (size_t k = (size_t)(before + 1); k < i; k++)
			weight[k] += 1;
		if (new_next - new_at - 1 > 0)
			weigh_gap(weight, indent, an, before, i, deleted,
				  (double)(new_next - new_at - 1),
				  least_indent(indent ? b_indent : NULL,
					       new_at + 1, new_next));
		before = (long)i;
		new_at = new_next;
	}
}

double line_weights_transfer(double *out, size_t bn, const double *weight,
			     const long *match, size_t an)
{
	double lost = 0;

	for (size_t i = 0; i < an; i++) {
		long lo = -1, hi = -1;

		if (!weight[i])
			continue;
		if (match[i] >= 0 && (size_t)match[i] < bn) {
			out[match[i]] += weight[i];
			continue;
		}
		for (size_t k = i; k-- > 0;)
			if (match[k] >= 0) {
				lo = match[k];
				break;
			}
		for (size_t k = i + 1; k < an; k++)
			if (match[k] >= 0) {
				hi = match[k];
				break;
			}
		if (lo >= 0 && hi >= 0) {
			out[lo] += weight[i] / 2;
			out[hi] += weight[i] / 2;
		} else if (lo >= 0 || hi >= 0) {
			out[lo >= 0 ? lo : hi] += weight[i];
		} else {
			lost += weight[i];
		}
	}
	return lost;
}
