/* coverage-db.c - read coverage.py's SQLite data file (schema 7) with contexts.
 * A load appends undoably, checks, then folds repeated (file, context) keys. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sqlite3.h>
#include "ingest/coverage-db.h"
#include "hashmap.h"
#include "quote.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define COVERAGE_SCHEMA_VERSION 7
#define MAX_LINE 10000000		/* a larger line number is corruption */
#define MAX_NUMBITS ((size_t)1 << 20)	/* 8M lines: below MAX_LINE */
#define MAX_TEXT ((size_t)64 << 10)	/* a path or a context string */
#define MAX_ITEMS ((size_t)1 << 28)	/* files, contexts, records */
#define BUSY_TIMEOUT_MS 5000

/* ------------------------------------------------------------------
 * Lookup tables: strings held by a strlist, and record pairs.
 */

/* coverage_data.file_index: the paths, and (file, context) -> record. */
struct file_index {
	struct hashmap paths;	/* items: indices into coverage_data.files */
	struct hashmap pairs;	/* items: indices into coverage_data.records */
};

struct str_key {
	const struct strlist *list;
	const char *s;
	size_t len;
};

static int str_equal(const void *key, uint32_t item)
{
	const struct str_key *k = key;
	const char *s = k->list->items[item];

	return !strncmp(s, k->s, k->len) && !s[k->len];
}

/* Index of s (len bytes, no NUL inside) in list, adding it if new. */
static uint32_t intern(struct strlist *list, struct hashmap *idx,
		       const char *s, size_t len)
{
	struct str_key key = { .list = list, .s = s, .len = len };
	uint32_t hash = hash_bytes(HASH_START, s, len), item;

	if (hashmap_find(idx, hash, str_equal, &key, &item))
		return item;
	strlist_append_nodup(list, xmemdupz(s, len));
	item = (uint32_t)(list->nr - 1);
	hashmap_add(idx, hash, item);
	return item;
}

/* Drop the items from nr on, and rebuild the index over the rest. */
static void truncate_interned(struct strlist *list, struct hashmap *idx,
			      size_t nr)
{
	if (list->nr == nr)
		return;
	for (size_t i = nr; i < list->nr; i++)
		free(list->items[i]);
	list->nr = nr;
	hashmap_release(idx);
	for (size_t i = 0; i < nr; i++)
		hashmap_add(idx, hash_bytes(HASH_START, list->items[i],
					    strlen(list->items[i])),
			    (uint32_t)i);
}

struct pair_key {
	const struct coverage_record *records;
	uint32_t file, context;
};

static uint32_t hash_pair(uint32_t file, uint32_t context)
{
	return hash_u64(((uint64_t)file << 32) | context);
}

static int pair_equal(const void *key, uint32_t item)
{
	const struct pair_key *k = key;

	return k->records[item].file == k->file &&
	       k->records[item].context == k->context;
}

/* ------------------------------------------------------------------
 * Sorted line sets.
 */

