# SPDX-License-Identifier: MIT
# secrets-bus.sh — a D-Bus session whose Secret Service is broken (sourced,
# bash): the bus is there, but org.freedesktop.secrets is started by a
# .service file of the test's own.
#
#   secrets_bus fails CMD…   run CMD on a private session bus where starting
#                            org.freedesktop.secrets fails (its Exec exits 1)
#   secrets_bus hangs CMD…   … where it hangs (its Exec never takes the name)
#   secrets_bus_cleanup      end what the hanging services left running
#
# Like locked(), CMD's stderr is filtered after the fact: the bus's chatter
# is not the program's.

secrets_bus() {
  local how=$1 dir="$E2E_SCRATCH/secrets-bus" st=0
  shift
  mkdir -p "$dir/services"
  # Only this directory: the host's own Secret Service must not be found.
  cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$dir</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$dir/services</servicedir>
  <policy context="default">
    <!-- session.conf's policy: without the second rule nothing is received -->
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  # The hanging one records its pid, so that the test can end it: dbus-daemon
  # leaves it running when the session closes.
  printf '#!/bin/sh\necho $$ >>"%s/hung.pids"\nexec sleep 60 </dev/null >/dev/null 2>&1\n' \
    "$dir" >"$dir/hang"
  chmod +x "$dir/hang"
  case $how in
    fails) exec_line=/bin/false ;;
    hangs) exec_line="$dir/hang" ;;
    *) echo "secrets_bus: fails or hangs, not $how" >&2; return 2 ;;
  esac
  printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=%s\n' \
    "$exec_line" >"$dir/services/org.freedesktop.secrets.service"
  "${DBUS_RUN_SESSION:-dbus-run-session}" --config-file="$dir/bus.conf" -- \
    "$@" 2>"$dir/err" || st=$?
  grep -Ev '^dbus-daemon\[|fd limit|^$' "$dir/err" >&2
  return $st
}

secrets_bus_cleanup() {
  local pids="$E2E_SCRATCH/secrets-bus/hung.pids" pid
  [ -f "$pids" ] || return 0
  while read -r pid; do kill "$pid" 2>/dev/null; done <"$pids"
  rm -f "$pids"
}
