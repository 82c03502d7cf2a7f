#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-exec --proxy under load and misuse (issue 16) against the HubSpot
# stand-in: many slow requests at once and idle connections (the proxy's own
# cap, a 503 beyond it, service after they end), the methods it forwards,
# at most one forced refresh per token, and --format hubspot-cli refused.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
export HS_EXEC_RETRY_BASE_MS=50
# Profiles whose tokens are cached in the user keyring: this run's own.
APP=$(tagged app) CLI=$(tagged cli)

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

# ctl for COMMAND, which has none of e2e.sh's functions
cat >"$E2E_SCRATCH/ctl" <<CTL
#!/bin/bash
E2E_DIR='$E2E_DIR' STANDIN_BASE='$STANDIN_BASE' STANDIN_CA='$STANDIN_CA'
. "\$E2E_DIR/lib/standin.sh"
ctl "\$@"
CTL
chmod +x "$E2E_SCRATCH/ctl"

# client.py WORD…: requests through the proxy in HUBSPOT_API_BASE.  Each
# METHOD:PATH sends a request and prints its status ("timeout", "error"
# when none), or, after "verbose", "STATUS ALLOW|MESSAGE" (the Allow header
# and the body's message); "parallel=N" sends the next one N times at once;
# "idle=N" opens N connections that send nothing, held until "close-idle";
# after "retry-busy" a 503 is tried again after a pause, as Retry-After
# asks, up to 20 times; after "keep" the requests share one connection for
# as long as the proxy keeps it, and "sockets" prints how many they used.
client="$E2E_SCRATCH/client.py"
cat >"$client" <<'PY'
import concurrent.futures, http.client, json, os, socket, sys, time, urllib.parse
base = urllib.parse.urlsplit(os.environ["HUBSPOT_API_BASE"])
token = os.environ["HUBSPOT_ACCESS_TOKEN"]
def send(method, path):
    for _ in range(20 if retry_busy else 0):
        got = send_once(method, path)
        if not got.startswith("503 "):
            return got
        time.sleep(0.5)
    return send_once(method, path)
def send_once(method, path):
    global kept
    conn = kept or http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    try:
        body = '{"properties": {"email": "a@example.com"}}' if method == "POST" else None
        conn.request(method, path, body, headers={"Authorization": "Bearer " + token})
        if keep and conn.sock not in sockets:
            sockets.append(conn.sock)
        r = conn.getresponse()
        body = r.read().decode(errors="replace")
        try:
            message = json.loads(body).get("message", "")
        except ValueError:
            message = ""
        return f"{r.status} {r.getheader('Allow') or ''}|{message}"
    except socket.timeout:
        return "timeout |"
    except OSError as e:
        return f"error |{e}"
    finally:
        if keep:
            kept = conn
        else:
            conn.close()
parallel, idle, verbose, retry_busy = 1, [], False, False
keep, kept, sockets = False, None, []
for a in sys.argv[1:]:
    if a.startswith("parallel="):
        parallel = int(a[9:]); continue
    if a.startswith("idle="):
        idle += [socket.create_connection((base.hostname, base.port)) for _ in range(int(a[5:]))]
        continue
    if a == "close-idle":
        for s in idle: s.close()
        idle = []; continue
    if a == "verbose":
        verbose = True; continue
    if a == "retry-busy":
        retry_busy = True; continue
    if a == "keep":
        keep = True; continue
    if a == "sockets":
        print(f"sockets={len(sockets)}"); continue
    method, path = a.split(":", 1)
    with concurrent.futures.ThreadPoolExecutor(parallel) as pool:
        for got in pool.map(lambda _: send(method, path), range(parallel)):
            print(got if verbose else got.split(" ", 1)[0])
    parallel = 1
PY
# counts LINES: "N×STATUS" for each status, in order of first appearance
counts() { printf '%s\n' "$1" | awk '!($0 in n) {o[++k] = $0} {n[$0]++} END {for (i = 1; i <= k; i++) printf "%s%d×%s", (i > 1 ? " " : ""), n[o[i]], o[i]}'; }

# ---- many requests at once ----
# Fifty requests that take a second each at HubSpot, all at once, then five
# more: every one is answered.  (GLib's threaded service stopped accepting
# for good after 16 at once.)
ctl POST fault '{"kind": "hang", "delay": 1, "count": -1, "path": "/crm/v3/objects/contacts"}' >/dev/null
run "$HS_EXEC" --proxy prod -- python3 "$client" parallel=50 GET:/crm/v3/objects/contacts \
  parallel=5 GET:/crm/v3/objects/contacts GET:/account-info/v3/details
ctl POST clear-faults >/dev/null
is "$status" 0 "--proxy: COMMAND making 50 slow requests at once ends"
is "$(counts "$(printf '%s\n' "$out" | sed -n 1,50p)")" "50×200" "--proxy: 50 slow requests at once are all answered"
is "$(counts "$(printf '%s\n' "$out" | sed -n '51,$p')")" "6×200" "--proxy: and the requests after them too"

# Idle connections from anyone (no placeholder needed) hold slots only
# while they are open: beyond the cap a clear 503 at once, and service
# again once they are gone.
run "$HS_EXEC" --proxy prod -- python3 "$client" idle=70 verbose GET:/account-info/v3/details \
  close-idle retry-busy GET:/account-info/v3/details
like "$(printf '%s\n' "$out" | sed -n 1p)" '^503 \|hs-exec --proxy: 64 connections are open' "--proxy: beyond 64 connections at once, a 503 that says why"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^200 ' "--proxy: served again once the idle connections closed"

