#!/bin/bash
# SPDX-License-Identifier: MIT
# faults.sh — what hs-token and hs-exec do when things go wrong, as a
# table: every HubSpot fault (FAULTS) during every operation (OPS), then the
# system's faults one by one.  Each case checks the exit code (docs/design.md,
# "Exit codes"), exactly one stderr line "hs-exec: …"/"hs-token: …" (a line
# "…: warning: …" or "…: note: …" is allowed besides it and counted
# apart), and that the stored credential is unchanged (or, for a success,
# still works).  Every case's observed exit code is printed as a TAP comment
# "# fault-table: OPERATION | FAULT | EXIT" (and appended to
# $FAULT_TABLE_FILE when set) for the issue's closing note.
#
# Adding a row: an operation is a function op_NAME FAULT that runs one
# command under the fault and sets $status/$err (see op_verify); add NAME to
# OPS.  A fault is a word in FAULTS that set_fault knows.  An operation whose
# command does not exist yet is detected at run time (see the rotate row).
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
# The profiles whose tokens are cached in the user keyring: this run's own
# (the fault table names them without the tag).
OAUTH=$(tagged oauth) PAKP=$(tagged pak) REVOKE=$(tagged revoke)
# Short backoff and a short whole-request timeout (the test builds' hooks),
# so that a hang costs 3 x 0.8 s, not 3 x 15 s.
export HS_EXEC_RETRY_BASE_MS=1 HS_EXEC_HTTP_TIMEOUT_MS=800

PAT=pat-na1-5b0f4c1e-2a7d-4e93-8c61-0d9e8f7a6b5c
PAK=CiRuYTEtZmF1bHRzLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMQ
CSECRET=cs-faults-7f3a91
RT=na1-rt-faults-2c8e4d
RT_REVOKE=na1-rt-faults-revoke-91ab
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 4242, "hublet": "na1", "scopes": []}},
 "oauth_clients": {"cid-f": {"client_secret": "$CSECRET",
     "refresh_tokens": {"$RT": {"hub_id": 42, "scopes": ["oauth"]},
                        "$RT_REVOKE": {"hub_id": 42, "scopes": ["oauth"]}}}},
 "personal_access_keys": {"$PAK": {"hub_id": 777, "user_id": 5}}}
JSON
standin_start
# Another self-signed certificate for the same names: a TLS failure.
WRONG_CA="$E2E_SCRATCH/wrong-ca.pem"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$E2E_SCRATCH/wrong-key.pem" \
  -out "$WRONG_CA" 2>/dev/null

table() { # OPERATION FAULT STATUS
  echo "# fault-table: $1 | $2 | $3"
  [ -n "${FAULT_TABLE_FILE:-}" ] && echo "$1 | $2 | $3" >>"$FAULT_TABLE_FILE"
  return 0
}

# The error lines of $err: warnings and notes aside.
error_lines() { printf '%s\n' "$err" | grep -v '^$' | grep -Ev '^hs-(exec|token): (warning|note): '; }

# check CASE WANT PROG: exit WANT, one error line "PROG: …" on stderr.
check() {
  local name=$1 want=$2 prog=$3
  is "$status" "$want" "$name: exit $want"
  if [ "$want" != 0 ]; then
    like "$(error_lines)" "^$prog: " "$name: says '$prog: …'"
    is "$(error_lines | wc -l)" 1 "$name: one error line on stderr"
  else
    is "$(error_lines | wc -l)" 0 "$name: no error line"
  fi
}

# ---- HubSpot faults ----
FAULTS="500 502 503 429 429-retry-after garbage truncated hang tls reset"
# The installed programs wait out a hang (3 x 15 s a case): only make check's.
test_hooks || FAULTS=${FAULTS/ hang/}
set_fault() { # FAULT: every request from now on misbehaves so
  case $1 in
    429-retry-after) ctl POST fault '{"kind": "429", "count": -1, "retry_after": 1}' ;;
    hang) ctl POST fault '{"kind": "hang", "count": -1, "delay": 2}' ;;
    tls) hs_conf_write "$STANDIN_BASE" "$WRONG_CA"; return ;;
    *) ctl POST fault "{\"kind\": \"$1\", \"count\": -1}" ;;
  esac >/dev/null
}
clear_fault() {
  hs_conf "$hs_conf_text"
  ctl POST clear-faults >/dev/null
}
# What "Exit codes" says for each: every one of them is "HubSpot or the network
# unavailable after retries".
want_exit() { echo 5; }

reveal() { "$HS_TOKEN" show "$1" --reveal 2>/dev/null; }

