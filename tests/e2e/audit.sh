#!/bin/bash
# SPDX-License-Identifier: MIT
# The audit trail: one JSON line per event, in a 0600 file, never a secret;
# concurrent writers never interleave; `hs-token audit` filters it.
set -u
. "$E2E_DIR/lib/e2e.sh"
TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
log="$XDG_STATE_HOME/hs-exec/audit.jsonl"

run "$HS_TOKEN" audit
like "$out" "No audit events yet" "audit before any event"
run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify
run "$HS_TOKEN" show prod
run "$HS_TOKEN" show prod --reveal
run "$HS_EXEC" prod -- /bin/true
run --in "$TOKEN" "$HS_TOKEN" add other --kind private-app --no-verify
run "$HS_TOKEN" remove other

is "$(stat -c %a "$log")" 600 "the audit file is mode 0600"
is "$(stat -c %a "$(dirname "$log")")" 700 "its directory is mode 0700"
events=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    assert set(e) >= {"time", "uid", "event", "profile", "outcome"}, e
    print(e["event"], e["profile"], e.get("kind", "-"), e["outcome"], e.get("command", "-"))
' "$log")
is "$events" "$(printf '%s\n' 'add prod private-app ok-unverified -' 'show-reveal prod private-app ok -' 'exec prod - ok true' 'add other private-app ok-unverified -' 'remove other - ok -')" \
  "one line per event with its fields; exec records argv[0] only; plain show is not recorded"
run "$HS_TOKEN" audit prod
is "$(printf '%s\n' "$out" | wc -l)" 3 "audit PROFILE filters"
like "$out" "exec +prod +- +ok  true" "audit: a readable table"
run "$HS_TOKEN" audit --since 2000-01-01 --json
is "$(printf '%s\n' "$out" | wc -l)" 5 "audit --since (past) --json: every event"
run "$HS_TOKEN" audit --since 2999-01-01
is "$out" "" "audit --since (future): nothing"
run "$HS_TOKEN" audit --since yesterday
fails_with 1 hs-token "audit --since with a bad date"

# 20 concurrent writers: 20 whole lines
pids=()
for i in $(seq 20); do "$HS_EXEC" prod -- /bin/true & pids+=($!); done
wait "${pids[@]}"
is "$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    n += e["event"] == "exec"
print(n)' "$log")" 21 "20 concurrent hs-exec: 20 more well-formed exec lines"
# hs-exec inside hs-exec for the same profile passes on the token it
# inherited, asking no store: the audit says so, and never records it as a
# lookup, even for a profile that does not exist.
lines=$(wc -l <"$log")
run "$HS_EXEC" prod -- "$HS_EXEC" prod -- /bin/true
is "$status" 0 "nested hs-exec for the same profile: exit 0"
is "$(tail -n +$((lines + 1)) "$log" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line); print(e["event"], e["profile"], e["outcome"], e.get("command", "-"))')" \
  "$(printf '%s\n' "exec prod ok $(basename "$HS_EXEC")" 'exec-inherited prod ok true')" \
  "nested: the outer lookup is exec, the inner pass-through exec-inherited"
lines=$(wc -l <"$log")
run env HS_EXEC_PROFILE=ghost HUBSPOT_ACCESS_TOKEN=pat-na1-not-from-any-store \
  "$HS_EXEC" ghost -- /bin/true
is "$status" 0 "a token in the environment for a profile no store has: passed on"
is "$(tail -n +$((lines + 1)) "$log" | python3 -c '
import json, sys
for line in sys.stdin:
    e = json.loads(line); print(e["event"], e["profile"], e["outcome"])')" \
  "exec-inherited ghost ok" "…recorded as inherited, not as a lookup of ghost"
is "$(grep -c '"event":"exec","profile":"ghost"' "$log")" 0 "…no exec line for ghost"
is "$(grep -caF "$TOKEN" "$log")" 0 "the audit file holds no secret"
finish
