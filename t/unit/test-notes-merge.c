/* test-notes-merge.c - unit tests of notes-merge: combining models, notes and whole notes refs.
 * Models are built from small tables and compared through a one-line rendering. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <git2.h>
#include "model.h"
#include "model-codec.h"
#include "model-merge.h"
#include "notes-merge.h"
#include "notes-store.h"
#include "sbuf.h"
#include "coverage-vector.h"
#include "xalloc.h"

#define HEX_A "0123456789abcdef0123456789abcdef01234567"
#define HEX_B "89abcdef0123456789abcdef0123456789abcdef"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static FILE *capture_file;
static int capture_saved = -1;

static void capture_begin(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	assert_non_null(capture_file);
	capture_saved = dup(2);
	assert_true(capture_saved >= 0);
	assert_true(dup2(fileno(capture_file), 2) >= 0);
}

static void capture_end(struct sbuf *out)
{
	fflush(stderr);
	assert_true(dup2(capture_saved, 2) >= 0);
	close(capture_saved);
	capture_saved = -1;
	sbuf_reset(out);
	assert_int_equal(lseek(fileno(capture_file), 0, SEEK_SET), 0);
	assert_int_equal(sbuf_read_fd(out, fileno(capture_file), 1 << 20,
				      "capture"), 0);
	fclose(capture_file);
	capture_file = NULL;
}

/* A model as a table: flags, then tests sorted by id, each covering at
 * most two features "path::name" (files and features are derived). */
struct spec_flag {
	const char *name;
	const char *commit;
	double at;
};

struct spec_test {
	const char *id;
	const char *flag;
	double cost;
	const char *features[2];
};

struct spec {
	struct spec_flag flags[3];
	struct spec_test tests[4];
};

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void build(struct model *m, const struct spec *sp)
{
	const char *feats[8];
	size_t nf = 0;

	model_init(m);
	memcpy(m->commit, HEX_A, sizeof(HEX_A));
	for (size_t i = 0; i < 3 && sp->flags[i].name; i++)
		model_add_flag(m, sp->flags[i].name, sp->flags[i].commit, 1.0,
			       0.5, sp->flags[i].at);
	for (size_t i = 0; i < 4 && sp->tests[i].id; i++)
		for (size_t k = 0; k < 2 && sp->tests[i].features[k]; k++) {
			int seen = 0;

			for (size_t j = 0; j < nf; j++)
				seen |= !strcmp(feats[j],
						sp->tests[i].features[k]);
			if (!seen)
				feats[nf++] = sp->tests[i].features[k];
		}
	qsort(feats, nf, sizeof(*feats), cmp_cstr);
	for (size_t j = 0; j < nf; j++) {
		const char *sep = strstr(feats[j], "::");
		char *path = xmemdupz(feats[j], (size_t)(sep - feats[j]));
		long file = model_find_file(m, path);

		if (file < 0)
			file = model_add_file(m, path, HEX_B);
		model_add_feature(m, (uint32_t)file, sep + 2, FEATURE_FUNCTION,
				  j, 3);
		free(path);
	}
	for (size_t i = 0; i < 4 && sp->tests[i].id; i++) {
		const struct spec_test *t = &sp->tests[i];
		struct covvec_writer w;
		unsigned char *sig;
		size_t len;

		covvec_writer_init(&w);
		for (size_t j = 0; j < nf; j++)
			for (size_t k = 0; k < 2 && t->features[k]; k++)
				if (!strcmp(feats[j], t->features[k]))
					covvec_writer_add(&w, (uint32_t)j,
							  COVVEC_LEVELS);
		sig = covvec_writer_finish(&w, &len);
		model_add_test(m, t->id,
			       (uint32_t)model_find_flag(m, t->flag), t->cost,
			       OUTCOME_PASSED, 0, sig, len);
	}
	assert_int_equal(model_validate(m, "spec"), 0);
}

/* "flag@commit:at ... | id/flag/cost[path::name,...] ..." */
static void render(struct sbuf *out, const struct model *m)
{
	sbuf_reset(out);
	for (size_t i = 0; i < m->flags_nr; i++)
		sbuf_addf(out, "%s@%c:%g ", m->flags[i].name,
			  m->flags[i].commit[0], m->flags[i].recorded_at);
	sbuf_addstr(out, "|");
	for (size_t i = 0; i < m->tests_nr; i++) {
		const struct model_test *t = &m->tests[i];
		struct covvec_iter it;
		const char *sep = "";

		sbuf_addf(out, " %s/%s/%g[", t->id, m->flags[t->flag].name,
			  t->cost);
		covvec_iter_init(&it, t->signals, t->signals_len);
		while (covvec_iter_next(&it) > 0) {
			const struct model_feature *f =
				&m->features[it.feature];

			sbuf_addf(out, "%s%s::%s", sep,
				  m->files[f->file].path, f->name);
			sep = ",";
		}
		sbuf_addstr(out, "]");
	}
}

