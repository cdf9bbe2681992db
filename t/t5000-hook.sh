#!/bin/sh
# t5000-hook.sh - "git covopt hook": the pre-commit and pre-push hooks, with real commits, pushes and pytest.
# pytest runs through a .covopt.yml runner whose python_path is a wrapper that logs every call.

test_description='git covopt hook install|uninstall: commits and pushes gated by the affected tests'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

HOOKS=repo/.git/hooks

BREAK_FACTOR='s.replace("        return GRAMS_PER_UNIT[unit]\n", "        return GRAMS_PER_UNIT[unit] + 1\n")'
TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

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

test_expect_success 'setup: a recorded project whose runner logs its calls' '
	write_script python-log <<-EOF &&
	echo "\$*" >>"$TRASH_DIRECTORY/python.log"
	exec "$PYTHON" "\$@"
	EOF
	covopt_python_repo repo "$TRASH_DIRECTORY/python-log" &&
	mkdir fakebin &&
	write_script fakebin/git-covopt <<-EOF
	if test "\$1" = run
	then
		echo "\$*" >>"$TRASH_DIRECTORY/run.log"
		exit \${FAKE_RUN_STATUS:-0}
	fi
	exec "$COVOPT_BUILD_DIR/git-covopt" "\$@"
	EOF
'

test_expect_success 'install writes an executable pre-commit hook with our marker' '
	git -C repo covopt hook install 2>err &&
	test_path_is_file $HOOKS/pre-commit &&
	test -x $HOOKS/pre-commit &&
	grep "^# installed by git-covopt$" $HOOKS/pre-commit &&
	grep "^exec git covopt run --cached$" $HOOKS/pre-commit &&
	sh -n $HOOKS/pre-commit &&
	test_line_count = 1 err &&
	grep "installed pre-commit hook .*/pre-commit" err
'

test_expect_success 'a staged change that breaks a covered function is refused' '
	test_when_finished "git -C repo reset -q --hard" &&
	: >python.log &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	git -C repo add inventory/units.py &&
	commit_is_refused "break factor" &&
	grep -e "-m pytest .*tests/test_units.py::" python.log &&
	grep "[1-9][0-9]* failed" commit.out
'

test_expect_success 'commit -a and commit <path>: the change about to be committed counts' '
	test_when_finished "git -C repo reset -q --hard" &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	git -C repo rev-parse HEAD >head-before &&
	test_must_fail git -C repo commit -q -a -m "all, broken" >commit.out 2>&1 &&
	grep "[1-9][0-9]* failed" commit.out &&
	test_must_fail git -C repo commit -q -m "path, broken" \
		inventory/units.py >commit.out 2>&1 &&
	grep "[1-9][0-9]* failed" commit.out &&
	git -C repo rev-parse HEAD >head-after &&
	test_cmp head-before head-after
'

test_expect_success 'a harmless change goes through, after running its tests' '
	: >python.log &&
	edit repo/inventory/units.py "$TO_GRAMS_BODY" &&
	git -C repo add inventory/units.py &&
	commit_goes_through "to_grams: name the result" &&
	grep -e "-m pytest .*tests/test_units.py::" python.log
'

# ran_no_test: python.log shows no pytest run but collection (run lists
# the suite's ids with --collect-only before it selects).
ran_no_test () {
	grep -v -e "--collect-only" python.log >executed
	test_must_be_empty executed
}

test_expect_success 'a comment-only change runs no tests' '
	: >python.log &&
	edit repo/inventory/units.py "s.replace(\"    grams = amount\", \"    # in grams\n    grams = amount\")" &&
	git -C repo add inventory/units.py &&
	commit_goes_through "a comment" &&
	ran_no_test
'

test_expect_success 'only the staged change counts' '
	test_when_finished "git -C repo reset -q --hard" &&
	: >python.log &&
	echo "# notes" >>repo/README &&
	git -C repo add README &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	commit_goes_through "readme" &&
	ran_no_test
'

test_expect_success 'reinstalling our own hook needs no --force; -t is passed on' '
	git -C repo covopt hook install -t 2.5 &&
	grep "^exec git covopt run --cached -t 2.5$" $HOOKS/pre-commit &&
	git -C repo covopt hook install --time=5% &&
	grep "^exec git covopt run --cached -t 5%$" $HOOKS/pre-commit &&
	cp $HOOKS/pre-commit hook-before &&
	for bad in "1; rm -rf ." "" "ten" "5%%" "1.2.3" "-1"
	do
		test_expect_code 129 git -C repo covopt hook install -t "$bad" \
			2>err || return 1
	done &&
	grep "bad budget" err &&
	test_cmp hook-before $HOOKS/pre-commit
'

