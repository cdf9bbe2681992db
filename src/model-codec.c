/* model-codec.c - the model's msgpack form as stored in a git note, with its schema version.
 * A bounds-checked pre-scan vets every count and the depth before msgpack-c allocates anything. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <msgpack.h>
#include "model-codec.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* Deepest container nesting we accept; our schema uses 4 levels. */
#define CODEC_MAX_DEPTH 8

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

/* An object id as we store it: up to 40 lowercase hex digits (or none). */
static int is_hex_id(const char *s, size_t n)
{
	if (n > COVOPT_OID_HEXSZ)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return 1;
}

static int pack_cstr(msgpack_packer *pk, const char *s)
{
	size_t len = strlen(s);

	return msgpack_pack_str(pk, len) | msgpack_pack_str_body(pk, s, len);
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
		    check_hex(m->flags[i].commit))
			return -1;
	for (size_t i = 0; i < m->files_nr; i++)
		if (check_str(m->files[i].path) ||
		    check_hex(m->files[i].blob) ||
		    check_count(m->files[i].imports_nr, "imports"))
			return -1;
	for (size_t i = 0; i < m->features_nr; i++)
		if (check_str(m->features[i].name))
			return -1;
	for (size_t i = 0; i < m->tests_nr; i++)
		if (check_str(m->tests[i].id))
			return -1;
	return 0;
}

/* The pack_*() helpers return the OR of msgpack's results: 0 or -1. */
static int pack_flags(msgpack_packer *pk, const struct model *m)
{
	int r = msgpack_pack_array(pk, m->flags_nr);

	for (size_t i = 0; i < m->flags_nr; i++) {
		const struct model_flag *f = &m->flags[i];

		r |= msgpack_pack_array(pk, 5);
		r |= pack_cstr(pk, f->name);
		r |= pack_cstr(pk, f->commit);
		r |= msgpack_pack_double(pk, f->suite_time);
		r |= msgpack_pack_double(pk, f->overhead);
		r |= msgpack_pack_double(pk, f->recorded_at);
	}
	return r;
}

static int pack_files(msgpack_packer *pk, const struct model *m)
{
	int r = msgpack_pack_array(pk, m->files_nr);

	for (size_t i = 0; i < m->files_nr; i++) {
		const struct model_file *f = &m->files[i];

		r |= msgpack_pack_array(pk, 3);
		r |= pack_cstr(pk, f->path);
		r |= pack_cstr(pk, f->blob);
		r |= msgpack_pack_array(pk, f->imports_nr);
		for (size_t k = 0; k < f->imports_nr; k++)
			r |= msgpack_pack_uint32(pk, f->imports[k]);
	}
	return r;
}

static int pack_features(msgpack_packer *pk, const struct model *m)
{
	int r = msgpack_pack_array(pk, m->features_nr);

	for (size_t i = 0; i < m->features_nr; i++) {
		const struct model_feature *f = &m->features[i];

		r |= msgpack_pack_array(pk, 5);
		r |= msgpack_pack_uint32(pk, f->file);
		r |= pack_cstr(pk, f->name);
		r |= msgpack_pack_uint8(pk, f->kind);
		r |= msgpack_pack_uint64(pk, f->hash);
		r |= msgpack_pack_uint32(pk, f->lines);
	}
	return r;
}

static int pack_tests(msgpack_packer *pk, const struct model *m)
{
	int r = msgpack_pack_array(pk, m->tests_nr);

	for (size_t i = 0; i < m->tests_nr; i++) {
		const struct model_test *t = &m->tests[i];

		r |= msgpack_pack_array(pk, 6);
		r |= pack_cstr(pk, t->id);
		r |= msgpack_pack_uint32(pk, t->flag);
		r |= msgpack_pack_double(pk, t->cost);
		r |= msgpack_pack_uint8(pk, t->outcome);
		r |= msgpack_pack_uint32(pk, t->history);
		r |= msgpack_pack_bin(pk, t->signals_len);
		r |= msgpack_pack_bin_body(pk, t->signals, t->signals_len);
	}
	return r;
}

