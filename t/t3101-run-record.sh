#!/bin/sh
# t3101-run-record.sh - "git covopt run --record" records in-process: it works with no git-covopt
# on PATH (the binary run by its absolute path), so it never depends on finding itself there.

test_description='git covopt run --record without git-covopt on PATH'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"
. "$COVOPT_SOURCE_DIR/t/lib-covopt.sh"

require_pytest

TO_GRAMS_BODY='s.replace("    return amount * factor(unit)\n", "    grams = amount * factor(unit)\n    return grams\n")'

# A PATH with git and the test's Python, but not the build directory.
NO_COVOPT_PATH=$(dirname "$(command -v git)"):$(dirname "$(command -v "$PYTHON")")

test_expect_success 'setup: a recorded example project, and a PATH without git-covopt' '
	covopt_runner_repo repo &&
	(
		cd repo &&
		edit inventory/units.py "$TO_GRAMS_BODY" &&
		test_tick &&
		git commit -q -am "to_grams: name the result"
	) &&
	! PATH=$NO_COVOPT_PATH command -v git-covopt
'

test_expect_success 'run --record by absolute path stores the model of HEAD' '
	(
		cd repo &&
		PATH=$NO_COVOPT_PATH &&
		export PATH &&
		"$COVOPT_BUILD_DIR/git-covopt" run --record -t 0.05 HEAD~1 \
			>../out 2>../err
	) &&
	grep "^recorded [1-9][0-9]* tests .* for commit [0-9a-f]* (flag .default.) in refs/notes/covopt$" err &&
	! grep "recording the run failed" err &&
	git -C repo rev-parse HEAD >expect &&
	git -C repo covopt show --json >show.json &&
	"$PYTHON" -c "import json; d = json.load(open(\"show.json\")); print(d[\"model_commit\"]); assert d[\"distance\"] == 0" >actual &&
	test_cmp expect actual
'

test_done
