#!/bin/sh
# t4200-corrupt-note.sh - a note that does not decode never blocks: it is reported once, with its
# remedy, and passed by (select, show, run, record); gc removes it; fetch leaves it out.

test_description='a corrupt note: reported once and skipped, never blocking'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

SQ="'"

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

# put_garbage_note REPO REF REV: 200 fixed pseudo-random bytes as REV's
# note in REF, stored as they are (git notes -C keeps the blob).
put_garbage_note () {
	"$PYTHON" -c "import random, sys; random.seed(13); sys.stdout.buffer.write(bytes(random.randrange(256) for _ in range(200)))" >garbage &&
	blob=$(git -C "$1" hash-object -w --stdin <garbage) &&
	git -C "$1" notes --ref="$2" add -f -C "$blob" "$3"
}

# one_warning ERR [REF]: ERR is one line, the warning about C1's note in REF
# (default refs/notes/covopt) with its reason and remedy.
one_warning () {
	ref=${2:-refs/notes/covopt} &&
	c1=$(cat "$TRASH_DIRECTORY/c1") &&
	test_line_count = 1 "$1" &&
	grep -x "warning: note for commit $c1 in ${SQ}$ref${SQ}: .*; skipped it: remove it with ${SQ}git covopt gc${SQ} or ${SQ}git notes --ref=$ref remove $c1${SQ}" "$1"
}

test_expect_success 'setup: a valid model on C0, random bytes as the note of C1, C2 above' '
	covopt_runner_repo repo &&
	(
		cd repo &&
		git rev-parse HEAD >../c0 &&
		echo "# one" >>README &&
		test_tick &&
		git commit -q -am C1 &&
		git rev-parse HEAD >../c1 &&
		echo "# two" >>README &&
		test_tick &&
		git commit -q -am C2 &&
		git rev-parse HEAD >../c2
	) &&
	put_garbage_note repo refs/notes/covopt $(cat c1) &&
	git -C repo update-ref refs/notes/good $(git -C repo rev-parse refs/notes/covopt~1) &&
	git -C repo notes --ref=good list >good.list &&
	test_line_count = 1 good.list
'

test_expect_success 'select C2 uses C0 model, with one warning naming the remedy' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select --ref=refs/notes/good $(cat ../c2) >../expect 2>../err.good &&
		git covopt select $(cat ../c2) >../actual 2>../err
	) &&
	test_must_be_empty err.good &&
	one_warning err &&
	test -s expect &&
	test_cmp expect actual
'

test_expect_success 'one flipped byte in a test id of a note: checksum mismatch, C0 model used' '
	test_when_finished "git -C repo checkout -q ." &&
	git -C repo cat-file blob "refs/notes/good:$(cat c0)" >note &&
	"$PYTHON" - note <<-\EOF &&
	import sys
	b = bytearray(open(sys.argv[1], "rb").read())
	at = b.rfind(b"::test_")
	assert at > 0, "no test id in the note"
	b[at + 7] ^= 0x20
	open(sys.argv[1], "wb").write(b)
	EOF
	blob=$(git -C repo hash-object -w --stdin <note) &&
	git -C repo update-ref refs/notes/flipped refs/notes/good &&
	git -C repo notes --ref=flipped add -f -C "$blob" $(cat c1) &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select --ref=refs/notes/good $(cat ../c2) >../expect 2>../err.good &&
		git covopt select --ref=refs/notes/flipped $(cat ../c2) >../actual 2>../err
	) &&
	test_must_be_empty err.good &&
	one_warning err refs/notes/flipped &&
	grep "corrupt model: checksum mismatch" err &&
	test -s expect &&
	test_cmp expect actual
'

test_expect_success 'show names the model of C0 and warns once' '
	git -C repo covopt show --json $(cat c2) >show.json 2>err &&
	one_warning err &&
	"$PYTHON" - c0 <<-\EOF
	import json, sys
	d = json.load(open("show.json"))
	c0 = open(sys.argv[1]).read().strip()
	assert d["model_commit"] == c0, (d["model_commit"], c0)
	EOF
'

