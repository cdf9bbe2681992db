/* test-junit-xml.c - unit tests for reading pytest's JUnit XML reports.
 * Fixtures are trimmed from real pytest 7.2 reports, written to a temp dir. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ingest/junit-xml.h"
#include "sbuf.h"

/* ---- temp files and stderr capture ------------------------------- */

static char tmpdir[] = "/tmp/test-junit-xml.XXXXXX";

/* A path in the temp dir; the last four results stay valid. */
static const char *tmp_path(const char *name)
{
	static char paths[4][256];
	static unsigned next;
	char *path = paths[next++ % 4];

	snprintf(path, sizeof(paths[0]), "%s/%s", tmpdir, name);
	return path;
}

static const char *write_tmp(const char *name, const char *data, size_t len)
{
	const char *path = tmp_path(name);
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
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

/* Load data as a report file; returns junit_load()'s result, stderr in *msg. */
static int load_string(struct junit_report *r, const char *data, size_t len,
		       const char **msg)
{
	const char *path = write_tmp("report.xml", data, len);
	int ret;

	capture_start();
	ret = junit_load(r, path);
	*msg = capture_end();
	return ret;
}

/* ---- fixtures ------------------------------------------------------ */

/* pytest -o junit_family=xunit1, trimmed */
static const char xunit1[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites>"
	"<testsuite name=\"pytest\" errors=\"2\" failures=\"1\" skipped=\"1\" "
	"tests=\"10\" time=\"0.079\" timestamp=\"2026-11-22T04:31:50.602716\" "
	"hostname=\"vm\">"
	"<testcase classname=\"tests.test_a\" name=\"test_one\" "
	"file=\"tests/test_a.py\" line=\"4\" time=\"0.007\" />"
	"<testcase classname=\"tests.test_a.TestX\" name=\"test_y\" "
	"file=\"tests/test_a.py\" line=\"9\" time=\"0.001\" />"
	"<testcase classname=\"tests.test_a.TestX\" name=\"test_param[p::q-]\" "
	"file=\"tests/test_a.py\" line=\"12\" time=\"0.002\" />"
	"<testcase classname=\"tests.test_a\" name=\"test_skipped\" "
	"file=\"tests/test_a.py\" line=\"17\" time=\"0.001\">"
	"<skipped type=\"pytest.skip\" message=\"nope\">/tmp/xB/tests/"
	"test_a.py:18: nope</skipped></testcase>"
	"<testcase classname=\"tests.test_a\" name=\"test_fail\" "
	"file=\"tests/test_a.py\" line=\"22\" time=\"0.002\">"
	"<failure message=\"assert 1 == 5&#10; +  where 1 = add(-1, 1)\">"
	"def test_fail():\n&gt;       assert add(-1, 1) == 5\n"
	"E       assert 1 == 5\n\ntests/test_a.py:24: AssertionError"
	"</failure></testcase>"
	"<testcase classname=\"tests.test_a\" name=\"test_err\" "
	"file=\"tests/test_a.py\" line=\"31\" time=\"0.001\">"
	"<error message=\"failed on setup with "
	"&quot;RuntimeError: boom&quot;\">"
	"@pytest.fixture\n    def broken():\n&gt;       raise "
	"RuntimeError(\"boom\")\nE       RuntimeError: boom\n\n"
	"tests/test_a.py:29: RuntimeError</error></testcase>"
	"</testsuite></testsuites>";

/* pytest -o junit_family=xunit2, trimmed, with properties and output */
static const char xunit2[] =
	"<?xml version=\"1.0\" encoding=\"utf-8\"?><testsuites>"
	"<testsuite name=\"pytest\" errors=\"0\" failures=\"1\" skipped=\"0\" "
	"tests=\"3\" time=\"0.061\" hostname=\"vm\">"
	"<properties><property name=\"error\" value=\"x\"/></properties>\n"
	"<testcase classname=\"tests.test_a\" name=\"test_one\" "
	"time=\"0.004\" />\n"
	"<testcase classname=\"tests.test_a.TestX\" name=\"test_param[1-2]\" "
	"time=\"0.001\"><system-out>hello</system-out></testcase>\n"
	"<testcase classname=\"tests.test_a\" name=\"test_fail\" "
	"time=\"0.002\">"
	"<failure message=\"boom\">trace</failure>"
	"<system-err>err</system-err></testcase>"
	"</testsuite></testsuites>";

struct want_case {
	const char *classname, *name, *file;
	double time;
	enum test_outcome outcome;
};

static void check_cases(const struct junit_report *r,
			const struct want_case *want, size_t nr)
{
	assert_int_equal(r->nr, nr);
	for (size_t i = 0; i < nr; i++) {
		const struct junit_case *c = &r->cases[i];

		assert_string_equal(c->classname, want[i].classname);
		assert_string_equal(c->name, want[i].name);
		if (want[i].file)
			assert_string_equal(c->file, want[i].file);
		else
			assert_null(c->file);
		assert_float_equal(c->time, want[i].time, 1e-9);
		if (c->outcome != want[i].outcome)
			fail_msg("case %zu '%s': outcome %d, want %d", i,
				 c->name, c->outcome, want[i].outcome);
	}
}

/* ---- tests --------------------------------------------------------- */

static void test_xunit1(void **state)
{
	static const struct want_case want[] = {
		{ "tests.test_a", "test_one", "tests/test_a.py", 0.007,
		  OUTCOME_PASSED },
		{ "tests.test_a.TestX", "test_y", "tests/test_a.py", 0.001,
		  OUTCOME_PASSED },
		{ "tests.test_a.TestX", "test_param[p::q-]", "tests/test_a.py",
		  0.002, OUTCOME_PASSED },
		{ "tests.test_a", "test_skipped", "tests/test_a.py", 0.001,
		  OUTCOME_SKIPPED },
		{ "tests.test_a", "test_fail", "tests/test_a.py", 0.002,
		  OUTCOME_FAILED },
		{ "tests.test_a", "test_err", "tests/test_a.py", 0.001,
		  OUTCOME_ERROR },
	};
	struct junit_report r = JUNIT_REPORT_INIT;
	const char *msg;

	assert_int_equal(load_string(&r, xunit1, strlen(xunit1), &msg), 0);
	assert_string_equal(msg, "");
	check_cases(&r, want, sizeof(want) / sizeof(*want));
	assert_float_equal(r.suite_time, 0.079, 1e-9);
	junit_report_release(&r);
	assert_int_equal(r.nr, 0);
	assert_null(r.cases);
}

static void test_xunit2(void **state)
{
	static const struct want_case want[] = {
		{ "tests.test_a", "test_one", NULL, 0.004, OUTCOME_PASSED },
		{ "tests.test_a.TestX", "test_param[1-2]", NULL, 0.001,
		  OUTCOME_PASSED },
		{ "tests.test_a", "test_fail", NULL, 0.002, OUTCOME_FAILED },
	};
	struct junit_report r = JUNIT_REPORT_INIT;
	const char *msg;

	assert_int_equal(load_string(&r, xunit2, strlen(xunit2), &msg), 0);
	check_cases(&r, want, sizeof(want) / sizeof(*want));
	assert_float_equal(r.suite_time, 0.061, 1e-9);
	junit_report_release(&r);
}

/* shapes other than pytest's current default, one table row each */
static const struct {
	const char *what, *xml;
	struct want_case want[3];
	size_t nr;
	double suite_time;
} shapes[] = {
	{ "bare testsuite root",
	  "<testsuite time='1.5'><testcase classname='a' name='t' "
	  "time='0.5'/></testsuite>",
	  { { "a", "t", NULL, 0.5, OUTCOME_PASSED } }, 1, 1.5 },
	{ "two suites add up",
	  "<testsuites><testsuite time='1'><testcase classname='a' name='t'/>"
	  "</testsuite><testsuite time='2.25'><testcase classname='b' "
	  "name='u' time='1e-3'/></testsuite></testsuites>",
	  { { "a", "t", NULL, 0, OUTCOME_PASSED },
	    { "b", "u", NULL, 0.001, OUTCOME_PASSED } }, 2, 3.25 },
	{ "nested suite counts once",
	  "<testsuite time='4'><testsuite time='3'><testcase name='t'/>"
	  "</testsuite></testsuite>",
	  { { "", "t", NULL, 0, OUTCOME_PASSED } }, 1, 4 },
	{ "collection error: empty classname kept",
	  "<testsuites><testsuite><testcase classname=\"\" "
	  "name=\"tests.test_bad\" time=\"0.000\"><error message=\"collection "
	  "failure\">SyntaxError</error></testcase></testsuite></testsuites>",
	  { { "", "tests.test_bad", NULL, 0, OUTCOME_ERROR } }, 1, 0 },
	{ "teardown error repeats the case: worst wins, times add",
	  "<testsuite><testcase classname='a' name='t' time='0.25'/>"
	  "<testcase classname='a' name='u' time='1'><skipped/></testcase>"
	  "<testcase classname='a' name='t' time='0.5'><error/></testcase>"
	  "<testcase classname='b' name='t' time='2'/></testsuite>",
	  { { "a", "t", NULL, 0.75, OUTCOME_ERROR },
	    { "a", "u", NULL, 1, OUTCOME_SKIPPED },
	    { "b", "t", NULL, 2, OUTCOME_PASSED } }, 3, 0 },
	{ "severity inside one case",
	  "<testsuite><testcase classname='a' name='t'><skipped/><error/>"
	  "<failure/></testcase><testcase classname='a' name='u'><skipped/>"
	  "<failure/></testcase></testsuite>",
	  { { "a", "t", NULL, 0, OUTCOME_ERROR },
	    { "a", "u", NULL, 0, OUTCOME_FAILED } }, 2, 0 },
	{ "only direct children decide the outcome",
	  "<testsuite><testcase classname='a' name='t'><system-out><failure/>"
	  "</system-out></testcase></testsuite>",
	  { { "a", "t", NULL, 0, OUTCOME_PASSED } }, 1, 0 },
	{ "plain decimals up to 1e7 seconds",
	  "<testsuite time='1E7'><testcase classname='a' name='t' "
	  "time='.5'/><testcase classname='a' name='u' time='2.'/>"
	  "<testcase classname='a' name='v' time='25e-1'/></testsuite>",
	  { { "a", "t", NULL, 0.5, OUTCOME_PASSED },
	    { "a", "u", NULL, 2, OUTCOME_PASSED },
	    { "a", "v", NULL, 2.5, OUTCOME_PASSED } }, 3, 1e7 },
	{ "empty suite",
	  "<testsuites><testsuite time='0'/></testsuites>", { { 0 } }, 0, 0 },
	{ "internal DTD subset without entities",
	  "<!DOCTYPE testsuite [<!ELEMENT testsuite ANY>]>"
	  "<testsuite><testcase classname='a' name='t'/></testsuite>",
	  { { "a", "t", NULL, 0, OUTCOME_PASSED } }, 1, 0 },
};

static void test_shapes(void **state)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		struct junit_report r = JUNIT_REPORT_INIT;
		const char *msg;

		if (load_string(&r, shapes[i].xml, strlen(shapes[i].xml),
				&msg))
			fail_msg("%s: refused: %s", shapes[i].what, msg);
		check_cases(&r, shapes[i].want, shapes[i].nr);
		assert_float_equal(r.suite_time, shapes[i].suite_time, 1e-9);
		junit_report_release(&r);
	}
}

