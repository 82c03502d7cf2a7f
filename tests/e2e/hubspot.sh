#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token and hs-exec against the HubSpot stand-in over TLS: verification of
# each kind, OAuth and personal-access-key refresh with the kernel-keyring
# cache, --min-ttl, faults and retries, the offline fallback, certificate
# checks, and one refresh for 50 concurrent hs-exec.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
# The profiles whose tokens are cached in the user keyring: this run's own.
APP=$(tagged app) CLI=$(tagged cli)
export HS_EXEC_RETRY_BASE_MS=50

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
PAT_EU=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e
SK=svc-key.opaque-0123456789
SK_PAT=pat-na1-3c5e7a9b-1d2f-4a6c-8e0b-2d4f6a8c0e1f  # a service key of the private-app shape
PAK=CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": ["crm.objects.contacts.read"]},
                  "$PAT_EU": {"hub_id": 555, "hublet": "eu1", "scopes": []},
                  "$SK": {"hub_id": 999, "hublet": "na1"},
                  "$SK_PAT": {"hub_id": 999, "hublet": "na1", "service_key": true}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth", "crm.objects.contacts.read"]}}}},
 "personal_access_keys": {"$PAK": {"hub_id": 777, "user_id": 5, "hub_name": "Acme"}}}
JSON
# Every refresh hands out a new refresh token and kills the old one, so a
# refresh token that is not saved at once breaks the next refresh.
standin_start --rotate-refresh-tokens

