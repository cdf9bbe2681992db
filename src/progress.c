/* progress.c - a progress line on stderr for long operations, shown only on a terminal.
 * Nothing is printed in the first half second, so quick runs stay quiet. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "progress.h"
#include "xalloc.h"
#include "banned.h"

struct progress {
	const char *title;
	uint64_t total, done;
	double start, last;
	int shown;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int disabled;

void progress_disable(void)
{
	disabled = 1;
}

struct progress *progress_start(const char *title, uint64_t total)
{
	struct progress *p;

	if (disabled || !isatty(2) || getenv("COVOPT_NO_PROGRESS"))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->title = title;
	p->total = total;
	p->start = p->last = now();
	return p;
}

static void draw(struct progress *p, const char *end)
{
	if (p->total)
		fprintf(stderr, "\r%s: %3u%% (%llu/%llu)%s", p->title,
			(unsigned)(p->done * 100 / p->total),
			(unsigned long long)p->done,
			(unsigned long long)p->total, end);
	else
		fprintf(stderr, "\r%s: %llu%s", p->title,
			(unsigned long long)p->done, end);
	p->shown = 1;
}

void progress_update(struct progress *p, uint64_t done)
{
	double t;

	if (!p)
		return;
	p->done = done;
	t = now();
	if (t - p->start < 0.5 || t - p->last < 0.1)
		return;
	p->last = t;
	draw(p, "");
}

void progress_stop(struct progress *p)
{
	if (!p)
		return;
	if (p->shown) {
		p->done = p->total ? p->total : p->done;
		draw(p, ", done.\n");
	}
	free(p);
}
