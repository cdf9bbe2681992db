/* config.c - .covopt.yml read with libyaml into struct covopt_config.
 * Events refuse aliases and deep nesting; a tree walk fills a scratch copy. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yaml.h>
#include "budget.h"
#include "config.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* More runners than this in one file is a mistake, not a configuration. */
#define CONFIG_MAX_RUNNERS 32
/* Runner names longer than this are refused. */
#define CONFIG_MAX_NAME 64
/* Key names are quoted in messages up to this many bytes. */
#define KEY_QUOTE_MAX 64

static const char *const default_global_paths[] = {
	"conftest.py", "pyproject.toml", "setup.cfg", "setup.py", "tox.ini",
	"pytest.ini", "requirements*.txt",
};

static const char *const default_test_patterns[] = {
	"test_*.py", "*_test.py",
};

/* ------------------------------------------------------------------ */
/* Runners and the config struct                                       */
/* ------------------------------------------------------------------ */

static void runner_init(struct runner_config *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->type = RUNNER_PYTEST;
	r->python_path = NULL;	/* unset: python-find.c probes */
	r->coverage_root = xstrdup(".");
}

static void runner_release(struct runner_config *r)
{
	free(r->name);
	free(r->python_path);
	free(r->coverage_root);
	strlist_release(&r->collect_options);
	strlist_release(&r->execute_options);
	strlist_release(&r->collect_command);
	strlist_release(&r->execute_command);
	memset(r, 0, sizeof(*r));
}

static void add_all(struct strlist *list, const char *const *items, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		strlist_append(list, items[i]);
}

static struct runner_config *find_runner(struct runner_config *runners,
					 size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(runners[i].name, name))
			return &runners[i];
	return NULL;
}

void config_init(struct covopt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	add_all(&cfg->global_paths, default_global_paths,
		sizeof(default_global_paths) / sizeof(*default_global_paths));
	add_all(&cfg->test_patterns, default_test_patterns,
		sizeof(default_test_patterns) / sizeof(*default_test_patterns));
	ALLOC_GROW(cfg->runners, 1, cfg->runners_alloc);
	runner_init(&cfg->runners[0], "pytest");
	cfg->runners_nr = 1;
}

void config_release(struct covopt_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->budget);
	free(cfg->notes_ref);
	free(cfg->runner);
	strlist_release(&cfg->global_paths);
	strlist_release(&cfg->ignore_paths);
	strlist_release(&cfg->test_patterns);
	strlist_release(&cfg->coverage_files);
	strlist_release(&cfg->junit_files);
	strlist_release(&cfg->always_run);
	for (size_t i = 0; i < cfg->runners_nr; i++)
		runner_release(&cfg->runners[i]);
	free(cfg->runners);
	memset(cfg, 0, sizeof(*cfg));
}

const char *config_runner_name(const struct covopt_config *cfg,
			       const char *name)
{
	if (name)
		return name;
	return cfg->runner ? cfg->runner : "pytest";
}

const struct runner_config *config_runner(const struct covopt_config *cfg,
					  const char *name)
{
	return find_runner(cfg->runners, cfg->runners_nr,
			   config_runner_name(cfg, name));
}

/* ------------------------------------------------------------------ */
/* Error positions                                                     */
/* ------------------------------------------------------------------ */

/* Line and column (1-based, columns in characters) of byte offset off. */
static void offset_position(const char *buf, size_t off, size_t *line,
			    size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static int error_at(const char *what, size_t line, size_t col,
		    const char *fmt, ...) COVOPT_PRINTF(4, 5);

static int error_at(const char *what, size_t line, size_t col,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error("%s:%zu:%zu: %s", what, line, col, msg);
}

/* A file over CONFIG_MAX_SIZE bytes, refused where it crosses the limit. */
static int too_large(const char *buf, const char *what)
{
	size_t line, col;

	offset_position(buf, CONFIG_MAX_SIZE, &line, &col);
	return error_at(what, line, col, "the file goes on past its size "
			"limit of 1 MiB (%zu bytes)", CONFIG_MAX_SIZE);
}

#define error_mark(what, mark, ...) \
	error_at((what), (mark).line + 1, (mark).column + 1, __VA_ARGS__)

static int parser_error(const yaml_parser_t *parser, const char *what,
			const char *buf, size_t len)
{
	const char *problem = parser->problem ? parser->problem : "error";
	size_t line, col;

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return error("cannot parse '%s': out of memory", what);
	case YAML_COMPOSER_ERROR:	/* duplicate anchor: show both */
		if (!parser->context)
			break;
		return error_mark(what, parser->problem_mark,
				  "%s at %zu:%zu, %s", parser->context,
				  parser->context_mark.line + 1,
				  parser->context_mark.column + 1, problem);
	case YAML_READER_ERROR:
		offset_position(buf, parser->problem_offset < len ?
				parser->problem_offset : len, &line, &col);
		return error_at(what, line, col, "%s", problem);
	default:
		break;
	}
	return error_mark(what, parser->problem_mark, "%s", problem);
}

