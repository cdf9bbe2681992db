#!/bin/sh
# t9000-fuzz-replay.sh - every fuzz harness, built with the normal compiler, replays its inputs.
# The seed corpus and the crashes fuzzing found (t/fuzz/regress/) must run clean, under ASan too.

test_description='fuzz harnesses replay their corpora'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

fuzz_dir=$COVOPT_SOURCE_DIR/t/fuzz

for h in model-decode features imports junit coverage-context config diff \
	path-map
do
	test_expect_success "replay-$h runs its seeds and regressions" "
		set -- '$fuzz_dir/corpus/$h' &&
		if test -d '$fuzz_dir/regress/$h'
		then
			set -- \"\$@\" '$fuzz_dir/regress/$h'
		fi &&
		'$COVOPT_BUILD_DIR/t/fuzz/replay-$h' \"\$@\" >out 2>err &&
		grep '^replayed [1-9][0-9]* inputs\$' out
	"
done

test_expect_success 'replay fails on an input it cannot read' '
	printf "x" >input &&
	"$COVOPT_BUILD_DIR/t/fuzz/replay-diff" input >out 2>err &&
	test_must_fail "$COVOPT_BUILD_DIR/t/fuzz/replay-diff" missing-file 2>err
'

test_done
