#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-exec -- COMMAND with no PROFILE inside a HubSpot CLI project: the
# profile of the account .hs/settings.json or .hsaccount names, found from
# the working directory up; one match, none, several; .hsaccount where the
# settings name no default; --format hubspot-cli and the project's account.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
PAK=CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ
PAK2=CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMR
CLI=$(tagged cli) CLI2=$(tagged cli2)
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"personal_access_keys": {"$PAK": {"hub_id": 777, "user_id": 5, "hub_name": "Acme"},
                          "$PAK2": {"hub_id": 778, "user_id": 5, "hub_name": "Other"}}}
JSON
standin_start

n=0
add_static() { # PROFILE HUB
  n=$((n + 1))
  run --in "pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f$(printf %02d $n)" \
    "$HS_TOKEN" add "$1" --kind private-app --no-verify --hub-id "$2"
  is "$status" 0 "add $1 (hub $2)"
}
add_static alpha 111
add_static beta 222
add_static gamma 333
add_static delta 333

P="$E2E_SCRATCH/project"
mkdir -p "$P/.hs" "$P/src/deep" "$P/sub"
printf '{\n  "accounts": [111, 222],\n  "localDefaultAccount": 222\n}\n' >"$P/.hs/settings.json"

# One match, from a parent directory.
cd "$P/src/deep"
run "$HS_EXEC" -- sh -c 'printf %s "$HS_EXEC_PROFILE"'
is "$status" 0 "binding: exit 0"
is "$out" "beta" "binding: the profile of settings.json's localDefaultAccount, found from a subdirectory"
is "$err" "hs-exec: using profile beta, of account 222 that $P/.hs/settings.json links" "binding: says which profile and why on stderr"

# settings.json names no default: the nearest .hsaccount decides.
printf '{"accounts": [111, 222]}\n' >"$P/.hs/settings.json"
printf '111\n' >"$P/sub/.hsaccount"
cd "$P/sub"
run "$HS_EXEC" -- sh -c 'printf %s "$HS_EXEC_PROFILE"'
is "$out" "alpha" ".hsaccount: overrides in its folder when settings.json names no default"
like "$err" "$P/sub/.hsaccount links" ".hsaccount: named on stderr"
# ... and, as in the CLI, settings.json's localDefaultAccount comes first.
printf '{"accounts": [111, 222], "localDefaultAccount": 222}\n' >"$P/.hs/settings.json"
run "$HS_EXEC" -- sh -c 'printf %s "$HS_EXEC_PROFILE"'
is "$out" "beta" "settings.json's localDefaultAccount wins over .hsaccount, as in the CLI"
rm -rf "$P/.hs"
run "$HS_EXEC" -- sh -c 'printf %s "$HS_EXEC_PROFILE"'
is "$out" "alpha" ".hsaccount alone"

# None, several, unreadable, no binding at all.
printf '444' >"$P/sub/.hsaccount"
run "$HS_EXEC" -- true
fails_with 2 hs-exec "binding: no profile of the account"
like "$err" "account 444.*alpha \(hub 111\).*--hub-id 444" "binding, none: lists the profiles and how to add one"
printf '333' >"$P/sub/.hsaccount"
run "$HS_EXEC" -- true
fails_with 1 hs-exec "binding: several profiles of the account"
like "$err" "\(gamma, delta\)|\(delta, gamma\)" "binding, several: lists them"
like "$err" "hs-exec PROFILE -- COMMAND" "binding, several: says how to choose"
printf 'my-account' >"$P/sub/.hsaccount"
run "$HS_EXEC" -- true
fails_with 6 hs-exec "binding: a .hsaccount without an account id"
cd "$E2E_SCRATCH"
run "$HS_EXEC" -- true
fails_with 1 hs-exec "no PROFILE and no binding"
like "$err" "settings.json or .hsaccount" "no binding: says where a binding would be"
# A PROFILE given is used as it is, binding or not.
cd "$P/sub"
run "$HS_EXEC" alpha -- sh -c 'printf %s "$HS_EXEC_PROFILE"'
is "$status$out" "0alpha" "an explicit PROFILE ignores the binding"

# --format hubspot-cli: the account the CLI expects.
cd "$E2E_SCRATCH"
run --in "$PAK" "$HS_TOKEN" add $CLI --kind personal-access-key
is "$status" 0 "add a personal access key of hub 777"
run --in "$PAK2" "$HS_TOKEN" add $CLI2 --kind personal-access-key
is "$status" 0 "add a personal access key of hub 778"
printf '777\n' >"$P/sub/.hsaccount"
cd "$P/sub"
run "$HS_EXEC" --format hubspot-cli -- sh -c 'printf "%s %s" "$HS_EXEC_PROFILE" "$HUBSPOT_ACCOUNT_ID"'
is "$status" 0 "--format hubspot-cli in a project: exit 0"
is "$out" "$CLI 777" "--format hubspot-cli in a project: the bound profile and HUBSPOT_ACCOUNT_ID of the project"
run "$HS_EXEC" --format hubspot-cli $CLI2 -- true
fails_with 1 hs-exec "--format hubspot-cli with a profile of another account than the project's"
like "$err" "links account 777, but profile $CLI2 is hub 778" "--format hubspot-cli: says which accounts differ"
cd "$E2E_SCRATCH"

finish
