# test-lib.sh - the TAP harness sourced by every t/tNNNN-*.sh integration test.
# As in git's t/: each script runs in a fresh trash repository with a fixed environment and prints TAP.
#
# A test script looks like this:
#
#	test_description='what this script checks'
#	. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
#
#	test_expect_success 'title' '
#		command &&
#		test_cmp expect actual
#	'
#	test_done
#
# It is run by "make check" as "sh t/tNNNN-x.sh" with COVOPT_BUILD_DIR,
# COVOPT_SOURCE_DIR and PYTHON exported, or by hand from the build
# directory ("sh ../src/t/t0000-basic.sh -v"): COVOPT_SOURCE_DIR then comes
# from the script's own path and COVOPT_BUILD_DIR is the current directory.
#
# Options (also read from $COVOPT_TEST_OPTS):
#	-v, --verbose	 show every test body's output, not only a failing one's
#	-i, --immediate	 stop at the first failing test
#	-d, --debug	 keep the trash directory even when every test passed
#
# Helpers: test_expect_success, test_expect_failure (known breakage, TAP
# TODO), test_must_fail [ok=usage,success,sigpipe], test_expect_code,
# test_cmp, test_line_count, test_path_is_file/_dir/_missing,
# test_must_be_empty, test_when_finished, test_tick, test_set_prereq,
# test_have_prereq, write_script, test_done; "skip_all=reason; test_done"
# before any test skips the whole script. $TRASH_DIRECTORY is the trash
# repository (and $HOME), $PYTHON the Python to run pytest with.
#
# Test bodies are eval'ed in the harness's own shell, as git does, so
# variables set by one test (in a "setup" test, say) are seen by the next.
# The directory is restored after every body, so a "cd" does not leak; a
# body that calls "exit" ends the script with "Bail out!". Names ending in
# "_" belong to the harness: tests must not use them.

# --- where things are --------------------------------------------------------

if test -z "${COVOPT_SOURCE_DIR:-}"
then
	COVOPT_SOURCE_DIR=$(cd "$(dirname "$0")/.." && pwd) || exit 1
fi
COVOPT_SOURCE_DIR=$(cd "$COVOPT_SOURCE_DIR" && pwd) || exit 1
COVOPT_BUILD_DIR=$(cd "${COVOPT_BUILD_DIR:-.}" && pwd) || exit 1
export COVOPT_SOURCE_DIR COVOPT_BUILD_DIR

# Sub-harnesses of t0000 put their trash under the outer trash directory.
TEST_OUTPUT_DIRECTORY=${COVOPT_TRASH_ROOT:-$COVOPT_BUILD_DIR/t}
TEST_SHELL_PATH=${TEST_SHELL_PATH:-/bin/sh}
PYTHON=${PYTHON:-/usr/bin/python3}
export TEST_SHELL_PATH PYTHON

this_test=${0##*/}
this_test=${this_test%.sh}
TRASH_DIRECTORY=$TEST_OUTPUT_DIRECTORY/trash.$this_test
test_out_=$TEST_OUTPUT_DIRECTORY/trash.$this_test.log

# --- options -----------------------------------------------------------------

test_verbose_=
test_immediate_=
test_debug_=
for test_arg_ in ${COVOPT_TEST_OPTS:-} "$@"
do
	case $test_arg_ in
	-v | --verbose)
		test_verbose_=t ;;
	-i | --immediate)
		test_immediate_=t ;;
	-d | --debug)
		test_debug_=t ;;
	-h | --help)
		echo "$this_test: ${test_description:-}"
		echo "usage: $0 [-v|--verbose] [-i|--immediate] [-d|--debug]"
		exit 0 ;;
	*)
		echo "error: unknown test option '$test_arg_'" >&2
		exit 1 ;;
	esac
done

# --- a fixed environment -----------------------------------------------------

LANG=C
LC_ALL=C
LANGUAGE=C
TZ=UTC
export LANG LC_ALL LANGUAGE TZ
unset GIT_DIR GIT_WORK_TREE GIT_COMMON_DIR GIT_INDEX_FILE \
	GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_NAMESPACE \
	GIT_PREFIX GIT_CONFIG GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT \
	GIT_CONFIG_GLOBAL GIT_NOTES_REF GIT_NOTES_DISPLAY_REF \
	GIT_NOTES_REWRITE_REF GIT_TRACE GIT_TRACE2 GIT_TRACE2_EVENT \
	GIT_TRACE2_PERF GIT_EXEC_PATH GIT_TEMPLATE_DIR XDG_CONFIG_HOME \
	EDITOR VISUAL GIT_EDITOR CDPATH COVERAGE_FILE COVERAGE_RCFILE \
	COVERAGE_PROCESS_START PYTEST_ADDOPTS PYTEST_PLUGINS PYTHONPATH \
	PYTHONSTARTUP PYTHONHOME