static void encode_spec(struct sbuf *out, const struct spec *sp)
{
	struct model m;

	build(&m, sp);
	sbuf_reset(out);
	assert_int_equal(model_encode(out, &m), 0);
	model_release(&m);
}

/* ------------------------------------------------------------------ */
/* Combining models                                                    */
/* ------------------------------------------------------------------ */

#define A HEX_A
#define B HEX_B

/* The same test, as each side of a same-flag case records it. */
#define T1 { "t::1", "default", 1, { "x.py::f" } }
#define T2 { "t::2", "default", 2, { "y.py::g" } }

struct merge_case {
	const char *what;
	struct spec a, b;
	const char *expect;
};

static const struct merge_case merge_cases[] = {
	{ "different flags combine; features are united",
	  { { { "default", A, 10 } },
	    { { "t::1", "default", 1, { "x.py::f" } },
	      { "t::2", "default", 2, { "x.py::f", "z.py::h" } } } },
	  { { { "e2e", A, 5 } },
	    { { "t::3", "e2e", 3, { "y.py::g", "z.py::h" } } } },
	  "default@0:10 e2e@0:5 | t::1/default/1[x.py::f] "
	  "t::2/default/2[x.py::f,z.py::h] t::3/e2e/3[y.py::g,z.py::h]" },
	{ "same flag: the later recording wins",
	  { { { "default", A, 10 } }, { T1 } },
	  { { { "default", A, 20 } }, { T2 } },
	  "default@0:20 | t::2/default/2[y.py::g]" },
	{ "same flag: the later recording wins, from either side",
	  { { { "default", A, 30 } }, { T1 } },
	  { { { "default", A, 20 } }, { T2 } },
	  "default@0:30 | t::1/default/1[x.py::f]" },
	{ "a recording on the commit beats a later one carried forward",
	  { { { "default", A, 10 } }, { T1 } },
	  { { { "default", B, 99 } }, { T2 } },
	  "default@0:10 | t::1/default/1[x.py::f]" },
	{ "a full tie goes to the second model",
	  { { { "default", A, 10 } }, { T1 } },
	  { { { "default", A, 10 } }, { T2 } },
	  "default@0:10 | t::2/default/2[y.py::g]" },
	{ "a test both flags bring belongs to the winning flag",
	  { { { "default", A, 10 }, { "unit", A, 1 } },
	    { { "t::1", "unit", 1, { "x.py::f" } },
	      { "t::2", "default", 2, { "x.py::f" } } } },
	  { { { "e2e", A, 20 } },
	    { { "t::1", "e2e", 7, { "y.py::g" } },
	      { "t::3", "e2e", 3, { 0 } } } },
	  "default@0:10 e2e@0:20 unit@0:1 | t::1/e2e/7[y.py::g] "
	  "t::2/default/2[x.py::f] t::3/e2e/3[]" },
	{ "a flag that lost keeps none of its tests; one without tests stays",
	  { { { "default", A, 10 }, { "slow", A, 3 } },
	    { T1 } },
	  { { { "default", A, 11 } }, { { 0 } } },
	  "default@0:11 slow@0:3 |" },
};

static void test_merge_models(void **state)
{
	struct sbuf got = SBUF_INIT;

	for (size_t i = 0; i < sizeof(merge_cases) / sizeof(merge_cases[0]);
	     i++) {
		const struct merge_case *c = &merge_cases[i];
		struct model a, b, out;

		print_message("# %s\n", c->what);
		build(&a, &c->a);
		build(&b, &c->b);
		model_init(&out);
		assert_int_equal(model_merge(&out, &a, &b), 0);
		render(&got, &out);
		assert_string_equal(got.buf, c->expect);
		model_release(&out);
		model_release(&a);
		model_release(&b);
	}
	sbuf_release(&got);
}

