#!/bin/sh
# t3015-select-terminal.sh - test ids holding ESC[2J, OSC 8 and a newline (recorded from real pytest runs):
# raw and exact through a pipe, escaped on a terminal (script -qc), escaped always on stderr and in show;
# each is recorded once though pytest's JUnit report names it with "#x1B" for ESC.

test_description='untrusted test ids never reach the terminal raw'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

if script -qec true /dev/null </dev/null >/dev/null 2>&1
then
	test_set_prereq SCRIPT
fi

# on_tty CMD: run CMD in the trash directory with a terminal as its stdout
# and stderr (util-linux script), its output in tty-out.
on_tty () {
	script -qec "$1" /dev/null </dev/null >tty-out 2>&1
}

# no_esc FILE...: no raw ESC, BEL, C1 CSI or NEL byte in the files.
no_esc () {
	! LC_ALL=C grep -l "$(printf "[\033\007\233]")" "$@" &&
	! LC_ALL=C grep -l "$(printf "\302[\200-\237]")" "$@"
}

test_expect_success 'setup: ids with ESC[2J, OSC 8 and a newline, recorded' '
	covopt_example_repo repo &&
	(
		cd repo &&
		printf "def double(x):\n    return x * 2\n" >inventory/odd.py &&
		printf "def triple(x):\n    return x * 3\n" >inventory/nl.py &&
		cat >tests/test_esc.py <<-\EOF &&
		import pytest

		from inventory import odd


		@pytest.mark.parametrize("x", [
		    "\x1b[2J", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "\x9b31m",
		    "plain"])
		def test_esc(x):
		    assert odd.double(x) == x + x
		EOF
		cat >tests/test_nl.py <<-\EOF &&
		import pytest

		from inventory import nl


		@pytest.mark.parametrize("x", ["a\nb", "\x1b[31mred"])
		def test_nl(x):
		    assert nl.triple(x) == x + x + x
		EOF
		printf "disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n" >>pytest.ini &&
		git add . &&
		test_tick &&
		git commit -q -m "odd ids" &&
		covopt_record -q &&
		edit inventory/odd.py "s.replace(\"return x * 2\", \"return 2 * x\")"
	)
'

test_expect_success 'the model holds each test pytest collects once' '
	(
		cd repo &&
		"$PYTHON" -m pytest --collect-only -q -p no:cacheprovider
	) >collected &&
	sed -n "s/^\([0-9][0-9]*\) tests collected.*/\1 tests,/p" \
		collected >expect &&
	test_line_count = 1 expect &&
	git -C repo covopt show >shown &&
	sed -n "s/^\([0-9][0-9]*\) tests, .*/\1 tests,/p" shown >actual &&
	test_cmp expect actual
'

test_expect_success 'through a pipe the ids are exactly pytest'\''s' '
	git -C repo covopt select >out &&
	printf "tests/test_esc.py::test_esc[%s]\n" "$(printf "\033[2J")" \
		"$(printf "\033]8;;http://x\007link\033]8;;\007")" \
		"$(printf "\302\23331m")" plain | sort >expect &&
	sort out >actual &&
	test_cmp expect actual
'

test_expect_success SCRIPT 'on a terminal control characters are escaped, git-style' '
	on_tty "git -C repo covopt select" &&
	no_esc tty-out &&
	tr -d "\r" <tty-out | sort >actual &&
	cat >expect-tty <<-\EOF &&
	"tests/test_esc.py::test_esc[\033[2J]"
	"tests/test_esc.py::test_esc[\033]8;;http://x\alink\033]8;;\a]"
	"tests/test_esc.py::test_esc[\302\23331m]"
	tests/test_esc.py::test_esc[plain]
	EOF
	sort expect-tty >expect &&
	test_cmp expect actual
'

test_expect_success '--verbose escapes the ids on stderr, through a pipe too' '
	git -C repo covopt select -v >out 2>err &&
	no_esc err &&
	grep "^  gain .*tests/test_esc.py::test_esc\[\\\\033\[2J\]" err
'

test_expect_success 'JSON carries the ids with \u001b escapes' '
	git -C repo covopt select --json >out &&
	no_esc out &&
	grep "\"tests/test_esc.py::test_esc\[\\\\u001b\[2J\]\"" out
'

test_expect_success 'an id with a newline is refused on a pipe, named escaped' '
	edit repo/inventory/nl.py "s.replace(\"return x * 3\", \"return 3 * x\")" &&
	test_must_fail git -C repo covopt select >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	no_esc err &&
	grep "^error: test id .tests/test_nl.py::test_nl\[a\\\\nb\]. holds a newline: print the ids with -z$" err
'

test_expect_success SCRIPT 'on a terminal the newline id is shown escaped, one line' '
	on_tty "git -C repo covopt select" &&
	no_esc tty-out &&
	tr -d "\r" <tty-out >actual &&
	grep -x "\"tests/test_nl.py::test_nl\[a\\\\nb\]\"" actual &&
	grep -x "\"tests/test_nl.py::test_nl\[\\\\033\[31mred\]\"" actual &&
	test_line_count = 6 actual
'

test_expect_success 'show escapes names from the note on a pipe and on a terminal' '
	(
		cd repo &&
		git checkout -q -- inventory &&
		covopt_record -q --flag "$(printf "x\033[2Jy")"
	) &&
	git -C repo covopt show >out &&
	no_esc out &&
	grep "^flag x\\\\033\[2Jy " out &&
	if test_have_prereq SCRIPT
	then
		on_tty "git -C repo covopt show" &&
		no_esc tty-out &&
		grep "^flag x\\\\033\[2Jy " tty-out
	fi
'

test_done
