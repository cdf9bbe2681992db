#!/bin/sh
# t3006-select-data-files.sh - a changed data file (not code) reaches the code whose string literals name it:
# a loader in the package, a test reading its expected output; a file named nowhere selects nothing. Real pytest.

test_description='git covopt select: data files reach the code that names them'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# Rates live in a JSON file the package loads by name; a report test
# compares with an expected file it opens itself; NOTES.txt is read by
# nothing. Other tests of the example do not touch any of them.
test_expect_success 'setup: data files read by package code and by a test' '
	covopt_example_repo repo &&
	(
		cd repo &&
		cat >inventory/rates.py <<-\EOF &&
		import json
		import os


		def load_rates():
		    here = os.path.dirname(__file__)
		    with open(os.path.join(here, "rates.json")) as f:
		        return json.load(f)


		def convert(amount, currency):
		    return amount * load_rates()[currency]
		EOF
		printf "{\"EUR\": 1.0, \"USD\": 1.25}\n" >inventory/rates.json &&
		printf "a plain note\n" >inventory/NOTES.txt &&
		mkdir tests/data &&
		printf "4 pens\n" >tests/data/expected.txt &&
		cat >tests/test_rates.py <<-\EOF &&
		from inventory.rates import convert


		def test_usd():
		    assert convert(4, "USD") == 5


		def test_eur():
		    assert convert(4, "EUR") == 4
		EOF
		cat >tests/test_golden.py <<-\EOF &&
		import os

		HERE = os.path.dirname(__file__)


		def test_pens():
		    with open(os.path.join(HERE, "data", "expected.txt")) as f:
		        assert f.read() == "%d pens\n" % 4
		EOF
		git add . &&
		test_tick &&
		git commit -q -m "rates and a golden file" &&
		covopt_record -q
	)
'

cat >expect-rates <<-\EOF
tests/test_rates.py::test_eur
tests/test_rates.py::test_usd
EOF

test_expect_success 'a changed data file selects the tests of the code that names it' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		printf "{\"EUR\": 1.0, \"USD\": 1.5}\n" >inventory/rates.json &&
		git covopt select -v >../all 2>../err &&
		test_must_fail covopt_run_selected ../all
	) &&
	sort all >actual &&
	test_cmp expect-rates actual &&
	grep "names inventory/rates.json in a string: inventory/rates.py::load_rates" err
'

test_expect_success 'a changed data file and the code naming it: one change slot for that code' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		printf "{\"EUR\": 1.0, \"USD\": 1.5}\n" >inventory/rates.json &&
		edit inventory/rates.py "s.replace(\"json.load(f)\", \"dict(json.load(f))\")" &&
		git covopt select -v >../all 2>../err
	) &&
	sort all >actual &&
	test_cmp expect-rates actual &&
	grep "^  changed inventory/rates.py::load_rates  *weight" err >slots &&
	test_line_count = 1 slots
'

test_expect_success 'a changed expected file selects the test that opens it' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		printf "5 pens\n" >tests/data/expected.txt &&
		git covopt select >../all &&
		test_must_fail covopt_run_selected ../all
	) &&
	echo "tests/test_golden.py::test_pens" >expect &&
	test_cmp expect all
'

test_expect_success 'a renamed data file selects the tests of the code naming its old name' '
	test_when_finished "git -C repo reset -q --hard" &&
	(
		cd repo &&
		git mv inventory/rates.json inventory/currency-rates.json &&
		git covopt select --cached >../all &&
		test_must_fail covopt_run_selected ../all
	) &&
	sort all >actual &&
	test_cmp expect-rates actual
'

test_expect_success 'a data file no code names selects nothing, and says so' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		printf "another note\n" >>inventory/NOTES.txt &&
		git covopt select -v >../all 2>../err
	) &&
	test_must_be_empty all &&
	grep "named in no string of the model.s code: inventory/NOTES.txt" err
'

test_done
