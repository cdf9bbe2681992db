#!/bin/sh
# t4100-gc.sh - "git covopt gc": models of unreachable or vanished commits go, every other one stays.
# Real recordings on the example project for the main case; notes written by git for the corner cases.

test_description='git covopt gc: drop the models no branch can use'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# notes_of REF: the annotated commits of the notes ref REF, sorted.
notes_of () {
	git notes --ref="$1" list | cut -d" " -f2 | sort
}

test_expect_success 'setup: models on main and on a topic branch' '
	covopt_example_repo repo &&
	(
		cd repo &&
		covopt_record -q &&
		echo "# more" >>README &&
		test_tick &&
		git commit -q -am "main: second" &&
		covopt_record -q &&
		git rev-parse HEAD~1 HEAD | sort >../main-models &&
		git checkout -q -b topic &&
		echo "# topic" >>README &&
		test_tick &&
		git commit -q -am "topic: one" &&
		covopt_record -q &&
		git rev-parse HEAD >../topic-model &&
		git checkout -q main &&
		git covopt select HEAD~1 >../selected-before
	) &&
	git -C repo notes --ref=covopt list >notes &&
	test_line_count = 3 notes
'

test_expect_success 'while the branch exists, nothing goes' '
	git -C repo rev-parse refs/notes/covopt >tip-before &&
	git -C repo covopt gc --dry-run >out &&
	git -C repo covopt gc >out2 2>err &&
	test_must_be_empty out &&
	test_must_be_empty out2 &&
	test_must_be_empty err &&
	git -C repo rev-parse refs/notes/covopt >tip-after &&
	test_cmp tip-before tip-after
'

test_expect_success 'a deleted branch is still reachable from the reflog of HEAD' '
	git -C repo branch -q -D topic &&
	git -C repo covopt gc --dry-run >out &&
	test_must_be_empty out
'

test_expect_success 'after the reflogs expire, --dry-run lists the model and drops nothing' '
	git -C repo reflog expire --expire=now --all &&
	git -C repo rev-parse refs/notes/covopt >tip-before &&
	git -C repo covopt gc --dry-run >out 2>err &&
	echo "drop $(cat topic-model) (unreachable)" >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	git -C repo rev-parse refs/notes/covopt >tip-after &&
	test_cmp tip-before tip-after
'

test_expect_success 'gc drops it in one notes commit; the models on main stay' '
	git -C repo covopt gc >out 2>err &&
	test_must_be_empty out &&
	echo "drop $(cat topic-model) (unreachable)" >expect &&
	test_cmp expect err &&
	(cd repo && notes_of covopt) >actual &&
	test_cmp main-models actual &&
	git -C repo rev-parse refs/notes/covopt^ >parent &&
	test_cmp tip-before parent &&
	git -C repo log --format=%s -1 refs/notes/covopt >subject &&
	echo "Notes removed by '\''git covopt gc'\''" >expect &&
	test_cmp expect subject &&
	git -C repo covopt show --json main >/dev/null &&
	git -C repo covopt select HEAD~1 >selected-after &&
	test_cmp selected-before selected-after
'

test_expect_success 'a second gc finds nothing and writes nothing' '
	git -C repo rev-parse refs/notes/covopt >tip-before &&
	git -C repo covopt gc >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	git -C repo rev-parse refs/notes/covopt >tip-after &&
	test_cmp tip-before tip-after
'

# The corner cases use notes written by git itself: gc does not read them.
# The detached HEAD moves back to main at the end: the next test sees that
# commit go when the reflogs expire.
test_expect_success 'tags, a detached HEAD and remote-tracking branches keep models' '
	(
		cd repo &&
		git checkout -q -b tagged &&
		test_tick && git commit -q --allow-empty -m tagged &&
		git tag -a -m "release" v1 &&
		git notes --ref=covopt add -C $(git notes --ref=covopt list main) HEAD &&
		git checkout -q -b tracked main &&
		test_tick && git commit -q --allow-empty -m tracked &&
		git update-ref refs/remotes/origin/tracked HEAD &&
		git notes --ref=covopt add -C $(git notes --ref=covopt list main) HEAD &&
		git checkout -q --detach main &&
		test_tick && git commit -q --allow-empty -m detached &&
		git notes --ref=covopt add -C $(git notes --ref=covopt list main) HEAD &&
		git rev-parse HEAD >../detached &&
		git branch -q -D tagged tracked &&
		git reflog expire --expire=now --all &&
		git covopt gc --dry-run >../out &&
		git checkout -q main
	) &&
	test_must_be_empty out
