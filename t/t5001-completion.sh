#!/bin/sh
# t5001-completion.sh - the bash completion of "git covopt", driven through git's own completion.
# Each test sets COMP_WORDS as bash would for a command line and checks COMPREPLY word for word.

test_description='contrib/completion: git covopt <TAB> in bash (and zsh syntax)'
. "${COVOPT_SOURCE_DIR:-$(dirname "$0")/..}/t/test-lib.sh"

GIT_COMPLETION=${GIT_COMPLETION:-/usr/share/bash-completion/completions/git}
COVOPT_COMPLETION=$COVOPT_SOURCE_DIR/contrib/completion

if ! command -v bash >/dev/null 2>&1
then
	skip_all='no bash'
	test_done
fi
if ! test -r "$GIT_COMPLETION"
then
	skip_all="no git completion at $GIT_COMPLETION"
	test_done
fi

# complete WORD...: the completions of the command line WORD... (the last
# word is the one being completed), one a line, each followed by "$" so
# that a trailing space shows.
complete () {
	bash "$TRASH_DIRECTORY/drive.bash" "$@"
}

test_expect_success 'setup: a driver, a repository with a branch, a tag, notes and a remote' '
	cat >drive.bash <<-EOF &&
	. "$GIT_COMPLETION" || exit 1
	. "$COVOPT_COMPLETION/git-covopt-completion.bash" || exit 1
	EOF
	cat >>drive.bash <<-\EOF &&
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	if test "$1" = git-covopt
	then
		__git_wrap_git_covopt
	else
		__git_wrap__git_main
	fi
	for c in "${COMPREPLY[@]}"
	do
		printf "%s\$\n" "$c"
	done
	EOF
	test_tick &&
	git commit -q --allow-empty -m one &&
	git tag v1 &&
	git notes --ref=covopt add -m model HEAD &&
	git remote add origin ../nowhere.git
'

test_expect_success 'git covopt se<TAB> gives "select "' '
	complete git covopt se >actual &&
	echo "select \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'git-covopt se<TAB> works as well' '
	complete git-covopt se >actual &&
	echo "select \$" >expect &&
	test_cmp expect actual &&
	complete git-covopt select --ca >actual &&
	echo "--cached \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'git covopt <TAB> lists every subcommand' '
	complete git covopt "" >actual &&
	printf "%s \$\n" fetch gc help hook push record run select show >expect &&
	test_cmp expect actual
'

test_expect_success 'git cov<TAB> finds the command on PATH' '
	complete git cov >actual &&
	echo "covopt \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'an option of select: --ca gives "--cached "' '
	complete git covopt select --ca >actual &&
	echo "--cached \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'options taking a value end in "=" without a space' '
	complete git covopt select --ti >actual &&
	echo "--time=\$" >expect &&
	test_cmp expect actual &&
	complete git covopt gc --d >actual &&
	echo "--dry-run \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'options come after other arguments too' '
	complete git covopt select HEAD~1 --js >actual &&
	echo "--json \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'hook: its subcommands, then their own options' '
	complete git covopt hook "" >actual &&
	printf "%s \$\n" install uninstall >expect &&
	test_cmp expect actual &&
	complete git covopt hook install --pre >actual &&
	printf "%s \$\n" --pre-commit --pre-push >expect &&
	test_cmp expect actual &&
	complete git covopt hook uninstall --f >actual &&
	test_must_be_empty actual &&
	complete git covopt hook uninstall --q >actual &&
	echo "--quiet \$" >expect &&
	test_cmp expect actual &&
	complete git covopt hook install --q >actual &&
	test_cmp expect actual
'

test_expect_success 'revisions: a branch, a tag, a range' '
	complete git covopt select ma >actual &&
	echo "main \$" >expect &&
	test_cmp expect actual &&
	complete git covopt show v >actual &&
	echo "v1 \$" >expect &&
	test_cmp expect actual &&
	complete git covopt run main..v >actual &&
	echo "main..v1 \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'no revisions after --' '
	complete git covopt select main -- ma >actual &&
	test_must_be_empty actual
'

test_expect_success '--ref completes notes refs, in both spellings' '
	complete git covopt gc --ref=refs/notes/c >actual &&
	echo "refs/notes/covopt \$" >expect &&
	test_cmp expect actual &&
	complete git covopt show --ref refs/no >actual &&
	test_cmp expect actual
