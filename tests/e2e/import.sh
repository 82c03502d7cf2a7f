#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token import from .env files and the HubSpot CLI's config against the
# HubSpot stand-in: verification, profile naming, --dry-run, --scrub keeping
# the mode, the owner and every byte but the secrets, a scrub that would
# leave a credential it did not take refused, and a failure part-way
# through leaving both the stores and the file untouched.
set -u
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/standin.sh"
# The profiles take their names from the files imported; those whose
# tokens are cached in the user keyring are invalidated when the run ends.
own_profiles app app-oauth oauth-app cli eu-cli
export HS_EXEC_RETRY_BASE_MS=50

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
PAT_EU=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e
PAK=CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ
PAK_UNKNOWN=CiRuYTEtMDAwMC0xMTExLTIyMjItMzMzMzQ0NDQ1NTU1NjY2NhAB
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$PAT": {"hub_id": 12345678, "hublet": "na1", "scopes": ["crm.objects.contacts.read"]},
                  "$PAT_EU": {"hub_id": 555, "hublet": "eu1", "scopes": []}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth"]}}}},
 "personal_access_keys": {"$PAK": {"hub_id": 777, "user_id": 5, "hub_name": "Acme"}}}
JSON
standin_start
W="$E2E_SCRATCH/work"
planted "$W" # the .env and YAML files to import hold tokens on purpose
mkdir -p "$W"
profiles() {
  "$HS_TOKEN" list --json | python3 -c 'import json,sys; print(" ".join(p["profile"] for p in json.load(sys.stdin)))'
}
# The original with each (old, new) pair replaced once: what a scrub that
# touches only the secrets must produce, byte for byte.
expect_scrub() {
  python3 - "$@" <<'PY'
import sys
path, pairs = sys.argv[1], sys.argv[2:]
data = open(path, "rb").read()
for old, new in zip(pairs[::2], pairs[1::2]):
    old, new = old.encode(), new.encode()
    assert data.count(old) == 1, old
    data = data.replace(old, new)
sys.stdout.buffer.write(data)
PY
}

# ---- a .env with one private-app token ----
ENV="$W/app.env"
printf '# settings\r\nexport HUBSPOT_ACCESS_TOKEN="%s" # prod\r\nDEBUG=1\r\nHUBSPOT_ACCOUNT_ID=12345678' "$PAT" >"$ENV"
chmod 640 "$ENV"
chown 65534:65534 "$ENV" 2>/dev/null || true
cp -p "$ENV" "$W/app.env.orig"
owner_before=$(stat -c %u:%g "$ENV")

run "$HS_TOKEN" import "$ENV" --profile prod --dry-run --scrub
is "$status" 0 "import --dry-run: exit 0"
like "$out" "Would import profile prod \(private-app, hub 12345678\) from HUBSPOT_ACCESS_TOKEN \(line 2\)" "--dry-run: says what it would import"
like "$out" "Would scrub 1 value" "--dry-run --scrub: says what it would scrub"
is "$(profiles)" "" "--dry-run stores nothing"
is "$(token_requests)" 0 "--dry-run asks HubSpot nothing"
cmp -s "$ENV" "$W/app.env.orig" && ok "--dry-run --scrub leaves the file" || not_ok "--dry-run --scrub leaves the file"

run "$HS_TOKEN" import "$ENV"
fails_with 1 hs-token "a .env without --profile"
like "$err" "--profile NAME" "without --profile: says to give it"

run "$HS_TOKEN" import "$ENV" --profile prod --scrub
is "$status" 0 "import .env --scrub: exit 0"
like "$out" "Imported profile prod \(private-app, hub 12345678\).*HubSpot accepted it" "import: verified with HubSpot"
like "$out" "Scrubbed 1 value from" "import: scrub reported"
unlike "$out$err" "$PAT" "import: the token is never printed"
exec_token prod
is "$out" "$PAT" "hs-exec prod runs with the imported token"
is "$(stat -c %a "$ENV")" 640 "scrub keeps the mode"
is "$(stat -c %u:%g "$ENV")" "$owner_before" "scrub keeps the owner"
expect_scrub "$W/app.env.orig" "export HUBSPOT_ACCESS_TOKEN=\"$PAT\" # prod" \
  "# HUBSPOT_ACCESS_TOKEN moved to the keyring: hs-exec prod -- …" >"$W/app.env.want"
cmp -s "$ENV" "$W/app.env.want" && ok "scrub: every other byte is as it was (CRLF, no final newline)" \
  || not_ok "scrub: every other byte is as it was" "$(diff "$W/app.env.want" "$ENV" | head -5)"
is "$(ls -A "$W" | grep -c hs-scrub)" 0 "scrub leaves no temporary file"
run "$HS_TOKEN" audit prod --json
like "$out" '"event" *: *"import"' "import is in the audit trail"

