# SPDX-License-Identifier: MIT
# bash completion for hs-token(1)                          -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/hs-token.
#
# The commands and their options come from the program itself, at
# completion time (the hidden `hs-token --list-commands` and
# `--list-options=COMMAND`), so that they cannot drift from `--help`.

# Profile names, from `hs-token list --json` (no jq, no python): json-glib
# prints one `"profile" : "NAME",` line per profile, and a profile name never
# needs escaping ([A-Za-z0-9._-]).  Bounded by a timeout so that a locked or
# absent keyring never hangs the shell.
_hs_token_profiles()
{
    local prog=${1:-hs-token}
    timeout 2 "$prog" list --json 2>/dev/null |
        sed -n 's/^[[:space:]]*"profile"[[:space:]]*:[[:space:]]*"\([A-Za-z0-9._-]*\)".*/\1/p'
}

_hs_token()
{
    local cur prev words cword split
    _init_completion -s || return
    local prog=${words[0]}

    if ((cword == 1)); then
        COMPREPLY=($(compgen -W "$("$prog" --list-commands 2>/dev/null | cut -f1)
            $("$prog" --list-options 2>/dev/null | cut -f1)" -- "$cur"))
        return
    fi

    # COMMAND's options ("--kind=" takes a value) and arguments ("PROFILE",
    # "[PROFILE…]", "FILE", "[PATH…]"), as the program lists them.
    local cmd=${words[1]} opts args
    opts=$("$prog" --list-options="$cmd" 2>/dev/null | cut -f1) || return
    args=$("$prog" --list-commands 2>/dev/null | awk -F '\t' -v c="$cmd" '$1 == c { print $2 }')

    case $prev in
        --kind)
            COMPREPLY=($(compgen -W 'private-app service-key oauth personal-access-key' -- "$cur"))
            return
            ;;
        --store)
            COMPREPLY=($(compgen -W 'secret-service keyctl systemd-creds' -- "$cur"))
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W 'env yaml' -- "$cur"))
            return
            ;;
    esac
    # Any other option that takes a value: nothing to offer for it.
    [[ $prev == --* && " ${opts//$'\n'/ } " == *" $prev= "* ]] && ! $split && return
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    case $args in
        FILE* | "[PATH"*)
            _filedir
            return
            ;;
    esac

    # Profiles: the one PROFILE of show, rotate, remove; any number for
    # check ("[PROFILE…]").  add takes a new name, which cannot be completed.
    [[ $cmd == add ]] && return
    local i npos=0
    for ((i = 2; i < cword; i++)); do
        case ${words[i]} in
            --*=*) ;;
            -*) [[ " ${opts//$'\n'/ } " == *" ${words[i]}= "* ]] && ((i++)) ;;
            *) ((npos++)) ;;
        esac
    done
    case $args in
        PROFILE* | "[PROFILE]"*) ((npos == 0)) || return ;;
        "[PROFILE…]"*) ;;
        *) return ;;
    esac
    COMPREPLY=($(compgen -W "$(_hs_token_profiles "$prog")" -- "$cur"))
} &&
    complete -F _hs_token hs-token

# ex: filetype=sh