/* ------------------------------------------------------------------ */
/* The event pass: what the document loader would let through          */
/* ------------------------------------------------------------------ */

/*
 * Walk the events once: syntax errors, aliases (libyaml 0.2.5 resolves
 * them silently, so one node could be reached without bound), nesting
 * deeper than CONFIG_MAX_DEPTH and a second document are refused here,
 * before any tree is built. Returns 0 or -1.
 */
static int check_events(const char *buf, size_t len, const char *what)
{
	yaml_parser_t parser;
	yaml_event_t event;
	int depth = 0, docs = 0, ret = -1;

	if (!yaml_parser_initialize(&parser))
		return error("cannot parse '%s': out of memory", what);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	for (;;) {
		int r = 0;

		if (!yaml_parser_parse(&parser, &event)) {
			parser_error(&parser, what, buf, len);
			goto cleanup;
		}
		switch (event.type) {
		case YAML_ALIAS_EVENT:
			r = error_mark(what, event.start_mark,
				       "aliases are not supported");
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				r = error_mark(what, event.start_mark,
					       "more than one document");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > CONFIG_MAX_DEPTH)
				r = error_mark(what, event.start_mark,
					       "nesting deeper than %d levels",
					       CONFIG_MAX_DEPTH);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (event.type == YAML_STREAM_END_EVENT && !r)
			ret = 0;
		if (r < 0 || event.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&event);
			break;
		}
		yaml_event_delete(&event);
	}
cleanup:
	yaml_parser_delete(&parser);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The tree walker                                                     */
/* ------------------------------------------------------------------ */

enum top_key {
	K_BUDGET, K_NOTES_REF, K_GLOBAL_PATHS, K_IGNORE_PATHS, K_TEST_PATTERNS,
	K_ALWAYS_RUN, K_RECORD, K_RUNNER, K_RUNNERS, K_COVERAGE, K_JUNIT,
};

static const char *const top_keys[] = {
	"budget", "notes_ref", "global_paths", "ignore_paths",
	"test_patterns", "always_run", "record", "runner", "runners", NULL,
};

static const char *const record_keys[] = { "coverage", "junit", NULL };

enum runner_key {
	R_TYPE, R_PYTHON_PATH, R_COVERAGE_ROOT, R_COLLECT_OPTIONS,
	R_EXECUTE_OPTIONS, R_COLLECT_COMMAND, R_EXECUTE_COMMAND,
};

static const char *const runner_keys[] = {
	"type", "python_path", "coverage_root", "collect_options",
	"execute_options", "collect_command", "execute_command", NULL,
};

struct walker {
	const char *what;
	yaml_document_t *doc;
	struct covopt_config *tmp;	/* what the file sets, no defaults */
	unsigned seen;			/* top-level and record keys set */
	yaml_mark_t runner_mark;	/* of the "runner" value */
};

static int is_scalar(const yaml_node_t *node)
{
	return node && node->type == YAML_SCALAR_NODE;
}

static int scalar_is(const yaml_node_t *node, const char *s)
{
	size_t n = strlen(s);

	return is_scalar(node) && node->data.scalar.length == n &&
	       !memcmp(node->data.scalar.value, s, n);
}

