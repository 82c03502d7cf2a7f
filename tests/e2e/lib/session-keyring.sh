# SPDX-License-Identifier: MIT
# session-keyring.sh — run the sourcing script in a kernel session keyring
# of its own (sourced first, bash): the script starts again under
# `keyctl session -`.  It sets no keyring override: a script that moves the
# token cache (HS_EXEC_CACHE_KEYRING) or the keyctl store
# (HS_EXEC_KEYCTL_KEYRING) off the user keyring says so itself, and why.
#
#   cache_id PROFILE     the key id of PROFILE's cached access token in the
#                        session keyring, or nothing
#   drop_cache PROFILE   PROFILE has no cached access token any more

if [ -z "${HS_IN_KEYCTL_SESSION:-}" ]; then
  HS_IN_KEYCTL_SESSION=1 exec keyctl session - bash "$0" "$@"
fi

cache_id() { keyctl search @s user "hs-exec:$1" 2>/dev/null; }
drop_cache() {
  local id
  id=$(cache_id "$1") && keyctl unlink "$id" @s >/dev/null
  return 0
}
