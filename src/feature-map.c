/* feature-map.c - split a source file into functions, classes and module level, and list its imports.
 * One pass over py-lexer's tokens marks each line; a line walk then finds blocks by indent. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "feature-map.h"
#include "py-lexer.h"
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

/* ---- lines --------------------------------------------------------------- */

enum line_flag {
	LN_LOGICAL = 1 << 0,	/* a logical line starts on it */
	LN_IN_STR = 1 << 1,	/* starts inside a multi-line string */
	LN_END_STR = 1 << 2,	/* ends inside a string */
	LN_CODE = 1 << 3,	/* not blank, not comment-only */
};

enum stmt_kind { STMT_OTHER, STMT_DECORATOR, STMT_DEF, STMT_CLASS };

/*
 * One physical line. end is where its code ends: before a trailing comment
 * and, unless the line ends inside a string, before trailing whitespace.
 * Offsets fit in 32 bits because sources are capped at 64 MiB. A logical
 * line's statement kind, and for def/class the offset and length of the
 * name, come from the tokens.
 */
struct py_line {
	uint32_t off;
	uint32_t end;
	uint32_t name_off, name_len;
	uint8_t flags;
	uint8_t kind;		/* enum stmt_kind */
};

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

/* Indentation of ln in columns; returns its bytes. */
static size_t line_indent(const char *buf, const struct py_line *ln,
			  uint32_t *col)
{
	return py_indent(buf, ln->end, ln->off, col);
}

/* ---- the parser ---------------------------------------------------------- */

/* A feature while parsing, in file order; index 0 is "<module>". */
struct pfeat {
	char *name;
	enum feature_kind kind;
	uint32_t first, last;
	uint32_t base_col;		/* indentation of its def/class line */
	uint32_t base_off, base_len;	/* the same, as bytes */
	uint32_t body;			/* first logical line of its body, or 0 */
	uint64_t hash;
	uint64_t header_hash;		/* hash before its body's first line */
	int header_done;
};

struct block {
	uint32_t feat;
	uint32_t col;
	int is_func;
};

/* Where the def/class recogniser is on the current logical line. */
enum header_state { HDR_NONE, HDR_ASYNC, HDR_DEF, HDR_CLASS };

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
	/* the token pass */
	struct py_lexer lx;
	struct py_token tok;	/* the next significant token */
	int peeked;
	int sig_only;		/* line_hash only marks significant lines */
	enum header_state hdr;
	uint32_t hdr_line;
};

/* Split buf into lines; end is the line end until tokens say more. */
static void split_lines(struct fm_parser *p)
{
	size_t pos = 0;

	while (pos < p->len) {
		struct py_line *ln;
		size_t next, eol = py_line_end(p->buf, p->len, pos, &next);

		ALLOC_GROW(p->lines, p->lines_nr + 1, p->lines_alloc);
		ln = &p->lines[p->lines_nr++];
		memset(ln, 0, sizeof(*ln));
		ln->off = (uint32_t)pos;
		ln->end = (uint32_t)eol;
		pos = next;
	}
}

/* Cut each line's comment and trailing blanks; mark the code lines. */
static void finish_lines(struct fm_parser *p)
{
	for (size_t l = 0; l < p->lines_nr; l++) {
		struct py_line *ln = &p->lines[l];
		uint32_t i;

		if (!(ln->flags & LN_END_STR))
			while (ln->end > ln->off &&
			       is_blank((unsigned char)p->buf[ln->end - 1]))
				ln->end--;
		for (i = ln->off; i < ln->end; i++)
			if (!is_blank((unsigned char)p->buf[i]))
				break;
		if (i < ln->end || (ln->flags & LN_IN_STR))
			ln->flags |= LN_CODE;
	}
}

static int tok_is(const struct fm_parser *p, const struct py_token *t,
		  enum py_token_kind kind, const char *s)
{
	return t->kind == kind && t->len == strlen(s) &&
	       !memcmp(p->buf + t->off, s, t->len);
}

/* The lines a string token covers start or end inside it. */
static void mark_string(struct fm_parser *p, const struct py_token *t)
{
	for (uint32_t l = t->line; l <= t->end_line; l++) {
		if (l > t->line)
			p->lines[l - 1].flags |= LN_IN_STR;
		if (l < t->end_line || (t->flags & PY_TOK_OPEN))
			p->lines[l - 1].flags |= LN_END_STR;
	}
}

