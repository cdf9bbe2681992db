/* sbuf.c - growable byte buffer with git strbuf's invariants.
 * Growth is overflow-checked; the empty buffer points at a shared slop byte. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sbuf.h"
#include "xalloc.h"

char sbuf_slopbuf[1];

void sbuf_init(struct sbuf *sb, size_t hint)
{
	sb->alloc = sb->len = 0;
	sb->buf = sbuf_slopbuf;
	if (hint)
		sbuf_grow(sb, hint);
}

void sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb, 0);
}

char *sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *res;

	sbuf_grow(sb, 0);
	res = sb->buf;
	if (len)
		*len = sb->len;
	sbuf_init(sb, 0);
	return res;
}

void sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t want = st_add(st_add(sb->len, extra), 1);
	int fresh = !sb->alloc;

	if (want <= sb->alloc)
		return;
	if (fresh)
		sb->buf = NULL;
	ALLOC_GROW(sb->buf, want, sb->alloc);
	if (fresh)
		sb->buf[0] = '\0';
}

void sbuf_setlen(struct sbuf *sb, size_t len)
{
	if (len > (sb->alloc ? sb->alloc - 1 : 0))
		BUG("sbuf_setlen() beyond buffer");
	sb->len = len;
	if (sb->buf != sbuf_slopbuf)
		sb->buf[len] = '\0';
}

void sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	sbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sbuf_addstr(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_addch(struct sbuf *sb, int c)
{
	if (sb->len + 1 >= sb->alloc)	/* no room for c and the NUL */
		sbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	sbuf_grow(sb, 64);
	va_start(ap, fmt);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		BUG("vsnprintf failed");
	if ((size_t)n >= sb->alloc - sb->len) {
		sbuf_grow(sb, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
		va_end(ap);
	}
	sb->len += (size_t)n;
}

int sbuf_read_fd(struct sbuf *sb, int fd, size_t max, const char *what)
{
	for (;;) {
		ssize_t n;

		sbuf_grow(sb, 65536);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error("cannot read '%s': %s", what,
				     strerror(errno));
		}
		if (!n)
			break;
		sb->len += (size_t)n;
		sb->buf[sb->len] = '\0';
		if (sb->len > max)
			return error("'%s' is too large (more than %zu bytes)",
				     what, max);
	}
	return 0;
}

int sbuf_read_file(struct sbuf *sb, const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	int ret;

	if (!f)
		return error("cannot open '%s': %s", path, strerror(errno));
	ret = sbuf_read_fd(sb, fileno(f), max, path);
	fclose(f);
	return ret;
}
