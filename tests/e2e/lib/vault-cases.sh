# SPDX-License-Identifier: MIT
# vault-cases.sh — the vault store's end-to-end cases, against the stand-in
# (vault-store.sh) or a real `vault server -dev` / `bao server -dev`
# (vault-real.sh); sourced, bash, after e2e.sh, standin.sh (the HubSpot
# stand-in, started) and argv-watch.sh.  The sourcing script sets:
#
#   VADDR VCA VTOKEN       the server's address, its CA ("" for http) and a
#                          token with read/write on secret/hubspot
#   vault_seal, vault_unseal
#   vault_race_begin       make the next two writes of the profile meet:
#                          both rotations read before either writes
#   vault_race_release     let them go on (after both were started)
#   vault_namespace        (optional) the last request's X-Vault-Namespace
#   vault_approle ROLE     set up an AppRole login with role id ROLE and
#                          secret id SID (on stdin); false when it cannot
# then calls vault_cases.  vault_hubspot_seed is the HubSpot stand-in's seed.
#
# Two machines, A and B: each its own HOME and hs-exec.conf naming the
# server; A has the token in $VAULT_TOKEN, B in ~/.vault-token, as Vault's
# CLI leaves them.

OLD=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
NEW=pat-na1-1f4d0b82-6e3c-4a9f-8d52-8b7c3e2f9a14
ON_A=pat-na1-5b0f4c1e-2a7d-4e93-8c61-0d9e8f7a6b5c
ON_B=pat-na1-7d1e2c3b-4a5f-4e6d-8c7b-9a0f1e2d3c4b
vault_hubspot_seed() {
  cat <<JSON
{"private_apps": {"$OLD": {"hub_id": 12345678, "hublet": "na1", "scopes": []},
                  "$NEW": {"hub_id": 12345678, "hublet": "na1", "scopes": []},
                  "$ON_A": {"hub_id": 12345678, "hublet": "na1", "scopes": []},
                  "$ON_B": {"hub_id": 12345678, "hublet": "na1", "scopes": []}}}
JSON
}

