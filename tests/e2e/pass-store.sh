#!/bin/bash
# SPDX-License-Identifier: MIT
# The pass store with real GnuPG and git: two machines of one team (two
# HOMEs, each with its own key, made here without a passphrase) share a
# pass store through a bare git repository.  A adds a profile, B (a clone)
# runs hs-exec with it; B rotates, A sees the new token after a pull
# (sync-interval=0).  A third machine whose key is not a recipient cannot
# read it; a push that fails keeps the commit and doctor reports it; pass
# reads what hs-token wrote and hs-exec uses what `pass insert -m` wrote.
# All along: no secret in a commit message, a git object, a process's argv
# or a file outside the store.
set -u
# A session of its own, so that the argv watcher looks at this test's
# processes only.
if [ -z "${HS_OWN_SESSION:-}" ]; then
  HS_OWN_SESSION=1 exec setsid -w bash "$0" "$@"
fi
. "$E2E_DIR/lib/session-keyring.sh"
. "$E2E_DIR/lib/e2e.sh"
. "$E2E_DIR/lib/argv-watch.sh"

for tool in gpg pass git; do
  if ! command -v $tool >/dev/null; then
    echo "1..0 # SKIP $tool is not installed (Debian: pass gnupg git)"
    exit 0
  fi
done
. "$E2E_DIR/lib/standin.sh"

TOKEN=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
TOKEN2=pat-na1-5b0f4c1e-2a7d-4e93-8c61-0d9e8f7a6b5c
TOKEN3=svc-key.opaque-0123456789
STANDIN_SEED="$E2E_SCRATCH/seed.json"
cat >"$STANDIN_SEED" <<JSON
{"private_apps": {"$TOKEN": {"hub_id": 12345678, "hublet": "na1", "scopes": []},
                  "$TOKEN2": {"hub_id": 12345678, "hublet": "na1", "scopes": []}},
 "oauth_clients": {"cid-1": {"client_secret": "cs-secret-1",
                             "refresh_tokens": {"rt-initial-1": {"hub_id": 42, "scopes": ["oauth"]}}}}}
JSON
standin_start --rotate-refresh-tokens
P=$(tagged prod)
Q=$(tagged handmade)
R=$(tagged later)
team="$E2E_SCRATCH/team.git"
git init --quiet --bare --initial-branch=main "$team"

