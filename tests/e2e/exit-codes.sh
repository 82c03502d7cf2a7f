#!/bin/bash
# SPDX-License-Identifier: MIT
# The exit-code table, driven: every code the README's table gives each
# column (hs-exec and hs-token; hs-token check; hs-token scan) is produced by
# a case here, and the man pages list the same codes.  A code added to the
# table without a case here, or a case for a code the table lacks, fails.
set -u
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
. "$E2E_DIR/lib/session-keyring.sh" # tagged
export HS_EXEC_RETRY_BASE_MS=1

TOP=${TOP_SRCDIR:-$E2E_DIR/../..}
PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
STALE=pat-na1-00000000-0000-0000-0000-000000000000
STANDIN_SEED="$E2E_SCRATCH/seed.json"
echo "{\"private_apps\": {\"$PAT\": {\"hub_id\": 12345678, \"hublet\": \"na1\"}}}" >"$STANDIN_SEED"
standin_start
later() { echo $(($(date +%s) + $1 * 86400)); }
PROD=$(tagged prod) BAD=$(tagged stale)

# ---- the documented codes ----
# README: "| code | hs-exec and hs-token | `hs-token check` | `hs-token scan` |"
# COLUMN: 3 both programs, 4 check, 5 scan.
readme_codes() {
  awk -F '|' -v col="$1" '
    /^\| code \| hs-exec and hs-token \|/ { t = 1; next }
    t && !/^\|/ { exit }
    t && $2 ~ /^ *[0-9]+ *$/ && $col !~ /^ *$/ { gsub(/ /, "", $2); print $2 }
  ' "$TOP/README.md" | tr '\n' ' '
}
# The `.B N` codes of a man page's EXIT STATUS, in its sub-section SS
# ("" for the part before the first .SS).
man_codes() { # PAGE SS
  awk -v want="$2" '
    /^\.SH / { in_es = ($0 == ".SH EXIT STATUS"); ss = ""; next }
    !in_es { next }
    /^\.SS / { ss = $2; next }
    ss == want && /^\.B [0-9]+$/ { print $2 }
  ' "$TOP/packaging/man/$1" | tr '\n' ' '
}
both=$(readme_codes 3) check_codes=$(readme_codes 4) scan_codes=$(readme_codes 5)
is "$both" "0 1 2 3 4 5 6 7 126 127 " "README: the table of both programs"
is "$check_codes" "0 1 2 3 " "README: check's column"
is "$scan_codes" "0 1 2 " "README: scan's column"
is "0 $(man_codes hs-exec.1 "")" "$both" "hs-exec(1) lists the README's codes"
is "$(man_codes hs-token.1 "")126 127 " "$both" "hs-token(1) lists the README's codes (126 and 127 are hs-exec's)"
is "$(man_codes hs-token.1 check)" "$check_codes" "hs-token(1) lists check's codes as the README"
is "$(man_codes hs-token.1 scan)" "$scan_codes" "hs-token(1) lists scan's codes as the README"

# ---- the cases ----
run --in "$PAT" "$HS_TOKEN" add "$PROD" --kind private-app
is "$status" 0 "set-up: add $PROD"
run --in "$STALE" "$HS_TOKEN" add "$BAD" --kind private-app --no-verify
is "$status" 0 "set-up: add $BAD"
CLEAN="$E2E_SCRATCH/clean" DIRTY="$E2E_SCRATCH/dirty"
mkdir -p "$CLEAN" "$DIRTY" && echo hello >"$CLEAN/a.txt"
printf 'HUBSPOT_ACCESS_TOKEN=%s\n' "$PAT" >"$DIRTY/.env"
planted "$DIRTY"
printf '#!/bin/sh\n' >"$E2E_SCRATCH/not-executable"

