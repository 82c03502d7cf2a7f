#!/bin/bash
# SPDX-License-Identifier: MIT
# secrets-nowhere.sh — runs after every other test (tests/local.mk orders it):
# no captured stdout/stderr of any test (the .log files automake keeps)
# holds a secret the tests used — the fixed ones in secrets.list, or any
# token the HubSpot stand-in issued during the run ($E2E_ISSUED_LOG, which
# e2e.sh's finish() fills).  Each test's own files are searched by its
# finish().  Not part of installcheck, which keeps no logs.
set -u
. "$E2E_DIR/lib/e2e.sh"
: "${E2E_LOG_DIR:?}" "${E2E_ISSUED_LOG:?}"
patterns="$E2E_SCRATCH/.log-patterns"
{ grep -v '^#' "$E2E_DIR/lib/secrets.list" | grep .; cat "$E2E_ISSUED_LOG" 2>/dev/null; } >"$patterns"
mapfile -t logs < <(find "$E2E_LOG_DIR" -name '*.log' ! -name secrets-nowhere.log ! -name test-suite.log)
like "${#logs[@]}" '^[1-9][0-9]*$' "there are test logs to search"
like "$(wc -l <"$E2E_ISSUED_LOG" 2>/dev/null)" '^[1-9][0-9]*$' "the stand-in's issued tokens were collected"
hits=$(grep -lFf "$patterns" "${logs[@]}" 2>/dev/null)
rm -f "$patterns"
is "$hits" "" "no test's captured stdout or stderr holds a secret the tests used"
finish
