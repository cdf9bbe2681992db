#!/bin/sh
# t4000-sync.sh - "git covopt push" and "fetch" between two clones of a bare remote, with real pytest.
# Clone A records commits 1 and 2, clone B commit 3 and (flag e2e) commit 1; in any order, nothing is lost.

test_description='git covopt fetch/push: models travel between clones and merge without loss'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# reset_notes: the remote without notes; each clone back to the notes it
# recorded itself (saved in refs/notes/saved), with no remote-tracking ones.
reset_notes () {
	git -C remote.git update-ref -d refs/notes/covopt &&
	for clone in A B
	do
		git -C $clone update-ref refs/notes/covopt refs/notes/saved &&
		git -C $clone update-ref -d refs/notes/covopt-remotes/origin ||
		return 1
	done
}

# flags_of CLONE REV: "flag tests" lines of the model of REV in CLONE.
flags_of () {
	git -C "$1" covopt show --json "$2" >"$TRASH_DIRECTORY/show.json" &&
	"$PYTHON" - "$TRASH_DIRECTORY/show.json" <<-\EOF
	import collections, json, sys
	m = json.load(open(sys.argv[1]))
	n = collections.Counter(t["flag"] for t in m["tests"])
	for f in sorted(f["name"] for f in m["flags"]):
	    print(f, n[f])
	EOF
}

# note_blob CLONE REF REV: the blob of REV's note in REF ("-" if none).
note_blob () {
	git -C "$1" notes --ref="$2" list "$3" 2>/dev/null || echo -
}

# check_converged: after a fetch in each clone, both hold the same notes
# tree as the remote, with all three notes; commits 2 and 3 keep the notes
# they were recorded with; commit 1 holds both flags, each with tests.
check_converged () {
	git -C A covopt fetch -q &&
	git -C B covopt fetch -q &&
	git -C remote.git rev-parse "refs/notes/covopt^{tree}" >expect.tree &&
	git -C A rev-parse "refs/notes/covopt^{tree}" >A.tree &&
	git -C B rev-parse "refs/notes/covopt^{tree}" >B.tree &&
	test_cmp expect.tree A.tree &&
	test_cmp expect.tree B.tree &&
	git -C A notes --ref=covopt list >A.list &&
	cut -d" " -f2 A.list | sort >annotated &&
	sort commits >expect.commits &&
	test_cmp expect.commits annotated &&
	test "$(note_blob A covopt $c2)" = "$(note_blob A saved $c2)" &&
	test "$(note_blob B covopt $c3)" = "$(note_blob B saved $c3)" &&
	flags_of A $c1 >A.flags &&
	flags_of B $c1 >B.flags &&
	test_cmp expect.flags A.flags &&
	test_cmp expect.flags B.flags
}

test_expect_success 'setup: a remote with three commits, two clones' '
	covopt_example_repo seed &&
	(
		cd seed &&
		edit inventory/units.py "s.replace(\"def factor(\", \"# the factor\ndef factor(\")" &&
		test_tick && git commit -q -am "commit 2" &&
		edit inventory/stock.py "s.replace(\"if qty < threshold]\", \"if qty < threshold and item]\")" &&
		test_tick && git commit -q -am "commit 3"
	) &&
	c1=$(git -C seed rev-parse HEAD~2) &&
	c2=$(git -C seed rev-parse HEAD~1) &&
	c3=$(git -C seed rev-parse HEAD) &&
	printf "%s\n" $c1 $c2 $c3 >commits &&
	git clone -q --bare seed remote.git &&
	git clone -q "file://$TRASH_DIRECTORY/remote.git" A &&
	git clone -q "file://$TRASH_DIRECTORY/remote.git" B
'

test_expect_success 'setup: A records commits 1 and 2, B commit 3 and commit 1 (e2e)' '
	(
		cd A &&
		git checkout -q $c1 &&
		covopt_record -q &&
		git checkout -q $c2 &&
		covopt_record -q &&
		git checkout -q main &&
		git update-ref refs/notes/saved refs/notes/covopt
	) &&
	(
		cd B &&
		covopt_record -q &&
		git checkout -q $c1 &&
		covopt_run_pytest tests/test_units.py &&
		git covopt record -q --flag e2e --coverage .coverage \
			--junit junit.xml &&
		git checkout -q main &&
		git update-ref refs/notes/saved refs/notes/covopt
	) &&
	flags_of A $c1 >A.flags &&
	flags_of B $c1 >B.flags &&
	grep "^default [1-9]" A.flags &&
	grep "^e2e [1-9]" B.flags &&
	n_e2e=$(cut -d" " -f2 B.flags) &&
	n_all=$(cut -d" " -f2 A.flags) &&
	test "$n_e2e" -lt "$n_all" &&
	printf "default %d\ne2e %d\n" $((n_all - n_e2e)) $n_e2e >expect.flags
'

test_expect_success 'fetch from a remote without notes does nothing' '
	git -C A covopt fetch 2>err &&
	grep "remote .origin. has no notes yet" err &&
	git -C A rev-parse refs/notes/saved >expect &&
	git -C A rev-parse refs/notes/covopt >actual &&
	test_cmp expect actual
'

test_expect_success 'A pushes, then B pushes, then both fetch' '
	reset_notes &&
	git -C A covopt push &&
	git -C B covopt push 2>err &&
	grep "merged" err &&
	check_converged
'

test_expect_success 'B pushes, then A pushes, then both fetch' '
	reset_notes &&
	git -C B covopt push &&
	git -C A covopt push &&
	check_converged
'

