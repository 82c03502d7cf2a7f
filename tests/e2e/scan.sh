#!/bin/bash
# SPDX-License-Identifier: MIT
# hs-token scan over a tree with planted tokens, binaries, a large file,
# .git, symbolic links (a loop, one leading out of the tree), a file name
# with an escape sequence (printed escaped), and --staged
# over git's index as a pre-commit hook runs it.  Exit codes as grep's:
# 0 clean, 1 found, 2 could not scan.
set -u
. "$E2E_DIR/lib/e2e.sh"

PAT=pat-na1-0e3c9a71-5d2b-4f8e-9c41-7a6b2d1e8f03
PAT_EU=pat-eu1-b7f1c2d3-9a8e-4c6b-8d5f-1e2a3b4c5d6e
PAK=CiRuYTEtYjdmMS1jMmQzLTlhOGUtNGM2Yi04ZDVmMWUyYTNiNGMQ
RT=na1-c2a9-4f1e-9b3c-0d8e-7a6b5c4d3e2f
T="$E2E_SCRATCH/tree"
OUTSIDE="$E2E_SCRATCH/outside"
# The tree, the repository and the outside directory hold tokens on purpose.
planted "$T" "$OUTSIDE" "$E2E_SCRATCH/repo"
mkdir -p "$T/src/deep/er" "$T/.git" "$T/config" "$OUTSIDE"
printf 'HUBSPOT_ACCESS_TOKEN=%s\n' "$PAT" >"$T/.env"
printf 'const a = 1;\n\n// old: %s\n' "$PAT_EU" >"$T/src/deep/er/app.js"
printf 'accounts:\n  - name: x\n    personalAccessKey: %s\n' "$PAK" >"$T/config/hubspot.config.yml"
printf 'export HUBSPOT_CLIENT_SECRET="0123456789abcdef0123"\nrt=%s\n' "$RT" >"$T/config/oauth.sh"
printf 'HUBSPOT_ACCESS_TOKEN=${TOKEN}\n# pat-na1-xxxxxxxx-xxxx\n' >"$T/README.md"
printf '\0\1binary %s\n' "$PAT" >"$T/src/logo.png"
{ head -c $((1024 * 1024)) /dev/zero | tr '\0' 'a'; printf '\n%s\n' "$PAT"; } >"$T/big.log"
printf 'token %s\n' "$PAT" >"$T/.git/config"
printf 'HUBSPOT_ACCESS_TOKEN=%s\n' "$PAT" >"$OUTSIDE/.env"
ln -s "$OUTSIDE" "$T/out-dir"
ln -s "$OUTSIDE/.env" "$T/out-file"
ln -s loop-b "$T/loop-a"
ln -s loop-a "$T/loop-b"
ln -s .. "$T/src/up"
ln -s ../.env "$T/config/env-link"
ln -s /nonexistent "$T/dangling"
mkfifo "$T/fifo"   # opening it would block: skipped, not read
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock"

cd "$T" || exit 1
run "$HS_TOKEN" scan
fails_with 1 hs-token "scan of a tree with tokens"
is "$(printf '%s\n' "$out" | sort)" "$(sort <<EOF2
./.env:1: private-app pat-na1-…
./src/deep/er/app.js:3: private-app pat-eu1-…
./config/hubspot.config.yml:3: personal-access-key CiRuYTEt…
./config/oauth.sh:1: HUBSPOT_CLIENT_SECRET 01234567…
./config/oauth.sh:2: oauth-refresh-token na1-c2a9…
EOF2
)" "scan: each planted token once, masked; not in binaries, big files, .git or through links"
like "$err" "5 HubSpot credentials" "scan: the count"
unlike "$out$err" "0e3c9a71|b7f1c2d3|jdmMS1j|abcdef0123|4f1e-9b3c" "scan: no token is printed beyond its first 8 characters"

