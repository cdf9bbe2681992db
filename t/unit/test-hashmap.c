/* test-hashmap.c - unit tests for the hash index: find and add, growth, colliding hashes,
 * many keys, reuse after release, and the two hash functions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hashmap.h"
#include "xalloc.h"

/* The items are indices into an array of keys; a key is a number. */
struct keys {
	const uint64_t *v;
	uint64_t want;
};

static int key_equal(const void *key, uint32_t item)
{
	const struct keys *k = key;

	return k->v[item] == k->want;
}

static int find(const struct hashmap *map, const uint64_t *v, uint64_t want,
		uint32_t hash, uint32_t *out)
{
	struct keys k = { .v = v, .want = want };

	return hashmap_find(map, hash, key_equal, &k, out);
}

static void test_empty(void **state)
{
	struct hashmap map = HASHMAP_INIT;
	static const uint64_t v[] = { 1 };
	uint32_t out = 7;

	assert_false(find(&map, v, 1, 0, &out));
	assert_int_equal(out, 7);
	hashmap_release(&map);
	assert_false(find(&map, v, 1, 0, &out));
}

static void test_add_find(void **state)
{
	struct hashmap map = HASHMAP_INIT;
	static const uint64_t v[] = { 10, 20, 30 };
	uint32_t out;

	for (uint32_t i = 0; i < 3; i++)
		hashmap_add(&map, hash_u64(v[i]), i);
	assert_int_equal(map.nr, 3);
	for (uint32_t i = 0; i < 3; i++) {
		assert_true(find(&map, v, v[i], hash_u64(v[i]), &out));
		assert_int_equal(out, i);
	}
	assert_false(find(&map, v, 40, hash_u64(40), &out));
	/* the right hash is not enough: the key must be equal too */
	assert_false(find(&map, v, 11, hash_u64(10), &out));
	/* and an equal key under another hash is not found */
	assert_false(find(&map, v, 10, hash_u64(10) ^ 1, &out));
	hashmap_release(&map);
	assert_null(map.slots);
	assert_int_equal(map.size, 0);
	assert_int_equal(map.nr, 0);
}

/* Every key under one hash: a single probe chain, found by equality. */
static void test_collisions(void **state)
{
	struct hashmap map = HASHMAP_INIT;
	uint64_t v[200];
	uint32_t out;

	for (uint32_t i = 0; i < 200; i++) {
		v[i] = 1000 + i;
		hashmap_add(&map, 42, i);
	}
	for (uint32_t i = 0; i < 200; i++) {
		assert_true(find(&map, v, v[i], 42, &out));
		assert_int_equal(out, i);
	}
	assert_false(find(&map, v, 999, 42, &out));
	/* hashes equal in their low bits only: they share a start slot */
	hashmap_release(&map);
	for (uint32_t i = 0; i < 200; i++)
		hashmap_add(&map, i << 20, i);
	for (uint32_t i = 0; i < 200; i++) {
		assert_true(find(&map, v, v[i], i << 20, &out));
		assert_int_equal(out, i);
	}
	hashmap_release(&map);
}

/* Growth keeps every item, and the table stays at most half full. */
static void test_growth_and_many_keys(void **state)
{
	struct hashmap map = HASHMAP_INIT;
	size_t n = 100000, last_size = 0, grown = 0;
	uint64_t *v = xmalloc(n * sizeof(*v));
	uint32_t out;

	for (size_t i = 0; i < n; i++) {
		v[i] = (uint64_t)i * 7919 + 3;
		hashmap_add(&map, hash_u64(v[i]), (uint32_t)i);
		assert_true(map.nr * 2 <= map.size);
		assert_int_equal(map.size & (map.size - 1), 0);
		if (map.size != last_size) {
			grown++;
			last_size = map.size;
		}
	}
	assert_true(grown > 5);
	for (size_t i = 0; i < n; i++) {
		assert_true(find(&map, v, v[i], hash_u64(v[i]), &out));
		assert_int_equal(out, i);
		assert_false(find(&map, v, v[i] + 1, hash_u64(v[i] + 1),
				  &out));
	}
	hashmap_release(&map);
	free(v);
}

static void test_reserve(void **state)
{
	struct hashmap map = HASHMAP_INIT;
	static const uint64_t v[] = { 5, 6 };
	struct hashmap_slot *slots;
	uint32_t out;

	hashmap_reserve(&map, 1000);
	assert_true(map.size >= 2000);
	slots = map.slots;
	for (uint32_t i = 0; i < 1000; i++)
		hashmap_add(&map, i, i);
	assert_ptr_equal(map.slots, slots);	/* no growth */
	hashmap_reserve(&map, 10);		/* never shrinks */
	assert_ptr_equal(map.slots, slots);
	hashmap_release(&map);
	/* usable again after a release */
	hashmap_add(&map, hash_u64(6), 1);
	assert_true(find(&map, v, 6, hash_u64(6), &out));
	assert_int_equal(out, 1);
	assert_false(find(&map, v, 5, hash_u64(5), &out));
	hashmap_release(&map);
}

static void test_hashes(void **state)
{
	/* FNV-1a 32-bit reference values */
	assert_int_equal(hash_bytes(HASH_START, "", 0), 0x811c9dc5u);
	assert_int_equal(hash_bytes(HASH_START, "a", 1), 0xe40c292cu);
	assert_int_equal(hash_bytes(HASH_START, "foobar", 6), 0xbf9cf968u);
	/* in parts, the same as whole */
	assert_int_equal(hash_bytes(hash_bytes(HASH_START, "foo", 3), "bar", 3),
			 hash_bytes(HASH_START, "foobar", 6));
	/* a NUL counts */
	assert_int_not_equal(hash_bytes(HASH_START, "a\0b", 3),
			     hash_bytes(HASH_START, "ab", 2));
	/* hash_u64 mixes the high half into the low bits */
	assert_int_not_equal(hash_u64((uint64_t)1 << 32) & 0xffff,
			     hash_u64((uint64_t)2 << 32) & 0xffff);
	assert_int_equal(hash_u64(12345), hash_u64(12345));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_add_find),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_growth_and_many_keys),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_hashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
