/* hex.c - the one test for the lowercase hex digits git names objects and notes by.
 * Uppercase is refused: git writes object ids and note names in lowercase only. */
#include "hex.h"
#include "banned.h"

int hex_is_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return 1;
}
