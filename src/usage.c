/* usage.c - error reporting and exit codes, in git's manner.
 * All diagnostics go to stderr so stdout carries only results, control characters escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <git2.h>
#include <string.h>
#include "quote.h"
#include "sbuf.h"
#include "usage.h"

/* Where error() goes instead of stderr, or NULL (error_divert()). */
static struct sbuf *diverted;

struct sbuf *error_divert(struct sbuf *into)
{
	struct sbuf *old = diverted;

	diverted = into;
	return old;
}

static void report(const char *prefix, const char *fmt, va_list ap,
		   const char *suffix)
{
	struct sbuf line = SBUF_INIT;
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (diverted && prefix[0] == 'e') {
		sbuf_addf(diverted, "%s%s%s%s", diverted->len ? "; " : "",
			  msg, suffix ? ": " : "", suffix ? suffix : "");
		return;
	}
	fflush(stdout);
	sbuf_addstr(&line, prefix);
	quote_escape(&line, msg, strlen(msg));
	if (suffix) {
		sbuf_addstr(&line, ": ");
		quote_escape(&line, suffix, strlen(suffix));
	}
	sbuf_addch(&line, '\n');
	fwrite(line.buf, 1, line.len, stderr);
	sbuf_release(&line);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("error: ", fmt, ap, NULL);
	va_end(ap);
	return -1;
}

const char *git_error_text(void)
{
	const git_error *e = git_error_last();

	return e && e->message ? e->message : "unknown libgit2 error";
}

int error_git(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("error: ", fmt, ap, git_error_text());
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("warning: ", fmt, ap, NULL);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(COVOPT_EXIT_FATAL);
}

void bug_fl(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
