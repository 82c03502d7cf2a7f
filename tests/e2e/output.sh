#!/bin/bash
# SPDX-License-Identifier: MIT
# Output people can read and parse, and the conveniences of similar tools:
# `list` fits the terminal (a dozen profiles, long names among them) and
# keeps every column in a pipe, `check` has list's header and order, hub ids
# are JSON numbers; slow calls say so on a terminal and only there; an
# unreachable HubSpot and an untrusted certificate say what to do;
# `hs-token token`; hs-exec without COMMAND starts a shell; --mask on a
# terminal gives COMMAND a terminal.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
ON_PTY="$E2E_DIR/lib/on-pty"
APP=$(tagged crm-sync)
export HS_EXEC_RETRY_BASE_MS=50

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": []}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
   "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth"]}}}}}
JSON
standin_start

# Widest line of $1.
widest() { printf '%s\n' "$1" | awk '{ if (length($0) > w) w = length($0) } END { print w + 0 }'; }

# ---- list fits 80 columns; a pipe gets every column ----
add() { run --in "$PAT" "$HS_TOKEN" add "$@" --no-verify; }
add prod --kind private-app --hub-id 12345678
add staging --kind private-app --hub-id 23456789
add marketing-automation-eu --kind private-app --hub-id 145902331
add sandbox-dev --kind private-app --hub-id 5123
add billing-webhooks --kind service-key --hub-id 98765432
add support-inbox --kind service-key --hub-id 12345678
# A personal access key looks like one (a pat- token is refused as one).
PAK=CiRuYTEtb3V0cHV0LTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMQ
run --in "$PAK" "$HS_TOKEN" add cli-alice --kind personal-access-key --hub-id 12345678 --no-verify
run --in "$PAK" "$HS_TOKEN" add cli-bob-personal-sandbox --kind personal-access-key --hub-id 5123 --no-verify
add reporting-readonly --kind private-app --hub-id 12345678
add legacy-import-2024 --kind private-app --hub-id 12345678
add qa --kind private-app
run --in "$(printf 'client_secret=cs-secret-1\nrefresh_token=rt-initial-1\n')" "$HS_TOKEN" add $APP --kind oauth --client-id cid-1
is "$status" 0 "twelve profiles added"
for p in prod staging $APP; do run "$HS_EXEC" $p -- true; done

run env COLUMNS=80 "$HS_TOKEN" list
is "$status" 0 "list, COLUMNS=80: exit 0"
is "$(printf '%s\n' "$out" | wc -l)" 13 "list: a header and twelve rows"
le80=$(widest "$out"); [ "$le80" -le 80 ] && ok "list, COLUMNS=80: fits ($le80 columns)" || not_ok "list, COLUMNS=80: $le80 columns wide"
like "$out" "^PROFILE +KIND +HUB +LAST-USE$" "list, 80 columns: the cached expiry and the store are left out first"
like "$out" "marketing-automation-eu +private-app +145902331 +-" "list, 80 columns: a long name whole"
run "$HS_TOKEN" list
like "$out" "^PROFILE +KIND +HUB +STORE +LAST-USE +CACHED$" "list in a pipe: every column"
like "$out" "$APP +oauth +42 +secret-service +20[0-9-]+T[0-9]{2}:[0-9]{2}Z +20[0-9-]+T[0-9]{2}:[0-9]{2}Z" "list in a pipe: times to the minute, one word each"
[ "$(widest "$out")" -gt 80 ] && ok "list in a pipe: not narrowed" || not_ok "list in a pipe: not narrowed"
out=$("$ON_PTY" --cols 80 "$HS_TOKEN" list 2>&1)
le80=$(widest "$(printf '%s\n' "$out" | grep -v "$API_NOTE")")
[ "$le80" -le 80 ] && ok "list on an 80-column terminal fits ($le80)" || not_ok "list on an 80-column terminal: $le80 wide"
like "$out" "^PROFILE +KIND +HUB +LAST-USE" "list on a terminal: the same columns as COLUMNS=80"
out=$("$ON_PTY" --cols 200 "$HS_TOKEN" list 2>&1)
like "$out" "^PROFILE +KIND +HUB +STORE +LAST-USE +CACHED" "list on a wide terminal: every column"
run env COLUMNS=80 "$HS_TOKEN" list --long
le80=$(widest "$out"); [ "$le80" -le 80 ] && ok "list --long, COLUMNS=80: fits ($le80)" || not_ok "list --long, COLUMNS=80: $le80 wide"
like "$out" "^PROFILE +KIND +HUB +HUBLET +AGE +ROTATION$" "list --long, 80 columns: keeps what --long is for"

