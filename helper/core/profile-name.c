/* SPDX-License-Identifier: MIT */
/* profile-name.c — what a profile may be called (hs-token(1)). */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "core/profile-name.h"

static gboolean allowed_char(char c) {
  return g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
}

gboolean hs_profile_name_validate(const char *name, GError **error) {
  size_t len, i;

  if (name == NULL || *name == '\0') {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the profile name is empty; use 1-64 letters, digits, '.', "
                "'_' or '-'");
    return FALSE;
  }
  len = strlen(name);
  if (len > HS_PROFILE_NAME_MAX) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "profile name is %zu characters long; the limit is %d", len,
                HS_PROFILE_NAME_MAX);
    return FALSE;
  }
  if (name[0] == '.' || name[0] == '-') {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "profile name '%s' starts with '%c'; start it with a letter, "
                "digit or '_'",
                name, name[0]);
    return FALSE;
  }
  for (i = 0; i < len; i++) {
    if (!allowed_char(name[i])) {
      g_autofree char *shown = g_strescape(name, NULL);
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "profile name '%s' has a character other than letters, "
                  "digits, '.', '_' and '-' at position %zu",
                  shown, i + 1);
      return FALSE;
    }
  }
  return TRUE;
}
