/* glob.c - match repository paths against globs as .gitignore does.
 * Two levels of star backtracking (characters, then path segments): polynomial. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "glob.h"
#include "xalloc.h"
#include "banned.h"

/* ------------------------------------------------------------------ */
/* Character classes                                                   */
/* ------------------------------------------------------------------ */

/* Whether c is in the POSIX class name[0..len); -1 for an unknown name. */
static int in_named_class(const char *name, size_t len, unsigned char c)
{
	static const struct {
		const char *name;
		int (*is)(int);
	} classes[] = {
		{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank },
		{ "cntrl", iscntrl }, { "digit", isdigit }, { "graph", isgraph },
		{ "lower", islower }, { "print", isprint }, { "punct", ispunct },
		{ "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
	};

	for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++)
		if (strlen(classes[i].name) == len &&
		    !memcmp(classes[i].name, name, len))
			return !!classes[i].is(c);
	return -1;
}

/*
 * A "[...]" class at p (just after '['), the pattern ending before end.
 * As in git: '!' or '^' first negates, a ']' first is literal, "a-z" is
 * a range unless '-' comes first or last, '\' escapes, "[:digit:]" names
 * a POSIX class. Sets *next past the closing ']' and returns whether c is
 * in the class, or -1 for a class that is not closed or names no POSIX
 * class (such a pattern matches nothing, as in git).
 */
static int match_class(const char *p, const char *end, unsigned char c,
		       const char **next)
{
	int negate = 0, found = 0;
	unsigned char prev = 0;	/* last single character, 0 after a range */

	if (p < end && (*p == '!' || *p == '^')) {
		negate = 1;
		p++;
	}
	for (int first = 1; first || (p < end && *p != ']'); first = 0) {
		unsigned char ch;

		if (p >= end)
			return -1;
		ch = (unsigned char)*p++;
		if (ch == '\\') {
			if (p >= end)
				return -1;
			ch = (unsigned char)*p++;
		} else if (ch == '-' && prev && p < end && *p != ']') {
			unsigned char hi = (unsigned char)*p++;

			if (hi == '\\') {
				if (p >= end)
					return -1;
				hi = (unsigned char)*p++;
			}
			found |= c >= prev && c <= hi;
			prev = 0;
			continue;
		} else if (ch == '[' && p < end && *p == ':') {
			const char *name = p + 1, *close = name;
			int r;

			while (close < end && *close != ']')
				close++;
			if (close >= end)
				return -1;
			if (close > name && close[-1] == ':') {
				r = in_named_class(name,
						   (size_t)(close - 1 - name), c);
				if (r < 0)
					return -1;
				found |= r;
				p = close + 1;
				prev = 0;
				continue;
			}
			/* no ":]": an ordinary '[' */
		}
		found |= c == ch;
		prev = ch;
	}
	if (p >= end)
		return -1;
	*next = p + 1;
	return found != negate;
}

/* ------------------------------------------------------------------ */
/* One segment: the characters between two '/'                          */
/* ------------------------------------------------------------------ */

/*
 * One pattern unit at *p matched against c; advances *p past the unit.
 * Returns 1 on a match, 0 otherwise. Never called on '*'; the pattern
 * was checked by pattern_is_valid().
 */
static int match_unit(const char **p, const char *pend, unsigned char c)
{
	const char *q = *p;

	if (*q == '?') {
		*p = q + 1;
		return 1;
	}
	if (*q == '[')
		return match_class(q + 1, pend, c, p) == 1;
	if (*q == '\\')
		q++;
	*p = q + 1;
	return (unsigned char)*q == c;
}

/*
 * Match one segment (no '/') of a pattern against one segment of a path:
 * two pointers, backtracking only to the last '*', so O(len^2) at worst.
 */
