#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token rotate against the HubSpot stand-in: a static token's rotation
# with a 7-day overlap (happy path, wrong hub, rollback, commit, expiry on a
# fake clock), an OAuth refresh forced now, a SIGKILL at every step of each
# (with the test build's fault points) followed by a working hs-exec, and a
# rotation racing 20 hs-exec.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
# The profiles whose tokens are cached in the user keyring: this run's own.
APP=$(tagged app)
export HS_EXEC_RETRY_BASE_MS=50

OLD=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
NEW=pat-na1-1f4d0b82-6e3c-4a9f-8d52-8b7c3e2f9a14
OTHER_HUB=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$OLD": {"hub_id": 12345678, "hublet": "na1", "scopes": []},
                  "$NEW": {"hub_id": 12345678, "hublet": "na1", "scopes": ["crm.objects.contacts.read"]},
                  "$OTHER_HUB": {"hub_id": 555, "hublet": "eu1", "scopes": []}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-1": {"hub_id": 42, "scopes": ["oauth"]}}}}}
JSON
standin_start
field() { "$HS_TOKEN" show "$1" --json | python3 -c "import json,sys; print(json.load(sys.stdin)[\"$2\"])"; }
audit_count() { grep -c "\"event\":\"$1\".*\"profile\":\"$2\"" "$XDG_STATE_HOME/hs-exec/audit.jsonl"; }

run --in "$OLD" "$HS_TOKEN" add prod --kind private-app
is "$status" 0 "add prod"

# ---- wrong hub: exit 4, the old token untouched ----
run --in "$OTHER_HUB" "$HS_TOKEN" rotate prod
fails_with 4 hs-token "rotate to another hub's token"
like "$err" "belongs to hub 555, not to profile prod's hub 12345678; nothing changed" "wrong hub: says which hubs"
unlike "$err" "$OTHER_HUB" "wrong hub: the token is not echoed"
exec_token prod
is "$out" "$OLD" "wrong hub: hs-exec still gets the old token"
is "$(field prod generation)" 0 "wrong hub: the record was not rewritten"
run --in "pat-na1-00000000-0000-0000-0000-000000000000" "$HS_TOKEN" rotate prod
fails_with 4 hs-token "rotate to a token HubSpot does not know"
run --in "$OLD" "$HS_TOKEN" rotate prod
fails_with 1 hs-token "rotate to the current token"
is "$(audit_count rotate prod)" 2 "audit: one rotate line per attempt HubSpot answered"
like "$(grep '"event":"rotate"' "$XDG_STATE_HOME/hs-exec/audit.jsonl" | head -1)" '"kind":"private-app","outcome":"refused"' "audit: the refusal, with kind and outcome"

# ---- happy path ----
t0=$(date +%s)
run --in "$NEW" "$HS_TOKEN" rotate prod
is "$status" 0 "rotate prod: exit 0"
like "$out" "Rotated profile prod: the new token is current \(hub 12345678\)" "rotate: says so"
unlike "$out$err" "$OLD|$NEW" "rotate: prints no token"
exec_token prod
is "$out" "$NEW" "after rotate: hs-exec gets the new token"
run "$HS_TOKEN" show prod --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["generation"], d["previous_until"] is not None, d["scopes"], "token" in d)')" \
   "1 True ['crm.objects.contacts.read'] False" "show --json: generation 1, a previous kept, the new scopes, no token"
run "$HS_TOKEN" show prod
like "$out" "previous: kept until" "show: says the previous is kept"
is "$(audit_count rotate prod)" 3 "audit: one more rotate line"
like "$(grep '"event":"rotate"' "$XDG_STATE_HOME/hs-exec/audit.jsonl" | tail -1)" '"outcome":"ok"' "audit: rotate ok"
seen=$("${SECRET_TOOL:-secret-tool}" search --all profile prod 2>&1 | grep -c '^label')
is "$seen" 1 "one keyring item after rotate"

