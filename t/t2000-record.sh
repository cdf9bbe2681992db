#!/bin/sh
# t2000-record.sh - acceptance test of "git covopt record" on the example project (contrib/example).
# The model "git covopt show --json" prints must match t/fixtures/example-expectations.txt test by test.

test_description='git covopt record: a recorded run, as show --json sees it'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# expectations CHECK ARG...: run example-expectations.py CHECK on the
# expectations file (see the top of that script for the checks).
expectations () {
	expectations_check=$1
	shift
	"$PYTHON" "$COVOPT_EXPECTATIONS.py" "$expectations_check" \
		"$COVOPT_EXPECTATIONS.txt" "$@"
}

# model_field FILE KEY: the top-level KEY of a show --json output.
model_field () {
	"$PYTHON" - "$1" "$2" <<-\EOF
	import json, sys
	print(json.load(open(sys.argv[1]))[sys.argv[2]])
	EOF
}

# cost_over MIN FILE ID: the test ID of a show --json output costs more
# than MIN seconds.
cost_over () {
	"$PYTHON" - "$@" <<-\EOF
	import json, sys
	low, path, tid = float(sys.argv[1]), sys.argv[2], sys.argv[3]
	costs = [t["cost"] for t in json.load(open(path))["tests"]
		 if t["id"] == tid]
	if len(costs) != 1 or not costs[0] > low:
	    sys.exit("cost of %s: %r, expected one > %s" % (tid, costs, low))
	EOF
}

# set_junit_time FILE CLASSNAME NAME SECONDS: rewrite one testcase's time.
set_junit_time () {
	"$PYTHON" - "$@" <<-\EOF
	import sys
	import xml.etree.ElementTree as ET
	path, classname, name, seconds = sys.argv[1:]
	tree = ET.parse(path)
	cases = [c for c in tree.getroot().iter("testcase")
		 if (c.get("classname"), c.get("name")) == (classname, name)]
	if len(cases) != 1:
	    sys.exit("%s: no testcase %s %s" % (path, classname, name))
	cases[0].set("time", seconds)
	tree.write(path)
	EOF
}

test_expect_success 'setup: the example project in a repository' '
	covopt_example_repo repo &&
	git -C repo rev-parse HEAD >head
'

test_expect_success 'the example suite collects the expected tests' '
	(
		cd repo &&
		"$PYTHON" -m pytest --collect-only -q -p no:cacheprovider
	) >collected &&
	grep "::" collected >actual &&
	expectations list >expect &&
	test_line_count = 26 expect &&
	test_cmp expect actual
'

test_expect_success 'coverage.py agrees with the expectations' '
	(
		cd repo &&
		covopt_run_pytest &&
		"$PYTHON" -m coverage json --show-contexts -q \
			-o ../coverage.json &&
		expectations coverage ../coverage.json .
	)
'

test_expect_success 'record stores one note, on HEAD' '
	(
		cd repo &&
		covopt_record &&
		git notes --ref=covopt list >../notes &&
		git rev-parse HEAD >../head-after &&
		git status --porcelain >../status
	) &&
	test_line_count = 1 notes &&
	cut -d" " -f2 notes >actual &&
	test_cmp head actual &&
	test_cmp head head-after &&
	test_must_be_empty status
'

test_expect_success 'show --json lists every test with the functions it runs' '
	(
		cd repo &&
		git covopt show --json >../show.json &&
		git covopt show HEAD --json >../show-head.json &&
		expectations model ../show.json junit.xml "$(cat ../head)"
	) &&
	test_cmp show.json show-head.json
'

test_expect_success 'record on the same commit again replaces the note' '
	(
		cd repo &&
		git notes --ref=covopt list HEAD >../blob-before &&
		covopt_run_pytest &&
		set_junit_time junit.xml \
			tests.test_report test_arithmetic 0.8 &&
		git covopt record --coverage .coverage --junit junit.xml &&
		git notes --ref=covopt list >../notes &&
		git notes --ref=covopt list HEAD >../blob-after &&
		git covopt show --json >../show.json &&
		expectations model ../show.json junit.xml "$(cat ../head)"
	) &&
	test_line_count = 1 notes &&
	cut -d" " -f2 notes >actual &&
	test_cmp head actual &&
	! test_cmp blob-before blob-after >/dev/null &&
	cost_over 0.1 show.json tests/test_report.py::test_arithmetic
'

test_expect_success 'record --commit HEAD~1 reads the files of that commit' '
	covopt_example_repo repo2 &&
	test_tick &&
	(
		cd repo2 &&
		covopt_run_pytest &&
		git rev-parse HEAD >../old &&
		{
			printf "%s\n" "\"\"\"Shifted.\"\"\"" "" "" \
				"def grams(amount):" "    return amount" \
				"" "" &&
			cat inventory/units.py
		} >units.new &&
		mv units.new inventory/units.py &&
		git commit -q -a -m "units: add grams(), shifting every line" &&
		{
			printf "%s\n" "# dirty" "# work tree" "" &&
			cat inventory/stock.py
		} >stock.new &&
		mv stock.new inventory/stock.py &&
		git covopt record --commit HEAD~1 \
			--coverage .coverage --junit junit.xml &&
		git notes --ref=covopt list >../notes &&
		git covopt show HEAD~1 --json >../show-old.json &&
		expectations model ../show-old.json junit.xml "$(cat ../old)"
	) &&
	test_line_count = 1 notes &&
	cut -d" " -f2 notes >actual &&
	test_cmp old actual
'

test_expect_success 'show of a commit without a note uses its parent' '
	(
		cd repo2 &&
		git covopt show --json >../show-new.json &&
		git rev-parse HEAD >../new
	) &&
	model_field show-new.json commit >actual &&
	test_cmp new actual &&
	model_field show-new.json model_commit >actual &&
	test_cmp old actual &&
	echo 1 >expect &&
	model_field show-new.json distance >actual &&
	test_cmp expect actual
'

test_done
