#!/bin/sh
# t4001-sync-setup.sh - "--setup": after it, plain "git fetch" and "git push" carry the notes.
# A bare remote over file://, a clone A that records and pushes, a clone B that only fetches.

test_description='git covopt fetch/push --setup: plain git fetch and git push carry the models'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

# model_of CLONE REV: the commit whose model "git covopt show" uses for REV.
model_of () {
	git -C "$1" covopt show --json "$2" >"$TRASH_DIRECTORY/show.json" &&
	"$PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))["model_commit"])' \
		"$TRASH_DIRECTORY/show.json"
}

test_expect_success 'setup: a remote and two clones' '
	covopt_example_repo seed &&
	git clone -q --bare seed remote.git &&
	git clone -q "file://$TRASH_DIRECTORY/remote.git" A &&
	git clone -q "file://$TRASH_DIRECTORY/remote.git" B &&
	git -C B config --get-all remote.origin.fetch >B.fetch.before
'

test_expect_success 'fetch --setup refuses while the remote has no notes' '
	test_must_fail git -C B covopt fetch --setup 2>err &&
	grep "^error: not configuring .origin.: it has no .refs/notes/covopt. yet" err &&
	git -C B config --get-all remote.origin.fetch >actual &&
	test_cmp B.fetch.before actual &&
	git -C B fetch
'

test_expect_success 'push --setup pushes, then configures both ways, once' '
	(cd A && covopt_record -q) &&
	git -C A covopt push --setup 2>err &&
	grep "now pushes .refs/notes/covopt. and the current branch" err &&
	git -C A covopt push --setup -q &&
	git -C A rev-parse refs/notes/covopt >expect &&
	git -C remote.git rev-parse refs/notes/covopt >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOF &&
	HEAD
	refs/notes/covopt:refs/notes/covopt
	EOF
	git -C A config --get-all remote.origin.push >actual &&
	test_cmp expect actual &&
	{
		cat B.fetch.before &&
		echo "+refs/notes/covopt:refs/notes/covopt-remotes/origin"
	} >expect &&
	git -C A config --get-all remote.origin.fetch >actual &&
	test_cmp expect actual
'

test_expect_success 'fetch --setup configures plain git fetch, once' '
	git -C B covopt fetch --setup 2>err &&
	grep "now brings .refs/notes/covopt. into .refs/notes/covopt-remotes/origin." err &&
	git -C B covopt fetch --setup -q &&
	{
		cat B.fetch.before &&
		echo "+refs/notes/covopt:refs/notes/covopt-remotes/origin"
	} >expect &&
	git -C B config --get-all remote.origin.fetch >actual &&
	test_cmp expect actual &&
	test_must_fail git -C B config --get-all remote.origin.push
'

test_expect_success 'plain git push pushes the branch and the notes' '
	(
		cd A &&
		echo "# a new line" >>inventory/units.py &&
		test_tick &&
		git commit -q -am "commit 2" &&
		covopt_record -q &&
		git push -q
	) &&
	git -C A rev-parse HEAD refs/notes/covopt >expect &&
	git -C remote.git rev-parse main refs/notes/covopt >actual &&
	test_cmp expect actual
'

test_expect_success 'plain git fetch brings the new notes; show finds them' '
	new=$(git -C A rev-parse HEAD) &&
	test_must_fail git -C B covopt show $new 2>err &&
	git -C B fetch -q &&
	git -C remote.git rev-parse refs/notes/covopt >expect &&
	git -C B rev-parse refs/notes/covopt-remotes/origin >actual &&
	test_cmp expect actual &&
	echo $new >expect &&
	model_of B $new >actual &&
	test_cmp expect actual &&
	git -C B covopt show $new >out &&
	grep "^model of commit $new$" out
'

test_expect_success 'our own note wins over a remote-tracking one' '
	(
		cd B &&
		git checkout -q origin/main &&
		covopt_run_pytest tests/test_units.py &&
		git covopt record -q --flag mine --coverage .coverage \
			--junit junit.xml
	) &&
	git -C B covopt show --json HEAD >show.json &&
	"$PYTHON" -c "import json; print(\"\n\".join(sorted(f[\"name\"] for f in json.load(open(\"show.json\"))[\"flags\"])))" >actual &&
	printf "default\nmine\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'push --setup keeps a push refspec already there (no HEAD added)' '
	git clone -q "file://$TRASH_DIRECTORY/remote.git" C &&
	git -C C config remote.origin.push refs/heads/main:refs/heads/main &&
	git -C C covopt fetch -q &&
	git -C C covopt push --setup -q &&
	cat >expect <<-\EOF &&
	refs/heads/main:refs/heads/main
	refs/notes/covopt:refs/notes/covopt
	EOF
	git -C C config --get-all remote.origin.push >actual &&
	test_cmp expect actual
'

test_done
