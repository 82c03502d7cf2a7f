#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token add --kind oauth --login against the stand-in: the whole
# authorization-code flow with --no-browser and a client (curl) that follows
# the printed URL, the v1 family, scopes taken from a profile signed in
# before, and each bad path (access_denied, a wrong state, a second request,
# a timeout, a port in use): one line with its fix, nothing stored, nothing
# left listening.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
APP=$(tagged app) APP1=$(tagged app-v1)

STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"oauth_clients": {"cid-login": {"client_secret": "cs-login-secret"}}}
JSON
standin_start
AUTH_CONF="[hubspot]
auth-base=$STANDIN_BASE"
hs_conf "$AUTH_CONF"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT=$(free_port)
REDIRECT="http://127.0.0.1:$PORT/callback"

# login ACTION ARG…: hs-token add ARG… with the client secret on stdin, in
# the background; once it printed the authorize URL, the client does ACTION:
#   follow   curl -L the URL (the stand-in redirects back to hs-token)
#   forge    send a redirect with a state of its own, as another program could
#   none     nothing (the timeout)
# Sets $out, $err (without the sign-in's own instructions), $status, $url
# and $page (what the browser was shown).
login() {
  local action=$1 errf="$E2E_SCRATCH/login.err" pid
  shift
  : >"$errf"
  printf 'client_secret=cs-login-secret\n' |
    env ${login_env[@]+"${login_env[@]}"} "$HS_TOKEN" add "$@" >"$E2E_SCRATCH/login.out" 2>"$errf" &
  pid=$!
  url="" page=""
  for _ in $(seq 300); do
    url=$(sed -n 's/^  \(https:.*\)$/\1/p' "$errf")
    [ -n "$url" ] || ! kill -0 $pid 2>/dev/null || { sleep 0.05; continue; }
    break
  done
  case $action in
    follow) page=$(curl -sS --cacert "$STANDIN_CA" -L "$url" 2>&1) ;;
    follow-twice)
      page=$(curl -sS --cacert "$STANDIN_CA" -L "$url" 2>&1)
      second=0
      curl -sS -m 2 "$REDIRECT?code=again&state=again" >/dev/null 2>&1 || second=$? ;;
    forge) page=$(curl -sS "$REDIRECT?code=forged-code&state=not-ours" 2>&1) ;;
  esac
  status=0
  wait $pid || status=$?
  out=$(cat "$E2E_SCRATCH/login.out")
  err=$(grep -Ev "$API_NOTE|^hs-token: (authorise app|open this URL|a browser was|waiting up to)|^  https:" "$errf" || true)
  instructions=$(cat "$errf")
}
# Nothing listens on the redirect port once hs-token is done.
closed() {
  curl -sS -m 5 "$REDIRECT?code=again&state=again" >/dev/null 2>&1
  is "$?" 7 "$1: nothing listens on the redirect port afterwards"
}
stored() { run "$HS_TOKEN" show "$1" --json; }

# ---- the whole flow ----
login follow $APP --kind oauth --client-id cid-login --login --no-browser \
  --scope crm.objects.contacts.read --scope oauth --redirect-uri "$REDIRECT"
is "$status" 0 "login: exit 0"
like "$out" "Added profile $APP \(oauth, hub 42\).*HubSpot accepted it" "login: the profile is stored, verified, with HubSpot's hub id"
like "$url" "^$STANDIN_BASE/oauth/authorize\?client_id=cid-login&scope=crm.objects.contacts.read%20oauth&redirect_uri=http%3A%2F%2F127.0.0.1%3A$PORT%2Fcallback&state=[A-Za-z0-9_-]{43}$" \
  "login: the authorize URL at [hubspot] auth-base, with scopes, redirect URI and a 32-byte state"
like "$instructions" "must list the redirect URI $REDIRECT exactly" "login: says the app's settings must list the redirect URI"
like "$page" "may close this window" "login: the browser is told it may close the window"
is "$err" "" "login: nothing else on stderr"
stored $APP
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["kind"], d["hub_id"], " ".join(d["scopes"]))')" \
  "oauth 42 crm.objects.contacts.read oauth" "login: kind, hub and scopes recorded"
exec_token $APP
like "$out" "^CO" "login: hs-exec gets an access token from the stored refresh token"
closed "login"
issued=$(cat "$STANDIN_DIR/issued-tokens")
leaked=$(grep -cFf <(printf '%s\n' "$issued") "$E2E_SCRATCH/login.out" "$E2E_SCRATCH/login.err" | grep -v ':0$' || true)
is "$leaked" "" "login: no code, access or refresh token printed"

# Without --no-browser: xdg-open gets the URL as one argument when there is
# a display, and without one the URL is printed.
FAKE="$E2E_SCRATCH/fake-bin"; mkdir -p "$FAKE"
printf '#!/bin/sh\nprintf "%%s\\n" "$#" "$@" >"%s/xdg-open.args"\n' "$E2E_SCRATCH" >"$FAKE/xdg-open"
chmod +x "$FAKE/xdg-open"
login_env=(-u WAYLAND_DISPLAY PATH="$FAKE:$PATH" DISPLAY=:99)
login follow $APP --kind oauth --client-id cid-login --login --force --redirect-uri "$REDIRECT"
is "$status" 0 "login with a display: exit 0"
is "$(cat "$E2E_SCRATCH/xdg-open.args" 2>/dev/null)" "$(printf '1\n%s' "$url")" "login with a display: xdg-open gets the URL as its one argument"
like "$instructions" "a browser was asked to open; if none did, open this URL" "login with a display: says a browser was asked, and prints the URL"
rm -f "$E2E_SCRATCH/xdg-open.args"
login_env=(-u DISPLAY -u WAYLAND_DISPLAY PATH="$FAKE:$PATH")
login follow $APP --kind oauth --client-id cid-login --login --force --redirect-uri "$REDIRECT"
is "$status" 0 "login without a display: exit 0"
is "$(ls "$E2E_SCRATCH/xdg-open.args" 2>/dev/null)" "" "login without a display: no browser is started"
like "$instructions" "open this URL in a browser" "login without a display: the URL is printed"
login_env=()

