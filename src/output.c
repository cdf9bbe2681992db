/* output.c - print a selection: node ids a line, NUL-separated, shell lists, or one JSON document.
 * The JSON form carries Codecov ATS's keys and label categories so its users' scripts keep working. */
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "output.h"
#include "quote.h"
#include "usage.h"
#include "banned.h"

void output_shell_quote(struct sbuf *out, const char *s)
{
	sbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sbuf_addstr(out, "'\\''");
		else
			sbuf_addch(out, *s);
	}
	sbuf_addch(out, '\'');
}

/*
 * The first id of ids[0..nr) (stride bytes apart) that holds a newline, or
 * NULL: such an id cannot be written one a line nor on one shell line.
 */
static const char *id_with_newline(const char *const *ids, size_t nr,
				   size_t stride)
{
	for (size_t i = 0; i < nr; i++) {
		const char *id = *(const char *const *)
				 ((const char *)ids + i * stride);

		if (strchr(id, '\n'))
			return id;
	}
	return NULL;
}

/* Refuse an id with a newline in one line (error() shows it as "\n"). */
static int refuse_newline(const char *id, const char *instead)
{
	return error("test id '%s' holds a newline: %s", id, instead);
}

int output_check_one_a_line(const char *const *ids, size_t nr, size_t stride,
			    const char *instead)
{
	const char *bad = id_with_newline(ids, nr, stride);

	return bad ? refuse_newline(bad, instead) : 0;
}

static void json_list(struct json_writer *w, const char *key,
		      const struct strlist *list)
{
	json_key(w, key);
	json_array_begin(w);
	for (size_t i = 0; list && i < list->nr; i++)
		json_string(w, list->items[i]);
	json_array_end(w);
}

static void json_chosen_ids(struct json_writer *w, const char *key,
			    const struct selection *s)
{
	json_key(w, key);
	json_array_begin(w);
	for (size_t i = 0; i < s->nr; i++)
		json_string(w, s->chosen[i].id);
	json_array_end(w);
}

static void json_selected(struct json_writer *w, const struct selection *s)
{
	double total = 0;

	json_key(w, "selected");
	json_array_begin(w);
	for (size_t i = 0; i < s->nr; i++) {
		const struct selected_test *t = &s->chosen[i];

		total += t->cost;
		json_object_begin(w);
		json_key(w, "id");
		json_string(w, t->id);
		json_key(w, "gain");
		json_double(w, t->gain);
		json_key(w, "cost");
		json_double(w, t->cost);
		json_key(w, "total");
		json_double(w, total);
		json_key(w, "new");
		json_bool(w, t->is_new);
		json_object_end(w);
	}
	json_array_end(w);
}

static void json_change(struct json_writer *w, const struct selection *s)
{
	json_key(w, "change");
	json_object_begin(w);
	json_key(w, "files");
	json_int(w, (int64_t)s->impact.files_changed);
	json_key(w, "features");
	json_int(w, (int64_t)s->impact.features_changed);
	json_key(w, "slots");
	json_array_begin(w);
	for (size_t j = 0; j < s->impact.slots_nr; j++) {
		json_object_begin(w);
		json_key(w, "label");
		json_string(w, s->impact.slots[j].label);
		json_key(w, "weight");
		json_double(w, s->impact.slots[j].weight);
		json_object_end(w);
	}
	json_array_end(w);
	json_list(w, "notes", &s->impact.notes);
	json_object_end(w);
}

static void json_facts(struct json_writer *w, const struct selection *s)
{
	json_key(w, "base");
	json_string(w, s->base_hex);
	json_key(w, "head");
	if (*s->head_hex)
		json_string(w, s->head_hex);
	else
		json_string(w, s->target);
	json_key(w, "model_commit");
	json_string(w, s->model_hex);
	json_key(w, "model_signer");
	if (s->model_signer)
		json_string(w, s->model_signer);
	else
		json_null(w);
	json_key(w, "model_distance");
	json_int(w, s->distance);
	json_key(w, "budget");
	if (s->budget >= 0)
		json_double(w, s->budget);
	else
		json_null(w);
	json_key(w, "estimated_time");
	json_double(w, s->cost);
	json_key(w, "startup_overhead");
	json_double(w, s->overhead);
	json_key(w, "estimated_wall_time");
	json_double(w, s->cost + s->overhead);
	json_key(w, "signal_covered");
	json_double(w, s->utility_all > 0 ? s->utility / s->utility_all : 1);
	json_key(w, "utility");
	json_double(w, s->utility);
	json_key(w, "utility_bound");
	json_double(w, s->bound);
	json_key(w, "strategy");
	json_string(w, s->strategy ? s->strategy : "none");
	json_key(w, "run_all");
	json_bool(w, s->run_all);
}

