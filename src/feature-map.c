/* feature-map.c - split a source file into functions, classes and module level.
 * A byte scan records each line's state; a line walk finds blocks by indent. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "feature-map.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Longer feature names are cut, longer import names dropped. */
#define FEATURE_NAME_CAP 1024
#define IMPORT_NAME_CAP 1024

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* owner value of lines whose owner is not known yet (decorators) */
#define OWNER_DEFER UINT32_MAX

/* ---- hashing ------------------------------------------------------------ */

static uint64_t fnv_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_add_u32(uint64_t h, uint32_t v)
{
	unsigned char b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
			       v >> 24 };

	return fnv_add(h, b, sizeof(b));
}

/* ---- the line scanner --------------------------------------------------- */

enum line_flag {
	LN_LOGICAL = 1 << 0,	/* starts outside strings, brackets, `\` */
	LN_IN_STR = 1 << 1,	/* starts inside a multi-line string */
	LN_END_STR = 1 << 2,	/* ends inside a string */
	LN_CODE = 1 << 3,	/* not blank, not comment-only */
	LN_SEMI = 1 << 4,	/* has a ';' outside brackets */
	LN_COLON_BODY = 1 << 5,	/* has code after a ':' outside brackets */
};

/*
 * One physical line. end is where its code ends: before a trailing comment
 * and, unless the line ends inside a string, before trailing whitespace.
 * Offsets fit in 32 bits because sources are capped at 64 MiB.
 */
struct py_line {
	uint32_t off;
	uint32_t end;
	uint8_t flags;
};

