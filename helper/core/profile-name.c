/* SPDX-License-Identifier: MIT */
/* profile-name.c — what a profile may be called (hs-token(1)). */
#include "config.h"

#include "base/name-rules.h"
#include "core/error.h"
#include "core/profile-name.h"

gboolean hs_profile_name_validate(const char *name, GError **error) {
  char why[512];

  if (hs_name_rules_profile(name, why, sizeof why)) return TRUE;
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "%s", why);
  return FALSE;
}