int model_encode(struct sbuf *out, const struct model *m)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int r;

	if (check_model(m))
		return -1;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	r = msgpack_pack_map(&pk, 6);
	r |= pack_cstr(&pk, "covopt");
	r |= msgpack_pack_uint32(&pk, COVOPT_MODEL_VERSION);
	r |= pack_cstr(&pk, "commit");
	r |= pack_cstr(&pk, m->commit);
	r |= pack_cstr(&pk, "flags");
	r |= pack_flags(&pk, m);
	r |= pack_cstr(&pk, "files");
	r |= pack_files(&pk, m);
	r |= pack_cstr(&pk, "features");
	r |= pack_features(&pk, m);
	r |= pack_cstr(&pk, "tests");
	r |= pack_tests(&pk, m);
	if (r)
		error("cannot encode model: out of memory");
	else
		sbuf_add(out, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return r ? -1 : 0;
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
/* Decoding: typed accessors that name what was wrong                  */
/* ------------------------------------------------------------------ */

struct decoder {
	struct model *m;
	const char *what;
};

static int bad(const struct decoder *d, const char *section, size_t i,
	       const char *problem)
{
	return error("%s: bad model: %s #%zu: %s", d->what, section, i,
		     problem);
}

static int get_array(const msgpack_object **items, size_t *nr,
		     const msgpack_object *o, size_t want)
{
	if (o->type != MSGPACK_OBJECT_ARRAY)
		return -1;
	if (want != SIZE_MAX && o->via.array.size != want)
		return -1;
	*items = o->via.array.ptr;
	*nr = o->via.array.size;
	return 0;
}

static int get_uint(uint64_t *out, const msgpack_object *o, uint64_t max)
{
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER || o->via.u64 > max)
		return -1;
	*out = o->via.u64;
	return 0;
}

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

static int key_is(const msgpack_object *k, const char *name)
{
	size_t n = strlen(name);

	return k->via.str.size == n && !memcmp(k->via.str.ptr, name, n);
}

/* Reserve exactly n items for an array the decoder fills in place. */
#define RESERVE(x, n, alloc) \
	do { \
		(x) = (n) ? xcalloc((n), sizeof(*(x))) : NULL; \
		(alloc) = (n); \
	} while (0)

static int decode_flags(struct decoder *d, const msgpack_object *o)
{
	struct model *m = d->m;
	const msgpack_object *items, *f;
	size_t n, k;

	if (get_array(&items, &n, o, SIZE_MAX))
		return error("%s: bad model: 'flags' is not an array", d->what);
	RESERVE(m->flags, n, m->flags_alloc);
	for (size_t i = 0; i < n; i++) {
		struct model_flag *fl = &m->flags[i];

		/* 4 items: written before recorded_at existed (0) */
		if (get_array(&f, &k, &items[i], SIZE_MAX) ||
		    (k != 4 && k != 5))
			return bad(d, "flag", i, "not a 4- or 5-item array");
		if (!(fl->name = get_str(&f[0])))
			return bad(d, "flag", i, "bad name");
		m->flags_nr++;
		if (get_hex(fl->commit, &f[1]))
			return bad(d, "flag", i, "bad commit");
		if (get_double(&fl->suite_time, &f[2]) ||
		    get_double(&fl->overhead, &f[3]) ||
		    (k == 5 && get_double(&fl->recorded_at, &f[4])))
			return bad(d, "flag", i, "bad time");
	}
	return 0;
}

static int decode_imports(struct model_file *file, const msgpack_object *o)
{
	const msgpack_object *items;
	size_t n;

	if (get_array(&items, &n, o, SIZE_MAX))
		return -1;
	file->imports = n ? xmalloc(st_mult(n, sizeof(uint32_t))) : NULL;
	file->imports_nr = n;
	for (size_t i = 0; i < n; i++) {
		uint64_t v;

		if (get_uint(&v, &items[i], UINT32_MAX))
			return -1;
		file->imports[i] = (uint32_t)v;
	}
	return 0;
}

static int decode_files(struct decoder *d, const msgpack_object *o)
{
	struct model *m = d->m;
	const msgpack_object *items, *f;
	size_t n, k;

	if (get_array(&items, &n, o, SIZE_MAX))
		return error("%s: bad model: 'files' is not an array", d->what);
	RESERVE(m->files, n, m->files_alloc);
	for (size_t i = 0; i < n; i++) {
		struct model_file *fi = &m->files[i];

		if (get_array(&f, &k, &items[i], 3))
			return bad(d, "file", i, "not a 3-item array");
		if (!(fi->path = get_str(&f[0])))
			return bad(d, "file", i, "bad path");
		m->files_nr++;
		if (get_hex(fi->blob, &f[1]))
			return bad(d, "file", i, "bad blob id");
		if (decode_imports(fi, &f[2]))
			return bad(d, "file", i, "bad imports");
	}
	return 0;
}

