#!/bin/sh
# t2003-record-concurrent.sh - records started at once on different commits all land:
# the notes ref moves by compare-and-swap and a writer that lost the race retries.

test_description='concurrent git covopt record never loses a note'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

test_expect_success 'setup: one run, eight commits' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_run_pytest &&
		for i in 1 2 3 4 5 6 7 8
		do
			test_tick &&
			git commit -q --allow-empty -m "commit $i" || return 1
		done
	)
'

test_expect_success 'two records at once both land' '
	(
		cd repo || exit 1
		git covopt record -q --commit HEAD~1 --junit junit.xml &
		p1=$!
		git covopt record -q --commit HEAD~2 --junit junit.xml &
		p2=$!
		wait $p1 && wait $p2 &&
		git notes --ref=covopt list >../notes &&
		git rev-parse HEAD~1 HEAD~2 | sort >../expect
	) &&
	cut -d" " -f2 notes | sort >actual &&
	test_cmp expect actual
'

test_expect_success 'eight records at once all land' '
	(
		cd repo || exit 1
		pids=
		for i in 0 1 2 3 4 5 6 7
		do
			git covopt record -q --commit HEAD~$i --junit junit.xml &
			pids="$pids $!"
		done
		for p in $pids
		do
			wait $p || exit 1
		done &&
		git notes --ref=covopt list | cut -d" " -f2 | sort >../actual &&
		git rev-list -8 HEAD | sort >../expect
	) &&
	test_cmp expect actual &&
	(cd repo && git fsck --no-dangling 2>&1) >fsck &&
	test_must_be_empty fsck
'

test_done
