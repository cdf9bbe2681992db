#!/bin/sh
# t3031-select-submodule.sh - select in a repository with a submodule: the work-tree diff leaks
# nothing (the suite runs under ASan in CI; here under valgrind when there is one), submodule moves are noted.

test_description='select in a repository with a submodule'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# valgrind cannot run an ASan build; ASan reports the leak itself there.
if command -v valgrind >/dev/null 2>&1 &&
	! grep -q __asan_init "$COVOPT_BUILD_DIR/git-covopt"
then
	test_set_prereq VALGRIND
fi

test_expect_success 'setup: a recorded project with a submodule of a local repository' '
	git init -q -b main lib &&
	git -C lib commit -q --allow-empty -m L0 &&
	git -C lib commit -q --allow-empty -m L1 &&
	covopt_example_repo repo &&
	(
		cd repo &&
		git -c protocol.file.allow=always submodule add -q ../lib lib &&
		git -C lib checkout -q HEAD~ &&
		git add lib &&
		test_tick &&
		git commit -q -m "lib at L0" &&
		covopt_record -q &&
		sed "s/^PRECISION = 3$/PRECISION = 4/" inventory/units.py >new &&
		mv new inventory/units.py &&
		! git diff --quiet -- inventory/units.py
	)
'

test_expect_success 'work-tree select selects the tests of the changed file' '
	git -C repo covopt select >out &&
	grep "^tests/test_units.py::" out
'

test_expect_success VALGRIND 'work-tree select leaks nothing (valgrind)' '
	(
		cd repo &&
		valgrind -q --leak-check=full --errors-for-leak-kinds=definite \
			--error-exitcode=99 git-covopt select >../out 2>../err
	) &&
	test_must_be_empty err &&
	grep "^tests/test_units.py::" out
'

test_expect_success 'a staged move of the submodule is noted in the work tree and the index' '
	git -C repo/lib checkout -q main &&
	git -C repo add lib &&
	git -C repo status --short && git -C repo covopt select -v 2>&1 | grep -v gain; git -C repo covopt select -v 2>&1 | grep -v gain; git -C repo status --short && 	git -C repo covopt select -v >out 2>err &&
	grep "^  submodule: lib$" err &&
	git -C repo covopt select -v --cached >out 2>err &&
	grep "^  submodule: lib$" err
'

test_expect_success 'a committed move of the submodule is noted between commits' '
	test_tick &&
	git -C repo commit -q -m "lib at L1" &&
	git -C repo covopt select -v HEAD~ HEAD >out 2>err &&
	grep "^  submodule: lib$" err
'

test_done
