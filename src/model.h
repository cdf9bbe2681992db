/* model.h - the in-memory test-impact model of one commit: files, features, tests, signals.
 * A model owns every string and array it points to; model_release() frees them all. */
#ifndef COVOPT_MODEL_H
#define COVOPT_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* 2: line evidence (the "lines" section); 1 decodes without it */
#define COVOPT_MODEL_VERSION 2
#define COVOPT_OID_HEXSZ 40

/* Caps on untrusted models (notes fetched from others). */
#define COVOPT_MAX_NOTE_SIZE ((size_t)1 << 30)
#define COVOPT_MAX_ITEMS ((size_t)1 << 24)
#define COVOPT_MAX_STRING ((size_t)1 << 16)

enum feature_kind {
	FEATURE_MODULE = 0,	/* module-level code of a Python file */
	FEATURE_CLASS = 1,	/* a class body outside its methods */
	FEATURE_FUNCTION = 2,	/* a function or method, nested defs included */
	FEATURE_FILE = 3,	/* a whole non-Python file */
};
#define FEATURE_KIND_MAX FEATURE_FILE

enum test_outcome {
	OUTCOME_PASSED = 0,
	OUTCOME_FAILED = 1,
	OUTCOME_ERROR = 2,
	OUTCOME_SKIPPED = 3,
	OUTCOME_UNKNOWN = 4,	/* seen in coverage but not in any JUnit report */
};
#define OUTCOME_MAX OUTCOME_UNKNOWN

/* One recording group (--flag): unit, e2e... The default flag is named "default". */
struct model_flag {
	char *name;
	char commit[COVOPT_OID_HEXSZ + 1];	/* commit this flag was recorded on */
	double suite_time;	/* total suite time in seconds (JUnit) */
	double overhead;	/* suite time not spent in tests: start-up */
	double recorded_at;	/* when it was recorded: unix seconds (0: unknown) */
	/* detached signature of this flag's recording (signing.h), owned;
	 * NULL: unsigned */
	unsigned char *signature;
	size_t signature_len;
};
/* Cap on a stored signature (untrusted input from other clones). */
#define COVOPT_MAX_SIGNATURE ((size_t)16 << 10)

/* One tracked source file of the recorded commit. */
struct model_file {
	char *path;		/* repository path, '/'-separated */
	char blob[COVOPT_OID_HEXSZ + 1];	/* blob id at the recorded commit */
	uint32_t *imports;	/* indices of files this file imports */
	size_t imports_nr;
};

/* One code feature: a function or method, a class body, a module level, a file. */
struct model_feature {
	uint32_t file;		/* index into model.files */
	char *name;		/* "Class.method", "func", "Class", "<module>", "<file>" */
	uint8_t kind;		/* enum feature_kind */
	uint64_t hash;		/* hash of the normalized body */
	uint32_t lines;		/* executed lines of the feature, over all tests */
	/* 1: code of it ran under coverage's empty context, at import or
	 * test collection time (for a function: below its header, so it
	 * was called then). Set by record after model_add_feature(). */
	uint8_t import_time;
};

/*
 * Line evidence of a feature: its significant lines (feature-map.h), in
 * order, cut into blocks of consecutive lines that the same tests ran;
 * each test that ran the feature ran one of its patterns (a set of
 * blocks). blocks_nr 0: no evidence (an old model, a non-Python file, a
 * feature whose versions differed when models were combined).
 */
struct model_lines {
	uint32_t blocks_nr;
	uint32_t *block_end;	/* per block: its last significant line + 1 */
	uint32_t patterns_nr;
	unsigned char *patterns;	/* patterns_nr bitsets of MODEL_LINES_BYTES */
	unsigned char *at_import;	/* bitset: blocks run under the empty context */
};
#define MODEL_LINES_BYTES(blocks) (((size_t)(blocks) + 7) / 8)
#define MODEL_MAX_BLOCKS ((uint32_t)1 << 16)
/* A pattern index a test has on a feature without evidence. */
#define MODEL_NO_PATTERN UINT32_MAX

/*
 * Signals of a test are kept packed, as stored: a sequence of LEB128
 * varints, one per covered feature in increasing feature order, each
 * ((feature - previous_feature) << 4 | (q - 1)) where q in 1..16 is the
 * quantized share of the feature's executed lines the test ran and
 * previous_feature starts at 0. See coverage-vector.h.
 */
