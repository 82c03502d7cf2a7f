#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-exec's delivery modes (issue 7) against the HubSpot stand-in:
# --pristine, the nested guard, --format hubspot-cli, --fd, --file, --mask,
# --proxy, and, whenever hs-exec stays as the parent, exit statuses and
# signal forwarding.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
# The profiles whose tokens are cached in the user keyring: this run's own.
APP=$(tagged app) CLI=$(tagged cli)
export HS_EXEC_RETRY_BASE_MS=50

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
PAK=CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": ["crm.objects.contacts.read"]}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth"]}}}},
 "personal_access_keys": {"$PAK": {"hub_id": 777, "user_id": 5, "hub_name": "Acme"}}}
JSON
standin_start
printf '%s\n' "$PAT" | "$HS_TOKEN" add prod --kind private-app >/dev/null
printf 'client_secret=cs-secret-1\nrefresh_token=rt-initial-1\n' |
  "$HS_TOKEN" add $APP --kind oauth --client-id cid-1 >/dev/null
printf '%s\n' "$PAK" | "$HS_TOKEN" add $CLI --kind personal-access-key >/dev/null
names() { printf '%s\n' "$1" | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' | sort | tr '\n' ' '; }
# wait_for FILE: until COMMAND has written FILE (a readiness signal)
wait_for() { for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }

# ---- --pristine ----
run env FOO=bar HUBSPOT_STALE=1 "$HS_EXEC" --pristine prod -- env
is "$status" 0 "--pristine: exit 0"
want=$(printf '%s\n' PATH HOME USER LANG TERM | while read -r v; do [ -n "${!v+x}" ] && echo "$v=x"; done)
want=$(names "$(printf '%s\nHUBSPOT_ACCESS_TOKEN=x\nHUBSPOT_PORTAL_ID=x\nHUBSPOT_ACCOUNT_ID=x\nHS_EXEC_PROFILE=x\n' "$want")")
is "$(names "$out")" "$want" "--pristine: only PATH, HOME, USER, LANG, TERM and the injected variables"
like "$out" "HUBSPOT_ACCESS_TOKEN=$PAT" "--pristine: the token is there"

# ---- nested guard ----
run "$HS_EXEC" prod -- "$HS_EXEC" $APP -- true
fails_with 1 hs-exec "nested for another profile"
like "$err" "--nested" "nested for another profile: names --nested"
run "$HS_EXEC" prod -- "$HS_EXEC" --nested $APP -- true
is "$status" 0 "nested for another profile with --nested: runs"
# The inner hs-exec cannot reach any store: it must not need to.
run "$HS_EXEC" prod -- env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
  "$HS_EXEC" prod -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$status" 0 "nested for the same profile: runs without a store"
is "$out" "$PAT" "nested for the same profile: the inherited token, no second lookup"
run "$HS_EXEC" prod -- env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent \
  "$HS_EXEC" --require-scope crm.objects.contacts.read prod -- true
is "$status" 3 "nested for the same profile with --require-scope: looks the record up"

# ---- --format hubspot-cli ----
run "$HS_EXEC" --format hubspot-cli $CLI -- sh -c 'printf "%s %s %s" "$HUBSPOT_PERSONAL_ACCESS_KEY" "$HUBSPOT_ACCOUNT_ID" "${HUBSPOT_ACCESS_TOKEN:+token}"'
is "$out" "$PAK 777 token" "--format hubspot-cli: personal access key, account id, and the access token"
run "$HS_EXEC" --format hubspot-cli prod -- true
fails_with 1 hs-exec "--format hubspot-cli on a private-app profile"
like "$err" "personal-access-key" "--format hubspot-cli: says which kind it needs"
run "$HS_EXEC" --format yaml prod -- true
fails_with 1 hs-exec "--format with an unknown format"

# ---- --fd ----
run "$HS_EXEC" --fd 3 prod -- sh -c 'cat <&3; printf "%s|%s" "$HUBSPOT_ACCESS_TOKEN_FD" "${HUBSPOT_ACCESS_TOKEN-unset}"; grep -c pat-na1 /proc/self/environ'
is "$out" "$PAT
3|unset0" "--fd 3: the token on descriptor 3, none in the environment"
run "$HS_EXEC" --fd 7 --mask prod -- sh -c 'read -r t <&7; printf "%s" "$t"'
is "$out" "***" "--fd with --mask: the token read from the pipe is masked in the output"
run "$HS_EXEC" --fd 2 prod -- true
fails_with 1 hs-exec "--fd 2"
run "$HS_EXEC" --proxy --fd 3 prod -- true
fails_with 1 hs-exec "--proxy with --fd"
run "$HS_EXEC" --proxy --file prod -- true
fails_with 1 hs-exec "--proxy with --file"

# ---- --file ----
run "$HS_EXEC" --file prod -- sh -c '
  f=$HUBSPOT_ACCESS_TOKEN_FILE; echo "$f"
  [ -p "$f" ] && echo fifo
  stat -c %a "$(dirname "$f")"
  cat "$f"; cat "$f" 2>/dev/null || echo "second read fails"
  printf "%s\n" "${HUBSPOT_ACCESS_TOKEN-unset}"; exit 5'
path=$(printf '%s\n' "$out" | sed -n 1p)
is "$status" 5 "--file: COMMAND's exit status"
like "$path" "^$XDG_RUNTIME_DIR/hs-exec\.[^/]+/token$" "--file: a path under XDG_RUNTIME_DIR in HUBSPOT_ACCESS_TOKEN_FILE"
is "$(printf '%s\n' "$out" | sed -n 2,6p)" "fifo
700
$PAT
second read fails
unset" "--file: a FIFO in a 0700 directory, readable once, no token in the environment"
[ -e "$path" ] || [ -e "$(dirname "$path")" ] && not_ok "--file: removed when COMMAND exits" || ok "--file: removed when COMMAND exits"
run "$HS_EXEC" --file prod -- true
is "$(ls -A "$XDG_RUNTIME_DIR" | grep hs-exec)" "" "--file: removed even when COMMAND never read it"
run env -u XDG_RUNTIME_DIR "$HS_EXEC" --file prod -- true
fails_with 6 hs-exec "--file without XDG_RUNTIME_DIR"

# ---- --mask ----
run "$HS_EXEC" --mask prod -- python3 -c '
import os, sys, time
t = os.environ["HUBSPOT_ACCESS_TOKEN"]
sys.stdout.write("a " + t[:13]); sys.stdout.flush(); time.sleep(0.2)
sys.stdout.write(t[13:] + " b\n"); sys.stdout.flush()
sys.stderr.write("err " + t + "\n"); sys.exit(4)'
is "$status" 4 "--mask: COMMAND's exit status"
is "$out" "a *** b" "--mask: a token split across two writes is masked"
is "$err" "err ***" "--mask: stderr is masked too"
run "$HS_EXEC" --mask $APP -- echo "refresh=rt-initial-1 secret=cs-secret-1 keep"
is "$out" "refresh=*** secret=*** keep" "--mask: every secret of the profile, not just the access token"
run "$HS_EXEC" --mask prod -- no-such-command-hs
is "$status" 127 "--mask: command not found is 127"

# ---- signals, whenever hs-exec stays as the parent ----
ready="$E2E_SCRATCH/ready"
rm -f "$ready"
"$HS_EXEC" --mask prod -- sh -c 'echo $$ >"$1"; exec sleep 30' sh "$ready" &
pid=$!
wait_for "$ready"
kill -TERM "$pid"
st=0; wait "$pid" || st=$?
is "$st" 143 "child killed by the forwarded SIGTERM: exit 143"
rm -f "$ready"
"$HS_EXEC" --file prod -- python3 -c '
import signal, sys, time
def got(n, f):
    print("got SIGINT", flush=True); sys.exit(7)
signal.signal(signal.SIGINT, got)
open(sys.argv[1], "w").write("ready")
time.sleep(30)' "$ready" >"$E2E_SCRATCH/sigint.out" &
pid=$!
wait_for "$ready"
kill -INT "$pid"
st=0; wait "$pid" || st=$?
is "$(cat "$E2E_SCRATCH/sigint.out") $st" "got SIGINT 7" "SIGINT reaches the child, whose status hs-exec returns"

# COMMAND inherits the dispositions of signals 1-31 hs-exec was started
# with, in every mode (GDBus and the proxy ignore SIGPIPE in hs-exec only).
sigign='printf "%x" $((0x$(sed -n "s/^SigIgn:[[:space:]]*//p" /proc/self/status) & 0x7fffffff))'
direct=$(sh -c "$sigign")
for mode in "" --fd=3 --proxy --mask --file; do
  run "$HS_EXEC" $mode prod -- sh -c "$sigign"
  is "$out" "$direct" "${mode:-plain}: COMMAND ignores the signals its caller did, no more"
done
# (SIGPIPE is bit 13; the caller of the suite may ignore it already.)
(trap '' PIPE; run "$HS_EXEC" --proxy prod -- sh -c "$sigign"; [ $((0x$out & 0x1000)) != 0 ]) &&
  ok "--proxy: an ignored SIGPIPE stays ignored for COMMAND" || not_ok "--proxy: an ignored SIGPIPE stays ignored for COMMAND"

# ---- --proxy ----
client="$E2E_SCRATCH/client.py"
cat >"$client" <<'PY'
# client.py [--sleep S] REQUEST…: each REQUEST is METHOD:PATH[:BODY]; prints
# one "STATUS BODY" line per request, through the proxy in HUBSPOT_API_BASE.
import os, sys, time, urllib.request, urllib.error
args = sys.argv[1:]
for a in args:
    if a.startswith("sleep="):
        time.sleep(float(a[6:])); continue
    method, path, *body = a.split(":", 2)
    req = urllib.request.Request(os.environ["HUBSPOT_API_BASE"] + path, method=method,
        data=body[0].encode() if body else None,
        headers={"Authorization": "Bearer " + os.environ["HUBSPOT_ACCESS_TOKEN"],
                 "Content-Type": "application/json"})
    try:
        r = urllib.request.urlopen(req); print(r.status, r.read().decode())
    except urllib.error.HTTPError as e:
        print(e.code, e.read().decode())
PY
# ctl for COMMAND, which has none of e2e.sh's functions
cat >"$E2E_SCRATCH/ctl" <<CTL
#!/bin/bash
E2E_DIR='$E2E_DIR' STANDIN_BASE='$STANDIN_BASE' STANDIN_CA='$STANDIN_CA'
. "\$E2E_DIR/lib/standin.sh"
ctl "\$@"
CTL
chmod +x "$E2E_SCRATCH/ctl"
run "$HS_EXEC" --proxy prod -- sh -c 'python3 "$1" GET:/account-info/v3/details "POST:/oauth/v2/private-apps/get/access-token-info:{\"tokenKey\": \"$2\"}"; tr "\0" "\n" </proc/self/environ >"$3"; exit 9' sh "$client" "$PAT" "$E2E_SCRATCH/environ"
is "$status" 9 "--proxy: COMMAND's exit status"
like "$(printf '%s\n' "$out" | sed -n 1p)" '^200 .*"portalId": ?12345678' "--proxy: a GET reaches HubSpot with the real token"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^200 .*crm.objects.contacts.read' "--proxy: a POST body is forwarded"
unlike "$(cat "$E2E_SCRATCH/environ")" "$PAT" "--proxy: COMMAND's /proc/self/environ holds no real token"
like "$(grep '^HUBSPOT_ACCESS_TOKEN=' "$E2E_SCRATCH/environ")" '^HUBSPOT_ACCESS_TOKEN=hs-exec-proxy-[0-9a-f]{48}$' "--proxy: a random placeholder instead"
like "$(grep '^HUBSPOT_API_BASE=' "$E2E_SCRATCH/environ")" '^HUBSPOT_API_BASE=http://127\.0\.0\.1:[0-9]+$' "--proxy: HUBSPOT_API_BASE on the loopback"

# HubSpot refuses a token before its expiry (revoked, rotated elsewhere): a
# request without a body is sent again, once, with a fresh token; a static
# token cannot be refreshed, so its 401 is passed on.
ctl POST reset-counters >/dev/null
run "$HS_EXEC" --proxy $APP -- sh -c '
  python3 "$1" GET:/crm/v3/objects/contacts
  "$2" POST fault "{\"kind\": \"expired\", \"path\": \"/crm/v3/objects/contacts\"}" >/dev/null
  python3 "$1" GET:/crm/v3/objects/contacts
  "$2" POST fault "{\"kind\": \"expired\", \"path\": \"/crm/v3/objects/contacts\"}" >/dev/null
  python3 "$1" "POST:/crm/v3/objects/contacts:{\"properties\": {}}"' sh "$client" "$E2E_SCRATCH/ctl"
is "$(printf '%s\n' "$out" | cut -c1-3 | tr '\n' ' ')" "200 200 401 " "--proxy: a GET refused as expired is retried with a fresh token; a POST is not"
is "$(token_requests)" 1 "--proxy: one refresh for the refused token"
ctl POST fault '{"kind": "expired", "path": "/crm/v3/objects/contacts"}' >/dev/null
run "$HS_EXEC" --proxy prod -- python3 "$client" GET:/crm/v3/objects/contacts
like "$out" '^401 .*EXPIRED_AUTHENTICATION' "--proxy: HubSpot's 401 passed on when no fresh token exists"

# Bodies both ways, larger than one read or write: 600 KB there and back.
run "$HS_EXEC" --proxy prod -- python3 -c '
import hashlib, json, os, urllib.request
big = "x" * 600000
req = urllib.request.Request(os.environ["HUBSPOT_API_BASE"] + "/crm/v3/objects/contacts", method="POST",
    data=json.dumps({"properties": {"notes": big}}).encode(),
    headers={"Authorization": "Bearer " + os.environ["HUBSPOT_ACCESS_TOKEN"], "Content-Type": "application/json"})
r = urllib.request.urlopen(req)
back = json.loads(r.read())["properties"]["notes"]
print(r.status, back == big)'
is "$out" "201 True" "--proxy: a 600 KB request body and its 600 KB answer arrive whole"

# Tokens that die in 2 s: every request after a pause needs a fresh one.
ctl POST expires-in '{"seconds": 2}' >/dev/null
"$HS_EXEC" --min-ttl 999999 $APP -- true  # a refresh now, for a 2 s token
ctl POST reset-counters >/dev/null
run "$HS_EXEC" --proxy $APP -- sh -c 'python3 "$1" GET:/account-info/v3/details sleep=2.5 GET:/account-info/v3/details sleep=2.5 GET:/account-info/v3/details; tr "\0" "\n" </proc/self/environ >"$2"' sh "$client" "$E2E_SCRATCH/environ"
is "$(printf '%s\n' "$out" | cut -c1-3 | tr '\n' ' ')" "200 200 200 " "--proxy: requests across forced token expiries all succeed"
like "$(token_requests)" '^([3-9]|[1-9][0-9])$' "--proxy: the token was refreshed along the way"
unlike "$(cat "$E2E_SCRATCH/environ")" "=CO[A-Za-z0-9_-]{40}" "--proxy: no OAuth access token in COMMAND's environment"
ctl POST expires-in '{"seconds": 1800}' >/dev/null

run "$HS_EXEC" --proxy prod -- sh -c '
  b=$HUBSPOT_API_BASE; p=${b#http://}
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer wrong-placeholder" "$b/account-info/v3/details"
  curl -s -o /dev/null -w "%{http_code}\n" "$b/account-info/v3/details"
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" -x "$b" http://example.com/
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" -H "Host: example.com" "$b/account-info/v3/details"
  curl -s -o /dev/null -w "%{http_code}\n" --max-time 5 -X CONNECT -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" --request-target example.com:443 "$b"
  curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" "$b/account-info/v3/details"'
is "$(printf '%s\n' "$out" | tr '\n' ' ')" "401 401 403 403 405 200 " "--proxy refuses a wrong or missing placeholder, another host, CONNECT; serves the right one"

finish
