#!/bin/sh
# bench/run.sh - "make bench": figures for record (ingest speed, note size) and select.
# Usage: bench/run.sh BUILD_DIR SOURCE_DIR; prints a small table on stdout.
set -eu
build=${1:?build dir}
src=${2:?source dir}
PYTHON=${PYTHON:-/usr/bin/python3}
PATH="$build:$PATH"
export PATH COVOPT_NO_PROGRESS=1
work=$(mktemp -d "${TMPDIR:-/tmp}/covopt-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# seconds and peak RSS (KiB) of a command, best of $runs runs
measure() {
	runs=$1; shift
	best=""
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" ||
			{ cat "$work/err" >&2; exit 1; }
		t=$(cut -d' ' -f1 "$work/time")
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
			best=$t; mem=$(cut -d' ' -f2 "$work/time")
		fi
	done
	echo "$best $mem"
}

echo "== record: ingest of 10,000 tests x 2,000 source files"
repo="$work/ingest"
"$PYTHON" "$src/bench/gen-coverage.py" "$repo" --files 2000 --tests 10000
cd "$repo"
set -- $(measure 3 git covopt record -q --coverage .coverage --junit junit.xml)
rec_t=$1 rec_m=$2
set -- $(measure 1 "$PYTHON" -m coverage json --show-contexts \
	--data-file=.coverage -o "$work/cov.json")
cov_t=$1
note=$(git notes --ref=covopt list HEAD)
size=$(git cat-file -s "$note")
pairs=$(git covopt show --json | "$PYTHON" -c \
	'import json,sys; print(json.load(sys.stdin)["counts"]["pairs"])')
printf '%-44s %10s s  (peak %s KiB)\n' "git covopt record" "$rec_t" "$rec_m"
printf '%-44s %10s s\n' "coverage json --show-contexts" "$cov_t"
awk "BEGIN{printf \"%-44s %10.1fx  (goal >= 20x)\n\", \"speed-up\", $cov_t/$rec_t}"
printf '%-44s %10s bytes for %s (test, feature) pairs\n' "note size" "$size" "$pairs"
awk "BEGIN{printf \"%-44s %10.2f bytes  (goal <= 3)\n\", \"bytes per pair\", $size/$pairs}"
cd "$work"
for extra in "$src"/bench/run-*.sh; do
	[ -f "$extra" ] && . "$extra"
done
exit 0
