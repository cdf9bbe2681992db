/* src/ingest/junit-xml.c - placeholder, being written */
extern int covopt_placeholder_junit_xml;