'

test_expect_success 'push and fetch complete remotes; --runner knows pytest' '
	complete git covopt push o >actual &&
	echo "origin \$" >expect &&
	test_cmp expect actual &&
	complete git covopt run --runner=py >actual &&
	echo "pytest \$" >expect &&
	test_cmp expect actual
'

test_expect_success 'files are left to bash (empty reply)' '
	complete git covopt record --coverage "" >actual &&
	test_must_be_empty actual
'

# real_options CMD...: the options "git covopt CMD... -h" lists, one a
# line: "--name" or "--name=" (taking a value), "-x" for a short-only one.
real_options () {
	test_expect_code 129 git covopt "$@" -h >help &&
	sed -n -e "s/^    -[^ ], \(--[^ ]*\) <.*/\1=/p" \
		-e "s/^    -[^ ], \(--[^ ]*\) .*/\1/p" \
		-e "s/^    \(--[^ ]*\) <.*/\1=/p" \
		-e "s/^    \(--[^ ]*\) .*/\1/p" \
		-e "s/^    \(-[^- ]\)[ ,].*/\1/p" help
}

# zsh_section DIR KEY: the _arguments specs of a command in DIR/_git-covopt
# ("hook_install" for hook install), the shared specs spelt out.
zsh_section () {
	case "$2" in
	hook_*)
		awk -v c="${2#hook_}" '
			$0 == "\t\t" c ")" { on = 1 }
			on { print }
			on && $0 == "\t\t\t;;" { exit }' "$1/_git-covopt" ;;
	*)
		awk -v c="$2" '
			/^\t[a-z|]*\)$/ {
				n = split(substr($0, 2, length($0) - 2), w, "|")
				for (i = 1; i <= n; i++) if (w[i] == c) on = 1
			}
			on { print }
			on && $0 == "\t\t;;" { exit }' "$1/_git-covopt" ;;
	esac |
	sed -e "s/\$ref_arg/--ref=[/" -e "s/\$budget_arg/{-t+,--time=}[/" \
		-e "s/\$trust_arg/--trust=[/"
}

# completion_covers DIR: do the bash and zsh completions in DIR know each
# option of each command? Names the first one missing.
completion_covers () {
	for cmd in fetch gc push record run select show "hook install" \
		"hook uninstall"
	do
		key=$(echo $cmd | tr " " _) &&
		real_options $cmd >real &&
		test -s real &&
		bash -c ". \"\$1/git-covopt-completion.bash\" &&
			for w in \$(__git_covopt_options \"\$2\"); do echo \$w; done" \
			- "$1" "$key" >bash-options &&
		zsh_section "$1" "$key" >zsh-specs &&
		test -s zsh-specs &&
		while read opt
		do
			case "$opt" in
			--*) grep -x -e "$opt" bash-options >/dev/null ||
				{ echo "bash: $cmd lacks $opt"; return 1; } ;;
			esac &&
			name=${opt%=} &&
			grep -e "$name\[" -e "$name=" -e "$name+" -e "$name}" \
				-e "$name," zsh-specs >/dev/null ||
			{ echo "zsh: $cmd lacks $opt"; return 1; }
		done <real || return 1
	done
}

test_expect_success 'bash and zsh complete every option of every command' '
	completion_covers "$COVOPT_COMPLETION"
'

test_expect_success 'an option missing from either completion is found' '
	mkdir no-bash no-zsh &&
	cp "$COVOPT_COMPLETION"/* no-bash/ &&
	cp "$COVOPT_COMPLETION"/* no-zsh/ &&
	sed "s/ --full-name//" "$COVOPT_COMPLETION/git-covopt-completion.bash" \
		>no-bash/git-covopt-completion.bash &&
	sed "/--full-name/d" "$COVOPT_COMPLETION/_git-covopt" \
		>no-zsh/_git-covopt &&
	! completion_covers no-bash >out &&
	grep "^bash: select lacks --full-name" out &&
	! completion_covers no-zsh >out &&
	grep "^zsh: select lacks --full-name" out
'

test_expect_success 'the zsh completion parses' '
	if command -v zsh >/dev/null 2>&1
	then
		zsh -n "$COVOPT_COMPLETION/_git-covopt"
	fi
'

test_done