/* Which features ran at import time survives merges and partial runs. */
static void test_merge_import_time(void **state)
{
	static const struct spec a_spec = {
		{ { "default", A, 10 } },
		{ { "t::1", "default", 1, { "x.py::f", "y.py::g" } } },
	};
	static const struct spec b_spec = {
		{ { "e2e", A, 20 } },
		{ { "t::2", "e2e", 2, { "x.py::f", "y.py::g" } } },
	};
	struct model a, b, out;

	(void)state;
	build(&a, &a_spec);
	build(&b, &b_spec);
	a.features[0].import_time = 1;	/* x.py::f */
	b.features[1].import_time = 1;	/* y.py::g */
	model_init(&out);
	assert_int_equal(model_merge(&out, &a, &b), 0);
	assert_int_equal(out.features[0].import_time, 1);
	assert_int_equal(out.features[1].import_time, 1);
	model_release(&out);
	/* a fresh full run says it all; a partial one keeps the rest */
	model_init(&out);
	model_carry_forward(&out, &b, &a);
	assert_int_equal(out.features[0].import_time, 0);
	assert_int_equal(out.features[1].import_time, 1);
	model_release(&out);
	model_init(&out);
	model_carry_forward_partial(&out, &b, &a);
	assert_int_equal(out.features[0].import_time, 1);
	assert_int_equal(out.features[1].import_time, 1);
	model_release(&out);
	/* not where the code changed since */
	a.features[0].hash ^= 1;
	model_init(&out);
	model_carry_forward_partial(&out, &b, &a);
	assert_int_equal(out.features[0].import_time, 0);
	model_release(&out);
	model_release(&a);
	model_release(&b);
}

/* A partial run keeps the full run's suite time and start-up overhead;
 * a full one replaces them. */
static void test_partial_keeps_times(void **state)
{
	static const struct spec full_spec = {
		{ { "default", A, 10 } },
		{ { "t::1", "default", 1, { "x.py::f" } },
		  { "t::2", "default", 2, { "y.py::g" } } },
	};
	static const struct spec part_spec = {
		{ { "default", A, 20 } },
		{ { "t::1", "default", 1, { "x.py::f" } } },
	};
	struct model full, part, out;

	(void)state;
	build(&full, &full_spec);
	build(&part, &part_spec);
	full.flags[0].suite_time = 52.0;
	full.flags[0].overhead = 4.0;
	part.flags[0].suite_time = 3.0;
	part.flags[0].overhead = 1.5;
	model_init(&out);
	model_carry_forward_partial(&out, &part, &full);
	assert_int_equal(out.tests_nr, 2);
	assert_true(out.flags[0].suite_time == 52.0);
	assert_true(out.flags[0].overhead == 4.0);
	model_release(&out);
	model_init(&out);
	model_carry_forward(&out, &part, &full);
	assert_true(out.flags[0].suite_time == 3.0);
	assert_true(out.flags[0].overhead == 1.5);
	model_release(&out);
	model_release(&full);
	model_release(&part);
}

/* Dropping a flag leaves the model the other flags alone would make. */
static void test_without_flag(void **state)
{
	static const struct spec full = {
		{ { "default", A, 10 }, { "e2e", A, 20 }, { "nightly", A, 30 } },
		{ { "t::1", "default", 1, { "x.py::f" } },
		  { "t::2", "e2e", 2, { "y.py::g" } },
		  { "t::3", "nightly", 3, { "x.py::f", "y.py::g" } },
		  { "t::4", "e2e", 4, { "x.py::f" } } },
	};
	static const struct spec expect[] = {
		{ { { "e2e", A, 20 }, { "nightly", A, 30 } },
		  { { "t::2", "e2e", 2, { "y.py::g" } },
		    { "t::3", "nightly", 3, { "x.py::f", "y.py::g" } },
		    { "t::4", "e2e", 4, { "x.py::f" } } } },
		{ { { "default", A, 10 }, { "nightly", A, 30 } },
		  { { "t::1", "default", 1, { "x.py::f" } },
		    { "t::3", "nightly", 3, { "x.py::f", "y.py::g" } } } },
		{ { { "default", A, 10 }, { "e2e", A, 20 } },
		  { { "t::1", "default", 1, { "x.py::f" } },
		    { "t::2", "e2e", 2, { "y.py::g" } },
		    { "t::4", "e2e", 4, { "x.py::f" } } } },
	};
	struct sbuf got = SBUF_INIT, want = SBUF_INIT;
	struct model m, out, oracle;

	(void)state;
	build(&m, &full);
	for (uint32_t flag = 0; flag < 3; flag++) {
		model_init(&out);
		model_without_flag(&out, &m, flag);
		assert_int_equal(model_validate(&out, "without"), 0);
		build(&oracle, &expect[flag]);
		render(&got, &out);
		render(&want, &oracle);
		assert_string_equal(got.buf, want.buf);
		model_release(&oracle);
		model_release(&out);
	}
	model_release(&m);
	sbuf_release(&got);
	sbuf_release(&want);
}

