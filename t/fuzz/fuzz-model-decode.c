/* fuzz-model-decode.c - fuzz the decoder of model notes (msgpack fetched from others).
 * A note that decodes must validate, encode, and decode again to the same bytes. */
#include "checksum.h"
#include "fuzz.h"
#include "model.h"
#include "model-codec.h"
#include "sbuf.h"

/* The checksum entry's value: 0xcf and 8 big-endian bytes, at the end. */
#define SEAL_BYTES 9

static void decode_one(const uint8_t *data, size_t size)
{
	struct model m, again;
	struct sbuf first = SBUF_INIT, second = SBUF_INIT;

	model_init(&m);
	model_init(&again);
	if (!model_decode(&m, data, size, "fuzz note")) {
		FUZZ_CHECK(!model_validate(&m, "fuzz note"));
		FUZZ_CHECK(!model_encode(&first, &m));
		FUZZ_CHECK(!model_decode(&again, first.buf, first.len,
					 "re-encoded note"));
		FUZZ_CHECK(!model_encode(&second, &again));
		FUZZ_CHECK(first.len == second.len &&
			   !memcmp(first.buf, second.buf, first.len));
	}
	model_release(&m);
	model_release(&again);
	sbuf_release(&first);
	sbuf_release(&second);
}

/*
 * A mutated format-2 note almost never carries the right checksum, and
 * stops there: the input is also decoded re-sealed, its trailing checksum
 * recomputed, so that the fuzzer gets past it into the sections.
 */
static void decode_resealed(const uint8_t *data, size_t size)
{
	uint8_t *copy;
	uint64_t sum;

	if (size < SEAL_BYTES || data[size - SEAL_BYTES] != 0xcf)
		return;
	copy = xmalloc(size);
	memcpy(copy, data, size);
	sum = checksum64(copy, size - SEAL_BYTES);
	for (int i = 0; i < 8; i++)
		copy[size - 1 - i] = (uint8_t)(sum >> (8 * i));
	if (memcmp(copy, data, size))
		decode_one(copy, size);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode_one(data, size);
	decode_resealed(data, size);
	return 0;
}
