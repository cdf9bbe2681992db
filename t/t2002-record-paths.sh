#!/bin/sh
# t2002-record-paths.sh - coverage recorded under another absolute directory (a CI checkout)
# maps to the repository's paths by longest suffix, giving the same model as a local run.

test_description='git covopt record maps paths recorded elsewhere'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# features FILE: "test feature" pairs of a show --json output, sorted.
features () {
	"$PYTHON" - "$1" <<-\EOF
	import json, sys
	for t in json.load(open(sys.argv[1]))["tests"]:
	    for f in t["features"]:
	        print(t["id"], f["feature"])
	EOF
}

test_expect_success 'setup: the same commit, here and in a CI checkout elsewhere' '
	covopt_example_repo repo &&
	git clone -q repo ci/build/checkout-1234
'

test_expect_success 'a run recorded in the other directory maps to repository paths' '
	(
		cd ci/build/checkout-1234 &&
		covopt_run_pytest
	) &&
	"$PYTHON" -c "import sqlite3; print(\"\n\".join(r[0] for r in sqlite3.connect(\"ci/build/checkout-1234/.coverage\").execute(\"select path from file\")))" >paths &&
	grep "^$TRASH_DIRECTORY/ci/build/checkout-1234/inventory/" paths &&
	(
		cd repo &&
		git covopt record -q --coverage ../ci/build/checkout-1234/.coverage \
			--junit ../ci/build/checkout-1234/junit.xml &&
		git covopt show --json >../elsewhere.json
	) &&
	features elsewhere.json | sort >elsewhere
'

test_expect_success 'it equals the model of a local run' '
	(
		cd repo &&
		covopt_record -q &&
		git covopt show --json >../local.json
	) &&
	features local.json | sort >local &&
	test_line_count -gt 50 local &&
	test_cmp local elsewhere
'

test_expect_success 'files that are not tracked are ignored with a warning' '
	(
		cd repo &&
		"$PYTHON" - <<-\EOF &&
		import sqlite3
		db = sqlite3.connect(".coverage")
		db.execute("insert into file (path) values (?)", ("/elsewhere/site-packages/other.py",))
		db.commit()
		EOF
		git covopt record -q --coverage .coverage --junit junit.xml 2>../err
	) &&
	grep "not tracked in the recorded commit" err
'

test_done
