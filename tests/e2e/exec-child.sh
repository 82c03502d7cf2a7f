#!/bin/bash
# SPDX-License-Identifier: MIT
# What COMMAND inherits from hs-exec and how hs-exec supervises it
# (issue 16): no stray descriptors after a refresh, the --file FIFO against
# a reader that goes away, signals after COMMAND is reaped, --proxy's
# seccomp filter and bus variable, and the refusal to run setuid.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
export HS_EXEC_RETRY_BASE_MS=50
# Profiles that leave keys in the user keyring: this run's own.
APP=$(tagged app) KPROD=$(tagged kprod)

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": ["crm.objects.contacts.read"]}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth"]}}}}}
JSON
standin_start
printf '%s\n' "$PAT" | "$HS_TOKEN" add prod --kind private-app >/dev/null
printf 'client_secret=cs-secret-1\nrefresh_token=rt-initial-1\n' |
  "$HS_TOKEN" add $APP --kind oauth --client-id cid-1 >/dev/null
skip() { ok "# SKIP $*"; }
# wait_for FILE: until COMMAND has written FILE (a readiness signal)
wait_for() { for _ in $(seq 600); do [ -s "$1" ] && return 0; sleep 0.05; done; return 1; }
# gone PID: PID has ended within 20 s (a hang detector, not a timing)
gone() { for _ in $(seq 400); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.05; done; return 1; }

# ---- descriptors: COMMAND gets what its caller gave, and what hs-exec meant ----
# Its own listing opens one descriptor, the lowest free one, the same in
# every run.
fds=(python3 -c 'import os; print(" ".join(sorted(os.listdir("/proc/self/fd"), key=int)))')
run "${fds[@]}"; direct=$out
for mode in "" --mask --file --proxy "--fd 5"; do
  # --min-ttl beyond any lifetime: a refresh at HubSpot on every run
  run "$HS_EXEC" $mode --min-ttl 999999 $APP -- "${fds[@]}"
  want=$direct
  [ "$mode" = "--fd 5" ] && want=$(printf '%s\n' $direct 5 | sort -nu | tr '\n' ' ' | sed 's/ $//')
  is "$out" "$want" "${mode:-env}: after a refresh, COMMAND holds only its caller's descriptors and the one hs-exec meant"
done

# ---- --file: a reader that opens the FIFO and goes away ----
# From the keyctl store: the Secret Service's D-Bus would have hs-exec
# ignore SIGPIPE already.
hs_conf "$(printf '[stores]\norder=keyctl')"
printf '%s\n' "$PAT" | "$HS_TOKEN" add $KPROD --kind private-app --no-verify >/dev/null 2>&1
for i in $(seq 10); do
  run "$HS_EXEC" --file $KPROD -- python3 -c '
import os, sys, time
os.close(os.open(os.environ["HUBSPOT_ACCESS_TOKEN_FILE"], os.O_RDONLY))
time.sleep(0.2)
print("still here")'
  [ "$status:$out" = "0:still here" ] || break
  [ -z "$(ls -A "$XDG_RUNTIME_DIR" | grep '^hs-exec\.')" ] || break
done
is "$status:$out" "0:still here" "--file: a reader that closes the FIFO unread does not kill hs-exec (10 runs)"
is "$(ls -A "$XDG_RUNTIME_DIR" | grep '^hs-exec\.')" "" "--file: its directory is removed after such a reader"
hs_conf

# ---- signals once COMMAND is reaped ----
# COMMAND exits and leaves a grandchild holding its stdout: SIGTERM to
# hs-exec must end the run all the same.
ready="$E2E_SCRATCH/ready"; rm -f "$ready"
"$HS_EXEC" --mask prod -- sh -c 'sleep 60 & echo $! >"$1"; exit 0' sh "$ready" >/dev/null &
pid=$!
wait_for "$ready"; grandchild=$(cat "$ready")
# COMMAND has been reaped once hs-exec has no child but the grandchild's
# orphaned self (reparented away).
for _ in $(seq 200); do [ -z "$(ps -o pid= --ppid "$pid")" ] && break; sleep 0.05; done
kill -TERM "$pid"
if gone "$pid"; then
  st=0; wait "$pid" || st=$?
  is "$st" 143 "--mask: SIGTERM ends the run while a grandchild holds the output (exit 143)"
