#!/bin/sh
# make-model-seeds.sh - write format-2 model notes (with their checksum) as seeds of the model-decode
# harness, from real records of contrib/example; run by hand when the note format changes.
#
# Usage: make-model-seeds.sh SRCDIR GIT-COVOPT [PYTHON]   (writes SRCDIR/t/fuzz/corpus/model-decode/v2-*)
set -eu
src=$(cd "${1:?usage: make-model-seeds.sh SRCDIR GIT-COVOPT [PYTHON]}" && pwd)
covopt=$(cd "$(dirname "${2:?usage: make-model-seeds.sh SRCDIR GIT-COVOPT [PYTHON]}")" &&
	pwd)/$(basename "$2")
python=${3:-/usr/bin/python3}
out=$src/t/fuzz/corpus/model-decode
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_AUTHOR_NAME=fuzz GIT_AUTHOR_EMAIL=fuzz@example.com \
	GIT_COMMITTER_NAME=fuzz GIT_COMMITTER_EMAIL=fuzz@example.com \
	GIT_AUTHOR_DATE='1700000000 +0000' GIT_COMMITTER_DATE='1700000000 +0000' \
	GIT_CONFIG_NOSYSTEM=1 PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
(cd "$src/contrib/example" && tar cf - --exclude=__pycache__ --exclude=.pytest_cache \
	--exclude='.coverage*' --exclude=junit.xml .) | (cd "$work" && tar xf -)
cd "$work"
git init -q -b main && git add . && git commit -q -m example

# record_seed NAME [PYTEST ARG...]: run pytest, record, save the note as v2-NAME.
record_seed() {
	name=$1
	shift
	"$python" -m pytest -q -p no:cacheprovider --cov=inventory \
		--cov-context=test --cov-report= --junitxml=junit.xml "$@" \
		>/dev/null 2>&1 || test $? = 1
	"$covopt" record -q --coverage .coverage --junit junit.xml \
		--flag "$name"
	git cat-file blob "$(git notes --ref=covopt list HEAD)" >"$out/v2-$name"
}

record_seed whole-suite			# every test, one flag
git commit -q --allow-empty -m two
record_seed units tests/test_units.py	# a few tests, a new commit
record_seed stock tests/test_stock.py	# the same commit, a second flag
