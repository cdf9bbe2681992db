#!/bin/sh
# t3040-quiet.sh - "-q" on every command that prints: no informational messages on stderr,
# errors still shown, and stdout (the results) unchanged.

test_description='git covopt <command> -q'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

test_expect_success 'setup: a recorded project with a pytest runner' '
	covopt_runner_repo repo
'

test_expect_success 'every command that prints lists -q, --quiet in its -h' '
	for cmd in select run record show gc fetch push
	do
		test_expect_code 129 git covopt $cmd -h >help &&
		grep "^    -q, --quiet " help || return 1
	done
'

test_expect_success 'select -q: the same ids, no --verbose report' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select -v >../loud 2>../loud.err &&
		git covopt select -q -v >../quiet 2>../quiet.err
	) &&
	test -s loud &&
	test_cmp loud quiet &&
	test -s loud.err &&
	test_must_be_empty quiet.err
'

test_expect_success 'select -q still prints errors' '
	test_must_fail git -C repo covopt select -q no-such-rev 2>err &&
	grep "^error: bad revision .no-such-rev." err
'

test_expect_success 'run -q: no "no test to run", no --record summary' '
	git -C repo covopt run HEAD HEAD 2>loud.err &&
	grep "no test to run" loud.err &&
	git -C repo covopt run -q HEAD HEAD 2>quiet.err &&
	test_must_be_empty quiet.err &&
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt run -q --record >../out 2>../err
	) &&
	grep "passed" out &&
	! grep "^recorded" err
'

test_expect_success 'record -q and show -q: nothing on stderr, show the same' '
	(
		cd repo &&
		covopt_run_pytest &&
		git covopt record -q --coverage .coverage --junit junit.xml \
			2>../record.err &&
		git covopt show >../show &&
		git covopt show -q >../show-q 2>../show.err
	) &&
	test_must_be_empty record.err &&
	test_cmp show show-q &&
	test_must_be_empty show.err
'

test_expect_success 'gc -q: drops without listing; --dry-run still lists on stdout' '
	(
		cd repo &&
		git checkout -q --detach main &&
		test_tick &&
		git commit -q --allow-empty -m doomed &&
		git notes --ref=covopt add \
			-C $(git notes --ref=covopt list main) HEAD &&
		git rev-parse HEAD >../doomed &&
		git checkout -q main &&
		git reflog expire --expire=now --all &&
		git covopt gc -q --dry-run >../dry 2>../dry.err &&
		git covopt gc -q >../out 2>../err
	) &&
	echo "drop $(cat doomed) (unreachable)" >expect &&
	test_cmp expect dry &&
	test_must_be_empty dry.err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test_must_fail git -C repo notes --ref=covopt list $(cat doomed)
'

test_done