/* malformed inputs: each is refused with this exact message tail */
static const struct {
	const char *xml, *msg;
} bad[] = {
#define NOT_DECIMAL " (not a decimal number of seconds up to 1e7)"
	{ "", "line 1: no element found" },
	{ "not xml at all", "line 1: syntax error" },
	{ "<testsuite>\n<testcase name='t'>\n</testsuite>",
	  "line 3: mismatched tag" },
	{ "<html><testsuite/></html>", "line 1: no <testsuite> root" },
	{ "<testsuites/>", "no <testsuite> element" },
	{ "<testsuites><testcase name='x'/></testsuites>",
	  "no <testsuite> element" },
	{ "<testsuite>\n<testcase name='t' time='abc'/></testsuite>",
	  "line 2: bad time 'abc' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='-1'/></testsuite>",
	  "line 1: bad time '-1' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='nan'/></testsuite>",
	  "line 1: bad time 'nan' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='inf'/></testsuite>",
	  "line 1: bad time 'inf' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='1e999'/></testsuite>",
	  "line 1: bad time '1e999' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time=''/></testsuite>",
	  "line 1: bad time '' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='1.0s'/></testsuite>",
	  "line 1: bad time '1.0s' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite time='x'/>", "line 1: bad time 'x' of testsuite" NOT_DECIMAL },
	/* only plain decimals up to 1e7 seconds (issue 13) */
	{ "<testsuite><testcase name='t' time='0x10'/></testsuite>",
	  "line 1: bad time '0x10' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='1e10'/></testsuite>",
	  "line 1: bad time '1e10' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='10000000.5'/></testsuite>",
	  "line 1: bad time '10000000.5' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time=' 1'/></testsuite>",
	  "line 1: bad time ' 1' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='+1'/></testsuite>",
	  "line 1: bad time '+1' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='.'/></testsuite>",
	  "line 1: bad time '.' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='1e'/></testsuite>",
	  "line 1: bad time '1e' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite><testcase name='t' time='1.5.2'/></testsuite>",
	  "line 1: bad time '1.5.2' of testcase 't'" NOT_DECIMAL },
	{ "<testsuite time='1e8'><testcase name='t'/></testsuite>",
	  "line 1: bad time '1e8' of testsuite" NOT_DECIMAL },
	{ "<testsuite><testcase classname='a'/></testsuite>",
	  "line 1: testcase without a name" },
	{ "<testsuite><testcase classname='a' name=''/></testsuite>",
	  "line 1: testcase without a name" },
	{ "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
	  "\"&lol;&lol;&lol;&lol;\">]><testsuite><testcase name='&lol2;'/>"
	  "</testsuite>", "line 1: entity declarations are not allowed" },
	{ "<testsuite><testcase name='t'/></testsuite><testsuite/>",
	  "line 1: junk after document element" },
	{ "<testsuite><testcase name='t' name='u'/></testsuite>",
	  "line 1: duplicate attribute" },
	{ "<testsuite>\xff\xfe</testsuite>",
	  "line 1: not well-formed (invalid token)" },
};

