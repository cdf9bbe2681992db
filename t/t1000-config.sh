#!/bin/sh
# t1000-config.sh - .covopt.yml as commands read it: defaults it sets, and each kind of error
# reported as one line naming the file, line, column and key, with a non-zero exit.

test_description='.covopt.yml: settings and errors'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

# refuse_config MESSAGE: with the .covopt.yml written just before, select
# fails with exactly one line, which contains MESSAGE.
refuse_config () {
	test_must_fail git covopt select >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep -F -e "$1" err
}

test_expect_success 'setup' '
	git commit -q --allow-empty -m base
'

test_expect_success 'an unknown key' '
	printf "budget: 10\nbudgett: 5\n" >.covopt.yml &&
	refuse_config "error: .covopt.yml:2:1: unknown key '"'"'budgett'"'"'"
'

test_expect_success 'a duplicate key' '
	printf "budget: 10\nnotes_ref: refs/notes/x\nbudget: 5\n" >.covopt.yml &&
	refuse_config ".covopt.yml:3:1: duplicate key '"'"'budget'"'"'"
'

test_expect_success 'a wrong type' '
	printf "global_paths: conftest.py\n" >.covopt.yml &&
	refuse_config ".covopt.yml:1:15: '"'"'global_paths'"'"' must be a list of strings"
'

test_expect_success 'a command string that needs quoting' '
	printf "runners:\n  pytest:\n    execute_options: -k \"a b\"\n" >.covopt.yml &&
	refuse_config ".covopt.yml:3:22: '"'"'runners.pytest.execute_options'"'"' needs quoting: write it as a list, e.g. [pytest, \"-k\", \"a b\"]"
'

test_expect_success 'a bad budget' '
	printf "budget: lots\n" >.covopt.yml &&
	refuse_config ".covopt.yml:1:9: '"'"'budget'"'"'"
'

test_expect_success 'a nested unknown key names its path' '
	printf "runners:\n  pytest:\n    pyhton_path: python3\n" >.covopt.yml &&
	refuse_config ".covopt.yml:3:5: unknown key '"'"'runners.pytest.pyhton_path'"'"'"
'

test_expect_success 'a YAML syntax error' '
	printf "budget: [10\n" >.covopt.yml &&
	refuse_config ".covopt.yml:2:"
'

test_expect_success 'aliases are refused' '
	printf "test_patterns: &p [\"a\"]\nalways_run: *p\n" >.covopt.yml &&
	refuse_config "aliases are not supported"
'

test_expect_success 'a runner named but not defined' '
	printf "runner: nose\n" >.covopt.yml &&
	refuse_config "nose"
'

test_expect_success 'a valid file is used: notes_ref and budget' '
	printf "notes_ref: refs/notes/elsewhere\nbudget: 5%%\n" >.covopt.yml &&
	test_must_fail git covopt select 2>err &&
	grep "refs/notes/elsewhere" err
'

test_expect_success 'git config wins over the file' '
	git config covopt.notesRef refs/notes/mine &&
	test_must_fail git covopt select 2>err &&
	git config --unset covopt.notesRef &&
	grep "refs/notes/mine" err
'

test_expect_success 'notes_ref reaches show and record too' '
	printf "notes_ref: refs/notes/elsewhere\n" >.covopt.yml &&
	test_must_fail git covopt show 2>err &&
	grep "refs/notes/elsewhere" err &&
	test_must_fail git covopt record --coverage missing.coverage 2>err &&
	grep "cannot open .missing.coverage." err
'

test_expect_success 'record.coverage names the default coverage file' '
	printf "record:\n  coverage: [from-config.coverage]\n" >.covopt.yml &&
	test_must_fail git covopt record 2>err &&
	grep "cannot open .$(pwd -P)/from-config.coverage." err
'

test_expect_success 'covopt.budgetIncludesStartup takes a boolean' '
	rm -f .covopt.yml &&
	git config covopt.budgetIncludesStartup true &&
	test_must_fail git covopt select 2>err &&
	git config covopt.budgetIncludesStartup maybe &&
	test_must_fail git covopt select 2>err2 &&
	git config --unset covopt.budgetIncludesStartup &&
	grep "no model" err &&
	grep "bad value for config .covopt.budgetIncludesStartup." err2
'

test_done
