#!/bin/sh
# t3100-run.sh - "git covopt run": collect, select, execute with real pytest or a command runner;
# --dry-run in Codecov ATS's formats, shards, --rest, --observe, --record, the escape hatches.

test_description='git covopt run and its runners'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'
BREAK_TO_GRAMS='s.replace("    return amount * factor(unit)\n", "    return amount * factor(unit) + 1\n")'

test_expect_success 'setup: a recorded example project with a pytest runner' '
	covopt_runner_repo repo
'

test_expect_success 'run executes the selection and passes' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt run -t 10 >../out 2>&1
	) &&
	grep "passed" out &&
	! grep "failed" out
'

test_expect_success 'run fails when a selected test fails' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$BREAK_TO_GRAMS" &&
		test_must_fail git covopt run -t 10 >../out 2>&1
	) &&
	grep "failed" out
'

test_expect_success 'nothing selected: nothing runs, success' '
	(
		cd repo &&
		git covopt run >../out 2>../err
	) &&
	grep "no test to run" err &&
	! grep passed out
'

test_expect_success '--dry-run json lists what select --json does' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt run --dry-run -t 0.1 >../dry.json &&
		git covopt select --json -t 0.1 >../select.json
	) &&
	"$PYTHON" - <<-\EOF
	import json
	dry, sel = json.load(open("dry.json")), json.load(open("select.json"))
	assert dry["ats_tests_to_run"] == sel["ats_tests_to_run"], (dry, sel)
	assert dry["ats_tests_to_run"], "nothing selected"
	assert dry["ats_fallback_reason"] is None
	assert "-q" in dry["runner_options"]
	assert set(dry["ats_tests_to_skip"]) == set(sel["ats_tests_to_skip"])
	EOF
'

test_expect_success 'no model: run everything and say why' '
	(
		cd repo &&
		git covopt run --dry-run --ref=refs/notes/none >../dry.json 2>../err
	) &&
	grep "running every test" err &&
	"$PYTHON" - <<-\EOF
	import json
	d = json.load(open("dry.json"))
	assert d["ats_fallback_reason"].startswith("no model"), d["ats_fallback_reason"]
	assert len(d["ats_tests_to_run"]) == 26, len(d["ats_tests_to_run"])
	EOF
'

test_expect_success 'a command runner: collect and execute through scripts, ids as argv' '
	test_when_finished "rm -f repo/.covopt.yml.saved" &&
	(
		cd repo &&
		cp .covopt.yml .covopt.yml.saved &&
		write_script list-tests <<-\EOF &&
		printf "%s\n" "tests/test_units.py::test_convert" "tests/odd.py::test_x[a b \"q\" '"'"'s'"'"' \$(touch pwned) \`touch pwned2\`]"
		EOF
		write_script exec-tests <<-\EOF &&
		for id
		do
			printf "<%s>\n" "$id"
		done >executed
		EOF
		cat >.covopt.yml <<-\EOF &&
		runner: mine
		runners:
		  mine:
		    type: command
		    collect_command: ./list-tests
		    execute_command: ["./exec-tests"]
		EOF
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt run >../out 2>&1 &&
		git covopt run --dry-run --dry-run-format=space-separated-list >../ssl &&
		cp .covopt.yml.saved .covopt.yml &&
		git checkout -q inventory/units.py
	) &&
	test_path_is_missing repo/pwned &&
	test_path_is_missing repo/pwned2 &&
	grep -F "<tests/test_units.py::test_convert>" repo/executed &&
	grep -F "<tests/odd.py::test_x[a b \"q\" '"'"'s'"'"' \$(touch pwned) \`touch pwned2\`]>" repo/executed &&
	test_line_count = 2 ssl &&
	(
		line=$(grep "^TESTS_TO_RUN=" ssl) &&
		eval "set -- ${line#TESTS_TO_RUN=}" &&
		for id
		do
			printf "%s\n" "$id"
		done
	) >ids &&
	test_path_is_missing pwned &&
	test_path_is_missing pwned2 &&
	grep -Fx "tests/odd.py::test_x[a b \"q\" '"'"'s'"'"' \$(touch pwned) \`touch pwned2\`]" ids &&
	grep -Fx "tests/test_units.py::test_convert" ids
'