# ---- methods ----
# Only the methods HubSpot's API uses are forwarded: a TRACE reflected by
# some server on the way would show COMMAND the real Authorization header.
run "$HS_EXEC" --proxy prod -- python3 "$client" verbose TRACE:/crm/v3/objects/contacts \
  OPTIONS:/crm/v3/objects/contacts get:/account-info/v3/details \
  PUT:/crm/v3/objects/contacts/1 PATCH:/crm/v3/objects/contacts/1 \
  DELETE:/crm/v3/objects/contacts/1 HEAD:/account-info/v3/details
allow='GET, HEAD, POST, PUT, PATCH, DELETE'
is "$(printf '%s\n' "$out" | sed -n 1,3p | cut -d'|' -f1 | tr '\n' ';')" "405 $allow;405 $allow;405 $allow;" \
  "--proxy: TRACE, OPTIONS and a lower-case get are refused with 405 and Allow"
like "$(printf '%s\n' "$out" | sed -n 1p)" "TRACE is not forwarded" "--proxy: the 405 says which method"
is "$(printf '%s\n' "$out" | sed -n 4,7p | cut -c1-3 | tr '\n' ' ')" "404 404 404 404 " \
  "--proxy: PUT, PATCH, DELETE and HEAD are answered by HubSpot (the stand-in has no such routes)"
is "$(grep -cE '^(PUT|PATCH|DELETE) /crm/v3/objects/contacts/1 404$|^HEAD /account-info/v3/details 404$' "$STANDIN_DIR/log")" 4 \
  "--proxy: PUT, PATCH, DELETE and HEAD reached HubSpot"
unlike "$(cat "$STANDIN_DIR/log")" '^(TRACE|OPTIONS|get) ' "--proxy: none of the refused methods reached HubSpot"

# ---- kept connections ----
# One connection from COMMAND serves request after request, whatever the
# method and whether its answer has a body; upstream, the proxy keeps its
# connection to HubSpot for the next request instead of a new TLS
# handshake for each.
run "$HS_EXEC" --proxy prod -- sh -c '
  "$2" POST reset-counters >/dev/null
  python3 "$1" keep GET:/account-info/v3/details HEAD:/account-info/v3/details \
    POST:/crm/v3/objects/contacts GET:/crm/v3/objects/contacts \
    DELETE:/crm/v3/objects/contacts/1 GET:/account-info/v3/details sockets
  python3 "$1" GET:/account-info/v3/details GET:/account-info/v3/details
  "$2" GET counters' sh "$client" "$E2E_SCRATCH/ctl"
is "$(printf '%s\n' "$out" | sed -n 1,9p | tr '\n' ' ')" "200 404 201 200 404 200 sockets=1 200 200 " \
  "--proxy: one client connection serves requests one after another"
like "$(printf '%s\n' "$out" | sed -n 10p)" '"connections": *1[,}]' \
  "--proxy: eight requests from two clients take one connection to HubSpot"
# A response without a Content-Length (HubSpot's chunks, undone by the
# proxy's client) goes on in chunks of the proxy's, and the connection
# stays.
ctl POST fault '{"kind": "chunked", "count": 1, "path": "/crm/v3/objects/contacts"}' >/dev/null
run "$HS_EXEC" --proxy prod -- python3 "$client" keep verbose GET:/crm/v3/objects/contacts \
  GET:/account-info/v3/details sockets
is "$(printf '%s\n' "$out" | cut -d'|' -f2 | tr '\n' ';')" "in chunks;;sockets=1;" \
  "--proxy: a body without a length reaches COMMAND whole, in chunks, and the connection stays"
like "$(printf '%s\n' "$out" | sed -n 1,2p | tr '\n' ' ')" '^200 \|in chunks 200 \|' \
  "--proxy: both answered 200"

# ---- forced refreshes ----
# A token HubSpot keeps refusing: the first refusal refreshes it, the token
# that refresh gave is not refreshed again on a 401, however many requests
# COMMAND makes.
run "$HS_EXEC" --proxy $APP -- sh -c '
  "$2" POST reset-counters >/dev/null
  "$2" POST fault "{\"kind\": \"expired\", \"count\": -1, \"path\": \"/crm/v3/objects/contacts\"}" >/dev/null
  python3 "$1" GET:/crm/v3/objects/contacts GET:/crm/v3/objects/contacts GET:/crm/v3/objects/contacts \
    GET:/crm/v3/objects/contacts GET:/crm/v3/objects/contacts parallel=5 GET:/crm/v3/objects/contacts' \
  sh "$client" "$E2E_SCRATCH/ctl"
ctl POST clear-faults >/dev/null
is "$(counts "$out")" "10×401" "--proxy: HubSpot's 401s reach COMMAND"
is "$(token_requests)" 1 "--proxy: ten refused requests force one refresh, not ten"

# ---- --format hubspot-cli ----
# The HubSpot CLI needs the personal access key itself, which --proxy keeps
# from COMMAND: the two are refused together.
run "$HS_EXEC" --proxy --format hubspot-cli $CLI -- sh -c 'printf %s "${HUBSPOT_PERSONAL_ACCESS_KEY-}"'
fails_with 1 hs-exec "--proxy with --format hubspot-cli"
like "$err" "personal access key" "--proxy with --format hubspot-cli: says why"
unlike "$out$err" "$PAK" "--proxy with --format hubspot-cli: the key reaches no one"

finish
