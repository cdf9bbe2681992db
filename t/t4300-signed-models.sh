#!/bin/sh
# t4300-signed-models.sh - trusted models: CI signs with an SSH key (gpg.format=ssh), --trust=signed
# uses only models whose signatures git's allowed signers file accepts; signatures survive fetch merges.

test_description='signed models: record --sign, select/run --trust=signed, fetch keeps signatures'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

if ! command -v ssh-keygen >/dev/null 2>&1
then
	skip_all='ssh-keygen (openssh-client) is not installed'
	test_done
fi

SQ="'"

# json_field FILE KEY: the value of KEY in the JSON document FILE, as
# Python prints it (None for null).
json_field () {
	"$PYTHON" -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"
}

# flag_signature FILE FLAG: "<signature> <signer>" of FLAG in show --json FILE.
flag_signature () {
	"$PYTHON" - "$1" "$2" <<-\EOF
	import json, sys
	for f in json.load(open(sys.argv[1]))["flags"]:
	    if f["name"] == sys.argv[2]:
	        print(f["signature"], f["signer"])
	EOF
}

# use_signing_setup REPO: REPO signs with CI's key and trusts what the
# allowed signers file (CI's key only) accepts.
use_signing_setup () {
	git -C "$1" config gpg.format ssh &&
	git -C "$1" config user.signingKey "$TRASH_DIRECTORY/keys/ci.pub" &&
	git -C "$1" config gpg.ssh.allowedSignersFile \
		"$TRASH_DIRECTORY/keys/allowed_signers"
}

test_expect_success 'setup: CI and rogue SSH keys, an allowed signers file with CI only' '
	mkdir keys &&
	ssh-keygen -q -t ed25519 -N "" -C ci -f keys/ci &&
	ssh-keygen -q -t ed25519 -N "" -C rogue -f keys/rogue &&
	echo "ci@example.com $(cat keys/ci.pub)" >keys/allowed_signers
'

# CI records tests/test_item.py in flag e2e, elsewhere: flag default of C1
# leaves it out, so that a developer's e2e recording of C1 meets it.
test_expect_success 'setup: C0 unsigned, C1 signed by CI, C2 unsigned, C3 signed by a rogue key' '
	covopt_runner_repo repo &&
	use_signing_setup repo &&
	(
		cd repo &&
		echo "# one" >>README &&
		test_tick &&
		git commit -q -am C1 &&
		git rev-parse HEAD >../c1 &&
		covopt_run_pytest --ignore=tests/test_item.py &&
		git covopt record -q --sign --coverage .coverage \
			--junit junit.xml &&
		echo "# two" >>README &&
		test_tick &&
		git commit -q -am C2 &&
		git rev-parse HEAD >../c2 &&
		covopt_record -q &&
		echo "# three" >>README &&
		test_tick &&
		git commit -q -am C3 &&
		git rev-parse HEAD >../c3 &&
		git config user.signingKey "$TRASH_DIRECTORY/keys/rogue.pub" &&
		covopt_record -q --sign &&
		git config user.signingKey "$TRASH_DIRECTORY/keys/ci.pub"
	)
'

test_expect_success 'show prints the signer of each flag' '
	git -C repo covopt show $(cat c1) >out &&
	grep "^flag default .*, signed by ci@example.com$" out &&
	git -C repo covopt show $(cat c2) >out &&
	grep "^flag default .*, unsigned$" out &&
	git -C repo covopt show $(cat c3) >out &&
	grep "^flag default .*, signature not trusted (key SHA256:.*: its key is not in gpg.ssh.allowedSignersFile)$" out
'

test_expect_success 'the signed model of C1 is used, and --json names its signer' '
	git -C repo covopt select --trust=signed --json $(cat c1) >out.json 2>err &&
	test_must_be_empty err &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test "$(json_field out.json model_signer)" = ci@example.com
'

test_expect_success 'the unsigned model of C2 is skipped with one line; C1 is used' '
	git -C repo covopt select --trust=signed --json $(cat c2) >out.json 2>err &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test "$(json_field out.json model_distance)" = 1 &&
	test "$(json_field out.json model_signer)" = ci@example.com &&
	test_line_count = 1 err &&
	grep -x "warning: model for commit $(cat c2) in ${SQ}refs/notes/covopt${SQ} is not trusted (unsigned); skipped it: record models with ${SQ}git covopt record --sign${SQ} (covopt.signModels)" err
'

