#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad input: each gives one line on stderr and the exit code docs/design.md
# gives it ("Exit codes"), and leaves no partial record.
set -u
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh" # with_api_base; no stand-in is started

TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
no_profiles() {
  local o; o=$("$HS_TOKEN" list --json)
  is "$o" "[]" "$1: no record was written"
}

run --in "$TOKEN" "$HS_TOKEN" add .prod --kind private-app --no-verify
fails_with 1 hs-token "invalid profile name"
no_profiles "invalid profile name"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind password --no-verify
fails_with 1 hs-token "unknown kind"
run --in "$TOKEN" "$HS_TOKEN" add prod --no-verify
fails_with 1 hs-token "missing --kind"
run --in "" "$HS_TOKEN" add prod --kind private-app --no-verify
fails_with 1 hs-token "empty stdin"
no_profiles "empty stdin"
run --in "ghp_notahubspottoken0123456789" "$HS_TOKEN" add prod --kind private-app --no-verify
fails_with 1 hs-token "wrong token shape"
unlike "$err" "ghp_notahubspottoken" "wrong token shape: the message does not echo it"
no_profiles "wrong token shape"
# Verification needs HubSpot: unreachable is exit 5, and nothing is stored.
run --in "$TOKEN" with_api_base https://127.0.0.1:9 env HS_EXEC_RETRY_BASE_MS=1 \
  "$HS_TOKEN" add prod --kind private-app
fails_with 5 hs-token "add with HubSpot unreachable"
like "$err" "after 3 tries" "add with HubSpot unreachable: says it tried 3 times"
no_profiles "add with HubSpot unreachable"
run --in "$TOKEN" with_api_base http://api.hubapi.com "$HS_TOKEN" add prod --kind private-app
fails_with 6 hs-token "a plain-http API base"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind oauth --no-verify
fails_with 1 hs-token "oauth without --client-id"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind api-key --no-verify
fails_with 1 hs-token "api-key"
like "$err" "2022-11-30" "api-key: says HubSpot ended API keys"
like "$err" "create a service key in HubSpot \(Development > Keys > Service keys; HubSpot stopped the creation of private apps on 2026-10-26\) and add it with --kind service-key" "api-key: a service key replaces it"
run --in "$TOKEN" "$HS_TOKEN" add prod --no-verify
fails_with 1 hs-token "add without --kind"
like "$err" "--kind is required: for one account's scripts, create a service key.*--kind service-key" "add without --kind: a service key first"
like "$err" "stopped the creation of private apps on 2026-10-26" "add without --kind: says private apps can no longer be created"
like "$err" "--kind oauth --client-id ID --login" "add without --kind: names the OAuth sign-in"
run --in "client_secret=abc" "$HS_TOKEN" add prod --kind oauth --client-id c1 --no-verify
fails_with 1 hs-token "oauth without refresh_token="
run --in "$(printf 'client_secret=abc\nrefresh_token=r\nextra=SECRETVALUE\n')" "$HS_TOKEN" add prod --kind oauth --client-id c1 --no-verify
fails_with 1 hs-token "oauth with an unknown key"
unlike "$err" "SECRETVALUE" "oauth with an unknown key: the value is not echoed"
run --in "$(printf 'client_secret=abc\nrefresh_token=r\nSECRETKEY-pasted-as-a-key=1\n')" "$HS_TOKEN" add prod --kind oauth --client-id c1 --no-verify
fails_with 1 hs-token "oauth with a secret where a key should be"
unlike "$err" "SECRETKEY" "oauth with a bad key: the key is not echoed either"
like "$err" "line 3 .*client_secret=VALUE and refresh_token=VALUE" "oauth with a bad key: names the line and what was expected"
no_profiles "oauth refusals"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify --hub-id 12ab
fails_with 1 hs-token "non-numeric --hub-id"
run --in "$TOKEN" "$HS_TOKEN" add prod extra --kind private-app --no-verify
fails_with 1 hs-token "an extra argument"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify --bogus
fails_with 1 hs-token "an unknown option"
no_profiles "all refusals"

run "$HS_TOKEN" frobnicate
fails_with 1 hs-token "unknown command"
run "$HS_TOKEN"
is "$status" 1 "no command: exit 1"
run "$HS_TOKEN" show nobody
fails_with 2 hs-token "show a missing profile"
run "$HS_TOKEN" remove nobody
fails_with 2 hs-token "remove a missing profile"

run "$HS_EXEC" nobody -- true
fails_with 2 hs-exec "hs-exec on a missing profile"
run "$HS_EXEC" nobody true
fails_with 1 hs-exec "hs-exec without --"
like "$err" "usage: hs-exec" "hs-exec without --: gives the usage line"
run "$HS_EXEC" nobody --
fails_with 1 hs-exec "hs-exec without COMMAND"
run "$HS_EXEC" -- true
fails_with 1 hs-exec "hs-exec without PROFILE"
run "$HS_EXEC" 'bad/name' -- true
fails_with 1 hs-exec "hs-exec with an invalid profile name"
run "$HS_EXEC" --env 1BAD nobody -- true
fails_with 1 hs-exec "hs-exec --env with an invalid name"
run "$HS_EXEC" --no-such-option nobody -- true
fails_with 1 hs-exec "hs-exec with an unknown option"

# Configuration errors are exit 6 and name the file.
mkdir -p "$XDG_CONFIG_HOME/hs-exec"
printf '[stores]\norder=secret-service [UNAVAIL=maybe]\n' >"$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
run "$HS_EXEC" nobody -- true
fails_with 6 hs-exec "bad action word in config"
like "$err" "hs-exec.conf:2: " "config error names the file and line"
printf '[stores]\norder=no-such-store\n' >"$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
run "$HS_TOKEN" list
fails_with 6 hs-token "unknown store in config"
rm -f "$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"

run "$HS_EXEC" --version
like "$out" "^hs-exec [0-9]+\.[0-9]+\.[0-9]+$" "hs-exec --version"
run "$HS_TOKEN" --version
like "$out" "^hs-token [0-9]+\.[0-9]+\.[0-9]+$" "hs-token --version"
run "$HS_EXEC" --help
is "$status" 0 "hs-exec --help: exit 0"
like "$out" "\\[PROFILE\\] \\[-- COMMAND \\[ARG" "hs-exec --help: shows the usage"
finish
