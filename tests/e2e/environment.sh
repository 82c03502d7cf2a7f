#!/bin/bash
# SPDX-License-Identifier: MIT
# environment.sh — no variable of the environment changes where a credential
# is sent, which CA is trusted or which plugin is loaded (hs-exec.conf(5)):
# with HS_EXEC_API_BASE naming another listener and HS_EXEC_CA_FILE another
# CA bundle, hs-token add, an OAuth refresh and a --proxy request still go
# to the stand-in the test's hs-exec.conf names, and nothing reaches the
# other listener.  HS_EXEC_PLUGIN_DIR and HS_EXEC_FAKE_NOW do nothing to
# the programs as installed (the test builds of `make check` read them).
# And neither program runs setuid.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
# The OAuth profile leaves its cached token in @u: this run's own.
APP=$(tagged app)

# The programs as they get installed: the installed ones under installcheck,
# the build tree's (not the test builds) under make check, which find the
# build tree's plugin by path in the config.
EXEC=${HS_EXEC_PLAIN_BIN:-$HS_EXEC}
TOKEN=${HS_TOKEN_PLAIN_BIN:-$HS_TOKEN}

PAT=pat-na1-7d1e2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b
CSECRET=cs-environment-5e1a
RT=na1-rt-environment-8f2c
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": []}},
 "oauth_clients": {"cid-env": {"client_secret": "$CSECRET",
     "refresh_tokens": {"$RT": {"hub_id": 4242, "scopes": ["oauth"]}}}}}
JSON
hs_conf "$(printf '[stores]\norder=%s/secret-service.so' "$PLUGIN_SO_DIR")"
standin_start

# The other host: a TCP listener that records every connection it accepts.
OTHER_LOG="$E2E_SCRATCH/other-host.log"
: >"$OTHER_LOG"
python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1] + ".port", "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    with open(sys.argv[1], "a") as f: f.write("connection\n")
    c.close()' "$OTHER_LOG" &
other=$!
trap 'kill $other $STANDIN_PID 2>/dev/null; wait $other $STANDIN_PID 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$OTHER_LOG.port" ] && break; sleep 0.05; done
OTHER="https://127.0.0.1:$(cat "$OTHER_LOG.port")"
# What a repository's .env could put in the environment: another HubSpot,
# another CA, and another Secret Service (libsecret's own variable).
DECOY_BUS=org.example.HsExecDecoy
hostile=(env HS_EXEC_API_BASE="$OTHER" HS_EXEC_CA_FILE=/etc/ssl/certs/ca-certificates.crt
  SECRET_SERVICE_BUS_NAME="$DECOY_BUS")

run --in "$PAT" "${hostile[@]}" "$TOKEN" add prod --kind private-app
is "$status" 0 "add: verified with the configured stand-in"
like "$out" "hub 12345678" "add: the stand-in's answer"
run --in "$(printf 'client_secret=%s\nrefresh_token=%s\n' "$CSECRET" "$RT")" \
  "${hostile[@]}" "$TOKEN" add $APP --kind oauth --client-id cid-env
is "$status" 0 "add oauth: refreshed with the configured stand-in"

ctl POST reset-counters >/dev/null
run "${hostile[@]}" "$EXEC" --min-ttl 999999 $APP -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$status" 0 "an OAuth refresh works"
is "$(token_requests)" 1 "the refresh (client secret, refresh token) went to the configured stand-in"
like "$out" "." "the refreshed token reached COMMAND"
is "$(printf '%s\n' "$api_notes" | grep -c .)" 1 "one note a run says where HubSpot is"
like "$api_notes" "^hs-exec: note: HubSpot API at $STANDIN_BASE, not https://api.hubapi.com" "the note names the configured base"
unlike "$api_notes" "$OTHER" "the note does not name the environment's"

run "${hostile[@]}" "$EXEC" --proxy prod -- python3 -c '
import os, urllib.request
req = urllib.request.Request(os.environ["HUBSPOT_API_BASE"] + "/account-info/v3/details",
    headers={"Authorization": "Bearer " + os.environ["HUBSPOT_ACCESS_TOKEN"]})
