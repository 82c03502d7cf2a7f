#!/bin/bash
# SPDX-License-Identifier: MIT
# The README's "Headless hosts, CI and services": each recipe's block, as
# written there, run in the kind of session it is for, with the programs on
# PATH and the kernel keyring as the store.  A CI job: a `keyctl session`
# without @u and without D-Bus, a profile with --ttl; an ssh session: the
# same kind of session, the profile read from a later one; a systemd
# service: the unit checked by systemd-analyze, and its Exec lines each run
# as KeyringMode=private runs them (a new session and session keyring of
# their own, no @u).  The shipped user unit is checked too.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
README="$E2E_DIR/../../README.md"
PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
STANDIN_SEED="$E2E_SCRATCH/seed.json"
printf '{"private_apps": {"%s": {"hub_id": 4242, "hublet": "na1", "scopes": []}}}\n' \
  "$PAT" >"$STANDIN_SEED"
standin_start

# The block after the README's "<!-- e2e: NAME -->" line.
readme_block() {
  awk -v mark="<!-- e2e: $1 -->" '
    $0 == mark { state = 1; next }
    state == 1 && /^```/ { state = 2; next }
    state == 2 && /^```/ { exit }
    state == 2 { print }' "$README"
}
for name in headless-conf headless-ci headless-ssh headless-service; do
  [ -n "$(readme_block $name)" ] || { echo "Bail out! README.md has no block $name"; exit 1; }
done