struct line_buf {
	uint32_t *v;
	size_t nr, alloc;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_unique(struct line_buf *lb)
{
	size_t w = 0;

	if (lb->nr < 2)
		return;
	qsort(lb->v, lb->nr, sizeof(*lb->v), cmp_u32);
	for (size_t i = 0; i < lb->nr; i++)
		if (!w || lb->v[w - 1] != lb->v[i])
			lb->v[w++] = lb->v[i];
	lb->nr = w;
}

/* Replace a's lines with the union of a's and b's; b's are freed. */
static void merge_lines(struct coverage_record *a, struct coverage_record *b)
{
	uint32_t *out = xmalloc(st_mult(st_add(a->lines_nr, b->lines_nr),
					sizeof(*out)));
	size_t i = 0, j = 0, n = 0;

	while (i < a->lines_nr || j < b->lines_nr) {
		uint32_t x;

		if (j == b->lines_nr ||
		    (i < a->lines_nr && a->lines[i] <= b->lines[j]))
			x = a->lines[i++];
		else
			x = b->lines[j++];
		if (!n || out[n - 1] != x)
			out[n++] = x;
	}
	free(a->lines);
	free(b->lines);
	b->lines = NULL;
	a->lines = xrealloc(out, st_mult(n, sizeof(*out)));
	a->lines_nr = n;
}

/* ------------------------------------------------------------------
 * Loading one file.
 */

struct id_entry {
	int64_t id;		/* row id in the file or context table */
	uint32_t index;		/* into coverage_data.files or .contexts */
};

struct id_map {
	struct id_entry *v;
	size_t nr, alloc;
};

struct loader {
	struct coverage_data *data;
	const char *path;
	sqlite3 *db;
	struct id_map files, contexts;
	struct line_buf lines;
};

static int db_error(struct loader *ld)
{
	if (sqlite3_errcode(ld->db) == SQLITE_NOTADB)
		return error("'%s' is not a coverage data file "
			     "(not an SQLite database)", ld->path);
	return error("cannot read '%s': %s", ld->path, sqlite3_errmsg(ld->db));
}

static int corrupt(struct loader *ld, const char *what)
{
	return error("cannot read '%s': corrupt coverage data (%s)", ld->path,
		     what);
}

static int prepare(struct loader *ld, const char *sql, sqlite3_stmt **out)
{
	if (sqlite3_prepare_v2(ld->db, sql, -1, out, NULL) != SQLITE_OK)
		return db_error(ld);
	return 0;
}

/* Refuse early what is not an SQLite file at all (text, empty, missing). */
static int check_header(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[sizeof(magic)];
	FILE *fp = fopen(path, "rb");
	size_t got;

	if (!fp)
		return error("cannot open '%s': %s", path, strerror(errno));
	got = fread(head, 1, sizeof(head), fp);
	fclose(fp);
	if (got != sizeof(head) || memcmp(head, magic, sizeof(magic)))
		return error("'%s' is not a coverage data file "
			     "(not an SQLite database)", path);
	return 0;
}

static int open_db(struct loader *ld)
{
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
	char *name = NULL;
	int ret = 0;

	/* a path starting with "file:" must not be taken for a URI */
	if (!strncmp(ld->path, "file:", 5)) {
		name = xmalloc(st_add(strlen(ld->path), 3));
		memcpy(name, "./", 2);
		memcpy(name + 2, ld->path, strlen(ld->path) + 1);
	}
	if (sqlite3_open_v2(name ? name : ld->path, &ld->db, flags, NULL) !=
	    SQLITE_OK) {
		ret = error("cannot open '%s': %s", ld->path,
			    ld->db ? sqlite3_errmsg(ld->db) : "out of memory");
		goto cleanup;
	}
	sqlite3_busy_timeout(ld->db, BUSY_TIMEOUT_MS);
cleanup:
	free(name);
	return ret;
}

/* A database cut short inside its last page still opens: check the size. */
static int check_size(struct loader *ld)
{
	sqlite3_stmt *st = NULL;
	int64_t want = -1;
	struct stat sb;
	int ret = -1;

	if (prepare(ld, "SELECT page_count * page_size FROM "
		    "pragma_page_count(), pragma_page_size()", &st) < 0)
		goto cleanup;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(ld);
		goto cleanup;
	}
	want = sqlite3_column_int64(st, 0);
	if (stat(ld->path, &sb) < 0) {
		error("cannot read '%s': %s", ld->path, strerror(errno));
		goto cleanup;
	}
	if ((int64_t)sb.st_size < want) {
		error("cannot read '%s': truncated (%jd of %jd bytes)",
		      ld->path, (intmax_t)sb.st_size, (intmax_t)want);
		goto cleanup;
	}
	ret = 0;
cleanup:
	sqlite3_finalize(st);
	return ret;
}

static int check_schema(struct loader *ld)
{
	sqlite3_stmt *st = NULL;
	int ret = -1, rc;

	if (prepare(ld, "SELECT count(*) FROM sqlite_master WHERE type = "
		    "'table' AND name = 'coverage_schema'", &st) < 0)
		goto cleanup;
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(ld);
		goto cleanup;
	}
	if (!sqlite3_column_int(st, 0)) {
		error("'%s' is not a coverage data file (no coverage_schema "
		      "table)", ld->path);
		goto cleanup;
	}
	sqlite3_finalize(st);
	if (prepare(ld, "SELECT version FROM coverage_schema", &st) < 0)
		goto cleanup;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_error(ld);
		goto cleanup;
	}
	if (rc != SQLITE_ROW || sqlite3_column_type(st, 0) != SQLITE_INTEGER ||
	    sqlite3_column_int64(st, 0) != COVERAGE_SCHEMA_VERSION) {
		error("'%s' has unsupported coverage data schema version '%s' "
		      "(expected %d)", ld->path,
		      rc == SQLITE_ROW && sqlite3_column_text(st, 0) ?
		      (const char *)sqlite3_column_text(st, 0) : "none",
		      COVERAGE_SCHEMA_VERSION);
		goto cleanup;
	}
	ret = 0;
