# SPDX-License-Identifier: MIT
# lib.sh — shared set-up of the benchmarks (sourced, bash): build the tree if
# needed, then re-run the calling script inside a throw-away keyring session
# (tests/e2e/lib/with-keyring) and a kernel session keyring of its own, with
# the HubSpot stand-in's helpers loaded.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${E2E_SCRATCH:-}" ]; then
  cd "$top"
  if [ ! -f Makefile ]; then
    [ -x configure ] || ./autogen.sh >/dev/null
    ./configure --quiet
  fi
  make -j"$(nproc)" --quiet >/dev/null
  command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
  export BENCH_PLUGIN_DIR="$top/plugin/.libs" HS_EXEC_BIN="$top/helper/hs-exec" \
    HS_TOKEN_BIN="$top/helper/hs-token" E2E_DIR="$top/tests/e2e"
  exec bash "$top/tests/e2e/lib/with-keyring" "$0" "$@"
fi
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/standin.sh"
# The programs as they get installed: the build tree's plugin by path in the
# throw-away hs-exec.conf, which standin_start adds the stand-in to.
hs_conf "$(printf '[stores]\norder=%s/secret-service.so' "$BENCH_PLUGIN_DIR")"
HS_EXEC=$HS_EXEC_BIN
HS_TOKEN=$HS_TOKEN_BIN

# row WHAT NOW REFERENCE RATIO TARGET: one row of bench/run-all's table,
# printed last by each script of a row.
row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }

# hyperfine_ms JSON NAME: the median of NAME's runs in hyperfine's JSON, ms.
hyperfine_ms() {
  python3 -c 'import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print("%.2f" % (r[sys.argv[2]]["median"] * 1000))' "$1" "$2"
}

# ratio A B: A / B to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