# ---- static tokens are verified ----
run --in "$PAT" "$HS_TOKEN" add prod --kind private-app
is "$status" 0 "add private-app, verified: exit 0"
like "$out" "hub 12345678.*HubSpot accepted it" "add private-app: hub id from HubSpot"
run "$HS_TOKEN" show prod --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["hub_id"], d["hublet"])')" "12345678 na1" "show: hub id and hublet recorded"
run --in "$PAT_EU" "$HS_TOKEN" add eu --kind private-app --hub-id 12345678
fails_with 4 hs-token "add with a --hub-id HubSpot contradicts"
run --in "pat-na1-00000000-0000-0000-0000-000000000000" "$HS_TOKEN" add bad --kind private-app
fails_with 4 hs-token "add an unknown private-app token"
like "$err" "INVALID_AUTHENTICATION|correlation id" "unknown token: HubSpot's reason is shown"
unlike "$err" "pat-na1-00000000" "unknown token: not echoed"
run --in "svc-key.rotated-away-0000" "$HS_TOKEN" add oldsvc --kind service-key
fails_with 4 hs-token "add a service key HubSpot does not know"
like "$err" "check the key in HubSpot \(Development > Keys > Service keys\); if it was rotated or deleted, store the current one with 'hs-token add oldsvc --kind service-key --force'" "unknown service key: where to look and what to run"
run --in "$SK" "$HS_TOKEN" add svc --kind service-key
is "$status" 0 "add service-key, verified"
run "$HS_TOKEN" list --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print(" ".join(p["profile"] for p in json.load(sys.stdin)))')" "prod svc" "only the verified profiles were stored"
# Kind mismatches: the advice names the kind the token is.
run --in "$PAK" "$HS_TOKEN" add cli2 --kind private-app
fails_with 1 hs-token "a personal access key as --kind private-app"
like "$err" "--kind personal-access-key" "a personal access key as private-app: names its kind"
unlike "$err" "service-key" "a personal access key as private-app: no service-key advice"
run --in "$PAT" "$HS_TOKEN" add cli2 --kind personal-access-key
fails_with 1 hs-token "a private-app token as --kind personal-access-key"
like "$err" "--kind private-app" "a private-app token as personal-access-key: names its kind"
# A pat- token as --kind service-key: what HubSpot reports decides.
run --in "$PAT" "$HS_TOKEN" add asapp --kind service-key
is "$status" 0 "a private-app token as --kind service-key: stored"
like "$err" "note: HubSpot reports this token as legacy private app 9's, not a service key; profile asapp is stored as --kind private-app" "a private-app token as service-key: corrected, with a note"
run "$HS_TOKEN" show asapp --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["kind"], d["hublet"], d["scopes"])')" "private-app na1 ['crm.objects.contacts.read']" "corrected to private-app, with its hublet and scopes"
run --in "$SK_PAT" "$HS_TOKEN" add svcpat --kind service-key
is "$status" 0 "a service key of the private-app shape: stored"
unlike "$err" "note: HubSpot reports" "a service key HubSpot does not call a private app: no correction"
run "$HS_TOKEN" show svcpat --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["kind"])')" "service-key" "a service key of the private-app shape stays a service key"
"$HS_TOKEN" remove asapp >/dev/null; "$HS_TOKEN" remove svcpat >/dev/null
run "$HS_EXEC" prod -- true
is "$(token_requests)" 0 "hs-exec on a static token asks HubSpot nothing"
run "$HS_EXEC" --require-scope crm.objects.contacts.read prod -- true
is "$status" 0 "--require-scope with a recorded scope: runs"
run "$HS_EXEC" --require-scope crm.objects.contacts.read --require-scope crm.objects.deals.write prod -- true
fails_with 4 hs-exec "--require-scope with a scope the token lacks"
like "$err" "crm.objects.deals.write" "--require-scope: names the missing scope"
# Scopes HubSpot never told (--no-verify): a check that cannot check refuses.
run --in "$PAT" "$HS_TOKEN" add unverified --kind private-app --no-verify
run "$HS_EXEC" --require-scope crm.objects.contacts.read unverified -- echo ran
fails_with 4 hs-exec "--require-scope on unknown scopes"
like "$err" "unknown.*--allow-unknown-scopes" "unknown scopes: says how to run anyway"
is "$out" "" "unknown scopes: COMMAND did not run"
run "$HS_EXEC" --require-scope crm.objects.contacts.read --allow-unknown-scopes unverified -- echo ran
is "$status:$out" "0:ran" "--allow-unknown-scopes: runs"
like "$err" "note: the scopes of profile unverified are unknown" "--allow-unknown-scopes: a note says what went unchecked"
run "$HS_EXEC" --mask --require-scope crm.objects.contacts.read unverified -- echo ran
is "$status" 4 "--require-scope on unknown scopes through the isolated lookup (--mask): refused"
run "$HS_EXEC" --mask --require-scope crm.objects.contacts.read --allow-unknown-scopes unverified -- echo ran
is "$status:$out" "0:ran" "--allow-unknown-scopes through the isolated lookup (--mask): runs"
"$HS_TOKEN" remove unverified >/dev/null

# ---- oauth ----
ctl POST reset-counters >/dev/null
run --in "$(printf 'client_secret=wrong\nrefresh_token=rt-initial-1\n')" "$HS_TOKEN" add $APP --kind oauth --client-id cid-1
fails_with 4 hs-token "add oauth with a wrong client secret"
run --in "$(printf 'client_secret=cs-secret-1\nrefresh_token=rt-initial-1\n')" "$HS_TOKEN" add $APP --kind oauth --client-id cid-1
is "$status" 0 "add oauth: exit 0"
like "$out" "hub 42" "add oauth: hub id from the token response"
unlike "$out$err" "cs-secret-1|rt-initial-1" "add oauth: no secret printed"
is "$(ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_path"].get("/oauth/2026-03/token", 0))')" 2 "oauth uses the 2026-03 token endpoint"
like "$(cache_id $APP)" "^[0-9]+$" "the access token is cached in the kernel keyring"
expiry=$(awk -v id="$(printf %08x "$(cache_id $APP)")" '$1 == id {print $4, $9}' /proc/keys)
like "$expiry" "^(2[0-9]|30)m hs-exec:$APP:" "the cache key hs-exec:PROFILE expires in the kernel with the token (30 min)"
run "$HS_TOKEN" list --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print([p for p in json.load(sys.stdin) if p["profile"]==sys.argv[1]][0]["cached_token_expires_at"] is not None)' "$APP")" "True" "list shows the cached token's expiry"
ctl POST reset-counters >/dev/null
exec_token $APP
first=$out
is "$status" 0 "hs-exec oauth: exit 0"
like "$first" "^.{20,}$" "hs-exec oauth: a bearer token is injected"
is "$(token_requests)" 0 "hs-exec oauth on a cached token: no request"
run "$HS_EXEC" $APP -- sh -c 'printf %s "$HS_EXEC_EXPIRES_AT"'
like "$out" "^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" "HS_EXEC_EXPIRES_AT is RFC 3339 UTC"
exec_token --min-ttl 999999 $APP
is "$status" 0 "--min-ttl longer than the token's life: exit 0"
is "$(token_requests)" 1 "--min-ttl forces one refresh"
[ "$out" != "$first" ] && ok "--min-ttl: a new token" || not_ok "--min-ttl: a new token"
second=$out
exec_token $APP
is "$out" "$second" "the refreshed token is the cached one now"
exec_token --min-ttl 999999 $APP
is "$status" 0 "a second refresh works: the rotated refresh token was saved"