# on A|B CMD…: run CMD as machine A or B
on() {
  local m=$1
  shift
  ( export HOME="$E2E_SCRATCH/$m" XDG_CONFIG_HOME="$E2E_SCRATCH/$m/.config" \
      XDG_STATE_HOME="$E2E_SCRATCH/$m/.local/state" \
      XDG_DATA_HOME="$E2E_SCRATCH/$m/.local/share" \
      XDG_CACHE_HOME="$E2E_SCRATCH/$m/.cache"
    unset VAULT_TOKEN
    [ "$m" = A ] && export VAULT_TOKEN="$VTOKEN"
    [ -z "${A_TOKEN+x}" ] || [ "$m" != A ] || export VAULT_TOKEN="$A_TOKEN"
    exec "$@" )
}
# machine_conf A|B [ORDER] [KEY=VALUE…]: its hs-exec.conf
machine_conf() {
  local m=$1 order=${2:-vault}
  shift
  [ $# -eq 0 ] || shift
  mkdir -p "$E2E_SCRATCH/$m/.config/hs-exec"
  { printf '[stores]\norder=%s\n\n[store vault]\naddr=%s\n' "$order" "$VADDR"
    [ -z "$VCA" ] || printf 'ca-file=%s\n' "$VCA"
    for kv in "$@"; do printf '%s\n' "$kv"; done
    printf '\n[hubspot]\napi-base=%s\nca-file=%s\n' "$STANDIN_BASE" "$STANDIN_CA"
  } >"$E2E_SCRATCH/$m/.config/hs-exec/hs-exec.conf"
  chmod 600 "$E2E_SCRATCH/$m/.config/hs-exec/hs-exec.conf"
}
export EXPECT
# gets A|B PROFILE TOKEN: hs-exec there gives the child TOKEN (which stays
# in the environment, so that it is in no argv)
gets() {
  EXPECT=$3
  run on "$1" "$HS_EXEC" "$2" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
}


# vault_cases: every case, in order
vault_cases() {
  mkdir -p "$E2E_SCRATCH/A" "$E2E_SCRATCH/B"
  ( umask 077; printf '%s\n' "$VTOKEN" >"$E2E_SCRATCH/B/.vault-token" )
  planted "$E2E_SCRATCH/B/.vault-token"
  machine_conf A
  machine_conf B
  # ---- options ----
  machine_conf A vault colour=red
  run on A "$HS_EXEC" prod -- true
  fails_with 6 hs-exec "an unknown option"
  like "$err" "\[store vault\]: .*unknown option 'colour'" "unknown option: names the store and the key"
  mkdir -p "$E2E_SCRATCH/A/.config/hs-exec"
  printf '[stores]\norder=vault\n\n[store vault]\nmount=secret\n' >"$E2E_SCRATCH/A/.config/hs-exec/hs-exec.conf"
  VAULT_ADDR=$VADDR run on A "$HS_EXEC" prod -- true
  fails_with 6 hs-exec "no addr=, though \$VAULT_ADDR is set"
  like "$err" "set addr= in \[store vault\].*VAULT_ADDR is not used" "no addr=: says to set it, and that \$VAULT_ADDR is not used"
  machine_conf A vault addr=http://192.0.2.1:8200
  run on A "$HS_EXEC" prod -- true
  fails_with 6 hs-exec "plain http to another machine"
  like "$err" "plain http only to a loopback address" "plain http: says why"
  machine_conf A

  # ---- two machines, one team ----
  run --in "$OLD" on A "$HS_TOKEN" add prod --store vault --kind private-app
  is "$status" 0 "A: add prod --store vault"
  like "$out" "to store vault" "A: add says where it went"
  # VAULT_ADDR elsewhere changes nothing: the address is the config's.
  VAULT_ADDR=https://127.0.0.1:1 gets B prod "$OLD"
  is "$status" 0 "B: hs-exec prod gets A's token (through ~/.vault-token; \$VAULT_ADDR ignored)"
  run --in "$NEW" on B "$HS_TOKEN" rotate prod
  is "$status" 0 "B: rotate prod"
  gets A prod "$NEW"
  is "$status" 0 "A: hs-exec prod gets B's new token"
  run on A "$HS_TOKEN" list
  like "$out" "prod +private-app .*vault" "A: list shows prod, its kind, from store vault"
  # Which CA is trusted is the config's word alone: not $VAULT_CACERT.
  if [ -n "$VCA" ]; then
    machine_conf B
    sed -i '/^ca-file=.*standin-vault/d' "$E2E_SCRATCH/B/.config/hs-exec/hs-exec.conf"
    VAULT_CACERT=$VCA SSL_CERT_FILE=$VCA CURL_CA_BUNDLE=$VCA run on B "$HS_EXEC" prod -- true
    fails_with 3 hs-exec "no ca-file=, the server's CA in \$VAULT_CACERT"
    like "$err" "cannot reach Vault at $VADDR: .*certificate" "no ca-file=: the environment's CA is not trusted"
    machine_conf B
  fi
  if type vault_namespace >/dev/null 2>&1; then
    machine_conf A vault namespace=team-a
    gets A prod "$NEW"
    is "$status:$(vault_namespace)" "0:team-a" "namespace=: sent as X-Vault-Namespace"
    machine_conf A
  fi

  # ---- both rotate at once: one wins, the other is told to run it again ----
  vault_race_begin
  ( printf %s "$ON_A" | on A "$HS_TOKEN" rotate prod >"$E2E_SCRATCH/race-A.out" 2>"$E2E_SCRATCH/race-A.err"; echo $? >"$E2E_SCRATCH/race-A.st" ) &
  ra=$!
  ( printf %s "$ON_B" | on B "$HS_TOKEN" rotate prod >"$E2E_SCRATCH/race-B.out" 2>"$E2E_SCRATCH/race-B.err"; echo $? >"$E2E_SCRATCH/race-B.st" ) &
  rb=$!
  vault_race_release
  wait "$ra" "$rb"
  sa=$(cat "$E2E_SCRATCH/race-A.st") sb=$(cat "$E2E_SCRATCH/race-B.st")
  is "$(printf '%s\n' "$sa" "$sb" | sort | tr '\n' ' ')" "0 6 " "two rotations at once: one exits 0, the other 6"
  if [ "$sa" = 0 ]; then winner=A won=$ON_A loser=B lost=$ON_B; else winner=B won=$ON_B loser=A lost=$ON_A; fi
  loser_err=$(grep -Ev "$API_NOTE" "$E2E_SCRATCH/race-$loser.err")
  like "$loser_err" "^hs-token: .*store vault did not save profile prod: .*changed since it was read .*nothing was lost; run the command again" "the second writer: a message to run it again"
  is "$(printf '%s\n' "$loser_err" | grep -c .)" 1 "the second writer: one line on stderr"
  gets "$loser" prod "$won"
  is "$status" 0 "nothing lost: the second writer's machine gets the first writer's token"
  run --in "$lost" on "$loser" "$HS_TOKEN" rotate prod
  is "$status" 0 "the second writer runs it again: exit 0"
  gets "$winner" prod "$lost"
  is "$status" 0 "...and the first writer's machine gets it"
  : "$winner"

  # ---- sealed: unavailable, the next store is tried ----
  LOCAL=$(tagged local)
  machine_conf A "vault [UNAVAIL=continue] keyctl"
  run --in "$OLD" on A "$HS_TOKEN" add "$LOCAL" --store keyctl --kind private-app --no-verify
  is "$status" 0 "A: a profile in the keyctl store too"
  vault_seal
  gets A "$LOCAL" "$OLD"
  is "$status" 0 "sealed, [UNAVAIL=continue]: the next store (keyctl) gives the profile"
  machine_conf A "vault [UNAVAIL=return] keyctl"
  run on A "$HS_EXEC" "$LOCAL" -- true
  fails_with 3 hs-exec "sealed, [UNAVAIL=return]"
  like "$err" "Vault at .* is sealed or not ready \(503\).*unseal" "sealed: names Vault and the fix"
  run on A "$HS_TOKEN" doctor
  like "$out$err" "vault.*unseal" "doctor: the store is sealed, with the fix"
  vault_unseal
  machine_conf A
  gets A prod "$lost"
  is "$status" 0 "unsealed: hs-exec gets the profile again"

  # ---- a bad token: exit 3, naming Vault ----
  A_TOKEN=hvs.not-a-token-of-this-server run on A "$HS_EXEC" prod -- true
  fails_with 3 hs-exec "a token Vault does not know"
  like "$err" "Vault at .* refused the token \(403\).*vault login" "bad token: names Vault and the fix"
  rm -f "$E2E_SCRATCH/B/.vault-token.moved"
  mv "$E2E_SCRATCH/B/.vault-token" "$E2E_SCRATCH/B/.vault-token.moved"
  run on B "$HS_EXEC" prod -- true
  fails_with 3 hs-exec "no token at all"
  like "$err" "no Vault token: run 'vault login'" "no token: says how to get one"
  mv "$E2E_SCRATCH/B/.vault-token.moved" "$E2E_SCRATCH/B/.vault-token"

  # ---- AppRole: the secret id from the kernel user keyring, never a file ----
  SID_KEY="hs-exec:vault-sid-$E2E_TAG"
  ROLE=hs-exec-role-1
  if printf %s "0f0e0d0c-aaaa-bbbb-cccc-000000000009" | vault_approle "$ROLE"; then
    machine_conf B vault auth=approle role-id=$ROLE secret-id-key=$SID_KEY
    run on B "$HS_EXEC" prod -- true
    fails_with 3 hs-exec "AppRole without the secret id in the keyring"
    like "$err" "keyctl link @u @s && keyctl setperm .*keyctl padd user $SID_KEY @u.* 0x3f0b0000" "no secret id: says how to put it there"
    # As the message says, from this session (which does not link @u).
    printf %s "0f0e0d0c-aaaa-bbbb-cccc-000000000009" | keyctl session - sh -c \
      "keyctl link @u @s && keyctl setperm \$(keyctl padd user $SID_KEY @u) 0x3f0b0000" >/dev/null 2>&1
    gets B prod "$lost"
    is "$status" 0 "AppRole: B logs in with the role id and the keyring's secret id"
    id=$(keyctl search @u user "$SID_KEY" 2>/dev/null) && keyctl invalidate "$id"
    machine_conf B
  else
    ok "AppRole # SKIP this server has no AppRole login set up"
  fi

  # ---- an entry hs-exec did not write ----
  ( umask 077; printf 'X-Vault-Token: %s\n' "$VTOKEN" >"$E2E_SCRATCH/vault-header" )
  planted "$E2E_SCRATCH/vault-header"
  printf '{"data": {"note": "made by hand"}}' |
    curl -sS --fail ${VCA:+--cacert "$VCA"} -H @"$E2E_SCRATCH/vault-header" \
      -H 'Content-Type: application/json' --data-binary @- \
      "$VADDR/v1/secret/data/hubspot/foreign" >/dev/null
  is "$?" 0 "(an entry without the record and kind fields, written by hand)"
  run on A "$HS_EXEC" foreign -- true
  fails_with 3 hs-exec "an entry hs-exec did not write"
  like "$err" "secret/data/hubspot/foreign is not an hs-exec profile" "foreign entry: says so"
  run on A "$HS_TOKEN" list
  is "$status" 0 "list with a foreign entry under the path: exit 0"
  like "$out" "prod +private-app" "list: the profiles are listed"
  unlike "$out" "foreign" "list: the foreign entry is left out"
  run on A "$HS_TOKEN" remove foreign
  is "$status" 0 "remove the foreign entry"

  # ---- remove ----
  run on A "$HS_TOKEN" remove prod
  is "$status" 0 "A: remove prod"
  run on B "$HS_EXEC" prod -- true
  is "$status" 2 "B: prod is gone (exit 2)"
  run on A "$HS_TOKEN" remove prod
  is "$status" 2 "A: remove again: not found (exit 2)"
  run on A "$HS_TOKEN" list
  is "$status" 0 "A: list of an empty store: exit 0"
  like "$out" "^No profiles yet" "A: list of an empty store: no profiles"
}
