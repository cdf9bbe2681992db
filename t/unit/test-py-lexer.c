/* test-py-lexer.c - unit tests for the Python tokenizer.
 * Token streams with positions; truncated, random and unterminated input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "py-lexer.h"

static const char *const kind_names[] = {
	"END", "NAME", "NUM", "STR", "OP", "NEWLINE", "NL", "COMMENT", "ERR",
};

/*
 * Render the tokens of src as "KIND:text@line.col" joined by spaces, with
 * line ends shown as \n or \r; a token gets "+L" when it starts a logical
 * line (indentation column L), "~" when unterminated, "^" when open,
 * "-E" when it ends on line E, and "/D" when it is an OP at depth D > 0.
 */
static char *render(const char *src, size_t len)
{
	static char out[4096];
	struct py_lexer lx;
	struct py_token t;
	size_t o = 0;

	py_lexer_init(&lx, src, len);
	out[0] = '\0';
	while (py_lexer_next(&lx, &t)) {
		char text[256];
		size_t n = 0;

		for (size_t i = 0; i < t.len && n + 3 < sizeof(text); i++) {
			char c = src[t.off + i];

			if (c == '\n' || c == '\r') {
				text[n++] = '\\';
				text[n++] = c == '\n' ? 'n' : 'r';
			} else {
				text[n++] = c;
			}
		}
		text[n] = '\0';
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s:%s@%u.%u",
				      o ? " " : "", kind_names[t.kind], text,
				      t.line, t.col);
		if (t.flags & PY_TOK_LOGICAL)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "+%u",
					      t.indent);
		if (t.flags & PY_TOK_UNTERMINATED)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "~");
		if (t.flags & PY_TOK_OPEN)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "^");
		if (t.end_line != t.line)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "-%u",
					      t.end_line);
		if (t.kind == PY_TOK_OP && t.depth)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "/%u",
					      t.depth);
		assert_true(o < sizeof(out));
	}
	return out;
}

struct lex_case {
	const char *title;
	const char *src;
	const char *want;
};

