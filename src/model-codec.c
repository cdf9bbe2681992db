/* model-codec.c - the model's msgpack form as stored in a git note, with its schema version.
 * Columnar: a few msgpack bins of varints and front-coded strings, read with bounded cursors. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <msgpack.h>
#include "checksum.h"
#include "hex.h"
#include "model-codec.h"
#include "model-codec-lines.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Deepest container nesting we accept; our schema uses 3 levels. */
#define CODEC_MAX_DEPTH 8
/* A string column decodes to at most this many times its own size, plus
 * CODEC_EXPANSION_SLACK; all strings together to at most CODEC_MAX_STRINGS. */
#define CODEC_MAX_EXPANSION 64
#define CODEC_EXPANSION_SLACK ((size_t)1 << 20)
#define CODEC_MAX_STRINGS ((size_t)256 << 20)
/* Costs are stored in whole microseconds, at most 1e9 seconds. */
#define CODEC_COST_UNIT 1e6
#define CODEC_MAX_COST_US 1000000000000000ULL
/* Bytes of one feature hash in the "hashes" column. */
#define CODEC_HASH_BYTES 8
/* The last root entry's value: 0xcf and the checksum, 8 bytes big-endian. */
#define CODEC_CHECKSUM_BYTES 9
/* The first format version whose notes must carry a checksum. */
#define CODEC_CHECKSUM_SINCE 2

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

/* An object id as we store it: up to 40 lowercase hex digits (or none). */
static int is_hex_id(const char *s, size_t n)
{
	return n <= COVOPT_OID_HEXSZ && hex_is_lower(s, n);
}

static int check_str(const char *s)
{
	if (strlen(s) > COVOPT_MAX_STRING)
		return error("cannot encode model: string '%.40s...' is longer "
			     "than %zu bytes", s, COVOPT_MAX_STRING);
	return 0;
}

static int check_hex(const char *s)
{
	if (!is_hex_id(s, strlen(s)))
		return error("cannot encode model: '%s' is not a hex id", s);
	return 0;
}

static int check_count(size_t n, const char *what)
{
	if (n > COVOPT_MAX_ITEMS)
		return error("cannot encode model: too many %s (%zu)", what,
			     n);
	return 0;
}

static int check_files(const struct model *m)
{
	for (size_t i = 0; i < m->files_nr; i++)
		if (check_str(m->files[i].path) ||
		    check_hex(m->files[i].blob) ||
		    check_count(m->files[i].imports_nr, "imports"))
			return -1;
	return 0;
}

/* Features are stored per file, by name: they must be in that order. */
static int check_features(const struct model *m)
{
	for (size_t i = 0; i < m->features_nr; i++) {
		const struct model_feature *f = &m->features[i];

		if (check_str(f->name))
			return -1;
		if (f->file >= m->files_nr ||
		    (i && (f->file < f[-1].file ||
			   (f->file == f[-1].file &&
			    strcmp(f->name, f[-1].name) <= 0))))
			return error("cannot encode model: feature #%zu is "
				     "not in (file, name) order", i);
	}
	return 0;
}

static int check_tests(const struct model *m)
{
	for (size_t i = 0; i < m->tests_nr; i++) {
		const struct model_test *t = &m->tests[i];

		if (check_str(t->id))
			return -1;
		if (!(t->cost >= 0 && t->cost <= 1e9))
			return error("cannot encode model: bad cost of test "
				     "'%s'", t->id);
	}
	return 0;
}

/* Refuse what model_decode() would refuse, before packing anything. */
static int check_model(const struct model *m)
{
	if (check_count(m->flags_nr, "flags") ||
	    check_count(m->files_nr, "files") ||
	    check_count(m->features_nr, "features") ||
	    check_count(m->tests_nr, "tests") || check_hex(m->commit))
		return -1;
	for (size_t i = 0; i < m->flags_nr; i++)
		if (check_str(m->flags[i].name) ||
		    check_hex(m->flags[i].commit) ||
		    model_validate_flag(&m->flags[i], "model to encode"))
			return -1;
	return check_files(m) || check_features(m) || check_tests(m) ||
	       lines_check(m) ? -1 : 0;
}

/* msgpack-c's write callback; sbuf_add() cannot fail (xalloc dies). */
static int sbuf_write(void *data, const char *buf, size_t len)
{
	sbuf_add(data, buf, len);
	return 0;
}

static void put_varint(struct sbuf *sb, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = v & 0x7f;
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	sbuf_add(sb, tmp, n);
}

/* Front coding: the length shared with prev, the rest's length, the rest. */
static void put_front(struct sbuf *sb, const char *prev, const char *s)
{
	size_t p = 0, n = strlen(s);

	while (prev[p] && prev[p] == s[p])
		p++;
	put_varint(sb, p);
	put_varint(sb, n - p);
	sbuf_add(sb, s + p, n - p);
}

static unsigned hex_value(char c)
{
	return c <= '9' ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
}

/* The digit count, then the digits two per byte, high nibble first. */
static void put_hex(struct sbuf *sb, const char *hex)
{
	size_t n = strlen(hex);

	put_varint(sb, n);
	for (size_t i = 0; i < n; i += 2) {
		unsigned lo = i + 1 < n ? hex_value(hex[i + 1]) : 0;

		sbuf_addch(sb, (int)(hex_value(hex[i]) << 4 | lo));
	}
}

/* Whole microseconds; a positive cost stays positive (0 means unknown). */
static uint64_t cost_to_us(double cost)
{
	double us = round(cost * CODEC_COST_UNIT);

	if (us < 1 && cost > 0)
		us = 1;
	return (uint64_t)us;
}

static void pack_cstr(msgpack_packer *pk, const char *s)
{
	msgpack_pack_str_with_body(pk, s, strlen(s));
}

/* Pack col as a bin and empty it for the next column. */
static void pack_column(msgpack_packer *pk, struct sbuf *col)
{
	msgpack_pack_bin_with_body(pk, col->buf, col->len);
	sbuf_reset(col);
}

