/* checksum.c - a 64-bit checksum of a byte string, to tell a damaged note from a good one.
 * FNV-1a 64: small, fast enough for notes, and every single-byte change alters it. */
#include "checksum.h"
#include "banned.h"

#define FNV64_OFFSET 0xcbf29ce484222325ULL
#define FNV64_PRIME 0x100000001b3ULL

uint64_t checksum64(const void *buf, size_t len)
{
	const unsigned char *p = buf;
	uint64_t h = FNV64_OFFSET;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV64_PRIME;
	return h;
}
