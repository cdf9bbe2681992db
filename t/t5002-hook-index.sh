#!/bin/sh
# t5002-hook-index.sh - the pre-commit hook tests what is committed: the index, never the unstaged edits.
# Real git commit and pytest; the test run is also interrupted (SIGINT, SIGTERM, SIGKILL) mid-test.

test_description='git covopt hook: with unstaged edits the tests run on a checkout of the index'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

BREAK_FACTOR='s.replace("        return GRAMS_PER_UNIT[unit]\n", "        return GRAMS_PER_UNIT[unit] + 1\n")'
FIX_FACTOR='s.replace("        return GRAMS_PER_UNIT[unit] + 1\n", "        return GRAMS_PER_UNIT[unit]\n")'
TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

# The checkouts of the index go here, so that a leftover is seen.
TMPDIR=$TRASH_DIRECTORY/tmp
export TMPDIR

# commit_is_refused MESSAGE: "git commit" in repo fails and HEAD stays.
commit_is_refused () {
	git -C repo rev-parse HEAD >head-before &&
	test_must_fail git -C repo commit -q -m "$1" >commit.out 2>&1 &&
	git -C repo rev-parse HEAD >head-after &&
	test_cmp head-before head-after
}

# commit_goes_through MESSAGE: "git commit" in repo succeeds.
commit_goes_through () {
	git -C repo rev-parse HEAD >head-before &&
	test_tick &&
	git -C repo commit -q -m "$1" >commit.out 2>&1 &&
	git -C repo rev-parse HEAD~1 >parent &&
	test_cmp head-before parent
}

# no_checkout_left: every checkout of the index was removed.
no_checkout_left () {
	ls "$TMPDIR" >left &&
	test_must_be_empty left
}

test_expect_success 'setup: a recorded project; its interpreter, ignored, logs where it runs' '
	mkdir "$TMPDIR" &&
	covopt_python_repo repo bin/python-log &&
	mkdir repo/bin &&
	echo "/bin/" >>repo/.git/info/exclude &&
	write_script repo/bin/python-log <<-EOF &&
	pwd >>"$TRASH_DIRECTORY/where.log"
	exec "$PYTHON" "\$@"
	EOF
	(
		cd repo &&
		git covopt hook install -q 2>../err &&
		test_must_be_empty ../err &&
		git status --porcelain >../status &&
		test_must_be_empty ../status
	)
'

test_expect_success 'a clean work tree: the tests run in it' '
	test_when_finished "git -C repo reset -q --hard" &&
	: >"$TRASH_DIRECTORY/where.log" &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	git -C repo add inventory/units.py &&
	commit_is_refused "break factor" &&
	grep "[1-9][0-9]* failed" commit.out &&
	! grep "testing the index" commit.out &&
	sort -u where.log >where &&
	echo "$TRASH_DIRECTORY/repo" >expect &&
	test_cmp expect where
'

test_expect_success 'broken change staged, its fix unstaged: refused, the fix kept' '
	test_when_finished "git -C repo reset -q --hard" &&
	: >"$TRASH_DIRECTORY/where.log" &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	git -C repo add inventory/units.py &&
	edit repo/inventory/units.py "$FIX_FACTOR" &&
	printf "# unstaged\r\n# no newline at the end" >>repo/inventory/units.py &&
	cp repo/inventory/units.py fixed-copy &&
	git -C repo diff --cached >staged-before &&
	commit_is_refused "break factor, fix not staged" &&
	grep "testing the index in .$TMPDIR/git-covopt-index-" commit.out &&
	grep "[1-9][0-9]* failed" commit.out &&
	cmp fixed-copy repo/inventory/units.py &&
	git -C repo diff --cached >staged-after &&
	test_cmp staged-before staged-after &&
	! grep -v "^$TMPDIR/git-covopt-index-" where.log &&
	no_checkout_left
'

test_expect_success 'fixed change staged, a breaking edit unstaged: the commit goes through' '
	edit repo/inventory/units.py "$TO_GRAMS_BODY" &&
	git -C repo add inventory/units.py &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	cp repo/inventory/units.py broken-copy &&
	commit_goes_through "to_grams: name the result" &&
	grep "testing the index in" commit.out &&
	cmp broken-copy repo/inventory/units.py &&
	git -C repo show HEAD:inventory/units.py >committed &&
	grep "    grams = amount \* factor(unit)" committed &&
	! grep "GRAMS_PER_UNIT\[unit\] + 1" committed &&
	git -C repo diff --name-only >unstaged &&
	echo inventory/units.py >expect &&
	test_cmp expect unstaged &&
	no_checkout_left &&
	git -C repo checkout -q -- inventory/units.py
'

