/* usage.h - error reporting and exit codes, in git's manner.
 * error() prints "error: ..." and returns -1; die() prints "fatal: ..." and exits 128. */
#ifndef COVOPT_USAGE_H
#define COVOPT_USAGE_H

#include <stdarg.h>

#define COVOPT_EXIT_OK 0
#define COVOPT_EXIT_FAILURE 1
#define COVOPT_EXIT_FATAL 128
#define COVOPT_EXIT_USAGE 129

#define COVOPT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define COVOPT_NORETURN __attribute__((noreturn))

/*
 * Print "error: <msg>" on stderr; always returns -1 so callers can `return error(...)`.
 * Like every line of this file, the message has its control characters escaped
 * (quote_escape()): test ids and paths in it may come from others' notes.
 */
int error(const char *fmt, ...) COVOPT_PRINTF(1, 2);
/* Like error(), with ": <libgit2's last error message>" appended. Returns -1. */
int error_git(const char *fmt, ...) COVOPT_PRINTF(1, 2);
/* While into is set (not NULL), error() and error_git() append their
 * message to it ("; " between two) instead of printing it, so that a
 * caller can put it into a line of its own. Returns the previous sink. */
struct sbuf;
struct sbuf *error_divert(struct sbuf *into);
/* Print "warning: <msg>" on stderr. */
void warning(const char *fmt, ...) COVOPT_PRINTF(1, 2);
/* Print "fatal: <msg>" and exit(128). */
void die(const char *fmt, ...) COVOPT_PRINTF(1, 2) COVOPT_NORETURN;
/* Print "BUG: file:line: <msg>" and abort(): for states that cannot happen. */
#define BUG(...) bug_fl(__FILE__, __LINE__, __VA_ARGS__)
void bug_fl(const char *file, int line, const char *fmt, ...)
	COVOPT_PRINTF(3, 4) COVOPT_NORETURN;

/* The message of libgit2's last error, never NULL. */
const char *git_error_text(void);

#endif