GIT_CONFIG_NOSYSTEM=1
GIT_PAGER=cat
PAGER=cat
GIT_MERGE_AUTOEDIT=no
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
export GIT_CONFIG_NOSYSTEM GIT_PAGER PAGER GIT_MERGE_AUTOEDIT \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
# Python must not drop __pycache__ into the test repositories.
PYTHONDONTWRITEBYTECODE=1
PYTHONHASHSEED=0
export PYTHONDONTWRITEBYTECODE PYTHONHASHSEED

# "git covopt" runs the git-covopt git finds on PATH: ours first.
PATH=$COVOPT_BUILD_DIR:$PATH
export PATH

# test_tick: move the author and committer dates on by one minute. The dates
# are fixed from the start, so commit ids are the same on every run.
test_tick_=1700000000
test_tick () {
	test_tick_=$((test_tick_ + 60))
	GIT_AUTHOR_DATE="$test_tick_ +0000"
	GIT_COMMITTER_DATE="$test_tick_ +0000"
	export GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}
test_tick

# --- reporting ---------------------------------------------------------------

# TAP goes to fd 9, the script's stdout, whatever a test body redirects.
exec 9>&1

test_count_=0
test_success_=0
test_failure_=0
test_broken_=0
test_fixed_=0
test_done_called_=
test_bug_=

# BUG message: a mistake in the test script itself; stop everything.
BUG () {
	test_bug_="bug in the test script: $*"
	exit 1
}

test_say_ () {
	printf '%s\n' "$*" >&9
}

# Print a file (or stdin) as TAP comments, each line after a prefix.
test_comment_ () {
	sed -e "s/^/$1/" >&9
}

test_clean_title_ () {
	printf '%s' "$1" | tr '\n' ' ' | sed -e 's/#/\\#/g'
}

test_show_output_ () {
	if test -s "$test_out_"
	then
		test_say_ "# output:"
		test_comment_ "# " <"$test_out_"
	else
		test_say_ "# (no output)"
	fi
}

test_exit_trap_ () {
	test_exit_code_=$?
	test -n "$test_done_called_" && return
	test "$test_exit_code_" = 0 && test_exit_code_=1
	if test -n "$test_bug_"
	then
		test_say_ "Bail out! $this_test: $test_bug_"
	else
		test_say_ "Bail out! $this_test: the script exited (code" \
			"$test_exit_code_) before test_done: a test body" \
			"called exit, or has a syntax error"
	fi
	test -s "$test_out_" && test_show_output_
	exit "$test_exit_code_"
}
trap test_exit_trap_ EXIT

# --- prerequisites -----------------------------------------------------------

test_prereqs_=' '

# test_set_prereq NAME: tests that need NAME may now run.
test_set_prereq () {
	test_prereqs_="$test_prereqs_$1 "
}

# test_have_prereq A,!B: true if A is set and B is not.
test_have_prereq () {
	test_prereq_list_=$(printf '%s' "$1" | tr ',' ' ')
	for test_prereq_ in $test_prereq_list_
	do
		case $test_prereq_ in
		!*)
			case $test_prereqs_ in
			*" ${test_prereq_#!} "*) return 1 ;;
			esac ;;
		*)
			case $test_prereqs_ in
			*" $test_prereq_ "*) ;;
			*) return 1 ;;
			esac ;;
		esac
	done
	return 0
}

# --- running one test --------------------------------------------------------

test_cleanup_nr_=0
test_in_body_=

# test_when_finished CMD...: run CMD (eval'ed, in the directory current at
# the call) after this test's body, whether it passed or not; the last one
# registered runs first. A failing cleanup fails the test.
test_when_finished () {
	test -n "$test_in_body_" ||
		BUG "test_when_finished outside a test body: $*"
	test_cleanup_nr_=$((test_cleanup_nr_ + 1))
	eval "test_cleanup_cmd_$test_cleanup_nr_=\$*"
	eval "test_cleanup_dir_$test_cleanup_nr_=\$PWD"
}

test_run_cleanups_ () {
	test_cleanup_ret_=0
	while test "$test_cleanup_nr_" -gt 0
	do
		eval "test_cleanup_cmd_=\$test_cleanup_cmd_$test_cleanup_nr_"
		eval "test_cleanup_dir_=\$test_cleanup_dir_$test_cleanup_nr_"
		if ! (cd "$test_cleanup_dir_" && eval "$test_cleanup_cmd_")
		then
			echo "test_when_finished: cleanup failed:" \
				"$test_cleanup_cmd_" >&2
			test_cleanup_ret_=1
		fi
		test_cleanup_nr_=$((test_cleanup_nr_ - 1))
	done
	return $test_cleanup_ret_
}