cleanup:
	sqlite3_finalize(st);
	return ret;
}

/*
 * Refuse row id of the table what whose text (len bytes) holds a NUL or
 * is longer than MAX_TEXT, naming the row and its first bytes escaped:
 * skipping it would silently lose a test (a context is a test's id).
 */
static int bad_name(struct loader *ld, const char *what, int64_t id,
		    const char *text, size_t len)
{
	struct sbuf shown = SBUF_INIT;
	const char *nul = memchr(text, '\0', len);
	size_t head = len < 64 ? len : 64;

	quote_escape(&shown, text, head);
	if (nul)
		error("cannot read '%s': corrupt coverage data (%s, row %"
		      PRId64 " '%s%s': holds a NUL byte)", ld->path, what, id,
		      shown.buf, head < len ? "..." : "");
	else
		error("cannot read '%s': corrupt coverage data (%s, row %"
		      PRId64 " '%s...': longer than %zu bytes)", ld->path,
		      what, id, shown.buf, MAX_TEXT);
	sbuf_release(&shown);
	return -1;
}

/* Intern every row of "SELECT id, text ... ORDER BY id" into list. */
static int load_names(struct loader *ld, const char *sql,
		      struct strlist *list, struct hashmap *idx,
		      struct id_map *map, const char *what)
{
	sqlite3_stmt *st = NULL;
	int ret = -1, rc;

	if (prepare(ld, sql, &st) < 0)
		goto cleanup;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		int64_t id = sqlite3_column_int64(st, 0);

		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER ||
		    (map->nr && id <= map->v[map->nr - 1].id) ||
		    !text || list->nr >= MAX_ITEMS) {
			corrupt(ld, what);
			goto cleanup;
		}
		if (len > MAX_TEXT || strlen(text) != len) {
			bad_name(ld, what, id, text, len);
			goto cleanup;
		}
		ALLOC_GROW(map->v, map->nr + 1, map->alloc);
		map->v[map->nr].id = id;
		map->v[map->nr++].index = intern(list, idx, text, len);
	}
	if (rc != SQLITE_DONE) {
		db_error(ld);
		goto cleanup;
	}
	ret = 0;
cleanup:
	sqlite3_finalize(st);
	return ret;
}

