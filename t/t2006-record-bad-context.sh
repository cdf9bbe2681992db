#!/bin/sh
# t2006-record-bad-context.sh - a .coverage whose context table holds a NUL or a 70 KB name (edited with
# the sqlite3 CLI): record refuses it in one line naming the row, escaped, and writes no note.

test_description='record names the bad context row of a .coverage'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

if ! command -v sqlite3 >/dev/null 2>&1
then
	skip_all='no sqlite3 command'
	test_done
fi

test_expect_success 'setup: a recorded run' '
	covopt_example_repo repo &&
	(cd repo && covopt_run_pytest)
'

# bad_context SQL-TEXT: a copy of the run's .coverage, bad.coverage, with
# one more context (row 1000) holding SQL-TEXT.
bad_context () {
	cp repo/.coverage bad.coverage &&
	sqlite3 bad.coverage "INSERT INTO context VALUES(1000, $1)"
}

test_expect_success 'a context with a NUL byte: one line naming the row' '
	bad_context "CAST(X'\''7465737473002f785b1b5b324a5d'\'' AS TEXT)" &&
	test_must_fail git -C repo covopt record --coverage ../bad.coverage \
		--junit junit.xml >out 2>err &&
	test_must_be_empty out &&
	cat >expect <<-EOF &&
	error: cannot read '\''../bad.coverage'\'': corrupt coverage data (context table, row 1000 '\''tests\\000/x[\\033[2J]'\'': holds a NUL byte)
	EOF
	test_cmp expect err &&
	test_must_fail git -C repo rev-parse -q --verify refs/notes/covopt
'

test_expect_success 'a 70 KB context: one line naming the row and its start' '
	bad_context "'\''tests/test_x.py::test_x['\'' || printf('\''%.70000c'\'', '\''y'\'') || '\'']'\''" &&
	test_must_fail git -C repo covopt record --coverage ../bad.coverage \
		--junit junit.xml >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "^error: cannot read .\.\./bad\.coverage.: corrupt coverage data (context table, row 1000 .tests/test_x\.py::test_x\[y*\.\.\..: longer than 65536 bytes)$" err &&
	test_must_fail git -C repo rev-parse -q --verify refs/notes/covopt
'

test_expect_success 'the same run without the bad row records' '
	git -C repo covopt record -q --coverage .coverage --junit junit.xml &&
	git -C repo rev-parse -q --verify refs/notes/covopt
'

test_done
