# SPDX-License-Identifier: MIT
# bash completion for trendctl(1). Installed as
# /usr/share/bash-completion/completions/trendctl; to try it from a source tree:
#   source completion/trendctl.bash
# Completes commands, global and per-command options and their fixed values, file names, the
# feeds of `poll` and the drafts of `show`. Feeds and drafts come from `trendctl --json feeds`
# and `trendctl --json drafts`, run with the --config/--db already on the command line. It
# needs nothing from bash-completion, and uses its _filedir when it is loaded.
# tests/integration/it_completion.py keeps the lists below equal to `trendctl --help`.

# Every word completed from a list (commands, options, statuses, feed names, draft slugs) is
# free of blanks, so plain word splitting of compgen's output is right here.
# shellcheck disable=SC2207

_trendctl_commands="status feeds spikes drafts show history draft extract pages poll reload metrics backtest export parse"

# _trendctl_options COMMAND: the options COMMAND takes (global ones for "").
_trendctl_options() {
    case $1 in
    "") echo "-c --config --db --json --csv --timeout --version -h --help" ;;
    spikes) echo "--since --term -h --help" ;;
    drafts) echo "--status -h --help" ;;
    history) echo "--geo -h --help" ;;
    show) echo "--evidence -h --help" ;;
    extract) echo "--url --allow-private -h --help" ;;
    pages) echo "--since --outcome -h --help" ;;
    backtest) echo "--snapshots --observations --db --drafts -h --help" ;;
    export) echo "--observations -h --help" ;;
    parse) echo "--type -h --help" ;;
    *) echo "-h --help" ;;
    esac
}

# _trendctl_files [-d]: file (or, with -d, directory) names that start with $cur.
_trendctl_files() {
    if declare -F _filedir >/dev/null; then
        _filedir "$@"
        return
    fi
    compopt -o filenames 2>/dev/null
    if [[ $1 == -d ]]; then
        mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur")
    else
        mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur")
    fi
}

# _trendctl_json COMMAND: trendctl's --json output of COMMAND, run with the --config/--db typed
# so far (_trendctl_globals); nothing when it fails (no database, no permission).
_trendctl_json() {
    local cmd=${COMP_WORDS[0]}
    [[ $cmd == */* || -z $cmd ]] || cmd=$(type -P "$cmd") || return 0
    "${cmd:-trendctl}" "${_trendctl_globals[@]}" --json "$1" 2>/dev/null
}

# The enabled feeds. Feed names are [A-Za-z0-9._-]; each object of `--json feeds` starts with
# "feed", and "enabled" comes before any free text (docs/cli.md).
_trendctl_feeds() {
    local json chunk rest
    json=$(_trendctl_json feeds) || return 0
    while [[ $json == *'{"feed":"'* ]]; do
        json=${json#*'{"feed":"'}
        chunk=${json%%'{"feed":"'*}
        rest=${chunk#*'"enabled":'}
        [[ ${rest:0:1} == 1 ]] && echo "${chunk%%\"*}"
    done
}

# Draft ids and slugs (slugs are [a-z0-9-]; each object of `--json drafts` starts with "id").
_trendctl_drafts() {
    local json chunk
    json=$(_trendctl_json drafts) || return 0
    while [[ $json == *'{"id":'* ]]; do
        json=${json#*'{"id":'}
        chunk=${json%%'{"id":'*}
        echo "${chunk%%[!0-9]*}"
        [[ $chunk == *'"slug":"'* ]] && chunk=${chunk#*'"slug":"'} && echo "${chunk%%\"*}"
    done
}

_trendctl() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    # bash splits "--config=FILE" into "--config" "=" "FILE".
    if [[ $cur == = ]]; then
        cur=""
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    COMPREPLY=()

    # The command, and the global options that locate the configuration and the database.
    local i word value command=""
    local -a _trendctl_globals=() # read by _trendctl_json (bash scoping is dynamic)
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
        -c | --config | --db | --timeout)
            value=${COMP_WORDS[i + 1]}
            if [[ $value == = ]]; then
                ((i++))
                value=${COMP_WORDS[i + 1]}
            fi
            ((i++))
            ((i < COMP_CWORD)) || break
            # shellcheck disable=SC2088 # a literal "~/" that the shell did not expand
            [[ $value == "~/"* ]] && value=$HOME/${value#"~/"}
            [[ $word == --timeout ]] || _trendctl_globals+=("$word" "$value")
            ;;
        -*) ;;
        *)
            command=$word
            break
            ;;
        esac
    done

    # The value of an option.
    case $prev in
    -c | --config | --db | --observations)
        _trendctl_files
        return 0
        ;;
    --snapshots | --drafts)
        _trendctl_files -d
        return 0
        ;;
    --timeout | --term | --geo)
        return 0
        ;;
    --type)
        COMPREPLY=($(compgen -W "google-trends-rss rss hacker-news mastodon-trends wikipedia-top" -- "$cur"))
        return 0
        ;;
    --since)
        COMPREPLY=($(compgen -W "1h 24h 7d 30d all" -- "$cur"))
        return 0
        ;;
    --status)
        COMPREPLY=($(compgen -W "queued drafting draft needs_review failed" -- "$cur"))
        return 0
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_trendctl_options "$command")" -- "$cur"))
        return 0
    fi
    if [[ -z $command ]]; then
        COMPREPLY=($(compgen -W "$_trendctl_commands" -- "$cur"))
        return 0
    fi
    # One argument after the command, where the command takes one.
    local args=0
    for ((i = i + 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --since | --term | --status | --geo | --snapshots | --observations | --db | --drafts | --type) ((i++)) ;;
        -*) ;;
        *) ((args++)) ;;
        esac
    done
    ((args == 0)) || return 0
    case $command in
    poll) COMPREPLY=($(compgen -W "$(_trendctl_feeds)" -- "$cur")) ;;
    show) COMPREPLY=($(compgen -W "$(_trendctl_drafts)" -- "$cur")) ;;
    parse) _trendctl_files ;;
    esac
    return 0
}

complete -F _trendctl trendctl
