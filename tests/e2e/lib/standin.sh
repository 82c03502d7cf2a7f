# SPDX-License-Identifier: MIT
# standin.sh — start and steer the HubSpot stand-in (tests/standin/) from an
# end-to-end script (sourced, bash, after e2e.sh).
#
#   standin_start [ARGS…]  start it with the seed in $STANDIN_SEED (a JSON
#                          file, optional); exports its URL and CA bundle as
#                          STANDIN_BASE and STANDIN_CA, and writes them into
#                          the test's hs-exec.conf (hs_conf, e2e.sh);
#                          stopped when the script exits
#   hs_conf [TEXT]         the test's own hs-exec.conf ($HS_CONF) becomes
#                          TEXT plus, once standin_start ran, [hubspot]
#                          api-base and ca-file naming the stand-in
#   with_api_base URL CMD… run CMD with [hubspot] api-base=URL instead
#   with_ca_file FILE CMD… run CMD with [hubspot] ca-file=FILE instead
#   ctl METHOD PATH [JSON] a control request (/__standin/PATH)
#   token_requests         token requests the stand-in has seen

STANDIN_DIR="$E2E_SCRATCH/standin"

# The test's own config file, which only it (the user) can write: the one
# way to point the programs at the stand-in.
HS_CONF="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
hs_conf_text=""
hs_conf() {
  hs_conf_text=${1:-}
  hs_conf_write "${STANDIN_BASE:-}" "${STANDIN_CA:-}"
}
hs_conf_write() { # API-BASE CA-FILE
  mkdir -p "${HS_CONF%/*}"
  {
    [ -z "$hs_conf_text" ] || printf '%s\n' "$hs_conf_text"
    # GKeyFile merges a second [hubspot] with the test's own.
    [ -z "$1" ] || printf '[hubspot]\napi-base=%s\n' "$1"
    [ -z "$2" ] || printf '[hubspot]\nca-file=%s\n' "$2"
  } >"$HS_CONF"
  chmod 600 "$HS_CONF"
}
with_hubspot() { # API-BASE CA-FILE CMD…
  local st=0
  hs_conf_write "$1" "$2"
  shift 2
  "$@" || st=$?
  hs_conf_write "${STANDIN_BASE:-}" "${STANDIN_CA:-}"
  return $st
}
with_api_base() { local url=$1; shift; with_hubspot "$url" "${STANDIN_CA:-}" "$@"; }
with_ca_file() { local ca=$1; shift; with_hubspot "${STANDIN_BASE:-}" "$ca" "$@"; }

standin_start() {
  mkdir -p "$STANDIN_DIR"
  python3 "$E2E_DIR/../standin/hubspot-standin.py" --state-dir "$STANDIN_DIR" \
    ${STANDIN_SEED:+--seed "$STANDIN_SEED"} --max-lifetime 900 "$@" \
    >"$STANDIN_DIR/out" 2>"$STANDIN_DIR/log" &
  STANDIN_PID=$!
  trap 'kill $STANDIN_PID 2>/dev/null; wait $STANDIN_PID 2>/dev/null' EXIT
  for _ in $(seq 100); do
    [ -s "$STANDIN_DIR/port" ] && break
    sleep 0.1
  done
  [ -s "$STANDIN_DIR/port" ] || { echo "Bail out! the HubSpot stand-in did not start"; cat "$STANDIN_DIR/log"; exit 1; }
  export STANDIN_BASE="https://127.0.0.1:$(cat "$STANDIN_DIR/port")"
  export STANDIN_CA="$STANDIN_DIR/cert.pem"
  hs_conf "$hs_conf_text"
}

ctl() { # curl, not python: the fault matrix makes hundreds of these
  curl -sS --fail --cacert "$STANDIN_CA" -X "$1" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} \
    "$STANDIN_BASE/__standin/$2"
  echo
}

token_requests() {
  ctl GET counters | sed -n 's/.*"token_requests": *\([0-9]*\).*/\1/p'
}
