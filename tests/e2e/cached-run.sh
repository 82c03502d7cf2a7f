#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-exec's cached run: `hs-exec PROFILE -- COMMAND` on an access token in
# the kernel keyring's cache is done by the front end, which maps the C
# library and keyutils only (helper/hs-exec.c), and must be the same run as
# the full program's: the same environment for COMMAND, the same audit and
# usage lines, the same errors.  Every other run loads hs-exec-main.so.
# The programs as installed (HS_EXEC_PLAIN_BIN under make check: the build
# tree's front end, which loads the build tree's module) and the test build.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"oauth_clients": {"cid-c": {"client_secret": "cs-cached-1",
   "refresh_tokens": {"rt-cached-1": {"hub_id": 61}}}}}
JSON
standin_start
EXEC=${HS_EXEC_PLAIN_BIN:-$HS_EXEC}
app=$(tagged app)
run --in "$(printf 'client_secret=cs-cached-1\nrefresh_token=rt-cached-1')" \
  "$HS_TOKEN" add "$app" --kind oauth --client-id cid-c
is "$status" 0 "add an oauth profile"
audit="$XDG_STATE_HOME/hs-exec/audit.jsonl"
usage="$XDG_STATE_HOME/hs-exec/usage.jsonl"

# The first run refreshes (the full program), the next ones are cached.
run "$EXEC" "$app" -- true
is "$status" 0 "first run: refreshed and cached"
before=$(token_requests)

# What the dynamic linker loads for a cached run, and for one that is not.
run env LD_DEBUG=libs "$EXEC" "$app" -- true
is "$status" 0 "cached run: exit 0"
unlike "$err" "libglib|libgio|libjson-glib|libcurl|libsecret|hs-exec-main" \
  "cached run: no GLib, GIO, json-glib, libcurl, libsecret, nor the full program"
run env LD_DEBUG=libs "$EXEC" --min-ttl 1 "$app" -- true
like "$err" "hs-exec-main.so" "a run with an option loads the full program"
like "$err" "libglib-2.0" "…and GLib with it"
is "$(token_requests)" "$before" "neither asked HubSpot for a token"

# The same environment as the full program gives, whichever did the run.
envs() { env -u LD_DEBUG "$@" -- sh -c 'env | grep -E "^(HUBSPOT_[A-Z_]*|HS_EXEC_PROFILE|HS_EXEC_EXPIRES_AT)=" | sort'; }
fast=$(HUBSPOT_API_KEY=old HUBSPOT_ACCESS_TOKEN=stale HS_EXEC_EXPIRES_AT=x envs "$EXEC" "$app")
full=$(HUBSPOT_API_KEY=old HUBSPOT_ACCESS_TOKEN=stale HS_EXEC_EXPIRES_AT=x envs "$EXEC" --min-ttl 1 "$app")
is "$fast" "$full" "COMMAND's HUBSPOT_* and HS_EXEC_* are the full program's"
is "$(printf '%s\n' "$fast" | sed 's/=.*//' | tr '\n' ' ')" \
  "HS_EXEC_EXPIRES_AT HS_EXEC_PROFILE HUBSPOT_ACCESS_TOKEN HUBSPOT_ACCOUNT_ID HUBSPOT_PORTAL_ID " \
  "…the token, the hub, the profile and its expiry; inherited HUBSPOT_* gone"
like "$fast" "HUBSPOT_PORTAL_ID=61" "…the hub the token is for"
unlike "$fast" "stale|old" "…nothing inherited is left"

# The same audit and usage lines.
: >"$audit"
: >"$usage"
run "$EXEC" "$app" -- ./"$(printf 'odd\tname')"
is "$status" 127 "cached run, COMMAND not found: exit 127"
is "$err" "hs-exec: ./$(printf 'odd\tname'): command not found; check its name and PATH" \
  "…with the full program's message"
run "$EXEC" --min-ttl 1 "$app" -- ./"$(printf 'odd\tname')"
is "$status" 127 "full run, COMMAND not found: exit 127"
python3 - "$audit" "$usage" "$app" >"$E2E_SCRATCH/lines" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
u = [json.loads(l) for l in open(sys.argv[2])]
for x in a: x.pop("time")
for x in u: x.pop("time")
print(len(a), len(u), a[0] == a[1], u[0] == u[1], a[0]["command"], a[0]["event"],
      a[0]["profile"] == sys.argv[3], sorted(a[0]))
PY
is "$(cat "$E2E_SCRATCH/lines")" \
  "2 2 True True odd	name exec True ['command', 'event', 'outcome', 'profile', 'uid']" \
  "audit and usage lines: well-formed JSON, the same from both, the command's name escaped"
perm=$(stat -c %a "$audit")
is "$perm" 600 "the audit file stays 0600"

# A cache entry this version did not write (an older one's JSON) is no
# entry: the full program refreshes and writes its own.
desc="hs-exec:$app"
keyctl unlink "$(keyctl search @u user "$desc")" @u >/dev/null 2>&1
# plant DESC: stdin as the key DESC in @u, readable by the user from any
# session as the programs' own entries are.
plant() {
  in_session linked sh -c 'k=$(keyctl padd user "$1" @u) && keyctl setperm "$k" 0x3f0b0000' \
    plant "$1" >/dev/null
}
plant "$desc" <<<'{"access_token":"from-an-older-version","expires_at":4102444800}'
exec_token "$app"
is "$status" 0 "an entry in the older format: exit 0"
unlike "$out" "from-an-older-version" "…its token is not used"
is "$(token_requests)" "$((before + 1))" "…a refresh replaced it"
exec_token "$app"
is "$(token_requests)" "$((before + 1))" "…and the next run uses the new entry"

# A token that expires within --min-ttl's default (300 s) is refreshed by
# the full program, not handed out by the front end.
key=$(keyctl search @u user "$desc")
payload=$(keyctl pipe "$key" 2>/dev/null) || payload=
if [ -n "$payload" ]; then
  soon=$(($(date +%s) + 120))
  keyctl unlink "$key" @u >/dev/null 2>&1
  printf '%s\n' "$payload" | sed "s/^expires_at=.*/expires_at=$soon/" |
    plant "$desc"
  exec_token "$app"
  is "$(token_requests)" "$((before + 2))" "a token with 120 s left: refreshed first"
else
  ok "# SKIP the cache entry cannot be read back here"
fi
finish
