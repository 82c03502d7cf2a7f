# SPDX-License-Identifier: MIT
# e2e.sh — what every end-to-end script sources first (bash): TAP
# (tap.sh), the programs under test as $HS_EXEC and $HS_TOKEN, running them,
# and the closing search for secrets.  The script runs inside with-keyring.
#
#   run [--in TEXT] CMD…   run CMD with TEXT (or nothing) on stdin; sets
#                          $out, $err and $status; the programs' note that
#                          they talk to the stand-in, not HubSpot, goes to
#                          $api_notes instead of $err
#   fails_with STATUS PROG DESC
#                          the last run exited STATUS with one line on
#                          stderr, "PROG: …"
#   exec_token [OPTION…] PROFILE
#                          run hs-exec PROFILE; $out is the token the child
#                          saw in HUBSPOT_ACCESS_TOKEN
#   planted PATH…          files the test filled with secrets on purpose
#   test_hooks             true when the programs are the test builds (make
#                          check), whose HS_EXEC_FAKE_NOW, _RETRY_BASE_MS,
#                          _HTTP_TIMEOUT_MS, _PLUGIN_DIR and _TEST_KILL_AT
#                          work; the installed programs read none of them
#   finish                 check that no secret was left anywhere (below),
#                          print the plan, exit 1 if anything failed

. "$E2E_DIR/lib/tap.sh"

HS_EXEC=${HS_EXEC_BIN:?}
HS_TOKEN=${HS_TOKEN_BIN:?}

test_hooks() { [ -n "${HS_TOKEN_FAULTS_BIN:-}" ]; }

# A run that talks to the stand-in says so on stderr (hs-exec.conf(5));
# every test would otherwise have to allow for that line.
API_NOTE='^hs-(exec|token): note: HubSpot API '

run() {
  local input=""
  if [ "${1:-}" = --in ]; then input=$2; shift 2; fi
  local errf="$E2E_SCRATCH/.stderr"
  status=0
  out=$(printf %s "$input" | "$@" 2>"$errf") || status=$?
  api_notes=$(grep -E "$API_NOTE" "$errf" || true)
  err=$(grep -Ev "$API_NOTE" "$errf" || true); rm -f "$errf"
}

# One line on stderr, "PROG: …", and status WANT.
fails_with() {
  local want=$1 prog=$2 desc=$3
  is "$status" "$want" "$desc: exit $want"
  like "$err" "^$prog: " "$desc: says '$prog: …'"
  local lines
  lines=$(printf '%s\n' "$err" | wc -l)
  is "$lines" 1 "$desc: one line on stderr"
  # Say what the other lines were, so a failure in CI can be read.
  [ "$lines" = 1 ] || printf '%s\n' "$err" | sed 's/^/#   stderr: /'
}

exec_token() { run "$HS_EXEC" "$@" -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'; }

# The secrets this test may have used: tests/e2e/lib/secrets.list and every
# token the stand-in issued (its DIR/issued-tokens, which is also appended
# to $E2E_ISSUED_LOG for tests/e2e/secrets-nowhere.sh's search of the logs).
secret_patterns() {
  grep -v '^#' "$E2E_DIR/lib/secrets.list" | grep .
  cat "$E2E_SCRATCH"/standin*/issued-tokens 2>/dev/null
}

# Files and directories the test itself filled with secrets on purpose (a
# .env to import, a tree to scan, a child's captured output): the search
# leaves them out.  Everything the programs wrote is still searched.
tap_planted=()
planted() { tap_planted+=("$@"); }

# Secrets nowhere: no file under the throw-away HOME, XDG directories,
# runtime dir or TMPDIR (the audit log included) holds any of them.  Left
# out: the stand-in's own directory, the seed files and what planted() named.
no_secret_left() {
  local patterns="$E2E_SCRATCH/.secret-patterns" hits
  secret_patterns >"$patterns"
  if [ -n "${E2E_ISSUED_LOG:-}" ]; then
    cat "$E2E_SCRATCH"/standin*/issued-tokens >>"$E2E_ISSUED_LOG" 2>/dev/null
  fi
  local prune=(-path "$E2E_SCRATCH/standin*" -o -name 'seed*.json')
  for p in "${tap_planted[@]}"; do prune+=(-o -path "$p"); done
  hits=$(find "$E2E_SCRATCH" \( "${prune[@]}" \) -prune \
    -o -type f ! -path "$patterns" -print0 2>/dev/null |
    xargs -0 -r grep -lFf "$patterns" 2>/dev/null)
  rm -f "$patterns"
  is "$hits" "" "no secret the test used is in any file under HOME, XDG dirs, runtime dir, TMPDIR or the audit log"
}

finish() {
  no_secret_left
  tap_plan
}