/* The combined note does not depend on which side is which. */
static void test_merge_note_symmetric(void **state)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	struct sbuf ab = SBUF_INIT, ba = SBUF_INIT, got = SBUF_INIT;
	struct model m;

	for (size_t i = 0; i < sizeof(merge_cases) / sizeof(merge_cases[0]);
	     i++) {
		encode_spec(&a, &merge_cases[i].a);
		encode_spec(&b, &merge_cases[i].b);
		assert_int_equal(notes_merge_note(&ab, &a, "ours", &b, "theirs",
						  HEX_B), 0);
		assert_int_equal(notes_merge_note(&ba, &b, "theirs", &a, "ours",
						  HEX_B), 0);
		assert_int_equal(ab.len, ba.len);
		assert_memory_equal(ab.buf, ba.buf, ab.len);
		model_init(&m);
		assert_int_equal(model_decode(&m, ab.buf, ab.len, "merged"), 0);
		render(&got, &m);
		if (!strstr(merge_cases[i].what, "tie"))
			assert_string_equal(got.buf, merge_cases[i].expect);
		model_release(&m);
	}
	sbuf_release(&a);
	sbuf_release(&b);
	sbuf_release(&ab);
	sbuf_release(&ba);
	sbuf_release(&got);
}

/* A corrupt side (cut anywhere, or junk) is left out, with a warning. */
static void test_merge_note_corrupt(void **state)
{
	struct sbuf good = SBUF_INIT, bad = SBUF_INIT, out = SBUF_INIT;
	struct sbuf err = SBUF_INIT;
	int r;

	encode_spec(&good, &merge_cases[0].a);
	encode_spec(&bad, &merge_cases[0].b);
	for (size_t cut = 0; cut < bad.len; cut++) {
		struct sbuf part = SBUF_INIT;

		sbuf_add(&part, bad.buf, cut);
		capture_begin();
		r = notes_merge_note(&out, &part, "theirs", &good, "ours",
				     HEX_A);
		capture_end(&err);
		assert_int_equal(r, 0);
		assert_int_equal(out.len, good.len);
		assert_memory_equal(out.buf, good.buf, good.len);
		assert_non_null(strstr(err.buf,
				       "warning: left out the corrupt note for "
				       "commit '" HEX_A "' from 'theirs'; kept "
				       "the one from 'ours'\n"));
		sbuf_release(&part);
	}
	sbuf_reset(&bad);
	sbuf_addstr(&bad, "garbage\n");
	capture_begin();
	r = notes_merge_note(&out, &bad, "x", &bad, "y", HEX_A);
	capture_end(&err);
	assert_int_equal(r, -1);
	assert_non_null(strstr(err.buf, "error: cannot merge the notes for "
				       "commit '" HEX_A "': both are corrupt"));
	sbuf_release(&good);
	sbuf_release(&bad);
	sbuf_release(&out);
	sbuf_release(&err);
}

static void test_remote_ref_name(void **state)
{
	static const struct {
		const char *ref, *remote, *expect;
	} cases[] = {
		{ "refs/notes/covopt", "origin",
		  "refs/notes/covopt-remotes/origin" },
		{ "refs/notes/ci", "up/stream",
		  "refs/notes/ci-remotes/up/stream" },
		{ "refs/notes/covopt", "bad..name", NULL },
		{ "refs/notes/covopt", "a b", NULL },
	};
	struct sbuf err = SBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *n;

		capture_begin();
		n = notes_merge_remote_ref(cases[i].ref, cases[i].remote);
		capture_end(&err);
		if (cases[i].expect) {
			assert_string_equal(n, cases[i].expect);
			assert_int_equal(err.len, 0);
		} else {
			assert_null(n);
			assert_non_null(strstr(err.buf, "not a valid ref"));
		}
		free(n);
	}
	sbuf_release(&err);
}

