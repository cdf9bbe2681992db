/* junit-xml.c - read pytest's JUnit XML report (xunit1 and xunit2) with expat.
 * Cases go to a scratch report, then merge into the caller's by their key. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <expat.h>
#include "ingest/junit-xml.h"
#include "hashmap.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define JUNIT_MAX_CASES ((size_t)10 << 20)
#define JUNIT_MAX_ATTR ((size_t)64 << 10)
#define JUNIT_CHUNK ((size_t)64 << 10)

struct junit_parser {
	XML_Parser xp;
	const char *path;
	struct junit_report cases;	/* what this file holds */
	size_t max_cases;
	unsigned long depth;
	unsigned long suite_depth;	/* outermost open <testsuite>, or 0 */
	unsigned long case_depth;	/* the open <testcase>, or 0 */
	int saw_suite;
	struct sbuf err;		/* why we stopped the parser */
	unsigned long err_line;
};

/* Stop parsing with our own message about the current line. */
COVOPT_PRINTF(2, 3)
static void stop(struct junit_parser *jp, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	if (jp->err.len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sbuf_addstr(&jp->err, msg);
	jp->err_line = (unsigned long)XML_GetCurrentLineNumber(jp->xp);
	XML_StopParser(jp->xp, XML_FALSE);
}

static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp(atts[i], name))
			return atts[i + 1];
	return NULL;
}

/* Step over the decimal digits at s; *any set if there was one. */
static const char *skip_digits(const char *s, int *any)
{
	for (; *s >= '0' && *s <= '9'; s++)
		*any = 1;
	return s;
}

/* Digits with at most one dot (a digit on one side), then maybe an
 * exponent: no sign, hex, inf or nan, no spaces. */
static int is_plain_decimal(const char *s)
{
	int mantissa = 0, exponent = 0;

	s = skip_digits(s, &mantissa);
	if (*s == '.')
		s = skip_digits(s + 1, &mantissa);
	if (!mantissa)
		return 0;
	if (*s != 'e' && *s != 'E')
		return !*s;
	s++;
	if (*s == '+' || *s == '-')
		s++;
	s = skip_digits(s, &exponent);
	return exponent && !*s;
}

/*
 * Parse a time="..." attribute of of (a testcase's name, or NULL for the
 * testsuite) into *out; a missing one is 0.
 */
static int parse_time(struct junit_parser *jp, const char *s, const char *of,
		      double *out)
{
	double t;

	*out = 0.0;
	if (!s)
		return 0;
	errno = 0;
	t = is_plain_decimal(s) ? strtod(s, NULL) : NAN;
	if (errno || !(t >= 0 && t <= JUNIT_MAX_TIME)) {
		if (of)
			stop(jp, "bad time '%.40s' of testcase '%.80s' (not "
			     "a decimal number of seconds up to 1e7)", s, of);
		else
			stop(jp, "bad time '%.40s' of testsuite (not a "
			     "decimal number of seconds up to 1e7)", s);
		return -1;
	}
	*out = t;
	return 0;
}

static int check_attrs(struct junit_parser *jp, const XML_Char **atts)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strlen(atts[i + 1]) > JUNIT_MAX_ATTR) {
			stop(jp, "attribute '%.40s' too long", atts[i]);
			return -1;
		}
	return 0;
}

/* Open a case; returns 0, or -1 after stopping the parser. */
static int start_case(struct junit_parser *jp, const XML_Char **atts)
{
	const char *classname = attr(atts, "classname");
	const char *name = attr(atts, "name");
	const char *file = attr(atts, "file");
	struct junit_case *c;
	double t;

	if (!name || !*name) {
		stop(jp, "testcase without a name");
		return -1;
	}
	if (jp->cases.nr >= jp->max_cases) {
		stop(jp, "too many test cases (over %zu)",
		     (size_t)JUNIT_MAX_CASES);
		return -1;
	}
	if (parse_time(jp, attr(atts, "time"), name, &t) < 0)
		return -1;
	ALLOC_GROW(jp->cases.cases, jp->cases.nr + 1, jp->cases.alloc);
	c = &jp->cases.cases[jp->cases.nr++];
	c->classname = xstrdup(classname ? classname : "");
	c->name = xstrdup(name);
	c->file = file && *file ? xstrdup(file) : NULL;
	c->time = t;
	c->outcome = OUTCOME_PASSED;
	return 0;
}

