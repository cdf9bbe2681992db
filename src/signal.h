/* signal.h - the packed per-test signal: which features a test runs, and how much of each.
 * Encoding: LEB128 varints of (delta_feature << 4 | (q - 1)), q = quantized share in 1..16. */
#ifndef COVOPT_SIGNAL_H
#define COVOPT_SIGNAL_H

#include <stddef.h>
#include <stdint.h>
#include "sbuf.h"

#define SIGNAL_LEVELS 16

/* Quantize a share in (0, 1] to 1..16 (any positive share gives at least 1). */
unsigned signal_quantize(double share);
/* The share a quantized level stands for: q / 16. */
static inline double signal_share(unsigned q)
{
	return (double)q / SIGNAL_LEVELS;
}

/* Append one entry; features must be appended in strictly increasing order. */
struct signal_writer {
	struct sbuf buf;
	uint32_t last;
	int any;
};
void signal_writer_init(struct signal_writer *w);
void signal_writer_add(struct signal_writer *w, uint32_t feature, unsigned q);
/* Hand the bytes over (malloc'ed, NULL when empty). */
unsigned char *signal_writer_finish(struct signal_writer *w, size_t *len);

struct signal_iter {
	const unsigned char *p, *end;
	uint32_t feature;
	unsigned q;
	int first;
};
void signal_iter_init(struct signal_iter *it, const unsigned char *buf,
		      size_t len);
/* 1 with it->feature and it->q set, 0 at the end, -1 on malformed bytes. */
int signal_iter_next(struct signal_iter *it);

#endif