/* ------------------------------------------------------------------ */
/* Whole notes refs, in a scratch repository                           */
/* ------------------------------------------------------------------ */

struct scratch {
	char dir[64];
	git_repository *repo;
	git_oid commits[3];	/* c0 <- c1 <- c2 */
};

static int scratch_setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	git_signature *sig = NULL;
	git_treebuilder *bld = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_oid tree_id;

	memcpy(s->dir, "/tmp/covopt-merge-XXXXXX", 25);
	if (!mkdtemp(s->dir) ||
	    git_repository_init(&s->repo, s->dir, 1) < 0 ||
	    git_signature_new(&sig, "T", "t@example.com", 1700000000, 0) < 0 ||
	    git_treebuilder_new(&bld, s->repo, NULL) < 0 ||
	    git_treebuilder_write(&tree_id, bld) < 0 ||
	    git_tree_lookup(&tree, s->repo, &tree_id) < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		const git_commit *parents[1] = { parent };

		if (git_commit_create(&s->commits[i], s->repo, NULL, sig, sig,
				      NULL, i ? "next" : "root", tree,
				      i ? 1 : 0, parents) < 0)
			return -1;
		git_commit_free(parent);
		if (git_commit_lookup(&parent, s->repo, &s->commits[i]) < 0)
			return -1;
	}
	git_commit_free(parent);
	git_tree_free(tree);
	git_treebuilder_free(bld);
	git_signature_free(sig);
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	struct sbuf cmd = SBUF_INIT;
	int r;

	git_repository_free(s->repo);
	sbuf_addf(&cmd, "rm -rf '%s'", s->dir);
	r = system(cmd.buf);
	sbuf_release(&cmd);
	free(s);
	return r ? -1 : 0;
}

static int set_fn(struct sbuf *note, int exists, void *payload)
{
	const struct sbuf *want = payload;

	sbuf_reset(note);
	sbuf_add(note, want->buf, want->len);
	return 0;
}

/* Put the note for spec (or the text of junk) on commit in ref. */
static void put(struct scratch *s, const char *ref, int commit,
		const struct spec *sp, const char *junk)
{
	struct sbuf note = SBUF_INIT;

	if (sp)
		encode_spec(&note, sp);
	else
		sbuf_addstr(&note, junk);
	assert_int_equal(notes_store_update(s->repo, ref, &s->commits[commit],
					    set_fn, &note, "test"), 0);
	sbuf_release(&note);
}

static void copy_ref(struct scratch *s, const char *to, const char *from)
{
	git_oid id;
	git_reference *r = NULL;

	assert_int_equal(git_reference_name_to_id(&id, s->repo, from), 0);
	assert_int_equal(git_reference_create(&r, s->repo, to, &id, 1, "t"),
			 0);
	git_reference_free(r);
}

static void tree_of(struct scratch *s, const char *ref, git_oid *out)
{
	git_object *o = NULL;
	struct sbuf spec = SBUF_INIT;

	sbuf_addf(&spec, "%s^{tree}", ref);
	assert_int_equal(git_revparse_single(&o, s->repo, spec.buf), 0);
	git_oid_cpy(out, git_object_id(o));
	git_object_free(o);
	sbuf_release(&spec);
}

static void assert_note(struct scratch *s, const char *ref, int commit,
			const char *expect)
{
	struct sbuf note = SBUF_INIT, got = SBUF_INIT;
	struct model m;

	assert_int_equal(notes_store_read(&note, s->repo, ref,
					  &s->commits[commit]), 1);
	model_init(&m);
	assert_int_equal(model_decode(&m, note.buf, note.len, "note"), 0);
	render(&got, &m);
	assert_string_equal(got.buf, expect);
	model_release(&m);
	sbuf_release(&note);
	sbuf_release(&got);
}

static const struct spec one = {
	{ { "default", A, 1 } }, { { "t::1", "default", 1, { "x.py::f" } } }
};
static const struct spec two = {
	{ { "e2e", A, 2 } }, { { "t::2", "e2e", 2, { "y.py::g" } } }
};

