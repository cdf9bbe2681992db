#!/bin/sh
# demo.sh - the README's quick start: record a model of the example project, show it, change code, select tests.
# Uses the git-covopt found on PATH (after "make install", or with PATH=<build dir>:$PATH).
#
# usage: contrib/demo.sh [DIR]
#
# DIR (new or empty) receives the demo repository; by default a new
# temporary directory. Set PYTHON to a Python that has pytest and pytest-cov
# (default: python3 on PATH, else /usr/bin/python3).
set -eu

heading () {
	printf '==> %s\n' "$*" >&2
}

die () {
	printf 'demo.sh: %s\n' "$*" >&2
	exit 1
}

has_pytest () {
	"$1" -c 'import pytest, pytest_cov' >/dev/null 2>&1
}

pick_python () {
	if test -n "${PYTHON:-}"
	then
		has_pytest "$PYTHON" ||
			die "$PYTHON cannot import pytest and pytest_cov"
		return
	fi
	for PYTHON in python3 /usr/bin/python3
	do
		has_pytest "$PYTHON" && return
	done
	die "no python3 with pytest and pytest-cov; install them" \
		"(apt-get install python3-pytest python3-pytest-cov)" \
		"or set PYTHON"
}

# 0 if "git covopt select" exists: its -h exits 129 with a usage, while an
# unknown command exits 129 saying it is "not a git-covopt command".
have_select () {
	select_err=$(git covopt select -h 2>&1 >/dev/null) && return 1
	test $? = 129 || return 1
	case $select_err in
	*"not a git-covopt command"*) return 1 ;;
	esac
	return 0
}

example=$(cd "$(dirname "$0")/example" && pwd) ||
	die "cannot find the example project next to $0"
command -v git-covopt >/dev/null 2>&1 ||
	die "git-covopt is not on PATH: run 'make install'," \
		"or set PATH=<build dir>:\$PATH"
pick_python

if test $# -gt 0
then
	demo=$1
	mkdir -p "$demo"
	test -z "$(ls -A "$demo")" || die "'$demo' is not empty"
else
	demo=$(mktemp -d "${TMPDIR:-/tmp}/covopt-demo.XXXXXX")
fi
demo=$(cd "$demo" && pwd)

heading "creating a repository of the example project in $demo"
(
	cd "$example" &&
	tar cf - --exclude=__pycache__ --exclude=.pytest_cache \
		--exclude=.coverage --exclude='.coverage.*' \
		--exclude=junit.xml --exclude=coverage.json .
) | (cd "$demo" && tar xf -)
cd "$demo"
git init -q -b main
# An identity for the demo's commits, unless you have one already.
git config user.name >/dev/null || git config user.name "git-covopt demo"
git config user.email >/dev/null ||
	git config user.email "demo@git-covopt.invalid"
git add .
git commit -q -m "example project"

heading "running the tests with coverage per test"
"$PYTHON" -m pytest -q -p no:cacheprovider --cov=inventory \
	--cov-context=test --cov-report= --junitxml=junit.xml

heading "recording the model (git covopt record)"
git covopt record --coverage .coverage --junit junit.xml

heading "showing the model (git covopt show)"
git covopt show

heading "changing one function: inventory/units.py::to_grams"
"$PYTHON" - inventory/units.py <<-\EOF
	import sys
	path = sys.argv[1]
	old = "    return amount * factor(unit)\n"
	new = "    grams = amount * factor(unit)\n    return grams\n"
	with open(path) as f:
	    text = f.read()
	if text.count(old) != 1:
	    sys.exit("demo.sh: %s has changed, cannot edit to_grams()" % path)
	with open(path, "w") as f:
	    f.write(text.replace(old, new))
EOF
git commit -q -a -m "units: name the result of to_grams()"
git --no-pager show --stat --format='%h %s' HEAD >&2

if have_select
then
	heading "selecting tests for the change (git covopt select HEAD~1)"
	selected=$(git rev-parse --absolute-git-dir)/covopt-selected
	git covopt select HEAD~1 -t 10 --verbose -z >"$selected"
	if test -s "$selected"
	then
		heading "running them: git covopt select HEAD~1 -t 10 -z | xargs -0 -r pytest"
		# ids as pytest names them, blanks and quotes included
		xargs -0 -r "$PYTHON" -m pytest -q -p no:cacheprovider <"$selected"
	else
		heading "no test selected"
	fi
else
	heading "git covopt select is not available yet: skipping the selection"
fi

heading "done; the demo repository is $demo"
