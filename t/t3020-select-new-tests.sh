#!/bin/sh
# t3020-select-new-tests.sh - "git covopt select" with a model of an ancestor: tests added since
# its commit are new, tests deleted since are gone; untracked test files of the work tree are new.

test_description='git covopt select: tests the model cannot know'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

# run_selected FILE: run the NUL-terminated ids in FILE with pytest, which
# must know each of them and pass.
run_selected () {
	test -s "$1" &&
	xargs -0 "$PYTHON" -m pytest -q -p no:cacheprovider <"$1" \
		>"$TRASH_DIRECTORY/pytest.out" 2>&1 ||
	{ cat "$TRASH_DIRECTORY/pytest.out"; return 1; }
}

test_expect_success 'setup: a model on A; B adds tests and deletes one' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_record -q &&
		git tag A &&
		cat >>tests/test_units.py <<-\PY &&


		def test_to_grams_default_unit():
		    assert units.to_grams(5) == 5
		PY
		"$PYTHON" - <<-\PY &&
		path = "tests/test_units.py"
		s = open(path).read()
		start = s.index("def test_convert():")
		end = s.index("@pytest.mark.parametrize", start)
		open(path, "w").write(s[:start] + s[end:])
		PY
		cat >tests/test_added.py <<-\PY &&
		import pytest

		from inventory import units


		@pytest.mark.parametrize("unit", ["kg", "lb oz"])
		def test_factor_known(unit):
		    assert units.factor(unit.split()[0]) > 0


		class TestAdded:
		    def test_grams(self):
		        assert units.to_grams(1, "kg") == 1000
		PY
		git add tests &&
		test_tick &&
		git commit -q -m "B: add tests, delete test_convert" &&
		git tag B
	)
'

cat >expect-new <<\EOF
tests/test_added.py::TestAdded::test_grams
tests/test_added.py::test_factor_known
tests/test_units.py::test_to_grams_default_unit
EOF

test_expect_success 'the model of A reaches test_convert through to_grams' '
	git -C repo covopt show --json >model.json &&
	"$PYTHON" - model.json <<-\EOF
	import json, sys
	tests = json.load(open(sys.argv[1]))["tests"]
	convert = [t for t in tests if t["id"] == "tests/test_units.py::test_convert"]
	assert any(f["feature"] == "inventory/units.py::to_grams"
	           for f in convert[0]["features"])
	EOF
'

test_expect_success 'select B: the tests B added are new, the one it deleted is gone' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select -v --rest ../rest B >../selected 2>../err &&
		git covopt select -z B >../selected.z
	) &&
	! grep "test_convert" rest &&
	grep "tests/test_units.py::test_unknown_unit" rest &&
	grep "1 commit before the base" err &&
	grep -x "3 tests added since the model.s commit" err &&
	sed -n "s/.*  \([^ ]*\) (new)\$/\1/p" err | sort >new &&
	test_cmp expect-new new &&
	! grep "test_convert" selected &&
	grep -x "tests/test_units.py::test_to_grams\[kg to g\]" selected &&
	(cd repo && run_selected ../selected.z)
'

test_expect_success 'select HEAD~1 on a commit C: the same new tests, test_convert still gone' '
	(
		cd repo &&
		git checkout -q -b c B &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		test_tick &&
		git commit -q -am "C: change to_grams" &&
		git covopt select -v HEAD~1 >../selected-c 2>../err-c &&
		git covopt select HEAD~1 HEAD >../selected-c2
	) &&
	grep -x "3 tests added since the model.s commit" err-c &&
	for id in $(cat expect-new)
	do
		grep -x "$id" selected-c || return 1
	done &&
	! grep "test_convert" selected-c &&
	test_cmp selected-c selected-c2
'

test_expect_success 'a model on the base itself: no line about tests added since' '
	git -C repo covopt select -v A >/dev/null 2>err-a &&
	grep "^model: " err-a &&
	! grep "added since" err-a
'

test_expect_success 'a test file deleted after the model: its tests are not printed' '
	(
		cd repo &&
		git checkout -q -b gone A &&
		git rm -q tests/test_units.py &&
		test_tick &&
		git commit -q -m "delete test_units.py" &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select -v --rest ../rest-gone >../selected-gone \
			2>../err-gone &&
		git checkout -q .
	) &&
	grep -x "0 tests added since the model.s commit" err-gone &&
	! grep "test_units.py" selected-gone &&
	! grep "test_units.py" rest-gone &&
	grep "tests/test_item.py" rest-gone &&
	grep "tests/test_item.py" selected-gone
'

test_expect_success 'cases of a parametrized test changed after the model: the function id runs them' '
	(
		cd repo &&
		covopt_recase A &&
		git covopt select -v >../selected-recase 2>../err-recase &&
		git covopt select -z >../selected-recase.z &&
		run_selected ../selected-recase.z &&
		git checkout -q .
	) &&
	grep -x "tests/test_units.py::test_parse_weight" selected-recase &&
	! grep "test_parse_weight\[" selected-recase &&
	grep "changed since the model.s commit, run whole: tests/test_units.py::test_parse_weight" err-recase
'
test_expect_success 'untracked test files: new in the work tree, not with --cached, unless ignored or where pytest does not look' '
	test_when_finished "git -C repo clean -q -f -d -x tests build env" &&
	(
		cd repo &&
		git checkout -q c &&
		mkdir tests/sub &&
		for f in test_untracked sub/test_deep test_ignored helper_untracked
		do
			printf "def test_%s():\n    assert True\n" "${f#*/}" \
				>tests/$f.py || return 1
		done &&
		echo tests/test_ignored.py >>.git/info/exclude &&
		mkdir -p build/lib/tests env/tests &&
		printf "def test_b():\n    pass\n" >build/lib/tests/test_b.py &&
		printf "def test_e():\n    pass\n" >env/tests/test_e.py &&
		>env/pyvenv.cfg &&
		git covopt select -v >../selected-u 2>../err-u &&
		git covopt select -z >../selected-u.z &&
		git covopt select --cached >../selected-cached &&
		git covopt select -- inventory >../selected-pathspec &&
		run_selected ../selected-u.z
	) &&
	grep -x "2 tests in untracked files" err-u &&
	grep -x "tests/test_untracked.py::test_test_untracked" selected-u &&
	grep -x "tests/sub/test_deep.py::test_test_deep" selected-u &&
	! grep "test_ignored\|helper_untracked\|build/\|env/" selected-u &&
	! grep "untracked\|deep" selected-cached &&
	! grep "untracked\|deep" selected-pathspec &&
	grep -x "tests/test_added.py::test_factor_known" selected-cached &&
	grep -x "tests/test_added.py::test_factor_known" selected-pathspec
'

test_done
