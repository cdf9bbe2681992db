/* src/imports.h - placeholder */