# an expired token is refreshed
ctl POST expires-in '{"seconds": 2}' >/dev/null
exec_token --min-ttl 999999 $APP
short=$out
sleep 3
ctl POST reset-counters >/dev/null
exec_token --min-ttl 0 $APP
is "$status" 0 "after expiry: exit 0"
is "$(token_requests)" 1 "after expiry: one refresh"
[ "$out" != "$short" ] && ok "after expiry: a new token" || not_ok "after expiry: a new token"
ctl POST expires-in '{"seconds": 1800}' >/dev/null

# ---- faults, retries, exit codes ----
fault() { ctl POST clear-faults >/dev/null; ctl POST fault "$1" >/dev/null; ctl POST reset-counters >/dev/null; }
fault '{"kind": "503", "count": 1}'
exec_token --min-ttl 999999 $APP
is "$status" 0 "one 503, then success: exit 0"
is "$(token_requests)" 2 "one 503: retried once"
fault '{"kind": "500", "count": -1}'
last=$(exec_token $APP; printf %s "$out")
exec_token --min-ttl 999999 $APP
is "$status" 0 "HubSpot down, cached token still valid: exit 0"
like "$err" "^hs-exec: note: .*cached token" "HubSpot down: a note says the cached token is used"
is "$(token_requests)" 3 "HubSpot down: three tries"
drop_cache $APP
exec_token $APP
fails_with 5 hs-exec "HubSpot down and nothing cached"
like "$err" "after 3 tries" "HubSpot down: says how many tries"
fault '{"kind": "429", "count": 1, "retry_after": 1}'
exec_token $APP
is "$status" 0 "429 with Retry-After, then success"
is "$(token_requests)" 2 "429 with Retry-After: retried"
fault '{"kind": "429", "count": 1, "policy": "DAILY"}'
exec_token --min-ttl 999999 $APP
is "$status" 0 "DAILY 429 on refresh, cached token valid: falls back"
drop_cache $APP
fault '{"kind": "429", "count": 1, "policy": "DAILY"}'
exec_token $APP
fails_with 5 hs-exec "DAILY 429"
is "$(token_requests)" 1 "DAILY 429: not retried"
fault '{"kind": "garbage", "count": 1}'
exec_token $APP
fails_with 5 hs-exec "garbage JSON"
fault '{"kind": "truncated", "count": -1}'
exec_token $APP
fails_with 5 hs-exec "truncated body"
fault '{"kind": "reset", "count": -1}'
exec_token $APP
fails_with 5 hs-exec "connection reset"
fault '{"kind": "refuse-refresh", "count": 1}'
exec_token $APP
fails_with 4 hs-exec "refresh token refused"
like "$err" "sign in again with 'hs-token add $APP --kind oauth --client-id cid-1 --login --force'" "refused: says how to sign in again"
fault '{"kind": "hang", "count": 1, "delay": 30}'
exec_token --min-ttl 999999 $APP
is "$status" 0 "a request hanging past the 15 s timeout is retried"
is "$(token_requests)" 2 "hang: the second try answered"
ctl POST clear-faults >/dev/null
exec_token $APP
is "$status" 0 "after the faults: works again"

