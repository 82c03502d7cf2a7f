#!/bin/bash
# SPDX-License-Identifier: MIT
# The D-Bus calls of one Secret Service lookup, counted with dbus-monitor
# against `secret-tool lookup` of the same item: no more than it makes.  The
# search is the first call (it starts the service, bounded), no probe before
# it, no start or properties of the service asked for again, no object per
# item, no unlock of what is not locked, one session and its secret; and
# `list` asks for attributes only, one search, each item once however many
# there are.
set -u
. "$E2E_DIR/lib/e2e.sh"

TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
command -v dbus-monitor >/dev/null || { echo "1..0 # SKIP no dbus-monitor"; exit 0; }

# calls CMD…: the method calls CMD makes on the session bus, one
# "INTERFACE.MEMBER PATH" a line, the bus's signal matches left out.
calls() {
  local log="$E2E_SCRATCH/monitor.log" pid
  dbus-monitor --session "type='method_call'" >"$log" 2>/dev/null &
  pid=$!
  # The monitor is in place once its own call shows.
  for _ in $(seq 50); do grep -q BecomeMonitor "$log" 2>/dev/null && break; sleep 0.1; done
  "$@" >/dev/null 2>&1
  sleep 0.3
  kill "$pid"; wait "$pid" 2>/dev/null
  grep '^method call' "$log" |
    sed -n 's/.*path=\([^;]*\); interface=\([^;]*\); member=\(.*\)$/\2.\3 \1/p' |
    grep -vE 'DBus\.(AddMatch|RemoveMatch|BecomeMonitor) '
}
count() { printf '%s\n' "$1" | grep -cE -- "$2"; }

run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify
is "$status" 0 "added"
ours=$(calls "$HS_EXEC" prod -- true)
theirs=$(calls secret-tool lookup profile prod)
is "$(printf '%s\n' "$ours" | grep -vE '^org.freedesktop.DBus.Hello ' | head -1)" \
  "org.freedesktop.Secret.Service.SearchItems /org/freedesktop/secrets" \
  "lookup: the search is the first call to the service, no probe before it"
is "$(count "$ours" '(Peer.Ping|StartServiceByName|Properties.GetAll /org/freedesktop/secrets$)')" 0 \
  "lookup: the service is not started again, nor its properties loaded"
is "$(count "$ours" '^org.freedesktop.Secret.Service.SearchItems ')" 1 "lookup: one search"
is "$(count "$ours" ' /org/freedesktop/secrets/collection/.*/' | tr -d ' ')" \
  "$(count "$ours" '^org.freedesktop.DBus.Properties.Get /org/freedesktop/secrets/collection/')" \
  "lookup: of the item only its attributes, no object made for it"
is "$(count "$ours" '\.Unlock ')" 0 "lookup: nothing unlocked that was not locked"
is "$(count "$ours" '^org.freedesktop.Secret.(Service.GetSecrets|Item.GetSecret) ')" 1 \
  "lookup: the secret in one call"
n_ours=$(count "$ours" .) n_theirs=$(count "$theirs" .)
is "$((n_ours <= n_theirs))" 1 "lookup: no more calls than secret-tool's $n_theirs (made $n_ours)"
missing=$(calls "$HS_EXEC" nosuch -- true)
is "$(count "$missing" '^org.freedesktop.Secret.Service.SearchItems ')" 2 \
  "a missing profile: searched for once, and the profiles once for 'did you mean'"

for i in 1 2 3; do
  run --in "pat-na1-0000000$i-0000-4000-8000-000000000000" "$HS_TOKEN" add "p$i" --kind private-app --no-verify
done
listed=$(calls "$HS_TOKEN" list)
is "$(count "$listed" '^org.freedesktop.Secret.Service.SearchItems ')" 1 "list: one search"
is "$(count "$listed" '^org.freedesktop.DBus.Properties.Get /org/freedesktop/secrets/collection/')" 4 \
  "list: each item's attributes"
is "$(count "$listed" 'GetSecret|OpenSession|GetAll /org/freedesktop/secrets/collection/')" 0 \
  "list: no secret, no object per item"

# More items than list() asks about at once (64): each asked for once, every
# profile listed once and in order, and the last use on the rows used.
for i in $(seq 4 80); do
  printf 'pat-na1-%08d-0000-4000-8000-000000000000\n' "$i" |
    "$HS_TOKEN" add "p$i" --kind private-app --no-verify >/dev/null 2>&1 ||
    not_ok "added p$i"
done
"$HS_EXEC" p70 -- true && "$HS_EXEC" p7 -- true || not_ok "ran p70 and p7"
listed=$(calls "$HS_TOKEN" list)
is "$(count "$listed" '^org.freedesktop.Secret.Service.SearchItems ')" 1 "list of 81: one search"
is "$(count "$listed" '^org.freedesktop.DBus.Properties.Get /org/freedesktop/secrets/collection/')" 81 \
  "list of 81: each item's attributes asked for once"
is "$(printf '%s\n' "$listed" | grep '^org.freedesktop.DBus.Properties.Get ' | sort | uniq -d)" "" \
  "list of 81: no item asked for twice"
run "$HS_TOKEN" list
is "$status" 0 "list of 81: exit 0"
is "$(printf '%s\n' "$out" | sed 1d | awk '{print $1}' | tr '\n' ' ')" \
  "$(printf '%s\n' prod p{1..80} | LC_ALL=C sort | tr '\n' ' ')" \
  "list of 81: every profile once, in order"
is "$(printf '%s\n' "$out" | awk '$5 != "-" {print $1}' | sed 1d | tr '\n' ' ')" \
  "p7 p70 prod " "list of 81: the last use on the profiles used, and only there"
finish