static int match_segment(const char *p, const char *pend, const char *s,
			 const char *send)
{
	const char *star_p = NULL, *star_s = NULL;

	while (s < send) {
		const char *np = p;

		if (p < pend && *p == '*') {
			while (p < pend && *p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		if (p < pend && match_unit(&np, pend, (unsigned char)*s)) {
			p = np;
			s++;
			continue;
		}
		if (!star_p)
			return 0;
		p = star_p;
		s = ++star_s;
	}
	while (p < pend && *p == '*')
		p++;
	return p == pend;
}

/* ------------------------------------------------------------------ */
/* The whole path: segments                                            */
/* ------------------------------------------------------------------ */

enum seg_kind {
	SEG_GLOB,	/* one path segment matching p[0..len) */
	SEG_ANY_DEPTH,	/* zero or more path segments */
	SEG_ANY_ONE,	/* exactly one path segment */
};

struct seg {
	enum seg_kind kind;
	const char *p;
	size_t len;
};

/* Whether p[0..n) is two or more '*' and nothing else. */
static int is_double_star(const char *p, size_t n)
{
	if (n < 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] != '*')
			return 0;
	return 1;
}

/* The first '/' from p on that is not in a "[...]" class, or end. */
static const char *segment_end(const char *p, const char *end)
{
	const char *next;

	while (p < end && *p != '/') {
		if (*p == '\\' && p + 1 < end)
			p += 2;
		else if (*p == '[' && match_class(p + 1, end, 'a', &next) >= 0)
			p = next;
		else
			p++;
	}
	return p;
}

/*
 * Split pat[0..len) (no leading or trailing '/') into segments, adding the
 * implicit ones: "any depth" first when not anchored, and last (a file
 * inside a matched directory matches); "one more" before it for a
 * directory-only pattern, and for a last "**" (not nothing, not the dir).
 */
static size_t glob_segments(struct seg *segs, const char *pat, size_t len,
			    int anchored, int dir_only)
{
	size_t nr = 0;
	const char *p = pat, *end = pat + len;

	if (!anchored)
		segs[nr++] = (struct seg){ .kind = SEG_ANY_DEPTH };
	while (p <= end) {
		const char *e = segment_end(p, end);
		int slash = e < end;
		size_t n = (size_t)(e - p);

		if (is_double_star(p, n)) {
			if (!slash)
				segs[nr++] = (struct seg){ .kind = SEG_ANY_ONE };
			segs[nr++] = (struct seg){ .kind = SEG_ANY_DEPTH };
		} else {
			segs[nr++] = (struct seg){ .kind = SEG_GLOB, .p = p,
						   .len = n };
		}
		p = e + 1;
	}
	if (dir_only)
		segs[nr++] = (struct seg){ .kind = SEG_ANY_ONE };
	segs[nr++] = (struct seg){ .kind = SEG_ANY_DEPTH };
	return nr;
}

/* Start of the path segment after the one at s, or NULL at the end. */
static const char *next_segment(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash ? slash + 1 : NULL;
}

static int segment_matches(const struct seg *seg, const char *s)
{
	const char *slash = strchr(s, '/');
	const char *send = slash ? slash : s + strlen(s);

	if (seg->kind == SEG_ANY_ONE)
		return 1;
	return match_segment(seg->p, seg->p + seg->len, s, send);
}

/*
 * The classic star-backtracking walk, one level up: units are path
 * segments, SEG_ANY_DEPTH is the star ("**" matches zero or more whole
 * segments) and every other pattern segment matches exactly one.
 */
static int match_segments(const struct seg *segs, size_t nr, const char *path)
{
	size_t pi = 0, star_pi = 0;
	const char *s = path, *star_s = NULL;
	int have_star = 0;

	while (s) {
		if (pi < nr && segs[pi].kind == SEG_ANY_DEPTH) {
			have_star = 1;
			star_pi = ++pi;
			star_s = s;
			continue;
		}
		if (pi < nr && segment_matches(&segs[pi], s)) {
			pi++;
			s = next_segment(s);
			continue;
		}
		if (!have_star)
			return 0;
		pi = star_pi;
		star_s = next_segment(star_s);
		s = star_s;
	}
	while (pi < nr && segs[pi].kind == SEG_ANY_DEPTH)
		pi++;
	return pi == nr;
}

/* ------------------------------------------------------------------ */
/* The pattern as a whole                                              */
/* ------------------------------------------------------------------ */

/* Length of p[0..len) without its unescaped trailing spaces. */
static size_t trim_trailing_spaces(const char *p, size_t len)
{
	size_t keep = 0;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\\' && i + 1 < len)
			keep = ++i + 1;
		else if (p[i] != ' ')
			keep = i + 1;
	}
	return keep;
}

/*
 * Whether every '\' escapes something and every '[' that starts a class
 * (not escaped) closes it with a known class name: git matches nothing
 * with a pattern that breaks this.
 */
static int pattern_is_valid(const char *p, size_t len)
{
	const char *end = p + len, *next;

	while (p < end) {
		if (*p == '\\') {
			if (p + 1 >= end)
				return 0;
			p += 2;
		} else if (*p == '[') {
			if (match_class(p + 1, end, 'a', &next) < 0)
				return 0;
			p = next;
		} else {
			p++;
		}
	}
	return 1;
}

int glob_match(const char *pattern, const char *path)
{
	size_t len = trim_trailing_spaces(pattern, strlen(pattern)), nr;
	int anchored, dir_only = 0, ret;
	struct seg *segs;

	if (len && pattern[len - 1] == '/') {
		dir_only = 1;
		len--;
	}
	anchored = memchr(pattern, '/', len) != NULL;
	if (len && pattern[0] == '/') {
		pattern++;
		len--;
	}
	if (!len || !*path || !pattern_is_valid(pattern, len))
		return 0;
	/* segments: one per '/' plus one, and at most four implicit ones */
	nr = 5;
	for (size_t i = 0; i < len; i++)
		nr += pattern[i] == '/';
	segs = xcalloc(nr, sizeof(*segs));
	nr = glob_segments(segs, pattern, len, anchored, dir_only);
	ret = match_segments(segs, nr, path);
	free(segs);
	return ret;
}

int glob_match_any(const struct strlist *list, const char *path)
{
	for (size_t i = 0; list && i < list->nr; i++)
		if (glob_match(list->items[i], path))
			return 1;
	return 0;
}
