#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token doctor: each check with its fix, and an exit code that says
# whether anything is wrong.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
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
# The user keyring is shared with other tests and the user: any count.
like "$out" "store +ok +keyctl: available, [0-9]+ profiles?.*until removed, their --ttl ends or the machine reboots" "keyctl available, with how long its profiles stay"
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

# Settings this version does not know: a problem each, at its file and line,
# and one warning each from every other command, which goes on.
conf=$HS_CONF
hs_conf "$(printf '[stores]\norder=secret-service\nordr=keyctl\n[hubspot]\noauth-api=2026-03\n[proxies]\nport=1')"
run "$HS_TOKEN" doctor
is "$status" 6 "unknown settings: doctor exits 6"
like "$out" "config +PROBLEM $conf:3: unknown key 'ordr' in \[stores\]" "unknown key: file, line, key and section"
like "$out" "config +PROBLEM $conf:6: unknown section \[proxies\]" "unknown section: file, line and section"
like "$out" "fix: correct the spelling or remove it; hs-exec.conf knows \[stores\] order; \[hubspot\] oauth-api" "unknown settings: the fix lists what is known"
run "$HS_TOKEN" list
is "$status" 0 "unknown settings: hs-token list still works"
is "$(printf '%s\n' "$err" | grep -c 'warning: ')" 2 "unknown settings: hs-token warns once for each"
like "$err" "^hs-token: warning: $conf:3: unknown key 'ordr' in \[stores\], ignored" "hs-token's warning names file, line and key"
run "$HS_EXEC" p -- true
is "$status" 0 "unknown settings: hs-exec still runs"
like "$err" "^hs-exec: warning: $conf:6: unknown section \[proxies\], ignored" "hs-exec warns too"
# What other settings and per-store sections use is known.
printf '[stores]\norder=secret-service\n[hubspot]\noauth-api=2026-03\napi-base=%s\nca-file=%s\n[store keyctl]\nanything=1\n' \
  "$STANDIN_BASE" "$STANDIN_CA" >"$conf"
run "$HS_TOKEN" doctor
unlike "$out" "config +PROBLEM" "api-base, ca-file and [store NAME] are known"
run "$HS_TOKEN" list
is "$err" "" "known settings: no warning"

# A misspelled store name: a problem that lists the installed plugins.
hs_conf "$(printf '[stores]\norder=secret-servce keyctl')"
run "$HS_TOKEN" doctor
is "$status" 6 "misspelled store: doctor exits 6"
like "$out" "store +PROBLEM $conf:2: \[stores\] order: no store plugin named 'secret-servce'" "misspelled store: named, with file and line"
like "$out" "fix: name installed store plugins in \[stores\] order= \(installed in .*: keyctl, pass, secret-service, systemd-creds, vault\)" "misspelled store: the fix lists the installed plugins"
run "$HS_EXEC" p -- true
fails_with 6 hs-exec "misspelled store: hs-exec"
like "$err" "installed: keyctl, pass, secret-service" "misspelled store: hs-exec lists the installed plugins"
finish