/* The index that row id stands for, or -1 when no such row exists. */
static long map_id(const struct id_map *map, sqlite3_stmt *st, int col)
{
	int64_t id = sqlite3_column_int64(st, col);
	size_t lo = 0, hi = map->nr;

	if (sqlite3_column_type(st, col) != SQLITE_INTEGER)
		return -1;
	/* ids are usually 1..n */
	if (id >= 1 && (uint64_t)id <= map->nr && map->v[id - 1].id == id)
		return map->v[id - 1].index;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->v[mid].id == id)
			return map->v[mid].index;
		if (map->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Append a record of the (sorted, unique) lines in ld->lines, if any. */
static int add_record(struct loader *ld, uint32_t file, uint32_t context)
{
	struct coverage_data *data = ld->data;
	struct coverage_record *r;

	if (!ld->lines.nr)
		return 0;
	if (data->records_nr >= MAX_ITEMS)
		return corrupt(ld, "too many records");
	ALLOC_GROW(data->records, data->records_nr + 1, data->records_alloc);
	r = &data->records[data->records_nr++];
	r->file = file;
	r->context = context;
	r->lines_nr = ld->lines.nr;
	r->lines = xmalloc(st_mult(ld->lines.nr, sizeof(*r->lines)));
	memcpy(r->lines, ld->lines.v, ld->lines.nr * sizeof(*r->lines));
	return 0;
}

/*
 * Lines of a numbits blob: bit i of byte j set means line j * 8 + i.
 * Branch-free: every bit is stored and the cursor moves by the bit, which
 * is faster than testing bits that are set about half the time.
 */
static void decode_numbits(struct line_buf *lb, const unsigned char *bits,
			   size_t len)
{
	size_t n = 0;

	ALLOC_GROW(lb->v, st_add(st_mult(len, 8), 1), lb->alloc);
	for (size_t j = 0; j < len; j++) {
		unsigned b = bits[j];
		uint32_t base = (uint32_t)(j * 8);

		if (!b)
			continue;
		for (unsigned i = 0; i < 8; i++) {
			lb->v[n] = base + i;
			n += (b >> i) & 1;
		}
	}
	lb->nr = n;
	/* line 0 stands for an empty module's entry; no real line */
	if (lb->nr && !lb->v[0])
		memmove(lb->v, lb->v + 1, --lb->nr * sizeof(*lb->v));
}

static int load_line_bits(struct loader *ld)
{
	sqlite3_stmt *st = NULL;
	int ret = -1, rc;

	if (prepare(ld, "SELECT file_id, context_id, numbits FROM line_bits",
		    &st) < 0)
		goto cleanup;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long file = map_id(&ld->files, st, 0);
		long context = map_id(&ld->contexts, st, 1);
		int type = sqlite3_column_type(st, 2);
		const void *bits = sqlite3_column_blob(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2);

		if (file < 0 || context < 0) {
			corrupt(ld, "line_bits row of no file or context");
			goto cleanup;
		}
		if ((type != SQLITE_BLOB && type != SQLITE_NULL) ||
		    len > MAX_NUMBITS) {
			corrupt(ld, "bad numbits");
			goto cleanup;
		}
		decode_numbits(&ld->lines, bits, len);
		if (add_record(ld, (uint32_t)file, (uint32_t)context) < 0)
			goto cleanup;
	}
	if (rc != SQLITE_DONE) {
		db_error(ld);
		goto cleanup;
	}
	ret = 0;
cleanup:
	sqlite3_finalize(st);
	return ret;
}

/* Keep the positive end of an arc; 0 and negatives are entries and exits. */
static int add_arc_line(struct loader *ld, sqlite3_stmt *st, int col,
			size_t *limit)
{
	int64_t line = sqlite3_column_int64(st, col);
	struct line_buf *lb = &ld->lines;

	if (sqlite3_column_type(st, col) != SQLITE_INTEGER || line > MAX_LINE)
		return corrupt(ld, "bad arc line number");
	if (line <= 0)
		return 0;
	ALLOC_GROW(lb->v, lb->nr + 1, lb->alloc);
	lb->v[lb->nr++] = (uint32_t)line;
	/* bound the buffer by the number of distinct lines, not of rows */
	if (lb->nr >= *limit) {
		sort_unique(lb);
		if (lb->nr * 2 > *limit)
			*limit = st_mult(*limit, 2);
	}
	return 0;
}

static int load_arcs(struct loader *ld)
{
	sqlite3_stmt *st = NULL;
	long file = -1, context = -1;
	size_t limit = (size_t)1 << 16;
	int ret = -1, rc;

	if (prepare(ld, "SELECT file_id, context_id, fromno, tono FROM arc "
		    "ORDER BY file_id, context_id", &st) < 0)
		goto cleanup;
	ld->lines.nr = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long f = map_id(&ld->files, st, 0);
		long c = map_id(&ld->contexts, st, 1);

		if (f < 0 || c < 0) {
			corrupt(ld, "arc row of no file or context");
			goto cleanup;
		}
		if (f != file || c != context) {
			sort_unique(&ld->lines);
			if (file >= 0 && add_record(ld, (uint32_t)file,
						    (uint32_t)context) < 0)
				goto cleanup;
			ld->lines.nr = 0;
			file = f;
			context = c;
		}
		if (add_arc_line(ld, st, 2, &limit) < 0 ||
		    add_arc_line(ld, st, 3, &limit) < 0)
			goto cleanup;
	}
	if (rc != SQLITE_DONE) {
		db_error(ld);
		goto cleanup;
	}
	sort_unique(&ld->lines);
	if (file >= 0 && add_record(ld, (uint32_t)file, (uint32_t)context) < 0)
		goto cleanup;
	ret = 0;
cleanup:
	sqlite3_finalize(st);
	return ret;
}