# drive COLUMN CODE: one case (or more) that must exit CODE, each checked
# with fails_with (one line on stderr, "PROG: …") unless CODE is 0.
expect() { # CODE PROG DESC
  if [ "$1" = 0 ]; then is "$status" 0 "$3: exit 0"; else fails_with "$1" "$2" "$3"; fi
}
drive() {
  case "$1:$2" in
    both:0)
      run "$HS_TOKEN" list; expect 0 hs-token "hs-token list"
      run "$HS_EXEC" "$PROD" -- true; expect 0 hs-exec "hs-exec PROFILE -- true" ;;
    both:1)
      run "$HS_TOKEN" list --bogus; expect 1 hs-token "hs-token list --bogus"
      run "$HS_TOKEN" --json list; expect 1 hs-token "an option before the command"
      run "$HS_EXEC" --bogus "$PROD" -- true; expect 1 hs-exec "hs-exec --bogus" ;;
    both:2)
      run "$HS_TOKEN" show nosuch; expect 2 hs-token "hs-token show of no such profile"
      run "$HS_EXEC" nosuch -- true; expect 2 hs-exec "hs-exec of no such profile" ;;
    both:3)
      run env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/hs-exec-test-bus \
        "$HS_TOKEN" list
      expect 3 hs-token "hs-token list without D-Bus"
      run env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/hs-exec-test-bus \
        "$HS_EXEC" "$PROD" -- true
      expect 3 hs-exec "hs-exec without D-Bus" ;;
    both:4)
      run --in "$STALE" "$HS_TOKEN" add refused --kind private-app
      expect 4 hs-token "hs-token add of a token HubSpot refuses" ;;
    both:5)
      run --in "$PAT" with_api_base https://127.0.0.1:9 "$HS_TOKEN" add unreachable --kind private-app
      expect 5 hs-token "hs-token add with HubSpot unreachable" ;;
    both:6)
      hs_conf "$(printf '[stores]\norder=no-such-plugin')"
      run "$HS_TOKEN" list; expect 6 hs-token "hs-token with a store that does not exist"
      run "$HS_EXEC" "$PROD" -- true; expect 6 hs-exec "hs-exec with a store that does not exist"
      hs_conf "" ;;
    both:7)
      # Out of descriptors for --fd's pipe: the system refused, not usage.
      run prlimit --nofile=64 -- "$HS_EXEC" --fd 1000 "$PROD" -- true
      expect 7 hs-exec "hs-exec --fd beyond the descriptor limit" ;;
    both:126)
      run "$HS_EXEC" "$PROD" -- "$E2E_SCRATCH/not-executable"
      expect 126 hs-exec "COMMAND not executable" ;;
    both:127)
      run "$HS_EXEC" "$PROD" -- hs-exec-no-such-command
      expect 127 hs-exec "COMMAND not found" ;;
    check:0)
      run "$HS_TOKEN" check "$PROD"; expect 0 hs-token "check OK" ;;
    check:1)
      if test_hooks; then
        run env HS_EXEC_FAKE_NOW="$(later 200)" "$HS_TOKEN" check "$PROD"
        expect 1 hs-token "check WARNING: a rotation due"
      else
        ok "# SKIP check WARNING: the installed programs have no fake clock"
      fi ;;
    check:2)
      run "$HS_TOKEN" check "$BAD"; expect 2 hs-token "check CRITICAL: a refused token"
      if test_hooks; then
        run env HS_EXEC_FAKE_NOW="$(later 400)" "$HS_TOKEN" check "$PROD"
        expect 2 hs-token "check CRITICAL: a rotation overdue"
      fi
      run "$HS_TOKEN" check "$PROD" "$BAD"; expect 2 hs-token "check CRITICAL: one of two" ;;
    check:3)
      run "$HS_TOKEN" check nosuch; expect 3 hs-token "check UNKNOWN: no such profile"
      run env DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/hs-exec-test-bus \
        "$HS_TOKEN" check "$PROD"
      expect 3 hs-token "check UNKNOWN: store unavailable"
      run with_api_base https://127.0.0.1:9 "$HS_TOKEN" check "$PROD"
      expect 3 hs-token "check UNKNOWN: HubSpot unreachable"
      run "$HS_TOKEN" check --bogus; expect 3 hs-token "check UNKNOWN: a bad option" ;;
    scan:0)
      run "$HS_TOKEN" scan "$CLEAN"; expect 0 hs-token "scan clean" ;;
    scan:1)
      run "$HS_TOKEN" scan "$DIRTY"; expect 1 hs-token "scan: credentials found" ;;
    scan:2)
      run "$HS_TOKEN" scan "$E2E_SCRATCH/nonexistent"; expect 2 hs-token "scan of a missing path"
      run "$HS_TOKEN" scan --bogus; expect 2 hs-token "scan with a bad option"
      if command -v git >/dev/null; then
        cd "$E2E_SCRATCH" || exit 1
        run env GIT_CEILING_DIRECTORIES="$E2E_SCRATCH" "$HS_TOKEN" scan --staged
        expect 2 hs-token "scan --staged outside a git tree"
        cd - >/dev/null || exit 1
      fi
      scan_unreadable ;;
    *) not_ok "no case drives $1's documented exit code $2" ;;
  esac
}

# An unreadable file: 2 even when another file holds a token, as grep.
# root reads anything, so then the scan runs as nobody.
scan_unreadable() {
  local d="$E2E_SCRATCH/unreadable" as=()
  mkdir -p "$d" && cp "$DIRTY/.env" "$d/.env" && echo x >"$d/secret.txt"
  planted "$d"
  chmod 000 "$d/secret.txt"
  if [ "$(id -u)" = 0 ]; then
    if ! command -v setpriv >/dev/null; then
      ok "# SKIP scan of an unreadable file: root, and no setpriv"
      return
    fi
    chmod 755 "$E2E_SCRATCH" "$d" && chmod 644 "$d/.env"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  fi
  run "${as[@]}" "$HS_TOKEN" scan "$d"
  if [ "${#as[@]}" -gt 0 ] && [[ $err == *"Permission denied"*"$HS_TOKEN"* || $status == 126 ]]; then
    ok "# SKIP scan of an unreadable file: nobody cannot run $HS_TOKEN here"
    return
  fi
  is "$status" 2 "scan with an unreadable file and a token: exit 2"
  like "$err" "cannot read .*secret.txt" "scan with an unreadable file: names it"
  like "$out" "\.env:1: private-app" "scan with an unreadable file: still reports the token"
}

for c in $both; do drive both "$c"; done
for c in $check_codes; do drive check "$c"; done
for c in $scan_codes; do drive scan "$c"; done

"$HS_TOKEN" remove "$PROD" >/dev/null
"$HS_TOKEN" remove "$BAD" >/dev/null
finish
