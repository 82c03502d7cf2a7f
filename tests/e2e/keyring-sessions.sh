#!/bin/bash
# SPDX-License-Identifier: MIT
# The kernel keyring as users meet it, with the programs' default (the
# user keyring), in both kinds of session: `plain` (a `keyctl session` that
# does not link @u: ssh, cron, CI, system services) and `linked` (one that
# does, as a desktop login's).  Each command runs in a new session of the
# kind, as the next job would.  The token cache: written, read, dropped, a
# timeout on every key; the keyctl store: add (with --ttl), exec, remove
# from another session; a refresh storm: one token request, no failure;
# and the kernel keyring blocked by seccomp (tests/seccomp/no-keyctl).
# A third kind, a process with no session keyring of its own, runs the
# same checks.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
STORM=${STORM:-100}
PAT=pat-na1-6a1d2c3b-4e5f-4a7b-8c9d-0e1f2a3b4c5d
PAT2=pat-na1-7b2e3d4c-5f6a-4b8c-9d0e-1f2a3b4c5d6e
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 515, "hublet": "na1", "scopes": []},
                  "$PAT2": {"hub_id": 515, "hublet": "na1", "scopes": []}},
 "oauth_clients": {"cid-k": {"client_secret": "cs-keyring-1",
     "refresh_tokens": {"rt-keyring-plain": {"hub_id": 51},
                        "rt-keyring-linked": {"hub_id": 52},
                        "rt-keyring-usersession": {"hub_id": 54},
                        "rt-keyring-blocked": {"hub_id": 53}}}}}
JSON
standin_start
conf="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
hs_conf "$(printf '[stores]\norder=secret-service keyctl')"

# The next kind: each runs what the one before it made.
other() { case $1 in plain) echo linked ;; linked) echo usersession ;; *) echo plain ;; esac; }
# The /proc/keys line of the key described DESC in @u: its expiry ($4),
# perm ($5).  Found by id: a key invalidated, or unlinked when a newer one
# took its place, stays listed until the kernel collects it.
key_line() {
  local id
  id=$(keyctl search @u user "$1" 2>/dev/null) || return 0
  awk -v id="$(printf %08x "$id")" '$1 == id' /proc/keys
}

