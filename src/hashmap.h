/* hashmap.h - an open-addressing hash index over uint32_t items (indices into the caller's array).
 * The caller hashes its keys and says which item equals a key; the map keeps hash and item only. */
#ifndef COVOPT_HASHMAP_H
#define COVOPT_HASHMAP_H

#include <stddef.h>
#include <stdint.h>

struct hashmap_slot {
	uint32_t hash;
	uint32_t item;		/* the caller's item + 1; 0 is empty */
};

struct hashmap {
	struct hashmap_slot *slots;
	size_t size;		/* a power of two, or 0 */
	size_t nr;		/* items held; at most size / 2 */
};

#define HASHMAP_INIT { .slots = NULL, .size = 0, .nr = 0 }

/* Whether the caller's item is equal to key (the key given to find). */
typedef int hashmap_eq_fn(const void *key, uint32_t item);

/* Make room for want items in all (no growth until then). */
void hashmap_reserve(struct hashmap *map, size_t want);

/*
 * Add item under hash (growing as needed); the caller makes sure no equal
 * item is there already. item must be below UINT32_MAX.
 */
void hashmap_add(struct hashmap *map, uint32_t hash, uint32_t item);

/* Find an item under hash for which eq(key, item) holds: 1 and *out, or 0. */
int hashmap_find(const struct hashmap *map, uint32_t hash, hashmap_eq_fn *eq,
		 const void *key, uint32_t *out);

/* Free the slots; map is empty and may be used again. */
void hashmap_release(struct hashmap *map);

/* FNV-1a of len bytes at p, going on from h (HASH_START for a first part). */
#define HASH_START 2166136261u
uint32_t hash_bytes(uint32_t h, const void *p, size_t len);
/* A well-mixed 32-bit hash of a 64-bit integer. */
uint32_t hash_u64(uint64_t x);

#endif