# ---- the machines: HOME, GNUPGHOME, hs-exec.conf and store of their own ----
on() { # on MACHINE CMD…: run CMD as that machine's user
  local m="$E2E_SCRATCH/$1"
  shift
  HOME="$m/home" GNUPGHOME="$m/gnupg" XDG_CONFIG_HOME="$m/config" \
    PASSWORD_STORE_DIR="$m/store" "$@"
}
machine() { # machine NAME: a user with a key of their own
  local m="$E2E_SCRATCH/$1"
  mkdir -p "$m/home" "$m/gnupg" "$m/config/hs-exec"
  chmod 700 "$m/gnupg"
  # pass encrypts only to keys gpg trusts; a team signs or trusts its
  # members' keys, these test users simply trust the ones they imported.
  echo 'trust-model always' >"$m/gnupg/gpg.conf"
  on "$1" git config --global user.name "$1"
  on "$1" git config --global user.email "$1@team.example"
  on "$1" git config --global init.defaultBranch main
  on "$1" gpg --batch --quiet --passphrase '' \
    --quick-gen-key "$1 <$1@team.example>" default default never 2>/dev/null
  conf "$1"
}
conf() { # conf MACHINE [KEY=VALUE…]: its hs-exec.conf, [store pass] options added
  local m="$E2E_SCRATCH/$1"
  shift
  { printf '[hubspot]\napi-base=%s\nca-file=%s\n' "$STANDIN_BASE" "$STANDIN_CA"
    printf '[stores]\norder=pass\n\n[store pass]\nsync-interval=0\n'
    # The store is named here, never by $PASSWORD_STORE_DIR (which on()
    # sets for pass(1) itself); "nodir" leaves the default.
    case " $* " in *" dir="* | *" nodir "*) ;; *) printf 'dir=%s\n' "$m/store" ;; esac
    for kv in "$@"; do [ "$kv" = nodir ] || printf '%s\n' "$kv"; done
  } >"$m/config/hs-exec/hs-exec.conf"
  chmod 600 "$m/config/hs-exec/hs-exec.conf"
}
fpr() { on "$1" gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" {print $10; exit}'; }
for m in a b c; do machine $m; done
# A and B know each other's public keys; C only theirs.
on a gpg --batch --quiet --export "$(fpr a)" | on b gpg --batch --quiet --import 2>/dev/null
on b gpg --batch --quiet --export "$(fpr b)" | on a gpg --batch --quiet --import 2>/dev/null
for m in a b; do
  on $m gpg --batch --quiet --export "$(fpr $m)" | on c gpg --batch --quiet --import 2>/dev/null
done
A="$E2E_SCRATCH/a" B="$E2E_SCRATCH/b" C="$E2E_SCRATCH/c"

# ---- no secret in any argv: watch every process of this test ----
argv_watch_start git gpg
patterns="$E2E_SCRATCH/argv-patterns"

# ---- A makes the team's store, encrypted to A and B ----
on a pass init "$(fpr a)" "$(fpr b)" >/dev/null
on a pass git init >/dev/null
on a git -C "$A/store" remote add origin "$team"
on a git -C "$A/store" push --quiet -u origin main 2>/dev/null

# ---- options ----
conf a colour=red
on a run "$HS_EXEC" "$P" -- true
fails_with 6 hs-exec "unknown option"
like "$err" "hs-exec.conf:[0-9]+: \[store pass\]: .*unknown option 'colour'" "unknown option: names the file, line, store and key"
conf a sync-interval=soon
on a run "$HS_EXEC" "$P" -- true
fails_with 6 hs-exec "a sync-interval that is not a number"
like "$err" "sync-interval='soon'" "bad sync-interval: names the value"
conf a prefix=../escape
run_a_exec() { on a run "$HS_EXEC" "$P" -- true; }
run_a_exec
fails_with 6 hs-exec "a prefix that leaves the store"
conf a

# ---- on A: add; the entry is committed and pushed ----
on a run --in "$TOKEN" "$HS_TOKEN" add "$P" --store pass --kind service-key --no-verify
is "$status" 0 "A: add --store pass: exit 0"
like "$out" "to store pass" "A: add says where it went"
test -f "$A/store/hubspot/$P.gpg"
is "$?" 0 "A: the entry is hubspot/PROFILE.gpg"
is "$(grep -cFf <(printf '%s\n' "$TOKEN") "$A/store/hubspot/$P.gpg")" 0 "A: the entry does not hold the token in plain text"
is "$(on a git -C "$A/store" status --porcelain)" "" "A: nothing left uncommitted"
like "$(git -C "$team" log -1 --format=%s)" "profile $P" "the team's remote has the commit, naming the profile"
on a pass show "hubspot/$P" >"$E2E_SCRATCH/shown" 2>/dev/null
planted "$E2E_SCRATCH/shown"
is "$(head -1 "$E2E_SCRATCH/shown" | grep -cFf <(printf '"token":"%s"\n' "$TOKEN"))" 1 "pass show reads what hs-token wrote (the record on its first line)"
is "$(grep -c '^kind: service-key$' "$E2E_SCRATCH/shown")" 1 "...and its kind on a 'kind:' line"
on a run "$HS_TOKEN" list
like "$out" "$P +service-key .* pass" "A: list shows the pass store"

# ---- on B, a clone: hs-exec gets the token ----
on b git clone --quiet "$team" "$B/store" 2>/dev/null
export EXPECT=$TOKEN
on b run "$HS_EXEC" "$P" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "B: hs-exec gets the token A added"
# --file looks the profile up in a forked worker (helper/hubspot/isolate.c):
# GPGME and git run from there too.
on b run "$HS_EXEC" --file "$P" -- sh -c 'test "$(cat "$HUBSPOT_ACCESS_TOKEN_FILE")" = "$EXPECT"'
is "$status" 0 "B: hs-exec --file gets it too"

# ---- B rotates; A, pulling at every lookup, gets the new one ----
on b run --in "$TOKEN2" "$HS_TOKEN" rotate "$P"
is "$status" 0 "B: rotate: exit 0"
[ "$status" = 0 ] || printf '%s\n' "$err" | sed 's/^/#   /'
like "$(git -C "$team" log -1 --format='%an %s')" "^b .*profile $P" "B's rotation reached the team's remote"
export EXPECT=$TOKEN2
on a run "$HS_EXEC" "$P" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "A: after the pull, hs-exec gets B's new token"

# ---- pass insert -m by hand: hs-exec uses it ----
printf '%s\nkind: service-key\nurl: https://app.hubspot.com\n' "$TOKEN3" |
  on a pass insert -m "hubspot/$Q" >/dev/null 2>&1
export EXPECT=$TOKEN3
on a run "$HS_EXEC" "$Q" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "hs-exec uses a bare token written by 'pass insert -m' with a kind: line"
printf 'just-a-token-without-kind\n' | on a pass insert -m "hubspot/$R" >/dev/null 2>&1
on a run "$HS_EXEC" "$R" -- true
is "$status" 3 "an entry without a kind: line is refused"
like "$err" "not in the record format" "...saying the entry is not in the record format"
on a pass rm -f "hubspot/$R" >/dev/null 2>&1
on a git -C "$A/store" push --quiet 2>/dev/null

# ---- C is not a recipient ----
on c git clone --quiet "$team" "$C/store" 2>/dev/null
on c run "$HS_EXEC" "$P" -- true
is "$status" 3 "C, not a recipient: hs-exec exits 3 (store unavailable)"
like "$err" "not encrypted to any key of yours .*\.gpg-id" "C: says so and how to be added"

# ---- share: from A's own store (the kernel keyring) into the team's ----
S=$(tagged laptop)
conf a
sed -i 's/^order=pass$/order=keyctl pass/' "$A/config/hs-exec/hs-exec.conf"
on a run --in "$TOKEN3" "$HS_TOKEN" add "$S" --store keyctl --kind service-key --no-verify
is "$status" 0 "A: add to the laptop's own store (keyctl)"
on a run "$HS_TOKEN" share "$S" --to keyctl
fails_with 1 hs-token "share into the store that has it"
on a run "$HS_TOKEN" share "$S" --to nowhere
is "$status" 1 "share --to a store not configured: exit 1"
on a run "$HS_TOKEN" share "$S" --to pass
is "$status" 0 "A: share PROFILE --to pass: exit 0"
like "$out" "from store keyctl to store pass" "share: says from where to where"
like "$(git -C "$team" log -1 --format=%s)" "profile $S" "the shared profile reached the team's remote"
export EXPECT=$TOKEN3
on b run "$HS_EXEC" "$S" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "B: hs-exec gets the profile A shared"
on a run "$HS_TOKEN" remove "$S"
conf a

# ---- OAuth: the access token stays per machine, a rotated refresh token
# goes back to the team's store ----
O=$(tagged team-oauth)
on a run --in $'client_secret=cs-secret-1\nrefresh_token=rt-initial-1\n' \
  "$HS_TOKEN" add "$O" --store pass --kind oauth --client-id cid-1
is "$status" 0 "A: add an OAuth profile to the pass store"
# add verified it with a refresh (its token cached, its new refresh token
# stored): start from an empty cache.
drop_cache "$O"
before=$(git -C "$team" rev-list --count HEAD)
on a run "$HS_EXEC" "$O" -- sh -c 'test -n "$HUBSPOT_ACCESS_TOKEN"'
is "$status" 0 "A: hs-exec refreshes the OAuth profile"
is "$(git -C "$team" rev-list --count HEAD)" "$((before + 1))" "the refresh token HubSpot rotated was committed and pushed, once"
like "$(git -C "$team" log -1 --format=%s)" "profile $O" "...naming the profile"
on a run "$HS_EXEC" "$O" -- true
is "$(git -C "$team" rev-list --count HEAD)" "$((before + 1))" "A again: the cached access token is used, nothing written"
# Both machines are one user here, so one user keyring: drop A's cached
# access token to stand for B's empty cache.
drop_cache "$O"
on b run "$HS_EXEC" "$O" -- sh -c 'test -n "$HUBSPOT_ACCESS_TOKEN"'
is "$status" 0 "B: refreshes with the refresh token A wrote back (HubSpot dropped the first one)"
on a run "$HS_TOKEN" remove "$O"

# ---- a key with a passphrase, not unlocked: HS_UNAVAIL naming the key ----
D="$E2E_SCRATCH/d"
mkdir -p "$D/home" "$D/gnupg" "$D/config/hs-exec"
chmod 700 "$D/gnupg"
# The passphrase is not a HubSpot secret; on a descriptor all the same.
echo "a passphrase" | on d gpg --batch --quiet --pinentry-mode loopback \
  --passphrase-fd 0 --quick-gen-key "d <d@team.example>" default default never 2>/dev/null
on d pass init "$(fpr d)" >/dev/null
conf d
on d run --in "$TOKEN" "$HS_TOKEN" add "$S" --store pass --kind service-key --no-verify
is "$status" 0 "D: add encrypts without the passphrase"
on d gpgconf --kill gpg-agent
on d run "$HS_EXEC" "$S" -- true
is "$status" 3 "D: the key is locked: exit 3 (store unavailable)"
like "$err" "secret key [0-9A-F]+ is locked .*'pass show hubspot/$S'" "D: names the key and how to unlock it"
echo "a passphrase" | on d gpg --batch --quiet --pinentry-mode loopback \
  --passphrase-fd 0 --decrypt "$D/store/hubspot/$S.gpg" >/dev/null 2>&1
export EXPECT=$TOKEN
on d run "$HS_EXEC" "$S" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "D: once gpg-agent has the passphrase, hs-exec reads it"
on d run "$HS_TOKEN" remove "$S"

# ---- doctor, with the remote reachable ----
on a run "$HS_TOKEN" doctor
printf '%s\n' "$out" | grep -i pass | sed 's/^/# doctor: /'
like "$out" "pass.*2 recipient\(s\) of .*/\.gpg-id; shared through git" "A: doctor checks the pass store: its recipients and git"
unlike "$out" "not pushed" "A: nothing unpushed"
conf a "dir=~/../store"
on a env -u PASSWORD_STORE_DIR "$HS_EXEC" "$P" -- true
is "$?" 0 "dir=~/… is the user's home"
# $PASSWORD_STORE_DIR, which a repository's .env could set, does not move
# the store: with no dir= it is ~/.password-store, where P is not.
conf a nodir
on a run "$HS_EXEC" "$P" -- true
[ "$status" != 0 ] && ok "PASSWORD_STORE_DIR names A's store, yet without dir= hs-exec does not read it" ||
  not_ok "PASSWORD_STORE_DIR names A's store, yet without dir= hs-exec does not read it" "got: exit $status"
conf a

# ---- a push that fails keeps the commit; doctor reports it ----
on a git -C "$A/store" remote set-url origin "$E2E_SCRATCH/gone.git"
on a run --in "$TOKEN" "$HS_TOKEN" add "$R" --store pass --kind service-key --no-verify
is "$status" 0 "A: add with the remote gone still succeeds"
like "$(on a git -C "$A/store" log -1 --format=%s)" "profile $R" "A: the commit stays local"
export EXPECT=$TOKEN
on a run "$HS_EXEC" "$R" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "A: hs-exec reads it while the remote is gone"
on a run "$HS_TOKEN" doctor
printf '%s\n' "$out" | grep -i pass | sed 's/^/# doctor: /'
like "$out$err" "1 commit\(s\) wait to be pushed|1 commit\(s\) .* not pushed" "A: doctor reports the unpushed commit"
on a git -C "$A/store" remote set-url origin "$team"
on a run "$HS_TOKEN" doctor
like "$out" "1 commit\(s\) in .* are not pushed: git (push|pull) failed: .*gone\.git" "A, the remote back: doctor reports the commit and the last sync that failed"

# ---- a remote that does not answer: the lookup goes on without the pull ----
on a git -C "$A/store" config remote.origin.uploadpack 'sleep 40; git-upload-pack'
export EXPECT=$TOKEN
on a run "$HS_EXEC" "$R" -- sh -c 'test "$HUBSPOT_ACCESS_TOKEN" = "$EXPECT"'
is "$status" 0 "A: a pull that hangs is stopped, and hs-exec reads the local entry"
is "$(cat "$A/store/.git/hs-exec-sync")" "git pull failed: no answer within 15 seconds" "A: the stopped pull is noted for doctor"
on a git -C "$A/store" config --unset remote.origin.uploadpack
is "$(ls "$A/store/.git/"*.lock 2>/dev/null)" "" "A: the stopped git left no lock file"

# ---- remove commits too, and its push takes the earlier commit along ----
on a run "$HS_TOKEN" remove "$Q"
is "$status" 0 "A: remove: exit 0"
like "$(on a git -C "$A/store" log -1 --format=%s)" "remove profile $Q" "A: remove commits, naming the profile"
like "$(git -C "$team" log -2 --format=%s | tr '\n' ' ')" "remove profile $Q .*store profile $R" "the commit whose push failed reached the remote with the next write"
on a run "$HS_TOKEN" doctor
unlike "$out" "not pushed" "A: doctor: nothing left to push"

# ---- no secret in a commit message or any git object ----
secret_patterns >"$patterns"
for repo in "$team" "$A/store" "$B/store" "$C/store"; do
  hits=$(git -C "$repo" cat-file --batch-all-objects --batch 2>/dev/null |
    grep -acFf "$patterns" || true)
  is "$hits" 0 "no secret in any git object of ${repo#"$E2E_SCRATCH"/}"
done

argv_watch_stop
echo "# the argv watcher saw $(grep -c '^git$' "$argv_seen") git and $(grep -c '^gpg$' "$argv_seen") gpg processes"
for m in a b c d; do on $m gpgconf --kill gpg-agent 2>/dev/null; done
finish