# verify: hs-token add of a private-app token; nothing is stored.
op_verify() {
  local p="v-$1"
  set_fault "$1"
  run --in "$PAT" "$HS_TOKEN" add "$p" --kind private-app
  clear_fault
  check "verify under $1" "$(want_exit "$1")" hs-token
  table verify "$1" "$status"
  run "$HS_TOKEN" show "$p"
  is "$status" 2 "verify under $1: nothing stored"
}

# refresh: hs-exec on a profile with no valid cached token; the stored
# record is unchanged and works once HubSpot is back.
op_refresh() { # KIND-PROFILE FAULT
  local p=$1 fault=$2 before
  before=$(reveal "$p")
  drop_cache "$p"
  set_fault "$fault"
  run "$HS_EXEC" "$p" -- true
  clear_fault
  check "refresh $p under $fault" "$(want_exit "$fault")" hs-exec
  table "refresh (${p%-"$E2E_TAG"})" "$fault" "$status"
  is "$(reveal "$p")" "$before" "refresh $p under $fault: stored record unchanged"
  run "$HS_EXEC" "$p" -- true
  is "$status" 0 "refresh $p under $fault: works once HubSpot is back"
}
op_refresh_oauth() { op_refresh "$OAUTH" "$1"; }
op_refresh_pak() { op_refresh "$PAKP" "$1"; }

# revoke: hs-token remove --revoke keeps the profile when HubSpot could not
# be asked, so that the user can try again.  A 200 whose body is garbage is
# HubSpot saying yes (revoke's answer has nothing to read): removed.
op_revoke() {
  local before
  if ! reveal "$REVOKE" >/dev/null; then
    printf 'client_secret=%s\nrefresh_token=%s\n' "$CSECRET" "$RT_REVOKE" |
      "$HS_TOKEN" add "$REVOKE" --kind oauth --client-id cid-f --no-verify >/dev/null
  fi
  before=$(reveal "$REVOKE")
  set_fault "$1"
  run "$HS_TOKEN" remove "$REVOKE" --revoke
  clear_fault
  if [ "$1" = garbage ]; then
    check "revoke under $1" 0 hs-token
    table revoke "$1" "$status"
    run "$HS_TOKEN" show "$REVOKE"
    is "$status" 2 "revoke under $1: HubSpot answered 200, the profile is removed"
    return
  fi
  check "revoke under $1" "$(want_exit "$1")" hs-token
  table revoke "$1" "$status"
  is "$(reveal "$REVOKE")" "$before" "revoke under $1: profile kept, unchanged"
}

# rotate (issue 5): for oauth, a forced refresh; only when hs-token has it.
op_rotate() {
  local before
  before=$(reveal "$OAUTH")
  set_fault "$1"
  run "$HS_TOKEN" rotate "$OAUTH"
  clear_fault
  check "rotate under $1" "$(want_exit "$1")" hs-token
  table "rotate (oauth)" "$1" "$status"
  is "$(reveal "$OAUTH")" "$before" "rotate under $1: stored record unchanged"
}

OPS="verify refresh_oauth refresh_pak revoke"
"$HS_TOKEN" rotate --help >/dev/null 2>&1 && OPS="$OPS rotate"

run --in "$(printf 'client_secret=%s\nrefresh_token=%s\n' "$CSECRET" "$RT")" \
  "$HS_TOKEN" add "$OAUTH" --kind oauth --client-id cid-f
is "$status" 0 "set-up: oauth profile added"
run --in "$PAK" "$HS_TOKEN" add "$PAKP" --kind personal-access-key
is "$status" 0 "set-up: personal-access-key profile added"
run --in "$(printf 'client_secret=%s\nrefresh_token=%s\n' "$CSECRET" "$RT_REVOKE")" \
  "$HS_TOKEN" add "$REVOKE" --kind oauth --client-id cid-f
is "$status" 0 "set-up: oauth profile to revoke added"

for op in $OPS; do
  for fault in $FAULTS; do
    "op_$op" "$fault"
  done
done

# ---- the system's faults ----
run --in "$PAT" "$HS_TOKEN" add static --kind private-app
is "$status" 0 "set-up: private-app profile added"

# A locked keyring (as tests/e2e/locked.sh): a second private session whose
# daemon opens the same keyring file without unlocking it.
. "$E2E_DIR/lib/locked-session.sh"
run locked "$HS_EXEC" static -- true
check "hs-exec on a locked keyring" 3 hs-exec
table "hs-exec (static)" "locked keyring" "$status"

