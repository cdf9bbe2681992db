#!/bin/sh
# t3200-select-lines.sh - "git covopt select" weighs tests by the changed lines they ran (line evidence).
# A small shop project with real pytest and coverage.py; costs are pinned in the JUnit report.

test_description='git covopt select: the test that ran the changed line comes first'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest
COVOPT_EXAMPLE_PACKAGE=shop

# pin_costs FILE: each test_discount case costs 5 ms, every other test 0.5 s.
pin_costs () {
	"$PYTHON" - "$1" <<-\EOF
	import sys
	import xml.etree.ElementTree as ET
	tree = ET.parse(sys.argv[1])
	for suite in tree.getroot().iter("testsuite"):
	    suite.set("time", "5.0")
	for case in tree.getroot().iter("testcase"):
	    quick = case.get("name").startswith("test_discount[")
	    case.set("time", "0.005" if quick else "0.5")
	tree.write(sys.argv[1])
	EOF
}

# record_pinned: run the suite, pin the costs, record HEAD.
record_pinned () {
	covopt_run_pytest &&
	pin_costs junit.xml &&
	git covopt record -q --coverage .coverage --junit junit.xml
}

edit () {
	"$PYTHON" - "$@" <<-\EOF
	import sys
	path, expr = sys.argv[1:]
	s = open(path).read()
	t = eval(expr, {"s": s})
	assert t != s, "edit changed nothing"
	open(path, "w").write(t)
	EOF
}

test_expect_success 'setup: a shop whose discount() has one line per code' '
	mkdir -p repo/shop repo/tests &&
	(
		cd repo &&
		git init -q -b main &&
		: >shop/__init__.py &&
		cat >shop/pricing.py <<-\EOF &&
		def discount(total, code):
		    if code == "HALF":
		        return total / 2
		    if code == "TENOFF":
		        return max(total - 10, 0)
		    return total


		def checkout(items, code):
		    total = sum(items)
		    # a long way round: every code is tried
		    for trial in ("HALF", "TENOFF", None):
		        discount(total, trial)
		    return discount(total, code)
		EOF
		cat >tests/test_pricing.py <<-\EOF &&
		import pytest
		from shop import pricing


		@pytest.mark.parametrize("code,expected",
		                         [("HALF", 50), ("TENOFF", 90), (None, 100)])
		def test_discount(code, expected):
		    assert pricing.discount(100, code) == expected
		EOF
		cat >tests/test_checkout.py <<-\EOF &&
		from shop import pricing


		def test_checkout_slow():
		    assert pricing.checkout([60, 40], "HALF") == 50
		EOF
		printf "[pytest]\ntestpaths = tests\n" >pytest.ini &&
		git add . &&
		test_tick &&
		git commit -q -m shop &&
		record_pinned &&
		git tag recorded
	)
'

HALF_LINE='s.replace("return total / 2", "return total * 0.5")'

test_expect_success 'the test that ran the changed line is picked first' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "$HALF_LINE" &&
		git commit -q -am "half by multiplication" &&
		git covopt select HEAD~1 -t 0.01 -v >../selected 2>../err
	) &&
	echo "tests/test_pricing.py::test_discount[HALF-50]" >expect &&
	head -n 1 selected >actual &&
	test_cmp expect actual &&
	grep "discount \[block" err
'

test_expect_success 'with no budget every test that ran the function is kept' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "$HALF_LINE" &&
		git covopt select >../selected
	) &&
	sort selected >actual &&
	cat >expect <<-\EOF &&
	tests/test_checkout.py::test_checkout_slow
	tests/test_pricing.py::test_discount[HALF-50]
	tests/test_pricing.py::test_discount[None-100]
	tests/test_pricing.py::test_discount[TENOFF-90]
	EOF
	test_cmp expect actual
'

test_expect_success 'the ranking signals beyond coverage are explained under --verbose' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "$HALF_LINE" &&
		git covopt select -v >/dev/null 2>../err
	) &&
	grep "test_discount\[HALF-50\]  (100% of its lines in the change, named after a changed function)$" err &&
	grep "test_checkout_slow  ([0-9]*% of its lines in the change)$" err &&
	! grep "test_checkout_slow.*named after" err
'

test_expect_success 'an inserted line weighs by who ran its neighbours' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "s.replace(\"        return max(total - 10, 0)\n\", \"        total = total - 0\n        return max(total - 10, 0)\n\")" &&
		git covopt select -t 0.01 >../selected
	) &&
	echo "tests/test_pricing.py::test_discount[TENOFF-90]" >expect &&
	head -n 1 selected >actual &&
	test_cmp expect actual
'

test_expect_success 'a line inserted after a block weighs on the tests that reach it, not on the block' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "s.replace(\"        return total / 2\n\", \"        return total / 2\n    total = total + 1\n\")" &&
		git covopt select -t 0.01 >../selected
	) &&
	cat >expect <<-\EOF &&
	tests/test_pricing.py::test_discount[None-100]
	tests/test_pricing.py::test_discount[TENOFF-90]
	EOF
	sort selected >actual &&
	test_cmp expect actual
'

test_expect_success 'a comment-only change still selects nothing' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "s.replace(\"    if code == \\\"HALF\\\":\n\", \"    # half price\n    if code == \\\"HALF\\\":  # the common one\n\")" &&
		git covopt select >../selected
	) &&
	test_must_be_empty selected
'

test_expect_success 'a model from before the function last changed still places the line' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "s.replace(\"    return total\n\n\", \"    # no code: full price\n    result = total\n    return result\n\n\")" &&
		git commit -q -am "full price through a name" &&
		edit shop/pricing.py "$HALF_LINE" &&
		git commit -q -am "half by multiplication" &&
		git covopt select HEAD~1 -t 0.01 -v >../selected 2>../err
	) &&
	echo "tests/test_pricing.py::test_discount[HALF-50]" >expect &&
	head -n 1 selected >actual &&
	test_cmp expect actual &&
	grep "1 commit before the base" err &&
	grep "discount \[block" err
'

test_expect_success 'a run recorded with branch coverage (arcs) gives the same line evidence' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "$HALF_LINE" &&
		git covopt select -v >../lines.out 2>&1 &&
		git checkout -q . &&
		covopt_run_pytest --cov-branch &&
		"$PYTHON" -c "import sqlite3; print(sqlite3.connect(\".coverage\").execute(\"select count(*) from arc\").fetchone()[0])" >../arcs &&
		pin_costs junit.xml &&
		git covopt record -q --coverage .coverage --junit junit.xml &&
		edit shop/pricing.py "$HALF_LINE" &&
		git covopt select -v >../arcs.out 2>&1 &&
		git covopt select -t 0.01 >../selected
	) &&
	test "$(cat arcs)" -gt 0 &&
	grep "discount \[block" arcs.out &&
	test_cmp lines.out arcs.out &&
	echo "tests/test_pricing.py::test_discount[HALF-50]" >expect &&
	head -n 1 selected >actual &&
	test_cmp expect actual
'

test_expect_success 'without line evidence the function-level signal is used, and said' '
	test_when_finished "git -C repo reset -q --hard recorded" &&
	(
		cd repo &&
		edit shop/pricing.py "s.replace(\"def discount(total, code):\", \"def discount(total, code=None):\")" &&
		git covopt select -v >../selected 2>../err
	) &&
	grep "no test ran the changed lines, function-level signal: shop/pricing.py::discount" err &&
	test_line_count = 4 selected
'

test_done