static void write_json(struct sbuf *out, const struct selection *s,
		       const struct output_extra *extra)
{
	struct json_writer w;

	json_init(&w, out, 1);
	json_object_begin(&w);
	json_facts(&w, s);
	json_change(&w, s);
	json_selected(&w, s);
	json_list(&w, "left_out", &s->left_out);
	json_list(&w, "runner_options", extra ? extra->runner_options : NULL);
	json_chosen_ids(&w, "ats_tests_to_run", s);
	json_list(&w, "ats_tests_to_skip", &s->to_skip);
	json_key(&w, "ats_fallback_reason");
	if (extra && extra->fallback_reason)
		json_string(&w, extra->fallback_reason);
	else
		json_null(&w);
	json_list(&w, "absent_labels", &s->impact.new_tests);
	json_list(&w, "present_diff_labels", &s->present_diff);
	json_list(&w, "global_level_labels", &s->global_level);
	json_key(&w, "present_report_labels");
	json_array_begin(&w);
	for (size_t i = 0; i < s->model.tests_nr; i++)
		json_string(&w, s->model.tests[i].id);
	json_array_end(&w);
	json_object_end(&w);
	sbuf_addch(out, '\n');
}

/*
 * Codecov ATS's line NAME='<option>' ... '<id>' ...: each word single-quoted,
 * so eval "set -- ${line#NAME=}" gives back the words and executes nothing.
 */
static void shell_line(struct sbuf *out, const char *name,
		       const struct strlist *options, const char *const *ids,
		       size_t nr, size_t stride)
{
	const char *sep = "";

	sbuf_addf(out, "%s=", name);
	for (size_t i = 0; options && i < options->nr; i++, sep = " ") {
		sbuf_addstr(out, sep);
		output_shell_quote(out, options->items[i]);
	}
	for (size_t i = 0; i < nr; i++, sep = " ") {
		sbuf_addstr(out, sep);
		output_shell_quote(out, *(const char *const *)
				   ((const char *)ids + i * stride));
	}
	sbuf_addch(out, '\n');
}

static int write_shell(struct sbuf *out, const struct selection *s,
		       const struct output_extra *extra)
{
	const struct strlist *options = extra ? extra->runner_options : NULL;
	const char *const *run = s->nr ? &s->chosen[0].id : NULL;
	const char *const *skip = (const char *const *)s->to_skip.items;
	const char *bad = id_with_newline(run, s->nr, sizeof(*s->chosen));

	if (!bad)
		bad = id_with_newline(skip, s->to_skip.nr, sizeof(*skip));
	if (bad)
		return refuse_newline(bad, "use --dry-run-format=json");
	shell_line(out, "TESTS_TO_RUN", options, run, s->nr,
		   sizeof(*s->chosen));
	shell_line(out, "TESTS_TO_SKIP", options, skip, s->to_skip.nr,
		   sizeof(*skip));
	return 0;
}

/* One id a line, as the runner names it; an id with a newline is refused. */
static int write_lines(struct sbuf *out, const struct selection *s)
{
	const char *bad = id_with_newline(s->nr ? &s->chosen[0].id : NULL,
					  s->nr, sizeof(*s->chosen));

	if (bad)
		return refuse_newline(bad, "print the ids with -z");
	for (size_t i = 0; i < s->nr; i++) {
		sbuf_addstr(out, s->chosen[i].id);
		sbuf_addch(out, '\n');
	}
	return 0;
}

/* One id a line for a terminal: nothing raw reaches it. */
static void write_terminal(struct sbuf *out, const struct selection *s)
{
	for (size_t i = 0; i < s->nr; i++) {
		quote_c_style(out, s->chosen[i].id);
		sbuf_addch(out, '\n');
	}
}

int output_selection(FILE *out, const struct selection *s,
		     enum output_format fmt, const struct output_extra *extra)
{
	struct sbuf buf = SBUF_INIT;
	int ret = 0;

	switch (fmt) {
	case OUTPUT_LINES:
		ret = write_lines(&buf, s);
		break;
	case OUTPUT_TERMINAL:
		write_terminal(&buf, s);
		break;
	case OUTPUT_NUL:
		for (size_t i = 0; i < s->nr; i++) {
			sbuf_addstr(&buf, s->chosen[i].id);
			sbuf_addch(&buf, '\0');
		}
		break;
	case OUTPUT_JSON:
		write_json(&buf, s, extra);
		break;
	case OUTPUT_SHELL:
		ret = write_shell(&buf, s, extra);
		break;
	}
	if (!ret && ((buf.len && fwrite(buf.buf, 1, buf.len, out) != buf.len) ||
		     fflush(out)))
		ret = error("cannot write the selection");
	sbuf_release(&buf);
	return ret;
}