/* Follow "[async] def NAME" and "class NAME" on a logical line's first line. */
static void mark_header(struct fm_parser *p, const struct py_token *t)
{
	struct py_line *ln;

	if (t->flags & PY_TOK_LOGICAL) {
		ln = &p->lines[t->line - 1];
		ln->flags |= LN_LOGICAL;
		p->hdr_line = t->line;
		p->hdr = HDR_NONE;
		if (t->kind == PY_TOK_OP && p->buf[t->off] == '@')
			ln->kind = STMT_DECORATOR;
		else if (tok_is(p, t, PY_TOK_NAME, "def"))
			p->hdr = HDR_DEF;
		else if (tok_is(p, t, PY_TOK_NAME, "class"))
			p->hdr = HDR_CLASS;
		else if (tok_is(p, t, PY_TOK_NAME, "async"))
			p->hdr = HDR_ASYNC;
		return;
	}
	if (p->hdr == HDR_NONE)
		return;
	if (t->line != p->hdr_line) {
		p->hdr = HDR_NONE;
		return;
	}
	if (p->hdr == HDR_ASYNC) {
		p->hdr = tok_is(p, t, PY_TOK_NAME, "def") ? HDR_DEF : HDR_NONE;
		return;
	}
	if (t->kind == PY_TOK_NAME) {
		ln = &p->lines[t->line - 1];
		ln->kind = p->hdr == HDR_DEF ? STMT_DEF : STMT_CLASS;
		ln->name_off = (uint32_t)t->off;
		ln->name_len = (uint32_t)t->len;
	}
	p->hdr = HDR_NONE;
}

/* What token t tells about its lines. */
static void mark_token(struct fm_parser *p, const struct py_token *t)
{
	if (!t->line || t->line > t->end_line || t->end_line > p->lines_nr)
		return;		/* the empty tokens at the end */
	if (t->kind == PY_TOK_STRING)
		mark_string(p, t);
	else if (t->kind == PY_TOK_COMMENT)
		p->lines[t->line - 1].end = (uint32_t)t->off;
	if (t->kind != PY_TOK_NL && t->kind != PY_TOK_COMMENT &&
	    t->kind != PY_TOK_NEWLINE)
		mark_header(p, t);
}

/* The next token that is not NL or COMMENT; every token read is marked. */
static const struct py_token *peek(struct fm_parser *p)
{
	while (!p->peeked) {
		if (!py_lexer_next(&p->lx, &p->tok)) {
			p->tok.kind = PY_TOK_ENDMARKER;
			p->peeked = 1;
			break;
		}
		mark_token(p, &p->tok);
		p->peeked = p->tok.kind != PY_TOK_NL &&
			    p->tok.kind != PY_TOK_COMMENT;
	}
	return &p->tok;
}

static struct py_token next(struct fm_parser *p)
{
	struct py_token t = *peek(p);

	if (t.kind != PY_TOK_ENDMARKER)
		p->peeked = 0;
	return t;
}

/* ---- imports ------------------------------------------------------------- */

static void add_import(struct fm_parser *p, const struct sbuf *name)
{
	if (name->len && name->len <= IMPORT_NAME_CAP)
		strlist_append(p->imports, name->buf);
}

static void add_token(struct fm_parser *p, struct sbuf *sb,
		      const struct py_token *t)
{
	sbuf_add(sb, p->buf + t->off, t->len);
}

/* Append a dotted name ("a.b.c") to sb; 0 if there is none. */
static int parse_dotted(struct fm_parser *p, struct sbuf *sb)
{
	struct py_token t;

	if (peek(p)->kind != PY_TOK_NAME ||
	    tok_is(p, peek(p), PY_TOK_NAME, "import"))
		return 0;
	t = next(p);
	add_token(p, sb, &t);
	while (tok_is(p, peek(p), PY_TOK_OP, ".")) {
		next(p);
		if (peek(p)->kind != PY_TOK_NAME)
			break;
		t = next(p);
		sbuf_addch(sb, '.');
		add_token(p, sb, &t);
	}
	return 1;
}

static void skip_alias(struct fm_parser *p)
{
	if (tok_is(p, peek(p), PY_TOK_NAME, "as")) {
		next(p);
		if (peek(p)->kind == PY_TOK_NAME)
			next(p);
	}
}

/* After "import": a.b [as c], d ... */
static void parse_import(struct fm_parser *p)
{
	for (;;) {
		sbuf_reset(&p->mod);
		if (!parse_dotted(p, &p->mod))
			return;
		add_import(p, &p->mod);
		skip_alias(p);
		if (!tok_is(p, peek(p), PY_TOK_OP, ","))
			return;
		next(p);
	}
}

