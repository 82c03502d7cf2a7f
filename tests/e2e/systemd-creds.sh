#!/bin/bash
# SPDX-License-Identifier: MIT
# The systemd-creds store with the real systemd-creds, as root: add
# encrypts with the host key into a throw-away credential directory, and
# systemd-creds decrypts it back; a simulated service start (the credential
# decrypted into a private directory, $CREDENTIALS_DIRECTORY, root dropped
# with setpriv) gives the child its token, and no directory is exit 3; the
# store's options; a failed encrypt leaves the old credential; an OAuth
# refresh token rotated inside the service is reported, and root's
# `hs-token rotate` updates the credential; `hs-token unit`'s drop-in passes
# `systemd-analyze verify`.  All along, no secret in any process's argv.
set -u
# A session of its own, so that the argv watcher below looks at this test's
# processes only (other tests, run at the same time, may put secrets in
# argv on purpose).
if [ -z "${HS_OWN_SESSION:-}" ]; then
  HS_OWN_SESSION=1 exec setsid -w bash "$0" "$@"
fi
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root: only root encrypts with the host key"
  exit 0
fi
if ! command -v systemd-creds >/dev/null || ! command -v setpriv >/dev/null; then
  echo "1..0 # SKIP systemd-creds or setpriv is not installed (Debian: systemd, util-linux)"
  exit 0
fi
. "$E2E_DIR/lib/standin.sh"
. "$E2E_DIR/lib/argv-watch.sh"
export HS_EXEC_RETRY_BASE_MS=50

TOKEN=svc-key.opaque-0123456789
TOKEN2=pat-na1-5b0f4c1e-2a7d-4e93-8c61-0d9e8f7a6b5c
# The child compares what it got with this, so that no token is in argv.
export EXPECT=$TOKEN
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth"]}}}}}
JSON
standin_start --rotate-refresh-tokens

creds="$E2E_SCRATCH/credstore"
conf="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
mkdir -p "$(dirname "$conf")"
config() { # config [KEY=VALUE…]: the systemd-creds store alone, dir= ours
  hs_conf "$(printf '[stores]\norder=systemd-creds\n\n[store systemd-creds]\ndir=%s\n' "$creds"
    for kv in "$@"; do printf '%s\n' "$kv"; done)"
}
cred="$creds/hubspot.prod.cred"
# decrypts_to FILE PROFILE WANT: whether root's decrypt of FILE holds WANT
# (yes or no; the plaintext is never shown)
decrypts_to() {
  # WANT goes to grep as a file: on its command line it would be in argv.
  systemd-creds decrypt --name="hubspot.$2" "$1" - 2>/dev/null |
    grep -qFf <(printf '%s\n' "$3") && echo yes || echo no
}

# ---- no secret in any argv (argv-watch.sh); it counts the systemd-creds
# command lines it caught ----
argv_watch_start encrypt decrypt

# ---- options ----
config colour=red
run "$HS_EXEC" prod -- true
fails_with 6 hs-exec "unknown option"
like "$err" "^hs-exec: $conf:4: \[store systemd-creds\]: .*unknown option 'colour'" "unknown option: names the file, line, store and key"
config with-key=sometimes
run "$HS_EXEC" prod -- true
fails_with 6 hs-exec "a with-key the store does not know"
like "$err" "with-key='sometimes'" "bad with-key: names the value"
hs_conf "$(printf '[stores]\norder=keyctl\n[store keyctl]\nring=x')"
run "$HS_EXEC" prod -- true
fails_with 6 hs-exec "an option for a store that takes none"
like "$err" "\[store keyctl\]: store keyctl: unknown option 'ring'; this store takes none" "keyctl: says it takes none"
config
chmod 664 "$conf"
run "$HS_EXEC" prod -- true
fails_with 6 hs-exec "a [store NAME] section in a group-writable file"
chmod 644 "$conf"

# ---- add as root: encrypted with the host key ----
run --in "$TOKEN" "$HS_TOKEN" add prod --store systemd-creds --kind service-key --no-verify
is "$status" 0 "add --store systemd-creds: exit 0"
like "$out" "to store systemd-creds" "add: says where it went"
is "$(stat -c %a "$cred" 2>/dev/null)" 600 "the credential file has mode 0600"
is "$(ls -A "$creds")" "hubspot.prod.cred" "nothing else in the directory (no temporary file)"
is "$(grep -cFf <(printf '%s\n' "$TOKEN") "$cred")" 0 "the file does not hold the token in plain text"
is "$(decrypts_to "$cred" prod "\"token\":\"$TOKEN\"")" yes "systemd-creds decrypt of the file gives the record"
is "$(decrypts_to "$cred" prod "kind=service-key")" yes "...after the attributes"
run "$HS_EXEC" prod -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "hs-exec as root decrypts it: the child gets the token"
run "$HS_TOKEN" list
like "$out" "prod +service-key .* systemd-creds" "list as root"

