# SPDX-License-Identifier: MIT
# argv-watch.sh — no secret in any process's argv while a test runs
# (sourced, bash, after e2e.sh).  The script must run in a session of its
# own (setsid), so that the watcher looks at this test's processes only:
# other tests, run at the same time, may put secrets in argv on purpose.
#
#   argv_watch_start [WORD…]  start the watcher: one python process,
#                             spawning nothing, reading the command line of
#                             every process in this session over and over;
#                             the secrets are secret_patterns' (e2e.sh) and
#                             the HubSpot stand-in's issued tokens.  WORDs
#                             seen as an argument or as the base name of
#                             the program (argv[0]) are counted (how many
#                             command lines it caught).  Returns once a
#                             canary in argv has been seen.
#   argv_watch_stop           stop it: one TAP line, no hits; argv_seen is
#                             the file of WORDs seen, one pid a line

argv_watch_start() {
  local sid patterns
  sid=$(ps -o sid= -p $$ | tr -d ' ')
  patterns="$E2E_SCRATCH/argv-patterns"
  secret_patterns >"$patterns"
  planted "$patterns"
  argv_hits="$E2E_SCRATCH/argv-hits" argv_seen="$E2E_SCRATCH/argv-seen"
  argv_stop="$E2E_SCRATCH/.stop-watch"
  : >"$argv_hits"
  : >"$argv_seen"
  rm -f "$argv_stop"
  python3 - "$sid" "$patterns" "$E2E_SCRATCH" "$argv_stop" "$argv_hits" \
    "$argv_seen" hs-argv-canary "$@" <<'PY' &
import glob, os, sys
sid, patterns, scratch, stop, hits_path, seen_path, *words = sys.argv[1:]
words = {w.encode() for w in words}
def secrets():
    out = []
    for f in [patterns] + glob.glob(os.path.join(scratch, "standin*", "issued-tokens")):
        try:
            out += [l.strip().encode() for l in open(f) if l.strip()]
        except OSError:
            pass
    return out
hits, seen = set(), set()
while not os.path.exists(stop):
    pats = secrets()
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            if stat[stat.rindex(b")") + 2:].split()[3] != sid.encode():
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue
        for i, p in enumerate(pats):
            if any(p in a for a in argv):
                hits.add(i + 1)
        for a in [os.path.basename(argv[0])] + argv:
            if a in words:
                seen.add((pid, a.decode()))
    with open(seen_path + ".new", "w") as f:
        f.writelines(f"{a}\n" for _, a in sorted(seen))
    os.replace(seen_path + ".new", seen_path)
with open(hits_path, "w") as f:
    f.writelines(f"{h}\n" for h in sorted(hits))
PY
  argv_watcher=$!
  # A canary in argv, until it is seen ("; :" keeps sh from replacing
  # itself with sleep, dropping the canary).
  sh -c 'sleep 60; :' hs-argv-canary &
  local canary=$! seen=no
  for _ in $(seq 300); do grep -q canary "$argv_seen" && { seen=yes; break; }; sleep 0.1; done
  kill "$canary"
  is "$seen" yes "(the argv watcher sees this test's processes)"
}

argv_watch_stop() {
  touch "$argv_stop"
  wait "$argv_watcher"
  is "$(tr '\n' ' ' <"$argv_hits")" "" "no secret in any process's argv while the tests ran (hits: line numbers of the patterns)"
}