/* After "from": dots and a module, "import", then *, names or (names). */
static void parse_from(struct fm_parser *p)
{
	sbuf_reset(&p->mod);
	while (tok_is(p, peek(p), PY_TOK_OP, ".") ||
	       tok_is(p, peek(p), PY_TOK_OP, "...")) {
		struct py_token t = next(p);

		add_token(p, &p->mod, &t);
	}
	parse_dotted(p, &p->mod);
	if (!p->mod.len || !tok_is(p, peek(p), PY_TOK_NAME, "import"))
		return;
	next(p);
	add_import(p, &p->mod);
	if (tok_is(p, peek(p), PY_TOK_OP, "("))
		next(p);
	while (peek(p)->kind == PY_TOK_NAME) {
		struct py_token t = next(p);

		sbuf_reset(&p->full);
		sbuf_add(&p->full, p->mod.buf, p->mod.len);
		if (p->mod.buf[p->mod.len - 1] != '.')
			sbuf_addch(&p->full, '.');
		add_token(p, &p->full, &t);
		add_import(p, &p->full);
		skip_alias(p);
		if (!tok_is(p, peek(p), PY_TOK_OP, ","))
			return;
		next(p);
	}
}

/* Compound statements whose ':' may be followed by a statement. */
static int is_compound(const struct fm_parser *p, const struct py_token *t)
{
	static const char *const words[] = {
		"if", "elif", "else", "try", "except", "finally", "while",
		"for", "with", "def", "class", "async", "case",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (tok_is(p, t, PY_TOK_NAME, words[i]))
			return 1;
	return 0;
}

/*
 * The token pass: every token marks its lines (see peek()), and imports are
 * collected where a statement starts: at a logical line start, after a ';'
 * and after the ':' of a compound statement ("try: import x").
 */
static void scan_tokens(struct fm_parser *p)
{
	int stmt = 0, compound = 0;

	for (;;) {
		struct py_token t = next(p);

		if (t.kind == PY_TOK_ENDMARKER)
			break;
		if (t.flags & PY_TOK_LOGICAL) {
			stmt = 1;
			compound = is_compound(p, &t);
		}
		if (stmt) {
			stmt = 0;
			if (tok_is(p, &t, PY_TOK_NAME, "import")) {
				parse_import(p);
				continue;
			}
			if (tok_is(p, &t, PY_TOK_NAME, "from")) {
				parse_from(p);
				continue;
			}
		}
		if (t.kind != PY_TOK_OP || t.depth || t.len != 1)
			continue;
		if (p->buf[t.off] == ';') {
			stmt = 1;
		} else if (p->buf[t.off] == ':' && compound) {
			stmt = 1;
			compound = 0;
		}
	}
}

/* ---- structure ----------------------------------------------------------- */

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

static void open_block(struct fm_parser *p, uint32_t l, uint32_t col)
{
	const struct py_line *ln = &p->lines[l - 1];
	struct sbuf sb = SBUF_INIT;
	uint32_t outer = scope(p), first = p->dec_start ? p->dec_start : l;
	uint32_t f;
	struct block *b;

	if (outer) {
		sbuf_addstr(&sb, p->feat[outer].name);
		sbuf_addch(&sb, '.');
	}
	sbuf_add(&sb, p->buf + ln->name_off, ln->name_len);
	if (sb.len > FEATURE_NAME_CAP)
		sbuf_setlen(&sb, FEATURE_NAME_CAP);
	if (!p->dec_start)
		assign(p, l - 1, outer);
	f = add_feature(p, sbuf_detach(&sb, NULL),
			ln->kind == STMT_CLASS ? FEATURE_CLASS :
						 FEATURE_FUNCTION,
			first, l);
	ALLOC_GROW(p->stack, p->stack_nr + 1, p->stack_alloc);
	b = &p->stack[p->stack_nr++];
	b->feat = f;
	b->col = col;
	b->is_func = ln->kind == STMT_DEF;
	assign(p, l, f);
	p->cur = f;
	p->dec_start = 0;
}

/* A new logical line starts at line l: close blocks, open one, find owners. */
static void logical_line(struct fm_parser *p, uint32_t l)
{
	const struct py_line *ln = &p->lines[l - 1];
	enum stmt_kind kind = ln->kind;
	uint32_t col;

	line_indent(p->buf, ln, &col);
	if (p->dec_start && col != p->dec_col)
		orphan_decorators(p);
	pop_blocks(p, col);
	if (p->stack_nr && !p->feat[scope(p)].body)
		p->feat[scope(p)].body = l;	/* first line below the header */
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
		open_block(p, l, col);
	} else {
		if (p->dec_start)
			orphan_decorators(p);
		assign(p, l, scope(p));
		p->cur = scope(p);
	}
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

/* Add the normalized code of line l to h (see hash_line()). */
static uint64_t hash_code(const struct fm_parser *p, uint32_t l,
			  const struct pfeat *f, uint64_t h)
{
	const struct py_line *ln = &p->lines[l - 1];
	const char *s = p->buf + ln->off;
	size_t n = ln->end - ln->off;

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
	} else {
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
	}
	h = fnv_add(h, s, n);
	return fnv_add(h, "\n", 1);
}