static const struct lex_case lex_cases[] = {
	{ "assignment", "x = 1\n",
	  "NAME:x@1.0+0 OP:=@1.2 NUM:1@1.4 NEWLINE:\\n@1.5 END:@2.0" },
	{ "no final line end", "x",
	  "NAME:x@1.0+0 NEWLINE:@1.1 END:@1.1" },
	{ "empty", "", "END:@1.0" },
	{ "def with tab indentation", "def f():\n\tpass\n",
	  "NAME:def@1.0+0 NAME:f@1.4 OP:(@1.5 OP:)@1.6 OP::@1.7 "
	  "NEWLINE:\\n@1.8 NAME:pass@2.1+8 NEWLINE:\\n@2.5 END:@3.0" },
	{ "spaces then a tab, form feed", "  \tx\n\f  y\n",
	  "NAME:x@1.3+8 NEWLINE:\\n@1.4 NAME:y@2.3+2 NEWLINE:\\n@2.4 END:@3.0" },
	{ "lone CR line ends", "a\rb\r",
	  "NAME:a@1.0+0 NEWLINE:\\r@1.1 NAME:b@2.0+0 NEWLINE:\\r@2.1 END:@3.0" },
	{ "CRLF line ends", "a\r\n\r\nb\r\n",
	  "NAME:a@1.0+0 NEWLINE:\\r\\n@1.1 NL:\\r\\n@2.0 NAME:b@3.0+0 "
	  "NEWLINE:\\r\\n@3.1 END:@4.0" },
	{ "mixed line ends", "a\n\rb\r\r\nc",
	  "NAME:a@1.0+0 NEWLINE:\\n@1.1 NL:\\r@2.0 NAME:b@3.0+0 "
	  "NEWLINE:\\r@3.1 NL:\\r\\n@4.0 NAME:c@5.0+0 NEWLINE:@5.1 END:@5.1" },
	{ "backslash continuation", "x = 1 + \\\n  2\ny\n",
	  "NAME:x@1.0+0 OP:=@1.2 NUM:1@1.4 OP:+@1.6 NUM:2@2.2 "
	  "NEWLINE:\\n@2.3 NAME:y@3.0+0 NEWLINE:\\n@3.1 END:@4.0" },
	{ "backslash continuation with lone CR", "x = \\\r2\r",
	  "NAME:x@1.0+0 OP:=@1.2 NUM:2@2.0 NEWLINE:\\r@2.1 END:@3.0" },
	{ "backslash before other text is an error", "a \\ b\n",
	  "NAME:a@1.0+0 ERR:\\@1.2 NAME:b@1.4 NEWLINE:\\n@1.5 END:@2.0" },
	{ "brackets: depth, NL inside", "f(a[1],\n  {b})\n",
	  "NAME:f@1.0+0 OP:(@1.1 NAME:a@1.2 OP:[@1.3/1 NUM:1@1.4 "
	  "OP:]@1.5/1 OP:,@1.6/1 NL:\\n@1.7 OP:{@2.2/1 NAME:b@2.3 "
	  "OP:}@2.4/1 OP:)@2.5 NEWLINE:\\n@2.6 END:@3.0" },
	{ "unbalanced closing bracket", ") x\n",
	  "OP:)@1.0+0 NAME:x@1.2 NEWLINE:\\n@1.3 END:@2.0" },
	{ "comments and blank lines", "# c\n\nx # d\n",
	  "COMMENT:# c@1.0 NL:\\n@1.3 NL:\\n@2.0 NAME:x@3.0+0 "
	  "COMMENT:# d@3.2 NEWLINE:\\n@3.5 END:@4.0" },
	{ "string prefixes", "rb'a' F\"b\" u'c' ur'd' xy'e'\n",
	  "STR:rb'a'@1.0+0 STR:F\"b\"@1.6 STR:u'c'@1.11 NAME:ur@1.16 "
	  "STR:'d'@1.18 NAME:xy@1.22 STR:'e'@1.24 NEWLINE:\\n@1.27 END:@2.0" },
	{ "triple quotes over lines", "s = '''a\n'b'\n''' + \"\"\n",
	  "NAME:s@1.0+0 OP:=@1.2 STR:'''a\\n'b'\\n'''@1.4-3 OP:+@3.4 "
	  "STR:\"\"@3.6 NEWLINE:\\n@3.8 END:@4.0" },
	{ "escapes and escaped line end", "'a\\'b' 'c\\\nd'\n",
	  "STR:'a\\'b'@1.0+0 STR:'c\\\\nd'@1.7-2 NEWLINE:\\n@2.2 END:@3.0" },
	{ "unterminated one-line string", "'abc\nx\n",
	  "STR:'abc@1.0+0~ NEWLINE:\\n@1.4 NAME:x@2.0+0 NEWLINE:\\n@2.1 "
	  "END:@3.0" },
	{ "unterminated string at the end", "'ab",
	  "STR:'ab@1.0+0~ NEWLINE:@1.3 END:@1.3" },
	{ "unterminated triple-quoted string", "\"\"\"abc\n\n",
	  "STR:\"\"\"abc\\n\\n@1.0+0~^-2 NEWLINE:@3.0 END:@3.0" },
	{ "f-string fields", "f'{a!r:>{w}} {{x}} {b[\"k\"]:%H:%M}'\n",
	  "STR:f'{a!r:>{w}} {{x}} {b[\"k\"]:%H:%M}'@1.0+0 "
	  "NEWLINE:\\n@1.34 END:@2.0" },
	{ "Python 3.12 f-string: field over lines, same quotes",
	  "f\"{\n  d[\"k\"]  # c\n}\" + y\n",
	  "STR:f\"{\\n  d[\"k\"]  # c\\n}\"@1.0+0-3 OP:+@3.3 NAME:y@3.5 "
	  "NEWLINE:\\n@3.6 END:@4.0" },
	{ "nested f-strings", "f'{f'{x:{f\"{y}\"}}'}' z\n",
	  "STR:f'{f'{x:{f\"{y}\"}}'}'@1.0+0 NAME:z@1.21 "
	  "NEWLINE:\\n@1.22 END:@2.0" },
	{ "a quote in a format spec ends the string", "f'{x:'y\n",
	  "STR:f'{x:'@1.0+0 NAME:y@1.6 NEWLINE:\\n@1.7 END:@2.0" },
	{ "plain string braces are text", "'{' b'}'\n",
	  "STR:'{'@1.0+0 STR:b'}'@1.4 NEWLINE:\\n@1.8 END:@2.0" },
	{ "unterminated f-string field", "f'{x\ny\n",
	  "STR:f'{x\\ny\\n@1.0+0~^-2 NEWLINE:@3.0 END:@3.0" },
	{ "numbers", "1e-5 0x1E+1 .5 1_000j 1.e3\n",
	  "NUM:1e-5@1.0+0 NUM:0x1E@1.5 OP:+@1.9 NUM:1@1.10 NUM:.5@1.12 "
	  "NUM:1_000j@1.15 NUM:1.e3@1.22 NEWLINE:\\n@1.26 END:@2.0" },
	{ "operators, longest match", "a **= b -> ... := != @\n",
	  "NAME:a@1.0+0 OP:**=@1.2 NAME:b@1.6 OP:->@1.8 OP:...@1.11 "
	  "OP::=@1.15 OP:!=@1.18 OP:@@1.21 NEWLINE:\\n@1.22 END:@2.0" },
	{ "odd bytes", "$?\x01 \xc3\xa9t\xc3\xa9\n",
	  "ERR:$@1.0+0 ERR:?@1.1 ERR:\x01@1.2 NAME:\xc3\xa9t\xc3\xa9@1.4 "
	  "NEWLINE:\\n@1.9 END:@2.0" },
	{ "dedent after a docstring", "class A:\n    \"\"\"d\n    \"\"\"\nx\n",
	  "NAME:class@1.0+0 NAME:A@1.6 OP::@1.7 NEWLINE:\\n@1.8 "
	  "STR:\"\"\"d\\n    \"\"\"@2.4+4-3 NEWLINE:\\n@3.7 NAME:x@4.0+0 "
	  "NEWLINE:\\n@4.1 END:@5.0" },
};

