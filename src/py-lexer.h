/* py-lexer.h - a Python tokenizer over an untrusted byte buffer, for feature-map and its callers.
 * Tokens carry their byte span, line, column, bracket depth and logical-line start. */
#ifndef COVOPT_PY_LEXER_H
#define COVOPT_PY_LEXER_H

#include <stddef.h>
#include <stdint.h>

/*
 * Contract:
 * - buf holds len arbitrary bytes and need not be NUL-terminated; the lexer
 *   never reads outside buf[0..len), never fails and never loops: every
 *   token but the last two (an empty NEWLINE when the last logical line
 *   has no line end, then ENDMARKER) holds at least one byte, and the
 *   whole scan is O(len). len must be below 4 GiB.
 * - A line ends at "\n", "\r\n" or a lone "\r" (as Python's universal
 *   newlines read sources); lines are numbered from 1.
 * - f-strings (and t-strings) follow Python 3.12: a replacement field may
 *   span lines and hold strings with the same quote; fields nest up to 64
 *   frames deep, deeper '{' and quotes are text.
 * - Malformed code never stops it: a line end inside a one-line string
 *   (nested ones too) ends the token there, an unterminated triple-quoted
 *   string (or one left open inside an f-string replacement field) ends at
 *   the end of the buffer, unclosed brackets stay open, a byte that starts
 *   no token is a one-byte ERROR.
 * - struct py_lexer is private state; tokens point into buf.
 */

enum py_token_kind {
	PY_TOK_ENDMARKER,	/* end of the buffer, returned once */
	PY_TOK_NAME,		/* identifier or keyword; bytes >= 0x80 count as letters */
	PY_TOK_NUMBER,
	PY_TOK_STRING,		/* whole literal: prefix, quotes, f-string fields */
	PY_TOK_OP,		/* operator or delimiter, longest match */
	PY_TOK_NEWLINE,		/* end of a logical line (len 0 at the end of the buffer) */
	PY_TOK_NL,		/* line end inside brackets or of a blank/comment line */
	PY_TOK_COMMENT,		/* from '#' to the line end (exclusive) */
	PY_TOK_ERROR,		/* one byte that starts no token */
};

enum py_token_flag {
	PY_TOK_LOGICAL = 1 << 0,	/* first token of a logical line */
	PY_TOK_UNTERMINATED = 1 << 1,	/* STRING: its closing quote is missing */
	PY_TOK_OPEN = 1 << 2,		/* STRING: the buffer ends inside it */
};

struct py_token {
	enum py_token_kind kind;
	unsigned flags;		/* enum py_token_flag */
	size_t off, len;	/* the token is buf[off .. off + len) */
	uint32_t line;		/* line of its first byte */
	uint32_t end_line;	/* line of its last byte (line when len is 0) */
	uint32_t col;		/* byte offset of off in its line, from 0 */
	/*
	 * Brackets open around the token: an opening bracket and its closing
	 * bracket get the same depth, that of the code outside them.
	 */
	uint32_t depth;
	/* PY_TOK_LOGICAL only: indentation column of its line (tabs to 8) */
	uint32_t indent;
};

struct py_lexer {
	const char *buf;
	size_t len, pos;
	size_t line_pos;	/* bytes before this are counted in line */
	size_t line_start;	/* offset of the current line's first byte */
	uint32_t line;
	uint32_t depth;
	int in_logical;		/* a token was returned since the last NEWLINE */
	int done;
};

void py_lexer_init(struct py_lexer *lx, const char *buf, size_t len);

/* Fill tok with the next token and return 1; return 0 after ENDMARKER. */
int py_lexer_next(struct py_lexer *lx, struct py_token *tok);

/*
 * The line that starts at pos: returns the offset of its line ending (or
 * len), and sets *next to the offset of the following line.
 */
size_t py_line_end(const char *buf, size_t len, size_t pos, size_t *next);

/*
 * Indentation at buf[pos..end): sets *col to its column as Python counts
 * it (tab to the next multiple of 8, form feed back to 0) and returns its
 * length in bytes.
 */
size_t py_indent(const char *buf, size_t end, size_t pos, uint32_t *col);

#endif