static void test_notes_merge_trivial(void **state)
{
	struct scratch *s = *state;
	git_oid l, r, after;

	/* no remote ref: nothing to do; no local ref: take theirs */
	assert_int_equal(notes_merge(s->repo, "refs/notes/t1",
				     "refs/notes/none"),
			 NOTES_MERGE_UP_TO_DATE);
	put(s, "refs/notes/r1", 0, &one, NULL);
	assert_int_equal(notes_merge(s->repo, "refs/notes/t1",
				     "refs/notes/r1"),
			 NOTES_MERGE_FAST_FORWARD);
	assert_int_equal(git_reference_name_to_id(&l, s->repo,
						  "refs/notes/t1"), 0);
	assert_int_equal(git_reference_name_to_id(&r, s->repo,
						  "refs/notes/r1"), 0);
	assert_true(git_oid_equal(&l, &r));
	assert_int_equal(notes_merge(s->repo, "refs/notes/t1",
				     "refs/notes/r1"),
			 NOTES_MERGE_UP_TO_DATE);
	/* theirs ahead: fast-forward; ours ahead: nothing */
	put(s, "refs/notes/r1", 1, &two, NULL);
	assert_int_equal(notes_merge(s->repo, "refs/notes/t1",
				     "refs/notes/r1"),
			 NOTES_MERGE_FAST_FORWARD);
	put(s, "refs/notes/t1", 2, &two, NULL);
	assert_int_equal(git_reference_name_to_id(&l, s->repo,
						  "refs/notes/t1"), 0);
	assert_int_equal(notes_merge(s->repo, "refs/notes/t1",
				     "refs/notes/r1"),
			 NOTES_MERGE_UP_TO_DATE);
	assert_int_equal(git_reference_name_to_id(&after, s->repo,
						  "refs/notes/t1"), 0);
	assert_true(git_oid_equal(&l, &after));
}

static void test_notes_merge_diverged(void **state)
{
	struct scratch *s = *state;
	git_oid t_ours, t_theirs, l_before, r_tip, id;
	git_commit *c = NULL;

	/* common history: c0 noted; then each side notes c1 differently,
	 * ours also c2 */
	put(s, "refs/notes/ours", 0, &one, NULL);
	copy_ref(s, "refs/notes/theirs", "refs/notes/ours");
	put(s, "refs/notes/ours", 1, &one, NULL);
	put(s, "refs/notes/ours", 2, &one, NULL);
	put(s, "refs/notes/theirs", 1, &two, NULL);
	copy_ref(s, "refs/notes/ours2", "refs/notes/ours");
	copy_ref(s, "refs/notes/theirs2", "refs/notes/theirs");
	assert_int_equal(git_reference_name_to_id(&l_before, s->repo,
						  "refs/notes/ours"), 0);
	assert_int_equal(git_reference_name_to_id(&r_tip, s->repo,
						  "refs/notes/theirs"), 0);

	assert_int_equal(notes_merge(s->repo, "refs/notes/ours",
				     "refs/notes/theirs"), NOTES_MERGE_MERGED);
	assert_note(s, "refs/notes/ours", 0,
		    "default@0:1 | t::1/default/1[x.py::f]");
	assert_note(s, "refs/notes/ours", 1,
		    "default@0:1 e2e@0:2 | t::1/default/1[x.py::f] "
		    "t::2/e2e/2[y.py::g]");
	assert_note(s, "refs/notes/ours", 2,
		    "default@0:1 | t::1/default/1[x.py::f]");
	assert_int_equal(git_reference_name_to_id(&id, s->repo,
						  "refs/notes/ours"), 0);
	assert_int_equal(git_commit_lookup(&c, s->repo, &id), 0);
	assert_int_equal(git_commit_parentcount(c), 2);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &l_before));
	assert_true(git_oid_equal(git_commit_parent_id(c, 1), &r_tip));
	git_commit_free(c);

	/* the other way round: the same tree */
	assert_int_equal(notes_merge(s->repo, "refs/notes/theirs2",
				     "refs/notes/ours2"), NOTES_MERGE_MERGED);
	tree_of(s, "refs/notes/ours", &t_ours);
	tree_of(s, "refs/notes/theirs2", &t_theirs);
	assert_true(git_oid_equal(&t_ours, &t_theirs));

	/* after each has the other's merge, they converge */
	assert_int_equal(notes_merge(s->repo, "refs/notes/ours",
				     "refs/notes/theirs2"), NOTES_MERGE_MERGED);
	assert_int_equal(notes_merge(s->repo, "refs/notes/theirs2",
				     "refs/notes/ours"),
			 NOTES_MERGE_FAST_FORWARD);
	tree_of(s, "refs/notes/theirs2", &t_theirs);
	assert_true(git_oid_equal(&t_ours, &t_theirs));
}

