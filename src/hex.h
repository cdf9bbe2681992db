/* hex.h - the one test for the lowercase hex digits git names objects and notes by.
 * Used by the notes store, the model codec and gc alike, so they agree on what a name is. */
#ifndef COVOPT_HEX_H
#define COVOPT_HEX_H

#include <stddef.h>

/* 1 when the n bytes of s are all lowercase hex digits (n may be 0). */
int hex_is_lower(const char *s, size_t n);

#endif
