/* signal.c - the packed per-test signal: which features a test runs, and how much of each.
 * Delta-coded varints keep a (test, feature) pair near two bytes in the stored note. */
#include <math.h>
#include <stdlib.h>
#include "signal.h"
#include "usage.h"
#include "banned.h"

unsigned signal_quantize(double share)
{
	double q = ceil(share * SIGNAL_LEVELS);

	if (!(q >= 1))
		return 1;
	if (q > SIGNAL_LEVELS)
		return SIGNAL_LEVELS;
	return (unsigned)q;
}

void signal_writer_init(struct signal_writer *w)
{
	sbuf_init(&w->buf, 0);
	w->last = 0;
	w->any = 0;
}

void signal_writer_add(struct signal_writer *w, uint32_t feature, unsigned q)
{
	uint64_t v;

	if (w->any && feature <= w->last)
		BUG("signal features out of order (%u after %u)", feature,
		    w->last);
	if (q < 1 || q > SIGNAL_LEVELS)
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

unsigned char *signal_writer_finish(struct signal_writer *w, size_t *len)
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

void signal_iter_init(struct signal_iter *it, const unsigned char *buf,
		      size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->feature = 0;
	it->q = 0;
	it->first = 1;
}

int signal_iter_next(struct signal_iter *it)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint64_t delta;

	if (it->p >= it->end)
		return 0;
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
