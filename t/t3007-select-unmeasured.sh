#!/bin/sh
# t3007-select-unmeasured.sh - a change to Python code no test's coverage measured (helpers beside the tests,
# outside --cov) reaches the tests that import it, directly, through other helpers, or through a conftest.py.

test_description='git covopt select: unmeasured helper modules reach the tests importing them'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest
COVOPT_EXAMPLE_PACKAGE=shop

# Only shop/ is measured. tests/helpers.py is imported by test_orders.py,
# and through tests/builders.py by test_builders.py; tests/conftest.py
# builds a fixture with tests/factories.py; tools/report.py is imported
# by no test.
test_expect_success 'setup: helpers, a conftest and a tool outside the measured package' '
	mkdir -p repo/shop repo/tests/more repo/tools &&
	(
		cd repo &&
		git init -q -b main &&
		: >shop/__init__.py &&
		printf "def total(items):\n    return sum(items)\n" >shop/cart.py &&
		printf "def three():\n    return [1, 2, 3]\n" >tests/helpers.py &&
		printf "from helpers import three\n\n\ndef six():\n    return three() * 2\n" >tests/builders.py &&
		printf "def empty():\n    return []\n" >tests/factories.py &&
		cat >tests/conftest.py <<-\EOF &&
		import pytest

		from factories import empty


		@pytest.fixture
		def nothing():
		    return empty()
		EOF
		cat >tests/test_orders.py <<-\EOF &&
		from helpers import three
		from shop.cart import total


		def test_three():
		    assert total(three()) == 6
		EOF
		cat >tests/test_builders.py <<-\EOF &&
		from builders import six
		from shop.cart import total


		def test_six():
		    assert total(six()) == 12
		EOF
		cat >tests/more/test_empty.py <<-\EOF &&
		from shop.cart import total


		def test_empty(nothing):
		    assert total(nothing) == 0
		EOF
		printf "def main():\n    print(1)\n" >tools/report.py &&
		printf "[pytest]\ntestpaths = tests\n" >pytest.ini &&
		git add . &&
		test_tick &&
		git commit -q -m shop &&
		covopt_run_pytest &&
		covopt_pin_costs junit.xml &&
		git covopt record -q --coverage .coverage --junit junit.xml
	)
'

test_expect_success 'a changed helper selects the tests importing it, directly or through another helper' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit tests/helpers.py "s.replace(\"[1, 2, 3]\", \"[1, 2, 4]\")" &&
		git covopt select -v >../selected 2>../err &&
		git covopt select -t 0.1 >../first &&
		test_must_fail covopt_run_selected ../selected
	) &&
	cat >expect <<-\EOF &&
	tests/test_builders.py::test_six
	tests/test_orders.py::test_three
	EOF
	sort selected >actual &&
	test_cmp expect actual &&
	echo tests/test_orders.py::test_three >expect &&
	test_cmp expect first &&
	grep "reached through import time (2 tests, not measured: its importers): tests/helpers.py::three" err
'

test_expect_success 'a changed module a conftest.py imports selects the tests under that conftest.py' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit tests/factories.py "s.replace(\"return []\", \"return [1]\")" &&
		git covopt select >../selected &&
		test_must_fail covopt_run_selected ../selected
	) &&
	cat >expect <<-\EOF &&
	tests/more/test_empty.py::test_empty
	tests/test_builders.py::test_six
	tests/test_orders.py::test_three
	EOF
	sort selected >actual &&
	test_cmp expect actual
'

test_expect_success 'unmeasured code no test imports selects nothing' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit tools/report.py "s.replace(\"print(1)\", \"print(2)\")" &&
		git covopt select >../selected
	) &&
	test_must_be_empty selected
'

test_done
