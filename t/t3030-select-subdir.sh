#!/bin/sh
# t3030-select-subdir.sh - select from a subdirectory prints ids pytest resolves from there
# (--full-name: top-relative, as --json and run); the pipeline runs exactly the selected tests;
# paths after "--" are relative to the current directory, as git reads pathspecs.

test_description='git covopt select and run from a subdirectory'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

# A pytest plugin writing the node id (top-relative) of each test it runs
# to $RAN, one a line.
test_expect_success 'setup: a recorded project with a deeper test dir' '
	mkdir plugin &&
	cat >plugin/ran.py <<-\EOF &&
	import os


	def pytest_runtest_logreport(report):
	    if report.when == "call":
	        with open(os.environ["RAN"], "a") as f:
	            f.write(report.nodeid + "\n")
	EOF
	covopt_runner_repo repo &&
	(
		cd repo &&
		mkdir tests/deep &&
		cat >tests/deep/test_deep.py <<-\EOF &&
		import pytest

		from inventory import units


		@pytest.mark.parametrize("path", [
		    pytest.param("kg", id="tests/a/b"),
		    pytest.param("g", id="../x::y"),
		])
		def test_deep(path):
		    assert units.to_grams(1, path) > 0
		EOF
		git add tests/deep &&
		test_tick &&
		git commit -q -m "deep tests" &&
		covopt_record -q &&
		edit inventory/units.py "$TO_GRAMS_BODY"
	)
'

test_expect_success 'at the top, ids are top-relative, as with --full-name' '
	(cd repo && git covopt select) >top &&
	(cd repo && git covopt select --full-name) >full &&
	test_cmp top full &&
	grep -x "tests/deep/test_deep.py::test_deep\[tests/a/b\]" top &&
	grep -x "tests/test_units.py::test_convert" top
'

test_expect_success 'below the top, ids are relative to the current directory' '
	(cd repo/tests/deep && git covopt select) >deep &&
	sed -e "s|^tests/deep/||" -e "s|^tests/|../|" top >expect &&
	test_cmp expect deep &&
	grep -x "test_deep.py::test_deep\[tests/a/b\]" deep &&
	grep -x "test_deep.py::test_deep\[../x::y\]" deep &&
	(cd repo/inventory && git covopt select -z) | tr "\0" "\n" >beside &&
	sed "s|^|../|" top >expect &&
	test_cmp expect beside
'

test_expect_success 'below the top, --full-name and --json stay top-relative' '
	(cd repo/tests/deep && git covopt select --full-name) >deep-full &&
	test_cmp top deep-full &&
	(cd repo/tests/deep && git covopt select --json) >json &&
	"$PYTHON" -c "import json, sys; print(\"\n\".join(json.load(open(sys.argv[1]))[\"ats_tests_to_run\"]))" json >json-ids &&
	test_cmp top json-ids
'

test_expect_success 'select --rest below the top: relative ids, file where asked' '
	(cd repo/inventory && git covopt select -t 0.001 --rest=rest) >/dev/null &&
	test_path_is_file repo/inventory/rest &&
	grep "^\.\./tests/test_item\.py::" repo/inventory/rest &&
	! grep "^tests/" repo/inventory/rest
'

test_expect_success 'paths after -- are relative to the current directory' '
	(cd repo && git covopt select -- inventory/units.py) >expect &&
	test -s expect &&
	(cd repo/inventory && git covopt select --full-name -- units.py) >actual &&
	test_cmp expect actual &&
	(cd repo/tests && git covopt select --full-name -- ../inventory) >actual &&
	test_cmp expect actual &&
	(cd repo/tests/deep && git covopt select --full-name -- :/inventory/units.py) >actual &&
	test_cmp expect actual &&
	(cd repo/inventory && git covopt select --full-name -- .) >actual &&
	test_cmp top actual &&
	(cd repo/tests && git covopt select -q -- .) >actual &&
	test_must_be_empty actual &&
	(cd repo && git covopt select -q -- units.py) >actual &&
	test_must_be_empty actual
'

test_expect_success 'run takes paths from the current directory too' '
	(cd repo/inventory && git covopt run --dry-run \
		--dry-run-format=space-separated-list -- units.py) >shell &&
	grep "^TESTS_TO_RUN=.* .tests/test_units.py::test_convert." shell &&
	(cd repo/tests && git covopt run --dry-run \
		--dry-run-format=space-separated-list -- .) >shell &&
	grep -x "TESTS_TO_RUN=.-q. .-p. .no:cacheprovider." shell
'

test_expect_success 'a path outside the work tree is refused, named' '
	(cd repo/inventory && test_expect_code 128 git covopt select -- ../../x) \
		>out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "^fatal: .\.\./\.\./x. is outside the repository" err
'

# pytest resolves path arguments against the current directory.
test_expect_success 'the -z | xargs -0 -r pipeline runs exactly the selection' '
	for dir in tests/deep inventory tests
	do
		rm -f "$TRASH_DIRECTORY/ran" &&
		(
			cd "repo/$dir" &&
			git covopt select -z |
			RAN="$TRASH_DIRECTORY/ran" PYTEST_ADDOPTS="-p ran" \
			PYTHONPATH="$TRASH_DIRECTORY/plugin" \
			xargs -0 -r "$PYTHON" -m pytest -q -p no:cacheprovider \
				>/dev/null
		) &&
		sort top >expect &&
		sort ran >actual &&
		test_cmp expect actual || return 1
	done
'

test_expect_success 'run below the top runs the selection from the top' '
	rm -f ran &&
	(
		cd repo/tests/deep &&
		RAN="$TRASH_DIRECTORY/ran" PYTEST_ADDOPTS="-p ran" \
		PYTHONPATH="$TRASH_DIRECTORY/plugin" \
		git covopt run >/dev/null 2>&1
	) &&
	sort top >expect &&
	sort ran >actual &&
	test_cmp expect actual
'

test_expect_success 'run --dry-run below the top prints top-relative ids' '
	(cd repo/inventory && git covopt run --dry-run \
		--dry-run-format=space-separated-list) >shell &&
	grep "^TESTS_TO_RUN=.* .tests/test_units.py::test_convert." shell &&
	! grep "\.\./tests" shell
'

test_expect_success 'run --rest below the top: the file where asked, top-relative ids' '
	(cd repo/inventory && git covopt run -t 0.001 --rest=run-rest \
		>/dev/null 2>&1) &&
	test_path_is_file repo/inventory/run-rest &&
	grep "^tests/test_item\.py::" repo/inventory/run-rest
'

test_done
