#!/bin/bash
# SPDX-License-Identifier: MIT
# The vault store's cases (tests/e2e/lib/vault-cases.sh, as vault-store.sh
# runs them against the stand-in) against a real `vault server -dev` or
# `bao server -dev` on a loopback port, when one is on the PATH; skipped
# otherwise (neither is packaged in Debian 12).  The dev server speaks
# plain http on loopback, which is the one http the store accepts.  The
# rotation race: the HubSpot stand-in holds both rotations' token checks
# (a delay), which come after each has read the entry and before it writes.
set -u
if [ -z "${HS_OWN_SESSION:-}" ]; then
  HS_OWN_SESSION=1 exec setsid -w bash "$0" "$@"
fi
VAULT_CMD=""
for c in vault bao; do
  command -v "$c" >/dev/null 2>&1 && { VAULT_CMD=$c; break; }
done
if [ -z "$VAULT_CMD" ]; then
  echo "1..0 # SKIP neither vault nor bao is on the PATH"
  exit 0
fi
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
. "$E2E_DIR/lib/argv-watch.sh"
. "$E2E_DIR/lib/vault-cases.sh"
export HS_EXEC_RETRY_BASE_MS=50
STANDIN_SEED="$E2E_SCRATCH/seed.json"
vault_hubspot_seed >"$STANDIN_SEED"
standin_start

VDIR="$E2E_SCRATCH/standin-vault"
mkdir -p "$VDIR"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
VADDR="http://127.0.0.1:$port"
VCA=""
# The dev server makes its root token and unseal key and prints them; they
# stay in its output file, which only this test reads.
( cd "$VDIR" && HOME="$VDIR" exec "$VAULT_CMD" server -dev \
    -dev-listen-address="127.0.0.1:$port" >"$VDIR/out" 2>&1 ) &
VPID=$!
trap 'kill $STANDIN_PID $VPID 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 200); do grep -q '^Root Token:' "$VDIR/out" 2>/dev/null && break; sleep 0.1; done
VTOKEN=$(sed -n 's/^Root Token: *//p' "$VDIR/out" | head -1)
UNSEAL=$(sed -n 's/^Unseal Key: *//p' "$VDIR/out" | head -1)
[ -n "$VTOKEN" ] || { echo "Bail out! $VAULT_CMD server -dev did not start"; cat "$VDIR/out"; exit 1; }
printf '%s\n' "$VTOKEN" >>"$VDIR/issued-tokens"  # the argv watcher's list
echo "# against $("$VAULT_CMD" version 2>/dev/null | head -1)"
# The CLI with the root token in its environment, never in argv.
vcli() { VAULT_ADDR=$VADDR VAULT_TOKEN=$VTOKEN "$VAULT_CMD" "$@"; }
vault_seal() { vcli operator seal >/dev/null; }
vault_unseal() { printf '%s\n' "$UNSEAL" | vcli operator unseal - >/dev/null; }
vault_race_begin() {
  ctl POST fault '{"kind": "hang", "delay": 2, "count": 2, "path": "/"}' >/dev/null
}
vault_race_release() { :; }
vault_approle() { # the secret id on stdin
  local sid
  sid=$(cat)
  vcli auth enable approle >/dev/null 2>&1
  printf 'path "secret/*" { capabilities = ["create","read","update","delete","list"] }\n' |
    vcli policy write hubspot - >/dev/null &&
    vcli write auth/approle/role/hs token_policies=hubspot >/dev/null &&
    vcli write auth/approle/role/hs/role-id role_id="$1" >/dev/null &&
    printf '{"secret_id": "%s"}' "$sid" |
    vcli write auth/approle/role/hs/custom-secret-id - >/dev/null
}

argv_watch_start
vault_cases
argv_watch_stop
finish
