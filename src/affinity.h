/* affinity.h - name affinity: does a test's name point at a changed function?
 * A ranking signal for select: test_pricing.py::test_discount[HALF] names pricing.py's discount. */
#ifndef COVOPT_AFFINITY_H
#define COVOPT_AFFINITY_H

/*
 * 1 if the function part of the pytest node id test_id (its last "::"
 * part, without parameters and its "test" prefix or suffix) names the
 * function or method of the model feature name ("Class.method", "func"):
 * it equals it, or holds it when the name has 3 characters or more. Case
 * and underscores are ignored; dunder methods, classes, module levels and
 * files are named by no test. Else 0.
 *
 * Only function names count: matching test files to modules ("test_units.py"
 * and units.py) was measured too and lowered detection at small budgets,
 * as it lifts every test of a file over the tests that ran the change.
 */
int name_affinity(const char *test_id, const char *feature_name);

/* name_affinity() in steps, to fold each name once: a test's word and a
 * feature's word (folded, cut to AFFINITY_WORD_MAX - 1), then the match. */
#define AFFINITY_WORD_MAX 128
void affinity_test_word(char *out, const char *test_id);
void affinity_feature_word(char *out, const char *feature_name);
int affinity_words_match(const char *test_word, const char *feature_word);

#endif
