#!/bin/sh
# t0000-basic.sh - self-test of the harness in t/test-lib.sh.
# Failures are proven by running small scripts through the harness and comparing their TAP output.

test_description='the test harness itself'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

# write_sub_test NAME <BODY: NAME/NAME.sh, a test script sourcing test-lib.
write_sub_test () {
	mkdir "$1" &&
	{
		printf '%s\n' "test_description='$1'" \
			'. "$COVOPT_SOURCE_DIR/t/test-lib.sh"' &&
		cat
	} >"$1/$1.sh"
}

# run_sub_test NAME [OPTION...]: run NAME.sh in NAME/ with its trash there;
# TAP in NAME/out, stderr in NAME/err, exit status in NAME/rc.
run_sub_test () {
	(
		sub_name=$1 &&
		shift &&
		cd "$sub_name" &&
		COVOPT_TRASH_ROOT=$PWD &&
		export COVOPT_TRASH_ROOT &&
		unset COVOPT_TEST_OPTS &&
		{
			"$TEST_SHELL_PATH" "./$sub_name.sh" "$@" >out 2>err
			echo $? >rc
		}
	)
}

# check_sub_test NAME RC: NAME/rc is RC and NAME/out equals ./expect.
check_sub_test () {
	echo "$2" >rc.expect &&
	test_cmp rc.expect "$1/rc" &&
	test_cmp expect "$1/out"
}

test_expect_success 'a passing test is reported' '
	:
'

test_expect_success 'a script whose tests all pass' '
	write_sub_test passing <<-\EOF &&
	test_expect_success "first" "true"
	test_expect_success "second" "echo some output"
	test_done
	EOF
	run_sub_test passing &&
	cat >expect <<-\EOF &&
	ok 1 - first
	ok 2 - second
	1..2
	# passed all 2 test(s)
	EOF
	check_sub_test passing 0 &&
	test_must_be_empty passing/err &&
	test_path_is_missing passing/trash.passing &&
	test_path_is_missing passing/trash.passing.log
'

test_expect_success 'failures are reported with the body and its output' '
	write_sub_test failing <<-\EOF &&
	test_expect_success "passes" "true"
	test_expect_success "fails" "echo out && echo err >&2 && false"
	test_expect_failure "known breakage" "false"
	test_expect_success "still runs after a failure" "true"
	test_done
	EOF
	run_sub_test failing &&
	trash="$PWD/failing/trash.failing" &&
	printf "%s\n" >expect \
		"ok 1 - passes" \
		"not ok 2 - fails" \
		"#	echo out && echo err >&2 && false" \
		"# output:" \
		"# out" \
		"# err" \
		"not ok 3 - known breakage # TODO known breakage" \
		"ok 4 - still runs after a failure" \
		"1..4" \
		"# still have 1 known breakage(s)" \
		"# failed 1 among 4 test(s); trash kept in $trash" &&
	check_sub_test failing 1 &&
	test_path_is_dir "$trash"
'

test_expect_success 'a known breakage that passes is reported' '
	write_sub_test vanished <<-\EOF &&
	test_expect_failure "was broken" "true"
	test_done
	EOF
	run_sub_test vanished &&
	cat >expect <<-\EOF &&
	ok 1 - was broken # TODO known breakage vanished
	1..1
	# 1 known breakage(s) vanished; make them test_expect_success
	# passed all 1 test(s)
	EOF
	check_sub_test vanished 0
'

test_expect_success 'test_must_fail accepts an ordinary failure' '
	test_must_fail false &&
	test_must_fail sh -c "exit 1" &&
	test_must_fail sh -c "exit 128"
'

test_expect_success 'test_must_fail rejects a success' '
	! test_must_fail true 2>err &&
	grep "^test_must_fail: command succeeded: true$" err &&
	test_must_fail ok=success true
'

test_expect_success 'test_must_fail rejects a death by signal' '
	! test_must_fail sh -c "ulimit -c 0; kill -SEGV \$\$" 2>err &&
	grep "^test_must_fail: died by signal 11 (exit 139)" err &&
	! test_must_fail sh -c "kill -TERM \$\$" 2>err &&
	grep "^test_must_fail: died by signal 15 (exit 143)" err &&
	! test_must_fail ok=usage sh -c "exit 200" 2>err &&
	grep "^test_must_fail: exit 200 is not an ordinary failure" err
'