static void pack_flags(msgpack_packer *pk, const struct model *m)
{
	msgpack_pack_array(pk, m->flags_nr);
	for (size_t i = 0; i < m->flags_nr; i++) {
		const struct model_flag *f = &m->flags[i];

		msgpack_pack_array(pk, 5);
		pack_cstr(pk, f->name);
		pack_cstr(pk, f->commit);
		msgpack_pack_double(pk, f->suite_time);
		msgpack_pack_double(pk, f->overhead);
		msgpack_pack_double(pk, f->recorded_at);
	}
}

static void pack_files(msgpack_packer *pk, struct sbuf *col,
		       const struct model *m)
{
	const char *prev = "";

	msgpack_pack_array(pk, 4);
	msgpack_pack_uint64(pk, m->files_nr);
	for (size_t i = 0; i < m->files_nr; i++) {
		put_front(col, prev, m->files[i].path);
		prev = m->files[i].path;
	}
	pack_column(pk, col);
	for (size_t i = 0; i < m->files_nr; i++)
		put_hex(col, m->files[i].blob);
	pack_column(pk, col);
	for (size_t i = 0; i < m->files_nr; i++) {
		const struct model_file *f = &m->files[i];

		put_varint(col, f->imports_nr);
		for (size_t k = 0; k < f->imports_nr; k++)
			put_varint(col, f->imports[k]);
	}
	pack_column(pk, col);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct feature names, sorted: *nr of them. */
static const char **feature_names(const struct model *m, size_t *nr)
{
	const char **v;
	size_t n = 0;

	*nr = 0;
	if (!m->features_nr)
		return NULL;
	v = xmalloc(st_mult(m->features_nr, sizeof(*v)));
	for (size_t i = 0; i < m->features_nr; i++)
		v[i] = m->features[i].name;
	qsort(v, m->features_nr, sizeof(*v), cmp_str);
	for (size_t i = 0; i < m->features_nr; i++)
		if (!n || strcmp(v[n - 1], v[i]))
			v[n++] = v[i];
	*nr = n;
	return v;
}

static size_t find_name(const char **v, size_t nr, const char *name)
{
	size_t lo = 0, hi = nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid], name);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	BUG("feature name '%s' missing from its own list", name);
}

/* The names column, then each feature's reference into it. */
static void pack_feature_names(msgpack_packer *pk, struct sbuf *col,
			       const struct model *m)
{
	const struct model_feature *fe = m->features;
	size_t nr, ref = 0;
	const char **names = feature_names(m, &nr);

	for (size_t i = 0; i < nr; i++)
		put_front(col, i ? names[i - 1] : "", names[i]);
	pack_column(pk, col);
	for (size_t i = 0; i < m->features_nr; i++) {
		size_t at = find_name(names, nr, fe[i].name);

		if (i && fe[i - 1].file == fe[i].file)
			put_varint(col, at - ref - 1);
		else
			put_varint(col, at);
		ref = at;
	}
	pack_column(pk, col);
	free(names);
}

static void pack_features(msgpack_packer *pk, struct sbuf *col,
			  const struct model *m)
{
	const struct model_feature *fe = m->features;
	size_t k = 0;

	msgpack_pack_array(pk, 7);
	msgpack_pack_uint64(pk, m->features_nr);
	for (size_t i = 0; i < m->files_nr; i++) {	/* counts per file */
		size_t start = k;

		while (k < m->features_nr && fe[k].file == i)
			k++;
		put_varint(col, k - start);
	}
	pack_column(pk, col);
	pack_feature_names(pk, col, m);
	for (size_t i = 0; i < m->features_nr; i++)
		sbuf_addch(col, fe[i].kind);
	pack_column(pk, col);
	for (size_t i = 0; i < m->features_nr; i++)
		for (unsigned b = 0; b < CODEC_HASH_BYTES; b++)
			sbuf_addch(col, (int)(fe[i].hash >> (8 * b) & 0xff));
	pack_column(pk, col);
	for (size_t i = 0; i < m->features_nr; i++)
		put_varint(col, fe[i].lines);
	pack_column(pk, col);
}

static void pack_tests(msgpack_packer *pk, struct sbuf *col,
		       const struct model *m)
{
	const struct model_test *t = m->tests;
	const char *prev = "";
	size_t n = m->tests_nr;

	msgpack_pack_array(pk, 8);
	msgpack_pack_uint64(pk, n);
	for (size_t i = 0; i < n; i++) {
		put_front(col, prev, t[i].id);
		prev = t[i].id;
	}
	pack_column(pk, col);
	for (size_t i = 0; i < n; i++)
		put_varint(col, t[i].flag);
	pack_column(pk, col);
	for (size_t i = 0; i < n; i++)
		put_varint(col, cost_to_us(t[i].cost));
	pack_column(pk, col);
	for (size_t i = 0; i < n; i++)
		sbuf_addch(col, t[i].outcome);
	pack_column(pk, col);
	for (size_t i = 0; i < n; i++)
		put_varint(col, t[i].history);
	pack_column(pk, col);
	for (size_t i = 0; i < n; i++)
		put_varint(col, t[i].signals_len);
	pack_column(pk, col);
	for (size_t i = 0; i < n; i++)
		sbuf_add(col, t[i].signals, t[i].signals_len);
	pack_column(pk, col);
}

/*
 * The features that ran at import or collection time, as a bin of varints:
 * each one's index as its gap from the one before plus one (the first: its
 * index). A separate root key, so models written before it still decode,
 * and older readers skip it.
 */
static void pack_import_time(msgpack_packer *pk, struct sbuf *col,
			     const struct model *m)
{
	size_t next = 0;

	for (size_t i = 0; i < m->features_nr; i++) {
		if (!m->features[i].import_time)
			continue;
		put_varint(col, i - next);
		next = i + 1;
	}
	pack_column(pk, col);
}

