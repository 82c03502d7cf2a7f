#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token check --notify: a desktop notification (org.freedesktop.Notifications
# on the session bus) when a rotation is due or overdue or a token is invalid
# or unreachable, none when all is well; without a notification server it
# says so on stderr and still exits with check's code.  The server is a
# stand-in (tests/notify/notify-server) on the test's private bus.
set -u
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
export HS_EXEC_RETRY_BASE_MS=1

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
STALE=pat-na1-00000000-0000-0000-0000-000000000000
STANDIN_SEED="$E2E_SCRATCH/seed.json"
echo "{\"private_apps\": {\"$PAT\": {\"hub_id\": 12345678, \"hublet\": \"na1\"}}}" >"$STANDIN_SEED"
standin_start
later() { echo $(( $(date +%s) + $1 * 86400 )); }

run --in "$PAT" "$HS_TOKEN" add prod --kind private-app
is "$status" 0 "add prod"

# ---- no notification server on the bus ----
if test_hooks; then
  run env HS_EXEC_FAKE_NOW="$(later 200)" "$HS_TOKEN" check --notify
  is "$status" 1 "no server, rotation due: still check's exit 1"
  like "$err" "^hs-token: note: no desktop notification was shown \(.*\); the findings are in the journal" "no server: says so on stderr"
  like "$out" "prod +private-app +12345678 +200d +due +ok" "no server: the report is printed as ever"
else
  ok "# SKIP no server, rotation due: the installed programs have no fake clock (HS_EXEC_FAKE_NOW, make check only)"
fi

if [ ! -x "${NOTIFY_SERVER:-}" ]; then
  ok "# SKIP the notification stand-in is built by make check only"
  finish; exit $?
fi
LOG="$E2E_SCRATCH/notifications"; READY="$E2E_SCRATCH/notify-ready"
: >"$LOG"
"$NOTIFY_SERVER" "$LOG" "$READY" &
server=$!
trap 'kill $server $STANDIN_PID 2>/dev/null; wait $server $STANDIN_PID 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$READY" ] && break; sleep 0.05; done
is "$(cat "$READY" 2>/dev/null)" ready "the notification stand-in owns org.freedesktop.Notifications"

run "$HS_TOKEN" check --notify
is "$status" 0 "all well: exit 0"
is "$(wc -c <"$LOG")" 0 "all well: no notification"

if test_hooks; then
  run env HS_EXEC_FAKE_NOW="$(later 200)" "$HS_TOKEN" check --notify
  is "$status" 1 "rotation due: exit 1"
  is "$err" "hs-token: check: a rotation is due; rotate the token in HubSpot and store it with 'hs-token rotate PROFILE'" "rotation due: no note about notifications"
  is "$(cat "$LOG")" "$(printf '%s\n' 'app=hs-token' 'summary=1 HubSpot token needs attention' 'urgency=1' \
    "body=prod: rotation due (200 days old); rotate it with 'hs-token rotate prod'" ---)" "rotation due: one notification naming the profile"

  : >"$LOG"
  run env HS_EXEC_FAKE_NOW="$(later 400)" "$HS_TOKEN" check --notify
  like "$(cat "$LOG")" "body=prod: rotation overdue \(400 days old\)" "overdue: notified"
else
  ok "# SKIP rotation due and overdue: the installed programs have no fake clock (HS_EXEC_FAKE_NOW, make check only)"
fi

: >"$LOG"
run --in "$STALE" "$HS_TOKEN" add stale --kind private-app --no-verify
run "$HS_TOKEN" check --notify
is "$status" 2 "an invalid token: exit 2"
like "$(cat "$LOG")" "summary=1 HubSpot token needs attention" "invalid: one notification"
like "$(cat "$LOG")" "urgency=2" "invalid: critical urgency"
like "$(cat "$LOG")" "body=stale: invalid \(" "invalid: names the profile and the reason"
unlike "$(cat "$LOG")" "$STALE|$PAT" "the notification holds no token"
audit_log="$XDG_STATE_HOME/hs-exec/audit.jsonl"
is "$(grep -c '"event":"check","profile":"stale","kind":"private-app","outcome":"invalid"' "$audit_log")" 1 "audit: one check line for the invalid token, with its fields"
is "$(grep -c '"event":"check","profile":"prod"' "$audit_log")" 0 "audit: no check line for a token that works"

: >"$LOG"
run with_api_base https://127.0.0.1:9 "$HS_TOKEN" check --notify prod
is "$status" 3 "HubSpot unreachable: exit 3"
like "$(cat "$LOG")" "body=prod: unreachable \(" "unreachable: notified"
is "$(grep -c '"event":"check","profile":"prod","kind":"private-app","outcome":"unreachable"' "$audit_log")" 1 "audit: one check line for the unreachable one"

: >"$LOG"
run env HS_EXEC_FAKE_NOW="$(later 200)" "$HS_TOKEN" check
is "$(wc -c <"$LOG")" 0 "without --notify: no notification"
finish