# ---- rollback swaps back; rollback again swaps forward ----
run "$HS_TOKEN" rotate prod --rollback
is "$status" 0 "rotate --rollback: exit 0"
exec_token prod
is "$out" "$OLD" "after rollback: hs-exec gets the old token"
is "$(field prod age_days)" 0 "after rollback: the age is the old token's again"
is "$(audit_count rotate-rollback prod)" 1 "audit: one rotate-rollback line"
run "$HS_TOKEN" rotate prod --rollback
exec_token prod
is "$out" "$NEW" "rollback twice: the new token again"

# ---- commit drops the previous ----
run "$HS_TOKEN" rotate prod --commit
is "$status" 0 "rotate --commit: exit 0"
is "$(field prod previous_until)" None "after commit: no previous"
run "$HS_TOKEN" rotate prod --rollback
fails_with 1 hs-token "rollback after commit"
run "$HS_TOKEN" rotate prod --commit
fails_with 1 hs-token "commit with nothing to commit"
is "$(audit_count rotate-commit prod)" 1 "audit: one rotate-commit line"
run "$HS_TOKEN" rotate prod --commit --rollback
fails_with 1 hs-token "--commit and --rollback together"

# ---- the previous goes by itself after 7 days ----
run --in "$OLD" "$HS_TOKEN" rotate prod
is "$status" 0 "rotate back to the first token"
if test_hooks; then
  run env HS_EXEC_FAKE_NOW=$((t0 + 6 * 86400)) "$HS_TOKEN" show prod --json
  isnt_none=$(printf %s "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["previous_until"] is not None)')
  is "$isnt_none" True "6 days on: the previous is still kept"
  run env HS_EXEC_FAKE_NOW=$((t0 + 8 * 86400)) "$HS_TOKEN" show prod --json
  is "$(printf %s "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["previous_until"])')" None "8 days on: the previous is gone"
  is "$(field prod previous_until)" None "…and that was stored, not just hidden"
  run "$HS_TOKEN" rotate prod --rollback
  fails_with 1 hs-token "rollback after the 7 days"
  is "$(audit_count rotate-expire prod)" 1 "audit: one rotate-expire line"
  exec_token prod
  is "$out" "$OLD" "after the expiry: the current token stays"
else
  ok "# SKIP the previous after 7 days: the installed programs have no fake clock (HS_EXEC_FAKE_NOW, make check only)"
fi

# ---- oauth: a refresh now ----
run --in "$(printf 'client_secret=cs-secret-1\nrefresh_token=rt-1\n')" "$HS_TOKEN" add $APP --kind oauth --client-id cid-1
is "$status" 0 "add oauth"
exec_token $APP; before=$out
ctl POST reset-counters >/dev/null
run "$HS_TOKEN" rotate $APP
is "$status" 0 "rotate oauth: exit 0"
like "$out" "Refreshed profile $APP: a new access token, cached until" "rotate oauth: says so"
is "$(token_requests)" 1 "rotate oauth: one token request though the cache was fresh"
exec_token $APP
isnt=$([ "$out" != "$before" ] && [ -n "$out" ] && echo yes)
is "$isnt" yes "rotate oauth: hs-exec gets the new access token from the cache"
is "$(token_requests)" 1 "…without another request"
run "$HS_TOKEN" rotate $APP --commit
fails_with 1 hs-token "rotate --commit on an oauth profile"
ctl POST reset-counters >/dev/null
run --in "$(printf 'refresh_token=rt-piped-4c1e9a\n')" "$HS_TOKEN" rotate $APP
fails_with 1 hs-token "rotate oauth with a token piped to it"
like "$err" "reads nothing from standard input.*hs-token add $APP --kind oauth --client-id ID --force" "rotate oauth with piped input: says how to store a new refresh token"
unlike "$err" "rt-piped-4c1e9a" "rotate oauth with piped input: not echoed"
is "$(token_requests)" 0 "rotate oauth with piped input: no refresh"
run --in "$(printf '\n')" "$HS_TOKEN" rotate $APP
is "$status" 0 "rotate oauth with only a blank line on stdin: refreshes"