test_expect_success 'test_must_fail lets exit 129 through only with ok=usage' '
	! test_must_fail sh -c "exit 129" 2>err &&
	grep "^test_must_fail: usage error (exit 129)" err &&
	test_must_fail ok=usage sh -c "exit 129" &&
	test_must_fail ok=usage false &&
	! test_must_fail ok=sigpipe sh -c "exit 129" 2>err &&
	test_must_fail ok=success,sigpipe sh -c "kill -PIPE \$\$"
'

test_expect_success 'test_must_fail rejects a command that cannot run' '
	! test_must_fail no-such-command-for-t0000 2>err &&
	grep "^test_must_fail: cannot run the command (exit 127)" err
'

test_expect_success 'a crash under test_must_fail fails the test' '
	write_sub_test crash <<-\EOF &&
	test_expect_success "crash" \
		"test_must_fail sh -c \"ulimit -c 0; kill -SEGV \\\$\\\$\""
	test_expect_success "usage" "test_must_fail sh -c \"exit 129\""
	test_done
	EOF
	run_sub_test crash &&
	test_expect_code 1 grep -c "^ok" crash/out &&
	grep "^not ok 1 - crash$" crash/out &&
	grep "^# test_must_fail: died by signal 11" crash/out &&
	grep "^not ok 2 - usage$" crash/out &&
	grep "^# test_must_fail: usage error" crash/out &&
	echo 1 >rc.expect &&
	test_cmp rc.expect crash/rc
'

test_expect_success 'test_expect_code checks the exact status' '
	test_expect_code 3 sh -c "exit 3" &&
	! test_expect_code 3 sh -c "exit 4" 2>err &&
	grep "^test_expect_code: exit 4, expected 3" err &&
	! test_expect_code 0 false 2>/dev/null
'

test_expect_success 'test_cmp passes on equal files and shows a diff' '
	printf "a\nb\n" >one &&
	printf "a\nb\n" >two &&
	test_cmp one two &&
	printf "a\nc\n" >three &&
	! test_cmp one three >diff &&
	grep "^-b$" diff &&
	grep "^+c$" diff &&
	! test_cmp one no-such-file 2>/dev/null
'

test_expect_success 'test_line_count compares line counts' '
	printf "1\n2\n3\n" >three-lines &&
	test_line_count = 3 three-lines &&
	test_line_count -gt 2 three-lines &&
	! test_line_count = 2 three-lines 2>err &&
	grep "has 3 line(s), want = 2" err &&
	: >empty &&
	test_line_count = 0 empty &&
	! test_line_count = 0 no-such-file 2>/dev/null
'

test_expect_success 'path and emptiness assertions' '
	mkdir dir &&
	: >empty &&
	echo x >full &&
	test_path_is_file full &&
	! test_path_is_file dir 2>/dev/null &&
	test_path_is_dir dir &&
	! test_path_is_dir full 2>/dev/null &&
	test_path_is_missing nothing &&
	! test_path_is_missing full 2>/dev/null &&
	test_must_be_empty empty &&
	! test_must_be_empty full 2>/dev/null &&
	! test_must_be_empty nothing 2>/dev/null
'

test_expect_success 'test_when_finished runs after the body, last first' '
	rm -f order &&
	test_when_finished "echo first >>order" &&
	test_when_finished "echo second >>order" &&
	echo body >>order &&
	test_path_is_missing nothing-yet
'

test_expect_success 'test_when_finished ordering' '
	printf "%s\n" body second first >expect &&
	test_cmp expect order
'

test_expect_success 'test_when_finished runs in the directory it was called' '
	mkdir -p cleanup-dir &&
	(
		cd cleanup-dir &&
		: >marker
	) &&
	cd cleanup-dir &&
	test_when_finished "rm marker" &&
	test_path_is_file marker
'

test_expect_success 'cleanups run after a failing body; a failing one fails' '
	write_sub_test cleanup <<-\EOF &&
	test_expect_success "failing body" \
		"test_when_finished \"echo ran >>log\" && false"
	test_expect_success "failing cleanup" "test_when_finished false && true"
	test_expect_success "cleanup ran" \
		"echo ran >expect && test_cmp expect log"
	test_done
	EOF
	run_sub_test cleanup &&
	trash="$PWD/cleanup/trash.cleanup" &&
	printf "%s\n" >expect \
		"not ok 1 - failing body" \
		"#	test_when_finished \"echo ran >>log\" && false" \
		"# (no output)" \
		"not ok 2 - failing cleanup" \
		"#	test_when_finished false && true" \
		"# output:" \
		"# test_when_finished: cleanup failed: false" \
		"ok 3 - cleanup ran" \
		"1..3" \
		"# failed 2 among 3 test(s); trash kept in $trash" &&
	check_sub_test cleanup 1