# The D-Bus session gone: a bus of our own with its own keyring daemon,
# killed between add and use.
bus_out=$(dbus-daemon --session --fork --print-address=1 --print-pid=1 2>/dev/null)
bus_addr=$(printf '%s\n' "$bus_out" | sed -n 1p)
bus_pid=$(printf '%s\n' "$bus_out" | sed -n 2p)
printf %s throwaway-pass | DBUS_SESSION_BUS_ADDRESS=$bus_addr \
  "${GNOME_KEYRING_DAEMON:-gnome-keyring-daemon}" --unlock --components=secrets >/dev/null 2>&1
kill "$bus_pid"
for _ in $(seq 50); do kill -0 "$bus_pid" 2>/dev/null || break; sleep 0.1; done
run env DBUS_SESSION_BUS_ADDRESS="$bus_addr" "$HS_EXEC" static -- true
check "hs-exec with the D-Bus session gone" 3 hs-exec
table "hs-exec (static)" "D-Bus session vanished" "$status"
run env DBUS_SESSION_BUS_ADDRESS="$bus_addr" "$HS_TOKEN" list
check "hs-token list with the D-Bus session gone" 3 hs-token
table "hs-token list" "D-Bus session vanished" "$status"
is "$(reveal static | grep -c -- "$PAT")" 1 "D-Bus session gone: the stored token is untouched"
# Its keyring daemon outlives the bus: stop it, found by the bus it was
# started for, so that no daemon is left behind.
for pid in $(pgrep -f gnome-keyring-daemon); do
  if tr '\0' '\n' </proc/"$pid"/environ 2>/dev/null |
    grep -qxF "DBUS_SESSION_BUS_ADDRESS=$bus_addr"; then
    kill "$pid" 2>/dev/null
  fi
done

# keyctl unavailable (the kernel keyring blocked, as in Docker's default
# seccomp profile): the cache is skipped, hs-exec still works through a
# refresh.  $NO_KEYCTL (tests/seccomp/no-keyctl) runs a command with the
# keyring's system calls failing with ENOSYS.
drop_cache "$OAUTH"
run "$NO_KEYCTL" "$HS_EXEC" "$OAUTH" -- true
check "hs-exec oauth with keyctl unavailable" 0 hs-exec
table "hs-exec (oauth)" "keyctl unavailable" "$status"
printf '[stores]\norder=keyctl\n' >"$E2E_SCRATCH/keyctl-only.conf"
hs_conf "$(cat "$E2E_SCRATCH/keyctl-only.conf")"
run "$NO_KEYCTL" "$HS_TOKEN" list
check "hs-token list with keyctl as the only store, unavailable" 3 hs-token
table "hs-token list (order=keyctl)" "keyctl unavailable" "$status"
hs_conf

# The audit log's disk full: writes past its current size fail with EFBIG
# (ulimit -f 0, SIGXFSZ ignored).  The operation succeeds, with one warning.
# Its stderr goes through a pipe: a file there would be "full" too.
audit_log="$XDG_STATE_HOME/hs-exec/audit.jsonl"
size=$(stat -c %s "$audit_log")
run bash -c 'trap "" XFSZ; (ulimit -f 0; exec "$@" 2>&1 >/dev/null) | cat >&2
  exit "${PIPESTATUS[0]}"' full "$HS_EXEC" static -- true
check "hs-exec with the audit log's disk full" 0 hs-exec
table "hs-exec (static)" "audit log disk full" "$status"
like "$err" "^hs-exec: warning: cannot write the audit log" "audit disk full: one warning line"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "audit disk full: nothing else on stderr"
is "$(stat -c %s "$audit_log")" "$size" "audit disk full: the log is not half-written"
run bash -c 'trap "" XFSZ; (ulimit -f 0; exec "$@" 2>&1 >/dev/null) | cat >&2
  exit "${PIPESTATUS[0]}"' full "$HS_TOKEN" show static --reveal
check "hs-token show --reveal with the audit log's disk full" 0 hs-token
table "hs-token show --reveal" "audit log disk full" "$status"
like "$err" "^hs-token: warning: cannot write the audit log" "audit disk full: hs-token's warning names hs-token"

# Out of descriptors: with RLIMIT_NOFILE the least that lets `hs-exec
# --mask` run, and its caller holding one more descriptor open at a time,
# the last descriptors hs-exec asks for are COMMAND's pipes, and the
# system's refusal is exit 7, not a usage error.  (The lookup runs in a
# worker that inherits none of the caller's descriptors, docs/design.md
# "One hs-exec run" step 3, so lowering the limit instead would fail there
# first, in GLib or libgcrypt, which abort.)
enough=
for n in $(seq 4 64); do
  if prlimit --nofile="$n" -- "$HS_EXEC" --mask static -- true 2>/dev/null; then
    enough=$n
    break
  fi
