# git-covopt-completion.bash - bash completion for "git covopt", on top of git's own completion.
# git's completion calls _git_covopt for "git covopt <TAB>"; every subcommand and option is listed once, below.
#
# Install: copy to $(datadir)/bash-completion/completions/git-covopt (bash-completion
# loads it when "git covopt" is completed), or source it from ~/.bashrc after
# git's completion (/usr/share/bash-completion/completions/git).

__git_covopt_subcommands="fetch gc help hook push record run select show"
__git_covopt_hook_subcommands="install uninstall"

# __git_covopt_options SUBCOMMAND: the options of SUBCOMMAND, the ones that
# take a value ending in "=" (completed without a trailing space).
__git_covopt_options ()
{
	case "$1" in
	fetch)		echo "--setup --ref= --trust= --quiet" ;;
	push)		echo "--setup --ref= --trust= --quiet" ;;
	gc)		echo "--dry-run --ref= --quiet" ;;
	hook_install)	echo "--pre-commit --pre-push --time= --force --quiet" ;;
	hook_uninstall)	echo "--pre-commit --pre-push --quiet" ;;
	record)		echo "--coverage= --junit= --commit= --flag= --ref=
				--partial --drop-flag= --sign --quiet" ;;
	run)		echo "--time= --wall --confidence= --cached --staged
				--runner= --dry-run --dry-run-format= --record
				--observe --shard= --rest= --verbose --quiet
				--ref= --trust=" ;;
	select)		echo "--time= --wall --confidence= --cached --staged
				--diff= --json --full-name --verbose --quiet
				--shard= --rest= --ref= --trust=" ;;
	show)		echo "--json --ref= --quiet" ;;
	esac
}

# Notes refs, for --ref.
__git_covopt_notes_refs ()
{
	__git for-each-ref --format='%(refname)' refs/notes 2>/dev/null
}

# The value of "--opt=VALUE" or of "--opt VALUE" being completed.
__git_covopt_complete_value ()
{
	local opt="$1" value="$2"

	case "$opt" in
	--ref)
		__gitcomp_nl "$(__git_covopt_notes_refs)" "" "$value"
		;;
	--runner)
		__gitcomp "pytest" "" "$value"
		;;
	--dry-run-format)
		__gitcomp "json space-separated-list" "" "$value"
		;;
	--commit)
		__git_complete_refs --cur="$value"
		;;
	*)
		# files (--coverage, --junit, --diff, --rest), numbers: bash's
		# default completion, as git's completion sets "-o default"
		COMPREPLY=()
		;;
	esac
}

_git_covopt ()
{
	local subcommand key
	subcommand="$(__git_find_on_cmdline "$__git_covopt_subcommands")"

	if [ -z "$subcommand" ]; then
		__gitcomp "$__git_covopt_subcommands"
		return
	fi
	key=$subcommand
	if [ "$subcommand" = hook ]; then
		key="$(__git_find_on_cmdline "$__git_covopt_hook_subcommands")"
		if [ -z "$key" ]; then
			__gitcomp "$__git_covopt_hook_subcommands"
			return
		fi
		key=hook_$key
	fi

	case "$cur" in
	--*=*)
		__git_covopt_complete_value "${cur%%=*}" "${cur#*=}"
		return
		;;
	-*)
		__gitcomp "$(__git_covopt_options "$key")"
		return
		;;
	esac
	case "$prev" in
	--ref|--runner|--commit|--coverage|--junit|--diff|--rest|--dry-run-format)
		__git_covopt_complete_value "$prev" "$cur"
		return
		;;
	-t|--time|--confidence|--flag|--shard|--drop-flag|--trust)
		COMPREPLY=()
		return
		;;
	esac
	case "$key" in
	select|run)
		__git_has_doubledash && return
		__git_complete_revlist
		;;
	show)
		__git_complete_refs
		;;
	fetch|push)
		__gitcomp_nl "$(__git_remotes)"
		;;
	help)
		__gitcomp "$__git_covopt_subcommands"
		;;
	esac
}

# "git-covopt <TAB>" too, when git's completion is loaded.
if declare -F __git_complete >/dev/null 2>&1; then
	__git_complete git-covopt _git_covopt
fi
