/* model-merge.h - combine two models: carry tests forward onto a fresh recording, or merge two of one commit.
 * Signals move between models by feature name (file path + qualified name), never by index. */
#ifndef COVOPT_MODEL_MERGE_H
#define COVOPT_MODEL_MERGE_H

#include "model.h"

/* Deep copy of src into out (initialised by the caller). */
void model_copy(struct model *out, const struct model *src);

/* Deep copy of src into out (initialised) without flag number flag and its
 * tests; files and features stay as they are. */
void model_without_flag(struct model *out, const struct model *src,
			uint32_t flag);

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

/*
 * Combine two models of the same commit into out (initialised, empty):
 * every flag of either side; for a flag both have, the one recorded on
 * the commit itself beats one carried forward from an ancestor, then the
 * later recorded_at wins, and on a full tie b's. Each flag brings the
 * tests it holds on its winning side; a test id two flags bring belongs
 * to the flag chosen by the same rule. Files and features are the union
 * (signals are remapped by path and name, so no signal is lost).
 * Returns 0, or -1 when the result is not a valid model.
 */
int model_merge(struct model *out, const struct model *a,
		const struct model *b);

#endif