else
  not_ok "--mask: SIGTERM ends the run while a grandchild holds the output (exit 143)"
  kill -KILL "$pid"
fi
kill "$grandchild" 2>/dev/null

# A signal that arrives after COMMAND was reaped must not reach a new
# process that got COMMAND's PID.  In a PID namespace of our own, as root,
# ns_last_pid gives the victim exactly that PID.
if [ "$(id -u)" = 0 ] && unshare --pid --fork --mount-proc true 2>/dev/null; then
  cat >"$E2E_SCRATCH/reuse.sh" <<'SH'
set -u
out=$1; ready=$out.ready
"$HS_EXEC_BIN" --mask prod -- sh -c 'echo $$ >"$1"; sleep 60 & exit 0' sh "$ready" >/dev/null &
hs=$!
for _ in $(seq 400); do [ -s "$ready" ] && break; sleep 0.05; done
cmd=$(cat "$ready")
for _ in $(seq 400); do [ -e "/proc/$cmd" ] || break; sleep 0.05; done
echo $((cmd - 1)) >/proc/sys/kernel/ns_last_pid
python3 -c '
import os, signal, sys, time
got = []
for s in (signal.SIGUSR1, signal.SIGTERM):
    signal.signal(s, lambda n, f: got.append(n))
open(sys.argv[1] + ".victim", "w").write(str(os.getpid()))
time.sleep(3)
open(sys.argv[1], "w").write("signals:" + ",".join(map(str, got)))' "$out" &
victim=$!
for _ in $(seq 400); do [ -s "$out.victim" ] && break; sleep 0.05; done
echo "pid:$cmd victim:$(cat "$out.victim")" >"$out.pids"
kill -USR1 "$hs"; kill -TERM "$hs"
wait "$victim"
kill -KILL "$hs" 2>/dev/null
SH
  reuse="$E2E_SCRATCH/reuse"
  unshare --pid --fork --mount-proc bash "$E2E_SCRATCH/reuse.sh" "$reuse"
  pids=$(cat "$reuse.pids")
  if [ "${pids#pid:}" = "${pids#*victim:}" ] || [ "$(echo "$pids" | sed 's/pid:\([0-9]*\) victim:\([0-9]*\)/\1/')" = "$(echo "$pids" | sed 's/.*victim://')" ]; then
    is "$(cat "$reuse")" "signals:" "a signal sent to hs-exec after COMMAND was reaped does not reach the process that got its PID"
  else
    skip "the victim did not get COMMAND's PID ($pids)"
  fi
else
  skip "PID reuse: needs root and unshare --pid"
fi

# ---- --proxy: COMMAND cannot reach the keyring or find the bus ----
exec_token app >/dev/null   # the cache holds app's access token now
key=$(cache_id $APP)
if [ -n "$key" ]; then
  run "$HS_EXEC" --proxy $APP -- sh -c 'keyctl print "$1" || echo "print refused"; keyctl show @s >/dev/null 2>&1 || echo "show refused"; keyctl add user x y @s >/dev/null 2>&1 || echo "add refused"; echo "bus:${DBUS_SESSION_BUS_ADDRESS-unset}"' sh "$key"
  is "$out" "print refused
show refused
add refused
bus:unset" "--proxy: keyctl print/show/add of the cache key fail in COMMAND, and DBUS_SESSION_BUS_ADDRESS is unset"
else
  not_ok "the cache holds app's access token (key id)"
fi
run "$HS_EXEC" $APP -- sh -c 'keyctl show @s >/dev/null && echo "show works"'
is "$out" "show works" "without --proxy, COMMAND keeps the keyring (no filter)"