test_expect_success 'the merged tree is the same whichever clone merges' '
	reset_notes &&
	git -C B covopt push -q &&
	git -C A covopt fetch -q &&
	git -C A rev-parse "refs/notes/covopt^{tree}" >merged-in-A &&
	git -C A rev-parse refs/notes/covopt^1 refs/notes/covopt^2 >parents &&
	git -C A rev-parse refs/notes/saved refs/notes/covopt-remotes/origin >expect &&
	test_cmp expect parents &&
	reset_notes &&
	git -C A covopt push -q &&
	git -C B covopt fetch -q &&
	git -C B rev-parse "refs/notes/covopt^{tree}" >merged-in-B &&
	test_cmp merged-in-A merged-in-B
'

test_expect_success 'two clones that merged each other converge' '
	reset_notes &&
	git clone -q --bare seed side.git &&
	git -C A remote add side "file://$TRASH_DIRECTORY/side.git" &&
	git -C B remote add side "file://$TRASH_DIRECTORY/side.git" &&
	git -C A covopt push -q side &&
	git -C B covopt push -q &&
	git -C A covopt fetch -q &&
	git -C B covopt fetch -q side &&
	git -C A rev-parse "refs/notes/covopt^{tree}" >A.tree &&
	git -C B rev-parse "refs/notes/covopt^{tree}" >B.tree &&
	test_cmp A.tree B.tree &&
	git -C A rev-parse refs/notes/covopt >A.commit &&
	git -C B rev-parse refs/notes/covopt >B.commit &&
	! cmp -s A.commit B.commit &&
	git -C A covopt push -q &&
	git -C B covopt push -q &&
	git -C A covopt fetch -q &&
	git -C A rev-parse refs/notes/covopt >A.commit &&
	git -C B rev-parse refs/notes/covopt >B.commit &&
	test_cmp A.commit B.commit &&
	git -C B rev-parse "refs/notes/covopt^{tree}" >B.tree &&
	test_cmp A.tree B.tree
'

for round in 1 2 3
do
	test_expect_success "A and B push at the same moment (round $round)" '
		reset_notes &&
		(cd A && git covopt push >../out.A 2>../err.A; echo $? >../rc.A) &
		(cd B && git covopt push >../out.B 2>../err.B; echo $? >../rc.B) &
		wait &&
		echo 0 >expect.rc &&
		test_cmp expect.rc rc.A &&
		test_cmp expect.rc rc.B &&
		test_must_be_empty out.A &&
		test_must_be_empty out.B &&
		check_converged
	'
done

test_expect_success 'git notes lists and shows the merged notes' '
	git -C A notes --ref=covopt list >list &&
	test_line_count = 3 list &&
	git -C A notes --ref=covopt show $c1 >note.c1 &&
	git -C A cat-file blob "$(git -C A notes --ref=covopt list $c1)" >blob.c1 &&
	cmp note.c1 blob.c1 &&
	git -C A log --format=%s -1 refs/notes/covopt >/dev/null
'

test_expect_success 'a corrupt note is left out with a warning; the good one wins' '
	reset_notes &&
	git -C B covopt push -q &&
	git -C A notes --ref=covopt add -f -m garbage $c3 &&
	git -C A covopt fetch 2>err &&
	grep "^warning: left out the corrupt note for commit .$c3. from .refs/notes/covopt.; kept the one from .refs/notes/covopt-remotes/origin.$" err &&
	test "$(note_blob A covopt $c3)" = "$(note_blob B saved $c3)" &&
	git -C A covopt show $c3 >/dev/null &&
	git -C A covopt push -q 2>err &&
	git -C B covopt fetch -q &&
	test "$(note_blob B covopt $c3)" = "$(note_blob B saved $c3)"
'

test_expect_success 'a corrupt incoming note is left out before merging, ours kept' '
	reset_notes &&
	git -C B notes --ref=covopt add -f -m garbage-b $c1 &&
	git -C B covopt push -q &&
	git -C A notes --ref=covopt add -f -m garbage-a $c1 &&
	note_blob A covopt $c1 >before &&
	git -C A covopt fetch -q 2>err &&
	test_line_count = 1 err &&
	grep "^warning: left out the note for commit $c1 in .refs/notes/covopt-remotes/origin.: " err &&
	note_blob A covopt $c1 >after &&
	test_cmp before after &&
	git -C A covopt fetch -q 2>err &&
	test_must_be_empty err
'

test_expect_success 'a push to a remote that does not exist fails with one line' '
	reset_notes &&
	test_must_fail git -C A covopt push nowhere >out 2>err &&
	test_must_be_empty out &&
	echo "error: no such remote '"'"'nowhere'"'"'" >expect &&
	test_cmp expect err &&
	test_must_fail git -C A covopt fetch nowhere 2>err &&
	test_cmp expect err
'

test_expect_success 'the default remote is the current branch'"'"'s remote' '
	reset_notes &&
	git clone -q --bare seed mirror.git &&
	git -C A remote add mirror "file://$TRASH_DIRECTORY/mirror.git" &&
	test_when_finished "git -C A config --unset branch.main.remote; git -C A config branch.main.remote origin" &&
	git -C A config branch.main.remote mirror &&
	git -C A covopt push -q &&
	git -C A rev-parse refs/notes/covopt >expect &&
	git -C mirror.git rev-parse refs/notes/covopt >actual &&
	test_cmp expect actual &&
	test_must_fail git -C remote.git rev-parse -q --verify refs/notes/covopt
'

test_expect_success 'usage: too many arguments, unknown option' '
	test_expect_code 129 git -C A covopt push origin extra 2>err &&
	grep "too many arguments" err &&
	test_expect_code 129 git -C A covopt fetch --bogus 2>err
'

test_done
