#!/bin/bash
# SPDX-License-Identifier: MIT
# The plugin SDK: plugin/example/ builds out of tree against the *installed*
# hs-plugin.h through pkg-config, and hs-exec uses it end to end, named by
# absolute path in a private config file.  Runs under `make installcheck`
# (and so `make distcheck`), where an installed tree exists.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
if [ -z "${HS_INSTALLED_PKGCONFIG:-}" ]; then
  echo "1..0 # SKIP needs an installed tree (make installcheck)"
  exit 0
fi
TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
build="$E2E_SCRATCH/example"
cp -r "$E2E_DIR/../../plugin/example" "$build"
chmod -R u+w "$build"
run make -C "$build" PKG_CONFIG_PATH="$HS_INSTALLED_PKGCONFIG"
is "$status" 0 "the example plugin builds out of tree with pkg-config"
so="$build/example.so"
chmod 0755 "$so"
is "$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^$' | sort | tr '\n' ' ')" "hs_plugin_v1 " "it exports hs_plugin_v1 alone"

conf="$XDG_CONFIG_HOME/hs-exec/hs-exec.conf"
mkdir -p "$(dirname "$conf")"
printf '[stores]\norder=%s secret-service\n' "$so" >"$conf"
chmod 0600 "$conf"
run --in "$TOKEN" "$HS_TOKEN" add demo --kind private-app --no-verify --hub-id 31
is "$status" 0 "add through the example store"
like "$out" "to store example" "the first store, the example plugin, took it"
like "$(keyctl show @s)" "hs-exec-example:demo" "it is a key in the session keyring"
# Without the secrets, as list asks: the kind and hub id still come back.
run "$HS_TOKEN" list
like "$out" "demo +private-app +31 +example" "list: served by the example store"
unlike "$err" "skipped" "list: no profile skipped for its attributes"
run "$HS_TOKEN" list --long
like "$out" "demo +private-app +31 +na1 +example" "list --long: the record from the example store"
run "$HS_EXEC" demo -- sh -c 'printf %s "$HUBSPOT_ACCESS_TOKEN"'
is "$out" "$TOKEN" "hs-exec: the token from the example store"
run "$HS_TOKEN" remove demo
is "$status" 0 "remove through the example store"
run "$HS_EXEC" demo -- true
fails_with 2 hs-exec "after remove"

chmod 0775 "$so"
run "$HS_TOKEN" list
like "$err" "writable by group or others" "a group-writable plugin is refused"
chmod 0755 "$so"
chmod 0666 "$conf"
run "$HS_TOKEN" list
fails_with 6 hs-token "a plugin path from a world-writable config file"
finish