test_expect_success 'a model signed by a key not in the allowed signers is skipped' '
	git -C repo covopt select --trust=signed --json $(cat c3) >out.json 2>err &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test_line_count = 2 err &&
	grep "^warning: model for commit $(cat c3) .* not trusted (signer key SHA256:[^ ]*; flag ${SQ}default${SQ}: its key is not in gpg.ssh.allowedSignersFile); skipped it: add the signer${SQ}s key to gpg.ssh.allowedSignersFile" err &&
	grep "^warning: model for commit $(cat c2) .*(unsigned)" err
'

test_expect_success '--verbose says which model and who signed it' '
	git -C repo covopt select --trust=signed -v $(cat c2) >/dev/null 2>err &&
	grep "^model: commit $(cut -c1-12 c1), 1 commit before the base $(cut -c1-12 c2), signed by ci@example.com$" err
'

test_expect_success 'without --trust behaviour is unchanged: the nearest model, no warning' '
	git -C repo covopt select --json $(cat c2) >out.json 2>err &&
	test_must_be_empty err &&
	test "$(json_field out.json model_commit)" = "$(cat c2)" &&
	test "$(json_field out.json model_signer)" = None &&
	git -C repo covopt select $(cat c3) >/dev/null 2>err &&
	test_must_be_empty err
'

test_expect_success 'without --trust a signature that cannot be checked is only not named' '
	test_when_finished "git -C repo config gpg.ssh.program ssh-keygen" &&
	git -C repo config gpg.ssh.program "$TRASH_DIRECTORY/no-such-program" &&
	git -C repo covopt select --json $(cat c1) >out.json 2>err &&
	test_must_be_empty err &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test "$(json_field out.json model_signer)" = None &&
	test_must_fail git -C repo covopt select --trust=signed $(cat c1) 2>err &&
	grep "cannot start" err &&
	grep "^error: no trusted (signed) model for" err
'

test_expect_success 'covopt.trust=signed is the default --trust; --trust=any overrides it' '
	test_when_finished "git -C repo config --unset covopt.trust" &&
	git -C repo config covopt.trust signed &&
	git -C repo covopt select --json $(cat c2) >out.json 2>err &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test_line_count = 1 err &&
	git -C repo covopt select --trust=any --json $(cat c2) >out.json 2>err &&
	test "$(json_field out.json model_commit)" = "$(cat c2)" &&
	test_must_be_empty err
'

test_expect_success 'a bad trust value is refused, naming it' '
	test_must_fail git -C repo covopt select --trust=some $(cat c2) 2>err &&
	grep "bad trust ${SQ}some${SQ}: any or signed" err
'

test_expect_success 'run --trust=signed without a trusted model runs every test and says why' '
	git -C repo update-ref refs/notes/dev refs/notes/covopt &&
	git -C repo notes --ref=dev remove $(cat c1) 2>/dev/null &&
	(
		cd repo &&
		git covopt run --dry-run --trust=signed --ref=dev >../dry.json 2>../err &&
		git covopt run --dry-run --ref=dev >../dry-any.json 2>../err-any
	) &&
	json_field dry.json ats_fallback_reason >reason &&
	grep "^no trusted (signed) model for $(cut -c1-12 c3) or its 100 nearest ancestors in refs/notes/dev (record one with ${SQ}git covopt record --sign${SQ}" reason &&
	grep "running every test" err &&
	"$PYTHON" -c "import json, sys; d = json.load(open(sys.argv[1])); sys.exit(not (d[\"ats_tests_to_skip\"] == [] and len(d[\"ats_tests_to_run\"]) == 26))" dry.json &&
	test "$(json_field dry-any.json ats_fallback_reason)" = None
'

test_expect_success 'select -h and run -h name --trust in their usage lines' '
	test_expect_code 129 git -C repo covopt select -h >out &&
	grep "^usage: git covopt select \[<options>\] \[--trust=<any|signed>\] " out &&
	test_expect_code 129 git -C repo covopt run -h >out &&
	grep "^usage: git covopt run \[<options>\] \[--trust=<any|signed>\] " out
'

