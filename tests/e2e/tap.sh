# tap.sh — TAP helpers for the end-to-end scripts (sourced, bash).
#
#   run [--in TEXT] CMD…   run CMD with TEXT (or nothing) on stdin; sets
#                          $out, $err and $status
#   is  GOT WANT DESC      equal
#   like GOT PATTERN DESC  GOT matches the extended regex PATTERN
#   unlike GOT PATTERN DESC
#   finish                 print the plan, exit 1 if anything failed

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

finish() {
  echo "1..$tap_n"
  [ "$tap_failed" -eq 0 ]
}
