#!/bin/bash
# SPDX-License-Identifier: MIT
# A D-Bus session is there, but the Secret Service fails to start or hangs
# while starting: exit 3 saying so (not "no D-Bus session bus"), after a few
# seconds rather than GDBus's 25, doctor names the problem and its fix, and
# with [UNAVAIL=continue] the next store answers.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/secrets-bus.sh"
trap secrets_bus_cleanup EXIT
TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
# Its own name: the user keyring is shared with every other test.
P=$(tagged ss-down)
conf="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
mkdir -p "$(dirname "$conf")"

for how in fails hangs; do
  case $how in
    fails) said="did not start \(.*exited with status 1\)" ;;
    hangs) said="did not answer within [0-9]+ s" ;;
  esac
  rm -f "$conf"
  run secrets_bus $how "$HS_EXEC" "$P" -- true
  fails_with 3 hs-exec "Secret Service $how: hs-exec"
  like "$err" "the Secret Service \(org.freedesktop.secrets\) $said" \
    "Secret Service $how: says so"
  unlike "$err" "no D-Bus session bus" "Secret Service $how: not 'no D-Bus session bus'"

  run secrets_bus $how "$HS_TOKEN" doctor
  is "$status" 3 "Secret Service $how: doctor exits 3"
  like "$out" "store +PROBLEM secret-service: unavailable: .*$said" \
    "Secret Service $how: doctor's problem line"
  like "$out" "fix: find in the session's log .*why org.freedesktop.secrets" \
    "Secret Service $how: doctor's fix"

  printf '[stores]\norder=secret-service [UNAVAIL=continue] keyctl\n' >"$conf"
  run --in "$TOKEN" secrets_bus $how "$HS_TOKEN" add "$P" --kind private-app --no-verify
  is "$status" 0 "Secret Service $how, UNAVAIL=continue: added"
  like "$out" "to store keyctl" "Secret Service $how, UNAVAIL=continue: to keyctl"
  run secrets_bus $how "$HS_EXEC" "$P" -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
  is "$status" 0 "Secret Service $how, UNAVAIL=continue: hs-exec runs"
  is "$out" "$TOKEN" "Secret Service $how, UNAVAIL=continue: keyctl's token"
  # remove asks every store, so it runs where the Secret Service answers.
  run "$HS_TOKEN" remove "$P"
  is "$status" 0 "Secret Service $how, UNAVAIL=continue: removed again"

  printf '[stores]\norder=secret-service [UNAVAIL=return] keyctl\n' >"$conf"
  run secrets_bus $how "$HS_EXEC" "$P" -- true
  fails_with 3 hs-exec "Secret Service $how, UNAVAIL=return: stops there"
done
finish