static void test_malformed(void **state)
{
	struct junit_report r = JUNIT_REPORT_INIT;
	const char *msg;

	/* earlier data must survive a failed load untouched */
	assert_int_equal(load_string(&r, xunit2, strlen(xunit2), &msg), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char want[512];

		if (strchr(bad[i].msg, ':'))
			snprintf(want, sizeof(want),
				 "error: cannot parse '%s' %s\n",
				 tmp_path("report.xml"), bad[i].msg);
		else
			snprintf(want, sizeof(want),
				 "error: cannot parse '%s': %s\n",
				 tmp_path("report.xml"), bad[i].msg);
		assert_int_equal(load_string(&r, bad[i].xml,
					     strlen(bad[i].xml), &msg), -1);
		if (strcmp(msg, want))
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, msg,
				 want);
		assert_int_equal(r.nr, 3);
		assert_float_equal(r.suite_time, 0.061, 1e-9);
	}
	junit_report_release(&r);
}

/* every proper prefix of a valid report is refused */
static void test_truncated(void **state)
{
	size_t len = strlen(xunit1);

	for (size_t cut = 0; cut < len; cut++) {
		struct junit_report r = JUNIT_REPORT_INIT;
		const char *msg;

		if (load_string(&r, xunit1, cut, &msg) != -1)
			fail_msg("prefix of %zu bytes accepted", cut);
		assert_non_null(strstr(msg, "error: cannot parse '"));
		assert_int_equal(r.nr, 0);
		junit_report_release(&r);
	}
}

