/* notes-merge.h - placeholder */