# A function of its own, so that "return" in a body ends only the body.
test_eval_inner_ () {
	eval "$test_body_"
}

# Run a body with its output in $test_out_; 0 if it and its cleanups passed.
test_run_ () {
	test_body_=$1
	test_dir_=$PWD
	test_cleanup_nr_=0
	test_in_body_=t
	test_eval_inner_ >"$test_out_" 2>&1 </dev/null
	test_ret_=$?
	test_in_body_=
	test_run_cleanups_ >>"$test_out_" 2>&1 </dev/null || test_ret_=1
	cd "$test_dir_" || BUG "cannot go back to '$test_dir_'"
	return $test_ret_
}

# Parse "[PREREQ] TITLE BODY" into test_prereq_want_, test_title_, test_body_.
test_args_ () {
	test_kind_=$1
	shift
	test_prereq_want_=
	if test $# = 3
	then
		test_prereq_want_=$1
		shift
	fi
	test $# = 2 || BUG "$test_kind_ takes [PREREQ] TITLE BODY"
	test_count_=$((test_count_ + 1))
	test_title_=$(test_clean_title_ "$1")
	test_body_=$2
}

test_skipped_ () {
	test_say_ "ok $test_count_ # skip $test_title_" \
		"(missing $test_prereq_want_)"
}

test_failed_ () {
	test_failure_=$((test_failure_ + 1))
	test_say_ "not ok $test_count_ - $test_title_"
	printf '%s\n' "$1" | sed -e '/^[[:space:]]*$/d' |
		test_comment_ "#	"
	test_show_output_
	if test -n "$test_immediate_"
	then
		test_say_ "# stopping at the first failure (--immediate)"
		test_done
	fi
}

test_verbose_output_ () {
	test -n "$test_verbose_" && test_show_output_
	return 0
}

# test_expect_success [PREREQ] TITLE BODY: BODY must succeed.
test_expect_success () {
	test_args_ test_expect_success "$@"
	if ! test_have_prereq "$test_prereq_want_"
	then
		test_skipped_
		return 0
	fi
	if test_run_ "$test_body_"
	then
		test_success_=$((test_success_ + 1))
		test_say_ "ok $test_count_ - $test_title_"
		test_verbose_output_
	else
		test_failed_ "$test_body_"
	fi
	return 0
}

# test_expect_failure [PREREQ] TITLE BODY: a known breakage, reported as a
# TAP TODO; it does not fail the script (but a fixed one shows up).
test_expect_failure () {
	test_args_ test_expect_failure "$@"
	if ! test_have_prereq "$test_prereq_want_"
	then
		test_skipped_
		return 0
	fi
	if test_run_ "$test_body_"
	then
		test_fixed_=$((test_fixed_ + 1))
		test_say_ "ok $test_count_ - $test_title_" \
			"# TODO known breakage vanished"
	else
		test_broken_=$((test_broken_ + 1))
		test_say_ "not ok $test_count_ - $test_title_" \
			"# TODO known breakage"
	fi
	test_verbose_output_
	return 0
}

test_remove_trash_ () {
	cd "$TEST_OUTPUT_DIRECTORY" || return 1
	chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
	rm -rf "$TRASH_DIRECTORY" "$test_out_"
}

# test_done: print the plan and a summary, clean up, exit 0 or 1.
# With skip_all set and no test run, report the whole script as skipped.
test_done () {
	test_done_called_=t
	if test -n "${skip_all:-}" && test "$test_count_" = 0
	then
		test_say_ "1..0 # SKIP $skip_all"
		test_remove_trash_
		exit 0
	fi
	test_say_ "1..$test_count_"
	test "$test_fixed_" = 0 ||
		test_say_ "# $test_fixed_ known breakage(s) vanished;" \
			"make them test_expect_success"
	test "$test_broken_" = 0 ||
		test_say_ "# still have $test_broken_ known breakage(s)"
	if test "$test_failure_" != 0
	then
		test_say_ "# failed $test_failure_ among" \
			"$test_count_ test(s);" \
			"trash kept in $TRASH_DIRECTORY"
		exit 1
	fi
	test_say_ "# passed all $test_count_ test(s)"
	test -n "$test_debug_" || test_remove_trash_
	exit 0
}

# --- assertions --------------------------------------------------------------

