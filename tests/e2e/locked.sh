#!/bin/bash
# SPDX-License-Identifier: MIT
# A locked keyring (gnome-keyring started without --unlock, so its login
# collection stays locked and the unlock prompt cannot be shown headless):
# exit 3 saying the keyring is locked, never "no such profile", and doctor
# names the problem and the fix.
set -u
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh" # with_api_base; no stand-in is started
TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify
is "$status" 0 "added while the keyring is unlocked"

# A second, private session whose daemon opens the same keyring file locked.
. "$E2E_DIR/lib/locked-session.sh"
run locked "$HS_EXEC" prod -- true
fails_with 3 hs-exec "hs-exec on a locked keyring"
like "$err" "locked" "hs-exec on a locked keyring: says it is locked"
run locked "$HS_TOKEN" list
fails_with 3 hs-token "list on a locked keyring"
run --in "$TOKEN" locked "$HS_TOKEN" add other --kind private-app --no-verify
fails_with 3 hs-token "add on a locked keyring"
run with_api_base https://127.0.0.1:9 locked env HS_EXEC_RETRY_BASE_MS=1 "$HS_TOKEN" doctor
is "$status" 3 "doctor on a locked keyring: exit 3"
like "$out" "store +PROBLEM secret-service: locked" "doctor: the store is locked"
like "$out" "fix: unlock the login keyring" "doctor: with its fix"
run "$HS_EXEC" prod -- true
is "$status" 0 "unlocked again (the first session): works"
finish
