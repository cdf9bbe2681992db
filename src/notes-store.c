/* src/notes-store.c - placeholder, being written */
extern int covopt_placeholder_notes_store;
