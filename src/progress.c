/* src/progress.c - placeholder, being written */
extern int covopt_placeholder_progress;
