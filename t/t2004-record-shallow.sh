#!/bin/sh
# t2004-record-shallow.sh - a shallow clone with the notes fetched (the usual CI set-up): record
# carries forward nothing beyond the clone's boundary instead of failing; select says where it stopped.

test_description='record and select in a shallow clone'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

test_expect_success 'setup: a model on C0, C1 above it; a --depth 1 clone of C1 with the notes' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_record -q &&
		echo "# one" >>README &&
		test_tick &&
		git commit -q -am C1
	) &&
	git clone -q --depth 1 "file://$TRASH_DIRECTORY/repo" shallow &&
	git -C shallow fetch -q origin refs/notes/covopt:refs/notes/covopt &&
	test -f shallow/.git/shallow &&
	test_must_fail git -C shallow cat-file -e HEAD~1
'

test_expect_success 'select finds no model and says the search stopped at the boundary' '
	test_must_fail git -C shallow covopt select >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "^error: no model for .* (the search stopped at the boundary of this shallow clone); record one" err
'

test_expect_success 'record in the shallow clone succeeds, carrying forward nothing' '
	(
		cd shallow &&
		covopt_record -q 2>../err
	) &&
	test_must_be_empty err &&
	git -C shallow notes --ref=covopt list HEAD >note &&
	test_line_count = 1 note &&
	git -C shallow covopt show >show 2>err &&
	test_must_be_empty err &&
	grep "^flag default " show
'

test_expect_success 'select in the shallow clone now uses the model on C1' '
	git -C shallow covopt select --verbose >out 2>err &&
	grep "^model: commit $(git -C shallow rev-parse --short=12 HEAD)$" err
'

test_done