/* A plain "", "~" or "null": YAML's null, which no key accepts. */
static int is_null(const yaml_node_t *node)
{
	return is_scalar(node) &&
	       node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!node->data.scalar.length || scalar_is(node, "~") ||
		scalar_is(node, "null") || scalar_is(node, "Null") ||
		scalar_is(node, "NULL"));
}

static const char *scalar_text(const yaml_node_t *node)
{
	return (const char *)node->data.scalar.value;
}

/* Index of the key named by scalar node in names, or -1. */
static int key_index(const yaml_node_t *node, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (scalar_is(node, names[i]))
			return i;
	return -1;
}

static int key_len(const yaml_node_t *node)
{
	size_t n = node->data.scalar.length;

	return n > KEY_QUOTE_MAX ? KEY_QUOTE_MAX : (int)n;
}

/* Map keys must be non-null scalars. */
static int check_key(struct walker *w, const yaml_node_t *key,
		     const char *where)
{
	if (!is_scalar(key) || is_null(key))
		return error_mark(w->what, key->start_mark,
				  "keys of '%s' must be strings", where);
	return 0;
}

/* A copy of a scalar node's text; NUL bytes (from "\0") are refused. */
static int scalar_dup(struct walker *w, const yaml_node_t *node,
		      const char *name, char **out)
{
	if (memchr(node->data.scalar.value, '\0', node->data.scalar.length))
		return error_mark(w->what, node->start_mark,
				  "NUL byte in '%s'", name);
	*out = xmemdupz(node->data.scalar.value, node->data.scalar.length);
	return 0;
}

static int get_string(struct walker *w, const yaml_node_t *node,
		      const char *name, char **out)
{
	char *s = NULL;

	if (!is_scalar(node) || is_null(node))
		return error_mark(w->what, node->start_mark,
				  "'%s' must be a string", name);
	if (!node->data.scalar.length)
		return error_mark(w->what, node->start_mark,
				  "'%s' must not be empty", name);
	if (scalar_dup(w, node, name, &s) < 0)
		return -1;
	free(*out);
	*out = s;
	return 0;
}

/* "10", "2.5" (seconds > 0) or "5%" (0 < share <= 100). */
static int get_budget(struct walker *w, const yaml_node_t *node)
{
	const char *type_msg = "'budget' must be a number of seconds or "
			       "a percentage like '5%'";
	struct budget b;
	enum budget_status st;
	char *s = NULL;
	int ret = -1;

	if (!is_scalar(node) || is_null(node) ||
	    node->data.scalar.length > 32)
		return error_mark(w->what, node->start_mark, "%s", type_msg);
	if (scalar_dup(w, node, "budget", &s) < 0)
		return -1;
	st = budget_parse(&b, s, 1);
	if (st == BUDGET_SYNTAX) {
		error_mark(w->what, node->start_mark, "%s", type_msg);
		goto cleanup;
	}
	if (st == BUDGET_OVER_100 || (st == BUDGET_ZERO && b.is_share)) {
		error_mark(w->what, node->start_mark,
			   "'budget' must be more than 0%% and at most 100%%");
		goto cleanup;
	}
	if (st == BUDGET_ZERO) {
		error_mark(w->what, node->start_mark,
			   "'budget' must be more than 0 seconds");
		goto cleanup;
	}
	free(w->tmp->budget);
	w->tmp->budget = s;
	s = NULL;
	ret = 0;
cleanup:
	free(s);
	return ret;
}

/* A ref name: no space, control character or what git forbids in refs. */
static int get_notes_ref(struct walker *w, const yaml_node_t *node)
{
	const char *s;

	if (get_string(w, node, "notes_ref", &w->tmp->notes_ref) < 0)
		return -1;
	s = w->tmp->notes_ref;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f ||
		    strchr("~^:?*[\\", *p))
			return error_mark(w->what, node->start_mark,
					  "'notes_ref' is not a valid ref "
					  "name: '%s'", s);
	if (strstr(s, ".."))
		return error_mark(w->what, node->start_mark,
				  "'notes_ref' is not a valid ref name: '%s'",
				  s);
	return 0;
}

/*
 * Append the strings of a sequence node to list. Every item must be a
 * string (else the error says "'name' must be <shape>"); an empty one is
 * an error unless allow_empty.
 */
