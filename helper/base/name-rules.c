/* SPDX-License-Identifier: MIT */
/* name-rules.c — what profiles and variables may be called. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/name-rules.h"

/* ASCII only, whatever the locale (ctype's isalnum is not). */
static bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool profile_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-';
}

/* `name` with its control and non-ASCII bytes as \ooo, as a message shows
 * it. */
static void escape(const char *name, char *out, size_t size) {
  size_t at = 0;

  for (const unsigned char *p = (const unsigned char *)name;
       *p && at + 5 < size; p++) {
    if (*p == '\\' || *p == '"')
      at += (size_t)snprintf(out + at, size - at, "\\%c", *p);
    else if (*p < 0x20 || *p >= 0x7f)
      at += (size_t)snprintf(out + at, size - at, "\\%03o", *p);
    else
      out[at++] = (char)*p;
  }
  if (size > 0) out[at < size ? at : size - 1] = '\0';
}

bool hs_name_rules_profile(const char *name, char *why, size_t size) {
  char shown[4 * HS_PROFILE_NAME_MAX + 1];
  size_t len;

  if (size > 0) why[0] = '\0';
  if (name == NULL || *name == '\0') {
    snprintf(why, size,
             "the profile name is empty; use 1-64 letters, digits, '.', '_' "
             "or '-'");
    return false;
  }
  len = strlen(name);
  if (len > HS_PROFILE_NAME_MAX) {
    snprintf(why, size, "profile name is %zu characters long; the limit is %d",
             len, HS_PROFILE_NAME_MAX);
    return false;
  }
  if (name[0] == '.' || name[0] == '-') {
    snprintf(why, size,
             "profile name '%s' starts with '%c'; start it with a letter, "
             "digit or '_'",
             name, name[0]);
    return false;
  }
  for (size_t i = 0; i < len; i++) {
    if (!profile_char(name[i])) {
      escape(name, shown, sizeof shown);
      snprintf(why, size,
               "profile name '%s' has a character other than letters, "
               "digits, '.', '_' and '-' at position %zu",
               shown, i + 1);
      return false;
    }
  }
  return true;
}

bool hs_name_rules_env_var(const char *name) {
  if (name == NULL || !(is_alpha(*name) || *name == '_')) return false;
  for (const char *p = name; *p; p++)
    if (!is_alpha(*p) && !is_digit(*p) && *p != '_') return false;
  return true;
}
