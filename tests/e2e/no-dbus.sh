#!/bin/bash
# SPDX-License-Identifier: MIT
# Without a D-Bus session the Secret Service cannot be reached: exit 3 and a
# message naming the cause, before any secret is read.
set -u
. "$E2E_DIR/lib/e2e.sh"

TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/hs-exec-test-bus

run "$HS_EXEC" prod -- true
fails_with 3 hs-exec "hs-exec without D-Bus"
like "$err" "D-Bus" "hs-exec without D-Bus: names D-Bus"
run "$HS_TOKEN" list
fails_with 3 hs-token "list without D-Bus"
like "$err" "secret-service" "list without D-Bus: names the store"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify
fails_with 3 hs-token "add without D-Bus"
unlike "$err" "$TOKEN" "add without D-Bus: no token in the message"
run "$HS_TOKEN" remove prod
fails_with 3 hs-token "remove without D-Bus"

# Back on the bus, nothing was written.
unset DBUS_SESSION_BUS_ADDRESS
export DBUS_SESSION_BUS_ADDRESS="$E2E_BUS"
run "$HS_TOKEN" list --json
is "$out" "[]" "nothing was stored while D-Bus was gone"
finish