# A second request while the code is being exchanged (held up 3 s by the
# stand-in): nothing listens any more.
ctl POST fault '{"kind": "hang", "delay": 3, "path": "/oauth/2026-03/token"}' >/dev/null
login follow-twice $APP --kind oauth --client-id cid-login --login --no-browser --force --redirect-uri "$REDIRECT"
is "$status" 0 "login with a second request: the first one's code is stored"
is "$second" 7 "login with a second request: refused at once, the listener is closed before the exchange"

# A second sign-in of the same app: the scopes the profile has are asked.
login follow $APP --kind oauth --client-id cid-login --login --no-browser --force --redirect-uri "$REDIRECT"
is "$status" 0 "login again without --scope: exit 0"
like "$url" "scope=crm.objects.contacts.read%20oauth&" "login again: asks for the scopes recorded before"
login none $(tagged new) --kind oauth --client-id cid-login --login --no-browser --redirect-uri "$REDIRECT"
fails_with 1 hs-token "login without --scope and no profile to take them from"
like "$err" "--scope" "no scopes: says to give --scope"

# The hublet is recorded (account info with the new access token), for
# the authorize host of the next sign-in.
ctl POST authorize '{"hub_id": 43, "hublet": "eu1"}' >/dev/null
login follow $(tagged eu) --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT"
is "$status" 0 "login to an eu1 account: exit 0"
stored $(tagged eu)
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["hub_id"], d["hublet"])')" "43 eu1" "login to an eu1 account: hub and hublet recorded"
ctl POST authorize '{}' >/dev/null

# The deprecated v1 family, when configured.
hs_conf "$AUTH_CONF
oauth-api=v1"
ctl POST reset-counters >/dev/null
login follow $APP1 --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT"
is "$status" 0 "login with oauth-api=v1: exit 0"
like "$(ctl GET counters)" '"/oauth/v1/token":' "login with oauth-api=v1: the code goes to /oauth/v1/token"
hs_conf "$AUTH_CONF"

# ---- bad paths: one line with the fix, nothing stored, nothing listening ----
BAD=$(tagged bad)
ctl POST authorize '{"error": "access_denied"}' >/dev/null
login follow $BAD --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT"
fails_with 4 hs-token "access denied"
like "$err" "access_denied.*run the command again and grant access" "access denied: says what happened and what to do"
like "$page" "did not complete" "access denied: the browser is told"
stored $BAD
is "$status" 2 "access denied: nothing stored"
closed "access denied"

ctl POST authorize '{"state": "forged-by-someone"}' >/dev/null
login follow $BAD --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT"
fails_with 4 hs-token "wrong state"
like "$err" "state is not the one this run sent.*run the command again" "wrong state: says so and what to do"
stored $BAD
is "$status" 2 "wrong state: nothing stored"
closed "wrong state"
ctl POST authorize '{}' >/dev/null

# Another program's request comes first: refused, and the real redirect
# that follows (a second request) finds nothing listening.
login forge $BAD --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT"
fails_with 4 hs-token "a forged redirect"
page2=$(curl -sS --cacert "$STANDIN_CA" -L "$url" 2>&1)
like "$page2" "Failed to connect|Connection refused|Couldn't connect" "second request: nothing answers it"
stored $BAD
is "$status" 2 "a second request: nothing stored"

login none $BAD --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT" --timeout 1
fails_with 5 hs-token "timeout"
like "$err" "no redirect from HubSpot within 1 s.*--timeout" "timeout: says so and how to get more time"
stored $BAD
is "$status" 2 "timeout: nothing stored"
closed "timeout"

python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
open(sys.argv[2], "w").close(); time.sleep(60)' "$PORT" "$E2E_SCRATCH/held" &
holder=$!
for _ in $(seq 100); do [ -e "$E2E_SCRATCH/held" ] && break; sleep 0.05; done
login none $BAD --kind oauth --client-id cid-login --login --no-browser --scope oauth --redirect-uri "$REDIRECT"
kill $holder; wait $holder 2>/dev/null
fails_with 7 hs-token "port in use"
like "$err" "port $PORT on 127.0.0.1 is in use.*--redirect-uri" "port in use: says so and how to choose another"
unlike "$instructions" "/oauth/authorize" "port in use: fails before the browser is sent anywhere"
stored $BAD
is "$status" 2 "port in use: nothing stored"

run "$HS_TOKEN" add $BAD --kind oauth --client-id cid-login --login --redirect-uri https://example.com/cb --scope oauth
fails_with 1 hs-token "a redirect URI not on loopback"
hs_conf "[hubspot]
auth-base=http://127.0.0.1:1"
run --in "client_secret=cs-login-secret" "$HS_TOKEN" add $BAD --kind oauth --client-id cid-login --login --scope oauth --redirect-uri "$REDIRECT"
fails_with 6 hs-token "a plain-http auth-base"
like "$err" "auth-base" "a plain-http auth-base: names the setting"
hs_conf "$AUTH_CONF"
run "$HS_TOKEN" add $BAD --kind service-key --login
fails_with 1 hs-token "--login without --kind oauth"
run "$HS_TOKEN" add $BAD --kind oauth --client-id cid-login --scope oauth
fails_with 1 hs-token "--scope without --login"
run "$HS_TOKEN" add $BAD --kind oauth --client-id cid-login --login --no-verify --scope oauth
fails_with 1 hs-token "--login with --no-verify"

finish
