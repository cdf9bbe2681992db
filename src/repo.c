/* src/repo.c - placeholder, being written */
extern int covopt_placeholder_repo;