run "$HS_TOKEN" scan "$T/src" "$T/README.md"
fails_with 1 hs-token "scan of several paths"
is "$out" "$T/src/deep/er/app.js:3: private-app pat-eu1-…" "scan PATH…: reports under the path given"

run "$HS_TOKEN" scan "$T/out-dir"
fails_with 1 hs-token "a link named on the command line is followed"
is "$out" "$(realpath "$OUTSIDE")/.env:1: private-app pat-na1-…" "a named link: scanned where it leads"

rm "$T/.env" "$T/src/deep/er/app.js" "$T/config/hubspot.config.yml" "$T/config/oauth.sh"
run "$HS_TOKEN" scan "$T"
is "$status" 0 "a clean tree: exit 0"
like "$out" "No HubSpot credentials found \(1 files scanned; skipped 1 binary, 1 over 1 MiB, 7 symbolic links\)" "a clean tree: says what was skipped"

run "$HS_TOKEN" scan "$E2E_SCRATCH/nonexistent"
fails_with 2 hs-token "scan of a path that does not exist"

# a file name with an escape sequence (a terminal title, a bell): printed
# escaped, so nothing reaches the terminal
ESCDIR="$E2E_SCRATCH/esc"
planted "$ESCDIR"
mkdir -p "$ESCDIR"
printf 'HUBSPOT_ACCESS_TOKEN=%s\n' "$PAT" >"$ESCDIR/"$'a\e]0;owned\a\\b.env'
run "$HS_TOKEN" scan "$ESCDIR"
fails_with 1 hs-token "scan of a file whose name holds an escape sequence"
is "$out" "$ESCDIR/a\\x1B]0;owned\\x07\\\\b.env:1: private-app pat-na1-…" "a control character in a name is printed as \\xNN"
case "$out$err" in *$'\e'* | *$'\a'*) not_ok "no control character reaches the terminal" ;;
  *) ok "no control character reaches the terminal" ;; esac

# ---- --staged: what git diff --cached adds, as a pre-commit hook ----
if command -v git >/dev/null; then
  R="$E2E_SCRATCH/repo"
  git init -q "$R" && cd "$R" || exit 1
  git config user.email t@example.invalid && git config user.name t
  printf 'a\nb\n' >app.env && git add app.env && git commit -qm init
  run "$HS_TOKEN" scan --staged
  is "$status" 0 "--staged with nothing staged: exit 0"
  printf 'a\nHUBSPOT_ACCESS_TOKEN=%s\nb\n' "$PAT" >app.env
  printf 'tok %s\n' "$PAT_EU" >"new file.txt"
  printf '\0%s' "$PAT" >blob.bin
  git add app.env "new file.txt" blob.bin
  run "$HS_TOKEN" scan --staged
  fails_with 1 hs-token "--staged with a token staged"
  is "$(printf '%s\n' "$out" | sort)" "$(printf '%s\n' "app.env:2: private-app pat-na1-…" "new file.txt:1: private-app pat-eu1-…")" "--staged: path and line in the new file"
  printf 'a\nb\n' >app.env && git add app.env && git rm -q --cached "new file.txt"
  printf '#!/bin/sh\nexec "%s" scan --staged\n' "$HS_TOKEN" >.git/hooks/pre-commit
  chmod +x .git/hooks/pre-commit
  git add "new file.txt"
  if git commit -qm leak >/dev/null 2>&1; then not_ok "the pre-commit hook stops a commit with a token"
  else ok "the pre-commit hook stops a commit with a token"; fi
  git rm -q --cached "new file.txt"
  git commit -qm clean --allow-empty >/dev/null 2>&1 && ok "the hook lets a clean commit through" \
    || not_ok "the hook lets a clean commit through"
  cd "$E2E_SCRATCH" || exit 1
  run "$HS_TOKEN" scan --staged
  fails_with 2 hs-token "--staged outside a git work tree"
  like "$err" "git work tree" "outside git: says where to run it"
  run "$HS_TOKEN" scan --staged "$R"
  fails_with 2 hs-token "--staged with a PATH"
fi

finish
