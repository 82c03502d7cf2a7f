#!/bin/bash
# SPDX-License-Identifier: MIT
# The command line as people type it: a misspelled profile, kind or command
# is answered with the nearest known name (from the stores' attributes, for
# profiles, whatever the command or delivery); --help says where options go,
# prints '…' in a UTF-8 locale, lines the command list up by characters and
# says what add reads on standard input.
set -u
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/session-keyring.sh" # tagged

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
PROD=$(tagged prod)
TYPO=prdo${PROD#prod}

run --in "$PAT" "$HS_TOKEN" add "$PROD" --kind private-app --no-verify
is "$status" 0 "set-up: add $PROD"

# ---- did you mean ----
for cmd in show remove rotate check; do
  run --in "$PAT" "$HS_TOKEN" "$cmd" "$TYPO"
  like "$err" "no profile named '$TYPO'; did you mean '$PROD'\\?" "hs-token $cmd $TYPO: suggests $PROD"
done
run "$HS_TOKEN" show "$TYPO"
fails_with 2 hs-token "show of a misspelled profile"
for how in "" --mask --file --proxy; do
  run "$HS_EXEC" $how "$TYPO" -- true
  fails_with 2 hs-exec "hs-exec $how of a misspelled profile"
  like "$err" "did you mean '$PROD'\\?" "hs-exec $how $TYPO: suggests $PROD"
done
run "$HS_TOKEN" show "zzzzzzzzzz"
like "$err" "no profile named 'zzzzzzzzzz'; see 'hs-token list', or add it with" "nothing near: no suggestion, the usual advice"
unlike "$err" "did you mean" "nothing near: no 'did you mean'"
run --in "$PAT" "$HS_TOKEN" add other --kind private_app --no-verify
fails_with 1 hs-token "a misspelled kind"
like "$err" "unknown kind 'private_app' \\(did you mean 'private-app'\\?\\)" "a misspelled kind: suggests private-app"
run "$HS_TOKEN" lsit
fails_with 1 hs-token "a misspelled command"
like "$err" "unknown command 'lsit'; did you mean 'list'\\?" "a misspelled command: suggests list"
run "$HS_TOKEN" frobnicate
unlike "$err" "did you mean" "an unknown command far from any: no suggestion"

# ---- help ----
run "$HS_TOKEN" --json list
fails_with 1 hs-token "an option before the command"
like "$err" "options go after the command: hs-token COMMAND \\[OPTION…\\]" "an option before the command: says where options go"
export LC_ALL=C.UTF-8
run "$HS_TOKEN" --help
like "$out" "^Usage: hs-token COMMAND \\[OPTION…\\]" "hs-token --help: hs-token COMMAND [OPTION…]"
# Each command row: two blanks, the name in 8 columns, the arguments in
# 22, then the summary, counted in characters ("[PROFILE…]" is 10, not 12).
rows=0 aligned=0
while IFS= read -r line; do
  [[ $line =~ ^\ \ [a-z]+\  ]] || continue
  rows=$((rows + 1))
  [[ ${line:33:1} == " " && ${line:34:1} =~ [A-Z] ]] && aligned=$((aligned + 1)) ||
    printf '#   not aligned: %s\n' "$line"
done <<<"$out"
is "$aligned" "$rows" "hs-token --help: the $rows command rows line up in a UTF-8 locale"
for cmd in add list check scan; do
  run "$HS_TOKEN" "$cmd" --help
  like "$out" "hs-token $cmd \\[OPTION…\\]" "hs-token $cmd --help: 'hs-token $cmd [OPTION…]', with '…'"
done
run "$HS_TOKEN" add --help
like "$out" "oauth: two lines, client_secret=SECRET and refresh_token=TOKEN" "add --help: what oauth reads on stdin"
like "$out" "private-app, service-key, personal-access-key: one line, the token" "add --help: what the other kinds read"
run "$HS_EXEC" --help
like "$out" "hs-exec \\[OPTION…\\] \\[PROFILE\\] \\[-- COMMAND \\[ARG…\\]\\]" "hs-exec --help: '…' in a UTF-8 locale"
unset LC_ALL

"$HS_TOKEN" remove "$PROD" >/dev/null
finish