static int append_items(struct walker *w, const yaml_node_t *node,
			const char *name, const char *shape, int allow_empty,
			struct strlist *list)
{
	for (yaml_node_item_t *it = node->data.sequence.items.start;
	     it < node->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(w->doc, *it);
		char *s = NULL;

		if (!is_scalar(item) || is_null(item))
			return error_mark(w->what, item->start_mark,
					  "'%s' must be %s", name, shape);
		if (!allow_empty && !item->data.scalar.length)
			return error_mark(w->what, item->start_mark,
					  "empty string in '%s'", name);
		if (scalar_dup(w, item, name, &s) < 0)
			return -1;
		strlist_append_nodup(list, s);
	}
	return 0;
}

/* Replace *out with list (taken) when ok is 0, else drop list: 0 or -1. */
static int replace_list(struct strlist *out, struct strlist *list, int ok)
{
	if (ok < 0) {
		strlist_release(list);
		return -1;
	}
	strlist_release(out);
	*out = *list;
	return 0;
}

/* A sequence of non-empty strings, replacing *out. */
static int get_list(struct walker *w, const yaml_node_t *node,
		    const char *name, struct strlist *out)
{
	static const char shape[] = "a list of strings";
	struct strlist list = STRLIST_INIT;

	if (node->type != YAML_SEQUENCE_NODE)
		return error_mark(w->what, node->start_mark,
				  "'%s' must be %s", name, shape);
	return replace_list(out, &list,
			    append_items(w, node, name, shape, 0, &list));
}

/*
 * A scalar split at blanks. Quotes, backslashes and the rest of a shell's
 * syntax are refused: a list says what a shell would have meant.
 */
static int split_scalar(struct walker *w, const yaml_node_t *node,
			const char *name, struct strlist *list)
{
	static const char blanks[] = " \t\n";
	const char *s = scalar_text(node), *end = s + node->data.scalar.length;

	if (memchr(s, '\0', node->data.scalar.length))
		return error_mark(w->what, node->start_mark,
				  "NUL byte in '%s'", name);
	if (strpbrk(s, "'\"\\$`|;&<>()"))
		return error_mark(w->what, node->start_mark,
				  "'%s' needs quoting: write it as a list, "
				  "e.g. [pytest, \"-k\", \"a b\"]", name);
	while (s < end) {
		size_t n = strcspn(s, blanks);

		if (n)
			strlist_append_nodup(list, xmemdupz(s, n));
		s += n;
		s += strspn(s, blanks);
	}
	return 0;
}

/* An argv: a list of strings as they are, or a string split at blanks. */
static int get_argv(struct walker *w, const yaml_node_t *node,
		    const char *name, struct strlist *out)
{
	static const char shape[] = "a string or a list of strings";
	struct strlist list = STRLIST_INIT;

	if (is_scalar(node) && !is_null(node))
		return replace_list(out, &list,
				    split_scalar(w, node, name, &list));
	if (node->type == YAML_SEQUENCE_NODE)
		return replace_list(out, &list,
				    append_items(w, node, name, shape, 1,
						 &list));
	return error_mark(w->what, node->start_mark, "'%s' must be %s", name,
			  shape);
}

/*
 * Check a mapping key against names: unknown and duplicate keys are
 * errors naming prefix.key. *seen holds one bit per name. Returns the
 * index of the key or -1.
 */
static int mapping_key(struct walker *w, const yaml_node_t *key,
		       const char *const *names, const char *prefix,
		       const char *where, unsigned *seen)
{
	int k;

	if (check_key(w, key, where) < 0)
		return -1;
	k = key_index(key, names);
	if (k < 0)
		return error_mark(w->what, key->start_mark,
				  "unknown key '%s%.*s'", prefix, key_len(key),
				  scalar_text(key));
	if (*seen & (1u << k))
		return error_mark(w->what, key->start_mark,
				  "duplicate key '%s%.*s'", prefix,
				  key_len(key), scalar_text(key));
	*seen |= 1u << k;
	return k;
}

#define for_each_pair(w, node, pair) \
	for (yaml_node_pair_t *pair = (node)->data.mapping.pairs.start; \
	     pair < (node)->data.mapping.pairs.top; pair++)

