#!/bin/sh
# t0003-layers.sh - the layering rules of Documentation/technical/architecture.txt, checked on the source.
# Only the front ends parse argv; they write no git object; storage reads no environment or config.

test_description='architecture: what each layer may call'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

src="$COVOPT_SOURCE_DIR/src"

test_expect_success 'only the front ends include parse-opts.h' '
	(cd "$src" && grep -l "#include \"parse-opts.h\"" -r --include="*.[ch]" .) |
		grep -v -e "^\./builtin/" -e "^\./git-covopt\.c$" \
			-e "^\./parse-opts\.c$" >actual || true &&
	test_must_be_empty actual
'

test_expect_success 'the front ends write no git object themselves' '
	grep -n -E "git_(blob_create|treebuilder_|tree_create|commit_create|reference_create|reference_set_target|index_write|note_create)" \
		"$src"/builtin/*.c >actual || true &&
	test_must_be_empty actual
'

test_expect_success 'storage modules read neither the environment nor git config' '
	grep -n -E "getenv|git_config_|git_repository_config" \
		"$src"/notes-store.c "$src"/notes-merge.c "$src"/model*.c \
		>actual || true &&
	test_must_be_empty actual
'

test_expect_success 'the library prints no result on stdout' '
	(cd "$src" && grep -n -E "\<(printf|puts|putchar)\(|fputs\([^;]*, *stdout\)|fprintf\(stdout" \
		$(ls *.c ingest/*.c | grep -v -e "^usage\.c$" -e "^git-covopt\.c$" \
			-e "^parse-opts\.c$" -e "^output\.c$")) >actual || true &&
	test_must_be_empty actual
'

test_expect_success 'one definition of each policy' '
	for f in repo_notes_ref config_runner_name budget_parse hex_is_lower \
		repo_search_depth
	do
		grep -l -E "^[a-z].*[ *]$f\(" "$src"/*.c "$src"/*/*.c >defs &&
		test_line_count = 1 defs || return 1
	done &&
	grep -rn -E "COVOPT_NOTES_REF\"|\"covopt\.notesRef\"" "$src" --include="*.c" >uses &&
	test_line_count = 2 uses &&
	grep -c "repo-config.c" uses >n && echo 2 >expect && test_cmp expect n
'

test_done
