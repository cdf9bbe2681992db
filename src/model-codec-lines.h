/* model-codec-lines.h - the "lines" section of the model's msgpack form: line evidence (format 2).
 * Kept apart from model-codec.c's columns; decoding checks every count, size and index. */
#ifndef COVOPT_MODEL_CODEC_LINES_H
#define COVOPT_MODEL_CODEC_LINES_H

#include <msgpack.h>
#include "model.h"

/*
 * "lines" -> [count, blocks, import, patterns, refs]: count is the feature
 * count; the rest are bins (varints as in model-codec.h):
 *   blocks    per feature a varint n <= MODEL_MAX_BLOCKS (0: no evidence),
 *             then n varints >= 1: each block's significant lines
 *   import    per feature with n > 0: MODEL_LINES_BYTES(n) bytes, a bitset
 *             (bit b of byte b / 8, low bit first) of the blocks run under
 *             the empty context; unused bits 0
 *   patterns  per feature with n > 0: a varint k, then k bitsets like
 *             import's, distinct and in increasing byte order
 *   refs      per test, per entry of its signal whose feature has k > 1:
 *             a varint < k, its pattern (k == 1: pattern 0 is implied)
 */
/* Refuse what lines_decode would refuse (-1 after an error). */
int lines_check(const struct model *m);
void lines_pack(msgpack_packer *pk, const struct model *m);
/* Decode o into m (its features and tests decoded already). 0 or -1. */
int lines_decode(struct model *m, const msgpack_object *o, const char *what);

#endif
