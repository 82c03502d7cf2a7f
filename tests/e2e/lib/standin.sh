# SPDX-License-Identifier: MIT
# standin.sh — start and steer the HubSpot stand-in (tests/standin/) from an
# end-to-end script (sourced, bash, after e2e.sh).
#
#   standin_start [ARGS…]  start it with the seed in $STANDIN_SEED (a JSON
#                          file, optional); exports HS_EXEC_API_BASE and
#                          HS_EXEC_CA_FILE; stopped when the script exits
#   ctl METHOD PATH [JSON] a control request (/__standin/PATH)
#   token_requests         token requests the stand-in has seen

STANDIN_DIR="$E2E_SCRATCH/standin"

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
  export HS_EXEC_API_BASE="https://127.0.0.1:$(cat "$STANDIN_DIR/port")"
  export HS_EXEC_CA_FILE="$STANDIN_DIR/cert.pem"
}

ctl() { # curl, not python: the fault matrix makes hundreds of these
  curl -sS --fail --cacert "$HS_EXEC_CA_FILE" -X "$1" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} \
    "$HS_EXEC_API_BASE/__standin/$2"
  echo
}

token_requests() {
  ctl GET counters | sed -n 's/.*"token_requests": *\([0-9]*\).*/\1/p'
}