# ---- JSON: hub ids are numbers ----
run "$HS_TOKEN" list --json
is "$(printf %s "$out" | python3 -c 'import json,sys; d={p["profile"]: p["hub_id"] for p in json.load(sys.stdin)}; print(repr(d["prod"]), repr(d["qa"]))')" \
   "12345678 None" "list --json: hub_id is a number (null when unknown)"
run "$HS_TOKEN" show marketing-automation-eu --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)["hub_id"]))')" "145902331" "show --json: hub_id is a number"

# ---- check: list's header and order ----
run "$HS_TOKEN" check prod $APP
is "$status" 0 "check: exit 0"
like "$out" "^PROFILE +KIND +HUB +AGE +ROTATION +RESULT +DETAIL$" "check: a header, in list --long's order"
like "$out" "prod +private-app +12345678 +0d +ok +ok +-" "check: a row under it"
run "$HS_TOKEN" check prod --json
is "$(printf %s "$out" | python3 -c 'import json,sys; print(repr(json.load(sys.stdin)[0]["hub_id"]))')" "12345678" "check --json: hub_id is a number"

# ---- hs-token token: only the token, audited ----
run "$HS_TOKEN" token prod
is "$status" 0 "token: exit 0"
is "$out" "$PAT" "token of a static profile: the token alone on stdout"
is "$err" "" "token: nothing else on stderr"
exec_token $APP
cached=$out
run "$HS_TOKEN" token $APP
is "$out" "$cached" "token of an oauth profile: the cached access token, as hs-exec hands it"
ctl POST reset-counters >/dev/null
run "$HS_TOKEN" token --min-ttl 999999 $APP
is "$status" 0 "token --min-ttl: exit 0"
is "$(token_requests)" 1 "token --min-ttl longer than its life: refreshed first"
[ -n "$out" ] && [ "$out" != "$cached" ] && ok "token after a refresh: the new token" || not_ok "token after a refresh: the new token"
run "$HS_TOKEN" audit prod --json
like "$out" '"event" *: *"token"' "token: audited"
run "$HS_TOKEN" token nobody
is "$status" 2 "token of a missing profile: exit 2"
like "$err" "^hs-token: .*nobody" "token of a missing profile: says so"

# ---- hs-exec PROFILE without COMMAND: the user's shell ----
shell_script='printf "%s|%s" "$HUBSPOT_ACCESS_TOKEN" "$HS_EXEC_PROFILE"'
run --in "$shell_script" env SHELL=/bin/sh "$HS_EXEC" prod
is "$status" 0 "hs-exec PROFILE: exit 0"
is "$out" "$PAT|prod" "hs-exec PROFILE: \$SHELL runs with the token"
fake_shell="$E2E_SCRATCH/fake-shell"
printf '#!/bin/sh\necho "fake shell $# ${HUBSPOT_ACCESS_TOKEN:+with the token}"\n' >"$fake_shell"
chmod +x "$fake_shell"
run env SHELL="$fake_shell" "$HS_EXEC" prod
is "$out" "fake shell 0 with the token" "hs-exec PROFILE: \$SHELL itself, no arguments"
run --in "$shell_script" env -u SHELL "$HS_EXEC" prod
is "$out" "$PAT|prod" "hs-exec PROFILE without \$SHELL: the passwd entry's shell"
run env SHELL="$fake_shell" "$HS_EXEC" prod "$fake_shell"
fails_with 1 hs-exec "a COMMAND without '--'"
like "$err" "'--' before COMMAND is required" "a COMMAND without '--': says '--' is required"

# ---- long waits say so on a terminal, and only there ----
fault() { ctl POST clear-faults >/dev/null; ctl POST fault "$1" >/dev/null; ctl POST reset-counters >/dev/null; }
fault '{"kind": "503", "count": 1}'
out=$("$ON_PTY" "$HS_TOKEN" check prod 2>&1)
like "$out" "hs-token: checking the token with HubSpot…" "check on a terminal: says it is asking HubSpot"
like "$out" "hs-token: HubSpot answered 503; retrying in [0-9]+ s \(2/3\)" "check on a terminal: says it retries, and when"
like "$out" "prod +private-app +12345678 +0d +ok +ok" "check on a terminal: then the result"
fault '{"kind": "503", "count": 1}'
run "$HS_TOKEN" check prod
is "$status" 0 "check in a pipe after a 503: exit 0"
unlike "$err" "checking|retrying" "check with stderr not a terminal: no progress"
drop_cache $APP
fault '{"kind": "503", "count": 1}'
out=$("$ON_PTY" "$HS_EXEC" $APP -- true 2>&1)
like "$out" "hs-exec: HubSpot answered 503; retrying in [0-9]+ s \(2/3\)" "hs-exec on a terminal: says it retries"
drop_cache $APP
fault '{"kind": "503", "count": 1}'
exec_token $APP
is "$status" 0 "hs-exec in a pipe after a 503: exit 0"
unlike "$err" "retrying" "hs-exec with stderr not a terminal: no progress"
ctl POST clear-faults >/dev/null

