/* Shared by hs-token's commands (cmd-*.c): one option-parsing and error
 * form, the stores, times, JSON output. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "hubspot-auth.h"
#include "store.h"

/* Parse a subcommand's options; exactly `nargs` positional arguments remain
 * (argv[1..]), or any number when nargs < 0.  Errors are HS_ERR_USAGE. */
gboolean hs_cli_parse(const char *name, const char *args, GOptionEntry *entries,
                      int nargs, int *argc, char ***argv, GError **error);

/* The configured store chain. */
HsStores *hs_cli_open_stores(GError **error);

/* RFC 3339 UTC ("2026-11-23T10:00:00Z"), or NULL for t <= 0. */
char *hs_cli_format_time(gint64 t);

/* 1–20 digits. */
gboolean hs_cli_valid_hub_id(const char *s);

/* Unix seconds now, or HS_EXEC_FAKE_NOW for tests (never under AT_SECURE). */
gint64 hs_cli_now(void);

/* Drop `record`'s previous token if its 7 days are over at `now`, and save
 * that (to `store`), audited as rotate-expire; TRUE when it was due.  A
 * failed save is only a warning: readers ignore an expired previous. */
gboolean hs_cli_expire_previous(HsStores *stores, HsRecord *record,
                                const char *store, gint64 now);

/* Pretty-print the builder's root on stdout. */
void hs_cli_print_json(JsonBuilder *b);

/* A string member, or null for NULL. */
void hs_cli_add_member(JsonBuilder *b, const char *name, const char *value);

/* Defined by hs-token.c: the one-line summary of command `name`. */
const char *hs_token_command_summary(const char *name);

/* Ask HubSpot whether a new credential works (hs_auth_obtain) and record
 * what it says in `record`: hub id, hublet, scopes, a rotated refresh token,
 * the verified time; caches the access token.  A hub id already in `record`
 * that HubSpot contradicts is HS_ERR_REFUSED, the message prefixed with
 * `command` and naming `hub_source` ("--hub-id", "the file"). */
gboolean hs_cli_verify_new(HsApi *api, HsRecord *record, const char *command,
                           const char *hub_source, GError **error);

/* Before writing `profile`: FALSE with HS_ERR_USAGE ("CMD: profile P already
 * exists; HINT") when it exists and !force, or with a store's error other
 * than "not found" / "unavailable".  An unavailable store is not fatal (a
 * headless host may list a Secret Service it never has): its message is
 * returned in *ret_unavailable (transfer full; NULL when none). */
gboolean hs_cli_may_write_profile(HsStores *stores, const char *profile,
                                  gboolean force, const char *cmd,
                                  const char *hint, char **ret_unavailable,
                                  GError **error);
