/* SPDX-License-Identifier: MIT */
/* import-items.h — what `hs-token import` stores from a parsed .env file or
 * HubSpot CLI config: one named record per credential, and the file's text
 * without the secrets those records took (the scrub).  Pure: no stores, no
 * HubSpot, nothing printed; docs/design.md, "Profiles and kinds". */
#ifndef HS_IMPORT_ITEMS_H
#define HS_IMPORT_ITEMS_H

#include <glib.h>

#include "core/record.h"
#include "migrate/cli-config.h"
#include "migrate/dotenv.h"

/* One profile to be.  The array that holds it owns it. */
typedef struct {
  HsRecord *record;   /* named; its kind, secrets, hublet, created time, and
                         the hub id when the file gives a valid one */
  const char *source; /* for messages: "HUBSPOT_ACCESS_TOKEN (line 3)",
                         "account 'x' (line 4)" */
} HsImportItem;

/* The credentials of a .env file (`path` names it in messages), as
 * HsImportItem* in the order they are to be stored (transfer full, at least
 * one).  A private-app token or service key (by variable name, or any
 * variable whose value has a private-app token's shape), a personal access
 * key, OAuth (HUBSPOT_CLIENT_ID, _SECRET and _REFRESH_TOKEN together), a
 * legacy API key; one item per distinct value, the last assignment of a key
 * winning; HUBSPOT_ACCOUNT_ID or HUBSPOT_PORTAL_ID is every item's hub id.
 * The first by rank (static token, personal access key, OAuth, API key) is
 * named `profile`, each other PROFILE-KIND, then PROFILE-KIND-2, -3….
 * NULL with HS_ERR_USAGE when a value has the wrong shape, OAuth is
 * incomplete, `profile` is NULL, or there are no credentials. */
GPtrArray *hs_import_items_from_dotenv(const HsDotenv *env, const char *profile,
                                       const char *path, GError **error);

/* The accounts of a CLI config (`path`) that hold a secret to import
 * (authType personalaccesskey, oauth2, apikey, or for old configs what the
 * account holds), or only the one named `account` when not NULL; as
 * HsImportItem* in file order (transfer full, at least one).  Each is named
 * `profile`, which then must be the only one, or after its account.  The
 * secrets move out of `config`.  Each account skipped adds a line to `notes`
 * (transfer full strings; added even when it fails).  With `scrub`, a secret
 * that cannot be cut out of the file (a multi-line or {…} scalar) is refused.
 * NULL with HS_ERR_NOT_FOUND when `account` has nothing to import, else
 * HS_ERR_USAGE: a key of the wrong shape, a scalar that cannot be scrubbed,
 * an account name that is no profile name or is there twice, `profile` for
 * several accounts, or no credentials. */
GPtrArray *hs_import_items_from_cli_config(HsCliConfig *config,
                                           const char *account,
                                           const char *profile, gboolean scrub,
                                           const char *path, GPtrArray *notes,
                                           GError **error);

/* `buf`, the file the items came from, with each secret they took (and each
 * earlier value of a .env key, and each cached access token of the CLI)
 * replaced by a comment that says where it went; every other byte as it was.
 * NUL-terminated (transfer full: hs_secure_free_len(…, *ret_len + 1)); the
 * number of values replaced in *ret_n.  NULL with hs_scrub_apply's error,
 * or with HS_ERR_USAGE naming the lines when the scanner still finds a
 * credential in the result (hs_scrub_leftover_lines) outside the line
 * spans in `kept` (pairs of guint: first, last line; may be NULL). */
char *hs_import_items_scrub(const char *buf, gsize len, GPtrArray *items,
                            const GArray *kept, gsize *ret_len, guint *ret_n,
                            GError **error);

/* The lines of the accounts of `config` that an import of `account` alone
 * leaves in the file on purpose, as pairs of guint (first, last; transfer
 * full; empty when `account` is NULL): what hs_import_items_scrub's `kept`
 * takes. */
GArray *hs_import_items_kept_lines(const HsCliConfig *config,
                                   const char *account);

#endif
