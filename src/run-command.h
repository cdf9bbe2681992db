/* run-command.h - run git, pytest or a user's command from an argv array, never through a shell.
 * Optionally capture stdout; stderr passes through so the user sees the runner's messages. */
#ifndef COVOPT_RUN_COMMAND_H
#define COVOPT_RUN_COMMAND_H

#include "sbuf.h"
#include "strlist.h"

/* struct child silence flags */
#define CHILD_NO_STDERR 1u	/* the child's stderr goes to /dev/null */
#define CHILD_NO_REPORT 2u	/* a failure to start it is not reported */

struct child {
	const char *const *argv;	/* NULL-terminated; argv[0] looked up in PATH */
	const char *dir;		/* chdir here first, or NULL */
	int capture;			/* capture stdout into out */
	int no_stdin;			/* stdin from /dev/null */
	const char *stdin_path;		/* or stdin from this file */
	unsigned silence;		/* CHILD_NO_STDERR, CHILD_NO_REPORT */
	size_t max_output;		/* cap on captured bytes (0: 256 MiB) */
	struct sbuf out;
};

/*
 * Run the child to completion. Returns its exit status (0..255), 128 + the
 * signal number if it was killed, or -1 after an error (cannot start
 * '%s': ..., output too large). Never leaves a zombie.
 */
int run_command(struct child *c);

/*
 * For a signal handler (async-signal-safe): send sig to the child running
 * now, if any, and make later run_command() calls fail without starting
 * one ("interrupted"), so an interrupted run stops.
 */
void run_command_interrupt(int sig);

/* Convenience: argv from a strlist. */
int run_command_list(const struct strlist *argv, const char *dir, int capture,
		     struct sbuf *out);

#endif
