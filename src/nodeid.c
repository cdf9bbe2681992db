/* src/nodeid.c - placeholder, being written */
extern int covopt_placeholder_nodeid;
