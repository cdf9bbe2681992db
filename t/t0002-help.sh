#!/bin/sh
# t0002-help.sh - manual pages: "make install" into a temporary prefix installs them, and
# "git help covopt", "git covopt --help" and "git covopt help <command>" open them.

test_description='git covopt manual pages after make install'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

if ! command -v man >/dev/null 2>&1 || ! test -f "$COVOPT_BUILD_DIR/Makefile"
then
	skip_all='needs man and a configured build directory'
	test_done
fi

test_expect_success 'make install into a temporary prefix' '
	make -s -C "$COVOPT_BUILD_DIR" install prefix="$TRASH_DIRECTORY/inst" \
		>install.log 2>&1 &&
	test_path_is_file inst/bin/git-covopt &&
	test_path_is_file inst/share/man/man1/git-covopt.1 &&
	test_path_is_file inst/share/man/man5/git-covopt-config.5
'

# show_help CMD...: run a help command with the installed pages only.
show_help () {
	MANPATH="$TRASH_DIRECTORY/inst/share/man" MANPAGER=cat PAGER=cat \
		MANWIDTH=80 PATH="$TRASH_DIRECTORY/inst/bin:$PATH" "$@"
}

test_expect_success 'git help covopt shows the page' '
	show_help git help covopt >out 2>err &&
	grep "git-covopt - pick the tests to run for a change" out
'

test_expect_success 'git covopt --help shows the page' '
	show_help git covopt --help >out 2>err &&
	grep "git-covopt - pick the tests to run for a change" out
'

test_expect_success 'git covopt help select and select --help show the select page' '
	show_help git covopt help select >out 2>err &&
	grep "git-covopt-select - " out &&
	show_help git covopt select --help >out2 2>err &&
	test_cmp out out2
'

test_expect_success 'the configuration page' '
	show_help man git-covopt-config >out 2>err &&
	grep "covopt.yml" out
'

test_done
