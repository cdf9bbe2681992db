/* run-command.c - run git, pytest or a user's command from an argv array, never through a shell.
 * fork + execvp; a close-on-exec pipe tells the parent why exec failed, so it reports it. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run-command.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

#define RUN_MAX_OUTPUT ((size_t)256 << 20)

/* What the child writes to the error pipe when it cannot exec. */
enum child_stage {
	STAGE_CHDIR = 1,
	STAGE_EXEC,
	STAGE_DUP,
};

/* The child being waited for (0: none), and whether to start no more. */
static volatile sig_atomic_t running_pid;
static volatile sig_atomic_t interrupted;

struct child_failure {
	int stage;
	int err;
};

/* The parent's ends and the child's ends of the pipes of one run. */
struct child_fds {
	int err[2];
	int out[2];
	int null_fd;
	int quiet_fd;
};

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_all(struct child_fds *f)
{
	close_fd(&f->err[0]);
	close_fd(&f->err[1]);
	close_fd(&f->out[0]);
	close_fd(&f->out[1]);
	close_fd(&f->null_fd);
	close_fd(&f->quiet_fd);
}

/* ------------------------------------------------------------------ */
/* In the child: only async-signal-safe calls until exec.            */

COVOPT_NORETURN
static void child_fail(int err_fd, int stage)
{
	struct child_failure f = { stage, errno };
	ssize_t n;

	do
		n = write(err_fd, &f, sizeof(f));
	while (n < 0 && errno == EINTR);
	_exit(127);
}

/* Move *fd above 2 so that the dup2() calls below cannot clobber it. */
static void child_lift(int *fd, int err_fd)
{
	int lifted;

	if (*fd < 0 || *fd > 2)
		return;
	lifted = fcntl(*fd, F_DUPFD_CLOEXEC, 3);
	if (lifted < 0)
		child_fail(err_fd, STAGE_DUP);
	*fd = lifted;
}

static void child_redirect(int from, int to, int err_fd)
{
	if (from < 0)
		return;
	if (dup2(from, to) < 0)
		child_fail(err_fd, STAGE_DUP);
}

COVOPT_NORETURN
static void child_run(const struct child *c, struct child_fds *f)
{
	int err_fd = f->err[1];

	/* An ignored SIGPIPE would be inherited by the program. */
	signal(SIGPIPE, SIG_DFL);
	if (err_fd <= 2) {
		err_fd = fcntl(err_fd, F_DUPFD_CLOEXEC, 3);
		if (err_fd < 0)
			_exit(127);
	}
	child_lift(&f->out[1], err_fd);
	child_lift(&f->null_fd, err_fd);
	child_lift(&f->quiet_fd, err_fd);
	child_redirect(f->null_fd, 0, err_fd);
	child_redirect(f->out[1], 1, err_fd);
	child_redirect(f->quiet_fd, 2, err_fd);
	if (c->dir && chdir(c->dir) < 0)
		child_fail(err_fd, STAGE_CHDIR);
	execvp(c->argv[0], (char *const *)c->argv);
	child_fail(err_fd, STAGE_EXEC);
}

/* ------------------------------------------------------------------ */
/* In the parent.                                                      */

static int open_fds(struct child_fds *f, const struct child *c)
{
	if (pipe2(f->err, O_CLOEXEC) < 0)
		return error("cannot create a pipe for '%s': %s", c->argv[0],
			     strerror(errno));
	if (c->capture && pipe2(f->out, O_CLOEXEC) < 0)
		return error("cannot create a pipe for '%s': %s", c->argv[0],
			     strerror(errno));
	if (c->no_stdin || c->stdin_path) {
		const char *in = c->stdin_path ? c->stdin_path : "/dev/null";

		f->null_fd = open(in, O_RDONLY | O_CLOEXEC);
		if (f->null_fd < 0)
			return error("cannot open '%s': %s", in,
				     strerror(errno));
	}
	if (c->silence & CHILD_NO_STDERR) {
		f->quiet_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (f->quiet_fd < 0)
			return error("cannot open '/dev/null': %s",
				     strerror(errno));
	}
	return 0;
}

/* Wait for pid; its exit status, 128 + signal, or -1. */
static int wait_child(pid_t pid, const char *name)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return error("cannot wait for '%s': %s", name,
				     strerror(errno));
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return error("'%s' stopped in an unknown state", name);
}

