/* model-merge.h - combine two models: carry other flags' tests forward onto a fresh recording.
 * Signals move between models by feature name (file path + qualified name), never by index. */
#ifndef COVOPT_MODEL_MERGE_H
#define COVOPT_MODEL_MERGE_H

#include "model.h"

/* Deep copy of src into out (initialised by the caller). */
void model_copy(struct model *out, const struct model *src);

/* Index of the feature (path, name) in m, or -1. */
long model_find_feature(const struct model *m, uint32_t file,
			const char *name);

/*
 * out = fresh, plus every test of base whose flag fresh does not have (its
 * signals remapped onto fresh's features by path and name; signals on
 * features fresh lacks are dropped), plus those flags. Tests of fresh that
 * base also knows under the same flag inherit base's failure history shifted
 * by one recording. A test id present in fresh is never taken from base.
 * out must be initialised; fresh and base are not changed.
 */
void model_carry_forward(struct model *out, const struct model *fresh,
			 const struct model *base);

/*
 * Like model_carry_forward, for a run of only some tests (run --record):
 * every test of base that fresh did not run is carried forward, whatever
 * its flag, so the tests not run keep their data.
 */
void model_carry_forward_partial(struct model *out, const struct model *fresh,
				 const struct model *base);

#endif
