/* model-codec.h - the model's msgpack form as stored in a git note, with its schema version.
 * Decoding trusts nothing: sizes, counts, types and indices are all checked. */
#ifndef COVOPT_MODEL_CODEC_H
#define COVOPT_MODEL_CODEC_H

#include <stddef.h>
#include "model.h"
#include "sbuf.h"

/*
 * Append the msgpack encoding of m to out. The encoding is a map:
 *   "covopt"   -> COVOPT_MODEL_VERSION
 *   "commit"   -> str, hex id of the recorded commit
 *   "flags"    -> array of [name, commit, suite_time (float64), overhead
 *                            (float64), recorded_at (float64, unix seconds)]
 *                 (a 4-item flag, written before recorded_at, decodes as 0)
 *   "files"    -> array of [path, blob hex, [import file index...]]
 *   "features" -> array of [file index, name, kind, hash (uint64), lines]
 *   "tests"    -> array of [id, flag index, cost (float64), outcome,
 *                           history, signals (bin, see signal.h)]
 * The same model always encodes to the same bytes. Returns 0 or -1.
 */
int model_encode(struct sbuf *out, const struct model *m);

/*
 * Decode buf (len bytes) into out (initialised by the caller; released and
 * left empty on failure). what names the source in messages, e.g.
 * "note for 1a2b3c4". Refuses: more than COVOPT_MAX_NOTE_SIZE bytes, trailing
 * bytes, a newer or unknown version, wrong types, counts over
 * COVOPT_MAX_ITEMS or over what the remaining bytes could hold, strings over
 * COVOPT_MAX_STRING or holding NUL, and any model_validate() failure.
 * Returns 0, or -1 after one error line naming what.
 */
int model_decode(struct model *out, const void *buf, size_t len,
		 const char *what);

#endif
