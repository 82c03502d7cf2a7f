# SPDX-License-Identifier: MIT
# locked-session.sh — run a command against a locked keyring (sourced, bash).
#
#   locked CMD…   run CMD in a second private D-Bus session whose
#                 gnome-keyring-daemon opens the test's keyring file without
#                 unlocking it (the unlock prompt cannot be shown headless)
#
# Its stderr is filtered after the fact (a filter process running on would
# race run()): the bus's, the daemon's and the prompter's chatter is not the
# program's.
locked() {
  local st=0
  "${DBUS_RUN_SESSION:-dbus-run-session}" -- sh -c '
    "${GNOME_KEYRING_DAEMON:-gnome-keyring-daemon}" --components=secrets --daemonize >/dev/null
    exec "$@"' locked "$@" 2>"$E2E_SCRATCH/locked.err" || st=$?
  grep -Ev '^(dbus-daemon\[|\(gcr-prompter|gnome-keyring-daemon|discover_other_daemon|\*\* )|fd limit|Activat|display|^$' \
    "$E2E_SCRATCH/locked.err" >&2
  return $st
}
