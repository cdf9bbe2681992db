/* test-coverage-db.c - unit tests for reading coverage.py data files.
 * Fixtures are SQL scripts on schema 7, mirroring real pytest-cov output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "ingest/coverage-db.h"
#include "sbuf.h"

/* ---- temp files and stderr capture ------------------------------- */

static char tmpdir[] = "/tmp/test-coverage-db.XXXXXX";

/* A path in the temp dir; the last four results stay valid. */
static const char *tmp_path(const char *name)
{
	static char paths[4][256];
	static unsigned next;
	char *path = paths[next++ % 4];

	snprintf(path, sizeof(paths[0]), "%s/%s", tmpdir, name);
	return path;
}

static int saved_stderr = -1;

static void capture_start(void)
{
	int fd = open(tmp_path("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

/* Stop capturing; returns what was written to stderr (static buffer). */
static const char *capture_end(void)
{
	static char buf[4096];
	FILE *fp;
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	fp = fopen(tmp_path("stderr"), "rb");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Create a fresh database at name from an SQL script; returns its path. */
static const char *make_db(const char *name, const char *sql)
{
	const char *path = tmp_path(name);
	sqlite3 *db = NULL;
	char *err = NULL;

	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("fixture SQL: %s", err);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return path;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
	const char *path = tmp_path(name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static int load(struct coverage_data *data, const char *path,
		const char **msg)
{
	int ret;

	capture_start();
	ret = coverage_data_load(data, path);
	*msg = capture_end();
	return ret;
}

/* "file\tcontext\t1,2,3\n" per record, in record order */
static void dump(struct sbuf *out, const struct coverage_data *data)
{
	sbuf_reset(out);
	for (size_t i = 0; i < data->records_nr; i++) {
		const struct coverage_record *r = &data->records[i];

		assert_true(r->file < data->files.nr);
		assert_true(r->context < data->contexts.nr);
		sbuf_addf(out, "%s\t%s\t", data->files.items[r->file],
			  data->contexts.items[r->context]);
		for (size_t j = 0; j < r->lines_nr; j++) {
			if (j)
				assert_true(r->lines[j - 1] < r->lines[j]);
			sbuf_addf(out, j ? ",%u" : "%u", r->lines[j]);
		}
		sbuf_addch(out, '\n');
	}
}

/* ---- fixtures ------------------------------------------------------ */

/* coverage.py 6.5's schema, version 7 */
#define SCHEMA_TABLES \
	"CREATE TABLE meta (key text, value text, unique (key));" \
	"CREATE TABLE file (id integer primary key, path text, " \
	"unique (path));" \
	"CREATE TABLE context (id integer primary key, context text, " \
	"unique (context));" \
	"CREATE TABLE line_bits (file_id integer, context_id integer, " \
	"numbits blob, foreign key (file_id) references file (id), " \
	"foreign key (context_id) references context (id), " \
	"unique (file_id, context_id));" \
	"CREATE TABLE arc (file_id integer, context_id integer, " \
	"fromno integer, tono integer, " \
	"foreign key (file_id) references file (id), " \
	"foreign key (context_id) references context (id), " \
	"unique (file_id, context_id, fromno, tono));" \
	"CREATE TABLE tracer (file_id integer primary key, tracer text, " \
	"foreign key (file_id) references file (id));"
#define SCHEMA \
	"CREATE TABLE coverage_schema (version integer);" \
	"INSERT INTO coverage_schema VALUES(7);" SCHEMA_TABLES

#define FILES \
	"INSERT INTO file VALUES(1,'/tmp/xB/pkg/__init__.py');" \
	"INSERT INTO file VALUES(2,'/tmp/xB/pkg/mod.py');"
#define CONTEXTS \
	"INSERT INTO context VALUES(1,'');" \
	"INSERT INTO context VALUES(2,'tests/test_a.py::test_one|setup');" \
	"INSERT INTO context VALUES(3,'tests/test_a.py::test_one|run');" \
	"INSERT INTO context VALUES(6,'tests/test_a.py::TestX::test_y|run');" \
	"INSERT INTO context VALUES(12," \
	"'tests/test_a.py::TestX::test_param[-1-5]|run');" \
	"INSERT INTO context VALUES(24,'tests/test_a.py::test_td|run');"

/* pytest --cov=pkg --cov-context=test (line_bits as pytest-cov wrote them) */
static const char real_lines[] =
	SCHEMA
	"INSERT INTO meta VALUES('version','6.5.0');"
	"INSERT INTO meta VALUES('has_arcs','0');"
	FILES CONTEXTS
	"INSERT INTO line_bits VALUES(1,1,X'01');"
	"INSERT INTO line_bits VALUES(2,1,X'82');"
	"INSERT INTO line_bits VALUES(1,2,X'');"
	"INSERT INTO line_bits VALUES(2,2,X'');"
	"INSERT INTO line_bits VALUES(2,3,X'0C');"
	"INSERT INTO line_bits VALUES(2,6,X'0001');"
	"INSERT INTO line_bits VALUES(2,12,X'14');"
	"INSERT INTO line_bits VALUES(2,24,X'0001');";

static const char real_lines_dump[] =
	"/tmp/xB/pkg/mod.py\t\t1,7\n"
	"/tmp/xB/pkg/mod.py\ttests/test_a.py::test_one|run\t2,3\n"
	"/tmp/xB/pkg/mod.py\ttests/test_a.py::TestX::test_y|run\t8\n"
	"/tmp/xB/pkg/mod.py\ttests/test_a.py::TestX::test_param[-1-5]|run\t"
	"2,4\n"
	"/tmp/xB/pkg/mod.py\ttests/test_a.py::test_td|run\t8\n";

/* the same run with --cov-branch */
static const char real_arcs[] =
	SCHEMA
	"INSERT INTO meta VALUES('has_arcs','1');"
	FILES CONTEXTS
	"INSERT INTO arc VALUES(1,1,0,-1);"
	"INSERT INTO arc VALUES(1,1,-1,0);"
	"INSERT INTO arc VALUES(2,1,-1,1);"
	"INSERT INTO arc VALUES(2,1,1,7);"
	"INSERT INTO arc VALUES(2,1,7,-1);"
	"INSERT INTO arc VALUES(2,3,-1,2);"
	"INSERT INTO arc VALUES(2,3,2,3);"
	"INSERT INTO arc VALUES(2,3,3,-1);"
	"INSERT INTO arc VALUES(2,6,8,-7);"
	"INSERT INTO arc VALUES(2,6,-7,8);"
	"INSERT INTO arc VALUES(2,12,-1,2);"
	"INSERT INTO arc VALUES(2,12,2,4);"
	"INSERT INTO arc VALUES(2,12,4,-1);"
	"INSERT INTO arc VALUES(2,24,8,-7);"
	"INSERT INTO arc VALUES(2,24,-7,8);";

static const struct {
	const char *what, *sql, *dump;
	size_t files, contexts;
} good[] = {
	{ "line data", real_lines, real_lines_dump, 2, 6 },
	{ "arc data", real_arcs, real_lines_dump, 2, 6 },
	{ "sparse ids, numbits across bytes, trailing zero bytes",
	  SCHEMA
	  "INSERT INTO file VALUES(40,'/w/b.py');"
	  "INSERT INTO file VALUES(7,'/w/a.py');"
	  "INSERT INTO context VALUES(1000,'t.py::a|run');"
	  "INSERT INTO context VALUES(-3,'t.py::b|setup');"
	  "INSERT INTO line_bits VALUES(40,1000,X'FE00800000');"
	  "INSERT INTO line_bits VALUES(7,-3,X'000000000001');",
	  "/w/b.py\tt.py::a|run\t1,2,3,4,5,6,7,23\n"
	  "/w/a.py\tt.py::b|setup\t40\n", 2, 2 },
	{ "out-of-order arcs, repeated lines, empty-context data kept",
	  SCHEMA
	  "INSERT INTO file VALUES(1,'/w/a.py');"
	  "INSERT INTO context VALUES(1,'t.py::x|run');"
	  "INSERT INTO context VALUES(2,'');"
	  "INSERT INTO arc VALUES(1,2,5,6);"
	  "INSERT INTO arc VALUES(1,1,9,-3);"
	  "INSERT INTO arc VALUES(1,1,-3,3);"
	  "INSERT INTO arc VALUES(1,1,3,9);"
	  "INSERT INTO arc VALUES(1,1,0,3);",
	  "/w/a.py\tt.py::x|run\t3,9\n"
	  "/w/a.py\t\t5,6\n", 1, 2 },
	{ "the largest numbits and line numbers allowed",
	  SCHEMA
	  "INSERT INTO file VALUES(1,'/w/a.py');"
	  "INSERT INTO file VALUES(2,'/w/b.py');"
	  "INSERT INTO context VALUES(1,'t.py::x|run');"
	  "INSERT INTO line_bits VALUES(1,1,"
	  "CAST(zeroblob(1048575)||X'80' AS BLOB));"
	  "INSERT INTO arc VALUES(2,1,10000000,-1);",
	  "/w/a.py\tt.py::x|run\t8388607\n"
	  "/w/b.py\tt.py::x|run\t10000000\n", 2, 1 },
};

/* malformed: each is refused with this message (%s: the path) */
static const struct {
	const char *what, *sql, *msg;
} bad[] = {
	{ "no tables", "CREATE TABLE x (y);",
	  "'%s' is not a coverage data file (no coverage_schema table)" },
	{ "other schema version",
	  "CREATE TABLE coverage_schema (version integer);"
	  "INSERT INTO coverage_schema VALUES(6);" SCHEMA_TABLES,
	  "'%s' has unsupported coverage data schema version '6' "
	  "(expected 7)" },
	{ "empty coverage_schema",
	  "CREATE TABLE coverage_schema (version integer);" SCHEMA_TABLES,
	  "'%s' has unsupported coverage data schema version 'none' "
	  "(expected 7)" },
	{ "text schema version",
	  "CREATE TABLE coverage_schema (version);"
	  "INSERT INTO coverage_schema VALUES('7');" SCHEMA_TABLES,
	  "'%s' has unsupported coverage data schema version '7' "
	  "(expected 7)" },
	{ "no line_bits table",
	  "CREATE TABLE coverage_schema (version integer);"
	  "INSERT INTO coverage_schema VALUES(7);"
	  "CREATE TABLE file (id integer primary key, path text);"
	  "CREATE TABLE context (id integer primary key, context text);",
	  "cannot read '%s': no such table: line_bits" },
	{ "no data", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES(2,2,X'');",
	  "'%s' holds no coverage data" },
	{ "only line 0", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES(1,1,X'01');"
	  "INSERT INTO arc VALUES(1,2,0,-1);",
	  "'%s' holds no coverage data" },
	{ "no test contexts", SCHEMA FILES
	  "INSERT INTO context VALUES(1,'');"
	  "INSERT INTO line_bits VALUES(2,1,X'82');",
	  "'%s' has no test contexts; record it with 'pytest --cov=PKG "
	  "--cov-context=test'" },
	{ "numbits too big", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES(2,3,X'0C');"
	  "INSERT INTO line_bits VALUES(2,6,zeroblob(1048577));",
	  "cannot read '%s': corrupt coverage data (bad numbits)" },
	{ "numbits as text", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES(2,3,'0C');",
	  "cannot read '%s': corrupt coverage data (bad numbits)" },
	{ "line_bits of an unknown file", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES(3,3,X'0C');",
	  "cannot read '%s': corrupt coverage data "
	  "(line_bits row of no file or context)" },
	{ "line_bits of an unknown context", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES(2,4,X'0C');",
	  "cannot read '%s': corrupt coverage data "
	  "(line_bits row of no file or context)" },
	{ "line_bits with a text file id", SCHEMA FILES CONTEXTS
	  "INSERT INTO line_bits VALUES('x',3,X'0C');",
	  "cannot read '%s': corrupt coverage data "
	  "(line_bits row of no file or context)" },
	{ "arc of an unknown file", SCHEMA FILES CONTEXTS
	  "INSERT INTO arc VALUES(9,3,1,2);",
	  "cannot read '%s': corrupt coverage data "
	  "(arc row of no file or context)" },
	{ "arc line too large", SCHEMA FILES CONTEXTS
	  "INSERT INTO arc VALUES(2,3,1,2);"
	  "INSERT INTO arc VALUES(2,3,2,10000001);",
	  "cannot read '%s': corrupt coverage data (bad arc line number)" },
	{ "arc line not a number", SCHEMA FILES CONTEXTS
	  "INSERT INTO arc VALUES(2,3,1.5,2);",
	  "cannot read '%s': corrupt coverage data (bad arc line number)" },
	{ "null path", SCHEMA
	  "INSERT INTO file VALUES(1,NULL);",
	  "cannot read '%s': corrupt coverage data (file table)" },
	{ "NUL in a context", SCHEMA FILES
	  "INSERT INTO context VALUES(7,CAST(X'610062' AS TEXT));",
	  "cannot read '%s': corrupt coverage data (context table, row 7 "
	  "'a\\000b': holds a NUL byte)" },
	{ "context too long", SCHEMA FILES
	  "INSERT INTO context VALUES(1,'t.py::test_ok');"
	  "INSERT INTO context VALUES(2,printf('t.py::test_x[%.70000c]','y'));",
	  "cannot read '%s': corrupt coverage data (context table, row 2 "
	  "'t.py::test_x[yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy...': "
	  "longer than 65536 bytes)" },
	{ "ESC in a long context", SCHEMA FILES
	  "INSERT INTO context VALUES(3,CAST(X'1b5b324a' AS TEXT) || "
	  "printf('%.70000c','z'));",
	  "cannot read '%s': corrupt coverage data (context table, row 3 "
	  "'\\033[2Jzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...': "
	  "longer than 65536 bytes)" },
	{ "duplicate file ids",
	  "CREATE TABLE coverage_schema (version integer);"
	  "INSERT INTO coverage_schema VALUES(7);"
	  "CREATE TABLE file (id integer, path text);"
	  "INSERT INTO file VALUES(1,'/a.py');"
	  "INSERT INTO file VALUES(1,'/b.py');",
	  "cannot read '%s': corrupt coverage data (file table)" },
};

/* ---- tests --------------------------------------------------------- */

/* "error: " + tmpl with its "%s" replaced by path + "\n" */
static void expand(char *out, size_t size, const char *tmpl, const char *path)
{
	const char *hole = strstr(tmpl, "%s");

	assert_non_null(hole);
	snprintf(out, size, "error: %.*s%s%s\n", (int)(hole - tmpl), tmpl,
		 path, hole + 2);
}

static void test_good(void **state)
{
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		struct coverage_data data = COVERAGE_DATA_INIT;
		const char *msg;

		if (load(&data, make_db("good.db", good[i].sql), &msg))
			fail_msg("%s: refused: %s", good[i].what, msg);
		assert_string_equal(msg, "");
		dump(&sb, &data);
		if (strcmp(sb.buf, good[i].dump))
			fail_msg("%s: got\n%s\nwant\n%s", good[i].what, sb.buf,
				 good[i].dump);
		assert_int_equal(data.files.nr, good[i].files);
		assert_int_equal(data.contexts.nr, good[i].contexts);
		coverage_data_release(&data);
		assert_int_equal(data.records_nr, 0);
		assert_null(data.records);
	}
	sbuf_release(&sb);
}

static void test_bad(void **state)
{
	struct coverage_data data = COVERAGE_DATA_INIT;
	struct sbuf sb = SBUF_INIT, before = SBUF_INIT;
	const char *msg;

	/* what an earlier file loaded must survive each failure */
	assert_int_equal(load(&data, make_db("first.db", real_lines), &msg), 0);
	dump(&before, &data);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *path = make_db("bad.db", bad[i].sql);
		char want[512];

		expand(want, sizeof(want), bad[i].msg, path);
		if (load(&data, path, &msg) != -1)
			fail_msg("%s: accepted", bad[i].what);
		if (strcmp(msg, want))
			fail_msg("%s: got \"%s\", want \"%s\"", bad[i].what,
				 msg, want);
		dump(&sb, &data);
		assert_string_equal(sb.buf, before.buf);
		assert_int_equal(data.files.nr, 2);
		assert_int_equal(data.contexts.nr, 6);
	}
	coverage_data_release(&data);
	sbuf_release(&sb);
	sbuf_release(&before);
}

static void test_not_sqlite(void **state)
{
	static const char text[] = "!coverage.py: This is a private format, "
				   "don't read it directly!{\"lines\":{}}";
	static const char *const names[] = { "text", "empty", "short" };
	const size_t lens[] = { sizeof(text) - 1, 0, 10 };
	struct coverage_data data = COVERAGE_DATA_INIT;
	const char *msg;
	char want[512];

	for (size_t i = 0; i < 3; i++) {
		const char *path = write_file(names[i], text, lens[i]);

		snprintf(want, sizeof(want), "error: '%s' is not a coverage "
			 "data file (not an SQLite database)\n", path);
		assert_int_equal(load(&data, path, &msg), -1);
		assert_string_equal(msg, want);
	}
	assert_int_equal(load(&data, tmp_path("missing"), &msg), -1);
	snprintf(want, sizeof(want), "error: cannot open '%s': "
		 "No such file or directory\n", tmp_path("missing"));
	assert_string_equal(msg, want);
	assert_int_equal(data.files.nr, 0);
	assert_int_equal(data.records_nr, 0);
	coverage_data_release(&data);
}

/* a valid header and garbage or nothing after it */
static void test_truncated(void **state)
{
	struct sbuf big = SBUF_INIT, bytes = SBUF_INIT;
	struct coverage_data data = COVERAGE_DATA_INIT;
	const char *path, *msg;
	size_t size;

	/* enough rows to spread the tables over several pages */
	sbuf_addstr(&big, SCHEMA "INSERT INTO file VALUES(1,'/w/a.py');");
	for (int i = 1; i <= 400; i++)
		sbuf_addf(&big, "INSERT INTO context VALUES(%d,"
			  "'tests/test_%d.py::test_something_long_%d|run');"
			  "INSERT INTO line_bits VALUES(1,%d,X'0E0E0E0E%04X');",
			  i, i, i, i, i);
	path = make_db("full.db", big.buf);
	assert_int_equal(sbuf_read_file(&bytes, path, 1 << 24), 0);
	size = bytes.len;
	assert_true(size > 8 * 4096);
	assert_int_equal(load(&data, path, &msg), 0);
	assert_int_equal(data.records_nr, 400);
	coverage_data_release(&data);
	for (size_t cut = 16; cut < size; cut += cut < 8192 ? 509 : 4096) {
		write_file("cut.db", bytes.buf, cut);
		if (load(&data, tmp_path("cut.db"), &msg) != -1)
			fail_msg("first %zu of %zu bytes accepted", cut, size);
		assert_int_equal(data.records_nr, 0);
		assert_int_equal(data.files.nr, 0);
		assert_int_equal(data.contexts.nr, 0);
	}
	/* garbage after a valid header */
	memset(bytes.buf + 100, 0xA5, bytes.len - 100);
	write_file("garbage.db", bytes.buf, bytes.len);
	assert_int_equal(load(&data, tmp_path("garbage.db"), &msg), -1);
	assert_non_null(strstr(msg, "error: "));
	coverage_data_release(&data);
	sbuf_release(&big);
	sbuf_release(&bytes);
}

/* two data files (xdist workers, parallel runs) combine */
static void test_combine(void **state)
{
	static const char second[] =
		SCHEMA
		"INSERT INTO file VALUES(1,'/tmp/xB/pkg/other.py');"
		"INSERT INTO file VALUES(2,'/tmp/xB/pkg/mod.py');"
		"INSERT INTO context VALUES(1,'tests/test_b.py::test_two|run');"
		"INSERT INTO context VALUES(2,'tests/test_a.py::test_one|run');"
		"INSERT INTO context VALUES(3,'');"
		"INSERT INTO line_bits VALUES(1,1,X'06');"
		"INSERT INTO line_bits VALUES(2,2,X'1001');"
		"INSERT INTO line_bits VALUES(2,3,X'02');"
		"INSERT INTO line_bits VALUES(2,1,X'0C');";
	static const char want[] =
		"/tmp/xB/pkg/mod.py\t\t1,7\n"
		"/tmp/xB/pkg/mod.py\ttests/test_a.py::test_one|run\t2,3,4,8\n"
		"/tmp/xB/pkg/mod.py\ttests/test_a.py::TestX::test_y|run\t8\n"
		"/tmp/xB/pkg/mod.py\ttests/test_a.py::TestX::test_param[-1-5]"
		"|run\t2,4\n"
		"/tmp/xB/pkg/mod.py\ttests/test_a.py::test_td|run\t8\n"
		"/tmp/xB/pkg/other.py\ttests/test_b.py::test_two|run\t1,2\n"
		"/tmp/xB/pkg/mod.py\ttests/test_b.py::test_two|run\t2,3\n";
	struct coverage_data data = COVERAGE_DATA_INIT;
	struct sbuf sb = SBUF_INIT;
	const char *msg;

	assert_int_equal(load(&data, make_db("a.db", real_lines), &msg), 0);
	/* a failed load in between must leave the indexes consistent */
	assert_int_equal(load(&data, make_db("bad.db", bad[8].sql), &msg), -1);
	assert_int_equal(load(&data, make_db("b.db", second), &msg), 0);
	dump(&sb, &data);
	assert_string_equal(sb.buf, want);
	assert_int_equal(data.files.nr, 3);
	assert_string_equal(data.files.items[2], "/tmp/xB/pkg/other.py");
	assert_int_equal(data.contexts.nr, 7);
	assert_string_equal(data.contexts.items[6],
			    "tests/test_b.py::test_two|run");
	/* loading the same file again changes nothing but nothing breaks */
	assert_int_equal(load(&data, tmp_path("a.db"), &msg), 0);
	dump(&sb, &data);
	assert_string_equal(sb.buf, want);
	/* arcs of the same run merge with the lines */
	assert_int_equal(load(&data, make_db("c.db", real_arcs), &msg), 0);
	dump(&sb, &data);
	assert_string_equal(sb.buf, want);
	coverage_data_release(&data);
	coverage_data_release(&data);
	sbuf_release(&sb);
}

/* many files and contexts: the hash tables grow and stay right */
static void test_many(void **state)
{
	struct sbuf sql = SBUF_INIT;
	struct coverage_data data = COVERAGE_DATA_INIT;
	const char *msg;

	sbuf_addstr(&sql, SCHEMA "BEGIN;");
	for (int f = 1; f <= 300; f++)
		sbuf_addf(&sql, "INSERT INTO file VALUES(%d,'/w/m%d.py');",
			  f, f);
	for (int c = 1; c <= 300; c++)
		sbuf_addf(&sql, "INSERT INTO context VALUES(%d,'t::%d|run');",
			  c, c);
	for (int f = 1; f <= 300; f++)
		for (int c = f % 3 + 1; c <= 300; c += 10)
			sbuf_addf(&sql, "INSERT INTO line_bits "
				  "VALUES(%d,%d,X'%02X%02X');", f, c, f % 256,
				  c % 256);
	sbuf_addstr(&sql, "COMMIT;");
	assert_int_equal(load(&data, make_db("many.db", sql.buf), &msg), 0);
	assert_int_equal(load(&data, tmp_path("many.db"), &msg), 0);
	assert_int_equal(data.files.nr, 300);
	assert_int_equal(data.contexts.nr, 300);
	for (size_t i = 0; i < data.records_nr; i++) {
		const struct coverage_record *r = &data.records[i];
		unsigned f = r->file + 1, c = r->context + 1;
		char name[32];

		snprintf(name, sizeof(name), "/w/m%u.py", f);
		assert_string_equal(data.files.items[r->file], name);
		snprintf(name, sizeof(name), "t::%u|run", c);
		assert_string_equal(data.contexts.items[r->context], name);
		for (size_t j = 0; j < r->lines_nr; j++) {
			unsigned line = r->lines[j];

			assert_true(line < 8 ? (f % 256) & (1u << line)
				    : (c % 256) & (1u << (line - 8)));
		}
	}
	coverage_data_release(&data);
	sbuf_release(&sql);
}

static const struct {
	const char *context, *nodeid, *phase;
} contexts[] = {
	{ "tests/test_a.py::test_one|run", "tests/test_a.py::test_one", "run" },
	{ "tests/test_a.py::TestX::test_y|setup",
	  "tests/test_a.py::TestX::test_y", "setup" },
	{ "t.py::test_p[a|b]|teardown", "t.py::test_p[a|b]", "teardown" },
	{ "tests.test_a.test_one", "tests.test_a.test_one", "" },
	{ "t.py::x|", "t.py::x", "" },
	{ "", NULL, "" },
	{ "|run", NULL, "run" },
};

static void test_context_nodeid(void **state)
{
	for (size_t i = 0; i < sizeof(contexts) / sizeof(*contexts); i++) {
		const char *phase = NULL;
		char *id = coverage_context_nodeid(contexts[i].context, &phase);

		if (contexts[i].nodeid)
			assert_string_equal(id, contexts[i].nodeid);
		else
			assert_null(id);
		assert_string_equal(phase, contexts[i].phase);
		free(id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_not_sqlite),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_combine),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_context_nodeid),
	};
	static const char *const files[] = {
		"stderr", "good.db", "bad.db", "first.db", "text", "empty",
		"short", "full.db", "cut.db", "garbage.db", "a.db", "b.db",
		"c.db", "many.db",
	};
	int ret;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++)
		unlink(tmp_path(files[i]));
	rmdir(tmpdir);
	return ret;
}