/* A chosen test's ranking signals beyond coverage, when it has any. */
static void print_rank(FILE *err, const struct select_rank *r)
{
	const char *sep = "  (";

	if (r->specificity > 0) {
		fprintf(err, "%s%.0f%% of its lines in the change", sep,
			100.0 * r->specificity);
		sep = ", ";
	}
	if (r->affinity)
		fprintf(err, "%snamed after a changed function", sep), sep = ", ";
	if (r->failed_ago)
		fprintf(err, "%sfailed %u recording%s ago", sep, r->failed_ago,
			r->failed_ago == 1 ? "" : "s"), sep = ", ";
	if (*sep == ',')
		fputc(')', err);
}

void output_verbose(FILE *err, const struct selection *s)
{
	struct sbuf a = SBUF_INIT;
	double total = 0;

	fprintf(err, "model: commit %.12s", s->model_hex);
	if (s->distance)
		fprintf(err, ", %u commit%s before the base %.12s", s->distance,
			s->distance == 1 ? "" : "s", s->base_hex);
	if (s->model_signer)
		fprintf(err, ", signed by %s", s->model_signer);
	fputc('\n', err);
	if (s->distance)
		fprintf(err, "%zu test%s added since the model's commit\n",
			s->new_since_model, s->new_since_model == 1 ? "" : "s");
	if (s->new_untracked)
		fprintf(err, "%zu test%s in untracked files\n",
			s->new_untracked, s->new_untracked == 1 ? "" : "s");
	fprintf(err, "change: %.12s -> %s: %zu file%s, %zu feature%s changed, "
		"%zu change slot%s\n", s->base_hex,
		*s->head_hex ? s->head_hex : quote_shown(&a, s->target),
		s->impact.files_changed,
		s->impact.files_changed == 1 ? "" : "s",
		s->impact.features_changed,
		s->impact.features_changed == 1 ? "" : "s", s->impact.slots_nr,
		s->impact.slots_nr == 1 ? "" : "s");
	for (size_t j = 0; j < s->impact.slots_nr; j++)
		fprintf(err, "  changed %-50s weight %.0f\n",
			quote_shown(&a, s->impact.slots[j].label),
			s->impact.slots[j].weight);
	for (size_t i = 0; i < s->impact.notes.nr; i++)
		fprintf(err, "  %s\n",
			quote_shown(&a, s->impact.notes.items[i]));
	if (s->run_all)
		fprintf(err, "'covopt: run-all' in the commit message: "
			"selecting every test\n");
	for (size_t i = 0; i < s->nr; i++) {
		const struct selected_test *t = &s->chosen[i];

		total += t->cost;
		fprintf(err, "  gain %8.3f  cost %7.3f s  total %8.3f s", t->gain,
			t->cost, total);
		if (s->budget >= 0)
			fprintf(err, " / %.3f s", s->budget);
		fprintf(err, "  %s%s", quote_shown(&a, t->id),
			t->is_new ? " (new)" : "");
		print_rank(err, &t->rank);
		fputc('\n', err);
	}
	if (!s->nr && s->budget >= 0 && s->left_out.nr)
		fprintf(err, "the budget of %.3f s is smaller than the cost of "
			"every affected test: nothing selected\n", s->budget);
	fprintf(err, "selected %zu of %zu affected test%s: %.1f%% of the change "
		"signal (optimum at most %.3f, got %.3f, %s)\n", s->nr,
		s->affected, s->affected == 1 ? "" : "s",
		s->utility_all > 0 ? 100 * s->utility / s->utility_all : 100.0,
		s->bound, s->utility, s->strategy ? s->strategy : "none");
	if (s->left_out.nr)
		fprintf(err, "left out for lack of budget: %zu test%s\n",
			s->left_out.nr, s->left_out.nr == 1 ? "" : "s");
	for (size_t i = 0; i < s->left_out.nr && i < 20; i++)
		fprintf(err, "  %s\n", quote_shown(&a, s->left_out.items[i]));
	fprintf(err, "estimated time %.3f s + start-up %.3f s = %.3f s wall\n",
		s->cost, s->overhead, s->cost + s->overhead);
	sbuf_release(&a);
}
