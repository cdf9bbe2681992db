/* checksum.h - a 64-bit checksum of a byte string, to tell a damaged note from a good one.
 * FNV-1a: each step is a bijection of the state, so any one changed byte changes the sum. */
#ifndef COVOPT_CHECKSUM_H
#define COVOPT_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* The 64-bit FNV-1a hash of the len bytes at buf. */
uint64_t checksum64(const void *buf, size_t len);

#endif
