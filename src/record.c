/* src/record.c - placeholder, being written */
extern int covopt_placeholder_record;