static void test_token_streams(void **state)
{
	int failed = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(lex_cases) / sizeof(*lex_cases); i++) {
		const struct lex_case *c = &lex_cases[i];
		const char *got = render(c->src, strlen(c->src));

		if (strcmp(got, c->want)) {
			print_error("%s:\n got: %s\nwant: %s\n", c->title, got,
				    c->want);
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void test_line_helpers(void **state)
{
	const char *s = "a\r\nbc\rd\n\te";
	size_t next, end;
	uint32_t col;

	(void)state;
	end = py_line_end(s, strlen(s), 0, &next);
	assert_int_equal(end, 1);
	assert_int_equal(next, 3);
	end = py_line_end(s, strlen(s), 3, &next);
	assert_int_equal(end, 5);
	assert_int_equal(next, 6);
	end = py_line_end(s, strlen(s), 8, &next);
	assert_int_equal(end, 10);
	assert_int_equal(next, 10);
	assert_int_equal(py_indent(s, 10, 8, &col), 1);
	assert_int_equal(col, 8);
	assert_int_equal(py_indent(" \t \f  x", 7, 0, &col), 6);
	assert_int_equal(col, 2);
	assert_int_equal(py_indent("   ", 2, 0, &col), 2);
	assert_int_equal(col, 2);
}

/*
 * Lex buf[0..len) (its own allocation, so that tools see any overread)
 * and check what holds for every input: tokens in order and inside the
 * buffer, lines counted right, progress, one ENDMARKER at the end.
 */
static void lex_checked(const char *src, size_t len)
{
	char *buf = malloc(len ? len : 1);
	struct py_lexer lx;
	struct py_token t;
	size_t prev_end = 0, tokens = 0, lines = 1;
	int ended = 0;

	assert_non_null(buf);
	memcpy(buf, src, len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n' ||
		    (buf[i] == '\r' && (i + 1 == len || buf[i + 1] != '\n')))
			lines++;
	py_lexer_init(&lx, buf, len);
	while (py_lexer_next(&lx, &t)) {
		assert_false(ended);
		assert_true(t.off >= prev_end);
		assert_true(t.off + t.len <= len);
		assert_true(t.line >= 1 && t.line <= t.end_line);
		assert_true(t.end_line <= lines);
		assert_true(t.len || t.kind == PY_TOK_NEWLINE ||
			    t.kind == PY_TOK_ENDMARKER);
		assert_true(++tokens <= 2 * len + 2);
		ended = t.kind == PY_TOK_ENDMARKER;
		prev_end = t.off + t.len;
	}
	assert_true(ended);
	assert_int_equal(py_lexer_next(&lx, &t), 0);
	free(buf);
}

static const char rich_source[] =
	"import os, a.b as c\r\n"
	"from ..x import (y,\n  z)\n"
	"@dec(\"\\\"\", '''\n''')\n"
	"class A(B, metaclass=M):\r"
	"    s = rb'\\x' f\"{x!r:>{w}}{{ }}\" u'''\n\t'''\n"
	"    t = f'{\n  d[\"k\"]:{f\"{1}\"} # c\n}' \\\n"
	"        + 1e-5j\n"
	"    async def m(self, *a, **k) -> None: ...  # note\n"
	"\f\tif x := 0x1F: return [i for i in (1, 2)]\n"
	"$ \x00 \xff\xfe 'unterminated\n"
	"\"\"\"open\n";

static void test_truncated(void **state)
{
	(void)state;
	for (size_t n = 0; n <= sizeof(rich_source) - 1; n++)
		lex_checked(rich_source, n);
}

static void test_random(void **state)
{
	static const char alphabet[] = "\"'\\{}()[]:#\n\r\t fFrb=x.@\x80";
	char buf[64];
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n = (size_t)(round % (int)sizeof(buf));

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (seed >> 24) & 1 ?
					 alphabet[(seed >> 16) %
						  (sizeof(alphabet) - 1)] :
					 (char)(seed >> 16);
		}
		lex_checked(buf, n);
	}
}

static void test_deep_nesting(void **state)
{
	size_t n = 4000, o = 0;
	char *buf = malloc(n * 4 + 8);

	(void)state;
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		buf[o++] = 'f';
		buf[o++] = i % 2 ? '"' : '\'';
		buf[o++] = '{';
	}
	lex_checked(buf, o);
	memset(buf, '(', n);
	lex_checked(buf, n);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_streams),
		cmocka_unit_test(test_line_helpers),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_deep_nesting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