# ---- a failed encrypt leaves the old credential ----
if systemd-creds has-tpm2 >/dev/null 2>&1; then
  ok "failed encrypt # SKIP this machine has a TPM2, so with-key=tpm2 would not fail"
else
  before=$(sha256sum <"$cred")
  config with-key=tpm2
  run --in "$TOKEN2" "$HS_TOKEN" add prod --force --store systemd-creds --kind private-app --no-verify
  fails_with 3 hs-token "encrypt with a TPM2 that is not there"
  like "$err" "the old credential is unchanged" "failed encrypt: says the old credential stays"
  is "$(sha256sum <"$cred")" "$before" "failed encrypt: the credential file is the same"
  is "$(ls -A "$creds")" "hubspot.prod.cred" "failed encrypt: no temporary file left"
  config
  run "$HS_EXEC" prod -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
  is "$status" 0 "failed encrypt: hs-exec still gets the old token"
fi

# ---- a simulated service start ----
# As systemd does for LoadCredentialEncrypted=: decrypt into a directory
# only the service can read, name it in $CREDENTIALS_DIRECTORY, and run the
# service as its (unprivileged) user.  The scratch directory is opened for
# traversal so that nobody reaches svc/ (the build tree must be readable).
chmod 711 "$E2E_SCRATCH"
svc="$E2E_SCRATCH/svc"
mkdir -p "$svc/run" "$svc/conf/hs-exec" "$svc/home" "$svc/runtime"
cp "$conf" "$svc/conf/hs-exec/hs-exec.conf"
chmod -R a+rX "$svc/conf"
systemd-creds decrypt --name=hubspot.prod "$cred" "$svc/run/hubspot.prod" 2>/dev/null
chown -R nobody:nogroup "$svc/run" "$svc/home" "$svc/runtime"
chmod 400 "$svc/run/hubspot.prod"
chmod 500 "$svc/run"
chmod 700 "$svc/home" "$svc/runtime"
planted "$svc/run"
as_service() { # as_service [VAR=VALUE…] CMD…: as nobody, a service's environment
  # (EXPECT stays in the environment: on env's command line it would be a
  # secret in argv)
  ( unset XDG_STATE_HOME XDG_DATA_HOME XDG_CACHE_HOME TMPDIR CREDENTIALS_DIRECTORY \
      DBUS_SESSION_BUS_ADDRESS
    export HOME="$svc/home" XDG_CONFIG_HOME="$svc/conf" XDG_RUNTIME_DIR="$svc/runtime"
    exec setpriv --reuid=nobody --regid=nogroup --clear-groups env "$@" )
}
if ! as_service test -x "$HS_EXEC"; then
  ok "simulated service # SKIP nobody cannot run $HS_EXEC (the build tree is not readable)"
else
  run as_service CREDENTIALS_DIRECTORY="$svc/run" "$HS_EXEC" prod -- \
    sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT" && id -u'
  is "$status" 0 "in the service: exit 0"
  is "$out" 65534 "in the service: the child, as nobody, gets the token"
  is "$err" "" "in the service: nothing on stderr"
  run as_service "$HS_EXEC" prod -- true
  fails_with 3 hs-exec "not root and no \$CREDENTIALS_DIRECTORY"
  like "$err" "decrypted only by root, and \\\$CREDENTIALS_DIRECTORY is not set" "says why"
  run as_service CREDENTIALS_DIRECTORY="$svc/run" "$HS_EXEC" other -- true
  fails_with 3 hs-exec "a profile the service was not given"
  like "$err" "LoadCredentialEncrypted=hubspot.other:$creds/hubspot.other.cred" "says the line to add"
  run as_service CREDENTIALS_DIRECTORY="$svc/run" "$HS_TOKEN" remove prod
  fails_with 3 hs-token "remove inside the service"
  like "$err" "read-only here" "the credential is read-only in the service"
fi

# ---- OAuth: root's rotate updates the credential; the service reports a
# refresh token it cannot keep ----
# This run's own name: the service (nobody) caches the access token in
# nobody's user keyring, which the end of this script empties of it.
APP=$(tagged app)
nobody_drop_cache() {
  as_service sh -c 'id=$(keyctl search @u user "hs-exec:$1" 2>/dev/null) && keyctl invalidate "$id"; true' sh "$APP"
}
printf 'client_secret=cs-secret-1\nrefresh_token=rt-initial-1\n' |
  "$HS_TOKEN" add $APP --store systemd-creds --kind oauth --client-id cid-1 >/dev/null 2>&1