static void test_long_attribute(void **state)
{
	struct junit_report r = JUNIT_REPORT_INIT;
	struct sbuf sb = SBUF_INIT;
	const char *msg;

	sbuf_addstr(&sb, "<testsuite><testcase classname='a' name='");
	for (size_t i = 0; i < 65536; i++)
		sbuf_addch(&sb, 'x');
	sbuf_addstr(&sb, "'/></testsuite>");
	assert_int_equal(load_string(&r, sb.buf, sb.len, &msg), 0);
	assert_int_equal(strlen(r.cases[0].name), 65536);
	junit_report_release(&r);
	/* one byte more is too long */
	sbuf_setlen(&sb, sb.len - strlen("'/></testsuite>"));
	sbuf_addstr(&sb, "x'/></testsuite>");
	assert_int_equal(load_string(&r, sb.buf, sb.len, &msg), -1);
	assert_non_null(strstr(msg, "line 1: attribute 'name' too long"));
	assert_int_equal(r.nr, 0);
	sbuf_release(&sb);
}

/* a report bigger than one read chunk parses the same */
static void test_large(void **state)
{
	struct junit_report r = JUNIT_REPORT_INIT;
	struct sbuf sb = SBUF_INIT;
	const char *msg;

	sbuf_addstr(&sb, "<testsuites><testsuite time='9'>\n");
	for (int i = 0; i < 20000; i++)
		sbuf_addf(&sb, "<testcase classname='tests.test_%d' "
			  "name='test_%d[%d]' time='0.5'>%s</testcase>\n",
			  i % 7, i, i, i % 3 ? "" : "<failure/>");
	sbuf_addstr(&sb, "</testsuite></testsuites>");
	assert_int_equal(load_string(&r, sb.buf, sb.len, &msg), 0);
	assert_int_equal(r.nr, 20000);
	for (int i = 0; i < 20000; i++) {
		char name[64];

		snprintf(name, sizeof(name), "test_%d[%d]", i, i);
		assert_string_equal(r.cases[i].name, name);
		assert_int_equal(r.cases[i].outcome,
				 i % 3 ? OUTCOME_PASSED : OUTCOME_FAILED);
	}
	junit_report_release(&r);
	sbuf_release(&sb);
}

