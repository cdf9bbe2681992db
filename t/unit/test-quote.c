/* test-quote.c - unit tests of quote.c: what counts as a control character or not UTF-8,
 * and the escaped forms for diagnostics and for terminal lines, byte for byte. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "quote.h"

struct quote_case {
	const char *in;
	size_t len;		/* 0: strlen(in) */
	const char *escaped;	/* quote_escape() */
	const char *c_style;	/* quote_c_style(), NULL: no NUL-free form */
};

#define T(in, esc, c) { in, sizeof(in) - 1, esc, c }

static const struct quote_case cases[] = {
	/* plain ASCII, UTF-8 text, quotes and backslashes: kept */
	T("t.py::test_x[a b]", "t.py::test_x[a b]", "t.py::test_x[a b]"),
	T("t.py::test_x[caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d]",
	  "t.py::test_x[caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d]",
	  "t.py::test_x[caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x8d]"),
	T("say \"hi\" \\n", "say \"hi\" \\n", "say \"hi\" \\n"),
	/* ESC[2J, OSC 8 (ESC ] 8 ;; url BEL), other C0 controls, DEL */
	T("a\x1b[2Jb", "a\\033[2Jb", "\"a\\033[2Jb\""),
	T("\x1b]8;;http://x\x07link\x1b]8;;\x07",
	  "\\033]8;;http://x\\alink\\033]8;;\\a",
	  "\"\\033]8;;http://x\\alink\\033]8;;\\a\""),
	T("a\nb\tc\rd\x01\x7f", "a\\nb\\tc\\rd\\001\\177",
	  "\"a\\nb\\tc\\rd\\001\\177\""),
	/* once quoted, " and \ are escaped too */
	T("\"q\"\\\x1b", "\"q\"\\\\033", "\"\\\"q\\\"\\\\\\033\""),
	/* C1 controls as UTF-8 (U+009B CSI, U+0085 NEL): both bytes */
	T("x\xc2\x9b" "31mx\xc2\x85", "x\\302\\23331mx\\302\\205",
	  "\"x\\302\\23331mx\\302\\205\""),
	/* U+00A0 is not a control */
	T("nb\xc2\xa0sp", "nb\xc2\xa0sp", "nb\xc2\xa0sp"),
	/* not UTF-8: a raw C1 byte, a stray continuation, overlong, a
	 * surrogate, over U+10FFFF, truncated, a lead byte before ASCII */
	T("\x9b" "2J", "\\2332J", "\"\\2332J\""),
	T("a\x80", "a\\200", "\"a\\200\""),
	T("\xc0\xaf", "\\300\\257", "\"\\300\\257\""),
	T("\xe0\x80\xaf", "\\340\\200\\257", "\"\\340\\200\\257\""),
	T("\xed\xa0\x80", "\\355\\240\\200", "\"\\355\\240\\200\""),
	T("\xf4\x90\x80\x80", "\\364\\220\\200\\200",
	  "\"\\364\\220\\200\\200\""),
	T("\xe2\x82", "\\342\\202", "\"\\342\\202\""),
	T("\xc2" "A", "\\302A", "\"\\302A\""),
	/* a NUL inside the given length (only quote_escape sees it) */
	T("a\0b", "a\\000b", NULL),
};

static void test_cases(void **state)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct quote_case *c = &cases[i];
		struct sbuf got = SBUF_INIT;
		int plain = !strcmp(c->escaped, c->in) && c->len == strlen(c->in);

		assert_int_equal(quote_needed(c->in, c->len), !plain);
		quote_escape(&got, c->in, c->len);
		assert_string_equal(got.buf, c->escaped);
		if (c->c_style) {
			sbuf_reset(&got);
			quote_c_style(&got, c->in);
			assert_string_equal(got.buf, c->c_style);
		}
		sbuf_release(&got);
	}
}

/* No byte value passes through raw unless it is printable or UTF-8. */
static void test_every_byte(void **state)
{
	for (int b = 0; b < 256; b++) {
		char in[2] = { (char)b, 0 };
		struct sbuf got = SBUF_INIT;
		int printable = b >= 0x20 && b < 0x7f;

		quote_escape(&got, in, 1);
		assert_int_equal(quote_needed(in, 1), !printable);
		if (printable) {
			assert_int_equal(got.len, 1);
		} else {
			assert_int_equal(got.buf[0], '\\');
			for (size_t i = 0; i < got.len; i++)
				assert_true(got.buf[i] >= 0x20 &&
					    got.buf[i] < 0x7f);
		}
		sbuf_release(&got);
	}
}

/* quote_shown() starts afresh each time. */
static void test_shown(void **state)
{
	struct sbuf sb = SBUF_INIT;

	assert_string_equal(quote_shown(&sb, "a\x1b[2J"), "a\\033[2J");
	assert_string_equal(quote_shown(&sb, "b"), "b");
	sbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
