#!/bin/sh
# t3103-run-messages.sh - what run, select and show tell a newcomer: the summary line, --observe's
# pytest node ids, both fixes when no model is in reach; a partial --record keeps the full run's times.

test_description='git covopt messages that lead somewhere'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

BREAK_TO_GRAMS='s.replace("    return amount * factor(unit)\n", "    return amount * factor(unit) + 1\n")'
TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

test_expect_success 'setup: a recorded example project with a pytest runner' '
	covopt_runner_repo repo
'

test_expect_success 'run prints one summary line on stderr; -q and -v do not' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt run >../out 2>../err &&
		git covopt run -q >../out.q 2>../err.q &&
		git covopt run -v >../out.v 2>../err.v
	) &&
	test_line_count = 1 err &&
	grep "^selected [1-9][0-9]* of 26 tests, est\. [0-9]*\.[0-9] s of [0-9]*\.[0-9] s$" err &&
	test_must_be_empty err.q &&
	! grep "^selected [0-9]* of 26 tests" err.v &&
	grep " passed" out.q
'

test_expect_success 'run --observe names the missed failures by their pytest node ids' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$BREAK_TO_GRAMS" &&
		test_must_fail git covopt run --observe -t 0.01 >../out 2>../err &&
		sed -n "s/^observe: missed //p" ../err >../missed &&
		test_must_fail xargs -d "\n" "$PYTHON" -m pytest -q \
			-p no:cacheprovider <../missed >../rerun 2>&1
	) &&
	test_line_count -gt 0 missed &&
	! grep -v "^tests/[a-z_]*\.py::" missed &&
	grep "^$(wc -l <missed) failed in " rerun &&
	! grep "not found" rerun
'

test_expect_success 'no model, no remote: the error says to record one' '
	(
		cd repo &&
		test_must_fail git covopt select --ref=none >../out 2>../err &&
		test_must_fail git covopt show --ref=none >>../out 2>>../err
	) &&
	test_must_be_empty out &&
	test_line_count = 2 err &&
	test "$(grep -c "; record one with .git covopt record. after a full test run$" err)" = 2
'

test_expect_success 'no model, a remote: the error and the run also say to fetch one' '
	git clone -q repo clone &&
	(
		cd clone &&
		test_must_fail git covopt select >../out 2>../err &&
		test_must_fail git covopt show >>../out 2>>../err &&
		git covopt run --dry-run >/dev/null 2>../err.run
	) &&
	test_must_be_empty out &&
	test_line_count = 2 err &&
	test "$(grep -c "; record one with .git covopt record. after a full test run, or fetch one with .git covopt fetch origin.$" err)" = 2 &&
	grep "^warning: no model for .*(record one with .git covopt record. after a full test run, or fetch one with .git covopt fetch origin.): running every test$" err.run
'

test_expect_success 'run --record of a selection keeps the full run'"'"'s suite time and start-up overhead' '
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		test_tick &&
		git commit -q -am "to_grams: name the result" &&
		git covopt show --json HEAD~1 >../full.json &&
		git covopt run --record -q -t 0.05 HEAD~1 >../out 2>../err &&
		git covopt show --json HEAD >../part.json
	) &&
	"$PYTHON" - <<-\EOF
	import json
	full, part = json.load(open("full.json")), json.load(open("part.json"))
	assert full["distance"] == 0 and part["distance"] == 0, (full, part)
	assert full["model_commit"] != part["model_commit"]
	f, p = full["flags"][0], part["flags"][0]
	assert f["overhead"] > 0, f
	assert (p["suite_time"], p["overhead"]) == (f["suite_time"], f["overhead"]), (f, p)
	EOF
'

test_done
