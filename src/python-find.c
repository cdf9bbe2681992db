/* python-find.c - which Python runs a pytest runner: python_path when set, else the first of
 * python3, python, /usr/bin/python3 that imports pytest; one error naming the keys when none can. */
#include <stdlib.h>
#include "python-find.h"
#include "run-command.h"
#include "sbuf.h"
#include "usage.h"
#include "xalloc.h"
#include "banned.h"

/* "-m pytest --version" prints a line or two; anything more is not it. */
#define PROBE_MAX_OUTPUT ((size_t)64 << 10)

static const char *const default_candidates[] = {
	"python3", "python", "/usr/bin/python3",
};
#define DEFAULT_CANDIDATES_NR \
	(sizeof(default_candidates) / sizeof(*default_candidates))

void python_candidates(struct strlist *out, const char *configured)
{
	if (configured && *configured) {
		strlist_append(out, configured);
		return;
	}
	for (size_t i = 0; i < DEFAULT_CANDIDATES_NR; i++)
		strlist_append(out, default_candidates[i]);
}

/* Does python run pytest? Its messages and a failure to start are hidden. */
static int runs_pytest(const char *python)
{
	const char *argv[] = { python, "-m", "pytest", "--version", NULL };
	struct child c = {
		.argv = argv,
		.capture = 1,
		.no_stdin = 1,
		.silence = CHILD_NO_STDERR | CHILD_NO_REPORT,
		.max_output = PROBE_MAX_OUTPUT,
	};
	int status;

	sbuf_init(&c.out, 0);
	status = run_command(&c);
	sbuf_release(&c.out);
	return !status;
}

static int probe_error(const struct strlist *tried, const char *runner_name)
{
	struct sbuf list = SBUF_INIT;

	for (size_t i = 0; i < tried->nr; i++)
		sbuf_addf(&list, "%s'%s'", i ? ", " : "", tried->items[i]);
	error("no Python that runs pytest: tried %s; set "
	      "'runners.%s.python_path' in .covopt.yml or git config %s",
	      list.buf, runner_name, PYTHON_FIND_GIT_KEY);
	sbuf_release(&list);
	return -1;
}

/* The probe's answer for this process: 0 not yet asked, 1 found, -1 none. */
static int probed;
static char *probed_python;

const char *python_find(const char *configured, const char *runner_name)
{
	struct strlist tried = STRLIST_INIT;

	if (configured && *configured)
		return configured;
	if (probed)
		return probed > 0 ? probed_python : NULL;
	python_candidates(&tried, NULL);
	probed = -1;
	for (size_t i = 0; i < tried.nr && probed < 0; i++) {
		if (runs_pytest(tried.items[i])) {
			probed_python = xstrdup(tried.items[i]);
			probed = 1;
		}
	}
	if (probed < 0)
		probe_error(&tried, runner_name);
	strlist_release(&tried);
	return probed_python;
}
