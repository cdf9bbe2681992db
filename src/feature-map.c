/* src/features.c - placeholder, being written */
extern int covopt_placeholder_features;
