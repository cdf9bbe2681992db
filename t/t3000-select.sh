#!/bin/sh
# t3000-select.sh - acceptance tests of "git covopt select" on the example project with real pytest.
# Costs are pinned in the JUnit report before recording so that budgets give exact answers.

test_description='git covopt select: the right tests for a change, under a budget'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# pin_costs FILE: every testcase of a JUnit report costs 0.1 s, but
# test_low_stock 0.2 s; the suite takes 5 s.
pin_costs () {
	"$PYTHON" - "$1" <<-\EOF
	import sys
	import xml.etree.ElementTree as ET
	tree = ET.parse(sys.argv[1])
	for suite in tree.getroot().iter("testsuite"):
	    suite.set("time", "5.0")
	for case in tree.getroot().iter("testcase"):
	    slow = case.get("name") == "test_low_stock"
	    case.set("time", "0.2" if slow else "0.1")
	tree.write(sys.argv[1])
	EOF
}

# record_pinned: run the suite, pin the costs, record HEAD.
record_pinned () {
	covopt_run_pytest &&
	pin_costs junit.xml &&
	git covopt record -q --coverage .coverage --junit junit.xml
}

# touching FEATURE: ids of the tests whose signal includes FEATURE, sorted.
touching () {
	git covopt show --json >"$TRASH_DIRECTORY/model.json" &&
	"$PYTHON" - "$1" "$TRASH_DIRECTORY/model.json" <<-\EOF
	import json, sys
	model = json.load(open(sys.argv[2]))
	ids = [t["id"] for t in model["tests"]
	       if any(f["feature"] == sys.argv[1] for f in t["features"])]
	print("\n".join(sorted(ids)))
	EOF
}

# run_selected FILE: run the ids in FILE with pytest from the current
# repository (nothing to run is a success); pytest must pass.
run_selected () {
	if test -s "$1"
	then
		tr "\n" "\0" <"$1" |
		xargs -0 "$PYTHON" -m pytest -q -p no:cacheprovider \
			>"$TRASH_DIRECTORY/pytest.out" 2>&1 ||
		{ cat "$TRASH_DIRECTORY/pytest.out"; return 1; }
	fi
}

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

test_expect_success 'setup: a recorded example project' '
	covopt_example_repo repo &&
	(cd repo && record_pinned)
'

test_expect_success 'a comment-only change selects nothing' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "s.replace(\"def to_grams(\", \"# converts\n\n\ndef to_grams(\")" &&
		edit inventory/units.py "s.replace(\"    return amount * factor(unit)\", \"    return amount * factor(unit)  # grams\")" &&
		git covopt select >../selected
	) &&
	test_must_be_empty selected
'

test_expect_success 'a changed function selects exactly the tests that run it' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		touching "inventory/units.py::to_grams" >../expect &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select >../selected &&
		run_selected ../selected
	) &&
	sort selected >actual &&
	test_line_count -gt 3 expect &&
	test_cmp expect actual
'

# covers FEATURE: the tests of ids.txt (one id a line) that together cover FEATURE.
covers () {
	"$PYTHON" - "$1" "$TRASH_DIRECTORY/model.json" "$TRASH_DIRECTORY/ids.txt" <<-\EOF
	import json, sys
	feature, model, ids = sys.argv[1:]
	tests = {t["id"]: t for t in json.load(open(model))["tests"]}
	chosen = open(ids).read().splitlines()
	if not any(f["feature"] == feature for i in chosen
	           for f in tests[i]["features"]):
	    sys.exit("no chosen test covers %s" % feature)
	EOF
}

test_expect_success 'a tight budget picks cheap, valuable, non-redundant tests' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		touching "inventory/units.py::factor" >../factor-tests &&
		edit inventory/units.py "s.replace(\"        return GRAMS_PER_UNIT[unit]\", \"        grams = GRAMS_PER_UNIT[unit]\n        return grams\")" &&
		edit inventory/stock.py "s.replace(\"if qty < threshold]\", \"if qty < threshold and item]\")" &&
		git covopt select -t 0.3 >../selected &&
		git covopt select -t 0.3 --json >../selected.json &&
		run_selected ../selected
	) &&
	cp selected ids.txt &&
	test_line_count -le 3 ids.txt &&
	covers "inventory/units.py::factor" &&
	covers "inventory/stock.py::Stock.low_stock" &&
	test_line_count -gt 10 factor-tests &&
	"$PYTHON" -c "import json,sys; d=json.load(open(\"selected.json\")); sys.exit(not (d[\"estimated_time\"] <= 0.3 + 1e-9 and len(d[\"left_out\"]) > 10))"