test_expect_success 'untracked files are not tested: a failing test file, a conftest.py' '
	test_when_finished "rm -f repo/tests/test_wip.py repo/conftest.py" &&
	cat >repo/tests/test_wip.py <<-\EOF &&
	def test_unfinished():
	    assert False
	EOF
	cat >repo/conftest.py <<-\EOF &&
	import pytest

	@pytest.fixture(autouse=True)
	def broken_everywhere():
	    raise RuntimeError("untracked conftest")
	EOF
	edit repo/inventory/units.py "s.replace(\"    grams = amount\", \"    # in grams\n    grams = amount\")" &&
	cat >>repo/tests/test_units.py <<-\EOF &&


	def test_kilo():
	    assert units.to_grams(1, "kg") == 1000
	EOF
	git -C repo add inventory/units.py tests/test_units.py &&
	commit_goes_through "a new test of to_grams" &&
	grep "testing the index in" commit.out &&
	grep "passed" commit.out &&
	! grep "test_unfinished\|untracked conftest" commit.out &&
	test_path_is_file repo/tests/test_wip.py &&
	no_checkout_left
'

test_expect_success 'run --cached in a clean work tree runs there; --dry-run never checks out' '
	: >"$TRASH_DIRECTORY/where.log" &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	git -C repo add inventory/units.py &&
	test_must_fail git -C repo covopt run --cached >out 2>err &&
	! grep "testing the index" err &&
	edit repo/inventory/units.py "$FIX_FACTOR" &&
	git -C repo covopt run --cached --dry-run >out 2>err &&
	! grep "testing the index" err &&
	grep "tests/test_units.py::" out &&
	test_must_fail git -C repo covopt run --cached >out 2>err &&
	grep "testing the index" err &&
	git -C repo reset -q --hard
'

test_expect_success 'a submodule: the checkout reaches its files, and they stay' '
	git init -q lib &&
	echo 1000 >lib/grams.txt &&
	git -C lib add grams.txt &&
	test_tick &&
	git -C lib commit -q -m "a kilogram" &&
	git -C repo -c protocol.file.allow=always submodule add -q \
		"$TRASH_DIRECTORY/lib" vendor/lib &&
	commit_goes_through "vendor lib" &&
	cat >repo/tests/test_vendor.py <<-\EOF &&
	import os

	def test_vendor_grams():
	    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
	    with open(os.path.join(top, "vendor", "lib", "grams.txt")) as f:
	        assert f.read() == "1000\n"
	EOF
	git -C repo add tests/test_vendor.py &&
	echo "# not staged" >>repo/inventory/units.py &&
	commit_goes_through "test the vendored kilogram" &&
	grep "testing the index in" commit.out &&
	grep "tests/test_vendor.py \\." commit.out &&
	! grep failed commit.out &&
	echo 1000 >expect &&
	test_cmp expect repo/vendor/lib/grams.txt &&
	no_checkout_left &&
	git -C repo checkout -q -- inventory/units.py
'

# The interrupted runs: a staged new test that says where it runs, then
# sleeps; an unstaged edit that must survive.
test_expect_success 'setup: a slow staged test, an unstaged edit, a session starter' '
	write_script start-session <<-EOF &&
	exec "$PYTHON" -c "import os, signal, sys; [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM)]; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])" "\$@"
	EOF
	cat >repo/tests/test_slow.py <<-EOF &&
	import os, time

	def test_slow():
	    with open("$TRASH_DIRECTORY/slow-started", "w") as f:
	        f.write(os.getcwd() + "\n")
	    time.sleep(60)
	EOF
	git -C repo add tests/test_slow.py &&
	printf "\n# mine, not staged\n" >>repo/inventory/units.py &&
	cp repo/inventory/units.py edit-copy &&
	git -C repo diff --cached >staged-slow
'

# interrupt_commit SIGNAL: start "git commit" in a session of its own,
# send SIGNAL to the whole session once the slow test runs, and wait
# until every process of it is gone (at most 30 s each).
interrupt_commit () {
	rm -f slow-started &&
	git -C repo rev-parse HEAD >head-before &&
	{ ./start-session git -C repo commit -q -m slow >commit.out 2>&1 & } &&
	session=$! &&
	n=0 &&
	while ! test -s slow-started && test $n -lt 300
	do
		sleep 0.1 && n=$((n + 1))
	done &&
	test -s slow-started &&
	kill -s "$1" -- "-$session" &&
	{ wait $session; true; } &&
	n=0 &&
	while kill -s 0 -- "-$session" 2>/dev/null && test $n -lt 300
	do
		sleep 0.1 && n=$((n + 1))
	done &&
	! kill -s 0 -- "-$session" 2>/dev/null &&
	git -C repo rev-parse HEAD >head-after &&
	test_cmp head-before head-after &&
	grep "^$TMPDIR/git-covopt-index-" slow-started &&
	cmp edit-copy repo/inventory/units.py &&
	git -C repo diff --cached >staged-after &&
	test_cmp staged-slow staged-after
}

for sig in INT TERM
do
	test_expect_success "SIG$sig mid-test: the commit stops, the edit is back, no checkout left" "
		interrupt_commit $sig &&
		no_checkout_left
	"
done

test_expect_success 'SIGKILL mid-test: the commit stops, the work tree was never touched' '
	interrupt_commit KILL &&
	ls "$TMPDIR" >left &&
	test_line_count = 1 left &&
	rm -rf "$TMPDIR"/git-covopt-index-* &&
	git -C repo rm -q --cached tests/test_slow.py &&
	rm repo/tests/test_slow.py &&
	git -C repo add inventory/units.py &&
	commit_goes_through "units: a comment" &&
	cmp edit-copy repo/inventory/units.py &&
	no_checkout_left
'

test_done