test_expect_success 'run --dry-run uses C0 model, warning once' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt run --dry-run --ref=refs/notes/good >../dry.expect 2>../err.good &&
		git covopt run --dry-run >../dry.json 2>../err
	) &&
	one_warning err &&
	test_cmp dry.expect dry.json &&
	"$PYTHON" - <<-\EOF
	import json
	d = json.load(open("dry.json"))
	assert d["ats_fallback_reason"] is None, d
	assert d["ats_tests_to_run"], d
	EOF
'

test_expect_success 'run --dry-run falls back to every test when only the corrupt note is left' '
	put_garbage_note repo refs/notes/bad $(cat c1) &&
	git -C repo covopt run --dry-run --ref=refs/notes/bad >dry.json 2>err &&
	grep "^warning: note for" err >warnings &&
	one_warning warnings refs/notes/bad &&
	grep "running every test" err &&
	"$PYTHON" - <<-\EOF
	import json
	d = json.load(open("dry.json"))
	assert d["ats_fallback_reason"].startswith("no model"), d
	assert len(d["ats_tests_to_run"]) == 26, len(d["ats_tests_to_run"])
	EOF
'

test_expect_success 'record on a child of C1 carries forward from C0' '
	git -C repo rev-parse refs/notes/covopt >tip.before &&
	(
		cd repo &&
		covopt_record -q --flag=other 2>../err
	) &&
	one_warning err &&
	git -C repo rev-parse refs/notes/covopt >tip.after &&
	! test_cmp tip.before tip.after &&
	git -C repo covopt show --json $(cat c2) >show.json 2>err &&
	test_must_be_empty err &&
	"$PYTHON" - c2 <<-\EOF
	import json, sys
	d = json.load(open("show.json"))
	c2 = open(sys.argv[1]).read().strip()
	assert d["model_commit"] == c2, d["model_commit"]
	assert sorted(f["name"] for f in d["flags"]) == ["default", "other"], d["flags"]
	EOF
'

test_expect_success 'fetch into a clone with no notes leaves the corrupt note out, naming it' '
	git clone -q "file://$TRASH_DIRECTORY/repo" clone &&
	git -C clone covopt fetch -q 2>err &&
	c1=$(cat c1) &&
	test_line_count = 1 err &&
	grep "^warning: left out the note for commit $c1 in ${SQ}refs/notes/covopt-remotes/origin${SQ}: " err &&
	git -C clone notes --ref=covopt list | cut -d" " -f2 | sort >fetched &&
	git -C repo notes --ref=covopt list | cut -d" " -f2 | grep -v $c1 | sort >expect &&
	test_line_count = 2 expect &&
	test_cmp expect fetched &&
	git -C clone rev-parse refs/notes/covopt >tip.before &&
	git -C clone covopt fetch -q 2>err &&
	test_must_be_empty err &&
	git -C clone rev-parse refs/notes/covopt >tip.after &&
	test_cmp tip.before tip.after
'

test_expect_success 'gc --dry-run lists the corrupt note and keeps it' '
	git -C repo rev-parse refs/notes/covopt >tip.before &&
	git -C repo covopt gc --dry-run >out 2>err &&
	test_must_be_empty err &&
	test_line_count = 1 out &&
	grep "^drop $(cat c1) (corrupt: note for commit $(cat c1) in .refs/notes/covopt.: " out &&
	git -C repo rev-parse refs/notes/covopt >tip.after &&
	test_cmp tip.before tip.after
'

test_expect_success 'gc removes the corrupt note and keeps the others' '
	git -C repo notes --ref=covopt list | cut -d" " -f2 | grep -v $(cat c1) | sort >expect &&
	git -C repo covopt gc >out 2>err &&
	test_must_be_empty out &&
	test_line_count = 1 err &&
	grep "^drop $(cat c1) (corrupt: " err &&
	git -C repo notes --ref=covopt list | cut -d" " -f2 | sort >actual &&
	test_cmp expect actual &&
	git -C repo covopt select $(cat c2) >/dev/null 2>err &&
	test_must_be_empty err
'

test_done