/* Chain a code line into its owner's hash and give it its own line hash. */
static void hash_line(struct fm_parser *p, uint32_t l, uint64_t *line_hash)
{
	struct pfeat *f = &p->feat[p->owner[l]];

	if (!(p->lines[l - 1].flags & LN_CODE))
		return;
	if (f->body && l >= f->body && !f->header_done) {
		f->header_hash = f->hash;
		f->header_done = 1;
	}
	f->hash = hash_code(p, l, f, f->hash);
	line_hash[l] = p->sig_only ? 1 : hash_code(p, l, f, FNV_OFFSET) | 1;
}

/* The first line of each code line's logical line, and its indentation. */
static void mark_statements(const struct fm_parser *p, uint32_t *stmt,
			    uint32_t *indent)
{
	uint32_t start = 0, col = 0;

	for (uint32_t l = 1; l <= p->lines_nr; l++) {
		uint8_t flags = p->lines[l - 1].flags;

		if (!(flags & LN_CODE))
			continue;
		if ((flags & LN_LOGICAL) || !start) {
			start = l;
			line_indent(p->buf, &p->lines[l - 1], &col);
		}
		stmt[l] = start;
		indent[l] = col;
	}
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
		it->body_line = f->body;
		it->header_hash = f->header_done ? f->header_hash : f->hash;
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

static void parse_python(struct feature_map *out, const char *buf, size_t len,
			 unsigned flags)
{
	struct fm_parser p = { 0 };

	p.sig_only = !!(flags & FEATURES_SIG_ONLY);
	p.buf = buf;
	p.len = len;
	p.imports = &out->imports;
	p.pending = 1;
	sbuf_init(&p.mod, 0);
	sbuf_init(&p.full, 0);
	split_lines(&p);
	py_lexer_init(&p.lx, buf, len);
	scan_tokens(&p);
	finish_lines(&p);
	p.owner = xcalloc(st_add(p.lines_nr, 1), sizeof(*p.owner));
	add_feature(&p, xstrdup("<module>"), FEATURE_MODULE,
		    p.lines_nr ? 1 : 0, 0);
	walk_lines(&p);
	p.feat[0].last = (uint32_t)p.lines_nr;
	out->line_hash = xcalloc(st_add(p.lines_nr, 1), sizeof(uint64_t));
	out->stmt = xcalloc(st_add(p.lines_nr, 1), sizeof(uint32_t));
	out->indent = xcalloc(st_add(p.lines_nr, 1), sizeof(uint32_t));
	for (uint32_t l = 1; l <= p.lines_nr; l++)
		hash_line(&p, l, out->line_hash);
	mark_statements(&p, out->stmt, out->indent);
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
	it->body_line = 0;
	it->header_hash = it->hash;
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
	return features_parse_flags(out, path, buf, len, 0);
}

int features_parse_flags(struct feature_map *out, const char *path,
			 const char *buf, size_t len, unsigned flags)
{
	if (len > FEATURES_MAX_SOURCE)
		return error("'%s' is too large to parse (%zu bytes, at most %zu)",
			     path ? path : "", len, FEATURES_MAX_SOURCE);
	if (!buf && len)
		BUG("features_parse() without a buffer");
	if (!buf)
		buf = "";
	if (features_is_python(path))
		parse_python(out, buf, len, flags);
	else
		parse_other(out, buf, len);
	return 0;
}

size_t feature_map_sig_lines(const struct feature_map *map, size_t k,
			     uint32_t **lines)
{
	const struct feature_span *f = &map->items[k];
	size_t nr = 0, alloc = 0;

	*lines = NULL;
	if (!map->line_hash)
		return 0;
	for (uint32_t l = f->first_line; l && l <= f->last_line &&
	     l <= map->lines_nr; l++) {
		if (map->owner[l] != k || !map->line_hash[l])
			continue;
		ALLOC_GROW(*lines, nr + 1, alloc);
		(*lines)[nr++] = l;
	}
	return nr;
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
	free(map->line_hash);
	free(map->stmt);
	free(map->indent);
	map->line_hash = NULL;
	map->stmt = NULL;
	map->indent = NULL;
	strlist_release(&map->imports);
	map->items = NULL;
	map->nr = map->alloc = 0;
	map->owner = NULL;
	map->lines_nr = 0;
}