run "$HS_TOKEN" import "$W/app.env.orig" --profile prod
fails_with 1 hs-token "import over an existing profile"
like "$err" "already exists.*--force" "existing profile: says --force"
run "$HS_TOKEN" import "$W/app.env.orig" --profile prod --force --no-verify
is "$status" 0 "import --force replaces it"
like "$out" "not verified" "--no-verify: says so"
unlike "$err" "already hold" "import --force of the same profile: no note about itself"
run "$HS_TOKEN" import "$W/app.env.orig" --profile prod-copy --no-verify
is "$status" 0 "import a token another profile holds: stored"
like "$err" "note: profile prod already holds this credential" "import: names the profile that holds the same token"
unlike "$err" "$PAT" "import: the shared token is not printed"
"$HS_TOKEN" remove prod-copy >/dev/null

# ---- several credentials in one .env ----
MULTI="$W/multi.env"
cat >"$MULTI" <<EOF2
HUBSPOT_CLIENT_ID=cid-1
HUBSPOT_CLIENT_SECRET='cs-secret-1'
HUBSPOT_REFRESH_TOKEN=rt-initial-1
HUBSPOT_API_KEY=0f0e0d0c-aaaa-bbbb-cccc-000000000001
MARKETING_TOKEN=$PAT_EU
HUBSPOT_ACCESS_TOKEN=$PAT_EU
EOF2
cp "$MULTI" "$W/multi.orig"
run "$HS_TOKEN" import "$MULTI" --profile app --scrub
is "$status" 0 "import a .env with OAuth, an API key and a token twice"
is "$(profiles)" "app app-api-key app-oauth prod" "named: the token NAME, the others NAME-<kind>"
like "$err" "WARNING: .*2022-11-30" "api key: the end of API keys is said"
like "$err" "service key \(private apps can no longer be created since 2026-10-26\)" "api key: a service key is the replacement, and why"
like "$err" "Development > Keys > Service keys" "api key: where to create the service key"
like "$err" "hs-token add app-api-key --kind service-key --force" "api key: the command to replace it"
unlike "$err" "Create a private app" "api key: no longer sends users to create a private app"
exec_token app
is "$out" "$PAT_EU" "hs-exec app: the token"
exec_token app-oauth
is "$status" 0 "hs-exec app-oauth: a refreshed access token"
expect_scrub "$W/multi.orig" \
  "HUBSPOT_CLIENT_SECRET='cs-secret-1'" "# HUBSPOT_CLIENT_SECRET moved to the keyring: hs-exec app-oauth -- …" \
  "HUBSPOT_REFRESH_TOKEN=rt-initial-1" "# HUBSPOT_REFRESH_TOKEN moved to the keyring: hs-exec app-oauth -- …" \
  "HUBSPOT_API_KEY=0f0e0d0c-aaaa-bbbb-cccc-000000000001" "# HUBSPOT_API_KEY moved to the keyring: hs-exec app-api-key -- …" \
  "MARKETING_TOKEN=$PAT_EU" "# MARKETING_TOKEN moved to the keyring: hs-exec app -- …" \
  "HUBSPOT_ACCESS_TOKEN=$PAT_EU" "# HUBSPOT_ACCESS_TOKEN moved to the keyring: hs-exec app -- …" >"$W/multi.want"
cmp -s "$MULTI" "$W/multi.want" && ok "multi scrub: only the secret lines changed; the client id stays" \
  || not_ok "multi scrub" "$(diff "$W/multi.want" "$MULTI" | head -5)"

printf 'HUBSPOT_CLIENT_SECRET=x-secret-value\n' >"$W/half.env"
run "$HS_TOKEN" import "$W/half.env" --profile half
fails_with 1 hs-token "OAuth without its refresh token"
like "$err" "no HUBSPOT_CLIENT_ID" "half OAuth: names what is missing"
unlike "$err" "x-secret-value" "half OAuth: the secret is not echoed"

# ---- a failure part-way leaves the stores and the file as they were ----
FAIL="$W/fail.env"
printf 'HUBSPOT_ACCESS_TOKEN=%s\nHUBSPOT_PERSONAL_ACCESS_KEY=%s\n' "$PAT" "$PAK_UNKNOWN" >"$FAIL"
cp -p "$FAIL" "$W/fail.orig"
run "$HS_TOKEN" import "$FAIL" --profile late --scrub
fails_with 4 hs-token "HubSpot refuses the second credential"
like "$err" "late-personal-access-key.*nothing was imported" "refusal: says which and that nothing was imported"
is "$(profiles)" "app app-api-key app-oauth prod" "refusal: no profile stored"
cmp -s "$FAIL" "$W/fail.orig" && ok "refusal: the file is untouched, byte for byte" || not_ok "refusal: the file is untouched"
# the personal access key verifies (and caches an access token) before the
# OAuth secret is refused
printf 'HUBSPOT_PERSONAL_ACCESS_KEY=%s\nHUBSPOT_CLIENT_ID=cid-1\nHUBSPOT_CLIENT_SECRET=wrong\nHUBSPOT_REFRESH_TOKEN=rt-initial-1\n' "$PAK" >"$W/ghost.env"
run "$HS_TOKEN" import "$W/ghost.env" --profile ghost
fails_with 4 hs-token "refusal after another credential verified"
like "$err" "profile ghost-oauth" "refusal: names the OAuth profile"
is "$(cache_id ghost)" "" "refusal: no access token is left cached for the profile not stored"

