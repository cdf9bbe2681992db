/* model-codec.h - the model's msgpack form as stored in a git note, with its schema version.
 * Decoding trusts nothing: sizes, counts, types and indices are all checked. */
#ifndef COVOPT_MODEL_CODEC_H
#define COVOPT_MODEL_CODEC_H

#include <stddef.h>
#include "model.h"
#include "sbuf.h"

/*
 * Append the msgpack encoding of m to out. The encoding is a map (any key
 * order; unknown keys are skipped, so later versions may add some):
 *   "covopt"   -> COVOPT_MODEL_VERSION
 *   "commit"   -> str, hex id of the recorded commit
 *   "flags"    -> array of [name, commit, suite_time (float64), overhead
 *                            (float64), recorded_at (float64, unix seconds)]
 *                 (a 4-item flag, written before recorded_at, decodes as 0)
 *   "files"    -> [count, paths, blobs, imports]
 *   "features" -> [count, counts, names, name refs, kinds, hashes, lines]
 *   "tests"    -> [count, ids, flags, costs, outcomes, histories, lengths,
 *                  signals]
 *   "checksum" -> the last entry, always a fixed 8-byte uint (0xcf): the
 *                 checksum64() of every byte of the note before this value;
 *                 required from format 2 on, checked whenever present
 *   "import_time" -> bin (optional: notes written before it lack it): the
 *                 features that ran at import or collection time, one
 *                 varint each in increasing order: the first its feature
 *                 index, each next one its index minus the previous
 *                 one's minus 1; every index below the feature count
 *   "signatures" -> array (optional: only a signed model has it, just
 *                 before "checksum"): one entry per flag, in flag order,
 *                 nil (unsigned) or a bin of at most COVOPT_MAX_SIGNATURE
 *                 bytes, the detached signature of that flag's recording
 *                 (signing.h says what it covers); a malformed entry
 *                 decodes as no signatures at all
 * Each count is a uint (at most COVOPT_MAX_ITEMS); every other item is a
 * bin, a column holding one entry per item, in item order, with no bytes
 * left over. "varint" is unsigned LEB128: 7 bits a byte, low first, high
 * bit set on all but the last byte, shortest form, at most 64 bits.
 * A string column is front-coded: per string, a varint p (at most the
 * previous string's length; 0 for the first), a varint s, then s bytes:
 * the string is the previous one's first p bytes followed by those s
 * (p + s <= COVOPT_MAX_STRING, no NUL; a column may decode to at most 64
 * times its own size plus 1 MiB, so a note's strings to at most 64 times
 * the note plus 3 MiB, and all strings together to at most 256 MiB).
 *   files:    paths     strings, sorted
 *             blobs     per file a varint n <= 40, the number of hex digits
 *                       of the blob id, then its digits two a byte, high
 *                       nibble first (odd n: the last low nibble is 0)
 *             imports   per file a varint k, then k varints: file indices
 *   features: counts    one varint per FILE: how many features it has;
 *                       they add up to count. Features are sorted by (file,
 *                       name), so these give each feature's file.
 *             names     strings: the distinct feature names, sorted (at
 *                       most count of them); features share them
 *             name refs one varint per feature: for the first feature of
 *                       a file the index of its name in names; for each
 *                       next one, the index minus the previous feature's
 *                       index minus 1 (names in a file strictly increase)
 *             kinds     one byte per feature: enum feature_kind
 *             hashes    8 bytes per feature: the hash, little-endian
 *             lines     one varint per feature (<= UINT32_MAX)
 *   tests:    ids       strings, sorted
 *             flags     one varint per test: index into "flags"
 *             costs     one varint per test: the cost in microseconds,
 *                       rounded to nearest (a positive cost is at least
 *                       1; 0 means unknown); at most 1e9 seconds
 *             outcomes  one byte per test: enum test_outcome
 *             histories one varint per test (<= UINT32_MAX)
 *             lengths   one varint per test: bytes of its signal
 *             signals   every test's signal (coverage-vector.h) back to back; the
 *                       lengths add up to its size
 * So costs keep microseconds only; everything else round-trips exactly.
 * The same model always encodes to the same bytes. Refuses (-1 after one
 * error line) what model_decode() would refuse: too long strings, bad hex
 * ids, features out of (file, name) order, costs outside 0..1e9 seconds.
 */
int model_encode(struct sbuf *out, const struct model *m);

/*
 * Decode buf (len bytes) into out (initialised by the caller; released and
 * left empty on failure). what names the source in messages, e.g.
 * "note for 1a2b3c4". Refuses: more than COVOPT_MAX_NOTE_SIZE bytes, trailing
 * bytes, a newer or unknown version, a missing (format 2) or wrong
 * checksum ("corrupt model: checksum mismatch"), wrong types, counts over
 * COVOPT_MAX_ITEMS or over what the remaining bytes could hold, strings over
 * COVOPT_MAX_STRING or holding NUL, bad varints, columns whose entries do
 * not match the count, and any model_validate() failure. The strings,
 * imports and signals of out share one block (see struct model).
 * Returns 0, or -1 after one error line naming what.
 */
int model_decode(struct model *out, const void *buf, size_t len,
		 const char *what);

#endif
