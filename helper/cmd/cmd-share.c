/* SPDX-License-Identifier: MIT */
/* hs-token share: copy a profile into another store, as a team shares a
 * credential from one laptop into the team's store. */
#include "config.h"

#include <stdio.h>

#include "cmd/commands.h"
#include "cmd/options.h"
#include "base/audit.h"
#include "core/config.h"
#include "core/error.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/stores.h"

gboolean hs_cmd_share(int argc, char **argv, GError **error) {
  g_autofree char *to = NULL;
  GOptionEntry entries[] = {
      {"to", 0, 0, G_OPTION_ARG_STRING, &to,
       "The store to copy the profile into, as named in [stores] order",
       "STORE"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  const char *from = NULL, *saved = NULL;

  if (!hs_options_parse("share", "PROFILE --to STORE", entries, 1, &argc, &argv,
                        error))
    return FALSE;
  if (to == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "share: say which store to copy into with --to STORE (see "
                "'hs-token doctor' for the configured stores)");
    return FALSE;
  }
  if (!hs_profile_name_validate(argv[1], error)) return FALSE;
  config = hs_config_load(error);
  if (config == NULL) return FALSE;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return FALSE;
  /* Fail on a store that cannot take it before a secret is read. */
  if (!hs_stores_can_save(stores, to, FALSE, error)) return FALSE;
  record = hs_stores_lookup(stores, argv[1], &from, error);
  if (record == NULL) return FALSE;
  if (from != NULL && g_strcmp0(from, to) == 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "profile %s is already in store %s; name another store with "
                "--to",
                argv[1], to);
    return FALSE;
  }
  if (record->store_until != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "profile %s has a lifetime ('hs-token add --ttl') and is "
                "not shared; add it to store %s without --ttl",
                argv[1], to);
    return FALSE;
  }
  if (!hs_stores_save(stores, record, to, &saved, error)) {
    g_prefix_error(error, "share: ");
    hs_audit("share", argv[1], hs_kind_name(record->kind), "failed", NULL);
    return FALSE;
  }
  hs_audit("share", argv[1], hs_kind_name(record->kind), "ok", NULL);
  printf("Copied profile %s from store %s to store %s.\n", argv[1],
         from != NULL ? from : "?", saved != NULL ? saved : to);
  return TRUE;
}