# ---- the v1 OAuth family, by configuration ----
hs_conf "$(printf '[hubspot]\noauth-api=v1')"
ctl POST reset-counters >/dev/null
exec_token --min-ttl 999999 $APP
is "$status" 0 "oauth-api=v1: refresh works"
is "$(ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_path"].get("/oauth/v1/token", 0))')" 1 "oauth-api=v1: /oauth/v1/token was used"
hs_conf "$(printf '[hubspot]\noauth-api=v3')"
exec_token --min-ttl 999999 $APP
fails_with 6 hs-exec "an unknown oauth-api family"
hs_conf

# ---- TLS ----
with_ca_file /etc/ssl/certs/ca-certificates.crt exec_token --min-ttl 999999 svc
is "$status" 0 "a static token needs no HubSpot at exec time"
run --in "$PAT" with_ca_file /etc/ssl/certs/ca-certificates.crt "$HS_TOKEN" add untrusted --kind private-app
fails_with 5 hs-token "an untrusted certificate"
like "$err" "[Cc]ertificate|SSL" "untrusted certificate: says so"
run --in "$PAT" with_api_base "${STANDIN_BASE/https/http}" "$HS_TOKEN" add plain --kind private-app
fails_with 6 hs-token "plain http, even to a loopback host"

# ---- personal access key ----
ctl POST reset-counters >/dev/null
run --in "$PAK" "$HS_TOKEN" add $CLI --kind personal-access-key
is "$status" 0 "add personal-access-key: exit 0"
like "$out" "hub 777" "personal-access-key: hub id from the exchange"
is "$(ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_path"].get("/localdevauth/v1/auth/refresh", 0))')" 1 "personal-access-key: exchanged as the CLI does"
exec_token $CLI
is "$status" 0 "hs-exec personal-access-key: exit 0"
is "$(token_requests)" 1 "hs-exec personal-access-key: served from the cache"
run --in "CiRuYTEtZmFrZQ" "$HS_TOKEN" add badkey --kind personal-access-key
fails_with 4 hs-token "an unknown personal access key"

# ---- hs-token check: 0 OK, 1 WARNING (due), 2 CRITICAL (invalid, overdue), 3 UNKNOWN ----
ctl POST clear-faults >/dev/null
run "$HS_TOKEN" check
is "$status" 0 "check: all good"
like "$out" "$APP +oauth +42 +0d +ok +ok" "check: the oauth refresh token is active (introspection)"
like "$out" "prod +private-app +12345678 +0d +ok +ok" "check: the private-app token works"
is "$(ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_path"].get("/oauth/2026-03/token/introspect", 0) > 0)')" True "check: oauth is checked by introspection, not a refresh"
if test_hooks; then
  run env HS_EXEC_FAKE_NOW=$(( $(date +%s) + 200 * 86400 )) "$HS_TOKEN" check prod
  fails_with 1 hs-token "check 200 days on: a rotation is due"
  like "$out" "prod +private-app +12345678 +200d +due +ok" "check: due after 180 days"
  run env HS_EXEC_FAKE_NOW=$(( $(date +%s) + 400 * 86400 )) "$HS_TOKEN" check prod --json
  is "$status" 2 "check 400 days on: exit 2 (CRITICAL)"
  like "$out" '"rotation" : "overdue"' "check: overdue after 365 days"
else
  ok "# SKIP check 200 and 400 days on: the installed programs have no fake clock (HS_EXEC_FAKE_NOW, make check only)"