# ---- a SIGKILL at every step leaves a working profile ----
if [ -x "${HS_TOKEN_FAULTS_BIN:-}" ]; then
  works() { run "$HS_EXEC" "$1" -- sh -c 'test -n "$HUBSPOT_ACCESS_TOKEN" && printf %s "$HUBSPOT_ACCESS_TOKEN"'; }
  for step in read verified before-save saved; do
    run --in "$NEW" env HS_EXEC_TEST_KILL_AT=$step "$HS_TOKEN_FAULTS_BIN" rotate prod
    is "$status" 137 "kill at rotate's '$step': killed"
    works prod
    is "$status" 0 "kill at rotate's '$step': hs-exec still gets a token"
    want=$OLD; [ $step = saved ] && want=$NEW
    is "$out" "$want" "kill at rotate's '$step': the $([ $step = saved ] && echo new || echo old) token"
    if [ $step = saved ]; then
      run "$HS_TOKEN" rotate prod --rollback
      run "$HS_TOKEN" rotate prod --commit
    fi
  done
  run --in "$NEW" "$HS_TOKEN" rotate prod
  for op in commit rollback; do
    for step in before-save saved; do
      gen=$(field prod generation)
      run env HS_EXEC_TEST_KILL_AT=$step "$HS_TOKEN_FAULTS_BIN" rotate prod --$op
      is "$status" 137 "kill at --$op's '$step': killed"
      works prod
      is "$status" 0 "kill at --$op's '$step': hs-exec still gets a token"
      want=$gen; [ $step = saved ] && want=$((gen + 1))
      is "$(field prod generation)" "$want" "kill at --$op's '$step': the record is whole (generation $want)"
      [ $step = saved ] && [ $op = commit ] && run --in "$([ "$out" = "$NEW" ] && echo "$OLD" || echo "$NEW")" "$HS_TOKEN" rotate prod
    done
  done
  for step in refreshed cached; do
    run env HS_EXEC_TEST_KILL_AT=$step "$HS_TOKEN_FAULTS_BIN" rotate $APP
    is "$status" 137 "kill at oauth rotate's '$step': killed"
    works $APP
    is "$status" 0 "kill at oauth rotate's '$step': hs-exec still gets a token"
  done
else
  ok "# SKIP the fault-point build (hs-token-faults) exists only in make check"
fi

# ---- rotate racing 20 hs-exec ----
race="$E2E_SCRATCH/race"; mkdir -p "$race"
planted "$race" # each racer prints the token it got, to check it
cur=$("$HS_EXEC" prod -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"')
next=$OLD; [ "$cur" = "$OLD" ] && next=$NEW
pids=""
for i in $(seq 20); do
  ("$HS_EXEC" prod -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"' >"$race/$i.out" 2>"$race/$i.err"; echo $? >"$race/$i.rc") &
  pids="$pids $!"
done
printf %s "$next" | "$HS_TOKEN" rotate prod >/dev/null 2>"$race/rotate.err"; rrc=$?
wait $pids
is "$rrc" 0 "race: rotate succeeded"
bad=0
for i in $(seq 20); do
  t=$(cat "$race/$i.out")
  { [ "$(cat "$race/$i.rc")" = 0 ] && { [ "$t" = "$OLD" ] || [ "$t" = "$NEW" ]; }; } || bad=$((bad + 1))
done
is "$bad" 0 "race: each of 20 hs-exec got the old or the new token"
exec_token prod
is "$out" "$next" "race: afterwards the new token is current"

# …and an oauth refresh forced while 20 hs-exec want the token
pids=""
for i in $(seq 20); do
  ("$HS_EXEC" $APP -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"' >"$race/a$i.out" 2>"$race/a$i.err"; echo $? >"$race/a$i.rc") &
  pids="$pids $!"
done
"$HS_TOKEN" rotate $APP >/dev/null 2>"$race/rotate-app.err"; rrc=$?
wait $pids
is "$rrc" 0 "oauth race: rotate succeeded"
bad=0
for i in $(seq 20); do
  { [ "$(cat "$race/a$i.rc")" = 0 ] && [ -s "$race/a$i.out" ]; } || bad=$((bad + 1))
done
is "$bad" 0 "oauth race: each of 20 hs-exec got an access token"

unlike "$(cat "$XDG_STATE_HOME/hs-exec/audit.jsonl")" "$OLD|$NEW|cs-secret-1|rt-1" "audit log holds no secret"
finish
