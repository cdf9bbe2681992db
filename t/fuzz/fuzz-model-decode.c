/* fuzz-model-decode.c - fuzz the decoder of model notes (msgpack fetched from others).
 * A note that decodes must validate, encode, and decode again to the same bytes. */
#include "fuzz.h"
#include "model.h"
#include "model-codec.h"
#include "sbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
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
	return 0;
}
