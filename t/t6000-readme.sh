#!/bin/sh
# t6000-readme.sh - the README's "Using it" followed literally in a fresh repository of contrib/example,
# with a python3 first on PATH that lacks pytest: each command is read from README, so a change there shows;
# the pipeline from tests/ too, and Quick start's packages against .ci/run's.

test_description='the README, command by command'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

README=$COVOPT_SOURCE_DIR/README
TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'
COMMENT_ONLY='s.replace("    return amount * factor(unit)\n", "    # the amount in grams\n    return amount * factor(unit)\n")'

# readme_commands: the indented lines of README's "Using it" section, without
# their leading blanks and trailing comments ("  # ...").
readme_commands () {
	sed -n "/^Using it$/,/^Sharing models$/p" "$README" |
	sed -n "s/^    *//p" |
	sed "s/  *# .*$//"
}

# readme_cmd REGEX: the one command of readme_commands that REGEX matches
# whole; fails (saying so) unless there is exactly one.
readme_cmd () {
	readme_commands | grep -x -- "$1" >"$TRASH_DIRECTORY/readme-cmd" &&
	test_line_count = 1 "$TRASH_DIRECTORY/readme-cmd" &&
	cat "$TRASH_DIRECTORY/readme-cmd"
}

# run_readme REGEX [SED]: run that command as README writes it (through
# SED first, for the project's names), in the current directory.
run_readme () {
	readme_cmd "$1" >"$TRASH_DIRECTORY/readme-line" &&
	readme_line=$(sed "${2:-}" "$TRASH_DIRECTORY/readme-line") &&
	echo "README: $readme_line" >&2 &&
	eval "$readme_line"
}

test_expect_success 'setup: the example project, a python3 and a python without pytest first on PATH' '
	covopt_example_repo repo &&
	mkdir fakebin &&
	for name in python3 python
	do
		write_script fakebin/$name <<-EOF || return 1
		exec "$PYTHON" -S "\$@"
		EOF
	done &&
	PATH=$TRASH_DIRECTORY/fakebin:$PATH &&
	export PATH &&
	test_must_fail python3 -m pytest --version 2>err &&
	grep "No module named pytest" err
'

test_expect_success 'README names the interpreter as a variable; the test sets it' '
	readme_cmd "PYTHON=python3" &&
	test "$PYTHON" != python3
'

test_expect_success 'step 1: a full run, recorded, shown' '
	(
		cd repo &&
		run_readme "\$PYTHON -m pytest --cov=mypkg .*" s/mypkg/inventory/ >../pytest.out &&
		run_readme "git covopt record .*" 2>../record.err &&
		run_readme "git covopt show" >../show.out
	) &&
	grep " passed" pytest.out &&
	! grep " failed" pytest.out &&
	grep "^recorded 26 tests" record.err &&
	test -s show.out
'

test_expect_success 'step 2: a changed function: select, and the pipeline runs its tests' '
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		run_readme "git covopt select" >../select.out &&
		run_readme "git covopt select .* -z | xargs -0 -r \$PYTHON -m pytest" >../pipe.out
	) &&
	grep "^tests/test_units.py::test_to_grams\[kg to g\]$" select.out &&
	grep " passed" pipe.out &&
	! grep -e " failed" -e "no tests ran" pipe.out
'

# A pytest plugin writing the node id (top-relative) of each test it runs
# to $RAN, one a line.
test_expect_success 'step 2 from tests/: the pipeline runs exactly the selection' '
	mkdir plugin &&
	cat >plugin/ran.py <<-\EOF &&
	import os


	def pytest_runtest_logreport(report):
	    if report.when == "call":
	        with open(os.environ["RAN"], "a") as f:
	            f.write(report.nodeid + "\n")
	EOF
	(
		cd repo &&
		git covopt select -t 10 >../top.out &&
		cd tests &&
		RAN="$TRASH_DIRECTORY/ran" PYTEST_ADDOPTS="-p ran" \
		PYTHONPATH="$TRASH_DIRECTORY/plugin" \
		run_readme "git covopt select .* -z | xargs -0 -r \$PYTHON -m pytest" >../../sub-pipe.out
	) &&
	test -s top.out &&
	sort top.out >expect &&
	sort ran >actual &&
	test_cmp expect actual
'

test_expect_success 'step 3: run finds a Python with pytest by itself' '
	(
		cd repo &&
		run_readme "git covopt run -t 10" >../run.out 2>../run.err
	) &&
	grep " passed" run.out &&
	grep "^selected [1-9][0-9]* of 26 tests, est\. " run.err
'

test_expect_success 'a comment-only change: the pipeline and run run nothing' '
	(
		cd repo &&
		git checkout -q . &&
		edit inventory/units.py "$COMMENT_ONLY" &&
		run_readme "git covopt select .* -z | xargs -0 -r \$PYTHON -m pytest" >../pipe.out 2>../pipe.err &&
		run_readme "git covopt run -t 10" >../run.out 2>../run.err
	) &&
	test_must_be_empty pipe.out &&
	test_must_be_empty run.out &&
	grep "no test to run" run.err
'

test_expect_success 'every pipeline of README and the manual runs nothing on nothing' '
	grep -h "| *xargs" "$README" "$COVOPT_SOURCE_DIR"/Documentation/*.txt >pipes &&
	test_line_count -gt 2 pipes &&
	! grep -v -e "-z | xargs -0 -r " -e "| xargs -d .\\\\n. -r " pipes
'

# quick_start_packages: the packages README'\''s Quick start installs, one a line.
quick_start_packages () {
	sed -n "/^Quick start$/,/^Using it$/s/.*apt-get install -y \([^&]*\)&&.*/\1/p" "$README" |
	tr " " "\n" | sed "/^$/d" | sort -u
}

test_expect_success 'Quick start installs only packages .ci/run installs; README names the rest' '
	quick_start_packages >quick &&
	test_line_count -gt 10 quick &&
	grep -x libgit2-dev quick &&
	sed -n "/^packages=\"/,/\"$/p" "$COVOPT_SOURCE_DIR/.ci/run" |
	sed -e "s/^packages=\"//" -e "s/\"$//" | tr " \t" "\n\n" |
	sed "/^$/d" | sort -u >ci &&
	grep -x pre-commit ci &&
	comm -23 quick ci >not-in-ci &&
	test_must_be_empty not-in-ci &&
	sed -n "/^Quick start$/,/^Using it$/p" "$README" |
	tr -s " \n" "\n\n" | sed "s/[,.():]*$//" | sort -u >quick-words &&
	comm -23 ci quick >ci-only &&
	comm -23 ci-only quick-words >unexplained &&
	test_must_be_empty unexplained
'

test_done
