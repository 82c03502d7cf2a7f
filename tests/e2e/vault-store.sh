#!/bin/bash
# SPDX-License-Identifier: MIT
# The vault store through the Vault stand-in (tests/standin/vault-standin.py,
# TLS on a loopback port): options, two machines sharing one profile and a
# rotation seen by both, two rotations at once (check-and-set: the second
# writer gets exit 6 and nothing is lost), a sealed server (unavailable,
# the next store is tried), a bad token (exit 3 naming Vault), AppRole with
# the secret id in the kernel user keyring, remove.  All along, no secret
# in any process's argv.  tests/e2e/vault-real.sh runs the same cases
# against a real Vault or OpenBao dev server.
set -u
# A session of its own, for the argv watcher (argv-watch.sh).
if [ -z "${HS_OWN_SESSION:-}" ]; then
  HS_OWN_SESSION=1 exec setsid -w bash "$0" "$@"
fi
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
. "$E2E_DIR/lib/argv-watch.sh"
export HS_EXEC_RETRY_BASE_MS=50

. "$E2E_DIR/lib/vault-cases.sh"
STANDIN_SEED="$E2E_SCRATCH/seed.json"
vault_hubspot_seed >"$STANDIN_SEED"
standin_start

# The Vault stand-in, its first token handed over in a file it removes.
VDIR="$E2E_SCRATCH/standin-vault"
mkdir -p "$VDIR"
VTOKEN=hvs.CAESIHs-exec-team-token-4f1e9b3c0d8e
( umask 077; printf '%s\n' "$VTOKEN" >"$VDIR/token" )
python3 "$E2E_DIR/../standin/vault-standin.py" --state-dir "$VDIR" \
  --token-file "$VDIR/token" >"$VDIR/out" 2>"$VDIR/log" &
VPID=$!
trap 'kill $STANDIN_PID $VPID 2>/dev/null; wait 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$VDIR/port" ] && break; sleep 0.1; done
[ -s "$VDIR/port" ] || { echo "Bail out! the Vault stand-in did not start"; cat "$VDIR/log"; exit 1; }
VADDR="https://127.0.0.1:$(cat "$VDIR/port")"
VCA="$VDIR/cert.pem"
vctl() { # vctl METHOD WHAT [JSON on stdin]
  curl -sS --fail --cacert "$VCA" -X "$1" -H 'Content-Type: application/json' \
    --data-binary @- "$VADDR/__standin/$2" </dev/null
}
vault_seal() { vctl POST seal >/dev/null; }
vault_unseal() { vctl POST unseal >/dev/null; }
# The stand-in holds writes at a gate: both rotations have read the entry
# once both writes wait there.
vault_race_begin() { vctl POST gate >/dev/null; }
vault_race_release() {
  for _ in $(seq 300); do
    [ "$(vctl GET waiting)" = '{"writes": 2}' ] && break
    sleep 0.1
  done
  vctl POST open >/dev/null
}
vault_namespace() {
  vctl GET namespace | python3 -c 'import json,sys; print(json.load(sys.stdin)["namespace"])'
}
vault_approle() { # the secret id on stdin, never in argv
  { printf '{"role_id": "%s", "secret_id": "' "$1"; cat; printf '"}'; } |
    curl -sS --fail --cacert "$VCA" -X POST -H 'Content-Type: application/json' \
      --data-binary @- "$VADDR/__standin/approle" >/dev/null
}

argv_watch_start
vault_cases
argv_watch_stop
finish