done
like "$enough" "^[0-9]+$" "set-up: hs-exec --mask runs with some RLIMIT_NOFILE below 65"
# Two descriptors above that least: how many the lookup's worker uses (its
# own limit is the same) varies by one or two from run to run (GLib's and
# the D-Bus connection's), and a worker left none aborts before the pipes
# are reached.  The caller's held descriptors still run out first.
limit=$((${enough:-63} + 2))
for held in $(seq 1 34); do
  run bash -c 'for fd in $(seq 3 $((2 + $1))); do eval "exec $fd</dev/null"; done
    shift; exec "$@"' hold "$held" prlimit --nofile="$limit" -- "$HS_EXEC" --mask static -- true
  [ "$status" = 0 ] || break
done
check "hs-exec --mask with no descriptor left for the pipes" 7 hs-exec
table "hs-exec --mask (static)" "out of descriptors" "$status"
like "$err" "cannot set up COMMAND's pipes: .*; check the limit on open files" \
  "out of descriptors: says what failed and what to check"

# $XDG_RUNTIME_DIR missing, or our directory in it not 0700: a refresh
# cannot take its lock (exit 6, configuration).
drop_cache "$OAUTH"
run env XDG_RUNTIME_DIR="$E2E_SCRATCH/no-such-dir" "$HS_EXEC" "$OAUTH" -- true
check "refresh with XDG_RUNTIME_DIR missing" 6 hs-exec
table "refresh (oauth)" "XDG_RUNTIME_DIR missing" "$status"
mkdir -p "$E2E_SCRATCH/open-runtime/hs-exec"
chmod 755 "$E2E_SCRATCH/open-runtime" "$E2E_SCRATCH/open-runtime/hs-exec"
run env XDG_RUNTIME_DIR="$E2E_SCRATCH/open-runtime" "$HS_EXEC" "$OAUTH" -- true
check "refresh with the runtime dir not 0700" 6 hs-exec
table "refresh (oauth)" "XDG_RUNTIME_DIR not 0700" "$status"
like "$err" "not private to you" "runtime dir not 0700: says why"

# SIGKILL during a refresh: hs-exec holds the refresh lock while HubSpot
# hangs; kill -9 it; the next hs-exec takes the lock and works.  While it
# hangs: its command line holds no secret and it is not dumpable.
drop_cache "$OAUTH"
ctl POST fault '{"kind": "hang", "count": 1, "delay": 30, "path": "/oauth/"}' >/dev/null
ctl POST reset-counters >/dev/null
HS_EXEC_HTTP_TIMEOUT_MS=60000 "$HS_EXEC" "$OAUTH" -- true 2>"$E2E_SCRATCH/killed.err" &
victim=$!
for _ in $(seq 100); do [ "$(token_requests)" -ge 1 ] && break; sleep 0.1; done
is "$(token_requests)" 1 "SIGKILL during refresh: the refresh is under way"
cmdline=$(tr '\0' ' ' </proc/$victim/cmdline)
unlike "$cmdline" "$CSECRET|$RT|$PAT|$PAK" "/proc/PID/cmdline of a refreshing hs-exec holds no secret"
kill -9 "$victim"
wait "$victim" 2>/dev/null
ctl POST clear-faults >/dev/null
run "$HS_EXEC" "$OAUTH" -- true
check "hs-exec after one was killed during a refresh" 0 hs-exec
table "refresh (oauth)" "SIGKILL of another hs-exec mid-refresh" "$status"
is "$(reveal "$OAUTH" | grep -c "$RT")" 1 "after SIGKILL: the stored refresh token is unchanged"
# In --proxy mode neither COMMAND's environment nor hs-exec's own (read
# from COMMAND as /proc/$PPID/environ; hs-exec stays COMMAND's parent)
# holds the real token, the refresh token or the client secret.
run "$HS_EXEC" --proxy "$OAUTH" -- sh -c '
  tr "\0" "\n" </proc/self/environ >"$1/proxy-child.env"
  tr "\0" "\n" </proc/$PPID/environ >"$1/proxy-parent.env" 2>/dev/null
  test -s "$1/proxy-child.env"' sh "$E2E_SCRATCH"
is "$status" 0 "--proxy: COMMAND ran and saw its environment"
grep -v '^#' "$E2E_DIR/lib/secrets.list" | grep . >"$E2E_SCRATCH/proxy-secrets"
cat "$STANDIN_DIR/issued-tokens" >>"$E2E_SCRATCH/proxy-secrets"
is "$(grep -cFf "$E2E_SCRATCH/proxy-secrets" "$E2E_SCRATCH/proxy-child.env")" 0 \
  "--proxy: COMMAND's environment holds no real token or secret"