print(urllib.request.urlopen(req).read().decode())'
is "$status" 0 "--proxy: the request succeeds"
like "$out" '"portalId": ?12345678' "--proxy: the private-app token went to the configured stand-in"

is "$(grep -c . "$OTHER_LOG")" 0 "nothing reached the host HS_EXEC_API_BASE names"
run "${hostile[@]}" "$TOKEN" show prod
is "$status" 0 "the profile is in the Secret Service, not at SECRET_SERVICE_BUS_NAME"
run env SECRET_SERVICE_BUS_NAME="$DECOY_BUS" "${SECRET_TOOL:-secret-tool}" lookup profile prod
is "$status:$out" "1:" "…where libsecret itself would have looked, and found nothing (the probe works)"
curl -sk --max-time 2 "$OTHER" >/dev/null 2>&1
is "$(grep -c . "$OTHER_LOG")" 1 "…which would have seen it (the probe works)"

# A repository's config file cannot say where: not the user's own, or
# writable by others, it is refused.
chmod 0666 "$HS_CONF"
run "$TOKEN" list
fails_with 6 hs-token "[hubspot] api-base in a world-writable config file"
like "$err" "api-base is accepted only from a config file owned by root or you" "…says why"
chmod 0600 "$HS_CONF"

# hs-token's clock: HS_EXEC_FAKE_NOW 400 days on makes the token overdue
# only in a test build.
later=$(( $(date +%s) + 400 * 86400 ))
run env HS_EXEC_FAKE_NOW="$later" "$TOKEN" check prod
is "$status" 0 "HS_EXEC_FAKE_NOW does not move the installed programs' clock"
unlike "$out" "overdue" "…the token is not overdue"
if test_hooks; then
  run env HS_EXEC_FAKE_NOW="$later" "$HS_TOKEN" check prod
  like "$out" "overdue" "…while the test build's clock moves (the probe works)"
fi

# The plugin directory: plugins by name from $(libdir)/hs-exec/plugins
# only.  A decoy "secret-service.so" that would be refused by name if it
# were ever looked at.
hs_conf ""
decoy="$E2E_SCRATCH/decoy-plugins"
mkdir -p "$decoy"
printf 'not a plugin\n' >"$decoy/secret-service.so"
run env HS_EXEC_PLUGIN_DIR="$decoy" "$TOKEN" list
unlike "$err" "$decoy" "hs-token does not look in HS_EXEC_PLUGIN_DIR"
run env HS_EXEC_PLUGIN_DIR="$decoy" "$EXEC" prod -- true
unlike "$err" "$decoy" "hs-exec does not look in HS_EXEC_PLUGIN_DIR"
if [ -z "${HS_EXEC_PLAIN_BIN:-}" ]; then
  is "$status" 0 "…and uses the installed plugin"
fi
if test_hooks; then
  run env HS_EXEC_PLUGIN_DIR="$decoy" "$HS_EXEC" prod -- true
  like "$err" "$decoy/secret-service.so" "…while the test build does (the probe works)"
fi

# Neither program runs with privileges: setuid, they refuse (as root only:
# a setuid copy runs as nobody, whose AT_SECURE the kernel sets).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  suid=$(mktemp -d /tmp/hs-e2e-suid.XXXXXX)
  chmod 755 "$suid"
  for prog in "$EXEC" "$TOKEN"; do
    name=$(basename "$prog")
    cp "$prog" "$suid/$name"
    chmod 4755 "$suid/$name"
    run setpriv --reuid=65534 --regid=65534 --clear-groups "$suid/$name" --version
    if [ "$status" = 0 ] && [ "$(stat -c %a "$suid/$name")" = 4755 ] &&
      findmnt -n -o OPTIONS --target "$suid" | grep -qw nosuid; then
      ok "# SKIP $suid is on a nosuid mount"
      continue
    fi
    fails_with 6 "${name%-faults}" "$name setuid root"
    like "$err" "setuid" "$name setuid: says why"
  done
  rm -rf "$suid"
else
  ok "# SKIP a setuid copy needs root"
fi
finish
