#!/bin/bash
# SPDX-License-Identifier: MIT
# selftest.sh — checks hubspot-standin.py from outside, the way the C programs
# see it: starts it, exercises every endpoint, control call and fault with
# curl --cacert, and stops it.  TAP output ("ok N - …", "not ok N - …", then
# "1..N"); exits 1 if any check failed.  Needs bash, curl, openssl, python3.
set -u
here=$(cd "$(dirname "$0")" && pwd)
STANDIN=${STANDIN:-$here/hubspot-standin.py}
work=$(mktemp -d "${TMPDIR:-/tmp}/standin-selftest.XXXXXX")
started=()
cleanup() {
  local p
  for p in "${started[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

# TAP: ok, not_ok, is, like, unlike, tap_plan (shared with the e2e scripts)
. "$here/../e2e/lib/tap.sh"

# elapsed START: seconds since START (an $EPOCHREALTIME); between X LOW HIGH
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }'; }

# ---- the server ----
# start DIR ARG… : runs the stand-in with --state-dir DIR, waits for "ready";
# sets $dir, $base, $spid
start() {
  dir=$1; shift
  mkdir -p "$dir"
  python3 "$STANDIN" --state-dir "$dir" "$@" >"$dir.out" 2>"$dir.err" &
  spid=$!; started+=("$spid")
  local i
  for i in $(seq 150); do
    grep -q '^ready ' "$dir.out" 2>/dev/null && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  base=$(sed -n 's/^ready //p' "$dir.out")
}

# req METHOD PATH [CURL-ARG…] : sets $code, $body, $hdrs (lower-case names), $rc
req() {
  local method=$1 path=$2; shift 2
  rm -f "$work/body" "$work/hdrs"
  rc=0
  code=$(curl -sS --cacert "$dir/cert.pem" -X "$method" -o "$work/body" -D "$work/hdrs" \
    -w '%{http_code}' "$@" "$base$path" 2>"$work/curl.err") || rc=$?
  body=$(cat "$work/body" 2>/dev/null)
  hdrs=$(tr -d '\r' <"$work/hdrs" 2>/dev/null | tr 'A-Z' 'a-z')
}
# j EXPR : the Python expression EXPR over the last JSON body as d; strings
# raw, anything else as JSON.  One python3 answers them all (fds 7 and 8).
coproc JSONQ { python3 -u -c 'import json, sys
for expr in sys.stdin:
    try:
        with open(sys.argv[1], "rb") as f:
            d = json.loads(f.read())
        v = eval(expr)
    except ValueError:
        v = "<not json>"
    except Exception as e:
        v = "<%s>" % type(e).__name__
    print((v if isinstance(v, str) else json.dumps(v)).replace("\n", "\\n"))' "$work/body"; }
exec 7>&"${JSONQ[1]}" 8<&"${JSONQ[0]}"
started+=("$JSONQ_PID")
j() { local r; printf '%s\n' "$1" >&7; IFS= read -r r <&8; printf '%s\n' "$r"; }
ctl() { # ctl PATH [JSON] : a control call (POST when there is a body)
  if [ $# -gt 1 ]; then req POST "/__standin/$1" -H 'Content-Type: application/json' -d "$2"
  else req GET "/__standin/$1"; fi
}
bearer() { req GET /account-info/v3/details -H "Authorization: Bearer $1"; }
form() { local path=$1; shift; local a=(); for f in "$@"; do a+=(--data-urlencode "$f"); done; req POST "$path" "${a[@]}"; }
refresh() { # refresh PATH CLIENT SECRET TOKEN
  form "$1" grant_type=refresh_token "client_id=$2" "client_secret=$3" "refresh_token=$4"
}
pak() { req POST "/localdevauth/v1/auth/refresh$2" -H 'Content-Type: application/json' -d "{\"encodedOAuthRefreshToken\":\"$1\"}"; }
uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
PAT_EU=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e
SVC=service-key-Zm9vYmFyYmF6cXV4
CID=5f2a9c1e-0b7d-4e3a-8c6f-1d2e3f4a5b6c CSECRET=client-secret-7d1e0c9b
CID2=other-client CSECRET2=other-secret
RT1=na1-aaaa-1111-2222-3333-444455556666 RT2=na1-bbbb-1111 RT3=na1-cccc-1111 RT4=na1-dddd-1111
PAK=CiRuYTEtZmFrZS1wZXJzb25hbC1hY2Nlc3Mta2V5LWZvci10ZXN0cw==
issued=() # every access token seen, to check the log never shows one

cat >"$work/seed.json" <<EOF
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": ["crm.objects.contacts.read"]},
                  "$PAT_EU": {"hub_id": 87654321, "hublet": "eu1", "scopes": ["crm.objects.deals.read", "crm.objects.contacts.write"]}},
 "oauth_clients": {"$CID": {"client_secret": "$CSECRET", "refresh_tokens": {
     "$RT1": {"hub_id": 42, "scopes": ["oauth", "crm.objects.contacts.read"], "user": "dev@example.com", "user_id": 31},
     "$RT2": {"hub_id": 42, "scopes": ["oauth"], "user": "dev@example.com"},
     "$RT3": {"hub_id": 43, "scopes": ["oauth"], "user": "ops@example.com"}}},
   "$CID2": {"client_secret": "$CSECRET2", "refresh_tokens": {"$RT4": {"hub_id": 44, "scopes": ["oauth"]}}}},
 "personal_access_keys": {"$PAK": {"hub_id": 777, "user_id": 5, "hub_name": "Acme"}}}
