/* py-lexer.c - a Python tokenizer over an untrusted byte buffer, for feature-map and its callers.
 * Strings (f-strings with nested fields too) are scanned with a bounded stack, never recursion. */
#include <stddef.h>
#include <string.h>
#include "py-lexer.h"
#include "banned.h"

/* Frames of strings and fields in one string token; deeper '{' and quotes are text. */
#define STRING_NEST_MAX 64

static int is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Length of the line ending at buf[i] ("\r\n" is 2), 0 if there is none. */
static size_t newline_len(const char *buf, size_t len, size_t i)
{
	if (i >= len)
		return 0;
	if (buf[i] == '\n')
		return 1;
	if (buf[i] != '\r')
		return 0;
	return i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
}

size_t py_line_end(const char *buf, size_t len, size_t pos, size_t *next)
{
	size_t i = pos;

	while (i < len && buf[i] != '\n' && buf[i] != '\r')
		i++;
	*next = i + newline_len(buf, len, i);
	return i;
}

size_t py_indent(const char *buf, size_t end, size_t pos, uint32_t *col)
{
	size_t i = pos;
	uint32_t c = 0;

	for (; i < end; i++) {
		if (buf[i] == ' ')
			c++;
		else if (buf[i] == '\t')
			c = (c / 8 + 1) * 8;
		else if (buf[i] == '\f')
			c = 0;
		else
			break;
	}
	*col = c;
	return i - pos;
}

/* ---- line numbers ------------------------------------------------------- */

/* Count the line ends before pos (positions only move forward). */
static void sync_line(struct py_lexer *lx, size_t pos)
{
	const char *buf = lx->buf;

	if (pos > lx->len)
		pos = lx->len;
	for (size_t i = lx->line_pos; i < pos; i++) {
		if (buf[i] == '\n' ||
		    (buf[i] == '\r' && (i + 1 >= lx->len || buf[i + 1] != '\n'))) {
			lx->line++;
			lx->line_start = i + 1;
		}
	}
	if (pos > lx->line_pos)
		lx->line_pos = pos;
}

/* ---- strings ------------------------------------------------------------ */

/*
 * A string scan keeps a stack of frames: a string (in its literal text), or
 * a replacement field "{...}" of the f-string below it, either in its
 * expression or in its format spec (after a top-level ':').
 */
struct str_frame {
	unsigned char is_field;
	unsigned char quote, triple, is_f;	/* strings */
	unsigned char in_spec;			/* fields */
	uint32_t depth;				/* fields: brackets open */
	uint32_t str;				/* fields: index of their string */
};

struct str_scan {
	const char *buf;
	size_t len, i;
	struct str_frame st[STRING_NEST_MAX];
	uint32_t nr;
	unsigned flags;
};

/* 1 if buf[s..e) is a string prefix (r, b, u, f, t, and valid pairs). */
static int is_prefix(const char *buf, size_t s, size_t e, int *is_f)
{
	int r = 0, other = 0, u = 0;

	*is_f = 0;
	if (e - s > 2)
		return 0;
	for (size_t i = s; i < e; i++) {
		switch (buf[i] | 0x20) {
		case 'r':
			r++;
			break;
		case 'f':
		case 't':
			*is_f = 1;
			/* fall through */
		case 'b':
			other++;
			break;
		case 'u':
			u++;
			break;
		default:
			return 0;
		}
	}
	return r <= 1 && other <= 1 && (!u || e - s == 1);
}

/* Open a string whose quote is at s->i; 0 when the stack is full. */
static int push_string(struct str_scan *s, int is_f)
{
	struct str_frame *f;
	unsigned char q = (unsigned char)s->buf[s->i];

	if (s->nr >= STRING_NEST_MAX)
		return 0;
	f = &s->st[s->nr++];
	memset(f, 0, sizeof(*f));
	f->quote = q;
	f->is_f = (unsigned char)is_f;
	f->triple = s->i + 2 < s->len && s->buf[s->i + 1] == (char)q &&
		    s->buf[s->i + 2] == (char)q;
	s->i += f->triple ? 3 : 1;
	return 1;
}

static void push_field(struct str_scan *s, uint32_t str)
{
	struct str_frame *f;

	if (s->nr >= STRING_NEST_MAX) {
		s->i++;		/* too deep: the '{' stays literal text */
		return;
	}
	f = &s->st[s->nr++];
	memset(f, 0, sizeof(*f));
	f->is_field = 1;
	f->str = str;
	s->i++;
}

/* Skip a backslash and the byte (or line end) it escapes. */
static void skip_escape(struct str_scan *s)
{
	size_t nl = newline_len(s->buf, s->len, s->i + 1);

	s->i += 1 + (nl ? nl : (s->i + 1 < s->len));
}

