# tap.sh — TAP helpers for the end-to-end scripts (sourced, bash).
#
#   run [--in TEXT] CMD…   run CMD with TEXT (or nothing) on stdin; sets
#                          $out, $err and $status
#   is  GOT WANT DESC      equal
#   like GOT PATTERN DESC  GOT matches the extended regex PATTERN
#   unlike GOT PATTERN DESC
#   finish                 check that no secret was left anywhere (below),
#                          print the plan, exit 1 if anything failed

tap_n=0
tap_failed=0
HS_EXEC=${HS_EXEC_BIN:?}
HS_TOKEN=${HS_TOKEN_BIN:?}

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() {
  tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $1"; shift
  for line in "$@"; do echo "#   $line"; done
}

run() {
  local input=""
  if [ "${1:-}" = --in ]; then input=$2; shift 2; fi
  local errf="$E2E_SCRATCH/.stderr"
  status=0
  out=$(printf %s "$input" | "$@" 2>"$errf") || status=$?
  err=$(cat "$errf"); rm -f "$errf"
}

is() {
  if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}
like() {
  if printf %s "$1" | grep -Eq -- "$2"; then ok "$3"
  else not_ok "$3" "got:  $1" "want match: $2"; fi
}
unlike() {
  if printf %s "$1" | grep -Eq -- "$2"; then not_ok "$3" "got:  $1" "must not match: $2"
  else ok "$3"; fi
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
  echo "1..$tap_n"
  [ "$tap_failed" -eq 0 ]
}
