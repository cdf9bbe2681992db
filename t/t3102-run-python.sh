#!/bin/sh
# t3102-run-python.sh - which Python "git covopt run" runs pytest with: python_path when set (file or
# git config), else the first of python3, python, /usr/bin/python3 that runs pytest; one error if none.

test_description='git covopt run finds an interpreter that has pytest'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

test -x /usr/bin/python3 &&
/usr/bin/python3 -m pytest --version >/dev/null 2>&1 &&
test_set_prereq USR_BIN_PYTEST

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

# fake_python NAME WORKS: an interpreter NAME first on PATH that logs each
# call to python.log; WORKS=no runs Python without site packages, as a
# Python built without pytest would ("No module named pytest").
fake_python () {
	if test "$2" = yes
	then
		flags=
	else
		flags=-S
	fi &&
	write_script "fakebin/$1" <<-EOF
	echo "$1 \$*" >>"$TRASH_DIRECTORY/python.log"
	exec "$PYTHON" $flags "\$@"
	EOF
}

test_expect_success 'setup: a recorded example project without .covopt.yml, a change' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_record -q &&
		edit inventory/units.py "$TO_GRAMS_BODY"
	) &&
	mkdir fakebin &&
	fake_python python3 no &&
	fake_python python no
'

test_expect_success USR_BIN_PYTEST 'python3 and python without pytest: run uses /usr/bin/python3' '
	rm -f python.log &&
	(
		cd repo &&
		PATH=$TRASH_DIRECTORY/fakebin:$PATH git covopt run >../out 2>../err
	) &&
	grep " passed" out &&
	! grep "No module named" err &&
	cat >expect <<-\EOF &&
	python3 -m pytest --version
	python -m pytest --version
	EOF
	test_cmp expect python.log
'

test_expect_success 'the first that runs pytest is used, probed once' '
	test_when_finished "fake_python python no" &&
	fake_python python yes &&
	rm -f python.log &&
	(
		cd repo &&
		PATH=$TRASH_DIRECTORY/fakebin:$PATH git covopt run >../out 2>../err
	) &&
	grep " passed" out &&
	grep -c "^python3 " python.log >count &&
	echo 1 >expect &&
	test_cmp expect count &&
	grep "^python -m pytest --version$" python.log >probes &&
	test_line_count = 1 probes &&
	grep "^python -m pytest -q --collect-only" python.log &&
	grep "^python -m pytest -- tests/" python.log
'

test_expect_success 'select and a run with nothing to run start no Python' '
	rm -f python.log &&
	(
		cd repo &&
		PATH=$TRASH_DIRECTORY/fakebin:$PATH &&
		export PATH &&
		git covopt select >../out &&
		git stash -q &&
		git covopt run 2>../err &&
		git stash pop -q
	) &&
	test -s out &&
	grep "no test to run" err &&
	test_path_is_missing python.log
'

test_expect_success 'none runs pytest: one error naming what was tried and the keys' '
	mkdir broken &&
	echo "raise SystemExit(1)" >broken/pytest.py &&
	(
		cd repo &&
		PATH=$TRASH_DIRECTORY/fakebin:$PATH &&
		PYTHONPATH=$TRASH_DIRECTORY/broken &&
		export PATH PYTHONPATH &&
		test_must_fail git covopt run >../out 2>../err
	) &&
	cat >expect <<-\EOF &&
	error: no Python that runs pytest: tried '\''python3'\'', '\''python'\'', '\''/usr/bin/python3'\''; set '\''runners.pytest.python_path'\'' in .covopt.yml or git config covopt.pythonPath
	EOF
	test_cmp expect err &&
	test_must_be_empty out
'

test_expect_success 'git config covopt.pythonPath is used as is' '
	test_when_finished "git -C repo config --unset covopt.pythonPath" &&
	fake_python mypython yes &&
	git -C repo config covopt.pythonPath "$TRASH_DIRECTORY/fakebin/mypython" &&
	rm -f python.log &&
	(
		cd repo &&
		PATH=$TRASH_DIRECTORY/fakebin:$PATH git covopt run >../out 2>../err
	) &&
	grep " passed" out &&
	! grep -v "^mypython " python.log &&
	! grep -- "--version" python.log
'

test_expect_success '.covopt.yml python_path is used; a broken one fails as such' '
	test_when_finished "rm -f repo/.covopt.yml" &&
	cat >repo/.covopt.yml <<-EOF &&
	runners:
	  pytest:
	    python_path: $TRASH_DIRECTORY/fakebin/python3
	EOF
	rm -f python.log &&
	(
		cd repo &&
		test_must_fail git covopt run >../out 2>../err
	) &&
	grep "No module named pytest" err &&
	grep "runner '\''pytest'\'' failed to collect tests" err &&
	! grep -- "--version" python.log
'

test_done
