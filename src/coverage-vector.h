/* coverage-vector.h - a test's packed coverage vector (its "signal"): which features it runs, how much.
 * Encoding: LEB128 varints of (delta_feature << 4 | (q - 1)), q = quantized share in 1..16. */
#ifndef COVOPT_COVERAGE_VECTOR_H
#define COVOPT_COVERAGE_VECTOR_H

#include <stddef.h>
#include <stdint.h>
#include "sbuf.h"

#define COVVEC_LEVELS 16

/* Quantize a share in (0, 1] to 1..16 (any positive share gives at least 1). */
unsigned covvec_quantize(double share);
/* The share a quantized level stands for: q / 16. */
static inline double covvec_share(unsigned q)
{
	return (double)q / COVVEC_LEVELS;
}

/* Append one entry; features must be appended in strictly increasing order. */
struct covvec_writer {
	struct sbuf buf;
	uint32_t last;
	int any;
};
void covvec_writer_init(struct covvec_writer *w);
void covvec_writer_add(struct covvec_writer *w, uint32_t feature, unsigned q);
/* Hand the bytes over (malloc'ed, NULL when empty). */
unsigned char *covvec_writer_finish(struct covvec_writer *w, size_t *len);

struct covvec_iter {
	const unsigned char *p, *end;
	uint32_t feature;
	unsigned q;
	int first;
};

static inline void covvec_iter_init(struct covvec_iter *it,
				    const unsigned char *buf, size_t len)
{
	it->p = buf;
	it->end = len ? buf + len : buf;
	it->feature = 0;
	it->q = 0;
	it->first = 1;
}

/*
 * 1 with it->feature and it->q set, 0 at the end, -1 on malformed bytes:
 * a varint cut short or over 6 bytes, a zero delta after the first entry,
 * a feature past UINT32_MAX. Inline: select and validation call it per pair.
 */
static inline int covvec_iter_next(struct covvec_iter *it)
{
	uint64_t v, delta;

	if (it->p >= it->end)
		return 0;
	v = *it->p++;
	if (v & 0x80) {		/* rare: a delta of 8 or more features */
		unsigned shift = 7;

		v &= 0x7f;
		for (;;) {
			unsigned char byte;

			if (it->p >= it->end || shift > 35)
				return -1;
			byte = *it->p++;
			v |= (uint64_t)(byte & 0x7f) << shift;
			shift += 7;
			if (!(byte & 0x80))
				break;
		}
	}
	delta = v >> 4;
	if (!it->first && !delta)
		return -1;
	if (delta > UINT32_MAX - (uint64_t)it->feature)
		return -1;
	it->feature += (uint32_t)delta;
	it->q = (unsigned)(v & 0xf) + 1;
	it->first = 0;
	return 1;
}

/* 0 if buf (len bytes) is well formed, every feature below limit; else -1. */
int covvec_check(const unsigned char *buf, size_t len, uint32_t limit);

#endif