# The programs as a user has them, on PATH; what the recipes run records the
# token it was given (those files hold it on purpose), its XDG_RUNTIME_DIR
# and the /proc/keys line of its profile's key.
bin="$E2E_SCRATCH/bin" seen="$E2E_SCRATCH/seen"
mkdir -p "$bin" "$seen"
planted "$seen"
ln -s "$HS_EXEC" "$bin/hs-exec"
ln -s "$HS_TOKEN" "$bin/hs-token"
cat >"$bin/record" <<'SH'
#!/bin/sh
printf %s "$HUBSPOT_ACCESS_TOKEN" >"$SEEN/$1.token"
printf %s "$XDG_RUNTIME_DIR" >"$SEEN/$1.runtime"
awk -v d="hs-exec-profile:$HS_EXEC_PROFILE:" '$9 == d' /proc/keys >"$SEEN/$1.key"
SH
printf '#!/bin/sh\nexec record npm\n' >"$bin/npm"
printf '#!/bin/sh\nexec record ssh\n' >"$E2E_SCRATCH/sync"
printf '#!/bin/sh\nexec record service\n' >"$bin/service-run"
chmod +x "$bin"/* "$E2E_SCRATCH/sync"
export PATH="$bin:$PATH" SEEN="$seen"
cd "$E2E_SCRATCH"
conf="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
hs_conf "$(readme_block headless-conf)"
# Where a profile of this run is: its key in @u, or nothing.
profile_key() { keyctl search @u user "hs-exec-profile:$1" 2>/dev/null; }

# ---- a CI job: no D-Bus, a session keyring without @u ----
job=$E2E_TAG # the profile, ci-$CI_JOB_ID, ends with the run's tag
run in_session plain env -u DBUS_SESSION_BUS_ADDRESS CI_JOB_ID="$job" \
  HUBSPOT_TOKEN="$PAT" bash -eu -c "$(readme_block headless-ci)"
is "$status" 0 "CI job: the recipe runs"
is "$(cat "$seen/npm.token" 2>/dev/null)" "$PAT" "CI job: npm run sync got the token"
like "$(cat "$seen/npm.key" 2>/dev/null)" "^[0-9a-f]+ +[^ ]+ +[0-9]+ +[0-9]+h " \
  "CI job: while it ran, the profile's key had a timeout of hours (--ttl 8h)"
is "$(profile_key "ci-$job")" "" "CI job: nothing of it is left in the user keyring"

# ---- an ssh session: the same kind of session; a later one reads it ----
prod=$(tagged prod)
ssh_block=$(readme_block headless-ssh | sed "s/ prod / $prod /")
run --in "$PAT" in_session plain env -u DBUS_SESSION_BUS_ADDRESS bash -eu -c "$ssh_block"
is "$status" 0 "ssh: the recipe runs (the token on standard input)"
is "$(cat "$seen/ssh.token" 2>/dev/null)" "$PAT" "ssh: ./sync got the token"
rm -f "$seen/ssh.token"
run in_session plain env -u DBUS_SESSION_BUS_ADDRESS bash -eu -c "$(printf '%s\n' "$ssh_block" | grep '^hs-exec')"
is "$status" 0 "ssh: a later session runs hs-exec"
is "$(cat "$seen/ssh.token" 2>/dev/null)" "$PAT" "ssh: a later session reads the profile"
run in_session plain "$HS_TOKEN" remove "$prod"
is "$status" 0 "ssh: a third session removes it"
is "$(profile_key "$prod")" "" "ssh: removed from the user keyring"

# ---- a systemd service ----
sync=$(tagged sync)
units="$E2E_SCRATCH/units" creds="$E2E_SCRATCH/credentials"
mkdir -p "$units" "$creds" "$XDG_RUNTIME_DIR/system"
printf '%s\n' "$PAT" >"$creds/hubspot-token"
planted "$creds"
# The unit as written, but with this test's programs, run script and files.
readme_block headless-service |
  sed -e "s|/usr/bin/|$bin/|g" -e "s|/opt/hubspot-sync/run|$bin/service-run|" \
    -e "s|/etc/hubspot-sync/token|$creds/hubspot-token|" \
    -e "s/ sync / $sync /; s/ sync\$/ $sync/" >"$units/hubspot-sync.service"
if command -v systemd-analyze >/dev/null; then
  run systemd-analyze verify --man=no "$units/hubspot-sync.service"
  is "$status $err" "0 " "service: systemd-analyze verify finds nothing wrong in the unit"
  sed "s|@bindir[@]|$(dirname "$HS_TOKEN")|" \
    "$E2E_DIR/../../packaging/systemd/hs-token-check.service.in" >"$units/hs-token-check.service"
  cp "$E2E_DIR/../../packaging/systemd/hs-token-check.timer" "$units/"
  run systemd-analyze --user verify --man=no "$units/hs-token-check.service" "$units/hs-token-check.timer"
  is "$status $err" "0 " "the shipped hs-token-check units: systemd-analyze verify finds nothing wrong"
else
  ok "# SKIP service: no systemd-analyze"
  ok "# SKIP shipped units: no systemd-analyze"
fi
# What RuntimeDirectory= and Environment= give it; %t and %d as systemd
# fills them in.
rt="$XDG_RUNTIME_DIR/system/hubspot-sync"
mkdir -m 0700 "$rt"
env_line=$(sed -n 's/^Environment=//p' "$units/hubspot-sync.service" | sed "s|%t|$XDG_RUNTIME_DIR/system|")
# exec_line KEY: the unit's KEY= command, as /bin/sh -c would take it.
exec_line() { sed -n "s/^$1=//p" "$units/hubspot-sync.service" | sed "s|%d|$creds|g"; }
# KeyringMode=private: each process a new session keyring without @u, in a
# session of its own, with no D-Bus.
# (keyctl's "Joined session keyring" goes nowhere, the command's stderr is
# kept on descriptor 3, as in_session does.)
as_service() {
  setsid --wait keyctl session - sh -c '
    exec env -u DBUS_SESSION_BUS_ADDRESS "$1" sh -c "$2" 2>&3 3>&-' \
    as_service "$env_line" "$1" 3>&2 2>/dev/null
}
run as_service "$(exec_line ExecStartPre)"
is "$status" 0 "service: ExecStartPre runs"
is "$(profile_key "$sync" | grep -c .)" 1 "service: ExecStartPre added the profile from the credential"
run as_service "$(exec_line ExecStart)"
is "$status" 0 "service: ExecStart runs"
is "$(cat "$seen/service.token" 2>/dev/null)" "$PAT" "service: ExecStart's command got the token"
is "$(cat "$seen/service.runtime" 2>/dev/null)" "$rt" "service: XDG_RUNTIME_DIR (hs-exec's lock directory) is the RuntimeDirectory"
run as_service "$(exec_line ExecStopPost)"
is "$status" 0 "service: ExecStopPost runs"
is "$(profile_key "$sync")" "" "service: ExecStopPost removed the profile"
finish