/* two files into one report: appended, repeats across files merged */
static void test_two_files(void **state)
{
	static const char second[] =
		"<testsuite time='1'><testcase classname='tests.test_a' "
		"name='test_one' time='1'><failure/></testcase>"
		"<testcase classname='tests.test_b' name='test_new' "
		"time='2'/></testsuite>";
	struct junit_report r = JUNIT_REPORT_INIT;
	const char *msg;

	assert_int_equal(load_string(&r, xunit1, strlen(xunit1), &msg), 0);
	assert_int_equal(load_string(&r, second, strlen(second), &msg), 0);
	assert_int_equal(r.nr, 7);
	assert_string_equal(r.cases[0].name, "test_one");
	assert_int_equal(r.cases[0].outcome, OUTCOME_FAILED);
	assert_float_equal(r.cases[0].time, 1.007, 1e-9);
	assert_string_equal(r.cases[0].file, "tests/test_a.py");
	assert_string_equal(r.cases[6].classname, "tests.test_b");
	assert_null(r.cases[6].file);
	assert_float_equal(r.suite_time, 1.079, 1e-9);
	junit_report_release(&r);
}

static void test_not_a_file(void **state)
{
	struct junit_report r = JUNIT_REPORT_INIT;
	char want[512];
	const char *msg;

	capture_start();
	assert_int_equal(junit_load(&r, tmp_path("missing.xml")), -1);
	msg = capture_end();
	snprintf(want, sizeof(want),
		 "error: cannot open '%s': No such file or directory\n",
		 tmp_path("missing.xml"));
	assert_string_equal(msg, want);
	capture_start();
	assert_int_equal(junit_load(&r, tmpdir), -1);
	msg = capture_end();
	snprintf(want, sizeof(want), "error: '%s' is not a regular file\n",
		 tmpdir);
	assert_string_equal(msg, want);
	assert_int_equal(r.nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xunit1),
		cmocka_unit_test(test_xunit2),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_long_attribute),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_two_files),
		cmocka_unit_test(test_not_a_file),
	};
	int ret;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(tmp_path("report.xml"));
	unlink(tmp_path("stderr"));
	rmdir(tmpdir);
	return ret;
}
