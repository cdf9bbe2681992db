/* line-evidence.h - which of a feature's lines each test ran (blocks, patterns) and where a change lands in them.
 * Coordinates are significant-line indices of a feature (feature-map.h), valid while its body hash is. */
#ifndef COVOPT_LINE_EVIDENCE_H
#define COVOPT_LINE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

/* Alignments larger than this many cells (after trimming) are refused. */
#define LINE_ALIGN_MAX_CELLS ((size_t)1 << 22)

/*
 * Sets of significant-line indices of one feature, each kept as sorted,
 * disjoint runs [start, end): one set per test that ran the feature (and
 * one for the empty coverage context).
 */
struct line_sets {
	uint32_t sig_nr;	/* the feature's significant lines */
	uint32_t *runs;		/* start, end pairs */
	size_t runs_nr, runs_alloc;	/* in pairs */
	size_t *first;		/* set s is pairs first[s] .. first[s + 1] */
	size_t sets_nr, first_alloc;
};

void line_sets_init(struct line_sets *ls, uint32_t sig_nr);
void line_sets_release(struct line_sets *ls);
/* Empty ls for a feature of sig_nr lines, keeping its buffers for reuse. */
void line_sets_reset(struct line_sets *ls, uint32_t sig_nr);
/* Start the next set (its index is returned); then add its runs in order. */
uint32_t line_sets_begin(struct line_sets *ls);
/* Add [start, end) to the last set: start at or after the last end added, end <= sig_nr. */
void line_sets_add_run(struct line_sets *ls, uint32_t start, uint32_t end);

/*
 * Group the significant lines into blocks of consecutive lines that the
 * same sets ran, and the sets into their distinct block patterns, into out
 * (zeroed first). The sets with is_import[s] set (is_import may be NULL)
 * are the empty context: they give out->at_import and no pattern.
 * *pattern_of (malloc'ed, one per set) gets each set's pattern index
 * (MODEL_NO_PATTERN for the empty context's). Returns 0, or -1
 * (out empty: no evidence) when the feature has no significant line or
 * more than MODEL_MAX_BLOCKS blocks.
 */
int line_evidence_build(struct model_lines *out, uint32_t **pattern_of,
			const struct line_sets *ls,
			const unsigned char *is_import);

/* Add pattern p of ev (and with p == UINT32_MAX: its at_import) to ls as a new set. */
void line_evidence_expand(struct line_sets *ls, const struct model_lines *ev,
			  uint32_t p);

/* The significant lines of ev (the end of its last block). */
uint32_t line_evidence_lines(const struct model_lines *ev);
/* The block holding significant line i (< line_evidence_lines(ev)). */
uint32_t line_evidence_block(const struct model_lines *ev, uint32_t i);

/* 1 if pattern p of ev holds block b. */
static inline int line_pattern_has(const struct model_lines *ev, uint32_t p,
				   uint32_t b)
{
	const unsigned char *bits = ev->patterns +
		(size_t)p * MODEL_LINES_BYTES(ev->blocks_nr);

	return bits[b / 8] >> (b % 8) & 1;
}

/*
 * Align two line sequences by their hashes (longest common subsequence):
 * match[i] (an entries) gets the index in b of line i of a, or -1 when it
 * has none. Returns 0, or -1 when the alignment is too large.
 */
int line_align(long *match, const uint64_t *a, size_t an, const uint64_t *b,
	       size_t bn);

/*
 * Weigh the lines of the old side of a change: match (an entries, from
 * line_align(old, new)) says which old lines stayed; new has bn lines.
 * A deleted or modified old line weighs 1; a run of inserted lines weighs
 * its length, spread over the old lines deleted in the same gap if any,
 * else over its kept neighbours (the old lines before and after it): half
 * each, or all on the one indented as the run's least indented line when
 * only one is (a_indent[an], b_indent[bn]: each line's indentation
 * column; both NULL to split in halves). Adds to weight[an].
 */
void line_change_weights(double *weight, const long *match, size_t an,
			 size_t bn, const uint32_t *a_indent,
			 const uint32_t *b_indent);

/*
 * Move weights of lines of a (an entries) onto lines of b (bn entries,
 * match from line_align(a, b)): a matched line gives its weight to its
 * match, an unmatched one splits it over the matched neighbours. Adds to
 * out[bn]; returns the weight that found no line.
 */
double line_weights_transfer(double *out, size_t bn, const double *weight,
			     const long *match, size_t an);

#endif
