/* placeholder */
extern int covopt_placeholder_notes_merge;
