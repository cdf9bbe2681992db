/* json.c - a small streaming JSON writer into an sbuf, for --json outputs.
 * The writer tracks commas per nesting level; callers only say what comes next. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "usage.h"
#include "banned.h"

void json_init(struct json_writer *w, struct sbuf *out, int pretty)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->pretty = pretty;
}

static void newline(struct json_writer *w)
{
	if (!w->pretty)
		return;
	sbuf_addch(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		sbuf_addstr(w->out, "  ");
}

/* Separate a value from the one before it, unless it follows a key. */
static void before_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth && w->count[w->depth - 1])
		sbuf_addch(w->out, ',');
	if (w->depth)
		w->count[w->depth - 1] = 1;
	if (w->depth)
		newline(w);
}

static void open_scope(struct json_writer *w, char c)
{
	before_value(w);
	if (w->depth >= JSON_MAX_DEPTH)
		BUG("JSON nested too deep");
	sbuf_addch(w->out, c);
	w->count[w->depth++] = 0;
}

static void close_scope(struct json_writer *w, char c)
{
	int had = w->count[--w->depth];

	if (had)
		newline(w);
	sbuf_addch(w->out, c);
}

void json_object_begin(struct json_writer *w) { open_scope(w, '{'); }
void json_object_end(struct json_writer *w) { close_scope(w, '}'); }
void json_array_begin(struct json_writer *w) { open_scope(w, '['); }
void json_array_end(struct json_writer *w) { close_scope(w, ']'); }

void json_key(struct json_writer *w, const char *key)
{
	before_value(w);
	json_quote(w->out, key, strlen(key));
	sbuf_addstr(w->out, w->pretty ? ": " : ":");
	w->after_key = 1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t need;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

void json_quote(struct sbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sbuf_addch(out, '"');
	while (i < len) {
		unsigned char c = s[i];
		size_t n;

		if (c == '"' || c == '\\') {
			sbuf_addch(out, '\\');
			sbuf_addch(out, c);
			i++;
		} else if (c < 0x20) {
			sbuf_addf(out, "\\u%04x", c);
			i++;
		} else if (c == 0x7f) {
			sbuf_addstr(out, "\\u007f");
			i++;
		} else if ((n = utf8_len(s + i, len - i)) == 2 && c == 0xc2 &&
			   s[i + 1] <= 0x9f) {
			/* a C1 control: never raw on a terminal */
			sbuf_addf(out, "\\u%04x", s[i + 1]);
			i += 2;
		} else if (n) {
			sbuf_add(out, s + i, n);
			i += n;
		} else {
			sbuf_addstr(out, "\\ufffd");
			i++;
		}
	}
	sbuf_addch(out, '"');
}

void json_stringn(struct json_writer *w, const char *s, size_t len)
{
	before_value(w);
	json_quote(w->out, s, len);
}

void json_string(struct json_writer *w, const char *s)
{
	json_stringn(w, s, strlen(s));
}

void json_int(struct json_writer *w, int64_t v)
{
	before_value(w);
	sbuf_addf(w->out, "%lld", (long long)v);
}

void json_double(struct json_writer *w, double v)
{
	before_value(w);
	if (!isfinite(v))
		sbuf_addstr(w->out, "null");
	else
		sbuf_addf(w->out, "%.6g", v);
}

void json_bool(struct json_writer *w, int v)
{
	before_value(w);
	sbuf_addstr(w->out, v ? "true" : "false");
}

void json_null(struct json_writer *w)
{
	before_value(w);
	sbuf_addstr(w->out, "null");
}