# ---- an unreachable HubSpot and an untrusted certificate say what to do ----
run with_api_base https://127.0.0.1:9 "$HS_TOKEN" check prod
like "$out" "could not be reached after 3 tries: .*; check the network connection and any proxy" "unreachable: check the network or the proxy"
OTHER_CA=/etc/ssl/certs/ca-certificates.crt
run with_ca_file "$OTHER_CA" "$HS_TOKEN" check prod
like "$out" "certificate of $STANDIN_BASE is not trusted .*checked against the CAs in $OTHER_CA only \(\[hubspot\] ca-file" "untrusted certificate: names the CA file used"
run with_ca_file "" "$HS_TOKEN" check prod
like "$out" "not trusted .*checked against the system's CAs: update them .*\\[hubspot\\] ca-file" "untrusted certificate, system CAs: says so and what to do"
out=$(with_ca_file "$OTHER_CA" "$ON_PTY" "$HS_TOKEN" check prod 2>&1)
like "$out" "not trusted" "untrusted certificate on a terminal: the same error"
unlike "$out" "retrying" "an untrusted certificate is not tried again"

# ---- --mask on a terminal: COMMAND gets a terminal, its output is masked ----
probe='for fd in 0 1 2; do [ -t $fd ] && printf "tty%s " $fd; done; echo; stty size; printf "%s\n" "$HUBSPOT_ACCESS_TOKEN"'
out=$("$ON_PTY" --cols 100 --check-restored "$HS_EXEC" --mask prod -- sh -c "$probe")
is "$?" 0 "--mask on a terminal: exit 0"
like "$out" "tty0 tty1 tty2" "--mask on a terminal: COMMAND's stdin, stdout and stderr are terminals"
like "$out" "^24 100$" "--mask on a terminal: COMMAND's terminal has ours' size"
like "$out" "^\\*\\*\\*$" "--mask on a terminal: the token is masked"
unlike "$out" "$PAT" "--mask on a terminal: the token is not shown"
like "$out" "on-pty: terminal restored" "--mask on a terminal: our terminal's modes are restored"
out=$("$ON_PTY" --check-restored "$HS_EXEC" --mask prod -- sh -c 'printf "\033[31mred %s\033[0m\n" "$HUBSPOT_ACCESS_TOKEN"')
like "$out" "$(printf '\033')\\[31mred \\*\\*\\*" "--mask on a terminal: colours pass, the token is masked"
out=$("$ON_PTY" --after ready --winch 120 "$HS_EXEC" --mask prod -- sh -c 'trap "stty size; exit 0" WINCH; echo ready; sleep 10 & wait')
like "$out" "^24 120$" "--mask on a terminal: a new window size reaches COMMAND"
out=$("$ON_PTY" --after ready --input "$(printf '\003')" --check-restored "$HS_EXEC" --mask prod -- sh -c 'trap "echo got INT; exit 3" INT; echo ready; sleep 10 & wait')
st=$?
like "$out" "got INT" "--mask on a terminal: ^C reaches COMMAND"
is "$st" 3 "--mask on a terminal: COMMAND's status after ^C"
like "$out" "on-pty: terminal restored" "--mask on a terminal: modes restored after ^C"
out=$("$ON_PTY" --after ready --input "typed line
" "$HS_EXEC" --mask prod -- sh -c 'echo ready; read -r line; echo "read: $line"')
like "$out" "read: typed line" "--mask on a terminal: what is typed reaches COMMAND"
out=$("$ON_PTY" --check-restored "$HS_EXEC" --mask prod -- /nonexistent/cmd)
like "$out" "command not found" "--mask on a terminal, COMMAND not found: says so"
like "$out" "on-pty: terminal restored" "--mask on a terminal, COMMAND not found: modes untouched"
run "$HS_EXEC" --mask prod -- sh -c "$probe"
like "$out" "^$" "--mask off a terminal: COMMAND keeps pipes"
like "$out" "\\*\\*\\*" "--mask off a terminal: the token is masked"

for p in prod staging marketing-automation-eu sandbox-dev billing-webhooks support-inbox cli-alice cli-bob-personal-sandbox reporting-readonly legacy-import-2024 qa $APP; do
  run "$HS_TOKEN" remove $p
done
finish
