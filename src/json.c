/* src/json.c - placeholder, being written */
extern int covopt_placeholder_json;