# test_must_fail [ok=LIST] CMD...: CMD must fail in an ordinary way (exit 1
# to 128). A success, a death by signal, an exit over 128, or a missing
# command (126, 127) is a failure of the test. LIST, comma-separated, lets
# through: "success" (exit 0), "usage" (exit 129), "sigpipe" (exit 141).
test_must_fail () {
	test_mf_ok_=
	case ${1-} in
	ok=*)
		test_mf_ok_=,${1#ok=},
		shift ;;
	esac
	"$@"
	test_mf_ret_=$?
	case $test_mf_ret_,$test_mf_ok_ in
	0,*,success,*)
		return 0 ;;
	0,*)
		echo "test_must_fail: command succeeded: $*" >&2
		return 1 ;;
	129,*,usage,* | 141,*,sigpipe,*)
		return 0 ;;
	126,* | 127,*)
		echo "test_must_fail: cannot run the command" \
			"(exit $test_mf_ret_): $*" >&2
		return 1 ;;
	esac
	if test "$test_mf_ret_" -gt 129 && test "$test_mf_ret_" -le 192
	then
		echo "test_must_fail: died by signal" \
			"$((test_mf_ret_ - 128)) (exit $test_mf_ret_): $*" >&2
		return 1
	elif test "$test_mf_ret_" -gt 129
	then
		echo "test_must_fail: exit $test_mf_ret_ is not an ordinary" \
			"failure: $*" >&2
		return 1
	elif test "$test_mf_ret_" = 129
	then
		echo "test_must_fail: usage error (exit 129) where none" \
			"was expected: $*" >&2
		return 1
	fi
	return 0
}

# test_expect_code N CMD...: CMD must exit with status N exactly.
test_expect_code () {
	test_ec_want_=$1
	shift
	"$@"
	test_ec_got_=$?
	test "$test_ec_got_" = "$test_ec_want_" && return 0
	echo "test_expect_code: exit $test_ec_got_, expected" \
		"$test_ec_want_: $*" >&2
	return 1
}

# test_cmp EXPECT ACTUAL: the files must be equal (the diff is shown).
test_cmp () {
	test $# = 2 || BUG "test_cmp takes two files"
	diff -u -- "$1" "$2"
}

# test_line_count OP N FILE: the line count of FILE must be OP N (= -lt ...).
test_line_count () {
	test $# = 3 || BUG "test_line_count takes OP N FILE"
	test -f "$3" || {
		echo "test_line_count: no file '$3'" >&2
		return 1
	}
	test_lc_n_=$(($(wc -l <"$3")))
	test "$test_lc_n_" "$1" "$2" && return 0
	echo "test_line_count: '$3' has $test_lc_n_ line(s), want $1 $2:" >&2
	cat "$3" >&2
	return 1
}

test_path_is_file () {
	test $# = 1 || BUG "test_path_is_file takes one path"
	test -f "$1" && return 0
	echo "test_path_is_file: no file '$1'" >&2
	return 1
}

test_path_is_dir () {
	test $# = 1 || BUG "test_path_is_dir takes one path"
	test -d "$1" && return 0
	echo "test_path_is_dir: no directory '$1'" >&2
	return 1
}

test_path_is_missing () {
	test $# = 1 || BUG "test_path_is_missing takes one path"
	test -e "$1" || test -L "$1" || return 0
	echo "test_path_is_missing: '$1' exists" >&2
	return 1
}

# test_must_be_empty FILE: FILE exists and is empty (else it is shown).
test_must_be_empty () {
	test $# = 1 || BUG "test_must_be_empty takes one file"
	test_path_is_file "$1" || return 1
	test -s "$1" || return 0
	echo "test_must_be_empty: '$1' is not empty:" >&2
	cat "$1" >&2
	return 1
}

# write_script FILE [INTERPRETER] <BODY: an executable script from stdin.
write_script () {
	{
		echo "#!${2:-/bin/sh}" &&
		cat
	} >"$1" &&
	chmod +x "$1"
}

# --- the trash directory -----------------------------------------------------

mkdir -p "$TEST_OUTPUT_DIRECTORY" ||
	BUG "cannot create '$TEST_OUTPUT_DIRECTORY'"
if test -e "$TRASH_DIRECTORY"
then
	chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
	rm -rf "$TRASH_DIRECTORY" || BUG "cannot remove '$TRASH_DIRECTORY'"
fi
mkdir "$TRASH_DIRECTORY" && cd "$TRASH_DIRECTORY" ||
	BUG "cannot create '$TRASH_DIRECTORY'"
TRASH_DIRECTORY=$PWD
HOME=$TRASH_DIRECTORY
# git must not find a repository above the trash directory.
GIT_CEILING_DIRECTORIES=$(dirname "$TRASH_DIRECTORY")
export HOME GIT_CEILING_DIRECTORIES
: >"$test_out_"
git -c init.defaultBranch=main init -q >"$test_out_" 2>&1 ||
	BUG "cannot create a repository in '$TRASH_DIRECTORY'"
