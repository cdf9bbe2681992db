/* quote.h - untrusted text (test ids, paths, names from notes and reports) made safe for a terminal.
 * Control characters and bytes that are not UTF-8 are escaped C-style, as git's core.quotePath does. */
#ifndef COVOPT_QUOTE_H
#define COVOPT_QUOTE_H

#include <stddef.h>
#include "sbuf.h"

/*
 * 1 when the len bytes at s hold a control character (C0, DEL, or C1 as
 * UTF-8: U+0080..U+009F) or a byte that is not part of valid UTF-8;
 * else 0.
 */
int quote_needed(const char *s, size_t len);

/*
 * Append the len bytes at s to out, each control character and each byte
 * that is not valid UTF-8 escaped: \a \b \t \n \v \f \r, else a backslash
 * and three octal digits (ESC is \033; each byte of a C1 character is
 * escaped). Everything else, backslash and UTF-8 text included, is kept:
 * for diagnostics, where the text sits between single quotes.
 */
void quote_escape(struct sbuf *out, const char *s, size_t len);

/* sb reset to the NUL-terminated s, quote_escape()d: sb->buf, for a
 * "%s" of a message printed right away. */
const char *quote_shown(struct sbuf *sb, const char *s);

/*
 * Append s (NUL-terminated) for a terminal line, git-style: unchanged when
 * quote_needed() is 0, else between double quotes, with \" and \\ and the
 * escapes of quote_escape(), so the line is one unambiguous C string.
 */
void quote_c_style(struct sbuf *out, const char *s);

#endif