'

test_expect_success 'a budget smaller than every test selects nothing' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select -t 0.05 -v >../selected 2>../err
	) &&
	test_must_be_empty selected &&
	grep "smaller than the cost of every affected test" err
'

test_expect_success 'a changed test is selected, alone when nothing else changed' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit tests/test_units.py "s.replace(\"== 2.205\", \"== pytest.approx(2.205)\")" &&
		git covopt select -t 0.1 >../selected &&
		run_selected ../selected
	) &&
	echo "tests/test_units.py::test_convert" >expect &&
	test_cmp expect selected
'

test_expect_success 'the tests of a new test file are selected' '
	test_when_finished "rm -f repo/tests/test_new.py && git -C repo reset -q" &&
	(
		cd repo &&
		printf "from inventory import units\n\n\ndef test_kg():\n    assert units.factor(\"kg\") == 1000\n\n\nclass TestMore:\n    def test_g(self):\n        assert units.factor(\"g\") == 1\n" >tests/test_new.py &&
		git add tests/test_new.py &&
		git covopt select >../selected &&
		run_selected ../selected
	) &&
	cat >expect <<-\EOF &&
	tests/test_new.py::TestMore::test_g
	tests/test_new.py::test_kg
	EOF
	sort selected >actual &&
	test_cmp expect actual
'

test_expect_success 'a removed test is never printed' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		edit tests/test_units.py "s.replace(\"def test_convert():\n    assert units.convert(1, \\\"kg\\\", \\\"lb\\\") == 2.205\n\", \"\")" &&
		git covopt select >../selected &&
		run_selected ../selected
	) &&
	test_line_count -gt 3 selected &&
	! grep test_convert selected
'

test_expect_success 'a deleted test file prints none of its tests' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		rm tests/test_units.py &&
		git covopt select >../selected &&
		run_selected ../selected
	) &&
	test_line_count -gt 3 selected &&
	! grep tests/test_units.py selected
'

test_expect_success 'revisions: one, two, A..B, A...B, --cached, -- paths, --diff=-' '
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select >../worktree &&
		git diff | git covopt select --diff=- >../stdin &&
		git add inventory/units.py &&
		git covopt select --cached >../cached &&
		git covopt select -- tests >../limited &&
		test_tick &&
		git commit -q -m "to_grams: name the result" &&
		git covopt select HEAD~1 >../one &&
		git covopt select HEAD~1 HEAD >../two &&
		git covopt select HEAD~1..HEAD >../dots &&
		git covopt select HEAD~1...HEAD >../three-dots &&
		git covopt select HEAD >../none
	) &&
	test_line_count -gt 3 worktree &&
	test_cmp worktree stdin &&
	test_cmp worktree cached &&
	test_cmp worktree one &&
	test_cmp worktree two &&
	test_cmp worktree dots &&
	test_cmp worktree three-dots &&
	test_must_be_empty limited &&
	test_must_be_empty none
'

test_expect_success 'a bare repository selects between two commits' '
	git clone -q --bare repo bare.git &&
	git -C repo push -q ../bare.git "refs/notes/*:refs/notes/*" &&
	git -C bare.git covopt select HEAD~1 HEAD >bare &&
	test_cmp worktree bare
'

test_expect_success 'the model of an ancestor serves, after code moved and a function was inserted above' '
	(
		cd repo &&
		git checkout -q -b moved HEAD~1 &&
		edit inventory/units.py "s.replace(\"def factor(unit):\", \"def unused(x):\n    return x\n\n\ndef factor(unit):\")" &&
		test_tick && git commit -q -am "insert a function" &&
		edit inventory/units.py "s.replace(\"PRECISION = 3\n\", \"PRECISION = 3\n\n\n\n\")" &&
		test_tick && git commit -q -am "move code down" &&
		"$PYTHON" - <<-\EOF &&
		src = open("inventory/units.py").read()
		start = src.index("def parse_weight(")
		block = src[start:]
		src = src[:start].rstrip("\n") + "\n"
		src = src.replace("def factor(unit):", block.rstrip("\n") + "\n\n\ndef factor(unit):")
		open("inventory/units.py", "w").write(src)
		EOF
		test_tick && git commit -q -am "move parse_weight up" &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select -v >../from-ancestor 2>../err &&
		grep "3 commits before the base" ../err &&
		record_pinned &&
		git covopt select >../from-base
	) &&
	test_line_count -gt 3 from-ancestor &&
	sort from-base >base.sorted &&
	sort from-ancestor >ancestor.sorted &&
	test_cmp base.sorted ancestor.sorted &&
	# the base was recorded with the edit in place, so line counts (and
	# with them specificity) differ in the tail; the head agrees
	head -n 3 from-base >base.head &&
	head -n 3 from-ancestor >ancestor.head &&
	test_cmp base.head ancestor.head
