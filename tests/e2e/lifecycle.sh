#!/bin/bash
# SPDX-License-Identifier: MIT
# A user's whole round on a real Secret Service: add → list → show →
# hs-exec (the child sees the token, other HUBSPOT_* are gone, its exit status
# passes through, 127/126) → remove → hs-exec exits 2.  Then: the token is in
# no file anywhere under the throw-away HOME, XDG dirs or TMPDIR.
set -u
. "$E2E_DIR/lib/e2e.sh"

TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
TOKEN2=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e

# ---- add ----
run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify
is "$status" 0 "add prod: exit 0"
like "$out" "Added profile prod \(private-app\) to store secret-service" "add prod: says where it went"
unlike "$out$err" "$TOKEN" "add prod: never prints the token"

# What Seahorse would show, seen from outside the program.
seen=$("${SECRET_TOOL:-secret-tool}" search --all profile prod 2>&1)
like "$seen" "label = HubSpot token: prod" "keyring item has the documented label"
like "$seen" "schema = com.hubspot.hs-exec.Profile" "keyring item has the documented schema"
like "$seen" "attribute.kind = private-app" "keyring item has the kind attribute"
like "$seen" "attribute.version = 1" "keyring item has the version attribute"
unlike "$(printf '%s\n' "$seen" | grep -E '^(label|attribute)')" "$TOKEN" "no secret in the label or the attributes"

# ---- list ----
run "$HS_TOKEN" list
is "$status" 0 "list: exit 0"
like "$out" "^PROFILE +KIND +HUB +STORE +LAST-USE +CACHED" "list: has a header"
like "$out" "prod +private-app +- +secret-service +- +-" "list: prod row with kind, hub, store (the stores' attributes)"
unlike "$out$err" "$TOKEN" "list: never prints the token"
run "$HS_TOKEN" list --long
is "$status" 0 "list --long: exit 0"
like "$out" "^PROFILE +KIND +HUB +HUBLET +STORE +AGE +ROTATION" "list --long: has a header"
like "$out" "prod +private-app +- +na1 +secret-service +0d +ok" "list --long: prod row with kind, hublet, store, age, rotation"
unlike "$out$err" "$TOKEN" "list --long: never prints the token"
run "$HS_TOKEN" list --json
is "$status" 0 "list --json: exit 0"
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["profile"], d[0]["kind"], d[0]["store"], "hublet" in d[0])')" \
   "prod private-app secret-service False" "list --json: the attributes' fields"
run "$HS_TOKEN" list --json --long
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["profile"], d[0]["kind"], d[0]["store"], d[0]["hublet"], d[0]["rotation"], d[0]["age_days"])')" \
   "prod private-app secret-service na1 ok 0" "list --json --long: fields"
unlike "$out" "$TOKEN" "list --json: never prints the token"

# ---- show ----
run "$HS_TOKEN" show prod
is "$status" 0 "show: exit 0"
like "$out" "kind: +private-app" "show: kind"
unlike "$out" "$TOKEN" "show: no token without --reveal"
run "$HS_TOKEN" show prod --reveal
like "$out" "token: +$TOKEN" "show --reveal: prints the token"
run "$HS_TOKEN" show prod --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["profile"], d["store"], "token" in d)')" \
   "prod secret-service False" "show --json: metadata, no token"

# ---- hs-exec ----
export HUBSPOT_API_KEY=legacy-should-vanish HUBSPOT_ACCESS_TOKEN=stale-should-vanish
run "$HS_EXEC" prod -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$status" 0 "hs-exec: exit 0"
is "$out" "$TOKEN" "hs-exec: the child sees the token"
run "$HS_EXEC" prod -- sh -c 'env | grep -E "^(HUBSPOT_|HS_EXEC_PROFILE=|HS_EXEC_EXPIRES_AT=)" | sort | sed "s/=.*//"'
is "$out" "$(printf 'HS_EXEC_PROFILE\nHUBSPOT_ACCESS_TOKEN')" "hs-exec: inherited HUBSPOT_* are gone, only ours are set"
run "$HS_EXEC" prod -- sh -c 'printf %s "$HS_EXEC_PROFILE"'
is "$out" "prod" "hs-exec: HS_EXEC_PROFILE"
run "$HS_EXEC" --keep-env prod -- sh -c 'printf %s "$HUBSPOT_API_KEY"'
is "$out" "legacy-should-vanish" "hs-exec --keep-env: keeps inherited HUBSPOT_*"
run "$HS_EXEC" --env MY_TOKEN --env PRIVATE_APP_ACCESS_TOKEN prod -- sh -c 'printf "%s %s %s" "$MY_TOKEN" "$PRIVATE_APP_ACCESS_TOKEN" "${HUBSPOT_ACCESS_TOKEN:-unset}"'
is "$out" "$TOKEN $TOKEN unset" "hs-exec --env: the token under the chosen names instead"
unset HUBSPOT_API_KEY HUBSPOT_ACCESS_TOKEN
run "$HS_EXEC" prod -- printf '%s|' a '--' 'b c' -x
is "$out" "a|--|b c|-x|" "hs-exec: COMMAND's own arguments pass untouched"
for code in 0 3 42; do
  run "$HS_EXEC" prod -- sh -c "exit $code"
  is "$status" "$code" "hs-exec: COMMAND's exit status $code passes through"
