/* model-lookup.h - find the usable model nearest to a commit: the one lookup select, show, run and record share.
 * A note that does not decode or validate is reported once, with its remedy, and passed by. */
#ifndef COVOPT_MODEL_LOOKUP_H
#define COVOPT_MODEL_LOOKUP_H

#include <git2.h>
#include "model.h"
#include "sbuf.h"
#include "signing.h"

/* Where model_lookup_nearest() found the model. */
struct model_found {
	git_oid commit;
	unsigned distance;	/* first-parent steps from the start */
	int shallow;		/* the search met a shallow clone's boundary */
};

/*
 * Decode the note on commit in ref (len bytes at buf) into out. On
 * failure why receives the reason (one line naming the commit and ref,
 * nothing printed) and out is left empty. 0, or -1 when the note is
 * corrupt.
 */
int model_lookup_decode(struct model *out, struct sbuf *why,
			const void *buf, size_t len, const char *ref,
			const git_oid *commit);

/* The warning line for a corrupt note (why from model_lookup_decode()),
 * with the remedy; printed once per note and process. */
void model_lookup_report(const char *why, const char *ref,
			 const git_oid *commit);

/*
 * The model of the nearest commit from start (following first parents, at
 * most max_depth steps) with a note in notes_ref or its remote-tracking
 * refs (notes_store_search()) that decodes and validates; corrupt notes
 * are reported (model_lookup_report()) and passed by. out (initialised)
 * receives the model. Returns 1 when found, 0 when none is in reach, -1
 * after an error.
 */
int model_lookup_nearest(struct model *out, struct model_found *where,
			 git_repository *repo, const char *notes_ref,
			 const git_oid *start, unsigned max_depth);

/*
 * model_lookup_nearest() taking only trusted models when trust is not
 * NULL: a model is taken when every flag's signature verifies with the
 * set-up trust (signing_verify_model()); another is reported once
 * (commit, signer or "unsigned", what to configure) and passed by, as a
 * corrupt note. signer (may be NULL) receives the signers of the model
 * taken (a new string), or NULL when trust is NULL or nothing is found.
 */
int model_lookup_nearest_trusted(struct model *out, struct model_found *where,
				 char **signer, git_repository *repo,
				 const char *notes_ref, const git_oid *start,
				 unsigned max_depth,
				 const struct signing_config *trust);

/* The warning line for a model that is not trusted (v from
 * signing_verify_model()), with what to configure; once per note. */
void model_lookup_report_untrusted(const struct signing_verdict *v,
				   const char *ref, const git_oid *commit);

#endif