static void test_notes_merge_both_corrupt(void **state)
{
	struct scratch *s = *state;
	struct sbuf err = SBUF_INIT;
	git_oid before, after;
	int r;

	put(s, "refs/notes/bad1", 0, &one, NULL);
	copy_ref(s, "refs/notes/bad2", "refs/notes/bad1");
	put(s, "refs/notes/bad1", 1, NULL, "junk one");
	put(s, "refs/notes/bad2", 1, NULL, "junk two");
	assert_int_equal(git_reference_name_to_id(&before, s->repo,
						  "refs/notes/bad1"), 0);
	capture_begin();
	r = notes_merge(s->repo, "refs/notes/bad1", "refs/notes/bad2");
	capture_end(&err);
	/* the incoming corrupt note is left out: ours stays as it was */
	assert_int_equal(r, NOTES_MERGE_MERGED);
	assert_non_null(strstr(err.buf, "warning: left out the note for "
			       "commit"));
	assert_non_null(strstr(err.buf, "in 'refs/notes/bad2'"));
	assert_null(strstr(err.buf, "both are corrupt"));
	assert_int_equal(git_reference_name_to_id(&after, s->repo,
						  "refs/notes/bad1"), 0);
	assert_false(git_oid_equal(&before, &after));
	sbuf_release(&err);
}

static void test_find_nearest_any(void **state)
{
	static const struct {
		/* the commit each ref notes, "" for none */
		const char *local_at, *a_at, *b_at;
		unsigned max_depth;
		int expect;		/* 1 found, 0 none */
		int commit;		/* found at */
		unsigned distance;
		const char *flag;	/* whose note: flag of its model */
	} cases[] = {
		{ "0", "1", "", 5, 1, 1, 1, "a" },	/* nearer remote */
		{ "1", "1", "", 5, 1, 1, 1, "local" },	/* tie: ours */
		{ "", "1", "1", 5, 1, 1, 1, "a" },	/* tie: name order */
		{ "", "0", "2", 5, 1, 2, 0, "b" },
		{ "0", "", "", 5, 1, 0, 2, "local" },
		{ "", "0", "", 1, 0, 0, 0, NULL },	/* out of reach */
		{ "", "", "", 5, 0, 0, 0, NULL },
	};
	struct scratch *s = *state;
	struct sbuf note = SBUF_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *refs[] = { "refs/notes/n", "refs/notes/n-remotes/a",
				       "refs/notes/n-remotes/b" };
		const char *at[] = { cases[i].local_at, cases[i].a_at,
				     cases[i].b_at };
		const char *names[] = { "local", "a", "b" };
		git_oid found;
		unsigned distance = 99;
		struct model m;
		int r;

		for (int k = 0; k < 3; k++) {
			git_reference *ref = NULL;
			struct spec sp = { { { names[k], A, 1 } }, { { 0 } } };

			if (!git_reference_lookup(&ref, s->repo, refs[k]))
				assert_int_equal(git_reference_delete(ref), 0);
			git_reference_free(ref);
			if (*at[k])
				put(s, refs[k], at[k][0] - '0', &sp, NULL);
		}
		r = notes_store_find_nearest_any(&found, &distance, &note, s->repo,
					   "refs/notes/n", &s->commits[2],
					   cases[i].max_depth);
		assert_int_equal(r, cases[i].expect);
		if (!r)
			continue;
		assert_true(git_oid_equal(&found,
					  &s->commits[cases[i].commit]));
		assert_int_equal(distance, cases[i].distance);
		model_init(&m);
		assert_int_equal(model_decode(&m, note.buf, note.len, "n"), 0);
		assert_string_equal(m.flags[0].name, cases[i].flag);
		model_release(&m);
	}
	sbuf_release(&note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_models),
		cmocka_unit_test(test_merge_import_time),
		cmocka_unit_test(test_partial_keeps_times),
		cmocka_unit_test(test_without_flag),
		cmocka_unit_test(test_merge_note_symmetric),
		cmocka_unit_test(test_merge_note_corrupt),
		cmocka_unit_test(test_remote_ref_name),
		cmocka_unit_test_setup_teardown(test_notes_merge_trivial,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_notes_merge_diverged,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_notes_merge_both_corrupt,
						scratch_setup,
						scratch_teardown),
		cmocka_unit_test_setup_teardown(test_find_nearest_any,
						scratch_setup,
						scratch_teardown),
	};
	int r;

	git_libgit2_init();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return r;
}
