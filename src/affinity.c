/* affinity.c - name affinity: does a test's name point at a changed function?
 * Words are compared folded (lower case, no '_'); a test's word loses its "test" prefix or suffix. */
#include <string.h>
#include "affinity.h"
#include "banned.h"

#define WORD_MAX AFFINITY_WORD_MAX
#define MIN_PART 3

/* Fold s[0..len) into out: lower case, underscores dropped, cut to WORD_MAX - 1. */
static void fold(char *out, const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < WORD_MAX; i++) {
		char c = s[i];

		if (c == '_')
			continue;
		out[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
}

/* A test word without its "test" prefix or suffix ("testdiscount" -> "discount"). */
static void strip_test(char *w)
{
	size_t n = strlen(w);

	if (!strncmp(w, "test", 4)) {
		memmove(w, w + 4, n - 3);
		n -= 4;
	}
	if (n > 4 && !strcmp(w + n - 4, "test"))
		w[n - 4] = '\0';
}

/* The test's last "::" part before its parameters ("[...]", which may
 * hold "::" too), folded and stripped. */
void affinity_test_word(char *out, const char *id)
{
	const char *end = strchr(id, '['), *last = id;

	if (!end)
		end = id + strlen(id);
	for (const char *p = id; p + 1 < end; p++)
		if (p[0] == ':' && p[1] == ':')
			last = p + 2;
	fold(out, last, (size_t)(end - last));
	strip_test(out);
}

/* The feature's function (its last '.' part), folded; "" for what no test names. */
void affinity_feature_word(char *out, const char *name)
{
	const char *dot = strrchr(name, '.'), *last = dot ? dot + 1 : name;

	*out = '\0';
	if (*name == '<' || !strncmp(last, "__", 2) ||
	    (!dot && *name >= 'A' && *name <= 'Z'))
		return;
	fold(out, last, strlen(last));
}

int affinity_words_match(const char *test, const char *feature)
{
	size_t n = strlen(feature);

	if (!n || !*test)
		return 0;
	if (!strcmp(test, feature))
		return 1;
	return n >= MIN_PART && strstr(test, feature) != NULL;
}

int name_affinity(const char *test_id, const char *feature_name)
{
	char test[WORD_MAX], feature[WORD_MAX];

	affinity_test_word(test, test_id);
	affinity_feature_word(feature, feature_name);
	return affinity_words_match(test, feature);
}
