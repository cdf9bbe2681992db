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

# seconds and peak RSS (KiB) of a command: best of $1 runs
measure() {
	runs=$1; shift
	"$PYTHON" "$src/bench/timeit.py" "$runs" "$@"
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
# what git stores and sends: the blob zlib-compressed (loose objects and packs)
stored=$(git cat-file blob "$note" | "$PYTHON" -c \
	'import sys, zlib; print(len(zlib.compress(sys.stdin.buffer.read())))')
pairs=$(git covopt show --json | "$PYTHON" -c \
	'import json,sys; print(json.load(sys.stdin)["counts"]["pairs"])')
printf '%-44s %10s s  (peak %s KiB)\n' "git covopt record" "$rec_t" "$rec_m"
printf '%-44s %10s s\n' "coverage json --show-contexts" "$cov_t"
awk "BEGIN{printf \"%-44s %10.1fx  (goal >= 20x)\n\", \"speed-up\", $cov_t/$rec_t}"
printf '%-44s %10s bytes for %s (test, feature) pairs\n' "note size (msgpack)" "$size" "$pairs"
printf '%-44s %10s bytes\n' "note size as git stores it (zlib)" "$stored"
awk "BEGIN{printf \"%-44s %10.2f bytes  (msgpack)\n\", \"bytes per pair\", $size/$pairs}"
awk "BEGIN{printf \"%-44s %10.2f bytes  (goal <= 3)\n\", \"bytes per pair, as stored\", $stored/$pairs}"
cd "$work"
for extra in "$src"/bench/run-*.sh; do
	[ -f "$extra" ] && . "$extra"
done
exit 0