struct scan_state {
	size_t depth;		/* open brackets */
	int in_str, triple, cont;
	char quote;
};

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static int is_ident(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static int is_newline_at(const char *buf, size_t len, size_t i)
{
	return i < len && (buf[i] == '\n' ||
			   (buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n'));
}

/* Step over the string byte at i; returns the next index. */
static size_t scan_string_byte(const char *buf, size_t len, size_t i,
			       struct scan_state *st, int *esc_nl)
{
	char c = buf[i];

	if (c == '\\') {
		if (i + 1 >= len || buf[i + 1] == '\n') {
			*esc_nl = 1;
			return i + 1;
		}
		if (is_newline_at(buf, len, i + 1)) {
			*esc_nl = 1;	/* stop on the '\n' of "\\\r\n" */
			return i + 2;
		}
		return i + 2;
	}
	if (c != st->quote)
		return i + 1;
	if (!st->triple) {
		st->in_str = 0;
		return i + 1;
	}
	if (i + 2 < len && buf[i + 1] == c && buf[i + 2] == c) {
		st->in_str = 0;
		return i + 3;
	}
	return i + 1;
}

/* Scan the line at pos into ln; returns the offset of the next line. */
static size_t scan_line(const char *buf, size_t len, size_t pos,
			struct scan_state *st, struct py_line *ln)
{
	size_t i = pos, eol, end, comment = len + 1;
	int esc_nl = 0, colon = 0, code = 0;
	uint8_t flags = 0;

	if (st->in_str)
		flags |= LN_IN_STR | LN_CODE;
	else if (!st->depth && !st->cont)
		flags |= LN_LOGICAL;
	st->cont = 0;
	while (i < len && buf[i] != '\n') {
		unsigned char c = buf[i];

		esc_nl = 0;
		if (st->in_str) {
			i = scan_string_byte(buf, len, i, st, &esc_nl);
			continue;
		}
		if (is_blank(c)) {
			i++;
			continue;
		}
		if (c == '#') {
			const char *nl = memchr(buf + i, '\n', len - i);

			comment = i;
			i = nl ? (size_t)(nl - buf) : len;
			break;
		}
		code = 1;
		if (colon && !st->depth)
			flags |= LN_COLON_BODY;
		switch (c) {
		case '"':
		case '\'':
			st->quote = c;
			st->triple = i + 2 < len && buf[i + 1] == c &&
				     buf[i + 2] == c;
			st->in_str = 1;
			i += st->triple ? 3 : 1;
			continue;
		case '(': case '[': case '{':
			st->depth++;
			break;
		case ')': case ']': case '}':
			if (st->depth)
				st->depth--;
			break;
		case ';':
			if (!st->depth)
				flags |= LN_SEMI;
			break;
		case ':':
			if (!st->depth && !(i + 1 < len && buf[i + 1] == '='))
				colon = 1;
			break;
		case '\\':
			if (is_newline_at(buf, len, i + 1))
				st->cont = 1;
			break;
		}
		i++;
	}
	if (i > len)
		i = len;
	eol = i;
	if (st->in_str && !st->triple && !esc_nl)
		st->in_str = 0;	/* unterminated one-line string */
	if (st->in_str)
		flags |= LN_END_STR;
	end = eol;
	if (end > pos && buf[end - 1] == '\r')
		end--;
	if (comment < end)
		end = comment;
	if (!(flags & LN_END_STR))
		while (end > pos && is_blank(buf[end - 1]))
			end--;
	if (code)
		flags |= LN_CODE;
	ln->off = (uint32_t)pos;
	ln->end = (uint32_t)end;
	ln->flags = flags;
	return eol < len ? eol + 1 : len;
}

/* Indentation of ln in columns (tabs to a multiple of 8); returns its bytes. */
static size_t line_indent(const char *buf, const struct py_line *ln,
			  uint32_t *col)
{
	size_t i = ln->off;
	uint32_t c = 0;

	for (; i < ln->end; i++) {
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
	return i - ln->off;
}

/* ---- the parser ---------------------------------------------------------- */

/* A feature while parsing, in file order; index 0 is "<module>". */
struct pfeat {
	char *name;
	enum feature_kind kind;
	uint32_t first, last;
	uint32_t base_col;		/* indentation of its def/class line */
	uint32_t base_off, base_len;	/* the same, as bytes */
	uint64_t hash;
};

struct block {
	uint32_t feat;
	uint32_t col;
	int is_func;
};

struct fm_parser {
	const char *buf;
	size_t len;
	struct py_line *lines;
	size_t lines_nr, lines_alloc;
	struct pfeat *feat;
	size_t feat_nr, feat_alloc;
	struct block *stack;
	size_t stack_nr, stack_alloc;
	uint32_t *owner;	/* 1-based, by creation index */
	uint32_t pending;	/* first line without an owner */
	uint32_t last_code;	/* last code line seen */
	uint32_t dec_start;	/* first line of pending decorators, or 0 */
	uint32_t dec_col;
	uint32_t cur;		/* owner of the current logical line */
	struct strlist *imports;
	struct sbuf mod, full;
};

enum stmt_kind { STMT_OTHER, STMT_DECORATOR, STMT_DEF, STMT_CLASS };

static void scan_lines(struct fm_parser *p)
{
	struct scan_state st = { 0 };
	size_t pos = 0;

	while (pos < p->len) {
		ALLOC_GROW(p->lines, p->lines_nr + 1, p->lines_alloc);
		pos = scan_line(p->buf, p->len, pos, &st,
				&p->lines[p->lines_nr++]);
	}
}

static void assign(struct fm_parser *p, uint32_t upto, uint32_t owner)
{
	for (uint32_t l = p->pending; l <= upto; l++)
		p->owner[l] = owner;
	if (upto >= p->pending)
		p->pending = upto + 1;
}

static uint32_t scope(const struct fm_parser *p)
{
	return p->stack_nr ? p->stack[p->stack_nr - 1].feat : 0;
}

static int in_function(const struct fm_parser *p)
{
	return p->stack_nr && p->stack[p->stack_nr - 1].is_func;
}

static void pop_blocks(struct fm_parser *p, uint32_t col)
{
	while (p->stack_nr && p->stack[p->stack_nr - 1].col >= col) {
		p->feat[p->stack[p->stack_nr - 1].feat].last = p->last_code;
		p->stack_nr--;
	}
}

/* Decorators not followed by a def/class belong to the scope they are in. */
static void orphan_decorators(struct fm_parser *p)
{
	assign(p, p->last_code, scope(p));
	p->dec_start = 0;
}

static int has_word(const char *s, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - s) > n && !memcmp(s, word, n) &&
	       (s[n] == ' ' || s[n] == '\t' || s[n] == '\f');
}

static const char *skip_blanks(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\f'))
		s++;
	return s;
}

/* What the logical line starting at s is; for def/class, its name. */
static enum stmt_kind classify(const char *s, const char *e,
			       const char **name, size_t *name_len)
{
	enum stmt_kind kind;
	const char *n;

	if (s < e && *s == '@')
		return STMT_DECORATOR;
	if (has_word(s, e, "async")) {
		s = skip_blanks(s + 5, e);
		if (!has_word(s, e, "def"))
			return STMT_OTHER;
		kind = STMT_DEF;
		s += 3;
	} else if (has_word(s, e, "def")) {
		kind = STMT_DEF;
		s += 3;
	} else if (has_word(s, e, "class")) {
		kind = STMT_CLASS;
		s += 5;
	} else {
		return STMT_OTHER;
	}
	s = skip_blanks(s, e);
	for (n = s; n < e && is_ident(*n); n++)
		;
	if (n == s)
		return STMT_OTHER;
	*name = s;
	*name_len = (size_t)(n - s);
	return kind;
}

static uint32_t add_feature(struct fm_parser *p, char *name,
			    enum feature_kind kind, uint32_t first,
			    uint32_t hdr)
{
	struct pfeat *f;

	ALLOC_GROW(p->feat, p->feat_nr + 1, p->feat_alloc);
	f = &p->feat[p->feat_nr];
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->kind = kind;
	f->first = first;
	f->last = hdr;
	f->hash = FNV_OFFSET;
	if (hdr) {
		const struct py_line *ln = &p->lines[hdr - 1];

		f->base_off = ln->off;
		f->base_len = (uint32_t)line_indent(p->buf, ln, &f->base_col);
	}
	return (uint32_t)p->feat_nr++;
}

static void open_block(struct fm_parser *p, uint32_t l, uint32_t col,
		       enum stmt_kind kind, const char *name, size_t name_len)
{
	struct sbuf sb = SBUF_INIT;
	uint32_t outer = scope(p), first = p->dec_start ? p->dec_start : l;
	uint32_t f;
	struct block *b;

	if (outer) {
		sbuf_addstr(&sb, p->feat[outer].name);
		sbuf_addch(&sb, '.');
	}
	sbuf_add(&sb, name, name_len);
	if (sb.len > FEATURE_NAME_CAP)
		sbuf_setlen(&sb, FEATURE_NAME_CAP);
	if (!p->dec_start)
		assign(p, l - 1, outer);
	f = add_feature(p, sbuf_detach(&sb, NULL),
			kind == STMT_CLASS ? FEATURE_CLASS : FEATURE_FUNCTION,
			first, l);
	ALLOC_GROW(p->stack, p->stack_nr + 1, p->stack_alloc);
	b = &p->stack[p->stack_nr++];
	b->feat = f;
	b->col = col;
	b->is_func = kind == STMT_DEF;
	assign(p, l, f);
	p->cur = f;
	p->dec_start = 0;
}

/* ---- imports ------------------------------------------------------------- */

enum tok_type { TOK_END, TOK_NAME, TOK_OP, TOK_STR };

struct tok {
	enum tok_type type;
	const char *s;
	size_t len;
	size_t depth;		/* brackets open before this token */
};

struct lexer {
	const char *p, *end;
	size_t depth;
	int peeked;
	struct tok peek;
};

static void lex_skip_string(struct lexer *lx)
{
	const char *p = lx->p, *end = lx->end;
	char q = *p;
	int triple = end - p > 2 && p[1] == q && p[2] == q;

	p += triple ? 3 : 1;
	while (p < end) {
		if (*p == '\\') {
			p += (end - p > 2 && p[1] == '\r' && p[2] == '\n') ?
				     3 : 2;
			continue;
		}
		if (*p == '\n' && !triple)
			break;
		if (*p == q) {
			if (!triple) {
				p++;
				break;
			}
			if (end - p > 2 && p[1] == q && p[2] == q) {
				p += 3;
				break;
			}
		}
		p++;
	}
	lx->p = p < end ? p : end;
}

static void lex_read(struct lexer *lx, struct tok *t)
{
	const char *end = lx->end;
	char c;

	for (;;) {
		while (lx->p < end && (is_blank(*lx->p) || *lx->p == '\n' ||
				       *lx->p == '\\'))
			lx->p++;
		if (lx->p >= end || *lx->p != '#')
			break;
		while (lx->p < end && *lx->p != '\n')
			lx->p++;
	}
	t->depth = lx->depth;
	t->s = lx->p;
	t->len = 0;
	if (lx->p >= end) {
		t->type = TOK_END;
		return;
	}
	c = *lx->p;
	if (is_ident(c)) {
		while (lx->p < end && is_ident(*lx->p))
			lx->p++;
		t->type = TOK_NAME;
	} else if (c == '"' || c == '\'') {
		lex_skip_string(lx);
		t->type = TOK_STR;
	} else {
		lx->p++;
		if (c == ':' && lx->p < end && *lx->p == '=')
			lx->p++;
		if (c == '(' || c == '[' || c == '{')
			lx->depth++;
		else if ((c == ')' || c == ']' || c == '}') && lx->depth)
			lx->depth--;
		t->type = TOK_OP;
	}
	t->len = (size_t)(lx->p - t->s);
}

static const struct tok *lex_peek(struct lexer *lx)
{
	if (!lx->peeked) {
		lex_read(lx, &lx->peek);
		lx->peeked = 1;
	}
	return &lx->peek;
}

static struct tok lex_next(struct lexer *lx)
{
	struct tok t = *lex_peek(lx);

	lx->peeked = 0;
	return t;
}

static int tok_is(const struct tok *t, enum tok_type type, const char *s)
{
	return t->type == type && t->len == strlen(s) && !memcmp(t->s, s, t->len);
}

static void add_import(struct fm_parser *p, const struct sbuf *name)
{
	if (name->len && name->len <= IMPORT_NAME_CAP)
		strlist_append(p->imports, name->buf);
}

/* Append a dotted name ("a.b.c") to sb; 0 if there is none. */
static int parse_dotted(struct lexer *lx, struct sbuf *sb)
{
	struct tok t;

	if (lex_peek(lx)->type != TOK_NAME || tok_is(lex_peek(lx), TOK_NAME,
						     "import"))
		return 0;
	t = lex_next(lx);
	sbuf_add(sb, t.s, t.len);
	while (tok_is(lex_peek(lx), TOK_OP, ".")) {
		lex_next(lx);
		if (lex_peek(lx)->type != TOK_NAME)
			break;
		t = lex_next(lx);
		sbuf_addch(sb, '.');
		sbuf_add(sb, t.s, t.len);
	}
	return 1;
}

static void skip_alias(struct lexer *lx)
{
	if (tok_is(lex_peek(lx), TOK_NAME, "as")) {
		lex_next(lx);
		if (lex_peek(lx)->type == TOK_NAME)
			lex_next(lx);
	}
}

/* After "import": a.b [as c], d ... */
static void parse_import(struct fm_parser *p, struct lexer *lx)
{
	for (;;) {
		sbuf_reset(&p->mod);
		if (!parse_dotted(lx, &p->mod))
			return;
		add_import(p, &p->mod);
		skip_alias(lx);
		if (!tok_is(lex_peek(lx), TOK_OP, ","))
			return;
		lex_next(lx);
	}
}

/* After "from": dots and a module, "import", then *, names or (names). */
static void parse_from(struct fm_parser *p, struct lexer *lx)
{
	sbuf_reset(&p->mod);
	while (tok_is(lex_peek(lx), TOK_OP, ".")) {
		lex_next(lx);
		sbuf_addch(&p->mod, '.');
	}
	parse_dotted(lx, &p->mod);
	if (!p->mod.len || !tok_is(lex_peek(lx), TOK_NAME, "import"))
		return;
	lex_next(lx);
	add_import(p, &p->mod);
	if (tok_is(lex_peek(lx), TOK_OP, "("))
		lex_next(lx);
	while (lex_peek(lx)->type == TOK_NAME) {
		struct tok t = lex_next(lx);

		sbuf_reset(&p->full);
		sbuf_add(&p->full, p->mod.buf, p->mod.len);
		if (p->mod.buf[p->mod.len - 1] != '.')
			sbuf_addch(&p->full, '.');
		sbuf_add(&p->full, t.s, t.len);
		add_import(p, &p->full);
		skip_alias(lx);
		if (!tok_is(lex_peek(lx), TOK_OP, ","))
			return;
		lex_next(lx);
	}
}

static int is_compound(const struct tok *t)
{
	static const char *const words[] = {
		"if", "elif", "else", "try", "except", "finally", "while",
		"for", "with", "def", "class", "async",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (tok_is(t, TOK_NAME, words[i]))
			return 1;
	return 0;
}

/*
 * Collect the imports of one logical line (buf[start..end)): statements
 * start at the line start, after a ';' and after the ':' of a compound
 * statement ("try: import x").
 */
static void scan_imports(struct fm_parser *p, size_t start, size_t end)
{
	struct lexer lx = { p->buf + start, p->buf + end, 0, 0, { 0 } };
	int stmt = 1, compound = 0, first = 1;

	for (;;) {
		struct tok t = lex_next(&lx);

		if (t.type == TOK_END)
			break;
		if (stmt) {
			stmt = 0;
			if (tok_is(&t, TOK_NAME, "import")) {
				parse_import(p, &lx);
				continue;
			}
			if (tok_is(&t, TOK_NAME, "from")) {
				parse_from(p, &lx);
				continue;
			}
			if (first)
				compound = is_compound(&t);
		}
		first = 0;
		if (t.type != TOK_OP || t.depth || t.len != 1)
			continue;
		if (t.s[0] == ';') {
			stmt = 1;
		} else if (t.s[0] == ':' && compound) {
			stmt = 1;
			compound = 0;
		}
	}
}

static int starts_with_ident(const char *s, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - s) >= n && !memcmp(s, word, n) &&
	       (s + n == e || !is_ident(s[n]));
}

/* Look for imports in the logical line that starts at line l (1-based). */
static void line_imports(struct fm_parser *p, uint32_t l, const char *s)
{
	const char *e = p->buf + p->lines[l - 1].end;
	uint8_t flags = p->lines[l - 1].flags;
	size_t j = l, end;

	while (j < p->lines_nr && !(p->lines[j].flags & LN_LOGICAL))
		flags |= p->lines[j++].flags;
	end = j < p->lines_nr ? p->lines[j].off : p->len;
	if (starts_with_ident(s, e, "import") ||
	    starts_with_ident(s, e, "from") ||
	    (flags & (LN_SEMI | LN_COLON_BODY)))
		scan_imports(p, (size_t)(s - p->buf), end);
}

/* ---- structure ----------------------------------------------------------- */

/* A new logical line starts at line l: close blocks, open one, find owners. */
static void logical_line(struct fm_parser *p, uint32_t l)
{
	const struct py_line *ln = &p->lines[l - 1];
	const char *s, *e = p->buf + ln->end, *name = NULL;
	size_t name_len = 0;
	uint32_t col;
	enum stmt_kind kind;

	s = p->buf + ln->off + line_indent(p->buf, ln, &col);
	if (p->dec_start && col != p->dec_col)
		orphan_decorators(p);
	pop_blocks(p, col);
	kind = classify(s, e, &name, &name_len);
	if (in_function(p))
		kind = STMT_OTHER;
	if (kind == STMT_DECORATOR) {
		if (!p->dec_start) {
			assign(p, l - 1, scope(p));
			p->dec_start = l;
			p->dec_col = col;
		}
		p->cur = OWNER_DEFER;
	} else if (kind == STMT_DEF || kind == STMT_CLASS) {
		open_block(p, l, col, kind, name, name_len);
	} else {
		if (p->dec_start)
			orphan_decorators(p);
		assign(p, l, scope(p));
		p->cur = scope(p);
	}
	line_imports(p, l, s);
}

static void walk_lines(struct fm_parser *p)
{
	for (uint32_t l = 1; l <= p->lines_nr; l++) {
		uint8_t flags = p->lines[l - 1].flags;

		if (!(flags & LN_CODE))
			continue;
		if (flags & LN_LOGICAL)
			logical_line(p, l);
		else if (p->cur != OWNER_DEFER)
			assign(p, l, p->cur);
		p->last_code = l;
	}
	if (p->dec_start)
		orphan_decorators(p);
	pop_blocks(p, 0);
	assign(p, (uint32_t)p->lines_nr, 0);
}

/*
 * Feed line l to its owner's hash. Code lines lose their comment, trailing
 * blanks and the owner's base indentation (kept as a relative column);
 * lines inside a multi-line string are kept as bytes, minus the owner's
 * base indentation bytes when they start with them (a line that is only a
 * part of those bytes counts as empty).
 */
static void hash_line(struct fm_parser *p, uint32_t l)
{
	const struct py_line *ln = &p->lines[l - 1];
	struct pfeat *f = &p->feat[p->owner[l]];
	const char *s = p->buf + ln->off;
	size_t n = ln->end - ln->off;
	uint64_t h = f->hash;

	if (ln->flags & LN_IN_STR) {
		const char *base = p->buf + f->base_off;
		size_t m = 0;

		while (m < n && m < f->base_len && s[m] == base[m])
			m++;
		if (m == f->base_len || m == n) {
			/* indented like the owner, or blank up to there */
			h = fnv_add(h, "S", 1);
			s += m;
			n -= m;
		} else {
			h = fnv_add(h, "s", 1);
		}
	} else if (ln->flags & LN_CODE) {
		uint32_t col;
		size_t ind = line_indent(p->buf, ln, &col);

		if (col >= f->base_col) {
			h = fnv_add(h, "C", 1);
			h = fnv_add_u32(h, col - f->base_col);
		} else {
			h = fnv_add(h, "c", 1);
			h = fnv_add_u32(h, col);
		}
		s += ind;
		n -= ind;
	} else {
		return;
	}
	h = fnv_add(h, s, n);
	f->hash = fnv_add(h, "\n", 1);
}

/* ---- results ------------------------------------------------------------- */

struct name_ref {
	const char *name;
	uint32_t idx;
};

static int cmp_name_ref(const void *va, const void *vb)
{
	const struct name_ref *a = va, *b = vb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void sort_refs(struct name_ref *refs, const struct pfeat *feat,
		      size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		refs[i].name = feat[i].name;
		refs[i].idx = (uint32_t)i;
	}
	qsort(refs, nr, sizeof(*refs), cmp_name_ref);
}

/* Rename later features of the same name "name#2", "name#3"... */
static void number_duplicates(struct pfeat *feat, struct name_ref *refs,
			      size_t nr)
{
	size_t i = 0;

	while (i < nr) {
		size_t j = i + 1;

		while (j < nr && !strcmp(refs[j].name, refs[i].name))
			j++;
		for (size_t k = i + 1; k < j; k++) {
			struct sbuf sb = SBUF_INIT;
			struct pfeat *f = &feat[refs[k].idx];

			sbuf_addf(&sb, "%s#%zu", f->name, k - i + 1);
			free(f->name);
			f->name = sbuf_detach(&sb, NULL);
		}
		i = j;
	}
}

/* Move the features into out, sorted by name, and renumber the owners. */
static void finish_features(struct fm_parser *p, struct feature_map *out)
{
	size_t nr = p->feat_nr;
	struct name_ref *refs = xcalloc(nr, sizeof(*refs));
	uint32_t *pos = xcalloc(nr, sizeof(*pos));

	sort_refs(refs, p->feat, nr);
	number_duplicates(p->feat, refs, nr);
	sort_refs(refs, p->feat, nr);
	ALLOC_GROW(out->items, nr, out->alloc);
	for (size_t i = 0; i < nr; i++) {
		const struct pfeat *f = &p->feat[refs[i].idx];
		struct feature_span *it = &out->items[i];

		if (i && !strcmp(refs[i - 1].name, refs[i].name))
			BUG("duplicate feature name '%s'", f->name);
		it->name = f->name;
		it->kind = f->kind;
		it->hash = f->hash;
		it->first_line = f->first;
		it->last_line = f->last;
		pos[refs[i].idx] = (uint32_t)i;
	}
	out->nr = nr;
	p->feat_nr = 0;		/* names now belong to out */
	for (size_t l = 1; l <= p->lines_nr; l++)
		p->owner[l] = pos[p->owner[l]];
	out->owner = p->owner;
	out->lines_nr = p->lines_nr;
	p->owner = NULL;
	free(pos);
	free(refs);
}

static void unique_imports(struct strlist *list)
{
	size_t w = 0;

	strlist_sort(list);
	for (size_t r = 0; r < list->nr; r++) {
		if (w && !strcmp(list->items[w - 1], list->items[r]))
			free(list->items[r]);
		else
			list->items[w++] = list->items[r];
	}
	list->nr = w;
}

static void parser_release(struct fm_parser *p)
{
	for (size_t i = 0; i < p->feat_nr; i++)
		free(p->feat[i].name);
	free(p->feat);
	free(p->lines);
	free(p->stack);
	free(p->owner);
	sbuf_release(&p->mod);
	sbuf_release(&p->full);
}

static void parse_python(struct feature_map *out, const char *buf, size_t len)
{
	struct fm_parser p = { 0 };

	p.buf = buf;
	p.len = len;
	p.imports = &out->imports;
	p.pending = 1;
	sbuf_init(&p.mod, 0);
	sbuf_init(&p.full, 0);
	scan_lines(&p);
	p.owner = xcalloc(st_add(p.lines_nr, 1), sizeof(*p.owner));
	add_feature(&p, xstrdup("<module>"), FEATURE_MODULE,
		    p.lines_nr ? 1 : 0, 0);
	walk_lines(&p);
	p.feat[0].last = (uint32_t)p.lines_nr;
	for (uint32_t l = 1; l <= p.lines_nr; l++)
		hash_line(&p, l);
	finish_features(&p, out);
	unique_imports(&out->imports);
	parser_release(&p);
}

static void parse_other(struct feature_map *out, const char *buf, size_t len)
{
	size_t lines = 0;
	struct feature_span *it;

	for (const char *s = buf, *e = buf + len; s && s < e; lines++) {
		const char *nl = memchr(s, '\n', (size_t)(e - s));

		s = nl ? nl + 1 : e;
	}
	ALLOC_GROW(out->items, 1, out->alloc);
	it = &out->items[0];
	it->name = xstrdup("<file>");
	it->kind = FEATURE_FILE;
	it->hash = fnv_add(FNV_OFFSET, buf, len);
	it->first_line = lines ? 1 : 0;
	it->last_line = (uint32_t)lines;
	out->nr = 1;
	out->owner = xcalloc(st_add(lines, 1), sizeof(*out->owner));
	out->lines_nr = lines;
}

/* ---- public API ---------------------------------------------------------- */

int features_is_python(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return (n >= 3 && !strcmp(path + n - 3, ".py")) ||
	       (n >= 4 && !strcmp(path + n - 4, ".pyi"));
}

int features_parse(struct feature_map *out, const char *path, const char *buf,
		   size_t len)
{
	if (len > FEATURES_MAX_SOURCE)
		return error("'%s' is too large to parse (%zu bytes, at most %zu)",
			     path ? path : "", len, FEATURES_MAX_SOURCE);
	if (!buf && len)
		BUG("features_parse() without a buffer");
	if (!buf)
		buf = "";
	if (features_is_python(path))
		parse_python(out, buf, len);
	else
		parse_other(out, buf, len);
	return 0;
}

long feature_map_find(const struct feature_map *map, const char *name)
{
	return sorted_find_str(map->items, map->nr, sizeof(*map->items),
			       offsetof(struct feature_span, name), name);
}

void feature_map_release(struct feature_map *map)
{
	if (!map)
		return;
	for (size_t i = 0; i < map->nr; i++)
		free(map->items[i].name);
	free(map->items);
	free(map->owner);
	strlist_release(&map->imports);
	map->items = NULL;
	map->nr = map->alloc = 0;
	map->owner = NULL;
	map->lines_nr = 0;
}
