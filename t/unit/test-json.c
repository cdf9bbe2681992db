/* test-json.c - unit tests of json.c: commas at every depth (past 255 members too),
 * string escapes, invalid UTF-8 replaced, numbers, pretty layout. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>
#include "json.h"

static void test_compact_document(void **state)
{
	struct sbuf out = SBUF_INIT;
	struct json_writer w;

	(void)state;
	json_init(&w, &out, 0);
	json_object_begin(&w);
	json_key(&w, "a");
	json_int(&w, -3);
	json_key(&w, "b");
	json_array_begin(&w);
	json_string(&w, "x");
	json_bool(&w, 1);
	json_null(&w);
	json_double(&w, 0.25);
	json_double(&w, NAN);
	json_array_end(&w);
	json_key(&w, "c");
	json_object_begin(&w);
	json_object_end(&w);
	json_key(&w, "d");
	json_array_begin(&w);
	json_array_end(&w);
	json_object_end(&w);
	assert_string_equal(out.buf,
		"{\"a\":-3,\"b\":[\"x\",true,null,0.25,null],\"c\":{},\"d\":[]}");
	sbuf_release(&out);
}

static void test_many_members(void **state)
{
	struct sbuf out = SBUF_INIT, expect = SBUF_INIT;
	struct json_writer w;

	(void)state;
	json_init(&w, &out, 0);
	json_array_begin(&w);
	sbuf_addch(&expect, '[');
	for (int i = 0; i < 1000; i++) {
		json_int(&w, i);
		sbuf_addf(&expect, i ? ",%d" : "%d", i);
	}
	json_array_end(&w);
	sbuf_addch(&expect, ']');
	assert_string_equal(out.buf, expect.buf);
	sbuf_release(&out);
	sbuf_release(&expect);
}

static void test_escapes(void **state)
{
	static const struct { const char *in; size_t len; const char *out; } cases[] = {
		{ "plain", 5, "\"plain\"" },
		{ "q\"b\\", 4, "\"q\\\"b\\\\\"" },
		{ "\n\t\x01", 3, "\"\\u000a\\u0009\\u0001\"" },
		{ "caf\xc3\xa9", 5, "\"caf\xc3\xa9\"" },
		{ "bad\xff", 4, "\"bad\\ufffd\"" },
		{ "\xc3", 1, "\"\\ufffd\"" },
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"" },
		/* ESC, DEL and C1 controls never reach a terminal raw */
		{ "\x1b[2J\x7f", 5, "\"\\u001b[2J\\u007f\"" },
		{ "\xc2\x9b\xc2\x85\xc2\xa0", 6, "\"\\u009b\\u0085\xc2\xa0\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct sbuf out = SBUF_INIT;

		json_quote(&out, cases[i].in, cases[i].len);
		assert_string_equal(out.buf, cases[i].out);
		sbuf_release(&out);
	}
}

static void test_pretty(void **state)
{
	struct sbuf out = SBUF_INIT;
	struct json_writer w;

	(void)state;
	json_init(&w, &out, 1);
	json_object_begin(&w);
	json_key(&w, "k");
	json_array_begin(&w);
	json_int(&w, 1);
	json_int(&w, 2);
	json_array_end(&w);
	json_object_end(&w);
	assert_string_equal(out.buf, "{\n  \"k\": [\n    1,\n    2\n  ]\n}");
	sbuf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact_document),
		cmocka_unit_test(test_many_members),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_pretty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
