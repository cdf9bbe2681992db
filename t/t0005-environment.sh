#!/bin/sh
# t0005-environment.sh - the repository is found as git finds it: GIT_DIR, GIT_WORK_TREE (as
# "git --git-dir/--work-tree" pass them), GIT_INDEX_FILE and GIT_CEILING_DIRECTORIES.

test_description='git environment: GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ceilings'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

test_expect_success 'setup: a recorded repository, a bare clone with its notes' '
	covopt_example_repo repo &&
	(cd repo && covopt_record -q) &&
	git clone -q --bare repo bare.git &&
	git -C bare.git fetch -q ../repo refs/notes/covopt:refs/notes/covopt &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select >../expect &&
		git checkout -q .
	) &&
	test -s expect
'

test_expect_success 'GIT_DIR names the repository record writes into, not the current one' '
	git clone -q --bare repo target.git &&
	git -C repo rev-parse refs/notes/covopt >repo.before &&
	(
		cd repo &&
		GIT_DIR="$TRASH_DIRECTORY/target.git" git covopt record -q \
			--coverage .coverage --junit junit.xml
	) &&
	git -C repo rev-parse refs/notes/covopt >repo.after &&
	test_cmp repo.before repo.after &&
	git -C target.git notes --ref=covopt list >target.notes &&
	test_line_count = 1 target.notes &&
	test "$(cut -d" " -f2 target.notes)" = "$(git -C repo rev-parse HEAD)"
'

test_expect_success 'an absolute GIT_DIR is found from outside any repository' '
	mkdir outside &&
	(
		cd outside &&
		GIT_CEILING_DIRECTORIES="$TRASH_DIRECTORY" &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 128 git covopt show >out 2>err &&
		grep "not a git repository" err &&
		GIT_DIR="$TRASH_DIRECTORY/bare.git" git covopt show >../show.out
	) &&
	grep "tests" show.out
'

test_expect_success 'GIT_CEILING_DIRECTORIES stops the upward search' '
	mkdir -p repo/sub &&
	(
		cd repo/sub &&
		git covopt show >/dev/null &&
		GIT_CEILING_DIRECTORIES="$TRASH_DIRECTORY/repo" &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 128 git covopt show 2>err &&
		grep "not a git repository" err
	)
'

test_expect_success 'git --git-dir --work-tree covopt select, from outside' '
	test_when_finished "git -C repo checkout -q ." &&
	edit repo/inventory/units.py "$TO_GRAMS_BODY" &&
	(
		cd outside &&
		git --git-dir="$TRASH_DIRECTORY/repo/.git" \
			--work-tree="$TRASH_DIRECTORY/repo" covopt select >../actual
	) &&
	test_cmp expect actual
'

test_expect_success 'a bare repository with a separate work tree (--git-dir, --work-tree)' '
	mkdir wt &&
	git --git-dir=bare.git --work-tree=wt checkout -q -f main &&
	edit wt/inventory/units.py "$TO_GRAMS_BODY" &&
	git --git-dir=bare.git --work-tree=wt covopt select >actual &&
	test_cmp expect actual &&
	GIT_DIR=bare.git GIT_WORK_TREE=wt git covopt select >actual2 &&
	test_cmp expect actual2
'

test_expect_success 'GIT_INDEX_FILE: select --cached reads that index' '
	test_when_finished "git -C repo checkout -q . && rm -f alt-index" &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		cp .git/index ../alt-index &&
		GIT_INDEX_FILE=../alt-index git add inventory/units.py &&
		git checkout -q . &&
		git covopt select --cached >../cached.default &&
		GIT_INDEX_FILE=../alt-index git covopt select --cached >../cached.alt
	) &&
	test_must_be_empty cached.default &&
	test_cmp expect cached.alt
'

test_expect_success 'select --cached in a bare repository is an error' '
	test_must_fail git -C target.git covopt select --cached >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "^error: .--cached. needs an index: .* is a bare repository$" err
'

test_done
