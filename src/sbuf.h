/* sbuf.h - growable byte buffer with git strbuf's invariants.
 * buf is never NULL and always NUL-terminated; it may hold NUL bytes; detach hands it over. */
#ifndef COVOPT_SBUF_H
#define COVOPT_SBUF_H

#include <stddef.h>
#include "usage.h"

struct sbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char sbuf_slopbuf[];
#define SBUF_INIT { .buf = sbuf_slopbuf }

void sbuf_init(struct sbuf *sb, size_t hint);
/* Free the contents; the buffer is empty and usable afterwards. */
void sbuf_release(struct sbuf *sb);
/* Hand the contents over to the caller (free() it); sb is reset. */
char *sbuf_detach(struct sbuf *sb, size_t *len);
/* Ensure room for extra more bytes (plus the NUL). */
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_setlen(struct sbuf *sb, size_t len);
#define sbuf_reset(sb) sbuf_setlen((sb), 0)

void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_addstr(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) COVOPT_PRINTF(2, 3);

/*
 * Read the whole file at path into sb, refusing files larger than max bytes.
 * Returns 0, or -1 after an error naming the file.
 */
int sbuf_read_file(struct sbuf *sb, const char *path, size_t max);
/* Read all of fd (stdin, a pipe) into sb, at most max bytes; 0 or -1. */
int sbuf_read_fd(struct sbuf *sb, int fd, size_t max, const char *what);

#endif