/* error > failed > skipped > passed */
static int severity(enum test_outcome o)
{
	switch (o) {
	case OUTCOME_ERROR:
		return 3;
	case OUTCOME_FAILED:
		return 2;
	case OUTCOME_SKIPPED:
		return 1;
	default:
		return 0;
	}
}

static enum test_outcome worse(enum test_outcome a, enum test_outcome b)
{
	return severity(b) > severity(a) ? b : a;
}

static void start_outcome(struct junit_parser *jp, const char *name)
{
	struct junit_case *c = &jp->cases.cases[jp->cases.nr - 1];

	if (!strcmp(name, "failure"))
		c->outcome = worse(c->outcome, OUTCOME_FAILED);
	else if (!strcmp(name, "error"))
		c->outcome = worse(c->outcome, OUTCOME_ERROR);
	else if (!strcmp(name, "skipped"))
		c->outcome = worse(c->outcome, OUTCOME_SKIPPED);
}

static void XMLCALL on_start(void *user, const XML_Char *name,
			     const XML_Char **atts)
{
	struct junit_parser *jp = user;
	int suite = !strcmp(name, "testsuite");

	jp->depth++;
	if (jp->err.len || check_attrs(jp, atts) < 0)
		return;
	if (jp->depth == 1 && !suite && strcmp(name, "testsuites")) {
		stop(jp, "no <testsuite> root");
		return;
	}
	if (suite && !jp->suite_depth) {
		double t;

		if (parse_time(jp, attr(atts, "time"), NULL, &t) < 0)
			return;
		jp->cases.suite_time += t;
		jp->suite_depth = jp->depth;
		jp->saw_suite = 1;
	} else if (!strcmp(name, "testcase") && !jp->case_depth) {
		if (!start_case(jp, atts))
			jp->case_depth = jp->depth;
	} else if (jp->case_depth && jp->depth == jp->case_depth + 1) {
		start_outcome(jp, name);
	}
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
	struct junit_parser *jp = user;

	if (jp->depth == jp->case_depth)
		jp->case_depth = 0;
	if (jp->depth == jp->suite_depth)
		jp->suite_depth = 0;
	jp->depth--;
}

/* pytest never declares entities; refusing them defuses entity bombs. */
static void XMLCALL on_entity_decl(void *user, const XML_Char *name,
				   int is_parameter, const XML_Char *value,
				   int value_len, const XML_Char *base,
				   const XML_Char *system_id,
				   const XML_Char *public_id,
				   const XML_Char *notation)
{
	stop(user, "entity declarations are not allowed");
}

/* Report why parsing failed: our reason, or expat's. */
static int parse_error(struct junit_parser *jp)
{
	if (jp->err.len)
		return error("cannot parse '%s' line %lu: %s", jp->path,
			     jp->err_line, jp->err.buf);
	return error("cannot parse '%s' line %lu: %s", jp->path,
		     (unsigned long)XML_GetCurrentLineNumber(jp->xp),
		     XML_ErrorString(XML_GetErrorCode(jp->xp)));
}

static int parse_stream(struct junit_parser *jp, FILE *fp)
{
	size_t total = 0;

	for (;;) {
		void *buf = XML_GetBuffer(jp->xp, (int)JUNIT_CHUNK);
		size_t got;

		if (!buf)
			die("out of memory parsing '%s'", jp->path);
		got = fread(buf, 1, JUNIT_CHUNK, fp);
		if (ferror(fp))
			return error("cannot read '%s': %s", jp->path,
				     strerror(errno));
		total += got;
		if (total > JUNIT_MAX_SIZE)
			return error("'%s' is too large (over %zu bytes)",
				     jp->path, JUNIT_MAX_SIZE);
		if (XML_ParseBuffer(jp->xp, (int)got, got == 0) !=
		    XML_STATUS_OK)
			return parse_error(jp);
		if (!got)
			break;
	}
	if (!jp->saw_suite)
		return error("cannot parse '%s': no <testsuite> element",
			     jp->path);
	return 0;
}