'

test_expect_success 'commits that no longer exist are dropped as missing' '
	(
		cd repo &&
		git checkout -q --detach main &&
		test_tick && git commit -q --allow-empty -m doomed &&
		git notes --ref=covopt add -C $(git notes --ref=covopt list main) HEAD &&
		git rev-parse HEAD >../doomed &&
		git checkout -q main &&
		git reflog expire --expire=now --all &&
		git gc -q --prune=now &&
		test_must_fail git cat-file -e $(cat ../doomed) &&
		git covopt gc >../out 2>../err
	) &&
	cat detached doomed | sort | sed "s/.*/drop & (missing)/" >expect &&
	test_line_count = 2 expect &&
	test_cmp expect err &&
	test_must_be_empty out
'

test_expect_success 'fanned-out notes: hundreds dropped, empty directories removed' '
	(
		cd repo &&
		notes_of covopt >../before &&
		{
			echo "commit refs/heads/doomed" &&
			echo "committer C <c@example.com> 1700000000 +0000" &&
			echo "data 0" &&
			for i in $(seq 300)
			do
				echo "commit refs/heads/doomed" &&
				echo "mark :$i" &&
				echo "committer C <c@example.com> 1700000000 +0000" &&
				echo "data <<EOM" && echo "doomed $i" && echo "EOM" || return 1
			done &&
			echo "commit refs/notes/covopt" &&
			echo "committer C <c@example.com> 1700000000 +0000" &&
			echo "data 0" &&
			echo "from refs/notes/covopt^0" &&
			for i in $(seq 300)
			do
				echo "N inline :$i" && echo "data 1" && echo "x" || return 1
			done
		} | git fast-import --quiet &&
		git ls-tree --name-only refs/notes/covopt >../top &&
		git branch -q -D doomed &&
		git covopt gc --dry-run >../dry &&
		git covopt gc 2>../err &&
		notes_of covopt >../after &&
		git ls-tree -r -t --name-only refs/notes/covopt >../tree
	) &&
	grep "^[0-9a-f][0-9a-f]$" top >fanout &&
	test_line_count -gt 10 fanout &&
	test_line_count = 300 dry &&
	test_cmp dry err &&
	test_cmp before after &&
	grep / tree | tr -d / | sort >notes &&
	test_cmp before notes &&
	for dir in $(grep -v / tree)
	do
		grep "^$dir/" tree >/dev/null || {
			echo "empty fan-out directory $dir left" >&2
			return 1
		}
	done
'

test_expect_success '--ref: another notes ref, and a missing one is nothing to do' '
	(
		cd repo &&
		git checkout -q --detach main &&
		test_tick && git commit -q --allow-empty -m other &&
		git notes --ref=other add -m model HEAD &&
		git rev-parse HEAD >../other &&
		git checkout -q main &&
		git reflog expire --expire=now --all &&
		notes_of covopt >../before &&
		git covopt gc --ref other --dry-run >../out &&
		git covopt gc --ref=no-such-ref >../none 2>&1 &&
		COVOPT_NOTES_REF=refs/notes/other git covopt gc 2>../err &&
		notes_of covopt >../after &&
		notes_of other >../left
	) &&
	echo "drop $(cat other) (unreachable)" >expect &&
	test_cmp expect out &&
	test_cmp expect err &&
	test_must_be_empty none &&
	test_must_be_empty left &&
	test_cmp before after
'

test_expect_success 'a repository with no branch, tag or HEAD keeps everything' '
	git init -q --bare notes-only.git &&
	git -C repo push -q ../notes-only.git refs/notes/covopt &&
	git -C notes-only.git rev-parse refs/notes/covopt >tip-before &&
	test_must_fail git -C notes-only.git covopt gc 2>err &&
	test_line_count = 1 err &&
	grep "no branch, tag or HEAD" err &&
	git -C notes-only.git rev-parse refs/notes/covopt >tip-after &&
	test_cmp tip-before tip-after
'

test_expect_success 'a shallow clone refuses: what it lacks is not unreachable' '
	git clone -q --depth 1 "file://$TRASH_DIRECTORY/repo" shallow &&
	git -C shallow fetch -q origin refs/notes/covopt:refs/notes/covopt &&
	test_must_fail git -C shallow covopt gc --dry-run >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "shallow" err
'

test_expect_success 'usage errors' '
	test_expect_code 129 git -C repo covopt gc extra 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git -C repo covopt gc --no-such-option 2>err &&
	grep "usage: git covopt gc" err
'

test_done
