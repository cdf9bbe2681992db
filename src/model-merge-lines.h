/* model-merge-lines.h - carry line evidence along when models are combined (model-merge.c).
 * Each combined feature's blocks and patterns are rebuilt from the line sets its sources give. */
#ifndef COVOPT_MODEL_MERGE_LINES_H
#define COVOPT_MODEL_MERGE_LINES_H

#include "line-evidence.h"
#include "model.h"

struct lines_rebuild {
	struct model *out;
	int active;			/* some source has line evidence */
	struct line_sets *sets;		/* per feature of out */
	uint32_t **imports;		/* per feature: its empty-context sets */
	size_t *imports_nr, *imports_alloc;
	unsigned char *dropped;		/* per feature: a source could not say */
};

/* Start, once out has all its features. */
void lines_rebuild_init(struct lines_rebuild *rb, struct model *out);
/*
 * A source model: map gives each of its features' index in out (or -1;
 * NULL: the same index). Its features' import-time blocks are added.
 */
void lines_rebuild_source(struct lines_rebuild *rb, const struct model *src,
			  const long *map);
/*
 * Test to of out came from test from of src; its signal entries were
 * remapped through map as model-merge's remap_signals() does (entries
 * mapped to -1 or out of order dropped). Keeps its line sets in to.
 */
void lines_rebuild_test(struct lines_rebuild *rb, struct model_test *to,
			const struct model *src, const struct model_test *from,
			const long *map);
/* Build out's line evidence and the tests' patterns; release rb. */
void lines_rebuild_finish(struct lines_rebuild *rb);

#endif
