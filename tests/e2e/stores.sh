#!/bin/bash
# SPDX-License-Identifier: MIT
# NSS-style stacking of stores (hs-exec.conf(5)) with the Secret Service and the
# kernel-keyring store: keyctl alone, a fallback when D-Bus is gone, the
# UNAVAIL and NOTFOUND actions, add --store, and failing closed.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
# The keyctl store is the user keyring, which other tests and the user's
# own profiles share: this run's profiles carry its tag.
for n in head desk desk2 pinned nowhere nobody; do
  declare "${n^^}=$(tagged $n)"
done
TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
TOKEN2=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e
conf="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
mkdir -p "$(dirname "$conf")"
order() { printf '[stores]\norder=%s\n' "$1" >"$conf"; }
NO_BUS=unix:path=/nonexistent/hs-exec-test-bus

# ---- keyctl alone ----
order keyctl
run --in "$TOKEN" "$HS_TOKEN" add $HEAD --kind private-app --no-verify --hub-id 77
is "$status" 0 "keyctl store: add"
like "$out" "to store keyctl" "keyctl store: says where it went"
like "$(keyctl rdescribe "$(keyctl search @u user "hs-exec-profile:$HEAD")")" "^user;.*;hs-exec-profile:$HEAD$" "keyctl store: a key hs-exec-profile:PROFILE in the user keyring"
run "$HS_TOKEN" list
like "$out" "$HEAD +private-app +77 +keyctl" "keyctl store: list"
run "$HS_TOKEN" list --long
like "$out" "$HEAD +private-app +77 +na1 +keyctl" "keyctl store: list --long"
run env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_EXEC" $HEAD -- sh -c 'printf "%s %s" "$HUBSPOT_ACCESS_TOKEN" "$HUBSPOT_PORTAL_ID"'
is "$out" "$TOKEN 77" "keyctl store: hs-exec works without any D-Bus session"

# ---- secret-service, then keyctl ----
order "secret-service keyctl"
run env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_EXEC" $HEAD -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$status" 0 "Secret Service unavailable (no D-Bus): served from keyctl"
is "$out" "$TOKEN" "served from keyctl: the right token"
run env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_TOKEN" list
like "$out" "$HEAD .*keyctl" "list with no D-Bus: keyctl's profiles"
like "$err" "warning: store secret-service is unavailable" "list with no D-Bus: warns about the Secret Service"
run "$HS_EXEC" $HEAD -- true
is "$status" 0 "NOTFOUND in the Secret Service, continue: found in keyctl"
run --in "$TOKEN2" "$HS_TOKEN" add $DESK --kind private-app --no-verify
like "$out" "to store secret-service" "add goes to the first available store"
run --in "$TOKEN2" env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_TOKEN" add $DESK2 --kind private-app --no-verify
like "$out" "to store keyctl" "add with the first store unavailable goes to the next"
run --in "$TOKEN2" "$HS_TOKEN" add $PINNED --kind private-app --no-verify --store keyctl
like "$out" "to store keyctl" "add --store keyctl"
run --in "$TOKEN2" "$HS_TOKEN" add $NOWHERE --kind private-app --no-verify --store nosuch
fails_with 1 hs-token "add --store with a store that is not configured"
run "$HS_TOKEN" list --json
is "$(printf %s "$out" | python3 -c 'import json,sys; t="-"+sys.argv[1]; print(" ".join(p["profile"][:-len(t)]+"@"+p["store"] for p in json.load(sys.stdin) if p["profile"].endswith(t)))' "$E2E_TAG")" \
   "desk@secret-service desk2@keyctl head@keyctl pinned@keyctl" "list: every profile (of this run) with the store that holds it"

# ---- actions ----
order "secret-service [UNAVAIL=return] keyctl"
run env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_EXEC" $HEAD -- true
fails_with 3 hs-exec "[UNAVAIL=return]: stops at the unavailable store"
like "$err" "secret-service" "[UNAVAIL=return]: names the store and why"
order "secret-service [NOTFOUND=return] keyctl"
run "$HS_EXEC" $HEAD -- true
fails_with 2 hs-exec "[NOTFOUND=return]: not found in the first store is final"
run "$HS_EXEC" $DESK -- true
is "$status" 0 "[NOTFOUND=return]: what the first store has is found"

# ---- fail closed ----
order "secret-service keyctl"
run env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_EXEC" $NOBODY -- true
fails_with 3 hs-exec "not in keyctl, Secret Service unavailable: store unavailable, not 'not found'"
order secret-service
run env DBUS_SESSION_BUS_ADDRESS=$NO_BUS "$HS_TOKEN" list
fails_with 3 hs-token "no store available at all"

# ---- remove from every store ----
order "secret-service keyctl"
run --in "$TOKEN" "$HS_TOKEN" add $DESK2 --kind private-app --no-verify --force --store secret-service
run "$HS_TOKEN" remove $DESK2
is "$status" 0 "remove a profile held by both stores"
run "$HS_TOKEN" show $DESK2
fails_with 2 hs-token "removed from every store"
is "$(keyctl search @u user "hs-exec-profile:$DESK2" 2>/dev/null)" "" "no key left in the kernel keyring"

hits=$(grep -rlaF -e "$TOKEN" -e "$TOKEN2" "$E2E_SCRATCH/home" "$E2E_SCRATCH/tmp" "$E2E_SCRATCH/runtime" 2>/dev/null || true)
is "$hits" "" "no token in any file"
finish