'

test_expect_success '100 runs, one output' '
	(
		cd repo &&
		git covopt select -t 0.5 >../first &&
		for i in $(seq 100)
		do
			git covopt select -t 0.5 >../again &&
			cmp ../first ../again || return 1
		done
	) &&
	test_line_count -gt 1 first
'

test_expect_success 'ids print as pytest names them; -z terminates them with NUL; --json parses' '
	(
		cd repo &&
		git covopt select -z >../nul &&
		git covopt select --json >../json &&
		git covopt select >../lines
	) &&
	tr "\0" "\n" <nul >nul-lines &&
	test_cmp lines nul-lines &&
	grep -Fx "tests/test_units.py::test_to_grams[kg to g]" lines &&
	"$PYTHON" - <<-\EOF
	import json
	d = json.load(open("json"))
	assert d["ats_tests_to_run"] == [t["id"] for t in d["selected"]]
	assert d["ats_tests_to_run"] == open("lines").read().splitlines()
	assert not set(d["ats_tests_to_run"]) & set(d["ats_tests_to_skip"])
	report = set(d["present_report_labels"])
	assert set(d["ats_tests_to_run"]) | set(d["ats_tests_to_skip"]) == report
	assert set(d["present_diff_labels"]) <= report
	for key in ("absent_labels", "global_level_labels", "runner_options"):
	    assert isinstance(d[key], list), key
	EOF
'

test_expect_success 'a change to conftest.py gives every test signal' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		echo "# shared fixtures" >>tests/conftest.py &&
		git covopt select -v >../selected 2>../err &&
		git covopt show --json >../model.json
	) &&
	grep "affects every test: tests/conftest.py" err &&
	"$PYTHON" -c "import json; print(\"\n\".join(t[\"id\"] for t in json.load(open(\"model.json\"))[\"tests\"] if t[\"outcome\"] != \"skipped\"))" | sort >expect &&
	sort selected >actual &&
	comm -23 expect actual >missing &&
	test_must_be_empty missing
'

test_expect_success 'a module constant reaches the tests whose files import the module' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "s.replace(\"PRECISION = 3\", \"PRECISION = 3\nSTONE = 6350.29\")" &&
		git covopt select -v >../selected 2>../err &&
		run_selected ../selected
	) &&
	grep "changed inventory/units.py::<module>" err &&
	cp selected ids &&
	grep "^tests/test_units.py::test_convert$" ids &&
	grep "^tests/test_item.py::" ids
'

test_expect_success 'renames, mode changes and binary files are handled and reported' '
	test_when_finished "git -C repo reset -q --hard" &&
	(
		cd repo &&
		touching "inventory/units.py::to_grams" >../expect &&
		git mv inventory/units.py inventory/measures.py &&
		edit inventory/measures.py "$TO_GRAMS_BODY" &&
		chmod +x inventory/report.py &&
		printf "\000\001\002binary" >inventory/logo.bin &&
		git add -A &&
		git covopt select --cached -v >../selected 2>../err &&
		git covopt select --cached -t 0.1 >../first
	) &&
	sort selected >actual &&
	comm -23 expect actual >missing &&
	test_must_be_empty missing &&
	grep -x "tests/test_units.py::test_convert" selected &&
	test_line_count = 1 first &&
	grep -F -x -f first expect &&
	grep "mode change only: inventory/report.py" err &&
	grep "binary file: inventory/logo.bin" err
'