static int decode_features(struct decoder *d, const msgpack_object *o)
{
	struct model *m = d->m;
	const msgpack_object *items, *f;
	size_t n, k;

	if (get_array(&items, &n, o, SIZE_MAX))
		return error("%s: bad model: 'features' is not an array",
			     d->what);
	RESERVE(m->features, n, m->features_alloc);
	for (size_t i = 0; i < n; i++) {
		struct model_feature *fe = &m->features[i];
		uint64_t file, kind, lines;

		if (get_array(&f, &k, &items[i], 5))
			return bad(d, "feature", i, "not a 5-item array");
		if (!(fe->name = get_str(&f[1])))
			return bad(d, "feature", i, "bad name");
		m->features_nr++;
		if (get_uint(&file, &f[0], UINT32_MAX) ||
		    get_uint(&kind, &f[2], FEATURE_KIND_MAX) ||
		    get_uint(&fe->hash, &f[3], UINT64_MAX) ||
		    get_uint(&lines, &f[4], UINT32_MAX))
			return bad(d, "feature", i, "bad number");
		fe->file = (uint32_t)file;
		fe->kind = (uint8_t)kind;
		fe->lines = (uint32_t)lines;
	}
	return 0;
}

static int decode_signals(struct model_test *t, const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_BIN)
		return -1;
	t->signals_len = o->via.bin.size;
	if (t->signals_len) {
		t->signals = xmalloc(t->signals_len);
		memcpy(t->signals, o->via.bin.ptr, t->signals_len);
	}
	return 0;
}

static int decode_tests(struct decoder *d, const msgpack_object *o)
{
	struct model *m = d->m;
	const msgpack_object *items, *f;
	size_t n, k;

	if (get_array(&items, &n, o, SIZE_MAX))
		return error("%s: bad model: 'tests' is not an array", d->what);
	RESERVE(m->tests, n, m->tests_alloc);
	for (size_t i = 0; i < n; i++) {
		struct model_test *t = &m->tests[i];
		uint64_t flag, outcome, history;

		if (get_array(&f, &k, &items[i], 6))
			return bad(d, "test", i, "not a 6-item array");
		if (!(t->id = get_str(&f[0])))
			return bad(d, "test", i, "bad id");
		m->tests_nr++;
		if (get_uint(&flag, &f[1], UINT32_MAX) ||
		    get_double(&t->cost, &f[2]) ||
		    get_uint(&outcome, &f[3], OUTCOME_MAX) ||
		    get_uint(&history, &f[4], UINT32_MAX))
			return bad(d, "test", i, "bad number");
		if (decode_signals(t, &f[5]))
			return bad(d, "test", i, "bad signals");
		t->flag = (uint32_t)flag;
		t->outcome = (uint8_t)outcome;
		t->history = (uint32_t)history;
	}
	return 0;
}

static int decode_commit(struct decoder *d, const msgpack_object *o)
{
	if (get_hex(d->m->commit, o))
		return error("%s: bad model: 'commit' is not a hex id",
			     d->what);
	return 0;
}

static const struct {
	const char *key;
	int (*fn)(struct decoder *d, const msgpack_object *o);
} sections[] = {
	{ "commit", decode_commit },
	{ "flags", decode_flags },
	{ "files", decode_files },
	{ "features", decode_features },
	{ "tests", decode_tests },
};
#define NR_SECTIONS (sizeof(sections) / sizeof(sections[0]))

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

static int decode_root(struct decoder *d, const msgpack_object *root)
{
	const msgpack_object_kv *kv;
	unsigned seen = 0;

	if (root->type != MSGPACK_OBJECT_MAP)
		return error("%s: not a git-covopt model (not a map)", d->what);
	if (check_version(d, root))
		return -1;
	kv = root->via.map.ptr;
	for (size_t i = 0; i < root->via.map.size; i++) {
		for (size_t s = 0; s < NR_SECTIONS; s++) {
			if (!key_is(&kv[i].key, sections[s].key))
				continue;
			if (seen & (1u << s))
				return error("%s: bad model: duplicate key "
					     "'%s'", d->what, sections[s].key);
			seen |= 1u << s;
			if (sections[s].fn(d, &kv[i].val))
				return -1;
			break;
		}
	}
	for (size_t s = 0; s < NR_SECTIONS; s++)
		if (!(seen & (1u << s)))
			return error("%s: bad model: missing key '%s'",
				     d->what, sections[s].key);
	return 0;
}

int model_decode(struct model *out, const void *buf, size_t len,
		 const char *what)
{
	struct decoder d = { out, what };
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
	if (ret)
		model_release(out);
	return ret;
}