/* history bit: the test failed and passed on the same commit */
#define MODEL_HISTORY_FLAKY ((uint32_t)1 << 31)

struct model_test {
	char *id;		/* pytest node id: "tests/test_a.py::TestX::test_y[1]" */
	uint32_t flag;		/* index into model.flags */
	double cost;		/* seconds */
	uint8_t outcome;	/* enum test_outcome, latest */
	uint32_t history;	/* bit k set: failed k recordings ago (bit 0 = latest) */
	unsigned char *signals;
	size_t signals_len;
	/* per signal entry (patterns_nr of them, or none): its pattern in the
	 * feature's model_lines, MODEL_NO_PATTERN without evidence */
	uint32_t *patterns;
	size_t patterns_nr;
};

struct model {
	char commit[COVOPT_OID_HEXSZ + 1];	/* commit the model was recorded on */
	struct model_flag *flags;
	size_t flags_nr, flags_alloc;
	struct model_file *files;
	size_t files_nr, files_alloc;
	struct model_feature *features;
	size_t features_nr, features_alloc;
	struct model_test *tests;
	size_t tests_nr, tests_alloc;
	struct model_lines *lines;	/* per feature (features_nr), or NULL */
	/* the tests' patterns when made all at once (decode, record): one
	 * array, freed as a whole; other tests' patterns are their own */
	uint32_t *patterns_block;
	size_t patterns_block_nr;
	/* decoded line evidence lies in this one block (see model_release) */
	unsigned char *lines_block;
	size_t lines_block_size;
	/*
	 * model_decode() puts every path, name, id, import list and signal
	 * in this one block (features with the same name share one string:
	 * treat them as read-only); model_release() frees the block and only
	 * the items that lie outside it (those added with model_add_*()).
	 */
	unsigned char *block;
	size_t block_size;
};

void model_init(struct model *m);
/* Give m its lines array (all without evidence) if it has none. */
void model_lines_alloc(struct model *m);
void model_lines_release(struct model_lines *l);
/* Give m a patterns_block of nr entries (the tests point into it). */
void model_patterns_block(struct model *m, size_t nr);
/* Deep copy of src into dst. */
void model_lines_copy(struct model_lines *dst, const struct model_lines *src);
void model_release(struct model *m);

/* Append an item; strings are copied. Return the new index. */
uint32_t model_add_flag(struct model *m, const char *name, const char *commit,
			double suite_time, double overhead,
			double recorded_at);
/* Replace flag f's signature with a copy of the len bytes at sig (NULL or
 * len 0: unsigned). */
void model_flag_set_signature(struct model_flag *f, const void *sig,
			      size_t len);
uint32_t model_add_file(struct model *m, const char *path, const char *blob);
uint32_t model_add_feature(struct model *m, uint32_t file, const char *name,
			   enum feature_kind kind, uint64_t hash,
			   uint32_t lines);
/* Takes ownership of signals (malloc'ed, may be NULL when len is 0). */
uint32_t model_add_test(struct model *m, const char *id, uint32_t flag,
			double cost, enum test_outcome outcome,
			uint32_t history, unsigned char *signals,
			size_t signals_len);

/* Index of the file with this path (files are sorted by path), or -1. */
long model_find_file(const struct model *m, const char *path);
/* Index of the test with this id (tests are sorted by id), or -1. */
long model_find_test(const struct model *m, const char *id);
/* Index of the flag with this name, or -1. */
long model_find_flag(const struct model *m, const char *name);
/* Index of the feature (file, name) (features are sorted so), or -1. */
long model_find_feature(const struct model *m, uint32_t file,
			const char *name);

/*
 * A flag's times (suite_time, overhead, recorded_at) are finite and not
 * negative. Returns 0, or -1 after an error naming what and the flag.
 */
int model_validate_flag(const struct model_flag *f, const char *what);

/*
 * Check the invariants a decoded model must hold before use: flag times
 * (model_validate_flag()), indices in
 * range, files sorted by path and unique, features sorted by (file, name)
 * and unique, tests sorted by id and unique, signals well formed and in
 * range. Returns 0, or -1 after an error that names what is wrong.
 */
int model_validate(const struct model *m, const char *what);

const char *feature_kind_name(enum feature_kind kind);
const char *outcome_name(enum test_outcome outcome);

#endif
