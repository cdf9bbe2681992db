#!/bin/sh
# bench/quality/run.sh - "make bench-quality": how many real faults a test budget catches.
# Usage: run.sh BUILD_DIR SOURCE_DIR [--quick] [quality.py options]; QUICK=1 also means --quick.
set -eu
build=${1:?build dir}
src=${2:?source dir}
shift 2
PYTHON=${PYTHON:-/usr/bin/python3}
PATH="$build:$PATH"
export PATH COVOPT_NO_PROGRESS=1
case "${QUICK:-}" in
''|0|no|false) ;;
*) set -- --quick "$@" ;;
esac
git covopt --version >/dev/null
exec "$PYTHON" "$src/bench/quality/quality.py" --results "$src/bench/results" "$@"