/* ------------------------------------------------------------------
 * Folding a file's cases into the report: the same classname+name once.
 */

/* FNV-1a over classname NUL name. */
static uint32_t hash_case(const struct junit_case *c)
{
	uint32_t h = hash_bytes(HASH_START, c->classname,
				strlen(c->classname) + 1);

	return hash_bytes(h, c->name, strlen(c->name));
}

static int same_case(const struct junit_case *a, const struct junit_case *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->classname, b->classname);
}

struct case_key {
	const struct junit_report *report;
	const struct junit_case *c;
};

static int case_equal(const void *key, uint32_t item)
{
	const struct case_key *k = key;

	return same_case(&k->report->cases[item], k->c);
}

static void free_case(struct junit_case *c)
{
	free(c->classname);
	free(c->name);
	free(c->file);
}

/* Move the cases of from into report, merging repeats. Cannot fail. */
static void fold_cases(struct junit_report *report, struct junit_report *from)
{
	struct hashmap map = HASHMAP_INIT;

	hashmap_reserve(&map, st_add(report->nr, from->nr));
	for (size_t i = 0; i < report->nr; i++)
		hashmap_add(&map, hash_case(&report->cases[i]), (uint32_t)i);
	for (size_t i = 0; i < from->nr; i++) {
		struct junit_case *c = &from->cases[i], *old = NULL;
		struct case_key key = { .report = report, .c = c };
		uint32_t hash = hash_case(c), k;

		if (hashmap_find(&map, hash, case_equal, &key, &k))
			old = &report->cases[k];
		if (old) {
			old->outcome = worse(old->outcome, c->outcome);
			old->time += c->time;
			if (!old->file) {
				old->file = c->file;
				c->file = NULL;
			}
			free_case(c);
			continue;
		}
		ALLOC_GROW(report->cases, report->nr + 1, report->alloc);
		report->cases[report->nr++] = *c;
		hashmap_add(&map, hash, (uint32_t)(report->nr - 1));
	}
	report->suite_time += from->suite_time;
	hashmap_release(&map);
	free(from->cases);
	from->cases = NULL;
	from->nr = from->alloc = 0;
}

int junit_load_stream(struct junit_report *report, FILE *fp,
		      const char *what)
{
	struct junit_parser jp = { .path = what, .err = SBUF_INIT };
	struct junit_report empty = JUNIT_REPORT_INIT;
	int ret = -1;

	jp.cases = empty;
	if (report->nr >= JUNIT_MAX_CASES) {
		error("cannot read '%s': too many test cases", what);
		goto cleanup;
	}
	jp.max_cases = JUNIT_MAX_CASES - report->nr;
	jp.xp = XML_ParserCreate(NULL);
	if (!jp.xp)
		die("out of memory parsing '%s'", what);
	XML_SetUserData(jp.xp, &jp);
	XML_SetElementHandler(jp.xp, on_start, on_end);
	XML_SetEntityDeclHandler(jp.xp, on_entity_decl);
	if (parse_stream(&jp, fp) < 0)
		goto cleanup;
	fold_cases(report, &jp.cases);
	ret = 0;
cleanup:
	if (jp.xp)
		XML_ParserFree(jp.xp);
	junit_report_release(&jp.cases);
	sbuf_release(&jp.err);
	return ret;
}

int junit_load(struct junit_report *report, const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	int ret = -1;

	if (!fp || fstat(fileno(fp), &st) < 0) {
		error("cannot open '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > JUNIT_MAX_SIZE) {
		if (S_ISREG(st.st_mode))
			error("'%s' is too large (over %zu bytes)", path,
			      JUNIT_MAX_SIZE);
		else
			error("'%s' is not a regular file", path);
		goto cleanup;
	}
	ret = junit_load_stream(report, fp, path);
cleanup:
	if (fp)
		fclose(fp);
	return ret;
}

void junit_report_release(struct junit_report *report)
{
	for (size_t i = 0; i < report->nr; i++)
		free_case(&report->cases[i]);
	free(report->cases);
	report->cases = NULL;
	report->nr = report->alloc = 0;
	report->suite_time = 0.0;
}