test_expect_success 'a foreign hook is refused without --force' '
	git -C repo covopt hook uninstall &&
	test_path_is_missing $HOOKS/pre-commit &&
	write_script $HOOKS/pre-commit <<-\EOF &&
	echo "the team lint hook"
	EOF
	cp $HOOKS/pre-commit foreign &&
	test_expect_code 1 git -C repo covopt hook install 2>err &&
	test_line_count = 1 err &&
	grep "^error: .*/hooks/pre-commit. was not installed by git-covopt" err &&
	test_cmp foreign $HOOKS/pre-commit &&
	test_path_is_missing $HOOKS/pre-commit.covopt-saved
'

test_expect_success 'uninstall leaves a foreign hook alone' '
	test_expect_code 1 git -C repo covopt hook uninstall 2>err &&
	test_line_count = 1 err &&
	grep "not removing it" err &&
	test_cmp foreign $HOOKS/pre-commit
'

test_expect_success '--force moves it aside; uninstall puts it back' '
	git -C repo covopt hook install --force 2>err &&
	test_cmp foreign $HOOKS/pre-commit.covopt-saved &&
	grep "^# installed by git-covopt$" $HOOKS/pre-commit &&
	grep "moved .*/pre-commit. to .*/pre-commit.covopt-saved" err &&
	git -C repo covopt hook install --force &&
	test_cmp foreign $HOOKS/pre-commit.covopt-saved &&
	git -C repo covopt hook uninstall 2>err &&
	test_cmp foreign $HOOKS/pre-commit &&
	test -x $HOOKS/pre-commit &&
	test_path_is_missing $HOOKS/pre-commit.covopt-saved &&
	grep "restored" err
'

test_expect_success '--force never overwrites an earlier saved hook' '
	test_when_finished "rm -f $HOOKS/pre-commit.covopt-saved" &&
	echo "older" >$HOOKS/pre-commit.covopt-saved &&
	test_expect_code 1 git -C repo covopt hook install --force 2>err &&
	test_line_count = 1 err &&
	grep "already holds a saved hook" err &&
	test_cmp foreign $HOOKS/pre-commit &&
	echo "older" >expect &&
	test_cmp expect $HOOKS/pre-commit.covopt-saved
'

test_expect_success 'uninstall with nothing installed says so and succeeds' '
	rm $HOOKS/pre-commit &&
	git -C repo covopt hook uninstall 2>err &&
	test_line_count = 1 err &&
	grep "no git-covopt pre-commit hook in" err &&
	test_path_is_missing $HOOKS/pre-commit
'

test_expect_success 'core.hooksPath, relative to the top of the work tree' '
	test_when_finished "git -C repo config --unset core.hooksPath; git -C repo reset -q --hard" &&
	git -C repo config core.hooksPath .githooks &&
	(cd repo/inventory && git covopt hook install) &&
	test_path_is_file repo/.githooks/pre-commit &&
	test_path_is_missing repo/inventory/.githooks &&
	test_path_is_missing $HOOKS/pre-commit &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	git -C repo add inventory/units.py &&
	commit_is_refused "broken, through .githooks" &&
	git -C repo covopt hook uninstall &&
	test_path_is_missing repo/.githooks/pre-commit
'

test_expect_success 'core.hooksPath, absolute or from ~' '
	test_when_finished "git -C repo config --unset core.hooksPath" &&
	git -C repo config core.hooksPath "$TRASH_DIRECTORY/shared-hooks" &&
	git -C repo covopt hook install &&
	test_path_is_file shared-hooks/pre-commit &&
	git -C repo config core.hooksPath "~/home-hooks" &&
	git -C repo covopt hook install &&
	test_path_is_file home-hooks/pre-commit &&
	test_path_is_missing $HOOKS/pre-commit
'

test_expect_success 'setup: a remote, and the pre-push hook' '
	git init -q --bare remote.git &&
	git -C repo remote add origin ../remote.git &&
	git -C repo push -q origin main &&
	git -C repo covopt hook install --pre-push -t 10 &&
	test -x $HOOKS/pre-push &&
	sh -n $HOOKS/pre-push &&
	grep "^# installed by git-covopt$" $HOOKS/pre-push &&
	test_path_is_missing $HOOKS/pre-commit
'

test_expect_success 'hook install in a bare repository: one error line, no hook' '
	test_must_fail git -C remote.git covopt hook install 2>err &&
	test_line_count = 1 err &&
	grep "^error: cannot install hooks in a bare repository" err &&
	test_path_is_missing remote.git/hooks/pre-commit &&
	test_path_is_missing remote.git/hooks/pre-push
'

# fake_push ARG...: "git push ARG..." in repo, with a git covopt run that
# only logs its arguments to run.log (and exits $FAKE_RUN_STATUS).
fake_push () {
	: >run.log &&
	PATH=$TRASH_DIRECTORY/fakebin:$PATH git -C repo push -q "$@"
}

test_expect_success 'pre-push: an update runs what the remote lacks' '
	old=$(git -C repo rev-parse main) &&
	test_tick &&
	git -C repo commit -q --allow-empty -m "to push" &&
	new=$(git -C repo rev-parse main) &&
	fake_push origin main &&
	echo "run -t 10 $old $new" >expect &&
	test_cmp expect run.log