# storm KIND PROFILE N [WRAPPER…]: N hs-exec at once, children of one new
# session of KIND; sets $failures.
storm() {
  local kind=$1 profile=$2 n=$3 dir="$E2E_SCRATCH/storm-$1"
  shift 3
  rm -rf "$dir"
  mkdir -p "$dir"
  in_session "$kind" bash -c '
    dir=$1 n=$2 profile=$3; shift 3
    for i in $(seq "$n"); do
      ( "$@" "$HS_EXEC_BIN" "$profile" -- true 2>"$dir/$i.err" || echo "$?" >"$dir/$i.failed" ) &
    done
    wait' storm "$dir" "$n" "$profile" "$@"
  failures=$(find "$dir" -name '*.failed' | wc -l)
  [ "$failures" = 0 ] || sed 's/^/#   /' "$dir"/*.err | sort | uniq -c | head -5
}

# usersession: a process with no session keyring of its own, which uses the
# user-session keyring (@us, which links @u), joined by its name.
run in_session usersession sh -c 'test "$(keyctl id @s)" = "$(keyctl id @us)"'
is "$status" 0 "set-up: the usersession kind runs in the user-session keyring"
for kind in plain linked usersession; do
  P=$(tagged "oauth-$kind")
  # ---- the token cache ----
  run --in "$(printf 'client_secret=cs-keyring-1\nrefresh_token=rt-keyring-%s\n' "$kind")" \
    in_session "$kind" "$HS_TOKEN" add "$P" --kind oauth --client-id cid-k
  is "$status" 0 "$kind: add an oauth profile"
  line=$(key_line "hs-exec:$P")
  like "$line" "hs-exec:$P:" "$kind: add cached the access token in the user keyring"
  like "$(echo "$line" | awk '{print $4}')" "^(2[0-9]|30)m$" "$kind: the cache key expires with the token"
  is "$(echo "$line" | awk '{print $5}')" 3f0b0000 "$kind: possessor all; user view, read, search; nothing else"
  ctl POST reset-counters >/dev/null
  run in_session "$kind" "$HS_EXEC" "$P" -- true
  is "$status:$(token_requests)" "0:0" "$kind: the next session takes the cached token, no token request"
  run in_session "$(other "$kind")" "$HS_EXEC" "$P" -- true
  is "$status:$(token_requests)" "0:0" "$kind: so does a session of the other kind"
  run "$HS_EXEC" "$P" -- true
  is "$status:$(token_requests)" "0:0" "$kind: and a child of the test's own session"
  in_session "$kind" keyctl invalidate "$(cache_id "$P")"
  is "$(cache_id "$P")" "" "$kind: the user can invalidate the key from a session that does not possess it"
  run in_session "$kind" "$HS_EXEC" "$P" -- true
  is "$status:$(token_requests)" "0:1" "$kind: with no cache, one refresh"
  like "$(key_line "hs-exec:$P" | awk '{print $4}')" "^(2[0-9]|30)m$" "$kind: which is cached again, with its timeout"
  ctl POST reset-counters >/dev/null
  run in_session "$kind" "$HS_EXEC" "$P" -- true
  is "$status:$(token_requests)" "0:0" "$kind: and used by the next session"

  # ---- a refresh storm on an expired token ----
  drop_cache "$P"
  ctl POST reset-counters >/dev/null
  storm "$kind" "$P" "$STORM"
  is "$failures" 0 "$kind: $STORM concurrent hs-exec on an expired token: none fails"
  is "$(token_requests)" 1 "$kind: $STORM concurrent hs-exec on an expired token: one token request"
  echo "# figure: storm $kind: $STORM runs, $(token_requests) token requests, $failures failures"

  # ---- the keyctl store ----
  S=$(tagged "store-$kind")
  run --in "$PAT" in_session "$kind" "$HS_TOKEN" add "$S" --kind private-app --store keyctl --ttl 8h
  is "$status" 0 "$kind: add --store keyctl --ttl 8h"
  line=$(key_line "hs-exec-profile:$S")
  like "$(echo "$line" | awk '{print $4}')" "^[78]h$" "$kind: the profile's key expires in 8 h (/proc/keys)"
  is "$(echo "$line" | awk '{print $5}')" 3f0b0000 "$kind: and grants the user view, read and search only"
  run in_session "$(other "$kind")" "$HS_EXEC" "$S" -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
  is "$status:$out" "0:$PAT" "$kind: a session of the other kind runs with the profile"
  run in_session "$kind" "$HS_TOKEN" list --json
  like "$out" "\"profile\" *: *\"$S\"" "$kind: list from a new session shows it"
  run in_session "$(other "$kind")" "$HS_TOKEN" remove "$S"
  is "$status" 0 "$kind: remove from a session of the other kind"
  is "$(key_line "hs-exec-profile:$S")" "" "$kind: no key left in the user keyring"
  R=$(tagged "rm-$kind")
  run --in "$PAT" in_session "$(other "$kind")" "$HS_TOKEN" add "$R" --kind private-app --no-verify --store keyctl
  run in_session "$kind" "$HS_TOKEN" remove "$R"
  is "$status:$(key_line "hs-exec-profile:$R")" "0:" "$kind: remove what a session of the other kind added"

  # ---- doctor ----
  run in_session "$kind" "$HS_TOKEN" doctor
  like "$out" "cache +ok +the kernel keyring holds access tokens" "$kind: doctor: the cache works"
  is "$(key_line hs-exec:.doctor-probe)" "" "$kind: doctor's probe key is gone"
done

# ---- --ttl: what it takes and where ----
run --in "$PAT" "$HS_TOKEN" add "$(tagged ttl-bad)" --kind private-app --no-verify --store keyctl --ttl 8x
fails_with 1 hs-token "--ttl 8x"
like "$err" "not a duration.*30m, 8h, 2d" "--ttl 8x: says the form"
run --in "$PAT" "$HS_TOKEN" add "$(tagged ttl-ss)" --kind private-app --no-verify --store secret-service --ttl 8h
fails_with 1 hs-token "--ttl for the Secret Service"
like "$err" "secret-service cannot give a profile a lifetime" "--ttl for the Secret Service: says why"
T=$(tagged ttl-short)
run --in "$PAT" "$HS_TOKEN" add "$T" --kind private-app --no-verify --store keyctl --ttl 30m
like "$(key_line "hs-exec-profile:$T" | awk '{print $4}')" "^(29|30)m$" "--ttl 30m: the key expires in 30 min"
# A later save keeps the lifetime: a rotation rewrites the record.
run --in "$PAT2" "$HS_TOKEN" rotate "$T"
is "$status" 0 "--ttl: rotate the profile's token"
like "$(key_line "hs-exec-profile:$T" | awk '{print $4}')" "^(29|30)m$" "--ttl: the rotated record's key still expires when the first did"
run "$HS_TOKEN" remove "$T"

# ---- the kernel keyring blocked (seccomp, as in a container) ----
B=$(tagged oauth-blocked)
run --in "$(printf 'client_secret=cs-keyring-1\nrefresh_token=rt-keyring-blocked\n')" \
  "$NO_KEYCTL" "$HS_TOKEN" add "$B" --kind oauth --client-id cid-k --store secret-service
is "$status" 0 "keyctl blocked: add to the Secret Service"
run "$NO_KEYCTL" "$HS_TOKEN" doctor
is "$status" 3 "keyctl blocked: doctor exits 3"
like "$out" "cache +PROBLEM +the kernel keyring cannot be used \(storing a key: Function not implemented\)" \
  "keyctl blocked: doctor's cache line is a problem"
like "$out" "fix: allow the add_key, keyctl and request_key system calls" "keyctl blocked: with its fix"
# Every run refreshes, one after another.  Each refresh takes 1.5 s here,
# so the queue outlasts the 20 s a run waits for one holder of the lock:
# a run still waits as long as the holders keep changing.
n=16
ctl POST reset-counters >/dev/null
ctl POST fault '{"kind": "hang", "count": -1, "delay": 1.5, "path": "/oauth/"}' >/dev/null
storm plain "$B" "$n" "$NO_KEYCTL"
ctl POST clear-faults >/dev/null
is "$failures" 0 "keyctl blocked: $n concurrent hs-exec whose refreshes queue past 20 s: none fails"
is "$(token_requests)" "$n" "keyctl blocked: each refreshes for itself (no cache to share)"
echo "# figure: storm blocked: $n runs, $(token_requests) token requests, $failures failures"
is "$(key_line "hs-exec:$B")" "" "keyctl blocked: nothing cached"
run "$HS_TOKEN" remove "$B"

# ---- nothing of this run without a timeout ----
is "$(untimed_cache_keys)" "" "no hs-exec: key of this run without a timeout in the user keyring"
finish
