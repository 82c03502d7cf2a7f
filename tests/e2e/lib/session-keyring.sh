# SPDX-License-Identifier: MIT
# session-keyring.sh — run the sourcing script in a kernel session keyring
# of its own (sourced first, bash): the script starts again under
# `keyctl session -`, which does not link the user keyring, as ssh without
# pam_keyinit, cron, CI runners and system services do.  With
# E2E_SESSION_KIND=linked the new session keyring links @u, as a desktop
# login's does.  The token cache and the keyctl store are the programs'
# default, the user keyring (@u), which every test of this user shares: so
# a test names the profiles that leave keys there with $E2E_TAG (unique to
# the run, see tagged), and when it ends every key of @u whose profile
# ends with it, or is named by own_profiles, is invalidated.
#
#   tagged NAME          NAME-$E2E_TAG: a profile name of this run only
#   own_profiles NAME…   profiles without the tag this run leaves keys for
#   cache_id PROFILE     the key id of PROFILE's cached access token in @u,
#                        or nothing
#   drop_cache PROFILE   PROFILE has no cached access token any more
#   in_session KIND CMD… run CMD in a new session keyring of kind `plain`
#                        or `linked`, or (`usersession`) in the user-session
#                        keyring, as a process that has none of its own

if [ -z "${HS_IN_KEYCTL_SESSION:-}" ]; then
  export E2E_TAG="t$$r$RANDOM"
  export E2E_OWN_PROFILES="${E2E_SCRATCH:-${TMPDIR:-/tmp}}/.own-profiles.$E2E_TAG"
  : >"$E2E_OWN_PROFILES"
  # keyctl's own "Joined session keyring" goes nowhere; the script's
  # stderr (kept on descriptor 3) stays its own.
  rc=0
  HS_IN_KEYCTL_SESSION=1 keyctl session - bash -c '
    [ "${E2E_SESSION_KIND:-plain}" = linked ] && keyctl link @u @s >/dev/null
    exec bash "$@" 2>&3 3>&-' session "$0" "$@" 3>&2 2>/dev/null || rc=$?
  # Every key this run left in @u: its profiles end with the tag, or were
  # named.  Invalidation needs only the search permission the programs
  # grant; a key without it is at least unlinked.
  for id in $(keyctl rlist @u 2>/dev/null); do
    desc=$(keyctl rdescribe "$id" 2>/dev/null) || continue
    desc=${desc##*;}
    case $desc in hs-exec:* | hs-exec-profile:*) ;; *) continue ;; esac
    profile=${desc#*:}
    if [ "${profile%-"$E2E_TAG"}" != "$profile" ] ||
      grep -qxF -- "$profile" "$E2E_OWN_PROFILES"; then
      keyctl invalidate "$id" 2>/dev/null || keyctl unlink "$id" @u >/dev/null 2>&1
    fi
  done
  rm -f "$E2E_OWN_PROFILES"
  exit $rc
fi

tagged() { printf '%s-%s' "$1" "$E2E_TAG"; }
own_profiles() { printf '%s\n' "$@" >>"$E2E_OWN_PROFILES"; }
cache_id() { keyctl search @u user "hs-exec:$1" 2>/dev/null; }
drop_cache() {
  local id
  id=$(cache_id "$1") && keyctl invalidate "$id"
  return 0
}
in_session() {
  local kind=$1 name=-
  shift
  [ "$kind" = usersession ] && name="_uid_ses.$(id -u)"
  keyctl session "$name" bash -c '
    [ "$0" = linked ] && keyctl link @u @s >/dev/null
    exec "$@" 2>&3 3>&-' "$kind" "$@" 3>&2 2>/dev/null
}

# The keys of this run in @u that have no timeout, one line of /proc/keys
# each ("perm" in its expiry column; one invalidated, flag i, is gone but
# listed until the kernel collects it).  Only the cache's keys: a profile
# of the keyctl store has no timeout unless it was added with --ttl.
untimed_cache_keys() {
  awk -v tag="-$E2E_TAG:" '$4 == "perm" && $2 !~ /[iRD]/ && $9 ~ /^hs-exec:/ && index($9, tag)' /proc/keys
}
