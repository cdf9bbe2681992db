# bench/run-select.sh - sourced by bench/run.sh: select's speed on generated repositories.
# 10,000 tests over 5,000 files and 100,000 tests; a 50-file change; next to git diff --stat.

bench_select () {
	tests=$1
	repo="$work/select-$tests"
	echo
	echo "== select: $tests tests over 5,000 files, a 50-file change"
	"$PYTHON" "$src/bench/gen-coverage.py" "$repo" --files 5000 \
		--tests "$tests" --per-test 8
	(
		cd "$repo" &&
		git covopt record -q --coverage .coverage --junit junit.xml &&
		"$PYTHON" "$src/bench/change.py" . 50 &&
		git commit -q -am "a 50-file change"
	) || exit 1
	cd "$repo"
	for what in "worktree against HEAD~1" "HEAD~1 against HEAD"; do
		case $what in
		worktree*) git reset -q --soft HEAD~1; rev="HEAD" ;;
		*) git commit -q -m again >/dev/null 2>&1 || :; rev="HEAD~1 HEAD" ;;
		esac
		# shellcheck disable=SC2086
		set -- $(measure 7 git covopt select $rev)
		sel_t=$1 sel_m=$2
		# shellcheck disable=SC2086
		set -- $(measure 7 git diff --stat $rev)
		diff_t=$1 diff_m=$2
		# shellcheck disable=SC2086
		n=$(git covopt select $rev | wc -l)
		printf '%-44s %8.1f ms  (peak %s KiB, %s tests selected)\n' \
			"git covopt select ($what)" "$(awk "BEGIN{print $sel_t*1000}")" "$sel_m" "$n"
		printf '%-44s %8.1f ms  (peak %s KiB)\n' "git diff --stat (same change)" \
			"$(awk "BEGIN{print $diff_t*1000}")" "$diff_m"
		awk "BEGIN{printf \"%-44s %8.2fx  (goal <= 2x)\n\", \"ratio\", $sel_t/$diff_t}"
	done
	# shellcheck disable=SC2086
	set -- $(measure 7 git covopt select -t 60 HEAD~1 HEAD)
	printf '%-44s %8.1f ms  (peak %s KiB)\n' "git covopt select -t 60 (commits)" \
		"$(awk "BEGIN{print $1*1000}")" "$2"
	cd "$work"
	rm -rf "$repo"
}

bench_select 10000
bench_select 100000
