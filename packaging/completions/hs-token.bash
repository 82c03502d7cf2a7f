# SPDX-License-Identifier: MIT
# bash completion for hs-token(1)                          -*- shell-script -*-
# Installed as $(datadir)/bash-completion/completions/hs-token.

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

    if ((cword == 1)); then
        COMPREPLY=($(compgen -W 'add list show rotate remove import scan --help --version' -- "$cur"))
        return
    fi

    local cmd=${words[1]} opts="" takes_profile=0
    case $cmd in
        add) opts='--kind= --client-id= --hub-id= --no-verify --force --store= --login --scope= --redirect-uri= --no-browser --timeout= --help' ;;
        list) opts='--long --json --help' ;;
        show) opts='--json --reveal --help'; takes_profile=1 ;;
        rotate) opts='--commit --rollback --help'; takes_profile=1 ;;
        remove) opts='--revoke --help'; takes_profile=1 ;;
        import) opts='--profile= --account= --scrub --dry-run --no-verify --force --format= --store= --help' ;;
        scan) opts='--staged --help' ;;
        *) return ;;
    esac

    case $prev in
        --kind)
            COMPREPLY=($(compgen -W 'private-app service-key oauth personal-access-key' -- "$cur"))
            return
            ;;
        --store)
            COMPREPLY=($(compgen -W 'secret-service' -- "$cur"))
            return
            ;;
        --client-id | --hub-id | --profile | --account)
            return
            ;;
        --format)
            COMPREPLY=($(compgen -W 'env yaml' -- "$cur"))
            return
            ;;
    esac
    $split && return

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi

    # import FILE and scan PATH…: files.
    if [[ $cmd == import || $cmd == scan ]]; then
        _filedir
        return
    fi

    # The one positional argument: a profile (an existing one for show,
    # rotate and remove; add takes a new name, which cannot be completed).
    local i npos=0
    for ((i = 2; i < cword; i++)); do
        case ${words[i]} in
            --kind | --client-id | --hub-id | --store) ((i++)) ;;
            -*) ;;
            *) ((npos++)) ;;
        esac
    done
    if ((takes_profile && npos == 0)); then
        COMPREPLY=($(compgen -W "$(_hs_token_profiles "${words[0]}")" -- "$cur"))
    fi
} &&
    complete -F _hs_token hs-token

# ex: filetype=sh
