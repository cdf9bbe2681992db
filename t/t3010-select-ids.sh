#!/bin/sh
# t3010-select-ids.sh - test ids with blanks, quotes, $(...) and brackets reach pytest intact
# through select (lines, -z) and run --dry-run-format=space-separated-list; nothing is executed.

test_description='git covopt select and run print ids exactly as pytest names them'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# junit_names REPORT: "classname::name" of each test case of a JUnit
# report, sorted, one a line.
junit_names () {
	"$PYTHON" - "$1" <<-\EOF
	import sys
	import xml.etree.ElementTree as ET
	cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
	print("\n".join(sorted(c.get("classname") + "::" + c.get("name")
	                       for c in cases)))
	EOF
}

# A function only tests/test_odd.py's test_odd reaches, and ids pytest
# prints as they are but a shell or plain xargs would split or run; a test
# defined twice (Python keeps the second).
test_expect_success 'setup: tests with odd ids, recorded' '
	covopt_example_repo repo &&
	(
		cd repo &&
		cat >inventory/odd.py <<-\EOF &&
		def double(x):
		    return x * 2
		EOF
		cat >tests/test_odd.py <<-\EOF &&
		import pytest

		from inventory import odd


		@pytest.mark.parametrize("x", [
		    pytest.param(1, id="a b"),
		    pytest.param(2, id="it'"'"'s"),
		    pytest.param(3, id="say \"hi\""),
		    pytest.param(4, id="$(touch pwned)"),
		    pytest.param(5, id="[x] `touch pwned`"),
		    pytest.param(6, id="back\\slash"),
		    pytest.param(7, id="x|y"),
		])
		def test_odd(x):
		    assert odd.double(x) == x + x


		@pytest.mark.parametrize("word", ["c d", "e'"'"'f"])
		def test_other(word):
		    assert word
		EOF
		cat >tests/test_twice.py <<-\EOF &&
		def test_twice():
		    assert 1 > 2


		def test_twice():
		    assert 2 > 1
		EOF
		cat >.covopt.yml <<-EOF &&
		runners:
		  pytest:
		    python_path: $PYTHON
		    coverage_root: inventory
		    collect_options: ["-p", "no:cacheprovider"]
		    execute_options: ["-q", "-p", "no:cacheprovider"]
		EOF
		git add . &&
		test_tick &&
		git commit -q -m "odd ids" &&
		covopt_record -q &&
		"$PYTHON" -m pytest --collect-only -q -p no:cacheprovider \
			tests/test_odd.py >../collected &&
		edit inventory/odd.py "s.replace(\"return x * 2\", \"y = x * 2\n    return y\")"
	) &&
	grep "::test_odd\[" collected | sort >expect &&
	test_line_count = 7 expect &&
	grep -Fx "tests/test_odd.py::test_odd[\$(touch pwned)]" expect
'

test_expect_success 'select prints the ids byte for byte as pytest --collect-only -q' '
	git -C repo covopt select >lines &&
	sort lines >actual &&
	test_cmp expect actual
'

test_expect_success 'select -z | xargs -0 -r pytest runs exactly those tests' '
	git -C repo covopt select -z >nul &&
	tr "\0" "\n" <nul >nul-lines &&
	test_cmp lines nul-lines &&
	(
		cd repo &&
		git covopt select -z |
		xargs -0 -r "$PYTHON" -m pytest -q -p no:cacheprovider \
			--junitxml=../run.xml >../pytest.out 2>&1
	) &&
	test_path_is_missing pwned &&
	test_path_is_missing repo/pwned &&
	grep "7 passed" pytest.out &&
	junit_names run.xml >ran &&
	sed -e "s|^tests/test_odd.py::|tests.test_odd::|" expect >expect-junit &&
	test_cmp expect-junit ran
'

test_expect_success 'the same with GNU xargs -d "\n" on the plain lines' '
	(
		cd repo &&
		git covopt select |
		xargs -d "\n" -r "$PYTHON" -m pytest -q -p no:cacheprovider \
			--junitxml=../run-lines.xml >../pytest.out 2>&1
	) &&
	test_path_is_missing repo/pwned &&
	junit_names run-lines.xml >ran-lines &&
	test_cmp expect-junit ran-lines
'

# args NAME FILE: the words of the line NAME=... of FILE, one a line, as
# eval "set -- ${line#NAME=}" gives them back.
args () {
	line=$(grep "^$1=" "$2") &&
	eval "set -- ${line#"$1="}" &&
	for word
	do
		printf "%s\n" "$word"
	done
}

test_expect_success 'run --dry-run-format=space-separated-list: eval gives back every id' '
	(
		cd repo &&
		git covopt run --dry-run --dry-run-format=space-separated-list \
			>../ssl
	) &&
	test_line_count = 2 ssl &&
	grep "^TESTS_TO_RUN='\''-q'\'' '\''-p'\'' '\''no:cacheprovider'\'' '\''tests/" ssl &&
	args TESTS_TO_RUN ssl >run-words &&
	args TESTS_TO_SKIP ssl >skip-words &&
	test_path_is_missing pwned &&
	test_path_is_missing repo/pwned &&
	printf "%s\n" -q -p no:cacheprovider >options &&
	head -n 3 run-words >run-options &&
	test_cmp options run-options &&
	tail -n +4 run-words >run-ids &&
	test_cmp lines run-ids &&
	head -n 3 skip-words >skip-options &&
	test_cmp options skip-options &&
	grep -Fx "tests/test_odd.py::test_other[e'\''f]" skip-words &&
	tail -n +4 skip-words >skip-ids &&
	git -C repo covopt select --json >select.json &&
	"$PYTHON" -c "import json; print(\"\n\".join(json.load(open(\"select.json\"))[\"ats_tests_to_skip\"]))" >expect-skip &&
	test_cmp expect-skip skip-ids
'

test_expect_success 'run executes the ids through argv' '
	(
		cd repo &&
		git covopt run >../run.out 2>&1
	) &&
	grep "7 passed" run.out &&
	test_path_is_missing repo/pwned
'

test_expect_success 'a comment-only change selects nothing' '
	(
		cd repo &&
		git checkout -q inventory/odd.py &&
		edit inventory/odd.py "s.replace(\"return x * 2\", \"return x * 2  # twice\")" &&
		git covopt select >../none &&
		git covopt run --dry-run --dry-run-format=space-separated-list \
			>../none-ssl
	) &&
	test_must_be_empty none &&
	args TESTS_TO_RUN none-ssl >none-words &&
	test_cmp options none-words
'

test_expect_success 'a test defined twice is selected by the one id pytest knows' '
	test_when_finished "git -C repo checkout -q tests/test_twice.py" &&
	(
		cd repo &&
		edit tests/test_twice.py "s.replace(\"assert 2 > 1\", \"assert 3 > 1\")" &&
		git covopt select >../twice &&
		"$PYTHON" -m pytest --collect-only -q -p no:cacheprovider \
			tests/test_twice.py >../twice-collected
	) &&
	grep "::" twice-collected >expect-twice &&
	test_line_count = 1 expect-twice &&
	test_cmp expect-twice twice
'

# pytest writes a newline in an id as "\n", unless the values themselves
# give the id and escaping is turned off: then the id holds the newline.
test_expect_success 'an id with a newline: refused one a line, printed with -z' '
	covopt_example_repo nl &&
	(
		cd nl &&
		cp ../repo/inventory/odd.py inventory/ &&
		cat >tests/test_nl.py <<-\EOF &&
		import pytest

		from inventory import odd


		@pytest.mark.parametrize("x", ["a\nb", "plain"])
		def test_nl(x):
		    assert odd.double(x) == x + x
		EOF
		printf "disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n" >>pytest.ini &&
		git add . &&
		test_tick &&
		git commit -q -m "an id with a newline" &&
		covopt_record -q &&
		edit inventory/odd.py "s.replace(\"return x * 2\", \"return 2 * x\")" &&
		test_must_fail git covopt select >../nl-out 2>../nl-err &&
		git covopt select -z >../nl-nul &&
		xargs -0 -r "$PYTHON" -m pytest -q -p no:cacheprovider \
			--junitxml=../nl.xml <../nl-nul >../pytest.out 2>&1
	) &&
	test_must_be_empty nl-out &&
	printf "%s\n" "error: test id '\''tests/test_nl.py::test_nl[a\\nb]'\'' holds a newline: print the ids with -z" >expect-err &&
	test_cmp expect-err nl-err &&
	printf "tests/test_nl.py::test_nl[a\nb]\0tests/test_nl.py::test_nl[plain]\0" >expect-nul &&
	"$PYTHON" -c "import sys; sys.exit(sorted(open(\"nl-nul\").read().split(\"\\0\")) != sorted(open(\"expect-nul\").read().split(\"\\0\")))" &&
	grep "2 passed" pytest.out
'

test_done