test_expect_success 'shards: union is the selection, no duplicates, balanced' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select --json >../all.json &&
		for k in 1 2 3
		do
			git covopt select --json --shard $k/3 >../shard$k.json || exit 1
		done
	) &&
	"$PYTHON" - <<-\EOF
	import json
	full = json.load(open("all.json"))
	parts = [json.load(open("shard%d.json" % k)) for k in (1, 2, 3)]
	ids = [i for p in parts for i in p["ats_tests_to_run"]]
	assert sorted(ids) == sorted(full["ats_tests_to_run"]), ids
	assert len(ids) == len(set(ids))
	costs = {t["id"]: t["cost"] for t in full["selected"]}
	loads = [sum(costs[i] for i in p["ats_tests_to_run"]) for p in parts]
	lower = max(sum(costs.values()) / 3, max(costs.values()))
	assert max(loads) <= 4.0 / 3.0 * lower + 1e-9, (loads, lower)
	EOF
'

test_expect_success '--rest writes the tests not selected' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		git covopt select -t 0.05 -z --rest ../rest >../chosen
	) &&
	tr "\0" "\n" <chosen >chosen.lines &&
	cat chosen.lines rest | sort >union &&
	sort -u union >unique &&
	test_cmp unique union &&
	test_line_count = 26 union
'

test_expect_success '--observe runs everything and reports a missed failure' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		edit inventory/stock.py "s.replace(\"return [item.name for item\", \"return [item.name.upper() for item\")" &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		test_must_fail git covopt run --observe -t 0.001 >../out 2>../err
	) &&
	grep "^observe: missed tests/test_stock.py::test_low_stock$" err &&
	grep "caught 0 and missed [1-9]" err
'

test_expect_success 'run --record after a partial run keeps the others'"'"' data' '
	(
		cd repo &&
		git covopt show --json >../before.json &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		test_tick &&
		git commit -q -am "to_grams: name the result" &&
		git covopt run --record -t 0.05 HEAD~1 >../out 2>&1 &&
		git covopt show --json >../after.json
	) &&
	"$PYTHON" - <<-\EOF
	import json
	before, after = json.load(open("before.json")), json.load(open("after.json"))
	assert after["distance"] == 0 and before["distance"] == 0
	assert after["model_commit"] != before["model_commit"]
	b = {t["id"]: t for t in before["tests"]}
	a = {t["id"]: t for t in after["tests"]}
	assert set(a) == set(b), set(a) ^ set(b)
	same = [i for i in a if a[i]["features"] == b[i]["features"] and a[i]["cost"] == b[i]["cost"]]
	changed = [i for i in a if a[i]["cost"] != b[i]["cost"]]
	assert changed, "no test was updated"
	assert len(same) >= 10, len(same)
	EOF
'

test_expect_success 'always_run and "covopt: run-all"' '
	test_when_finished "git -C repo checkout -q ." &&
	(
		cd repo &&
		printf "always_run: [\"tests/test_stock.py::test_empty\"]\n" >>.covopt.yml &&
		git covopt select >../always &&
		git checkout -q .covopt.yml &&
		test_tick &&
		git commit -q --allow-empty -m "covopt: run-all" &&
		git covopt select HEAD~1 HEAD >../everything
	) &&
	echo "tests/test_stock.py::test_empty" >expect &&
	test_cmp expect always &&
	test_line_count = 26 everything
'

test_expect_success 'a real newline in a collected id: warned about, left out, never split' '
	test_when_finished "git -C repo checkout -q . && rm -f repo/tests/test_newline.py" &&
	(
		cd repo &&
		printf "%s\n" \
			"disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true" \
			>>pytest.ini &&
		cat >tests/test_newline.py <<-\EOF &&
		import pytest


		@pytest.mark.parametrize("v", ["a\nb::c]", "d"])
		def test_nl(v):
		    assert v
		EOF
		git covopt run --dry-run >../nl.json 2>../nl.err
	) &&
	grep "runner .pytest. printed 1 test id split over lines" nl.err &&
	"$PYTHON" - <<-\EOF
	import json
	run = json.load(open("nl.json"))["ats_tests_to_run"]
	assert "tests/test_newline.py::test_nl[d]" in run, run
	assert "tests/test_units.py::test_convert" in run, run
	bad = [i for i in run if not i.startswith("tests/") or "test_nl[a" in i]
	assert not bad, bad
	EOF
'

test_expect_success 'cases of a parametrized test changed after the model: run takes the collected ones' '
	test_when_finished "git -C repo checkout -q main && git -C repo checkout -q ." &&
	(
		cd repo &&
		covopt_recase main &&
		git covopt run --dry-run >../recase.json
	) &&
	"$PYTHON" - <<-\EOF
	import json
	run = json.load(open("recase.json"))["ats_tests_to_run"]
	for id in ("tests/test_units.py::test_parse_weight[2.5 kg-expected0]",
	           "tests/test_units.py::test_parse_weight[8-expected1]"):
	    assert id in run, (id, run)
	assert "tests/test_units.py::test_parse_weight[7-expected1]" not in run, run
	EOF
'

test_done
