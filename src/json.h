/* json.h - a small streaming JSON writer into an sbuf, for --json outputs.
 * Strings are escaped and invalid UTF-8 is replaced, so the output always parses. */
#ifndef COVOPT_JSON_H
#define COVOPT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "sbuf.h"

#define JSON_MAX_DEPTH 32

struct json_writer {
	struct sbuf *out;
	int depth;
	int pretty;
	unsigned char count[JSON_MAX_DEPTH];	/* 1 once a member was written at this depth */
	int after_key;
};

/* Write into out (borrowed); pretty adds newlines and two-space indents. */
void json_init(struct json_writer *w, struct sbuf *out, int pretty);
void json_object_begin(struct json_writer *w);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w);
void json_array_end(struct json_writer *w);
/* The key of the next member of the current object. */
void json_key(struct json_writer *w, const char *key);
void json_string(struct json_writer *w, const char *s);
void json_stringn(struct json_writer *w, const char *s, size_t len);
void json_int(struct json_writer *w, int64_t v);
/* Finite numbers with up to 6 significant digits; NaN and inf become null. */
void json_double(struct json_writer *w, double v);
void json_bool(struct json_writer *w, int v);
void json_null(struct json_writer *w);

/* Append s to out as a JSON string literal (quotes included). */
void json_quote(struct sbuf *out, const char *s, size_t len);

#endif