is "$(cat "$E2E_SCRATCH/proxy-parent.env" 2>/dev/null | grep -cFf "$E2E_SCRATCH/proxy-secrets")" 0 \
  "--proxy: hs-exec's own environment holds no real token or secret"
like "$(grep -c . "$STANDIN_DIR/issued-tokens")" '^[1-9]' "--proxy check: the stand-in has issued tokens to look for"
rm -f "$E2E_SCRATCH/proxy-secrets"
# PR_GET_DUMPABLE is 0 while hs-exec holds a secret.  Seen from outside:
# the kernel makes /proc/PID/environ of a non-dumpable process root's.  That
# tells only for a victim that is not root, so as root the victim runs as
# nobody, with a home of its own and the keyctl store (a D-Bus session is
# its owner's alone).
nb=$(mktemp -d /tmp/hs-e2e-nobody.XXXXXX)
mkdir -p "$nb/config/hs-exec" "$nb/run"
chmod 700 "$nb/run"
cp "$STANDIN_CA" "$nb/ca.pem"
printf '[stores]\norder=keyctl\n[hubspot]\napi-base=%s\nca-file=%s\n' "$STANDIN_BASE" "$nb/ca.pem" \
  >"$nb/config/hs-exec/hs-exec.conf"
chmod 600 "$nb/config/hs-exec/hs-exec.conf"
chmod 755 "$nb"
as_victim=()
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$nb"
  as_victim=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
victim_env=(env HOME="$nb" XDG_CONFIG_HOME="$nb/config" XDG_STATE_HOME="$nb"
  XDG_RUNTIME_DIR="$nb/run" XDG_CACHE_HOME="$nb" TMPDIR="$nb"
  DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent
  HS_EXEC_HTTP_TIMEOUT_MS=60000)
if [ ${#as_victim[@]} -gt 0 ] &&
  ! "${as_victim[@]}" "${victim_env[@]}" "$HS_EXEC_BIN" --version >/dev/null 2>&1; then
  # A private build tree (dpkg-buildpackage's, under a 0700 directory) is
  # out of nobody's reach; the main build, distcheck and installcheck run
  # these checks.
  ok "dumpable checks # SKIP nobody cannot run $HS_EXEC_BIN from here"
  rm -rf "$nb"
  finish
  exit
fi
ctl POST fault '{"kind": "hang", "count": 1, "delay": 30, "path": "/localdevauth/"}' >/dev/null
ctl POST reset-counters >/dev/null
# In a session of its own, as a job of that user: add (to nobody's user
# keyring, with a lifetime should the removal below not happen), then
# hs-exec that hangs.
printf %s "$PAK" | VICTIM=$PAKP "${as_victim[@]}" keyctl session - bash -c '
  "$@" "$HS_TOKEN_BIN" add "$VICTIM" --kind personal-access-key --no-verify --ttl 10m >/dev/null &&
  exec "$@" "$HS_EXEC_BIN" "$VICTIM" -- true' victim "${victim_env[@]}" \
  2>"$E2E_SCRATCH/victim.err" &
launcher=$!
victim=
for _ in $(seq 100); do
  [ "$(token_requests)" -ge 1 ] && victim=$(pgrep -f -n "^$HS_EXEC $PAKP") && break
  sleep 0.1
done
like "$victim" "^[0-9]+$" "dumpable: an hs-exec is refreshing a personal access key"
owner=$(stat -c %u "/proc/$victim/environ" 2>/dev/null)
victim_uid=$(awk '/^Uid:/ {print $2}' "/proc/$victim/status" 2>/dev/null)
is "$victim_uid:$owner" "$victim_uid:0" "hs-exec holding a secret is not dumpable (its /proc/PID/environ is root's)"
unlike "$(tr '\0' ' ' <"/proc/$victim/cmdline")" "$PAK" "…and its /proc/PID/cmdline holds no secret"
"${as_victim[@]}" sleep 30 &
sleeper=$!
sleep 0.2
is "$(stat -c %u "/proc/$sleeper/environ")" "$victim_uid" "…while an ordinary process of that user's is its own (the probe works)"
kill "$sleeper" "$victim" 2>/dev/null
wait "$launcher" "$sleeper" 2>/dev/null
ctl POST clear-faults >/dev/null
"${as_victim[@]}" "${victim_env[@]}" "$HS_TOKEN_BIN" remove "$PAKP" >/dev/null
is "$?" 0 "the victim's profile is removed from that user's keyring"
rm -rf "$nb"
finish