# The bus at its default path still answers under --proxy; a sandbox that
# hides XDG_RUNTIME_DIR closes it (README, "Security model").
if command -v bwrap >/dev/null && bwrap --ro-bind / / --dev /dev --proc /proc true 2>/dev/null; then
  touch "$XDG_RUNTIME_DIR/bus"
  run "$HS_EXEC" --proxy prod -- bwrap --ro-bind / / --dev /dev --proc /proc \
    --tmpfs "$XDG_RUNTIME_DIR" -- sh -c '[ -e "$XDG_RUNTIME_DIR/bus" ] && echo bus || echo "no bus"; curl -s -o /dev/null -w "%{http_code}\n" -H "Authorization: Bearer $HUBSPOT_ACCESS_TOKEN" "$HUBSPOT_API_BASE/account-info/v3/details"'
  rm -f "$XDG_RUNTIME_DIR/bus"
  is "$out" "no bus
200" "--proxy under bwrap (README's example): no bus socket, the proxy still answers"
else
  skip "bwrap does not run here"
fi

# ---- no client secret or refresh token left in a long-running hs-exec ----
# After a refresh (--min-ttl beyond any lifetime), while COMMAND runs, root
# reads the memory of hs-exec and of every hs-exec process under it.
cat >"$E2E_SCRATCH/memsearch.py" <<'PY'
# memsearch.py EXE PID NEEDLE…: the NEEDLEs found in the memory of PID and
# of each descendant running EXE, one per line.
import os, sys
exe, pid, needles = os.path.realpath(sys.argv[1]), int(sys.argv[2]), [n.encode() for n in sys.argv[3:]]
def children(p):
    out = []
    for t in os.listdir(f"/proc/{p}/task"):
        try:
            out += [int(c) for c in open(f"/proc/{p}/task/{t}/children").read().split()]
        except OSError:
            pass
    return out
pids, todo = [], [pid]
while todo:
    p = todo.pop(); todo += children(p)
    try:
        if p == pid or os.path.realpath(f"/proc/{p}/exe") == exe:
            pids.append(p)
    except OSError:
        pass
found = set()
for p in pids:
    with open(f"/proc/{p}/maps") as maps, open(f"/proc/{p}/mem", "rb", 0) as mem:
        for line in maps:
            addr, perms = line.split()[:2]
            if perms[0] != "r":
                continue
            lo, hi = (int(x, 16) for x in addr.split("-"))
            try:
                mem.seek(lo); data = mem.read(hi - lo)
            except (OSError, OverflowError, ValueError):
                continue
            found.update(n.decode() for n in needles if n in data)
print("\n".join(sorted(found)))
PY
if [ "$(id -u)" = 0 ]; then
  for mode in --mask --file --proxy; do
    rm -f "$ready"
    "$HS_EXEC" $mode --min-ttl 999999 $APP -- sh -c 'echo up >"$1"; sleep 30' sh "$ready" >/dev/null &
    pid=$!
    wait_for "$ready"
    found=$(python3 "$E2E_SCRATCH/memsearch.py" "$HS_EXEC" "$pid" cs-secret-1 rt-initial-1)
    kill -TERM "$pid"; wait "$pid" 2>/dev/null
    is "$found" "" "$mode: after a refresh, neither the client secret nor the refresh token is in hs-exec's memory"
  done
else
  skip "memory search: needs root"
fi

# ---- setuid / setgid: refused ----
if [ "$(id -u)" = 0 ]; then
  for prog in "$HS_EXEC" "$HS_TOKEN"; do
    run python3 -c 'import os, sys; os.setresgid(0, 65534, 0); os.execv(sys.argv[1], sys.argv[1:])' "$prog" --version
    name=$(basename "$prog"); name=${name%-faults}
    fails_with 6 "$name" "$name with real and effective group ids that differ"
    like "$err" "setuid|setgid" "$(basename "$prog"): says why"
  done
else
  skip "setgid refusal: needs root"
fi

finish
