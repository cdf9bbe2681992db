# lib-covopt.sh - helpers for integration tests that need a Python project and a recorded run.
# Source it after test-lib.sh; the project is contrib/example, run with pytest, coverage.py and pytest-cov.

# The package coverage is measured for, and the example project's files.
COVOPT_EXAMPLE_DIR=$COVOPT_SOURCE_DIR/contrib/example
COVOPT_EXAMPLE_PACKAGE=inventory
COVOPT_EXPECTATIONS=$COVOPT_SOURCE_DIR/t/fixtures/example-expectations

# require_pytest: skip the whole script unless $PYTHON has pytest and
# pytest-cov; call it before the first test. Sets the PYTEST prerequisite.
require_pytest () {
	if ! "$PYTHON" -c 'import pytest, pytest_cov, coverage' \
		>/dev/null 2>&1
	then
		skip_all="$PYTHON cannot import pytest, pytest_cov and coverage"
		test_done
	fi
	test_set_prereq PYTEST
}

# covopt_example_repo DIR: a new repository in DIR holding a copy of
# contrib/example, committed on branch main with fixed dates (test_tick).
# Leftovers of a run in the source tree (caches, coverage data) are not
# copied.
covopt_example_repo () {
	test $# = 1 || BUG "covopt_example_repo takes a directory"
	mkdir -p "$1" &&
	(
		cd "$COVOPT_EXAMPLE_DIR" &&
		tar cf - --exclude=__pycache__ --exclude=.pytest_cache \
			--exclude=.coverage --exclude='.coverage.*' \
			--exclude=junit.xml --exclude=coverage.json .
	) | (cd "$1" && tar xf -) &&
	test_tick &&
	(
		cd "$1" &&
		git init -q -b main &&
		git add . &&
		git commit -q -m "example project"
	)
}

# covopt_run_pytest [PYTEST ARG...]: run the example suite of the current
# repository with coverage per test (contexts) and a JUnit report, leaving
# .coverage and junit.xml at the top of the work tree. Quiet; on a failing
# test, shows pytest's output and fails.
covopt_run_pytest () {
	covopt_pytest_log=$(git rev-parse --absolute-git-dir)/pytest.log &&
	rm -f .coverage junit.xml &&
	if ! "$PYTHON" -m pytest -q -p no:cacheprovider \
		--cov="$COVOPT_EXAMPLE_PACKAGE" --cov-context=test \
		--cov-report= --junitxml=junit.xml "$@" \
		>"$covopt_pytest_log" 2>&1
	then
		echo "covopt_run_pytest: pytest failed:" >&2
		cat "$covopt_pytest_log" >&2
		return 1
	fi &&
	test_path_is_file .coverage &&
	test_path_is_file junit.xml
}

# covopt_pin_costs FILE: every testcase of the JUnit report FILE costs 0.1 s,
# so budgets in tests do not depend on the machine's speed.
covopt_pin_costs () {
	"$PYTHON" - "$1" <<-\EOF
	import sys
	import xml.etree.ElementTree as ET
	tree = ET.parse(sys.argv[1])
	for case in tree.getroot().iter("testcase"):
	    case.set("time", "0.1")
	tree.write(sys.argv[1])
	EOF
}

# covopt_run_selected FILE: run the ids in FILE (one a line) with pytest;
# fails when a test fails, or when FILE is empty.
covopt_run_selected () {
	test -s "$1" &&
	tr "\n" "\0" <"$1" |
	xargs -0 "$PYTHON" -m pytest -q -p no:cacheprovider \
		>"$TRASH_DIRECTORY/pytest.out" 2>&1
}

# covopt_record [RECORD ARG...]: covopt_run_pytest, then record the run with
# "git covopt record --coverage .coverage --junit junit.xml ARG...".
covopt_record () {
	covopt_run_pytest &&
	git covopt record --coverage .coverage --junit junit.xml "$@"
}

# covopt_runner_repo DIR: covopt_example_repo DIR, plus a committed
# .covopt.yml whose pytest runner runs the suite with $PYTHON, quietly,
# without a cache, measuring the example package; then a recorded run.
covopt_runner_repo () {
	covopt_example_repo "$1" &&
	(
		cd "$1" &&
		cat >.covopt.yml <<-EOF &&
		runners:
		  pytest:
		    python_path: $PYTHON
		    coverage_root: $COVOPT_EXAMPLE_PACKAGE
		    collect_options: ["-p", "no:cacheprovider"]
		    execute_options: ["-q", "-p", "no:cacheprovider"]
		EOF
		git add .covopt.yml &&
		test_tick &&
		git commit -q -m "covopt config" &&
		covopt_record -q
	)
}

# covopt_python_repo DIR PYTHON: covopt_example_repo DIR, plus a committed
# .covopt.yml whose pytest runner runs PYTHON (a path, as the config takes
# it), then a recorded run (recorded with $PYTHON).
covopt_python_repo () {
	covopt_example_repo "$1" &&
	printf "runners:\n  pytest:\n    python_path: %s\n" "$2" \
		>"$1/.covopt.yml" &&
	(
		cd "$1" &&
		git add .covopt.yml &&
		test_tick &&
		git commit -q -m "run pytest through $2" &&
		covopt_record -q
	)
}

# edit FILE PYTHON-EXPR: rewrite FILE as the Python expression over its
# text "s" (e.g. 's.replace("a", "b")'); an edit that changes nothing fails.
edit () {
	"$PYTHON" - "$@" <<-\EOF
	import sys
	path, expr = sys.argv[1], sys.argv[2]
	s = open(path).read()
	new = eval(expr)
	if new == s:
	    sys.exit("edit of %s changed nothing" % path)
	open(path, "w").write(new)
	EOF
}

# covopt_recase REV: on a new branch "recase" from REV, commit a change of
# one parametrize case of test_to_grams ("7" becomes "8"), then leave an
# uncommitted change of the units.py code that test runs.
covopt_recase () {
	git checkout -q -b recase "$1" &&
	edit tests/test_units.py \
		's.replace("(\"7\", (7.0, \"g\"))", "(\"8\", (8.0, \"g\"))")' &&
	test_tick &&
	git commit -q -am "test 8, not 7" &&
	edit inventory/units.py \
		's.replace("    unit = unit.strip() or DEFAULT_UNIT\n", "    unit = unit.strip()\n    unit = unit or DEFAULT_UNIT\n")'
}
