#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token doctor: each check with its fix, and an exit code that says
# whether anything is wrong.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
# Until the user-keyring cache and keyctl store work from a `keyctl
# session` that does not link @u (issue 15), both stay in this session's
# keyring, as they did before the shared preamble.
export HS_EXEC_CACHE_KEYRING=session HS_EXEC_KEYCTL_KEYRING=session
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
export HS_EXEC_RETRY_BASE_MS=1
standin_start
hs_conf "$(printf '[stores]\norder=secret-service keyctl')"
run --in pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03 "$HS_TOKEN" add p --kind private-app --no-verify

run "$HS_TOKEN" doctor
is "$status" 0 "healthy: exit 0"
like "$out" "config +ok +read .*hs-exec.conf" "names the config file read"
like "$out" "store +ok +secret-service: available, 1 profile" "Secret Service available, with its profile count"
like "$out" "store +ok +keyctl: available, 0 profiles.*reboot" "keyctl available, with the reboot caveat"
like "$out" "cache +ok" "the kernel-keyring cache works"
like "$out" "runtime +ok +.*hs-exec is private" "the lock directory is private"
like "$out" "hubspot +ok +https://127.0.0.1:[0-9]+ reachable" "HubSpot (the stand-in) is reachable"
like "$out" "clock +ok" "clock skew checked against HubSpot's Date"
run "$HS_TOKEN" doctor --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(all(c["ok"] for c in d), sorted({c["area"] for c in d}))')" \
   "True ['cache', 'clock', 'config', 'dbus', 'hubspot', 'runtime', 'store']" "--json: every area, all ok"

run env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus "$HS_TOKEN" doctor
is "$status" 3 "no D-Bus: exit 3"
like "$out" "store +PROBLEM secret-service: unavailable: .*D-Bus" "no D-Bus: the Secret Service problem"
like "$out" "fix: run inside a desktop session" "no D-Bus: with its fix"
run with_api_base https://127.0.0.1:9 "$HS_TOKEN" doctor
is "$status" 5 "HubSpot unreachable: exit 5"
like "$out" "hubspot +PROBLEM" "HubSpot unreachable: a problem"
chmod 0755 "$XDG_RUNTIME_DIR/hs-exec"
run "$HS_TOKEN" doctor
is "$status" 6 "lock directory open to others: exit 6"
like "$out" "runtime +PROBLEM .*not private" "lock directory open to others: said"
chmod 0700 "$XDG_RUNTIME_DIR/hs-exec"
hs_conf "$(printf '[stores]\norder=secret-service [UNAVAIL=sometimes]')"
run "$HS_TOKEN" doctor
is "$status" 6 "bad config: exit 6"
like "$out" "config +PROBLEM .*hs-exec.conf" "bad config: names the file"
finish