/* One step in literal text: of the string, or of a field's format spec. */
static void literal_step(struct str_scan *s)
{
	struct str_frame *top = &s->st[s->nr - 1];
	uint32_t si = top->is_field ? top->str : s->nr - 1;
	const struct str_frame *str = &s->st[si];
	const char *buf = s->buf;
	unsigned char c = (unsigned char)buf[s->i];

	if (c == '\\') {
		skip_escape(s);
	} else if (c == '\n' || c == '\r') {
		if (!str->triple) {
			s->flags |= PY_TOK_UNTERMINATED;
			s->nr = 0;	/* the line end closes them all */
			return;
		}
		s->i++;
	} else if (c == str->quote) {
		if (!str->triple) {
			s->nr = si;
			s->i++;
		} else if (s->i + 2 < s->len && buf[s->i + 1] == (char)c &&
			   buf[s->i + 2] == (char)c) {
			s->nr = si;
			s->i += 3;
		} else {
			s->i++;
		}
	} else if (str->is_f && c == '{') {
		if (!top->is_field && s->i + 1 < s->len && buf[s->i + 1] == '{')
			s->i += 2;
		else
			push_field(s, si);
	} else if (str->is_f && c == '}' && top->is_field) {
		s->nr--;
		s->i++;
	} else if (str->is_f && c == '}' && s->i + 1 < s->len &&
		   buf[s->i + 1] == '}') {
		s->i += 2;
	} else {
		s->i++;
	}
}

/* A name in a field's expression; it may be the prefix of a string. */
static void field_name(struct str_scan *s)
{
	size_t e = s->i;
	int is_f;

	while (e < s->len && is_name_char((unsigned char)s->buf[e]))
		e++;
	if (e < s->len && (s->buf[e] == '"' || s->buf[e] == '\'') &&
	    is_prefix(s->buf, s->i, e, &is_f)) {
		s->i = e;
		if (!push_string(s, is_f))
			s->i++;
		return;
	}
	s->i = e;
}

/* One step in a replacement field's expression. */
static void expr_step(struct str_scan *s)
{
	struct str_frame *f = &s->st[s->nr - 1];
	unsigned char c = (unsigned char)s->buf[s->i];

	switch (c) {
	case '"':
	case '\'':
		if (!push_string(s, 0))
			s->i++;
		return;
	case '(': case '[': case '{':
		f->depth++;
		break;
	case ')': case ']':
		if (f->depth)
			f->depth--;
		break;
	case '}':
		if (!f->depth) {
			s->nr--;
			s->i++;
			return;
		}
		f->depth--;
		break;
	case ':':
		if (!f->depth)
			f->in_spec = 1;
		break;
	case '#':
		while (s->i < s->len && s->buf[s->i] != '\n' &&
		       s->buf[s->i] != '\r')
			s->i++;
		return;
	case '\\':
		skip_escape(s);
		return;
	default:
		if (is_name_start(c)) {
			field_name(s);
			return;
		}
	}
	s->i++;
}

/* Scan the string whose quote is at buf[i]; returns its end. */
static size_t scan_string(const char *buf, size_t len, size_t i, int is_f,
			  unsigned *flags)
{
	struct str_scan s;	/* frames are set when pushed */

	s.buf = buf;
	s.len = len;
	s.i = i;
	s.nr = 0;
	s.flags = 0;
	push_string(&s, is_f);
	while (s.nr) {
		const struct str_frame *top = &s.st[s.nr - 1];

		if (s.i >= len) {
			const struct str_frame *str =
				top->is_field ? &s.st[top->str] : top;

			s.flags |= PY_TOK_UNTERMINATED;
			if (str->triple || top->is_field || s.nr > 1)
				s.flags |= PY_TOK_OPEN;
			break;
		}
		if (top->is_field && !top->in_spec)
			expr_step(&s);
		else
			literal_step(&s);
	}
	*flags |= s.flags;
	return s.i < len ? s.i : len;
}

/* ---- other tokens ------------------------------------------------------- */

static size_t scan_number(const char *buf, size_t len, size_t i)
{
	int hex = i + 1 < len && buf[i] == '0' && (buf[i + 1] | 0x20) == 'x';

	while (i < len) {
		unsigned char c = (unsigned char)buf[i];

		if (is_name_char(c) || c == '.') {
			i++;
			if (!hex && (c | 0x20) == 'e' && i < len &&
			    (buf[i] == '+' || buf[i] == '-'))
				i++;
		} else {
			break;
		}
	}
	return i;
}

static size_t op_len(const char *buf, size_t len, size_t i)
{
	static const char *const ops3[] = { "**=", "//=", ">>=", "<<=", "..." };
	static const char *const ops2[] = {
		"->", ":=", "==", "!=", "<=", ">=", "**", "//", "<<", ">>",
		"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "<>",
	};

	/* the most common operators never start a longer one */
	if (buf[i] && strchr("()[]{},;~", buf[i]))
		return 1;
	for (size_t k = 0; k < sizeof(ops3) / sizeof(*ops3); k++)
		if (i + 3 <= len && !memcmp(buf + i, ops3[k], 3))
			return 3;
	for (size_t k = 0; k < sizeof(ops2) / sizeof(*ops2); k++)
		if (i + 2 <= len && !memcmp(buf + i, ops2[k], 2))
			return 2;
	return strchr("()[]{}:,;.+-*/%&|^~<>=@!", buf[i]) && buf[i] ? 1 : 0;
}