'

test_expect_success 'pre-push: a new branch is compared with its parent, or with origin/HEAD' '
	git -C repo checkout -q -b topic &&
	test_tick &&
	git -C repo commit -q --allow-empty -m "topic 1" &&
	test_tick &&
	git -C repo commit -q --allow-empty -m "topic 2" &&
	fake_push origin topic &&
	echo "run -t 10 $(git -C repo rev-parse topic~1 topic | tr "\n" " ")" |
		sed "s/ $//" >expect &&
	test_cmp expect run.log &&
	git -C repo checkout -q -b topic2 &&
	test_tick &&
	git -C repo commit -q --allow-empty -m "topic2" &&
	git -C repo remote set-head origin main &&
	fake_push origin topic2 &&
	echo "run -t 10 $(git -C repo rev-parse main topic2 | tr "\n" " ")" |
		sed "s/ $//" >expect &&
	test_cmp expect run.log
'

test_expect_success 'pre-push: deletions and refs not checked out run nothing' '
	fake_push origin :topic 2>err &&
	test_must_be_empty run.log &&
	git -C repo branch -q elsewhere main &&
	test_tick &&
	git -C repo commit -q --allow-empty -m "more topic2" &&
	fake_push origin elsewhere 2>err &&
	test_must_be_empty run.log &&
	grep "^git-covopt: refs/heads/elsewhere not checked out: skipped$" err
'

test_expect_success 'pre-push: a failing run refuses the push' '
	test_tick &&
	git -C repo commit -q --allow-empty -m "fails" &&
	FAKE_RUN_STATUS=1 &&
	export FAKE_RUN_STATUS &&
	test_when_finished "unset FAKE_RUN_STATUS" &&
	test_must_fail fake_push origin topic2 2>err &&
	test_line_count = 1 run.log &&
	test "$(git -C remote.git rev-parse topic2)" != "$(git -C repo rev-parse topic2)"
'

test_expect_success 'pre-push: a broken function is not pushed, its fix is' '
	git -C repo checkout -q main &&
	edit repo/inventory/units.py "$BREAK_FACTOR" &&
	test_tick &&
	git -C repo commit -q --no-verify -am "break factor" &&
	: >python.log &&
	test_must_fail git -C repo push -q origin main 2>err &&
	grep -e "-m pytest .*tests/test_units.py::" python.log &&
	git -C repo revert --no-edit HEAD >/dev/null &&
	: >python.log &&
	git -C repo push -q origin main &&
	test "$(git -C remote.git rev-parse main)" = "$(git -C repo rev-parse main)"
'

test_expect_success 'uninstall --pre-push, and both hooks at once' '
	git -C repo covopt hook uninstall --pre-push &&
	test_path_is_missing $HOOKS/pre-push &&
	git -C repo covopt hook install --pre-commit --pre-push &&
	test_path_is_file $HOOKS/pre-commit &&
	test_path_is_file $HOOKS/pre-push &&
	git -C repo covopt hook uninstall --pre-commit --pre-push &&
	test_path_is_missing $HOOKS/pre-commit &&
	test_path_is_missing $HOOKS/pre-push
'

test_expect_success '-q: install and uninstall print nothing but errors' '
	git -C repo covopt hook install -q --pre-commit --pre-push 2>err &&
	test_must_be_empty err &&
	test_path_is_file $HOOKS/pre-commit &&
	test_path_is_file $HOOKS/pre-push &&
	grep "^# The tests run on what is staged" $HOOKS/pre-commit &&
	git -C repo covopt hook uninstall --quiet --pre-commit --pre-push 2>err &&
	test_must_be_empty err &&
	test_path_is_missing $HOOKS/pre-commit &&
	git -C repo covopt hook uninstall -q 2>err &&
	test_must_be_empty err &&
	echo "#!/bin/sh" >$HOOKS/pre-commit &&
	test_must_fail git -C repo covopt hook install -q 2>err &&
	grep "not installed by git-covopt" err &&
	git -C repo covopt hook install -q --force 2>err &&
	test_must_be_empty err &&
	git -C repo covopt hook uninstall -q 2>err &&
	test_must_be_empty err &&
	test_path_is_file $HOOKS/pre-commit &&
	rm $HOOKS/pre-commit
'

test_expect_success 'usage errors' '
	test_expect_code 129 git -C repo covopt hook 2>err &&
	grep "usage: git covopt hook install" err &&
	test_expect_code 129 git -C repo covopt hook frob 2>err &&
	grep "unknown subcommand .frob." err &&
	test_expect_code 129 git -C repo covopt hook uninstall --force 2>err &&
	test_expect_code 129 git -C repo covopt hook install extra 2>err &&
	grep "too many arguments" err
'

test_done
