#!/bin/bash
# SPDX-License-Identifier: MIT
# The built plugin exports hs_plugin_v1 and no other symbol (as pam_u2f's
# dlsym test does), so that a plugin cannot clash with the host or another.
set -u
. "$E2E_DIR/lib/e2e.sh"

for name in secret-service keyctl systemd-creds vault pass; do
  so="${PLUGIN_SO_DIR:?}/$name.so"
  if [ -f "$so" ]; then ok "$name.so is built"; else not_ok "no $so"; fi
  syms=$(${NM:-nm} -D --defined-only "$so" | awk '{print $3}' | grep -v '^$' | sort)
  is "$syms" "hs_plugin_v1" "$name.so exports hs_plugin_v1 alone"
  kind=$(${NM:-nm} -D --defined-only "$so" | awk '$3 == "hs_plugin_v1" {print $2}')
  # A const table of function pointers lands in .data.rel.ro ("D"), which
  # RELRO makes read-only once relocated, or in .rodata ("R").
  like "$kind" "^[DR]$" "$name.so: hs_plugin_v1 is a data object, not a function"
done
finish
