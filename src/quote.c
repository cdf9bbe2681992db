/* quote.c - untrusted text (test ids, paths, names from notes and reports) made safe for a terminal.
 * One scanner decides what is a control character or not UTF-8; two writers escape it. */
#include <string.h>
#include "quote.h"
#include "banned.h"

/*
 * Length of the valid UTF-8 character at s (at most len bytes), or 0 when
 * the byte at s starts none (a stray continuation byte, an overlong form,
 * a surrogate, a code point over U+10FFFF, a truncated sequence).
 */
static size_t utf8_length(const unsigned char *s, size_t len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f;	/* over U+10FFFF */
	if (n > len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * How many bytes at s to copy as they are (>= 1), or 0 when the byte at s
 * must be escaped: a C0 control or DEL, a byte of no valid UTF-8, or the
 * first byte of a C1 control (whose second byte is then escaped too).
 */
static size_t safe_length(const unsigned char *s, size_t len)
{
	size_t n = utf8_length(s, len);

	if (n == 1 && (s[0] < 0x20 || s[0] == 0x7f))
		return 0;
	if (n == 2 && s[0] == 0xc2 && s[1] <= 0x9f)
		return 0;
	return n;
}

int quote_needed(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, n; i < len; i += n)
		if (!(n = safe_length(p + i, len - i)))
			return 1;
	return 0;
}

static void escape_byte(struct sbuf *out, unsigned char c)
{
	static const char named[] = "abtnvfr";

	if (c >= '\a' && c <= '\r') {
		sbuf_addch(out, '\\');
		sbuf_addch(out, named[c - '\a']);
		return;
	}
	sbuf_addch(out, '\\');
	sbuf_addch(out, '0' + (c >> 6));
	sbuf_addch(out, '0' + ((c >> 3) & 7));
	sbuf_addch(out, '0' + (c & 7));
}

/* quote_escape(), also escaping " and \ when in_quotes. */
static void escape(struct sbuf *out, const char *s, size_t len, int in_quotes)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t n = safe_length(p + i, len - i);

		if (!n) {
			/* a C1 control: both of its bytes */
			if (utf8_length(p + i, len - i) == 2)
				escape_byte(out, p[i++]);
			escape_byte(out, p[i++]);
		} else if (in_quotes && (p[i] == '"' || p[i] == '\\')) {
			sbuf_addch(out, '\\');
			sbuf_addch(out, p[i++]);
		} else {
			sbuf_add(out, p + i, n);
			i += n;
		}
	}
}

void quote_escape(struct sbuf *out, const char *s, size_t len)
{
	escape(out, s, len, 0);
}

const char *quote_shown(struct sbuf *sb, const char *s)
{
	sbuf_reset(sb);
	escape(sb, s, strlen(s), 0);
	return sb->buf;
}

void quote_c_style(struct sbuf *out, const char *s)
{
	size_t len = strlen(s);

	if (!quote_needed(s, len)) {
		sbuf_add(out, s, len);
		return;
	}
	sbuf_addch(out, '"');
	escape(out, s, len, 1);
	sbuf_addch(out, '"');
}
