#!/bin/sh
# t2007-record-disk-full.sh - record on a nearly full disk (a small tmpfs, when mount is permitted):
# each failure names the real cause, ENOSPC, in one line, and leaves the notes ref as it was.

test_description='record on a full disk names the cause'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

mkdir small &&
if ! mount -t tmpfs -o size=4m tmpfs small 2>/dev/null
then
	rmdir small
	skip_all='cannot mount a small tmpfs (needs root)'
	test_done
fi

test_expect_success 'setup: a project with a run to record, and its copy on the tmpfs' '
	covopt_example_repo repo &&
	(cd repo && covopt_run_pytest) &&
	mv repo/.coverage repo/junit.xml . &&
	cp -R repo small/repo
'

# record_with_free K: fill the tmpfs up to K KB free, record, empty it.
record_with_free () {
	free=$(df -k --output=avail small | tail -n 1) &&
	fallocate -l $(( (free - $1) * 1024 )) small/filler &&
	(
		cd small/repo &&
		git covopt record --coverage ../../.coverage \
			--junit ../../junit.xml
	) >out 2>err
	ret=$?
	rm -f small/filler
	return $ret
}

test_expect_success 'each failing record says no space is left, in one line' '
	failures=0 &&
	for k in 2 4 6 8 10 12 16
	do
		if record_with_free $k
		then
			git -C small/repo notes --ref=covopt remove -q HEAD
		else
			test_line_count = 1 err &&
			grep "^error: .*No space left on device" err &&
			! grep "target OID" err &&
			test_must_fail git -C small/repo rev-parse -q --verify \
				refs/notes/covopt &&
			failures=$((failures + 1)) || return 1
		fi
	done &&
	test $failures -gt 0
'

test_expect_success 'with room again, record succeeds' '
	(
		cd small/repo &&
		git covopt record --coverage ../../.coverage \
			--junit ../../junit.xml
	) &&
	git -C small/repo notes --ref=covopt list HEAD
'

umount small && rmdir small
test_done