is "$?" 0 "add an oauth profile (verified at the stand-in)"
app_cred="$creds/hubspot.$APP.cred"
before=$(systemd-creds decrypt --name=hubspot.$APP "$app_cred" - 2>/dev/null | sha256sum)
run "$HS_TOKEN" rotate $APP
is "$status" 0 "hs-token rotate $APP as root: exit 0"
# Root's rotate cached an access token the service would otherwise use.
drop_cache $APP
after=$(systemd-creds decrypt --name=hubspot.$APP "$app_cred" - 2>/dev/null | sha256sum)
unlike "$after" "^$before\$" "rotate as root wrote the rotated refresh token into the credential"
systemd-creds decrypt --name=hubspot.$APP "$app_cred" "$svc/run/hubspot.$APP" 2>/dev/null
chown nobody:nogroup "$svc/run/hubspot.$APP"
chmod 400 "$svc/run/hubspot.$APP"
if as_service test -x "$HS_EXEC"; then
  run as_service CREDENTIALS_DIRECTORY="$svc/run" "$HS_EXEC" $APP -- true
  is "$status" 0 "oauth in the service: the command runs"
  like "$err" "new refresh token for profile $APP but it could not be saved" "oauth in the service: a rotated refresh token that cannot be kept is reported"
  like "$err" "as root, run 'hs-token rotate $APP' and restart the service" "...with what to do"
  nobody_drop_cache
fi

# ---- hs-token unit: a drop-in that systemd accepts ----
units="$E2E_SCRATCH/units"
mkdir -p "$units"
cat >"$units/myapp.service" <<'UNIT'
[Unit]
Description=an app that talks to HubSpot
[Service]
ExecStart=/bin/sleep 1
[Install]
WantedBy=multi-user.target
UNIT
run "$HS_TOKEN" unit prod "$units/myapp.service"
is "$status" 0 "unit: exit 0"
is "$(printf '%s\n' "$out" | grep -v '^#')" "[Service]
LoadCredentialEncrypted=hubspot.prod:$creds/hubspot.prod.cred
ExecStart=
ExecStart=$HS_BINDIR/hs-exec prod -- /bin/sleep 1" "unit: the credential line and the unit's command through the installed hs-exec"
unit_out=$out
run "$HS_TOKEN" unit $APP myapp-nowhere
unlike "$out" "^KeyringMode=" "unit, oauth profile: no KeyringMode= (the cache works from a private session keyring)"
like "$out" "RuntimeDirectory=hs-exec-%N" "unit, oauth profile: a runtime directory for the refresh lock"
like "$out" "# EDIT: " "unit, unit file not found: a placeholder to edit"
like "$err" "^hs-token: note: the unit file was not found" "unit, unit file not found: says so"
oauth_out=$out
if ! systemd-analyze verify "$units/myapp.service" >/dev/null 2>&1; then
  ok "systemd-analyze verify # SKIP it rejects even a plain unit here (no systemd as PID 1?)"
else
  # The hs-exec under test stands for the installed one, which need not
  # exist: verify checks that ExecStart= names an executable.
  mkdir -p "$units/myapp.service.d"
  printf '%s\n' "$unit_out" | sed "s|$HS_BINDIR/hs-exec|$HS_EXEC|" >"$units/myapp.service.d/hubspot.conf"
  run systemd-analyze verify "$units/myapp.service"
  is "$status:$err" "0:" "systemd-analyze verify accepts the drop-in, without a warning"
  printf '%s\n' "$oauth_out" | sed "s|$HS_BINDIR/hs-exec|$HS_EXEC|; s|/path/to/command|/bin/sleep 1|" \
    >"$units/myapp.service.d/hubspot.conf"
  run systemd-analyze verify "$units/myapp.service"
  is "$status:$err" "0:" "systemd-analyze verify accepts the oauth drop-in, without a warning"
  printf '[Service]\nKeyringMode=sometimes\n' >"$units/myapp.service.d/hubspot.conf"
  run systemd-analyze verify "$units/myapp.service"
  like "$err" "hubspot.conf" "(verify does read the drop-in: it reports a bad one)"
fi

# ---- remove as root ----
run "$HS_TOKEN" remove prod
is "$status" 0 "remove as root"
is "$(ls -A "$creds")" "hubspot.$APP.cred" "remove: the credential file is gone"

argv_watch_stop
echo "# the argv watcher caught $(grep -cv canary "$argv_seen") systemd-creds command lines"
rm -f "$argv_hits"
finish
