#!/bin/sh
# t0001-usage.sh - the command line itself: usage, -h, bad options, exit codes, --version.
# Usage errors exit 129 with the usage on stderr; -h prints it on stdout; fatal errors exit 128.

test_description='git covopt usage, options and exit codes'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

test_expect_success 'no command: usage on stderr, exit 129' '
	test_expect_code 129 git covopt >out 2>err &&
	test_must_be_empty out &&
	grep "^usage: git covopt" err &&
	grep "select" err
'

test_expect_success '--version' '
	git covopt --version >out &&
	grep "^git-covopt version [0-9]" out
'

test_expect_success 'an unknown command is a usage error' '
	test_expect_code 129 git covopt frobnicate >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "'"'"'frobnicate'"'"' is not a git-covopt command" err
'

for cmd in record select show run
do
	test_expect_success "$cmd -h prints usage on stdout and exits 129" '
		test_expect_code 129 git covopt '"$cmd"' -h >out 2>err &&
		test_must_be_empty err &&
		grep "^usage: git covopt '"$cmd"'" out
	'
done

test_expect_success 'an unknown option names itself' '
	test_expect_code 129 git covopt record --bogus >out 2>err &&
	test_must_be_empty out &&
	grep "^error: unknown option .bogus." err &&
	grep "^usage: git covopt record" err
'

test_expect_success 'an option missing its value' '
	test_expect_code 129 git covopt select -t 2>err &&
	grep "requires a value" err
'

test_expect_success 'too many arguments' '
	test_expect_code 129 git covopt show a b 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git covopt select a b c 2>err &&
	grep "too many revisions" err
'

test_expect_success 'outside a repository: fatal, exit 128' '
	mkdir -p "$TRASH_DIRECTORY/../outside.$$" &&
	test_when_finished "rm -rf \"$TRASH_DIRECTORY/../outside.$$\"" &&
	(
		cd "$TRASH_DIRECTORY/../outside.$$" &&
		GIT_CEILING_DIRECTORIES=$(pwd)/.. &&
		export GIT_CEILING_DIRECTORIES &&
		test_expect_code 128 git covopt show >out 2>err
	) &&
	grep "not a git repository" "$TRASH_DIRECTORY/../outside.$$/err"
'

test_expect_success 'help for an unknown command is a usage error' '
	test_expect_code 129 git covopt help frobnicate 2>err &&
	grep "not a git-covopt command" err
'

test_expect_success 'a bad budget names the value' '
	git commit -q --allow-empty -m one &&
	test_expect_code 1 git covopt select -t 1x 2>err &&
	grep "bad budget .1x." err
'

test_done
