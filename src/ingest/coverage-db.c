/* src/ingest/coverage-db.c - placeholder, being written */
extern int covopt_placeholder_coverage_db;