done
run sh -c 'echo $$; exec "$0" prod -- sh -c "echo \$\$"' "$HS_EXEC"
is "$(printf '%s\n' "$out" | sort -u | wc -l)" 1 "hs-exec: COMMAND runs in hs-exec's own process (execve in place)"
run "$HS_EXEC" prod -- no-such-command-hs-exec
is "$status" 127 "hs-exec: missing command exits 127"
like "$err" "^hs-exec: no-such-command-hs-exec: command not found" "hs-exec: says the command was not found"
noexec="$E2E_SCRATCH/home/not-executable"
printf '#!/bin/sh\nexit 0\n' >"$noexec"; chmod 0644 "$noexec"
run "$HS_EXEC" prod -- "$noexec"
is "$status" 126 "hs-exec: non-executable command exits 126"
run env HS_EXEC_PROFILE=other "$HS_EXEC" prod -- true
fails_with 1 hs-exec "hs-exec inside another profile's hs-exec"
run env HS_EXEC_PROFILE=other "$HS_EXEC" --nested prod -- true
is "$status" 0 "hs-exec --nested: allowed"

# ---- replace, hub id ----
run --in "$TOKEN2" "$HS_TOKEN" add prod --kind private-app --no-verify
fails_with 1 hs-token "second add without --force"
run "$HS_EXEC" prod -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$out" "$TOKEN" "refused add left the old token in place"
run --in "$TOKEN2" "$HS_TOKEN" add prod --kind private-app --no-verify --force --hub-id 4711
is "$status" 0 "add --force: replaces"
run "$HS_EXEC" prod -- sh -c 'printf "%s %s %s" "$HUBSPOT_ACCESS_TOKEN" "$HUBSPOT_PORTAL_ID" "$HUBSPOT_ACCOUNT_ID"'
is "$out" "$TOKEN2 4711 4711" "hs-exec: new token and hub id"
seen=$("${SECRET_TOOL:-secret-tool}" search --all profile prod 2>&1)
is "$(printf '%s\n' "$seen" | grep -c '^label = ')" 1 "replacing leaves one keyring item"
like "$seen" "label = HubSpot token: prod \(hub 4711\)" "label names the hub"
run "$HS_TOKEN" list --long
like "$out" "prod +private-app +4711 +eu1" "list: hub id and hublet after replace"

# ---- a second profile, then remove ----
run --in "sk-opaque.service_key-0001" "$HS_TOKEN" add sandbox --kind service-key --no-verify
is "$status" 0 "add a service-key profile"
run "$HS_TOKEN" list --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print(" ".join(p["profile"] for p in json.load(sys.stdin)))')" "prod sandbox" "list: both profiles, sorted"
run "$HS_TOKEN" remove prod
is "$status" 0 "remove prod: exit 0"
run "$HS_EXEC" prod -- true
fails_with 2 hs-exec "hs-exec after remove"
run "$HS_TOKEN" remove prod
fails_with 2 hs-token "remove twice"
is "$("${SECRET_TOOL:-secret-tool}" search --all profile prod 2>&1 | grep -c '^label')" 0 "remove: no keyring item left"
run "$HS_EXEC" sandbox -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$out" "sk-opaque.service_key-0001" "the other profile is untouched"

# ---- no secret on disk ----
hits=$(grep -rlaF -e "$TOKEN" -e "$TOKEN2" -e "sk-opaque.service_key-0001" "$E2E_SCRATCH" 2>/dev/null || true)
is "$hits" "" "no file under HOME, XDG dirs, runtime dir or TMPDIR holds a token"
keyrings=$(find "$E2E_SCRATCH/home" -path '*keyrings*' -type f | wc -l)
like "$keyrings" "^[1-9]" "the keyring file exists (so the search above had something to read)"
finish
