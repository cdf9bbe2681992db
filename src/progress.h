/* src/progress.h - placeholder */