/* Does any flag carry a signature? Unsigned models keep their old bytes. */
static int any_signature(const struct model *m)
{
	for (size_t i = 0; i < m->flags_nr; i++)
		if (m->flags[i].signature_len)
			return 1;
	return 0;
}

/* "signatures": one entry per flag, nil or the signature's bytes. */
static void pack_signatures(msgpack_packer *pk, const struct model *m)
{
	msgpack_pack_array(pk, m->flags_nr);
	for (size_t i = 0; i < m->flags_nr; i++) {
		const struct model_flag *f = &m->flags[i];

		if (f->signature_len)
			msgpack_pack_bin_with_body(pk, f->signature,
						   f->signature_len);
		else
			msgpack_pack_nil(pk);
	}
}

int model_encode(struct sbuf *out, const struct model *m)
{
	int signed_model = any_signature(m);
	struct sbuf col = SBUF_INIT;
	msgpack_packer pk;
	size_t start = out->len;

	if (check_model(m))
		return -1;
	msgpack_packer_init(&pk, out, sbuf_write);
	msgpack_pack_map(&pk, 8 + !!m->lines + signed_model);
	pack_cstr(&pk, "covopt");
	msgpack_pack_uint32(&pk, COVOPT_MODEL_VERSION);
	pack_cstr(&pk, "commit");
	pack_cstr(&pk, m->commit);
	pack_cstr(&pk, "flags");
	pack_flags(&pk, m);
	pack_cstr(&pk, "files");
	pack_files(&pk, &col, m);
	pack_cstr(&pk, "features");
	pack_features(&pk, &col, m);
	pack_cstr(&pk, "tests");
	pack_tests(&pk, &col, m);
	pack_cstr(&pk, "import_time");
	pack_import_time(&pk, &col, m);
	if (m->lines) {
		pack_cstr(&pk, "lines");
		lines_pack(&pk, m);
	}
	if (signed_model) {
		pack_cstr(&pk, "signatures");
		pack_signatures(&pk, m);
	}
	/* last, over every byte before its value */
	pack_cstr(&pk, "checksum");
	msgpack_pack_fix_uint64(&pk, checksum64(out->buf + start,
						out->len - start));
	sbuf_release(&col);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pre-scan: bound every count before msgpack-c reserves memory for it */
/* ------------------------------------------------------------------ */

static uint64_t read_be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/*
 * Describe the object whose first byte is p[0]: the bytes of its header
 * (type byte plus length/value fields, *hdr), then either a payload of
 * *body bytes or *children nested objects (map entries count twice).
 * Returns 0, or -1 for the never-used byte 0xc1 or a header cut short.
 */
static int scan_header(const unsigned char *p, size_t avail, size_t *hdr,
		       uint64_t *body, uint64_t *children)
{
	unsigned b = p[0];
	size_t lenbytes = 0;

	*hdr = 1;
	*body = 0;
	*children = 0;
	if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
		return 0;
	if (b >= 0x80 && b <= 0x8f) {
		*children = 2 * (uint64_t)(b & 0x0f);
		return 0;
	}
	if (b >= 0x90 && b <= 0x9f) {
		*children = b & 0x0f;
		return 0;
	}
	if (b >= 0xa0 && b <= 0xbf) {
		*body = b & 0x1f;
		return 0;
	}
	switch (b) {
	case 0xc4: case 0xd9: lenbytes = 1; break;	/* bin8, str8 */
	case 0xc5: case 0xda: lenbytes = 2; break;	/* bin16, str16 */
	case 0xc6: case 0xdb: lenbytes = 4; break;	/* bin32, str32 */
	case 0xc7: lenbytes = 1; *body = 1; break;	/* ext8 + type */
	case 0xc8: lenbytes = 2; *body = 1; break;
	case 0xc9: lenbytes = 4; *body = 1; break;
	case 0xca: *body = 4; return 0;			/* float32 */
	case 0xcb: *body = 8; return 0;			/* float64 */
	case 0xcc: case 0xd0: *body = 1; return 0;	/* (u)int8 */
	case 0xcd: case 0xd1: *body = 2; return 0;
	case 0xce: case 0xd2: *body = 4; return 0;
	case 0xcf: case 0xd3: *body = 8; return 0;
	case 0xd4: *body = 2; return 0;			/* fixext1 + type */
	case 0xd5: *body = 3; return 0;
	case 0xd6: *body = 5; return 0;
	case 0xd7: *body = 9; return 0;
	case 0xd8: *body = 17; return 0;
	case 0xdc: case 0xdd:				/* array16/32 */
	case 0xde: case 0xdf:				/* map16/32 */
		lenbytes = (b & 1) ? 4 : 2;
		if (avail < 1 + lenbytes)
			return -1;
		*hdr = 1 + lenbytes;
		*children = read_be(p + 1, lenbytes);
		if (b >= 0xde)
			*children *= 2;
		return 0;
	default:
		return -1;	/* 0xc1 */
	}
	if (avail < 1 + lenbytes)
		return -1;
	*hdr = 1 + lenbytes;
	*body += read_be(p + 1, lenbytes);
	return 0;
}

/*
 * Walk the encoded bytes once without allocating: exactly one object,
 * no trailing bytes, every declared element present (each needs at least
 * one byte), no container over COVOPT_MAX_ITEMS entries (a map's keys
 * and values both count) and nesting at most CODEC_MAX_DEPTH.
 * Returns 0, or -1 with *why set.
 */
static int scan_msgpack(const unsigned char *p, size_t len, const char **why)
{
	uint64_t left[CODEC_MAX_DEPTH + 1];	/* objects still to read */
	uint64_t pending = 1;			/* sum of left[] */
	size_t pos = 0;
	int depth = 0;

	left[0] = 1;
	while (depth >= 0) {
		size_t hdr;
		uint64_t body, children;

		if (!left[depth]) {
			depth--;
			continue;
		}
		if (pos >= len || scan_header(p + pos, len - pos, &hdr, &body,
					      &children)) {
			*why = pos >= len ? "truncated data" : "malformed data";
			return -1;
		}
		left[depth]--;
		pending--;
		pos += hdr;
		if (body > len - pos) {
			*why = "truncated data";
			return -1;
		}
		pos += (size_t)body;
		if (!children)
			continue;
		if (children > COVOPT_MAX_ITEMS) {
			*why = "too many items";
			return -1;
		}
		if (children + pending > len - pos) {
			*why = "item count larger than the data";
			return -1;
		}
		if (depth == CODEC_MAX_DEPTH) {
			*why = "nested too deeply";
			return -1;
		}
		left[++depth] = children;
		pending += children;
	}
	if (pos != len) {
		*why = "trailing bytes after the model";
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Decoding: bounded cursors over the columns                          */
/* ------------------------------------------------------------------ */

/* The unread bytes of a column. */
struct cur {
	const unsigned char *p, *end;
};

/* get_varint() for a varint of more than one byte (or none). */
static int get_long_varint(struct cur *c, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;

	for (;;) {
		unsigned char byte;

		if (c->p >= c->end)
			return -1;
		byte = *c->p++;
		if (shift == 63 && byte > 1)
			return -1;	/* over 64 bits */
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			if (!byte && shift)
				return -1;	/* overlong */
			break;
		}
		shift += 7;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * One LEB128 varint of at most 10 bytes, in its shortest form, no larger
 * than max. Returns 0, or -1 leaving c somewhere inside the bad varint.
 */
static inline int get_varint(struct cur *c, uint64_t max, uint64_t *out)
{
	if (c->p < c->end && *c->p < 0x80) {
		if (*c->p > max)
			return -1;
		*out = *c->p++;
		return 0;
	}
	return get_long_varint(c, max, out);
}

static size_t cur_left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

/*
 * Step over the next front-coded string; *len holds the previous string's
 * length on entry and this one's on return. Returns 0 or -1.
 */
static int skip_string(struct cur *c, size_t *len)
{
	uint64_t p, s;

	if (get_varint(c, *len, &p) ||
	    get_varint(c, COVOPT_MAX_STRING - p, &s) || s > cur_left(c))
		return -1;
	c->p += s;
	*len = p + s;
	return 0;
}

/* A section of columns: "files", "features" or "tests". */
struct section {
	const char *name;	/* key in the root map */
	const char *item;	/* one item, in messages */
	const char *const *cols;	/* column names */
	size_t cols_nr;
	size_t nr;		/* declared item count */
	struct cur col[8];
};

static const char *const file_cols[] = { "paths", "blobs", "imports" };
static const char *const feature_cols[] = { "counts", "names",
					    "name refs", "kinds", "hashes",
					    "lines" };
static const char *const test_cols[] = { "ids", "flags", "costs",
					 "outcomes", "histories", "lengths",
					 "signals" };
enum { FILE_PATHS, FILE_BLOBS, FILE_IMPORTS };
enum { FEAT_COUNTS, FEAT_NAMES, FEAT_REFS, FEAT_KINDS, FEAT_HASHES,
       FEAT_LINES };
enum { TEST_IDS, TEST_FLAGS, TEST_COSTS, TEST_OUTCOMES, TEST_HISTORIES,
       TEST_LENGTHS, TEST_SIGNALS };

#define SECTION(name, item, cols) \
	{ name, item, cols, sizeof(cols) / sizeof(cols[0]), 0, { { 0 } } }

struct decoder {
	struct model *m;
	const char *what;
	const unsigned char *note;	/* the whole note, for its checksum */
	size_t note_len;
	struct section files, features, tests;
	size_t strings_size, imports_nr;	/* bytes, entries to allocate */
	char **names;		/* the feature names, in the block */
	size_t names_nr;
	uint32_t *imports_next;		/* filling the model's block */
	unsigned char *signals_next;
	char *strings_next;
};

static int bad(const struct decoder *d, const char *item, size_t i,
	       const char *field)
{
	return error("%s: bad model: %s #%zu: bad %s", d->what, item, i,
		     field);
}

static int bad_column(const struct decoder *d, const struct section *s,
		      size_t c, const char *problem)
{
	return error("%s: bad model: '%s' column '%s': %s", d->what, s->name,
		     s->cols[c], problem);
}

/* Every byte of column c was read. */
static int column_done(const struct decoder *d, const struct section *s,
		       size_t c, const struct cur *at)
{
	if (at->p != at->end)
		return bad_column(d, s, c, "trailing bytes");
	return 0;
}

/* Bind [count, bin...] to s, the count bounded by COVOPT_MAX_ITEMS. */
static int bind_section(struct decoder *d, struct section *s,
			const msgpack_object *o)
{
	const msgpack_object *items;

	if (o->type != MSGPACK_OBJECT_ARRAY ||
	    o->via.array.size != s->cols_nr + 1)
		return error("%s: bad model: '%s' is not an array of %zu items",
			     d->what, s->name, s->cols_nr + 1);
	items = o->via.array.ptr;
	if (items[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    items[0].via.u64 > COVOPT_MAX_ITEMS)
		return error("%s: bad model: bad '%s' count", d->what,
			     s->name);
	s->nr = (size_t)items[0].via.u64;
	for (size_t c = 0; c < s->cols_nr; c++) {
		const msgpack_object *bin = &items[c + 1];
		const unsigned char *p = (const unsigned char *)"";

		if (bin->type != MSGPACK_OBJECT_BIN)
			return bad_column(d, s, c, "not a bin");
		if (bin->via.bin.size)
			p = (const unsigned char *)bin->via.bin.ptr;
		s->col[c].p = p;
		s->col[c].end = p + bin->via.bin.size;
	}
	return 0;
}

/* Column c holds exactly size bytes, or at least one byte per item. */
static int check_size(const struct decoder *d, const struct section *s,
		      size_t c, size_t size)
{
	size_t have = cur_left(&s->col[c]);

	if (size != SIZE_MAX && have != size)
		return bad_column(d, s, c, "wrong size");
	if (size == SIZE_MAX && s->nr > have)
		return bad_column(d, s, c, "item count larger than the data");
	return 0;
}

/*
 * Check a string column of at most max strings (SIZE_MAX: exactly s->nr),
 * add the bytes it decodes to to strings_size and return how many strings
 * it holds in *nr. Returns 0 or -1.
 */
static int size_strings(struct decoder *d, const struct section *s,
			size_t c, size_t max, size_t *nr)
{
	struct cur at = s->col[c];
	size_t len = 0, sum = 0, n = 0;
	/* past 4 MiB of column, CODEC_MAX_STRINGS is the tighter bound */
	size_t limit = cur_left(&at) < CODEC_MAX_STRINGS / CODEC_MAX_EXPANSION ?
		cur_left(&at) * CODEC_MAX_EXPANSION + CODEC_EXPANSION_SLACK :
		SIZE_MAX;

	for (; max == SIZE_MAX ? n < s->nr : at.p < at.end; n++) {
		if (max != SIZE_MAX && n == max)
			return bad_column(d, s, c, "too many strings");
		if (skip_string(&at, &len))
			return bad_column(d, s, c, "bad string");
		sum += len + 1;
		if (sum > limit)
			return bad_column(d, s, c, "strings too large (over "
					  "64 times the column)");
		if (d->strings_size + sum > CODEC_MAX_STRINGS)
			return error("%s: bad model: strings too large (over "
				     "%zu MiB in all)", d->what,
				     CODEC_MAX_STRINGS >> 20);
	}
	if (column_done(d, s, c, &at))
		return -1;
	d->strings_size += sum;
	*nr = n;
	return 0;
}

/* Check the imports column and count its entries into imports_nr. */
static int size_imports(struct decoder *d)
{
	const struct section *s = &d->files;
	struct cur at = s->col[FILE_IMPORTS];
	uint64_t k, v;

	for (size_t i = 0; i < s->nr; i++) {
		if (get_varint(&at, COVOPT_MAX_ITEMS, &k) ||
		    k > cur_left(&at))
			return bad(d, s->item, i, "imports");
		for (uint64_t j = 0; j < k; j++)
			if (get_varint(&at, UINT32_MAX, &v))
				return bad(d, s->item, i, "imports");
		d->imports_nr += (size_t)k;
	}
	return column_done(d, s, FILE_IMPORTS, &at);
}

/*
 * Decode the next string of a column checked by size_strings() into the
 * block, after prev (the previous string, *len bytes). NULL if it holds NUL.
 */
static char *take_string(struct decoder *d, struct cur *at, size_t *len,
			 const char *prev)
{
	char *dst = d->strings_next;
	uint64_t p, s;

	if (get_varint(at, *len, &p) ||
	    get_varint(at, COVOPT_MAX_STRING - p, &s) || s > cur_left(at))
		return NULL;
	if (p)
		memcpy(dst, prev, p);
	for (size_t k = 0; k < s; k++)
		if (!(dst[p + k] = (char)at->p[k]))
			return NULL;
	at->p += s;
	*len = p + s;
	dst[*len] = '\0';
	d->strings_next += *len + 1;
	return dst;
}

/* A lowercase hex object id (or empty), into a COVOPT_OID_HEXSZ+1 array. */
static int get_hex(char *out, const msgpack_object *o)
{
	size_t n;

	if (o->type != MSGPACK_OBJECT_STR ||
	    !is_hex_id(o->via.str.ptr, o->via.str.size))
		return -1;
	n = o->via.str.size;
	if (n)
		memcpy(out, o->via.str.ptr, n);
	out[n] = '\0';
	return 0;
}

/* An id of the blobs column: digit count, then packed digits. */
static int get_packed_hex(char *out, struct cur *at)
{
	static const char digits[] = "0123456789abcdef";
	uint64_t n;

	if (get_varint(at, COVOPT_OID_HEXSZ, &n) ||
	    (n + 1) / 2 > cur_left(at))
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		unsigned byte = *at->p++;

		out[i] = digits[byte >> 4];
		if (i + 1 < n)
			out[i + 1] = digits[byte & 0xf];
		else if (byte & 0xf)
			return -1;	/* an odd count pads with 0 */
	}
	out[n] = '\0';
	return 0;
}

static int fill_files(struct decoder *d)
{
	struct section *s = &d->files;
	struct cur *paths = &s->col[FILE_PATHS], *blobs = &s->col[FILE_BLOBS];
	struct cur *imports = &s->col[FILE_IMPORTS];
	const char *prev = "";
	size_t len = 0;
	uint64_t k, v;

	for (size_t i = 0; i < s->nr; i++) {
		struct model_file *f = &d->m->files[i];

		if (!(f->path = take_string(d, paths, &len, prev)))
			return bad(d, s->item, i, "path");
		prev = f->path;
		if (get_packed_hex(f->blob, blobs))
			return bad(d, s->item, i, "blob id");
		if (get_varint(imports, COVOPT_MAX_ITEMS, &k))
			BUG("imports column changed after it was checked");
		f->imports_nr = (size_t)k;
		if (k)
			f->imports = d->imports_next;
		for (uint64_t j = 0; j < k; j++) {
			if (get_varint(imports, UINT32_MAX, &v))
				BUG("imports column changed");
			*d->imports_next++ = (uint32_t)v;
		}
	}
	return column_done(d, s, FILE_BLOBS, blobs);
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (unsigned b = CODEC_HASH_BYTES; b--;)
		v = (v << 8) | p[b];
	return v;
}

/* Give each feature its file from the per-file feature counts. */
static int fill_feature_files(struct decoder *d)
{
	struct section *s = &d->features;
	struct cur *counts = &s->col[FEAT_COUNTS];
	size_t at = 0;
	uint64_t k;

	for (size_t i = 0; i < d->files.nr; i++) {
		if (get_varint(counts, s->nr - at, &k))
			return bad(d, d->files.item, i, "feature count");
		for (size_t end = at + (size_t)k; at < end; at++)
			d->m->features[at].file = (uint32_t)i;
	}
	if (at != s->nr)
		return bad_column(d, s, FEAT_COUNTS, "counts do not add up");
	return column_done(d, s, FEAT_COUNTS, counts);
}

/* The distinct feature names, into d->names. */
static int fill_names(struct decoder *d)
{
	struct section *s = &d->features;
	struct cur *at = &s->col[FEAT_NAMES];
	const char *prev = "";
	size_t len = 0;

	if (d->names_nr)
		d->names = xmalloc(st_mult(d->names_nr, sizeof(char *)));
	for (size_t i = 0; i < d->names_nr; i++) {
		if (!(d->names[i] = take_string(d, at, &len, prev)))
			return bad_column(d, s, FEAT_NAMES, "NUL in a name");
		prev = d->names[i];
	}
	return 0;
}

/* The name of feature i: a reference into d->names, see model-codec.h. */
static int fill_name(struct decoder *d, size_t i, uint64_t *ref)
{
	struct model_feature *f = &d->m->features[i];
	uint64_t v, base = 0;

	if (i && f[-1].file == f->file)
		base = *ref + 1;	/* names in a file strictly increase */
	if (base >= d->names_nr ||
	    get_varint(&d->features.col[FEAT_REFS], d->names_nr - 1 - base, &v))
		return bad(d, d->features.item, i, "name reference");
	*ref = base + v;
	f->name = d->names[*ref];
	return 0;
}

static int fill_features(struct decoder *d)
{
	struct section *s = &d->features;
	struct cur *lines = &s->col[FEAT_LINES];
	const unsigned char *kinds = s->col[FEAT_KINDS].p;
	const unsigned char *hashes = s->col[FEAT_HASHES].p;
	uint64_t v, ref = 0;

	if (fill_feature_files(d) || fill_names(d))
		return -1;
	for (size_t i = 0; i < s->nr; i++) {
		struct model_feature *f = &d->m->features[i];

		if (fill_name(d, i, &ref))
			return -1;
		if (kinds[i] > FEATURE_KIND_MAX)
			return bad(d, s->item, i, "kind");
		f->kind = kinds[i];
		f->hash = get_le64(hashes + CODEC_HASH_BYTES * i);
		if (get_varint(lines, UINT32_MAX, &v))
			return bad(d, s->item, i, "line count");
		f->lines = (uint32_t)v;
	}
	if (column_done(d, s, FEAT_REFS, &s->col[FEAT_REFS]))
		return -1;
	return column_done(d, s, FEAT_LINES, lines);
}

/* The numbers of test t: flag, cost, outcome and history. */
static int fill_test_numbers(struct decoder *d, size_t i)
{
	struct section *s = &d->tests;
	struct model_test *t = &d->m->tests[i];
	uint64_t v;

	if (get_varint(&s->col[TEST_FLAGS], UINT32_MAX, &v))
		return bad(d, s->item, i, "flag index");
	t->flag = (uint32_t)v;
	if (get_varint(&s->col[TEST_COSTS], CODEC_MAX_COST_US, &v))
		return bad(d, s->item, i, "cost");
	t->cost = (double)v / CODEC_COST_UNIT;
	if (s->col[TEST_OUTCOMES].p[i] > OUTCOME_MAX)
		return bad(d, s->item, i, "outcome");
	t->outcome = s->col[TEST_OUTCOMES].p[i];
	if (get_varint(&s->col[TEST_HISTORIES], UINT32_MAX, &v))
		return bad(d, s->item, i, "history");
	t->history = (uint32_t)v;
	return 0;
}

static int fill_tests(struct decoder *d)
{
	struct section *s = &d->tests;
	struct cur *signals = &s->col[TEST_SIGNALS];
	size_t left = cur_left(signals), len = 0;
	const char *prev = "";
	uint64_t v;

	if (left)
		memcpy(d->signals_next, signals->p, left);
	for (size_t i = 0; i < s->nr; i++) {
		struct model_test *t = &d->m->tests[i];

		t->id = take_string(d, &s->col[TEST_IDS], &len, prev);
		if (!t->id)
			return bad(d, s->item, i, "id");
		prev = t->id;
		if (fill_test_numbers(d, i))
			return -1;
		if (get_varint(&s->col[TEST_LENGTHS], left, &v))
			return bad(d, s->item, i, "signal length");
		t->signals_len = (size_t)v;
		if (v)
			t->signals = d->signals_next;
		d->signals_next += v;
		left -= (size_t)v;
	}
	if (left)
		return bad_column(d, s, TEST_SIGNALS, "lengths do not add up");
	for (size_t c = TEST_FLAGS; c <= TEST_LENGTHS; c++)
		if (c != TEST_OUTCOMES && column_done(d, s, c, &s->col[c]))
			return -1;
	return 0;
}

/* Check every size an allocation depends on, before allocating. */
static int size_model(struct decoder *d)
{
	size_t n;

	if (check_size(d, &d->files, FILE_PATHS, SIZE_MAX) ||
	    check_size(d, &d->files, FILE_BLOBS, SIZE_MAX) ||
	    check_size(d, &d->files, FILE_IMPORTS, SIZE_MAX) ||
	    check_size(d, &d->features, FEAT_REFS, SIZE_MAX) ||
	    check_size(d, &d->features, FEAT_KINDS, d->features.nr) ||
	    check_size(d, &d->features, FEAT_HASHES,
		       CODEC_HASH_BYTES * d->features.nr) ||
	    check_size(d, &d->tests, TEST_OUTCOMES, d->tests.nr))
		return -1;
	if (size_strings(d, &d->files, FILE_PATHS, SIZE_MAX, &n) ||
	    size_strings(d, &d->features, FEAT_NAMES, d->features.nr,
			 &d->names_nr) ||
	    size_strings(d, &d->tests, TEST_IDS, SIZE_MAX, &n) ||
	    size_imports(d))
		return -1;
	return 0;
}

/* The arrays, and one block for imports, signals and strings. */
static void allocate_model(struct decoder *d)
{
	struct model *m = d->m;
	size_t imports = st_mult(d->imports_nr, sizeof(uint32_t));
	size_t signals = cur_left(&d->tests.col[TEST_SIGNALS]);

	m->block_size = st_add(st_add(imports, signals), d->strings_size);
	m->block = m->block_size ? xmalloc(m->block_size) : NULL;
	d->imports_next = (uint32_t *)m->block;
	d->signals_next = m->block + imports;
	d->strings_next = (char *)m->block + imports + signals;
	m->files_nr = m->files_alloc = d->files.nr;
	m->features_nr = m->features_alloc = d->features.nr;
	m->tests_nr = m->tests_alloc = d->tests.nr;
	m->files = m->files_nr ? xcalloc(m->files_nr, sizeof(*m->files)) :
		NULL;
	m->features = m->features_nr ?
		xcalloc(m->features_nr, sizeof(*m->features)) : NULL;
	m->tests = m->tests_nr ? xcalloc(m->tests_nr, sizeof(*m->tests)) :
		NULL;
}

static int decode_columns(struct decoder *d, const msgpack_object *files,
			  const msgpack_object *features,
			  const msgpack_object *tests)
{
	if (bind_section(d, &d->files, files) ||
	    bind_section(d, &d->features, features) ||
	    bind_section(d, &d->tests, tests) || size_model(d))
		return -1;
	allocate_model(d);
	return fill_files(d) || fill_features(d) || fill_tests(d) ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Decoding: the root map, the commit and the flags                    */
/* ------------------------------------------------------------------ */

static int get_double(double *out, const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_FLOAT64)
		return -1;
	*out = o->via.f64;
	return 0;
}

/* A string without NUL of at most COVOPT_MAX_STRING bytes, copied. */
static char *get_str(const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_STR ||
	    o->via.str.size > COVOPT_MAX_STRING ||
	    (o->via.str.size && memchr(o->via.str.ptr, '\0', o->via.str.size)))
		return NULL;
	return xmemdupz(o->via.str.ptr, o->via.str.size);
}

static int key_is(const msgpack_object *k, const char *name)
{
	size_t n = strlen(name);

	return k->via.str.size == n && !memcmp(k->via.str.ptr, name, n);
}

static int decode_flags(struct decoder *d, const msgpack_object *o)
{
	struct model *m = d->m;
	const msgpack_object *f;
	size_t n, k;

	if (o->type != MSGPACK_OBJECT_ARRAY)
		return error("%s: bad model: 'flags' is not an array", d->what);
	n = o->via.array.size;
	m->flags = n ? xcalloc(n, sizeof(*m->flags)) : NULL;
	m->flags_alloc = n;
	for (size_t i = 0; i < n; i++) {
		struct model_flag *fl = &m->flags[i];
		const msgpack_object *item = &o->via.array.ptr[i];

		/* 4 items: written before recorded_at existed (0) */
		k = item->type == MSGPACK_OBJECT_ARRAY ?
			item->via.array.size : 0;
		if (k != 4 && k != 5)
			return error("%s: bad model: flag #%zu: not a 4- or "
				     "5-item array", d->what, i);
		f = item->via.array.ptr;
		if (!(fl->name = get_str(&f[0])))
			return bad(d, "flag", i, "name");
		m->flags_nr++;
		if (get_hex(fl->commit, &f[1]))
			return bad(d, "flag", i, "commit");
		if (get_double(&fl->suite_time, &f[2]) ||
		    get_double(&fl->overhead, &f[3]) ||
		    (k == 5 && get_double(&fl->recorded_at, &f[4])))
			return bad(d, "flag", i, "time");
	}
	return 0;
}

static const char *const section_keys[] = { "commit", "flags", "files",
					    "features", "tests", "lines" };
#define NR_SECTIONS (sizeof(section_keys) / sizeof(section_keys[0]))
/* Sections from this one on are optional ("lines": format 2). */
#define NR_REQUIRED 5

/* The version comes first: a newer model may not match our schema at all. */
static int check_version(const struct decoder *d, const msgpack_object *root)
{
	const msgpack_object_kv *kv = root->via.map.ptr;
	const msgpack_object *v = NULL;

	for (size_t i = 0; i < root->via.map.size; i++) {
		if (kv[i].key.type != MSGPACK_OBJECT_STR)
			return error("%s: bad model: a key is not a string",
				     d->what);
		if (key_is(&kv[i].key, "covopt")) {
			if (v)
				return error("%s: bad model: duplicate key "
					     "'covopt'", d->what);
			v = &kv[i].val;
		}
	}
	if (!v)
		return error("%s: not a git-covopt model (no 'covopt' key)",
			     d->what);
	if (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER || !v->via.u64)
		return error("%s: bad model: bad format version", d->what);
	if (v->via.u64 > COVOPT_MODEL_VERSION)
		return error("%s has model format %llu; this git-covopt reads "
			     "up to %d — upgrade git-covopt", d->what,
			     (unsigned long long)v->via.u64,
			     COVOPT_MODEL_VERSION);
	return 0;
}

/* Find each section's value; unknown keys are skipped. */
static int find_sections(const struct decoder *d, const msgpack_object *root,
			 const msgpack_object **val)
{
	const msgpack_object_kv *kv = root->via.map.ptr;

	for (size_t i = 0; i < root->via.map.size; i++) {
		for (size_t s = 0; s < NR_SECTIONS; s++) {
			if (!key_is(&kv[i].key, section_keys[s]))
				continue;
			if (val[s])
				return error("%s: bad model: duplicate key "
					     "'%s'", d->what, section_keys[s]);
			val[s] = &kv[i].val;
			break;
		}
	}
	for (size_t s = 0; s < NR_REQUIRED; s++)
		if (!val[s])
			return error("%s: bad model: missing key '%s'",
				     d->what, section_keys[s]);
	return 0;
}

/* The value of an optional root key, or NULL; *dup set if it is twice. */
static const msgpack_object *optional_key(const msgpack_object *root,
					  const char *name, int *dup)
{
	const msgpack_object_kv *kv = root->via.map.ptr;
	const msgpack_object *val = NULL;

	*dup = 0;
	for (size_t i = 0; i < root->via.map.size; i++) {
		if (!key_is(&kv[i].key, name))
			continue;
		if (val)
			*dup = 1;
		val = &kv[i].val;
	}
	return val;
}

/* The "import_time" column, see pack_import_time(); absent in older notes. */
static int decode_import_time(struct decoder *d, const msgpack_object *root)
{
	int dup;
	const msgpack_object *o = optional_key(root, "import_time", &dup);
	struct cur at;
	size_t next = 0;
	uint64_t gap;

	if (dup)
		return error("%s: bad model: duplicate key 'import_time'",
			     d->what);
	if (!o)
		return 0;
	if (o->type != MSGPACK_OBJECT_BIN)
		return error("%s: bad model: 'import_time' is not a bin",
			     d->what);
	if (!o->via.bin.size)
		return 0;
	at.p = (const unsigned char *)o->via.bin.ptr;
	at.end = at.p + o->via.bin.size;
	while (at.p < at.end) {
		if (next >= d->m->features_nr ||
		    get_varint(&at, d->m->features_nr - 1 - next, &gap))
			return error("%s: bad model: 'import_time': bad "
				     "feature index", d->what);
		next += (size_t)gap;
		d->m->features[next++].import_time = 1;
	}
	return 0;
}

/*
 * The "signatures" entry, optional: one nil or bin (at most
 * COVOPT_MAX_SIGNATURE bytes) per flag. A signature is checked by its
 * verifier, not here: a malformed entry leaves every flag unsigned
 * rather than making the model corrupt (the checksum still covers it).
 */
static void decode_signatures(struct decoder *d, const msgpack_object *root)
{
	int dup;
	const msgpack_object *o = optional_key(root, "signatures", &dup);
	struct model *m = d->m;

	if (!o || dup || o->type != MSGPACK_OBJECT_ARRAY ||
	    o->via.array.size != m->flags_nr)
		return;
	for (size_t i = 0; i < m->flags_nr; i++) {
		const msgpack_object *e = &o->via.array.ptr[i];

		if (e->type != MSGPACK_OBJECT_NIL &&
		    (e->type != MSGPACK_OBJECT_BIN ||
		     e->via.bin.size > COVOPT_MAX_SIGNATURE))
			return;
	}
	for (size_t i = 0; i < m->flags_nr; i++) {
		const msgpack_object *e = &o->via.array.ptr[i];

		if (e->type == MSGPACK_OBJECT_BIN)
			model_flag_set_signature(&m->flags[i], e->via.bin.ptr,
						 e->via.bin.size);
	}
}

/*
 * The "checksum" entry, required from format 2 on and checked whenever
 * present: the last root entry, a fixed 8-byte uint, the checksum64() of
 * every byte of the note before its value.
 */
static int check_checksum(const struct decoder *d, const msgpack_object *root)
{
	int dup, dup_version;
	const msgpack_object *o = optional_key(root, "checksum", &dup);
	const msgpack_object *v = optional_key(root, "covopt", &dup_version);
	size_t body = d->note_len - CODEC_CHECKSUM_BYTES;

	if (!o && v->via.u64 < CODEC_CHECKSUM_SINCE)
		return 0;
	if (!o)
		return error("%s: corrupt model: no checksum", d->what);
	if (dup || o->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
	    d->note_len < CODEC_CHECKSUM_BYTES || d->note[body] != 0xcf ||
	    read_be(d->note + body + 1, 8) != o->via.u64 ||
	    checksum64(d->note, body) != o->via.u64)
		return error("%s: corrupt model: checksum mismatch", d->what);
	return 0;
}

static int decode_root(struct decoder *d, const msgpack_object *root)
{
	const msgpack_object *val[NR_SECTIONS] = { NULL };

	if (root->type != MSGPACK_OBJECT_MAP)
		return error("%s: not a git-covopt model (not a map)", d->what);
	if (check_version(d, root) || check_checksum(d, root) ||
	    find_sections(d, root, val))
		return -1;
	if (get_hex(d->m->commit, val[0]))
		return error("%s: bad model: 'commit' is not a hex id",
			     d->what);
	if (decode_flags(d, val[1]))
		return -1;
	decode_signatures(d, root);
	if (decode_columns(d, val[2], val[3], val[4]) ||
	    decode_import_time(d, root))
		return -1;
	return val[5] ? lines_decode(d->m, val[5], d->what) : 0;
}

int model_decode(struct model *out, const void *buf, size_t len,
		 const char *what)
{
	struct decoder d = {
		.m = out,
		.what = what,
		.note = buf,
		.note_len = len,
		.files = SECTION("files", "file", file_cols),
		.features = SECTION("features", "feature", feature_cols),
		.tests = SECTION("tests", "test", test_cols),
	};
	msgpack_unpacked res;
	const char *why = NULL;
	size_t off = 0;
	int ret = -1;

	model_release(out);
	if (len > COVOPT_MAX_NOTE_SIZE)
		return error("%s: model too large (%zu bytes, at most %zu)",
			     what, len, COVOPT_MAX_NOTE_SIZE);
	if (scan_msgpack(buf, len, &why))
		return error("%s: cannot decode model: %s", what, why);
	msgpack_unpacked_init(&res);
	if (msgpack_unpack_next(&res, buf, len, &off) !=
		    MSGPACK_UNPACK_SUCCESS || off != len) {
		error("%s: cannot decode model: malformed data", what);
		goto cleanup;
	}
	if (decode_root(&d, &res.data) || model_validate(out, what))
		goto cleanup;
	ret = 0;
cleanup:
	msgpack_unpacked_destroy(&res);
	free(d.names);
	if (ret)
		model_release(out);
	return ret;
}