fi
run --in "pat-na1-99999999-9999-4999-8999-999999999999" "$HS_TOKEN" add stale --kind private-app --no-verify
run "$HS_TOKEN" check
fails_with 2 hs-token "check with an invalid token among them"
like "$out" "stale +private-app +- +0d +ok +invalid" "check: names the invalid one"
like "$out" "$APP +oauth +42 +0d +ok +ok" "check: the others are still checked"
like "$out" "stale .*store its current token with 'hs-token add stale --kind private-app --force'; if the app is gone, create a service key" "check, revoked private-app token: the fix keeps its kind, then a service key"
run "$HS_TOKEN" remove stale
run with_api_base https://127.0.0.1:9 env HS_EXEC_RETRY_BASE_MS=1 "$HS_TOKEN" check prod
fails_with 3 hs-token "check with HubSpot unreachable"
like "$out" "prod +private-app +12345678 +0d +ok +unreachable" "check: says unreachable"
run "$HS_TOKEN" check nobody
is "$status" 3 "check of a missing profile: exit 3 (UNKNOWN)"

# ---- one refresh for 50 concurrent hs-exec ----
drop_cache $APP
ctl POST reset-counters >/dev/null
outdir="$E2E_SCRATCH/storm"; mkdir -p "$outdir"
pids=()
for i in $(seq 50); do
  ( "$HS_EXEC" $APP -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"' >"$outdir/$i.out" 2>"$outdir/$i.err"; echo $? >"$outdir/$i.rc" ) &
  pids+=($!)
done
wait "${pids[@]}"
is "$(cat "$outdir"/*.rc | sort -u)" 0 "50 concurrent hs-exec: all exit 0"
is "$(cat "$outdir"/*.out | sort -u | wc -l)" 1 "50 concurrent hs-exec: all got the same token"
is "$(token_requests)" 1 "50 concurrent hs-exec: exactly one token request"

# ---- remove --revoke; remove takes the cached token with it ----
ctl POST clear-faults >/dev/null
ctl POST fault '{"kind": "503", "count": -1, "path": "/oauth/2026-03/token/revoke"}' >/dev/null
run "$HS_TOKEN" remove $APP --revoke
fails_with 5 hs-token "remove --revoke with HubSpot down"
like "$err" "nothing was removed" "remove --revoke with HubSpot down: says the profile stays"
ctl POST clear-faults >/dev/null
exec_token $APP
is "$status" 0 "after a failed revoke the profile still works"
ctl POST reset-counters >/dev/null
run "$HS_TOKEN" remove $APP --revoke
is "$status" 0 "remove --revoke an oauth profile"
like "$out" "Revoked the refresh token" "remove --revoke: says it revoked"
is "$(ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_path"].get("/oauth/2026-03/token/revoke", 0))')" 1 "remove --revoke reached the revoke endpoint"
is "$(cache_id $APP)" "" "remove drops the cached access token"
is "$("${SECRET_TOOL:-secret-tool}" search --all profile $APP 2>&1 | grep -c '^label')" 0 "remove --revoke: no keyring item left"
run "$HS_EXEC" $APP -- true
fails_with 2 hs-exec "hs-exec after remove, though a token had been cached"

