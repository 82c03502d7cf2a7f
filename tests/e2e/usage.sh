#!/bin/bash
# SPDX-License-Identifier: MIT
# The usage log: hs-exec appends one line per run; `hs-token show` says how
# often a profile was used in the last 7 days and when last, by what;
# `list` has a LAST-USE column.  The file is 0600, holds no secret, keeps
# concurrent runs' lines whole, is trimmed of old lines, and is never
# written through a symlink.
set -u
. "$E2E_DIR/lib/e2e.sh"

TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
LOG="$XDG_STATE_HOME/hs-exec/usage.jsonl"

run --in "$TOKEN" "$HS_TOKEN" add prod --kind private-app --no-verify
is "$status" 0 "add prod"
run --in "$TOKEN" "$HS_TOKEN" add idle --kind private-app --no-verify
run "$HS_TOKEN" show prod
like "$out" "usage: +never used through hs-exec" "show before any run: never used"

"$HS_EXEC" prod -- true
"$HS_EXEC" prod -- sh -c :
"$HS_EXEC" prod -- /usr/bin/env true
today=$(date -u +%Y-%m-%d)
run "$HS_TOKEN" show prod
like "$out" "usage: +used 3 times in the last 7 days, last on ${today}T[0-9:]+Z by env" "show: count, date and command name (not its path or arguments)"
run "$HS_TOKEN" show prod --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["uses_last_7_days"], d["last_command"], d["last_used"][:10])')" \
   "3 env $today" "show --json: uses_last_7_days, last_command, last_used"
run "$HS_TOKEN" list
like "$out" "prod +private-app +- +[a-z-]+ +${today}T[0-9:]+Z" "list: a LAST-USE column"
like "$out" "idle +private-app +- +[a-z-]+ +- " "list: '-' for a profile never used"
run "$HS_TOKEN" list --long
like "$out" "prod +private-app .* ok +${today}T[0-9:]+Z" "list --long: the LAST-USE column after ROTATION"
run "$HS_TOKEN" list --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print(" ".join(str(p["last_used"])[:10] for p in json.load(sys.stdin)))')" \
   "None $today" "list --json: last_used"
if test_hooks; then
  run env HS_EXEC_FAKE_NOW=$(( $(date +%s) + 8 * 86400 )) "$HS_TOKEN" show prod
  like "$out" "usage: +used 0 times in the last 7 days, last on ${today}T[0-9:]+Z by env" "8 days on: none in the window, the last use is still known"
else
  ok "# SKIP 8 days on: the installed programs have no fake clock (HS_EXEC_FAKE_NOW, make check only)"
fi

is "$(stat -c %a "$LOG")" 600 "usage log: mode 0600"
unlike "$(cat "$LOG")" "$TOKEN" "usage log: no token"

# ---- 20 concurrent runs: 20 whole lines more ----
pids=""
for i in $(seq 20); do "$HS_EXEC" prod -- true & pids="$pids $!"; done
wait $pids
is "$(python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line); assert set(d) == {"time", "profile", "command"}; n += 1
print(n)' "$LOG")" 23 "20 concurrent runs: 23 well-formed lines in all"

# ---- trimmed: old lines go, each profile's last stays ----
python3 - "$LOG" <<'PY'
import json, sys, time
old = int(time.time()) - 30 * 86400
with open(sys.argv[1], "a") as f:
    for i in range(1200):
        f.write(json.dumps({"time": old + i, "profile": "gone" if i % 2 else "prod", "command": "old"}) + "\n")
PY
run "$HS_TOKEN" list
is "$status" 0 "list with 1200 stale lines"
is "$(wc -l <"$LOG")" 24 "trimmed: the 23 recent lines and the last of a profile seen only long ago"
is "$(grep -c '"gone"' "$LOG")" 1 "trimmed: that profile's last use is kept"
is "$(stat -c %a "$LOG")" 600 "trimmed: still mode 0600"

# ---- never through a symlink ----
target="$E2E_SCRATCH/elsewhere"; : >"$target"
rm -f "$LOG"; ln -s "$target" "$LOG"
run "$HS_EXEC" prod -- true
is "$status" 0 "a symlinked usage log does not stop hs-exec"
is "$(wc -c <"$target")" 0 "…and nothing is written through the symlink"
finish
