#!/bin/sh
# t1001-glob.sh - the globs of .covopt.yml match as .gitignore does: every case of
# t/unit/test-glob.c is checked against git check-ignore with the pattern in a .gitignore.

test_description='globs agree with git check-ignore'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

test_expect_success 'the cases of test-glob' '
	"$COVOPT_BUILD_DIR/t/unit/test-glob" --list >cases &&
	test $(wc -l <cases) -gt 100
'

# One "pattern TAB path TAB 0|1" line per case, 1 when git ignores the path.
test_expect_success 'git check-ignore agrees with each' '
	tab=$(printf "\t") &&
	while IFS="$tab" read -r pattern path want
	do
		printf "%s\n" "$pattern" >.gitignore &&
		git check-ignore --no-index -q -- "$path"
		case $? in
		0) got=1 ;;
		1) got=0 ;;
		*) return 1 ;;
		esac &&
		printf "%s\t%s\t%s\n" "$pattern" "$path" "$got" >>actual ||
		return 1
	done <cases &&
	test_cmp cases actual
'

test_done
