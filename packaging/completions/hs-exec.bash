# SPDX-License-Identifier: MIT
# bash completion for hs-exec(1)                           -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/hs-exec.

# Profile names from `hs-token list --json`, as in hs-token's completion
# (repeated here because bash-completion loads each file on its own).
_hs_exec_profiles()
{
    timeout 2 hs-token list --json 2>/dev/null |
        sed -n 's/^[[:space:]]*"profile"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9._-]*\)".*/\1/p'
}

_hs_exec()
{
    local cur prev words cword split
    _init_completion -s || return

    # After "--": COMMAND and its arguments, completed as on their own.
    local i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -- ]]; then
            _command_offset $((i + 1))
            return
        fi
    done

    case $prev in
        --env)
            COMPREPLY=($(compgen -W 'HUBSPOT_ACCESS_TOKEN PRIVATE_APP_ACCESS_TOKEN' -- "$cur"))
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W 'hubspot-cli' -- "$cur"))
            return
            ;;
        --require-scope | --min-ttl | --fd)
            return
            ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W '--env= --keep-env --nested --require-scope= --allow-unknown-scopes --min-ttl= --pristine --format= --fd= --file --proxy --mask --version --help --' -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    local npos=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --env | --require-scope | --min-ttl | --format | --fd) ((i++)) ;;
            -*) ;;
            *) ((npos++)) ;;
        esac
    done
    if ((npos == 0)); then
        COMPREPLY=($(compgen -W "$(_hs_exec_profiles)" -- "$cur"))
    elif ((npos == 1)); then
        COMPREPLY=(--)
    fi
} &&
    complete -F _hs_exec hs-exec

# ex: filetype=sh