EOF

# ==== startup ====
start "$work/main" --seed "$work/seed.json"
like "$(cat "$dir.out")" '^ready https://127\.0\.0\.1:[0-9]+$' "startup: prints 'ready https://127.0.0.1:PORT'"
port=${base##*:}
is "$(cat "$dir/port" 2>/dev/null)" "$port" "startup: DIR/port holds the port"
is "$(cat "$dir/pid" 2>/dev/null)" "$spid" "startup: DIR/pid holds the pid"
is "$(ls "$dir" | grep -c tmp)" 0 "startup: no temporary files left"
is "$(stat -c %a "$dir/key.pem" 2>/dev/null)" 600 "startup: key.pem is private"
san=$(openssl x509 -in "$dir/cert.pem" -noout -ext subjectAltName 2>&1 | tr -d '\n')
like "$san" 'IP Address:127\.0\.0\.1' "startup: certificate names 127.0.0.1"
like "$san" 'DNS:localhost' "startup: certificate names localhost"
hexport=$(printf '%04X' "$port")
listen=$(awk -v p=":$hexport" '$4 == "0A" && substr($2, length($2) - 4) == p { print $2 }' /proc/net/tcp /proc/net/tcp6)
is "$listen" "0100007F:$hexport" "startup: listens on 127.0.0.1 only"
code=$(curl -sS --cacert "$dir/cert.pem" -H "Authorization: Bearer $PAT" --resolve "localhost:$port:127.0.0.1" \
  -o /dev/null -w '%{http_code}' "https://localhost:$port/account-info/v3/details" 2>&1)
is "$code" 200 "startup: the certificate is valid for https://localhost too"

# ==== account info ====
bearer "$PAT"
is "$code" 200 "account-info, private-app token: 200"
is "$(j 'd["portalId"], d["accountType"], d["timeZone"], d["companyCurrency"], d["uiDomain"], d["dataHostingLocation"]')" \
  '[12345678, "STANDARD", "US/Eastern", "USD", "app.hubspot.com", "na1"]' "account-info: every field"
like "$hdrs" 'content-type: application/json;charset=utf-8' "account-info: JSON content type"
like "$hdrs" 'content-length: [0-9]+' "account-info: Content-Length"
like "$hdrs" 'x-hubspot-ratelimit-secondly: 10' "account-info: X-HubSpot-RateLimit-Secondly"
like "$hdrs" 'x-hubspot-ratelimit-secondly-remaining: 9' "account-info: X-HubSpot-RateLimit-Secondly-Remaining"
bearer "$PAT_EU"
is "$(j 'd["portalId"], d["uiDomain"], d["dataHostingLocation"]')" '[87654321, "app-eu1.hubspot.com", "eu1"]' \
  "account-info, eu1 token: eu1 hub and uiDomain"
bearer pat-na1-00000000-0000-0000-0000-000000000000
is "$code" 401 "account-info, unknown token: 401"
is "$(j 'd["status"], d["category"]')" '["error", "INVALID_AUTHENTICATION"]' "account-info, unknown token: INVALID_AUTHENTICATION"
like "$(j 'd["message"]')" '^Authentication credentials not found\. This API supports OAuth 2\.0 authentication' \
  "account-info, unknown token: HubSpot's message"
like "$(j 'd["correlationId"]')" "$uuid_re" "account-info, unknown token: a correlationId"
req GET /account-info/v3/details
is "$code:$(j 'd["category"]')" 401:INVALID_AUTHENTICATION "account-info, no Authorization: 401"
req GET /account-info/v3/details -H "Authorization: Basic $PAT"
is "$code" 401 "account-info, not a Bearer header: 401"

# ==== an ordinary API: contacts (what hs-exec --proxy forwards) ====
req POST /crm/v3/objects/contacts -H "Authorization: Bearer $PAT" -H 'Content-Type: application/json' \
  -d '{"properties": {"email": "a@example.com"}}'
is "$code:$(j 'd["id"], d["properties"]')" '201:["1", {"email": "a@example.com"}]' "contacts: create with a private-app token: 201"
req GET /crm/v3/objects/contacts -H "Authorization: Bearer $PAT"
is "$code:$(j '[c["properties"]["email"] for c in d["results"]]')" '200:["a@example.com"]' "contacts: list what was created"
req GET /crm/v3/objects/contacts
is "$code:$(j 'd["category"]')" 401:INVALID_AUTHENTICATION "contacts, no Authorization: 401"
ctl fault '{"kind": "expired", "path": "/crm/v3/objects/contacts"}' >/dev/null
req GET /crm/v3/objects/contacts -H "Authorization: Bearer $PAT"
is "$code:$(j 'd["category"]')" 401:EXPIRED_AUTHENTICATION "fault expired: HubSpot's 401 for a valid token"
req GET /crm/v3/objects/contacts -H "Authorization: Bearer $PAT"
is "$code" 200 "fault expired: once"
req POST /crm/v3/objects/contacts -H "Authorization: Bearer $PAT" -H 'Content-Type: application/json' -d '{}'
is "$code:$(j 'd["category"]')" 400:VALIDATION_ERROR "contacts: create without properties: 400"

# ==== run-time seed ====
ctl seed "{\"private_apps\": {\"$SVC\": {\"hub_id\": 555, \"hublet\": \"na2\", \"scopes\": []}}}"
is "$code" 200 "control seed: 200"
bearer "$SVC"
is "$code:$(j 'd["portalId"], d["uiDomain"]')" '200:[555, "app-na2.hubspot.com"]' "seed: a service key added at run time works"
bearer "$PAT"
is "$code" 200 "seed: merges (the seeded token still works)"
ctl seed '{"private_apps": ["not", "an", "object"]}'
is "$code" 400 "control seed: a bad shape is refused (private_apps)"
req POST /__standin/seed -H 'Content-Type: application/json' -H 'Expect: 100-continue' --data-binary "@$work/seed.json"
is "$code:$(grep -c '^HTTP/1.1 100' "$work/hdrs")" 200:1 "control seed: a whole seed file, with Expect: 100-continue"
ctl seed '{"oauth_clients": {"x": {"refresh_tokens": {}}}}'
is "$code" 400 "control seed: a bad shape is refused (client without a secret)"

# ==== private-app token info ====
req POST /oauth/v2/private-apps/get/access-token-info -H 'Content-Type: application/json' -d "{\"tokenKey\":\"$PAT_EU\"}"
is "$code:$(j 'd["userId"], d["hubId"], d["appId"], d["scopes"]')" \
  '200:[1, 87654321, 9, ["crm.objects.deals.read", "crm.objects.contacts.write"]]' "access-token-info: 200 and every field"
req POST /oauth/v2/private-apps/get/access-token-info -H 'Content-Type: application/json' -d '{"tokenKey":"pat-na1-nope"}'
is "$code:$(j 'd["category"]')" 401:INVALID_AUTHENTICATION "access-token-info, unknown token: 401"
req POST /oauth/v2/private-apps/get/access-token-info -H 'Content-Type: application/json' -d '{not json'
is "$code:$(j 'd["status"]')" 400:error "access-token-info, bad JSON: 400 HubSpot-style"

# ==== OAuth token, 2026-03 ====
t0=$(date +%s)
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
is "$code" 200 "token 2026-03, refresh: 200"
AT1=$(j 'd["access_token"]'); issued+=("$AT1")
is "$(j 'd["refresh_token"], d["expires_in"], d["token_type"], d["hub_id"], d["scopes"]')" \
  "[\"$RT1\", 1800, \"bearer\", 42, [\"oauth\", \"crm.objects.contacts.read\"]]" "token 2026-03: refresh_token, expires_in, token_type, hub_id, scopes"
like "$AT1" '^CO[A-Za-z0-9_-]{190,250}$' "token 2026-03: access token is CO + ~200 url-safe characters"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
AT1b=$(j 'd["access_token"]'); issued+=("$AT1b")
unlike "$AT1b" "^$AT1\$" "token 2026-03: each refresh gives a new access token"
bearer "$AT1"
is "$code:$(j 'd["portalId"], d["dataHostingLocation"]')" '200:[42, "na1"]' "account-info with an issued OAuth access token: its hub"
refresh /oauth/2026-03/token nope "$CSECRET" "$RT1"
is "$code:$(j 'd["status"], d["message"], d["error"]')" '400:["BAD_CLIENT_ID", "missing or unknown client id", "invalid_client"]' \
  "token 2026-03, unknown client: BAD_CLIENT_ID, invalid_client"
like "$(j 'd["correlationId"]')" "$uuid_re" "token 2026-03, error: a correlationId"
refresh /oauth/2026-03/token "$CID" wrong "$RT1"
is "$code:$(j 'd["status"], d["error"]')" '400:["BAD_CLIENT_SECRET", "invalid_client"]' "token 2026-03, wrong secret: BAD_CLIENT_SECRET"
refresh /oauth/2026-03/token "$CID" "$CSECRET" na1-unknown
is "$code:$(j 'd["status"], d["message"], d["error"], "error_description" in d')" \
  '400:["BAD_REFRESH_TOKEN", "missing or invalid refresh token", "invalid_grant", true]' "token 2026-03, unknown refresh token: BAD_REFRESH_TOKEN, invalid_grant"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT4"
is "$code:$(j 'd["status"]')" 400:BAD_REFRESH_TOKEN "token 2026-03, another client's refresh token: BAD_REFRESH_TOKEN"
form /oauth/2026-03/token grant_type=client_credentials "client_id=$CID" "client_secret=$CSECRET"
is "$code:$(j 'd["status"], d["error"]')" '400:["BAD_GRANT_TYPE", "unsupported_grant_type"]' "token 2026-03, other grant_type: BAD_GRANT_TYPE"
form /oauth/2026-03/token grant_type=refresh_token "client_id=$CID" "client_secret=$CSECRET"
is "$code" 400 "token 2026-03, no refresh_token: 400"
like "$(j 'd["message"]')" 'refresh_token' "token 2026-03, no refresh_token: the message names the field"
form /oauth/2026-03/token "client_id=$CID" "client_secret=$CSECRET" "refresh_token=$RT1"
like "$code $(j 'd["message"]')" '^400 .*grant_type' "token 2026-03, no grant_type: 400 naming the field"
form /oauth/2026-03/token grant_type=refresh_token "client_secret=$CSECRET" "refresh_token=$RT1"
like "$code $(j 'd["status"], d["message"]')" '^400 .*BAD_CLIENT_ID.*client_id' "token 2026-03, no client_id: 400 naming the field"
form /oauth/2026-03/token grant_type=refresh_token "client_id=$CID" "refresh_token=$RT1"
like "$code $(j 'd["status"], d["message"]')" '^400 .*BAD_CLIENT_SECRET.*client_secret' "token 2026-03, no client_secret: 400 naming the field"
form /oauth/2026-03/token grant_type=authorization_code "client_id=$CID" "client_secret=$CSECRET" code=abc redirect_uri=https://x/
is "$code:$(j 'd["status"], d["error"]')" '400:["BAD_AUTH_CODE", "invalid_grant"]' "token 2026-03, unknown authorization code: BAD_AUTH_CODE"

# ==== OAuth sign-in: authorize page and authorization_code grant ====
req GET "/oauth/authorize?client_id=$CID&scope=oauth%20crm.objects.contacts.read&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=s1"
location() { tr -d '\r' <"$work/hdrs" | sed -n 's/^[Ll]ocation: //p'; } # as sent: $hdrs is lower-cased
loc=$(location)
is "$code" 302 "authorize: redirects at once"
like "$loc" '^http://127.0.0.1:9/cb\?code=code-[A-Za-z0-9_-]+&state=s1$' "authorize: back to redirect_uri with a code and the state"
AC=$(printf %s "$loc" | sed -n 's/.*code=\([^&]*\).*/\1/p'); issued+=("$AC")
form /oauth/2026-03/token grant_type=authorization_code "client_id=$CID" "client_secret=$CSECRET" "code=$AC" redirect_uri=http://127.0.0.1:9/other
is "$code:$(j 'd["status"]')" '400:BAD_AUTH_CODE' "code grant, another redirect_uri: refused"
req GET "/oauth/authorize?client_id=$CID&scope=oauth&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=s2"
AC=$(location | sed -n 's/.*code=\([^&]*\).*/\1/p'); issued+=("$AC")
form /oauth/2026-03/token grant_type=authorization_code "client_id=$CID" "client_secret=$CSECRET" "code=$AC" redirect_uri=http://127.0.0.1:9/cb
ART=$(j 'd["refresh_token"]'); issued+=("$ART" "$(j 'd["access_token"]')")
is "$code:$(j 'd["hub_id"], d["scopes"], d["token_type"]')" '200:[42, ["oauth"], "bearer"]' "code grant: tokens for hub 42 with the scopes asked"
form /oauth/2026-03/token grant_type=authorization_code "client_id=$CID" "client_secret=$CSECRET" "code=$AC" redirect_uri=http://127.0.0.1:9/cb
is "$code:$(j 'd["status"]')" '400:BAD_AUTH_CODE' "code grant: a code works once"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$ART"
is "$code" 200 "code grant: its refresh token refreshes"
issued+=("$(j 'd["access_token"]')")
ctl authorize '{"error": "access_denied", "state": "forged"}'
req GET "/oauth/authorize?client_id=$CID&scope=oauth&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&state=s3"
like "$(location)" '^http://127.0.0.1:9/cb\?error=access_denied&error_description=[^&]+&state=forged$' "authorize, told so: error= and the state it was told"
ctl authorize '{}'
req GET "/oauth/authorize?client_id=nobody&scope=oauth&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb"
is "$code" 400 "authorize, unknown client: 400"

# ==== OAuth token, v1 ====
refresh /oauth/v1/token "$CID" "$CSECRET" "$RT1"
AT2=$(j 'd["access_token"]'); issued+=("$AT2")
is "$code:$(j 'd["refresh_token"], d["expires_in"], d["token_type"], d["hub_id"]')" "200:[\"$RT1\", 1800, \"bearer\", 42]" "token v1, refresh: 200 and fields"
refresh /oauth/v1/token nope "$CSECRET" "$RT1"
is "$code:$(j 'd["status"], "error" in d, "error_description" in d')" '400:["BAD_CLIENT_ID", false, false]' "token v1, unknown client: BAD_CLIENT_ID without error/error_description"
refresh /oauth/v1/token "$CID" wrong "$RT1"
is "$code:$(j 'd["status"], "error" in d')" '400:["BAD_CLIENT_SECRET", false]' "token v1, wrong secret: BAD_CLIENT_SECRET"
refresh /oauth/v1/token "$CID" "$CSECRET" na1-unknown
is "$code:$(j 'd["status"], d["message"], "error" in d')" '400:["BAD_REFRESH_TOKEN", "missing or invalid refresh token", false]' "token v1, bad refresh token: BAD_REFRESH_TOKEN"
form /oauth/v1/token grant_type=password "client_id=$CID" "client_secret=$CSECRET"
is "$code:$(j 'd["status"]')" 400:BAD_GRANT_TYPE "token v1, other grant_type: BAD_GRANT_TYPE"
req GET /oauth/v1/token
is "$code:$(j 'd["status"]')" 404:error "token v1 with GET: 404 HubSpot-style"

# ==== introspect ====
form /oauth/2026-03/token/introspect "client_id=$CID" "client_secret=$CSECRET" "token=$AT1" token_type_hint=access_token
is "$code:$(j 'd["active"], d["client_id"], d["hub_id"], d["scopes"], d["token_type"]')" \
  "200:[true, \"$CID\", 42, [\"oauth\", \"crm.objects.contacts.read\"], \"access_token\"]" "introspect, access token: active and fields"
if between "$(j 'd["exp"]')" $((t0 + 1795)) $((t0 + 1810)); then ok "introspect, access token: exp = now + expires_in"
else not_ok "introspect, access token: exp = now + expires_in" "exp=$(j 'd["exp"]') t0=$t0"; fi
form /oauth/2026-03/token/introspect "client_id=$CID" "client_secret=$CSECRET" "token=$RT1" token_type_hint=refresh_token
is "$code:$(j 'd["active"], d["hub_id"], d["token_type"], "exp" in d')" '200:[true, 42, "refresh_token", false]' "introspect, refresh token: active, no exp"
form /oauth/2026-03/token/introspect "client_id=$CID" "client_secret=$CSECRET" token=garbage
is "$code:$body" '200:{"active":false}' "introspect, unknown token: {\"active\": false}"
form /oauth/2026-03/token/introspect "client_id=$CID2" "client_secret=$CSECRET2" "token=$RT1"
is "$code:$(j 'd["active"]')" 200:false "introspect, another client's token: inactive"
form /oauth/2026-03/token/introspect "client_id=$CID" client_secret=wrong "token=$AT1"
is "$code:$(j 'd["status"], d["error"]')" '400:["BAD_CLIENT_SECRET", "invalid_client"]' "introspect, bad client secret: 400"
form /oauth/2026-03/token/introspect client_id=nope "client_secret=$CSECRET" "token=$AT1"
is "$code:$(j 'd["status"]')" 400:BAD_CLIENT_ID "introspect, unknown client: 400"

# ==== revoke (2026-03) ====
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT2"
AT3=$(j 'd["access_token"]'); issued+=("$AT3")
form /oauth/2026-03/token/revoke "client_id=$CID" "client_secret=$CSECRET" "token=$RT2" token_type_hint=refresh_token
is "$code:$body" '200:{}' "revoke, refresh token: 200 {}"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT2"
is "$code:$(j 'd["status"]')" 400:BAD_REFRESH_TOKEN "revoke: the refresh token no longer works"
bearer "$AT3"
is "$code" 200 "revoke: access tokens issued before stay valid"
form /oauth/2026-03/token/revoke "client_id=$CID" client_secret=wrong "token=$RT1"
is "$code:$(j 'd["status"]')" 400:BAD_CLIENT_SECRET "revoke, bad client: 400"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
issued+=("$(j 'd["access_token"]')")
is "$code" 200 "revoke, bad client: revoked nothing"
form /oauth/2026-03/token/revoke "client_id=$CID" "client_secret=$CSECRET"
like "$code $(j 'd["message"]')" '^400 .*token' "revoke, no token: 400 naming the field"

# ==== v1 token info and DELETE ====
req GET "/oauth/v1/access-tokens/$AT1"
is "$code:$(j 'd["token"] == "'"$AT1"'", d["hub_id"], d["user_id"], d["user"], d["scopes"], d["token_type"], "hub_domain" in d, "app_id" in d')" \
  '200:[true, 42, 31, "dev@example.com", ["oauth", "crm.objects.contacts.read"], "access", true, true]' "v1 access-tokens: 200 and fields"
left=$((1800 - $(date +%s) + t0))
if between "$(j 'd["expires_in"]')" $((left - 2)) $((left + 1)); then ok "v1 access-tokens: expires_in counts down from 1800"
else not_ok "v1 access-tokens: expires_in counts down from 1800" "got $(j 'd["expires_in"]')"; fi
req GET /oauth/v1/access-tokens/COnotatoken
is "$code:$(j 'd["status"], "message" in d, "correlationId" in d')" '404:["error", true, true]' "v1 access-tokens, unknown: 404"
req GET "/oauth/v1/refresh-tokens/$RT3"
is "$code:$(j 'd["token"], d["hub_id"], d["user"], d["scopes"], d["client_id"], d["token_type"], "user_id" in d')" \
  "200:[\"$RT3\", 43, \"ops@example.com\", [\"oauth\"], \"$CID\", \"refresh\", true]" "v1 refresh-tokens: 200 and fields"
req GET /oauth/v1/refresh-tokens/na1-nope
is "$code:$(j 'd["status"]')" 404:error "v1 refresh-tokens, unknown: 404"
req DELETE "/oauth/v1/refresh-tokens/$RT3"
is "$code:$body" 204: "v1 DELETE refresh-tokens: 204, no body"
req GET "/oauth/v1/refresh-tokens/$RT3"
is "$code" 404 "v1 DELETE: the refresh token is gone"
refresh /oauth/v1/token "$CID" "$CSECRET" "$RT3"
is "$code:$(j 'd["status"]')" 400:BAD_REFRESH_TOKEN "v1 DELETE: the refresh token no longer refreshes"
req DELETE "/oauth/v1/refresh-tokens/$RT3"
is "$code" 404 "v1 DELETE again: 404"

# ==== expiry ====
ctl expires-in '{"seconds": 0}'
is "$code" 200 "control expires-in: 200"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
ATX=$(j 'd["access_token"]'); issued+=("$ATX")
is "$(j 'd["expires_in"]')" 0 "expires-in 0: tokens issued from now say expires_in 0"
bearer "$ATX"
is "$code:$(j 'd["status"], d["category"]')" '401:["error", "EXPIRED_AUTHENTICATION"]' "expired access token: 401 EXPIRED_AUTHENTICATION"
req GET "/oauth/v1/access-tokens/$ATX"
is "$code" 404 "expired access token: v1 access-tokens 404"
form /oauth/2026-03/token/introspect "client_id=$CID" "client_secret=$CSECRET" "token=$ATX"
is "$body" '{"active":false}' "expired access token: introspect inactive"
ctl expires-in '{"seconds": 1}'
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
ATY=$(j 'd["access_token"]'); issued+=("$ATY")
bearer "$ATY"
is "$code" 200 "expires-in 1: valid at first"
sleep 1.2
bearer "$ATY"
is "$code:$(j 'd["category"]')" 401:EXPIRED_AUTHENTICATION "expires-in 1: expired a second later"
bearer "$AT1"
is "$code" 200 "expires-in: tokens issued before keep their lifetime"
ctl expires-in '{"seconds": -5}'
is "$code" 400 "control expires-in, negative: 400"
ctl expires-in '{"seconds": 1800}'

# ==== personal access keys ====
now_ms=$(($(date +%s) * 1000))
pak "$PAK" ""
APK=$(j 'd["oauthAccessToken"]'); issued+=("$APK")
is "$code:$(j 'd["hubId"], d["userId"], d["scopeGroups"], d["enabledFeatures"], d["encodedOAuthRefreshToken"] == "'"$PAK"'", d["hubName"], d["accountType"]')" \
  '200:[777, 5, ["crm.objects.contacts.read"], {}, true, "Acme", "DEVELOPER_TEST"]' "PAK exchange: 200 and fields"
if between "$(j 'd["expiresAtMillis"]')" $((now_ms + 1795000)) $((now_ms + 1805000)); then ok "PAK exchange: expiresAtMillis = now + 30 min"
else not_ok "PAK exchange: expiresAtMillis = now + 30 min" "got $(j 'd["expiresAtMillis"]') now_ms=$now_ms"; fi
like "$APK" '^CO[A-Za-z0-9_-]{190,250}$' "PAK exchange: a new ~200-character access token"
if grep -qxF -- "$APK" "$dir/issued-tokens" 2>/dev/null; then ok "issued-tokens: lists the access token just issued"
else not_ok "issued-tokens: lists the access token just issued"; fi
bearer "$APK"
is "$code:$(j 'd["portalId"]')" 200:777 "PAK access token: account-info gives its hub"
pak "$PAK" "?portalId=777"
is "$code" 200 "PAK exchange, matching portalId: 200"
issued+=("$(j 'd["oauthAccessToken"]')")
pak "$PAK" "?portalId=778"
is "$code:$(j 'd["status"]')" 400:error "PAK exchange, other portalId: 400"
pak "CiRub3Qta25vd24=" ""
is "$code:$(j 'd["status"], d["category"]')" '401:["error", "INVALID_AUTHENTICATION"]' "PAK exchange, unknown key: 401 INVALID_AUTHENTICATION"
like "$(j 'd["message"]')" '^Your personal access key is invalid' "PAK exchange, unknown key: HubSpot's message"
req POST /localdevauth/v1/auth/refresh -H 'Content-Type: application/json' -d '{}'
like "$code $(j 'd["message"]')" '^400 .*encodedOAuthRefreshToken' "PAK exchange, no key: 400 naming the field"

# ==== anything else ====
req POST /oauth/v1/token -H 'Transfer-Encoding: chunked' --data-urlencode grant_type=refresh_token \
  --data-urlencode "client_id=$CID" --data-urlencode "client_secret=$CSECRET" --data-urlencode "refresh_token=$RT1"
is "$code:$(j 'd["hub_id"]')" 200:42 "a chunked request body is read"
issued+=("$(j 'd["access_token"]')")
code=$(curl -sS --cacert "$dir/cert.pem" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  --data-binary @<(head -c 1100000 /dev/zero | tr '\0' a) "$base/localdevauth/v1/auth/refresh" 2>/dev/null)
is "$code" 413 "a body over 1 MB: 413"
req GET /crm/v3/objects/deals
is "$code:$(j 'd["status"], "message" in d, "correlationId" in d')" '404:["error", true, true]' "unknown path: 404 HubSpot-style JSON"
like "$hdrs" 'content-type: application/json;charset=utf-8' "unknown path: JSON content type"
ctl nothing-here
is "$code" 404 "unknown control path: 404"

# ==== keep-alive ====
conns=$(curl -sS --cacert "$dir/cert.pem" -H "Authorization: Bearer $PAT" -w '%{http_code}/%{num_connects} ' \
  -o /dev/null -o /dev/null -o /dev/null "$base/account-info/v3/details" "$base/account-info/v3/details" \
  "$base/nope")
is "$conns" "200/1 200/0 404/0 " "keep-alive: three requests, one connection (also after a 404)"
conns=$(curl -sS --cacert "$dir/cert.pem" -w '%{http_code}/%{num_connects} ' -o /dev/null -o /dev/null \
  --data-urlencode "grant_type=refresh_token" --data-urlencode "client_id=$CID" --data-urlencode "client_secret=$CSECRET" \
  --data-urlencode "refresh_token=$RT1" "$base/oauth/v1/token" "$base/oauth/v1/token")
is "$conns" "200/1 200/0 " "keep-alive: POSTs with bodies reuse the connection"

# ==== counters ====
ctl reset-counters '{}'
is "$code" 200 "control reset-counters: 200"
ctl counters
is "$body" '{"total":0,"by_path":{},"token_requests":0,"connections":0}' "counters after reset: zero"
bearer "$PAT"; bearer "$PAT"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"; ATC=$(j 'd["access_token"]'); issued+=("$ATC")
refresh /oauth/v1/token "$CID" "$CSECRET" na1-unknown
pak "$PAK" ""; issued+=("$(j 'd["oauthAccessToken"]')")
form /oauth/2026-03/token/introspect "client_id=$CID" "client_secret=$CSECRET" "token=$ATC"
req GET "/oauth/v1/access-tokens/$ATC"
req GET "/no/such/$ATC"
ctl counters
is "$(j 'd["total"], d["token_requests"]')" '[8, 3]' "counters: total and token_requests (control calls not counted)"
is "$(j 'sorted(d["by_path"].items())')" \
  '[["/account-info/v3/details", 2], ["/localdevauth/v1/auth/refresh", 1], ["/no/such/{redacted}", 1], ["/oauth/2026-03/token", 1], ["/oauth/2026-03/token/introspect", 1], ["/oauth/v1/access-tokens/{token}", 1], ["/oauth/v1/token", 1]]' \
  "counters: by_path, tokens in paths never shown"

# ==== faults ====
fault() { ctl fault "$1"; [ "$code" = 200 ] || not_ok "queue fault $1" "got $code $body"; }
for k in 500 502 503; do
  fault "{\"kind\": \"$k\"}"
  bearer "$PAT"
  is "$code:$(j 'd["status"], "message" in d')" "$k:[\"error\", true]" "fault $k: HubSpot error JSON"
  like "$(j 'd["correlationId"]')" "$uuid_re" "fault $k: a correlationId"
  like "$hdrs" 'content-type: application/json;charset=utf-8' "fault $k: JSON content type"
  bearer "$PAT"
  is "$code" 200 "fault $k: used up by one request"
done
fault '{"kind": "503", "retry_after": 7}'
bearer "$PAT"
is "$code" 503 "fault 503 with retry_after: 503"
like "$hdrs" '^retry-after: 7$' "fault 503 with retry_after: Retry-After"
fault '{"kind": "429"}'
bearer "$PAT"
is "$code:$(j 'sorted(d)'):$(j 'd["status"], d["message"], d["errorType"], d["policyName"]')" \
  '429:["correlationId", "errorType", "message", "policyName", "status"]:["error", "You have reached your ten_secondly_rolling limit.", "RATE_LIMIT", "TEN_SECONDLY_ROLLING"]' \
  "fault 429: HubSpot's rate-limit body"
like "$(j 'd["correlationId"]')" "$uuid_re" "fault 429: a correlationId"
unlike "$hdrs" 'retry-after' "fault 429 without retry_after: no Retry-After"
is "$(printf '%s\n' "$hdrs" | grep '^x-hubspot-ratelimit-secondly-remaining:')" \
  'x-hubspot-ratelimit-secondly-remaining: 0' "fault 429: one X-HubSpot-RateLimit-Secondly-Remaining, 0"
fault '{"kind": "429", "retry_after": 3, "policy": "DAILY"}'
bearer "$PAT"
is "$code:$(j 'd["policyName"], d["message"]')" '429:["DAILY", "You have reached your daily limit."]' "fault 429 DAILY: policyName"
like "$hdrs" 'retry-after: 3' "fault 429 with retry_after: Retry-After"
fault '{"kind": "500", "count": 2}'
bearer "$PAT"; c1=$code; bearer "$PAT"; c2=$code; bearer "$PAT"
is "$c1 $c2 $code" "500 500 200" "fault count 2: two requests, then normal"
fault '{"kind": "503", "count": -1}'
bearer "$PAT"; c1=$code; refresh /oauth/v1/token "$CID" "$CSECRET" "$RT1"; c2=$code; bearer "$PAT"
is "$c1 $c2 $code" "503 503 503" "fault count -1: every request"
ctl counters
is "$code" 200 "faults never touch control calls"
ctl faults
is "$(j '[(f["kind"], f["count"]) for f in d["faults"]]')" '[["503", -1]]' "control faults: lists the queue"
ctl clear-faults '{}'
bearer "$PAT"
is "$code" 200 "control clear-faults: back to normal"
fault '{"kind": "500", "path": "/oauth/"}'
bearer "$PAT"; c1=$code
refresh /oauth/v1/token "$CID" "$CSECRET" "$RT1"
is "$c1 $code" "200 500" "fault with path: only requests under that prefix"
ctl fault '{"kind": "teapot"}'
is "$code" 400 "control fault, unknown kind: 400"
fault '{"kind": "garbage"}'
bearer "$PAT"
is "$code:$body" '200:{not json' "fault garbage: 200 with {not json"
fault '{"kind": "truncated"}'
bearer "$PAT"
is "$rc:$code" 18:200 "fault truncated: 200, body shorter than Content-Length (curl 18)"
fault '{"kind": "reset"}'
bearer "$PAT"
is "$code" 000 "fault reset: no response"
like "$rc $(cat "$work/curl.err")" '^(56|35|52) .*(reset|Recv failure|SSL_read|Empty reply)' "fault reset: connection reset (curl $rc)"
bearer "$PAT"
is "$code" 200 "fault reset: the next connection is fine"

fault '{"kind": "hang", "delay": 2, "path": "/account-info/"}'
hang_start=$EPOCHREALTIME
curl -sS --cacert "$dir/cert.pem" -H "Authorization: Bearer $PAT" -o /dev/null -w '%{http_code}' \
  "$base/account-info/v3/details" >"$work/hang.code" 2>/dev/null &
hang_pid=$!
sleep 0.3
other_start=$EPOCHREALTIME
req GET /oauth/v1/access-tokens/COnotatoken
other=$(elapsed "$other_start")
wait $hang_pid
hang=$(elapsed "$hang_start")
if [ "$code" = 404 ] && between "$other" 0 1; then ok "fault hang: other requests answered meanwhile (${other}s)"
else not_ok "fault hang: other requests answered meanwhile" "code=$code took ${other}s"; fi
if [ "$(cat "$work/hang.code")" = 200 ] && between "$hang" 1.9 5; then ok "fault hang: answered normally after the delay (${hang}s)"
else not_ok "fault hang: answered normally after the delay" "code=$(cat "$work/hang.code") took ${hang}s"; fi

fault '{"kind": "refuse-refresh"}'
bearer "$PAT"
is "$code" 200 "fault refuse-refresh: other requests don't use it up"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
is "$code:$(j 'd["status"], d["error"]')" '400:["BAD_REFRESH_TOKEN", "invalid_grant"]' "fault refuse-refresh: a valid refresh is refused"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
is "$code" 200 "fault refuse-refresh: then refreshes work again"
issued+=("$(j 'd["access_token"]')")
fault '{"kind": "refuse-refresh"}'
pak "$PAK" ""
is "$code:$(j 'd["category"]')" 401:INVALID_AUTHENTICATION "fault refuse-refresh: applies to a personal-access-key exchange too"

# ==== 200 concurrent connections ====
fault '{"kind": "hang", "delay": 2, "count": -1, "path": "/account-info/"}'
urls=(); for i in $(seq 200); do urls+=("$base/account-info/v3/details"); done
t=$EPOCHREALTIME
codes=$(curl -s --cacert "$dir/cert.pem" -H "Authorization: Bearer $PAT" --parallel --parallel-immediate \
  --parallel-max 200 -w '\n%{http_code}\n' "${urls[@]}" 2>/dev/null | grep -cx 200)
took=$(elapsed "$t")
ctl clear-faults '{}'
if [ "$codes" = 200 ] && between "$took" 1.9 15; then ok "200 concurrent connections, each held 2 s: all 200 in ${took}s"
else not_ok "200 concurrent connections" "$codes answers of 200 in ${took}s"; fi

# ==== the log ====
log=$(cat "$dir.err")
like "$log" '^GET /account-info/v3/details 200$' "log: 'METHOD PATH STATUS' lines"
like "$log" '^POST /oauth/2026-03/token 400$' "log: error statuses"
like "$log" '^GET /oauth/v1/access-tokens/\{token\} 200$' "log: tokens in paths replaced by {token}"
like "$log" '^GET /account-info/v3/details reset$' "log: resets"
like "$log" '^POST /localdevauth/v1/auth/refresh 200$' "log: PAK exchanges"
unlike "$log" 'portalId|__standin' "log: no query strings, no control calls"
unlike "$log" 'Traceback|standin: error' "log: no errors or tracebacks from the server"
leaks=0
for s in "$PAT" "$PAT_EU" "$SVC" "$CSECRET" "$CSECRET2" "$RT1" "$RT2" "$RT3" "$PAK" "${issued[@]}"; do
  grep -qF -- "$s" "$dir.err" && { leaks=$((leaks + 1)); echo "# leaked: ${s:0:12}…"; }
done
is "$leaks" 0 "log: none of the ${#issued[@]} issued access tokens or any seeded secret appears"

# ==== stopping ====
kill -TERM "$spid"
st=0; wait "$spid" || st=$?
is "$st" 0 "SIGTERM: exits 0"
is "$(ls "$dir")" "$(printf 'cert.pem\nissued-tokens\nkey.pem')" "SIGTERM: DIR/port and DIR/pid removed"

start "$work/int"
kill -INT "$spid"; st=0; wait "$spid" || st=$?
is "$st:$(ls "$dir" | grep -c -e port -e pid)" 0:0 "SIGINT: exits 0 and cleans up"

start "$work/short" --max-lifetime 1
t=$EPOCHREALTIME; st=0; wait "$spid" || st=$?
took=$(elapsed "$t")
if [ "$st" = 0 ] && between "$took" 0.5 4 && [ ! -e "$dir/port" ]; then ok "--max-lifetime 1: stops by itself (${took}s)"
else not_ok "--max-lifetime 1: stops by itself" "status $st after ${took}s"; fi

# ==== --rotate-refresh-tokens, --expires-in, --seed on another instance ====
start "$work/rotate" --rotate-refresh-tokens --expires-in 60 --seed "$work/seed.json"
bearer "$PAT_EU"
is "$code" 200 "--seed: seeded tokens work from the start"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
new=$(j 'd["refresh_token"]')
is "$code:$(j 'd["expires_in"]')" 200:60 "--expires-in 60: expires_in 60"
like "$new" '^na1-[0-9a-f-]{36}$' "--rotate-refresh-tokens: a new refresh token"
refresh /oauth/2026-03/token "$CID" "$CSECRET" "$RT1"
is "$code:$(j 'd["status"]')" 400:BAD_REFRESH_TOKEN "--rotate-refresh-tokens: the old one stops working"
refresh /oauth/v1/token "$CID" "$CSECRET" "$new"
newer=$(j 'd["refresh_token"]')
if [ "$code" = 200 ] && [ -n "$newer" ] && [ "$newer" != "$new" ]; then ok "--rotate-refresh-tokens: the new one works and rotates again"
else not_ok "--rotate-refresh-tokens: the new one works and rotates again" "$code $body"; fi
req GET "/oauth/v1/refresh-tokens/$newer"
is "$code:$(j 'd["hub_id"], d["client_id"]')" "200:[42, \"$CID\"]" "--rotate-refresh-tokens: the new token keeps its hub and client"
kill -TERM "$spid"; wait "$spid"

bad=$(python3 "$STANDIN" --state-dir "$work/bad" --seed "$work/nonexistent.json" 2>&1); st=$?
is "$st:$(ls "$work/bad" 2>/dev/null | grep -c port)" 1:0 "--seed with a missing file: exits 1, never ready"
like "$bad" 'nonexistent\.json' "--seed with a missing file: says which"

tap_plan
