#!/bin/sh
# t2005-record-drop-flag.sh - "git covopt record --drop-flag": a flag recorded by mistake is removed
# from the model of a commit by compare-and-swap, and no longer counts in the suite time.

test_description='git covopt record --drop-flag'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# flags SHOW-JSON: "name suite_time" of each flag of show --json, a line.
flags () {
	"$PYTHON" -c '
import json, sys
for f in json.load(open(sys.argv[1]))["flags"]:
    print(f["name"], f["suite_time"])' "$1"
}

# flags_of_tests SHOW-JSON: the flag of each test of show --json, sorted, unique.
flags_of_tests () {
	"$PYTHON" -c '
import json, sys
print("\n".join(sorted({t["flag"] for t in json.load(open(sys.argv[1]))["tests"]})))' "$1"
}

test_expect_success 'setup: the default flag without test_report, e2e with it' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_run_pytest --ignore=tests/test_report.py &&
		git covopt record -q --coverage .coverage --junit junit.xml &&
		covopt_run_pytest tests/test_report.py &&
		git covopt record -q --flag e2e --coverage .coverage \
			--junit junit.xml &&
		git covopt show --json >../two.json
	) &&
	flags two.json >two &&
	test_line_count = 2 two &&
	grep "^default " two &&
	grep "^e2e " two
'

test_expect_success 'an unknown flag is an error naming it; nothing changes' '
	git -C repo rev-parse refs/notes/covopt >before &&
	test_must_fail git -C repo covopt record --drop-flag nightly 2>err &&
	test_line_count = 1 err &&
	grep "^error: no flag .nightly. in the model of commit" err &&
	git -C repo rev-parse refs/notes/covopt >after &&
	test_cmp before after
'

test_expect_success '--drop-flag takes no run' '
	test_expect_code 129 git -C repo covopt record --drop-flag e2e \
		--coverage .coverage 2>err &&
	grep "^error: --drop-flag takes no run" err
'

test_expect_success 'drop e2e: show and a N% budget reflect only default' '
	(
		cd repo &&
		git covopt record --drop-flag e2e 2>../err &&
		git covopt show --json >../one.json &&
		git covopt select --json -t 50% >../select.json
	) &&
	grep "^dropped flag .e2e. from the model of .HEAD." err &&
	flags one.json >one &&
	grep "^default " two >expect &&
	test_cmp expect one &&
	flags_of_tests one.json >actual &&
	echo default >expect &&
	test_cmp expect actual &&
	! grep "test_report.py" one.json &&
	"$PYTHON" -c "
import json, sys
budget = json.load(open(\"select.json\"))[\"budget\"]
suite = json.load(open(\"one.json\"))[\"flags\"][0][\"suite_time\"]
assert abs(budget - suite / 2) < 1e-6, (budget, suite)
"
'

test_expect_success 'the last flag cannot be dropped; -q is quiet on success' '
	test_must_fail git -C repo covopt record --drop-flag default 2>err &&
	grep "^error: flag .default. is the only one" err &&
	(
		cd repo &&
		covopt_run_pytest tests/test_report.py &&
		git covopt record -q --flag e2e --coverage .coverage \
			--junit junit.xml &&
		git covopt record -q --drop-flag e2e 2>../err
	) &&
	test_must_be_empty err
'

test_expect_success 'on a commit without a note, the ancestor model less the flag becomes its note' '
	(
		cd repo &&
		covopt_run_pytest tests/test_report.py &&
		git covopt record -q --flag e2e --coverage .coverage \
			--junit junit.xml &&
		test_tick &&
		git commit -q --allow-empty -m child &&
		test_must_fail git notes --ref=covopt list HEAD &&
		git covopt record -q --drop-flag e2e --commit HEAD &&
		git notes --ref=covopt list HEAD &&
		git covopt show --json >../child.json &&
		git covopt show HEAD~1 --json >../parent.json
	) &&
	flags child.json >child &&
	test_line_count = 1 child &&
	flags parent.json >parent &&
	test_line_count = 2 parent
'

test_done
