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