/* An operator at lx->pos: its length, with the bracket depth updated. */
static size_t scan_op(struct py_lexer *lx, struct py_token *tok)
{
	char c = lx->buf[lx->pos];
	size_t n = op_len(lx->buf, lx->len, lx->pos);

	tok->depth = lx->depth;
	if (n != 1)
		return n;
	if (c == '(' || c == '[' || c == '{') {
		lx->depth++;
	} else if ((c == ')' || c == ']' || c == '}') && lx->depth) {
		lx->depth--;
		tok->depth = lx->depth;
	}
	return 1;
}

/* The kind and length of the token at lx->pos (not a line end). */
static size_t scan_token(struct py_lexer *lx, struct py_token *tok)
{
	const char *buf = lx->buf;
	size_t len = lx->len, i = lx->pos, n;
	unsigned char c = (unsigned char)buf[i];
	int is_f = 0;

	tok->depth = lx->depth;
	if (c == '#') {
		tok->kind = PY_TOK_COMMENT;
		while (i < len && buf[i] != '\n' && buf[i] != '\r')
			i++;
		return i - lx->pos;
	}
	if (c == '"' || c == '\'') {
		tok->kind = PY_TOK_STRING;
		return scan_string(buf, len, i, 0, &tok->flags) - lx->pos;
	}
	if (is_digit(c) ||
	    (c == '.' && i + 1 < len && is_digit((unsigned char)buf[i + 1]))) {
		tok->kind = PY_TOK_NUMBER;
		return scan_number(buf, len, i) - lx->pos;
	}
	if (is_name_start(c)) {
		while (i < len && is_name_char((unsigned char)buf[i]))
			i++;
		if (i < len && (buf[i] == '"' || buf[i] == '\'') &&
		    is_prefix(buf, lx->pos, i, &is_f)) {
			tok->kind = PY_TOK_STRING;
			return scan_string(buf, len, i, is_f, &tok->flags) -
			       lx->pos;
		}
		tok->kind = PY_TOK_NAME;
		return i - lx->pos;
	}
	n = scan_op(lx, tok);
	tok->kind = n ? PY_TOK_OP : PY_TOK_ERROR;
	return n ? n : 1;
}

/* ---- the token loop ----------------------------------------------------- */

void py_lexer_init(struct py_lexer *lx, const char *buf, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->buf = buf;
	lx->len = buf ? len : 0;
	lx->line = 1;
}

/* Skip blanks and backslash-newline continuations. */
static void skip_blanks(struct py_lexer *lx)
{
	while (lx->pos < lx->len) {
		size_t nl;

		if (is_space((unsigned char)lx->buf[lx->pos])) {
			lx->pos++;
			continue;
		}
		nl = newline_len(lx->buf, lx->len, lx->pos + 1);
		if (lx->buf[lx->pos] != '\\' || !nl)
			break;
		lx->pos += 1 + nl;
	}
}

static void finish_token(struct py_lexer *lx, struct py_token *tok,
			 size_t off, size_t n)
{
	tok->off = off;
	tok->len = n;
	sync_line(lx, off);
	tok->line = lx->line;
	tok->col = (uint32_t)(off - lx->line_start);
	if (n)
		sync_line(lx, off + n - 1);
	tok->end_line = lx->line;
	lx->pos = off + n;
}

int py_lexer_next(struct py_lexer *lx, struct py_token *tok)
{
	size_t nl, n;

	if (lx->done)
		return 0;
	memset(tok, 0, sizeof(*tok));
	skip_blanks(lx);
	if (lx->pos >= lx->len) {
		tok->kind = lx->in_logical ? PY_TOK_NEWLINE : PY_TOK_ENDMARKER;
		lx->done = !lx->in_logical;
		lx->in_logical = 0;
		finish_token(lx, tok, lx->len, 0);
		return 1;
	}
	nl = newline_len(lx->buf, lx->len, lx->pos);
	if (nl) {
		tok->kind = lx->in_logical && !lx->depth ? PY_TOK_NEWLINE :
							   PY_TOK_NL;
		if (tok->kind == PY_TOK_NEWLINE)
			lx->in_logical = 0;
		tok->depth = lx->depth;
		finish_token(lx, tok, lx->pos, nl);
		return 1;
	}
	n = scan_token(lx, tok);
	if (tok->kind != PY_TOK_COMMENT && !lx->in_logical) {
		tok->flags |= PY_TOK_LOGICAL;
		lx->in_logical = 1;
	}
	finish_token(lx, tok, lx->pos, n);
	if (tok->flags & PY_TOK_LOGICAL)
		py_indent(lx->buf, tok->off, tok->off - tok->col, &tok->indent);
	return 1;
}