/* Read the error pipe: 0 when exec succeeded (EOF), else the failure. */
static int read_failure(int fd, struct child_failure *f)
{
	ssize_t n;

	do
		n = read(fd, f, sizeof(*f));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(*f))
		return -1;
	if (n != 0) {
		f->stage = STAGE_EXEC;
		f->err = n < 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

static int report_failure(const struct child *c, const struct child_failure *f)
{
	const char *msg = strerror(f->err);

	switch (f->stage) {
	case STAGE_CHDIR:
		return error("cannot start '%s' in '%s': %s", c->argv[0],
			     c->dir, msg);
	case STAGE_DUP:
		return error("cannot start '%s': cannot redirect: %s",
			     c->argv[0], msg);
	default:
		return error("cannot start '%s': %s", c->argv[0], msg);
	}
}

/* Append all of fd to out, at most max bytes; 0 or -1 after an error. */
static int read_output(struct sbuf *out, int fd, size_t max, const char *name)
{
	size_t start = out->len;

	for (;;) {
		size_t room, left = max - (out->len - start);
		ssize_t n;

		/* Read at most one byte past the cap, to see it exceeded. */
		sbuf_grow(out, 65536);
		room = out->alloc - out->len - 1;
		if (room > left)
			room = left + 1;
		n = read(fd, out->buf + out->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return error("cannot read the output of '%s': %s",
				     name, strerror(errno));
		}
		if (!n)
			return 0;
		sbuf_setlen(out, out->len + (size_t)n);
		if (out->len - start > max)
			return error("output of '%s' is too large "
				     "(more than %zu bytes)", name, max);
	}
}

/* The parent's side after fork: learn whether exec worked, read, wait. */
static int parent_run(struct child *c, struct child_fds *f, pid_t pid)
{
	struct child_failure failure;
	size_t max = c->max_output ? c->max_output : RUN_MAX_OUTPUT;

	close_fd(&f->err[1]);
	close_fd(&f->out[1]);
	close_fd(&f->null_fd);
	close_fd(&f->quiet_fd);
	if (read_failure(f->err[0], &failure) < 0) {
		wait_child(pid, c->argv[0]);
		return c->silence & CHILD_NO_REPORT ? -1 :
			report_failure(c, &failure);
	}
	if (c->capture && read_output(&c->out, f->out[0], max, c->argv[0])) {
		/* Abandon it: it might write forever or ignore SIGPIPE. */
		kill(pid, SIGKILL);
		wait_child(pid, c->argv[0]);
		return -1;
	}
	return wait_child(pid, c->argv[0]);
}

int run_command(struct child *c)
{
	struct child_fds f = { { -1, -1 }, { -1, -1 }, -1, -1 };
	size_t old_len = c->out.len;
	pid_t pid;
	int ret = -1;

	if (!c->argv || !c->argv[0] || !*c->argv[0])
		return error("cannot run an empty command");
	if (interrupted)
		return error("interrupted: not starting '%s'", c->argv[0]);
	if (open_fds(&f, c) < 0)
		goto cleanup;

	/* Our stdout is the result stream: keep its order. */
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		error("cannot start '%s': %s", c->argv[0], strerror(errno));
		goto cleanup;
	}
	if (!pid)
		child_run(c, &f);
	running_pid = pid;
	ret = parent_run(c, &f, pid);
	running_pid = 0;

cleanup:
	/* On failure the captured output is as it was before. */
	if (ret < 0 && c->capture && c->out.len > old_len)
		sbuf_setlen(&c->out, old_len);
	close_all(&f);
	return ret;
}

void run_command_interrupt(int sig)
{
	pid_t pid = running_pid;

	interrupted = 1;
	if (pid > 0)
		kill(pid, sig);
}

int run_command_list(const struct strlist *argv, const char *dir, int capture,
		     struct sbuf *out)
{
	struct child c = { 0 };
	const char **args = NULL;
	int ret;

	if (capture && !out)
		BUG("run_command_list() capture without a buffer");
	args = xcalloc(st_add(argv->nr, 1), sizeof(*args));
	for (size_t i = 0; i < argv->nr; i++)
		args[i] = argv->items[i];
	c.argv = args;
	c.dir = dir;
	c.capture = capture;
	if (capture)
		c.out = *out;
	else
		sbuf_init(&c.out, 0);
	ret = run_command(&c);
	if (capture)
		*out = c.out;
	free(args);
	return ret;
}