# ---- the HubSpot CLI's config ----
YML="$W/hubspot.config.yml"
cat >"$YML" <<EOF2
defaultPortal: cli
portals:
  - name: cli
    portalId: 777
    authType: personalaccesskey
    personalAccessKey: >-
      $PAK
  - name: oauth-app   # the app
    portalId: 42
    authType: oauth2
    auth:
      clientId: cid-1
      clientSecret: "cs-secret-1"
      scopes:
        - oauth
      tokenInfo:
        refreshToken: rt-initial-1
        accessToken: CKxOld-cached-access-token
        expiresAt: '2026-01-01T00:00:00.000Z'
  - name: old-key
    portalId: 9
    authType: apikey
    apiKey: 0f0e0d0c-aaaa-bbbb-cccc-000000000009
EOF2
run "$HS_TOKEN" import "$YML" --scrub
fails_with 1 hs-token "a folded (>-) secret cannot be scrubbed"
like "$err" "personalAccessKey of account 'cli'.*one line" "folded value: says to write it on one line"
sed -i "/personalAccessKey: >-/{N;s/>-\n *//}" "$YML"
cp -p "$YML" "$W/yml.orig"
chmod 600 "$YML"
cp -p "$YML" "$W/yml.orig"
run "$HS_TOKEN" import "$YML" --scrub
is "$status" 0 "import hubspot.config.yml --scrub: exit 0"
like "$out" "Imported profile cli \(personal-access-key, hub 777\)" "yml: personal access key account"
like "$out" "Imported profile oauth-app \(oauth, hub 42\)" "yml: oauth2 account"
like "$out" "Imported profile old-key \(api-key, hub 9\)" "yml: apikey account"
like "$err" "WARNING: profile old-key holds a legacy HubSpot API key" "yml: api key warning"
exec_token cli
is "$status" 0 "hs-exec cli (personal access key) works"
exec_token oauth-app
is "$status" 0 "hs-exec oauth-app works"
is "$(stat -c %a "$YML")" 600 "yml scrub keeps the mode"
expect_scrub "$W/yml.orig" \
  "personalAccessKey: $PAK" "personalAccessKey: '' # moved to the keyring: hs-exec cli -- …" \
  'clientSecret: "cs-secret-1"' "clientSecret: '' # moved to the keyring: hs-exec oauth-app -- …" \
  "refreshToken: rt-initial-1" "refreshToken: '' # moved to the keyring: hs-exec oauth-app -- …" \
  "accessToken: CKxOld-cached-access-token" "accessToken: '' # cached token removed: hs-exec oauth-app -- … gets fresh ones" \
  "apiKey: 0f0e0d0c-aaaa-bbbb-cccc-000000000009" "apiKey: '' # moved to the keyring: hs-exec old-key -- …" >"$W/yml.want"
cmp -s "$YML" "$W/yml.want" && ok "yml scrub: accounts stay, only the secret values go" \
  || not_ok "yml scrub" "$(diff "$W/yml.want" "$YML" | head -5)"
run "$HS_TOKEN" scan "$YML"
is "$status" 0 "scan finds nothing left in the scrubbed config"

# names the CLI allows that a profile cannot have
GLOBAL="$W/config.yml"
cat >"$GLOBAL" <<EOF2
defaultAccount: My Portal
accounts:
  - name: My Portal
    accountId: 12345678
    authType: personalaccesskey
    personalAccessKey: $PAK_UNKNOWN
  - name: eu
    accountId: 555
    authType: personalaccesskey
    personalAccessKey: $PAK
EOF2
cp -p "$GLOBAL" "$W/global.orig"
run "$HS_TOKEN" import "$GLOBAL" --scrub
fails_with 1 hs-token "an account name that is no profile name"
like "$err" "account 'My Portal'.*--account 'My Portal' --profile NAME" "bad name: says how to import it"
run "$HS_TOKEN" import "$GLOBAL" --account "My Portal" --profile portal --scrub
fails_with 4 hs-token "the stand-in refuses the account's key"
cmp -s "$GLOBAL" "$W/global.orig" && ok "refused account: the config is untouched" || not_ok "refused account: the config is untouched"
run "$HS_TOKEN" import "$GLOBAL" --account eu --profile eu-cli --no-verify
is "$status" 0 "--account picks one account, --profile renames it"
is "$(profiles)" "app app-api-key app-oauth cli eu-cli oauth-app old-key prod" "every import stored what it said"

