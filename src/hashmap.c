/* hashmap.c - open addressing with linear probing over caller-hashed uint32_t items.
 * Sizes are powers of two, kept at least twice the item count; growth is overflow-checked. */
#include <stdlib.h>
#include "hashmap.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define HASHMAP_MIN_SIZE 64

/* Put item in the first empty slot from its hash on: room is known. */
static void put(struct hashmap *map, uint32_t hash, uint32_t item_plus_1)
{
	size_t mask = map->size - 1, i = hash & mask;

	while (map->slots[i].item)
		i = (i + 1) & mask;
	map->slots[i].hash = hash;
	map->slots[i].item = item_plus_1;
	map->nr++;
}

void hashmap_reserve(struct hashmap *map, size_t want)
{
	struct hashmap_slot *old = map->slots;
	size_t old_size = map->size, size = old_size;

	if (st_mult(want, 2) <= size)
		return;
	if (!size)
		size = HASHMAP_MIN_SIZE;
	while (size < st_mult(want, 2))
		size = st_mult(size, 2);
	map->slots = xcalloc(size, sizeof(*map->slots));
	map->size = size;
	map->nr = 0;
	for (size_t i = 0; i < old_size; i++)
		if (old[i].item)
			put(map, old[i].hash, old[i].item);
	free(old);
}

void hashmap_add(struct hashmap *map, uint32_t hash, uint32_t item)
{
	if (item == UINT32_MAX)
		BUG("hashmap item %u out of range", (unsigned)item);
	hashmap_reserve(map, st_add(map->nr, 1));
	put(map, hash, item + 1);
}

int hashmap_find(const struct hashmap *map, uint32_t hash, hashmap_eq_fn *eq,
		 const void *key, uint32_t *out)
{
	size_t mask = map->size - 1;

	if (!map->size)
		return 0;
	for (size_t i = hash & mask; map->slots[i].item; i = (i + 1) & mask)
		if (map->slots[i].hash == hash &&
		    eq(key, map->slots[i].item - 1)) {
			*out = map->slots[i].item - 1;
			return 1;
		}
	return 0;
}

void hashmap_release(struct hashmap *map)
{
	FREE_AND_NULL(map->slots);
	map->size = map->nr = 0;
}

uint32_t hash_bytes(uint32_t h, const void *p, size_t len)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t hash_u64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (uint32_t)x;
}
