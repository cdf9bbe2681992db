#!/bin/sh
# t2001-record-errors.sh - bad inputs to "git covopt record": one line naming the input, a non-zero
# exit, and refs/notes/covopt exactly as it was.

test_description='git covopt record refuses bad input and changes nothing'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# refuse WHAT ARG...: record ARG... must fail with one stderr line that
# matches WHAT, print nothing on stdout and leave the notes ref unchanged.
refuse () {
	refuse_what=$1
	shift
	git rev-parse -q --verify refs/notes/covopt >ref.before || : &&
	test_must_fail git covopt record "$@" >out 2>err &&
	git rev-parse -q --verify refs/notes/covopt >ref.after || : &&
	test_cmp ref.before ref.after &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep -e "$refuse_what" err
}

test_expect_success 'setup: a run of the example suite, one model recorded' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_record -q &&
		cp .coverage ../good.coverage &&
		cp junit.xml ../good.xml
	)
'

test_expect_success 'a missing coverage file' '
	(cd repo && refuse "cannot open .no-such.coverage." --coverage no-such.coverage)
'

test_expect_success 'a file that is not SQLite' '
	(
		cd repo &&
		echo "hello" >text.coverage &&
		refuse "text.coverage. is not a coverage data file" --coverage text.coverage
	)
'

test_expect_success 'a .coverage recorded without test contexts' '
	(
		cd repo &&
		rm -f .coverage &&
		"$PYTHON" -m pytest -q -p no:cacheprovider --cov=inventory \
			--cov-report= >/dev/null 2>&1 &&
		mv .coverage plain.coverage &&
		refuse "plain.coverage. has no test contexts.*--cov-context=test" \
			--coverage plain.coverage
	)
'

test_expect_success 'a truncated JUnit report' '
	(
		cd repo &&
		head -c 300 ../good.xml >short.xml &&
		refuse "cannot parse .short.xml. line" --coverage ../good.coverage --junit short.xml
	)
'

test_expect_success 'a garbage JUnit report' '
	(
		cd repo &&
		printf "\001\002 not xml at all" >garbage.xml &&
		refuse "cannot parse .garbage.xml. line 1" --coverage ../good.coverage --junit garbage.xml
	)
'

test_expect_success 'a missing JUnit report' '
	(cd repo && refuse "cannot open .nope.xml." --coverage ../good.coverage --junit nope.xml)
'

test_expect_success 'a revision that does not exist' '
	(cd repo && refuse "bad revision .no-such-rev." --coverage ../good.coverage --commit no-such-rev)
'

test_expect_success 'a corrupt existing note is named, with its remedy, and replaced' '
	(
		cd repo &&
		git notes --ref=covopt add -f -m "not a model" HEAD &&
		git notes --ref=covopt show HEAD >../note.before &&
		git covopt record -q --coverage ../good.coverage \
			--junit ../good.xml 2>../err &&
		git notes --ref=covopt show HEAD >../note.after &&
		git covopt show >/dev/null 2>../err.show
	) &&
	test_line_count = 1 err &&
	grep "^warning: note for commit $(git -C repo rev-parse HEAD) in .refs/notes/covopt.: .*; skipped it: remove it with .git covopt gc. or .git notes --ref=refs/notes/covopt remove $(git -C repo rev-parse HEAD).$" err &&
	test_must_be_empty err.show &&
	! test_cmp note.before note.after
'

test_expect_success 'a bad flag name' '
	(
		cd repo &&
		test_expect_code 129 git covopt record --flag "a b" 2>err &&
		grep "bad flag name" err
	)
'

test_done