test_expect_success 'a covered file turned binary selects every test that ran it' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		touching "inventory/units.py::to_grams" >../ran &&
		printf "\000" >>inventory/units.py &&
		git covopt select -v >../selected 2>../err
	) &&
	grep "binary file: inventory/units.py" err &&
	sort selected >actual &&
	test -s ran &&
	comm -23 ran actual >missing &&
	test_must_be_empty missing
'

test_expect_success 'a binary diff of a covered file on --diff=- selects every test that ran it' '
	(
		cd repo &&
		touching "inventory/units.py::to_grams" >../ran &&
		printf "diff --git a/inventory/units.py b/inventory/units.py\nBinary files a/inventory/units.py and b/inventory/units.py differ\n" >../binary.patch &&
		git covopt select -v --diff=- <../binary.patch >../selected 2>../err
	) &&
	grep "binary file: inventory/units.py" err &&
	sort selected >actual &&
	test -s ran &&
	comm -23 ran actual >missing &&
	test_must_be_empty missing
'

test_expect_success 'an unparseable --diff=- is an error naming the line, not an empty diff' '
	(
		cd repo &&
		"$PYTHON" -c "import random, sys; random.seed(13); sys.stdout.write(\"\".join(random.choice(\"abc xyz-+@\\n\") for _ in range(25000)))" >../garbage &&
		test_must_fail git covopt select --diff=- <../garbage >../out.garbage 2>../err.garbage &&
		printf "\n--- a/x\n" >../lone &&
		test_must_fail git covopt select --diff=- <../lone >../out.lone 2>../err.lone &&
		printf "\n \n" | git covopt select --diff=- >../out.blank 2>../err.blank
	) &&
	test_must_be_empty out.garbage &&
	test_line_count = 1 err.garbage &&
	grep "^error: cannot parse .<stdin>. line [0-9]*: " err.garbage &&
	test_must_be_empty out.lone &&
	test_line_count = 1 err.lone &&
	grep "^error: cannot parse .<stdin>. line 2: .---. line without .+++. line\$" err.lone &&
	test_must_be_empty out.blank &&
	test_must_be_empty err.blank
'

test_expect_success 'a mode-only change selects nothing, and --verbose says why' '
	test_when_finished "git -C repo reset -q --hard" &&
	(
		cd repo &&
		chmod +x inventory/report.py &&
		git add -A &&
		git covopt select --cached -v >../selected 2>../err
	) &&
	test_must_be_empty selected &&
	grep "^  mode change only: inventory/report.py$" err
'

test_expect_success 'a renamed module selects the tests that import it, and --verbose says why' '
	test_when_finished "git -C repo reset -q --hard" &&
	(
		cd repo &&
		git mv inventory/units.py inventory/measures.py &&
		git covopt select --cached -v >../selected 2>../err &&
		tr "\n" "\0" <../selected >../selected.z &&
		test_must_fail xargs -0 "$PYTHON" -m pytest -q -p no:cacheprovider \
			<../selected.z >../out 2>&1
	) &&
	grep -x "tests/test_units.py::test_convert" selected &&
	grep -x "tests/test_stock.py::test_quantity" selected &&
	grep "^  renamed: inventory/units.py -> inventory/measures.py (compared feature by feature)$" err &&
	grep "^  moved: its importers: inventory/units.py$" err
'

test_expect_success 'errors: bad revision, no model, corrupt note (skipped), malformed diff' '
	(
		cd repo &&
		test_must_fail git covopt select no-such-rev >../out 2>../err.rev &&
		test_must_be_empty ../out &&
		printf "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n" |
			test_must_fail git covopt select --diff=- 2>../err.diff2 &&
		test_must_fail git covopt select --ref=refs/notes/empty >../out 2>../err.model &&
		test_must_be_empty ../out &&
		git notes --ref=covopt add -f -m garbage HEAD &&
		git covopt select >../out 2>../err.note
	) &&
	test_line_count = 1 err.rev &&
	grep "bad revision .no-such-rev." err.rev &&
	grep "<stdin>" err.diff2 &&
	test_line_count = 1 err.model &&
	grep "no model for" err.model &&
	grep "git covopt record" err.model &&
	test_line_count = 1 err.note &&
	grep "^warning: note for commit $(git -C repo rev-parse HEAD) in .refs/notes/covopt.: .*; skipped it: remove it with .git covopt gc. or .git notes --ref=refs/notes/covopt remove $(git -C repo rev-parse HEAD).$" err.note
'

test_done
