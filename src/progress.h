/* progress.h - a progress line on stderr for long operations, shown only on a terminal.
 * Like git's: "Reading coverage: 45% (450/1000)", redrawn at most a few times a second. */
#ifndef COVOPT_PROGRESS_H
#define COVOPT_PROGRESS_H

#include <stdint.h>

struct progress;

/* Start a progress meter; returns NULL (and everything is a no-op) when
 * stderr is not a terminal. */
struct progress *progress_start(const char *title, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
/* Show no progress meter from now on (-q). */
void progress_disable(void);
/* Print the final line ("..., done.") and free p; accepts NULL. */
void progress_stop(struct progress *p);

#endif
