# standin.sh — start and steer the HubSpot stand-in (tests/standin/) from an
# end-to-end script (sourced, bash, after tap.sh).
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

ctl() {
  python3 - "$1" "$HS_EXEC_API_BASE/__standin/$2" "${3:-}" "$HS_EXEC_CA_FILE" <<'PY'
import ssl, sys, urllib.request
method, url, body, ca = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=ca)
req = urllib.request.Request(url, method=method, data=body.encode() if body else None,
                             headers={"Content-Type": "application/json"})
print(urllib.request.urlopen(req, context=ctx).read().decode())
PY
}

token_requests() {
  ctl GET counters | python3 -c 'import json,sys; print(json.load(sys.stdin)["token_requests"])'
}
