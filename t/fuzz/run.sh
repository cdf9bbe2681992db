#!/bin/sh
# run.sh - build the libFuzzer harnesses with clang (ASan + UBSan) and run each for a while.
# The library is compiled apart, in the build directory given, so the normal build is untouched.
#
# Usage: run.sh SRCDIR BUILDDIR [HARNESS...]   (default: every t/fuzz/fuzz-*.c)
# Environment: CLANG (default clang), FUZZ_SECONDS (default 60), FUZZ_SEED
# (libFuzzer's -seed; default 0: a new one each run), FUZZ_CFLAGS
# and FUZZ_LIBS (the libraries' pkg-config flags; make fuzz sets them).
# Prints one line a harness, "ok fuzz-X: ..." or "not ok fuzz-X: ...", then
# a summary; exits 1 when a harness crashed, leaked, hung or could not build.
# The crashing input is kept in BUILDDIR/crashes/.
set -u
src=${1:?usage: run.sh SRCDIR BUILDDIR [HARNESS...]}
build=${2:?usage: run.sh SRCDIR BUILDDIR [HARNESS...]}
shift 2
CLANG=${CLANG:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SEED=${FUZZ_SEED:-0}
FUZZ_CFLAGS=${FUZZ_CFLAGS:-}
FUZZ_LIBS=${FUZZ_LIBS:-}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS="-std=gnu11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -iquote $src/src -iquote $src/t/fuzz -include $src/src/banned.h"

case $FUZZ_SECONDS in
''|*[!0-9]*) echo "run.sh: FUZZ_SECONDS must be a number of seconds" >&2; exit 2 ;;
esac
case $FUZZ_SEED in
''|*[!0-9]*) echo "run.sh: FUZZ_SEED must be a number" >&2; exit 2 ;;
esac
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "run.sh: '$CLANG' not found: make fuzz needs clang and libFuzzer" \
		"(apt-get install clang libclang-rt-dev)" >&2
	exit 2
fi
mkdir -p "$build/obj/ingest" "$build/crashes" || exit 2
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return 0; }\n' \
	>"$build/probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address "$build/probe.c" -o "$build/probe" \
	>"$build/probe.log" 2>&1; then
	echo "run.sh: '$CLANG' cannot link with -fsanitize=fuzzer: install" \
		"libFuzzer (apt-get install libclang-rt-dev)" >&2
	exit 2
fi

# -max_len a harness: notes and reports are larger than paths and names.
max_len() {
	case $1 in
	model-decode|junit) echo 16384 ;;
	features|diff) echo 8192 ;;
	config|coverage-context) echo 4096 ;;
	*) echo 2048 ;;
	esac
}

# The library without its command-line front end, compiled when changed.
build_library() {
	objs=
	for c in "$src"/src/*.c "$src"/src/ingest/*.c; do
		case $c in */src/git-covopt.c) continue ;; esac
		o=$build/obj/${c#"$src"/src/}
		o=${o%.c}.o
		if [ ! -f "$o" ] || [ -n "$(find "$src/src" -name '*.[ch]' \
			-newer "$o" 2>/dev/null | head -n1)" ]; then
			# shellcheck disable=SC2086
			"$CLANG" $CFLAGS $SAN -fsanitize=fuzzer-no-link $FUZZ_CFLAGS \
				-c "$c" -o "$o" || return 1
		fi
		objs="$objs $o"
	done
	rm -f "$build/libcovopt-fuzz.a"
	# shellcheck disable=SC2086
	ar cr "$build/libcovopt-fuzz.a" $objs
}

build_harness() {
	# shellcheck disable=SC2086
	"$CLANG" $CFLAGS $SAN -fsanitize=fuzzer -Wall -Wno-unused-parameter \
		-Werror=implicit-function-declaration $FUZZ_CFLAGS \
		"$src/t/fuzz/fuzz-$1.c" "$build/libcovopt-fuzz.a" $FUZZ_LIBS -lm \
		-o "$build/fuzz-$1"
}

# Run one harness on a scratch copy of its corpus (seeds and regressions).
run_harness() {
	h=$1 work=$build/run/$1
	rm -rf "$work" && mkdir -p "$work/corpus" || return 1
	for d in corpus regress; do
		[ -d "$src/t/fuzz/$d/$h" ] && cp "$src/t/fuzz/$d/$h"/* "$work/corpus/" \
			2>/dev/null
	done
	set --
	[ -f "$src/t/fuzz/dict/$h.dict" ] && set -- -dict="$src/t/fuzz/dict/$h.dict"
	# -close_fd_mask=2: the library's error lines go nowhere; libFuzzer
	# and the sanitizers keep a copy of stderr for their reports.
	"$build/fuzz-$h" -max_total_time="$FUZZ_SECONDS" -max_len="$(max_len "$h")" \
		-timeout=10 -rss_limit_mb=2048 -close_fd_mask=2 -print_final_stats=1 -seed="$FUZZ_SEED" \
		-artifact_prefix="$build/crashes/$h-" "$@" "$work/corpus" \
		>"$work/log" 2>&1
}

build_library || { echo "not ok: the library does not build with $CLANG"; exit 1; }
[ $# -gt 0 ] || set -- $(cd "$src/t/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')
passed=0 failed=0
for h in "$@"; do
	if ! build_harness "$h"; then
		echo "not ok fuzz-$h: does not build"
		failed=$((failed + 1))
		continue
	fi
	run_harness "$h"
	rc=$?
	log=$build/run/$h/log
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	size=$(ls "$build/run/$h/corpus" | wc -l)
	if [ $rc -eq 0 ]; then
		echo "ok fuzz-$h: ${runs:-?} executions, corpus $size inputs"
		passed=$((passed + 1))
	else
		echo "not ok fuzz-$h: exit $rc after ${runs:-?} executions, corpus $size inputs"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' \
			"$log" | head -n 8 | sed 's/^/#   /'
		echo "#   full log: $log"
		failed=$((failed + 1))
	fi
done
echo "# fuzz: $passed passed, $failed failed ($FUZZ_SECONDS s each)"
[ "$failed" -eq 0 ]