# ---- one refresh token under two profiles: revoking it ends it for both ----
RT_SHARED=na1-rt-shared-6d2e8b40
ctl POST seed "{\"oauth_clients\": {\"cid-1\": {\"client_secret\": \"cs-secret-1\", \"refresh_tokens\": {\"$RT_SHARED\": {\"hub_id\": 42}}}}}" >/dev/null
shared_in="$(printf 'client_secret=cs-secret-1\nrefresh_token=%s\n' "$RT_SHARED")"
run --in "$shared_in" "$HS_TOKEN" add share1 --kind oauth --client-id cid-1 --no-verify
is "$status:$err" "0:" "one refresh token, first profile: no note"
run --in "$shared_in" "$HS_TOKEN" add share2 --kind oauth --client-id cid-1 --no-verify
is "$status" 0 "the same refresh token under a second profile: stored"
like "$err" "note: profile share1 already holds this refresh token" "add: names the profile that holds the same refresh token"
unlike "$err" "$RT_SHARED" "add: the shared token is not printed"
run --in "$PAT" "$HS_TOKEN" add prod2 --kind private-app --no-verify
like "$err" "note: profile prod already holds this credential" "add: names the profile that holds the same token"
"$HS_TOKEN" remove prod2 >/dev/null
revokes() { ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["by_path"].get("/oauth/2026-03/token/revoke", 0))'; }
ctl POST reset-counters >/dev/null
run "$HS_TOKEN" remove share1 --revoke
is "$status" 1 "remove --revoke of a shared refresh token off a terminal: refused"
like "$err" "profile share2 holds the same refresh token" "remove --revoke: names the other profile"
like "$err" "pass --yes to revoke anyway" "remove --revoke off a terminal: says how to go on"
is "$(revokes)" 0 "refused: HubSpot was not asked"
run "$HS_TOKEN" show share1
is "$status" 0 "refused: the profile stays"
# On a terminal it asks; anything but y keeps everything.
on_terminal() {
  local answer=$1; shift
  status=0
  out=$(python3 - "$answer" "$@" <<'PY'
import os, pty, sys
answer = sys.argv[1].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen, sent = b"", False
while True:
    try:
        data = os.read(fd, 1024)
    except OSError:
        break
    if not data:
        break
    seen += data
    if not sent and b"[y/N]" in seen:
        os.write(fd, answer)
        sent = True
_, st = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(st))
PY
) || status=$?
}
on_terminal n "$HS_TOKEN" remove share1 --revoke
is "$status" 1 "remove --revoke on a terminal, answered n: exit 1"
like "$out" "share2 holds the same refresh token as share1; revoking it stops that profile working too" "on a terminal: names the other profile"
like "$out" "^Revoke the refresh token of profile share1 at HubSpot\? \[y/N\]" "on a terminal: asks"
like "$out" "not confirmed; nothing was revoked or removed" "answered n: says nothing changed"
is "$(revokes)" 0 "answered n: HubSpot was not asked"
on_terminal y "$HS_TOKEN" remove share1 --revoke
is "$status" 0 "remove --revoke on a terminal, answered y: exit 0"
like "$out" "Revoked the refresh token of profile share1" "answered y: revoked"
is "$(revokes)" 1 "answered y: HubSpot revoked it"
run --in "$shared_in" "$HS_TOKEN" add share3 --kind oauth --client-id cid-1 --no-verify
run "$HS_TOKEN" remove share2 --revoke --yes
is "$status" 0 "remove --revoke --yes of a shared refresh token: exit 0"
like "$err" "profile share3 holds the same refresh token" "--yes: still names the other profile"
is "$(revokes)" 2 "--yes: revoked without asking"
"$HS_TOKEN" remove share3 >/dev/null

run "$HS_TOKEN" remove prod --revoke
like "$out" "Rotate and expire now" "remove --revoke of a private-app token: says how to deactivate it"

# ---- the audit trail saw the refreshes and the revocation ----
run "$HS_TOKEN" audit $APP --json
for what in '"event":"refresh".*"outcome":"ok"' '"event":"refresh".*"outcome":"refused"' \
            '"event":"refresh".*"outcome":"unreachable"' '"event":"revoke".*"outcome":"failed"' \
            '"event":"revoke".*"outcome":"ok"'; do
  like "$out" "$what" "audit: $what"
done

# ---- nothing secret on disk ----
hits=$(grep -rlaF -e "$PAT" -e "$SK" -e "$PAK" -e cs-secret-1 -e "$(cat "$outdir/1.out")" \
  "$E2E_SCRATCH/home" "$E2E_SCRATCH/tmp" "$E2E_SCRATCH/runtime" 2>/dev/null || true)
is "$hits" "" "no token, key or secret in any file"
rm -rf "$outdir"
finish
