/* src/imports.c - placeholder, being written */
extern int covopt_placeholder_imports;