/* Refuse a file with no data, or with data only outside test contexts. */
static int check_contexts(struct loader *ld, size_t first)
{
	const struct coverage_data *data = ld->data;

	if (first == data->records_nr)
		return error("'%s' holds no coverage data", ld->path);
	for (size_t i = first; i < data->records_nr; i++)
		if (*data->contexts.items[data->records[i].context])
			return 0;
	return error("'%s' has no test contexts; record it with 'pytest "
		     "--cov=PKG --cov-context=test'", ld->path);
}

/*
 * Fold the records from first on into the earlier ones with the same
 * (file, context), and index those that stay. Cannot fail.
 */
static void fold_records(struct coverage_data *data, size_t first)
{
	struct file_index *fi = data->file_index;
	size_t w = first;

	hashmap_reserve(&fi->pairs, data->records_nr);
	for (size_t i = first; i < data->records_nr; i++) {
		struct coverage_record *r = &data->records[i];
		struct pair_key key = { .records = data->records,
					.file = r->file,
					.context = r->context };
		uint32_t hash = hash_pair(r->file, r->context), k;

		if (hashmap_find(&fi->pairs, hash, pair_equal, &key, &k)) {
			merge_lines(&data->records[k], r);
			continue;
		}
		data->records[w] = *r;
		hashmap_add(&fi->pairs, hash, (uint32_t)w);
		w++;
	}
	data->records_nr = w;
}

/* Undo what a failed load appended. */
static void roll_back(struct coverage_data *data, size_t files_nr,
		      size_t contexts_nr, size_t records_nr)
{
	struct file_index *fi = data->file_index;

	for (size_t i = records_nr; i < data->records_nr; i++)
		free(data->records[i].lines);
	data->records_nr = records_nr;
	truncate_interned(&data->files, &fi->paths, files_nr);
	truncate_interned(&data->contexts, data->context_index, contexts_nr);
}

int coverage_data_load(struct coverage_data *data, const char *path)
{
	struct loader ld = { .data = data, .path = path };
	size_t files_nr = data->files.nr, contexts_nr = data->contexts.nr;
	size_t records_nr = data->records_nr;
	struct file_index *fi;
	int ret = -1;

	if (!data->file_index)
		data->file_index = xcalloc(1, sizeof(struct file_index));
	if (!data->context_index)
		data->context_index = xcalloc(1, sizeof(struct hashmap));
	fi = data->file_index;
	if (check_header(path) < 0 || open_db(&ld) < 0 ||
	    check_schema(&ld) < 0 || check_size(&ld) < 0 ||
	    load_names(&ld, "SELECT id, path FROM file ORDER BY id",
		       &data->files, &fi->paths, &ld.files, "file table") < 0 ||
	    load_names(&ld, "SELECT id, context FROM context ORDER BY id",
		       &data->contexts, data->context_index, &ld.contexts,
		       "context table") < 0 ||
	    load_line_bits(&ld) < 0 || load_arcs(&ld) < 0 ||
	    check_contexts(&ld, records_nr) < 0) {
		roll_back(data, files_nr, contexts_nr, records_nr);
		goto cleanup;
	}
	fold_records(data, records_nr);
	ret = 0;
cleanup:
	sqlite3_close(ld.db);
	free(ld.files.v);
	free(ld.contexts.v);
	free(ld.lines.v);
	return ret;
}

void coverage_data_release(struct coverage_data *data)
{
	struct file_index *fi = data->file_index;
	struct hashmap *ci = data->context_index;

	for (size_t i = 0; i < data->records_nr; i++)
		free(data->records[i].lines);
	FREE_AND_NULL(data->records);
	data->records_nr = data->records_alloc = 0;
	strlist_release(&data->files);
	strlist_release(&data->contexts);
	if (fi) {
		hashmap_release(&fi->paths);
		hashmap_release(&fi->pairs);
	}
	if (ci)
		hashmap_release(ci);
	FREE_AND_NULL(data->file_index);
	FREE_AND_NULL(data->context_index);
}

char *coverage_context_nodeid(const char *context, const char **phase)
{
	const char *bar = strrchr(context, '|');

	*phase = bar ? bar + 1 : "";
	if (!bar)
		bar = context + strlen(context);
	if (bar == context)
		return NULL;
	return xmemdupz(context, bar - context);
}