'

test_expect_success 'a cd in a body does not leak' '
	mkdir -p elsewhere &&
	cd elsewhere &&
	t0000_var=kept
'

test_expect_success 'but variables set in a body do' '
	test "$PWD" = "$TRASH_DIRECTORY" &&
	test "$t0000_var" = kept
'

test_expect_success 'exit in a body bails out' '
	write_sub_test bail <<-\EOF &&
	test_expect_success "exits" "echo leaving && exit 0"
	test_expect_success "never runs" "true"
	test_done
	EOF
	run_sub_test bail &&
	grep "^Bail out! bail: the script exited" bail/out &&
	grep "^# leaving$" bail/out &&
	! grep "never runs" bail/out &&
	echo 1 >rc.expect &&
	test_cmp rc.expect bail/rc
'

test_expect_success 'skip_all skips the whole script' '
	write_sub_test skipping <<-\EOF &&
	skip_all="no frobnicator here"
	test_done
	EOF
	run_sub_test skipping &&
	echo "1..0 # SKIP no frobnicator here" >expect &&
	check_sub_test skipping 0 &&
	test_path_is_missing skipping/trash.skipping
'

test_expect_success 'prerequisites skip single tests' '
	write_sub_test prereq <<-\EOF &&
	test_set_prereq HAVE
	test_expect_success HAVE "has it" "true"
	test_expect_success MISSING "lacks it" "false"
	test_expect_success !HAVE "must lack it" "false"
	test_expect_success HAVE,!MISSING "both" "true"
	test_done
	EOF
	run_sub_test prereq &&
	cat >expect <<-\EOF &&
	ok 1 - has it
	ok 2 # skip lacks it (missing MISSING)
	ok 3 # skip must lack it (missing !HAVE)
	ok 4 - both
	1..4
	# passed all 4 test(s)
	EOF
	check_sub_test prereq 0
'

test_expect_success '-v shows the output of passing tests' '
	write_sub_test verbose <<-\EOF &&
	test_expect_success "talks" "echo hello"
	test_done
	EOF
	run_sub_test verbose -v &&
	cat >expect <<-\EOF &&
	ok 1 - talks
	# output:
	# hello
	1..1
	# passed all 1 test(s)
	EOF
	check_sub_test verbose 0
'

test_expect_success '-i stops at the first failure' '
	write_sub_test immediate <<-\EOF &&
	test_expect_success "fails" "false"
	test_expect_success "not reached" "false"
	test_done
	EOF
	run_sub_test immediate -i &&
	grep "^not ok 1 - fails$" immediate/out &&
	grep "^1\.\.1$" immediate/out &&
	! grep "not reached" immediate/out &&
	echo 1 >rc.expect &&
	test_cmp rc.expect immediate/rc
'

test_expect_success 'a # in a title is escaped' '
	write_sub_test hash <<-\EOF &&
	test_expect_success "issue #12" "true"
	test_done
	EOF
	run_sub_test hash &&
	grep "^ok 1 - issue \\\\#12$" hash/out
'

test_expect_success 'the environment is fixed' '
	test "$HOME" = "$TRASH_DIRECTORY" &&
	test "$LC_ALL" = C &&
	test "$TZ" = UTC &&
	test "$GIT_CONFIG_NOSYSTEM" = 1 &&
	test -z "${GIT_DIR+set}" &&
	test "$PYTHON" &&
	case $PATH in
	"$COVOPT_BUILD_DIR":*) ;;
	*) false ;;
	esac &&
	test -f "$COVOPT_SOURCE_DIR/t/test-lib.sh" &&
	git rev-parse --show-toplevel >actual &&
	echo "$TRASH_DIRECTORY" >expect &&
	test_cmp expect actual
'

test_expect_success 'commit dates are fixed and test_tick moves them on' '
	git commit -q --allow-empty -m one &&
	test_tick &&
	git commit -q --allow-empty -m two &&
	git log --format="%an <%ae> %at" >actual &&
	git log --format="%cn <%ce> %ct" >>actual &&
	cat >expect <<-\EOF &&
	A U Thor <author@example.com> 1700000120
	A U Thor <author@example.com> 1700000060
	C O Mitter <committer@example.com> 1700000120
	C O Mitter <committer@example.com> 1700000060
	EOF
	test_cmp expect actual
'

test_done