static int walk_record(struct walker *w, const yaml_node_t *node)
{
	unsigned seen = 0;

	if (node->type != YAML_MAPPING_NODE)
		return error_mark(w->what, node->start_mark,
				  "'record' must be a mapping");
	for_each_pair(w, node, pair) {
		yaml_node_t *key = yaml_document_get_node(w->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(w->doc, pair->value);
		int k = mapping_key(w, key, record_keys, "record.", "record",
				    &seen);
		struct strlist *list;

		if (k < 0)
			return -1;
		list = k ? &w->tmp->junit_files : &w->tmp->coverage_files;
		if (get_list(w, val, k ? "record.junit" : "record.coverage",
			     list) < 0)
			return -1;
		w->seen |= 1u << (k ? K_JUNIT : K_COVERAGE);
	}
	return 0;
}

/* The type of runner r from its "type" key, or from its name. */
static int runner_type(struct walker *w, const yaml_node_t *name_node,
		       const yaml_node_t *node, struct runner_config *r)
{
	char full[CONFIG_MAX_NAME + 32];

	for_each_pair(w, node, pair) {
		yaml_node_t *key = yaml_document_get_node(w->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(w->doc, pair->value);

		if (!scalar_is(key, "type"))
			continue;
		if (scalar_is(val, "pytest"))
			r->type = RUNNER_PYTEST;
		else if (scalar_is(val, "command"))
			r->type = RUNNER_COMMAND;
		else {
			snprintf(full, sizeof(full), "runners.%s.type",
				 r->name);
			return error_mark(w->what, val->start_mark,
					  "'%s' must be 'pytest' or 'command'",
					  full);
		}
		return 0;
	}
	if (!strcmp(r->name, "pytest"))
		return 0;
	return error_mark(w->what, name_node->start_mark,
			  "runner '%s' needs a 'type': 'pytest' or 'command'",
			  r->name);
}

static int walk_runner_key(struct walker *w, struct runner_config *r,
			   int k, const yaml_node_t *val, const char *full,
			   const yaml_node_t *key)
{
	int for_pytest = k == R_PYTHON_PATH || k == R_COVERAGE_ROOT ||
			 k == R_COLLECT_OPTIONS || k == R_EXECUTE_OPTIONS;

	if (k != R_TYPE && for_pytest != (r->type == RUNNER_PYTEST))
		return error_mark(w->what, key->start_mark,
				  "'%s' is not valid for a runner of type "
				  "'%s'", full,
				  r->type == RUNNER_PYTEST ? "pytest" :
				  "command");
	switch (k) {
	case R_TYPE:
		return 0;	/* read by runner_type() */
	case R_PYTHON_PATH:
		return get_string(w, val, full, &r->python_path);
	case R_COVERAGE_ROOT:
		return get_string(w, val, full, &r->coverage_root);
	case R_COLLECT_OPTIONS:
		return get_argv(w, val, full, &r->collect_options);
	case R_EXECUTE_OPTIONS:
		return get_argv(w, val, full, &r->execute_options);
	case R_COLLECT_COMMAND:
		return get_argv(w, val, full, &r->collect_command);
	case R_EXECUTE_COMMAND:
		if (get_argv(w, val, full, &r->execute_command) < 0)
			return -1;
		if (!r->execute_command.nr)
			return error_mark(w->what, val->start_mark,
					  "'%s' must not be empty", full);
		return 0;
	}
	BUG("runner key %d", k);
}

static int valid_runner_name(const yaml_node_t *key)
{
	size_t n = key->data.scalar.length;
	const char *s = scalar_text(key);

	if (!n || n > CONFIG_MAX_NAME)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/* One runner, name_node: its settings in node, into r (initialised). */
static int walk_runner(struct walker *w, const yaml_node_t *name_node,
		       const yaml_node_t *node, struct runner_config *r)
{
	char prefix[CONFIG_MAX_NAME + 16], full[CONFIG_MAX_NAME + 48];
	unsigned seen = 0;

	if (node->type != YAML_MAPPING_NODE)
		return error_mark(w->what, node->start_mark,
				  "'runners.%s' must be a mapping", r->name);
	if (runner_type(w, name_node, node, r) < 0)
		return -1;
	snprintf(prefix, sizeof(prefix), "runners.%s.", r->name);
	for_each_pair(w, node, pair) {
		yaml_node_t *key = yaml_document_get_node(w->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(w->doc, pair->value);
		int k = mapping_key(w, key, runner_keys, prefix, prefix,
				    &seen);

		if (k < 0)
			return -1;
		snprintf(full, sizeof(full), "%s%s", prefix, runner_keys[k]);
		if (walk_runner_key(w, r, k, val, full, key) < 0)
			return -1;
	}
	if (r->type == RUNNER_COMMAND && !r->execute_command.nr)
		return error_mark(w->what, name_node->start_mark,
				  "runner '%s' of type 'command' needs "
				  "'execute_command'", r->name);
	return 0;
}

static int walk_runners(struct walker *w, const yaml_node_t *node)
{
	struct covopt_config *tmp = w->tmp;

	if (node->type != YAML_MAPPING_NODE)
		return error_mark(w->what, node->start_mark,
				  "'runners' must be a mapping");
	for_each_pair(w, node, pair) {
		yaml_node_t *key = yaml_document_get_node(w->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(w->doc, pair->value);
		struct runner_config *r;

		if (check_key(w, key, "runners") < 0)
			return -1;
		if (!valid_runner_name(key))
			return error_mark(w->what, key->start_mark,
					  "invalid runner name '%.*s'",
					  key_len(key), scalar_text(key));
		if (find_runner(tmp->runners, tmp->runners_nr,
				scalar_text(key)))
			return error_mark(w->what, key->start_mark,
					  "duplicate key 'runners.%s'",
					  scalar_text(key));
		if (tmp->runners_nr >= CONFIG_MAX_RUNNERS)
			return error_mark(w->what, key->start_mark,
					  "too many runners (more than %d)",
					  CONFIG_MAX_RUNNERS);
		ALLOC_GROW(tmp->runners, tmp->runners_nr + 1,
			   tmp->runners_alloc);
		r = &tmp->runners[tmp->runners_nr++];
		runner_init(r, scalar_text(key));
		if (walk_runner(w, key, val, r) < 0)
			return -1;
	}
	return 0;
}

static int walk_top_key(struct walker *w, int k, const yaml_node_t *val)
{
	struct covopt_config *tmp = w->tmp;

	switch (k) {
	case K_BUDGET:
		return get_budget(w, val);
	case K_NOTES_REF:
		return get_notes_ref(w, val);
	case K_GLOBAL_PATHS:
		return get_list(w, val, "global_paths", &tmp->global_paths);
	case K_IGNORE_PATHS:
		return get_list(w, val, "ignore_paths", &tmp->ignore_paths);
	case K_TEST_PATTERNS:
		return get_list(w, val, "test_patterns", &tmp->test_patterns);
	case K_ALWAYS_RUN:
		return get_list(w, val, "always_run", &tmp->always_run);
	case K_RECORD:
		return walk_record(w, val);
	case K_RUNNER:
		w->runner_mark = val->start_mark;
		return get_string(w, val, "runner", &tmp->runner);
	case K_RUNNERS:
		return walk_runners(w, val);
	}
	BUG("config key %d", k);
}

static int walk_root(struct walker *w, const yaml_node_t *root)
{
	unsigned seen = 0;

	if (is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return error_mark(w->what, root->start_mark,
				  "the top level must be a mapping");
	for_each_pair(w, root, pair) {
		yaml_node_t *key = yaml_document_get_node(w->doc, pair->key);
		yaml_node_t *val = yaml_document_get_node(w->doc, pair->value);
		int k = mapping_key(w, key, top_keys, "", "the top level",
				    &seen);

		if (k < 0 || walk_top_key(w, k, val) < 0)
			return -1;
	}
	w->seen |= seen;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Putting a valid file in place                                       */
/* ------------------------------------------------------------------ */

static void move_string(char **dst, char **src)
{
	if (!*src)
		return;
	free(*dst);
	*dst = *src;
	*src = NULL;
}

static void move_list(unsigned seen, int bit, struct strlist *dst,
		      struct strlist *src)
{
	if (!(seen & (1u << bit)))
		return;
	strlist_release(dst);
	*dst = *src;
	*src = (struct strlist)STRLIST_INIT;
}

/* Move what tmp sets into cfg; runners replace those of the same name. */
static void commit_config(struct covopt_config *cfg,
			  struct covopt_config *tmp, unsigned seen)
{
	move_string(&cfg->budget, &tmp->budget);
	move_string(&cfg->notes_ref, &tmp->notes_ref);
	move_string(&cfg->runner, &tmp->runner);
	move_list(seen, K_GLOBAL_PATHS, &cfg->global_paths, &tmp->global_paths);
	move_list(seen, K_IGNORE_PATHS, &cfg->ignore_paths, &tmp->ignore_paths);
	move_list(seen, K_TEST_PATTERNS, &cfg->test_patterns,
		  &tmp->test_patterns);
	move_list(seen, K_ALWAYS_RUN, &cfg->always_run, &tmp->always_run);
	move_list(seen, K_COVERAGE, &cfg->coverage_files,
		  &tmp->coverage_files);
	move_list(seen, K_JUNIT, &cfg->junit_files, &tmp->junit_files);
	for (size_t i = 0; i < tmp->runners_nr; i++) {
		struct runner_config *r = find_runner(cfg->runners,
						      cfg->runners_nr,
						      tmp->runners[i].name);

		if (r) {
			runner_release(r);
		} else {
			ALLOC_GROW(cfg->runners, cfg->runners_nr + 1,
				   cfg->runners_alloc);
			r = &cfg->runners[cfg->runners_nr++];
		}
		*r = tmp->runners[i];
	}
	tmp->runners_nr = 0;
}

int config_parse(struct covopt_config *cfg, const char *buf, size_t len,
		 const char *what)
{
	struct covopt_config tmp = { 0 };
	struct walker w = { .what = what, .tmp = &tmp };
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	const char *nul;
	int have_parser = 0, have_doc = 0, ret = -1;

	if (len > CONFIG_MAX_SIZE)
		return too_large(buf, what);
	if ((nul = memchr(buf, '\0', len))) {
		size_t line, col;

		offset_position(buf, (size_t)(nul - buf), &line, &col);
		return error_at(what, line, col, "NUL byte in file");
	}
	if (check_events(buf, len, what) < 0)
		return -1;
	if (!yaml_parser_initialize(&parser))
		return error("cannot parse '%s': out of memory", what);
	have_parser = 1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	if (!yaml_parser_load(&parser, &doc)) {
		parser_error(&parser, what, buf, len);
		goto cleanup;
	}
	have_doc = 1;
	w.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root && walk_root(&w, root) < 0)
		goto cleanup;
	if (tmp.runner &&
	    !find_runner(tmp.runners, tmp.runners_nr, tmp.runner) &&
	    !find_runner(cfg->runners, cfg->runners_nr, tmp.runner)) {
		error_mark(what, w.runner_mark,
			   "'runner' names an unknown runner '%s'", tmp.runner);
		goto cleanup;
	}
	commit_config(cfg, &tmp, w.seen);
	ret = 0;
cleanup:
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	config_release(&tmp);
	return ret;
}

int config_read_file(struct sbuf *sb, const char *path, const char *what)
{
	struct sbuf why = SBUF_INIT, *old;
	int fd, ret;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return error("cannot open '%s': %s", path, strerror(errno));
	}
	old = error_divert(&why);
	ret = sbuf_read_fd(sb, fd, CONFIG_MAX_SIZE, path);
	error_divert(old);
	close(fd);
	if (ret < 0 && sb->len > CONFIG_MAX_SIZE)
		too_large(sb->buf, what);
	else if (ret < 0)
		error("%s", why.buf);
	sbuf_release(&why);
	return ret;
}

int config_load_file(struct covopt_config *cfg, const char *path)
{
	struct sbuf sb = SBUF_INIT;
	int ret = config_read_file(&sb, path, path);

	if (!ret)
		ret = config_parse(cfg, sb.buf, sb.len, path);
	sbuf_release(&sb);
	return ret < 0 ? -1 : 0;
}
