#!/bin/sh
# t2100-show.sh - "git covopt show": the summary, the nearest ancestor's model, flags carried forward.
# The JSON form is checked test by test in t2000; here the human form and the model's reach.

test_description='git covopt show'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

test_expect_success 'setup: a recorded example project' '
	covopt_example_repo repo &&
	(cd repo && covopt_record -q)
'

test_expect_success 'the summary names the commit, counts and slowest tests' '
	(cd repo && git covopt show >../out && git covopt show --json >../out.json &&
	 git rev-parse HEAD >../head) &&
	grep "^model of commit $(cat head)$" out &&
	grep "^flag default .*recorded on" out &&
	grep "^26 tests, [0-9]* features, [0-9]* files" out &&
	grep "^slowest tests:" out &&
	sed -n "/^slowest tests:/,/^$/p" out | sed -n "/ s  /p" >slowest &&
	test_line_count -ge 3 slowest &&
	# the recorded times vary with the load: check the list against the model
	"$PYTHON" - <<-\EOF &&
	import json
	tests = json.load(open("out.json"))["tests"]
	cost = {t["id"]: t["cost"] for t in tests}
	listed = [line.split(None, 2)[2].rstrip("\n") for line in open("slowest")]
	shown = [float(line.split()[0]) for line in open("slowest")]
	assert all(t in cost for t in listed), listed
	assert shown == sorted(shown, reverse=True), shown
	assert abs(shown[0] - max(cost.values())) < 0.001, (shown[0], max(cost.values()))
	for t, s in zip(listed, shown):
	    assert abs(cost[t] - s) < 0.001, (t, cost[t], s)
	EOF
	grep "^features most tests touch:" out
'

test_expect_success 'a descendant uses the nearest ancestor model and says how far' '
	(
		cd repo &&
		test_tick && git commit -q --allow-empty -m one &&
		test_tick && git commit -q --allow-empty -m two &&
		git covopt show >../out &&
		git covopt show --json >../out.json
	) &&
	grep "(2 commits before" out &&
	"$PYTHON" -c "import json; d = json.load(open(\"out.json\")); assert d[\"distance\"] == 2, d[\"distance\"]"
'

test_expect_success 'covopt.searchDepth bounds the search' '
	(
		cd repo &&
		git config covopt.searchDepth 1 &&
		test_must_fail git covopt show >../out 2>../err &&
		git config --unset covopt.searchDepth
	) &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "no model for .HEAD. or its 1 nearest ancestors" err
'

test_expect_success 'recording one flag carries the other forward' '
	(
		cd repo &&
		git covopt record -q --flag e2e --coverage .coverage --junit junit.xml &&
		git covopt show --json >../flags.json
	) &&
	"$PYTHON" - <<-\EOF
	import json
	d = json.load(open("flags.json"))
	names = sorted(f["name"] for f in d["flags"])
	assert names == ["default", "e2e"], names
	assert d["distance"] == 0
	# e2e recorded the same tests: the ids of the e2e flag win, default keeps none twice
	ids = [t["id"] for t in d["tests"]]
	assert len(ids) == len(set(ids))
	EOF
'

test_expect_success 'a test that failed and passed on one commit is flaky' '
	(
		cd repo &&
		"$PYTHON" - <<-\EOF &&
		import xml.etree.ElementTree as ET
		tree = ET.parse("junit.xml")
		for case in tree.getroot().iter("testcase"):
		    if case.get("name") == "test_convert":
		        ET.SubElement(case, "failure", message="boom")
		tree.write("failed.xml")
		EOF
		git covopt record -q --coverage .coverage --junit failed.xml &&
		git covopt show >../before &&
		git covopt record -q --coverage .coverage --junit junit.xml &&
		git covopt show >../after &&
		git covopt show --json >../after.json
	) &&
	! grep "^flaky tests" before &&
	sed -n "/^flaky tests/,\$p" after >flaky &&
	test_line_count = 2 flaky &&
	grep "tests/test_units.py::test_convert" flaky &&
	"$PYTHON" -c "import json; t = [t for t in json.load(open(\"after.json\"))[\"tests\"] if t[\"flaky\"]]; assert [x[\"id\"] for x in t] == [\"tests/test_units.py::test_convert\"], t"
'

test_expect_success '--ref and covopt.notesRef choose the notes ref' '
	(
		cd repo &&
		test_must_fail git covopt show --ref=other 2>../err &&
		git config covopt.notesRef refs/notes/other &&
		test_must_fail git covopt show 2>>../err &&
		git config --unset covopt.notesRef
	) &&
	test_line_count = 2 err &&
	grep "refs/notes/other" err
'

test_done