# D2 (child of C1) has an unsigned model with flags default and dev; D3
# changes a function. run --record on D3 keeps the flags it does not run
# from the nearest model: D2's, or under --trust=signed C1's (no dev).
test_expect_success 'run --record --trust=signed carries forward only from trusted models' '
	test_when_finished "git -C repo checkout -q main" &&
	(
		cd repo &&
		git checkout -q -b carry $(cat ../c1) &&
		echo "# d2" >>README &&
		test_tick &&
		git commit -q -am D2 &&
		covopt_record -q &&
		covopt_record -q --flag dev &&
		edit inventory/units.py "s.replace(\"return amount * factor(unit)\", \"return factor(unit) * amount\")" &&
		test_tick &&
		git commit -q -am D3 &&
		git covopt run -q --record HEAD~1 >/dev/null 2>&1 &&
		git covopt show >../any.out &&
		git notes --ref=covopt remove HEAD 2>/dev/null &&
		git covopt run -q --record --trust=signed HEAD~1 >/dev/null 2>../err &&
		git covopt show >../signed.out
	) &&
	grep "^flag default " any.out &&
	grep "^flag dev " any.out &&
	grep "^flag default " signed.out &&
	! grep "^flag dev " signed.out &&
	grep "^warning: model for commit $(git -C repo rev-parse HEAD~1) .* is not trusted (unsigned); skipped it" err
'

test_expect_success 'record --sign without user.signingKey fails and names it' '
	test_when_finished "git -C repo config user.signingKey \"$TRASH_DIRECTORY/keys/ci.pub\"" &&
	git -C repo config --unset user.signingKey &&
	git -C repo rev-parse refs/notes/covopt >before &&
	(
		cd repo &&
		test_must_fail git covopt record -q --sign 2>../err
	) &&
	grep "user.signingKey is not set" err &&
	git -C repo rev-parse refs/notes/covopt >after &&
	test_cmp before after
'

test_expect_success 'covopt.signModels signs what record writes' '
	test_when_finished "git -C repo config --unset covopt.signModels" &&
	git -C repo config covopt.signModels true &&
	(
		cd repo &&
		git covopt record -q --coverage .coverage --junit junit.xml \
			--commit $(cat ../c2)
	) &&
	git -C repo covopt show $(cat c2) >out &&
	grep "^flag default .*, signed by ci@example.com$" out &&
	git -C repo covopt record -q --no-sign --coverage .coverage \
		--junit junit.xml --commit $(cat c2) &&
	git -C repo covopt show $(cat c2) >out &&
	grep "^flag default .*, unsigned$" out
'

test_expect_success 'setup: CI pushes its notes to a remote' '
	git clone -q --bare repo remote.git &&
	git -C repo remote add origin "$TRASH_DIRECTORY/remote.git" &&
	git -C repo covopt push -q origin
'

test_expect_success 'a signed model merged with another clone'\''s own notes still verifies' '
	git clone -q remote.git dev &&
	use_signing_setup dev &&
	(
		cd dev &&
		git checkout -q -b topic $(cat ../c3) &&
		echo "# four" >>README &&
		test_tick &&
		git commit -q -am C4 &&
		covopt_record -q &&
		git covopt fetch 2>../err &&
		git covopt show --json $(cat ../c1) >../show.json &&
		git covopt select --trust=signed --json $(cat ../c1) >../out.json
	) &&
	grep "merged with the notes of" err &&
	git -C dev rev-parse --verify -q refs/notes/covopt^2 &&
	flag_signature show.json default >actual &&
	echo "good ci@example.com" >expect &&
	test_cmp expect actual &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test "$(json_field out.json model_signer)" = ci@example.com
'

test_expect_success 'fetch --trust=signed keeps the signed recording over an unsigned one' '
	git clone -q remote.git dev2 &&
	use_signing_setup dev2 &&
	(
		cd dev2 &&
		git checkout -q $(cat ../c1) &&
		covopt_record -q &&
		git covopt fetch -q --trust=signed &&
		git covopt select --trust=signed --json $(cat ../c1) >../out.json 2>../err
	) &&
	test_must_be_empty err &&
	test "$(json_field out.json model_commit)" = "$(cat c1)" &&
	test "$(json_field out.json model_signer)" = ci@example.com
'

test_expect_success 'a flag another clone records on the same commit leaves the signed flag verifying' '
	(
		cd dev &&
		git checkout -q $(cat ../c1) &&
		covopt_run_pytest tests/test_item.py &&
		git covopt record -q --flag e2e --coverage .coverage \
			--junit junit.xml &&
		git covopt show --json $(cat ../c1) >../mine.json &&
		git covopt push -q &&
		git covopt show --json $(cat ../c1) >../show.json
	) &&
	flag_signature mine.json default >actual &&
	echo "good ci@example.com" >expect &&
	test_cmp expect actual &&
	flag_signature show.json default >actual &&
	test_cmp expect actual &&
	flag_signature show.json e2e >actual &&
	echo "none None" >expect &&
	test_cmp expect actual
'

test_done
