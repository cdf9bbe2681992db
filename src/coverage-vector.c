/* coverage-vector.c - a test's packed coverage vector (its "signal"): which features it runs, how much.
 * Delta-coded varints keep a (test, feature) pair near two bytes in the stored note. */
#include <math.h>
#include <stdlib.h>
#include "coverage-vector.h"
#include "usage.h"
#include "banned.h"

unsigned covvec_quantize(double share)
{
	double q = ceil(share * COVVEC_LEVELS);

	if (!(q >= 1))
		return 1;
	if (q > COVVEC_LEVELS)
		return COVVEC_LEVELS;
	return (unsigned)q;
}

void covvec_writer_init(struct covvec_writer *w)
{
	sbuf_init(&w->buf, 0);
	w->last = 0;
	w->any = 0;
}

void covvec_writer_add(struct covvec_writer *w, uint32_t feature, unsigned q)
{
	uint64_t v;

	if (w->any && feature <= w->last)
		BUG("signal features out of order (%u after %u)", feature,
		    w->last);
	if (q < 1 || q > COVVEC_LEVELS)
		BUG("signal level %u out of range", q);
	v = ((uint64_t)(feature - w->last) << 4) | (q - 1);
	do {
		unsigned char byte = v & 0x7f;

		v >>= 7;
		sbuf_addch(&w->buf, byte | (v ? 0x80 : 0));
	} while (v);
	w->last = feature;
	w->any = 1;
}

unsigned char *covvec_writer_finish(struct covvec_writer *w, size_t *len)
{
	unsigned char *bytes = NULL;

	*len = w->buf.len;
	if (w->buf.len)
		bytes = (unsigned char *)sbuf_detach(&w->buf, NULL);
	sbuf_release(&w->buf);
	w->last = 0;
	w->any = 0;
	return bytes;
}

/* The rest of a signal varint whose first byte, in *v, has the high bit. */
static int long_entry(const unsigned char **p, const unsigned char *end,
		      uint64_t *v)
{
	unsigned shift = 7;

	*v &= 0x7f;
	for (;;) {
		unsigned char byte;

		if (*p >= end || shift > 35)
			return -1;
		byte = *(*p)++;
		*v |= (uint64_t)(byte & 0x7f) << shift;
		shift += 7;
		if (!(byte & 0x80))
			return 0;
	}
}

/* covvec_iter_next()'s rules in one loop: models hold millions of pairs. */
int covvec_check(const unsigned char *buf, size_t len, uint32_t limit)
{
	const unsigned char *p = buf, *end = len ? buf + len : buf;
	uint64_t feature = 0, v;

	for (int first = 1; p < end; first = 0) {
		v = *p++;
		if ((v & 0x80) && long_entry(&p, end, &v))
			return -1;
		if (!first && !(v >> 4))
			return -1;	/* the same feature twice */
		feature += v >> 4;	/* at most 2^38 a step: no overflow */
		if (feature >= limit)
			return -1;
	}
	return 0;
}
