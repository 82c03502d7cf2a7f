# SPDX-License-Identifier: MIT
# tap.sh — TAP output for the test scripts (sourced, bash): the end-to-end
# scripts (through e2e.sh) and tests/standin/selftest.sh.
#
#   ok DESC                a passing check
#   not_ok DESC [LINE…]    a failing one, each LINE as a "#   " comment
#   is GOT WANT DESC       equal
#   like GOT PATTERN DESC  GOT matches the extended regex PATTERN
#   unlike GOT PATTERN DESC
#   tap_plan               print the plan "1..N"; false if any check failed

tap_n=0
tap_failed=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() {
  local line
  tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
  echo "not ok $tap_n - $1"; shift
  for line in "$@"; do echo "#   $line"; done
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

tap_plan() {
  echo "1..$tap_n"
  [ "$tap_failed" -eq 0 ]
}
