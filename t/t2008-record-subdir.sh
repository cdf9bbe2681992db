#!/bin/sh
# t2008-record-subdir.sh - record run from a subdirectory: --coverage, --junit and the default .coverage
# are read from the current directory (where pytest writes them); .covopt.yml's record files from the top.

test_description='git covopt record from a subdirectory'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# tests_of JSON: "id cost outcome" of each test of a show --json output.
tests_of () {
	"$PYTHON" -c "import json, sys; [print(t[\"id\"], t[\"cost\"], t[\"outcome\"]) for t in json.load(open(sys.argv[1]))[\"tests\"]]" "$1"
}

test_expect_success 'setup: a run at the top, its files moved to tests/out/, recorded from the top' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_run_pytest &&
		mkdir tests/out &&
		mv .coverage junit.xml tests/out/ &&
		git covopt record -q --coverage tests/out/.coverage \
			--junit tests/out/junit.xml &&
		git covopt show --json >../top.json
	) &&
	tests_of top.json >top &&
	test_line_count = 26 top
'

test_expect_success 'from tests/out/ the default .coverage and --junit are read there' '
	(
		cd repo/tests/out &&
		git covopt record -q --junit junit.xml &&
		git covopt show --json >../../../sub.json
	) &&
	tests_of sub.json >sub &&
	test_cmp top sub
'

test_expect_success 'from tests/, ../ climbs as usual; from the top the files are not found' '
	(
		cd repo/tests &&
		git covopt record -q --coverage out/.coverage \
			--junit ../tests/out/junit.xml
	) &&
	(
		cd repo &&
		test_must_fail git covopt record -q --junit junit.xml
	) 2>err &&
	test_line_count = 1 err &&
	grep "^error: cannot open .\\.coverage.: No such file or directory$" err
'

test_expect_success '.covopt.yml record files are read from the top, wherever record runs' '
	cat >repo/.covopt.yml <<-\EOF &&
	record:
	  coverage: [tests/out/.coverage]
	  junit: [tests/out/junit.xml]
	EOF
	(
		cd repo/inventory &&
		git covopt record -q &&
		git covopt show --json >../../conf.json
	) &&
	tests_of conf.json >conf &&
	test_cmp top conf
'

test_done