# a scrub that cannot be written: found before anything is stored, and the
# file is left untouched
mkdir "$W/ro"
printf 'HUBSPOT_ACCESS_TOKEN=%s\n' "$PAT" >"$W/ro/.env"
cp "$W/ro/.env" "$W/ro.orig"
if [ "$(id -u)" != 0 ]; then
  chmod 555 "$W/ro"
  run "$HS_TOKEN" import "$W/ro/.env" --profile ro --scrub
  fails_with 1 hs-token "--scrub in a read-only directory"
  like "$err" "not writable" "read-only directory: says why"
  chmod 755 "$W/ro"
else
  # root writes anywhere; a second hard link would keep the secret, so the
  # scrub is refused
  ln "$W/ro/.env" "$W/ro/hardlink"
  run "$HS_TOKEN" import "$W/ro/.env" --profile ro --scrub
  fails_with 1 hs-token "--scrub of a file with a second hard link"
  like "$err" "hard link.*nothing was imported" "hard link: says why, before storing"
  rm "$W/ro/hardlink"
fi
is "$(profiles | tr ' ' '\n' | grep -cx ro)" 0 "an unscrubbable file: nothing stored"
cmp -s "$W/ro/.env" "$W/ro.orig" && ok "an unscrubbable file is untouched" || not_ok "an unscrubbable file is untouched"

# a key set twice: the last value is imported (as a shell would use it); the
# earlier one, never used, goes too, with a note
DUP="$W/dup.env"
printf 'HUBSPOT_ACCESS_TOKEN=%s\nX=1\nHUBSPOT_ACCESS_TOKEN=%s\n' "$PAT_EU" "$PAT" >"$DUP"
run "$HS_TOKEN" import "$DUP" --profile dup --scrub --no-verify
is "$status" 0 "import a .env with a key set twice"
exec_token dup
is "$out" "$PAT" "a key set twice: the last value is the profile's"
is "$(cat "$DUP")" "$(printf '%s\n' "# HUBSPOT_ACCESS_TOKEN (an earlier value, overridden below) removed by hs-token import" "X=1" "# HUBSPOT_ACCESS_TOKEN moved to the keyring: hs-exec dup -- …")" \
  "a key set twice: both values scrubbed, the earlier with its own note"

# a credential the import does not take (commented out here) would stay
# after the scrub, and `hs-token scan` would flag it: refused, nothing
# stored, the file as it was
LEFT="$W/left.env"
printf 'X=1\n# HUBSPOT_ACCESS_TOKEN=%s\nHUBSPOT_ACCESS_TOKEN=%s\n' "$PAT_EU" "$PAT" >"$LEFT"
cp -p "$LEFT" "$W/left.orig"
run "$HS_TOKEN" scan "$LEFT"
is "$status" 1 "scan flags the commented-out token"
run "$HS_TOKEN" import "$LEFT" --profile left --scrub --no-verify
fails_with 1 hs-token "--scrub that would leave a commented-out token"
like "$err" "would leave a credential .* on line 2 " "leftover: names the line"
unlike "$err" "pat-" "leftover: the message holds no token"
cmp -s "$LEFT" "$W/left.orig" && ok "leftover: the file is untouched" || not_ok "leftover: the file is untouched"
is "$(profiles | tr ' ' '\n' | grep -cx left)" 0 "leftover: nothing stored"
sed -i '/^# HUBSPOT/d' "$LEFT"
run "$HS_TOKEN" import "$LEFT" --profile left --scrub --no-verify
is "$status" 0 "leftover deleted by hand: the scrub runs"
run "$HS_TOKEN" scan "$LEFT"
is "$status" 0 "scan finds nothing after that scrub"

# YAML with a key given twice in one account: refused the same way
YDUP="$W/dup.yml"
printf 'accounts:\n  - name: ydup\n    accountId: 777\n    authType: personalaccesskey\n    personalAccessKey: %s\n    personalAccessKey: %s\n' \
  "$PAK" "$PAK_UNKNOWN" >"$YDUP"
cp -p "$YDUP" "$W/ydup.orig"
run "$HS_TOKEN" import "$YDUP" --scrub --no-verify
fails_with 1 hs-token "--scrub of a YAML account with a key given twice"
like "$err" "on line [56] " "YAML key twice: names the line"
cmp -s "$YDUP" "$W/ydup.orig" && ok "YAML key twice: the file is untouched" || not_ok "YAML key twice: the file is untouched"
is "$(profiles | tr ' ' '\n' | grep -cx ydup)" 0 "YAML key twice: nothing stored"

finish
