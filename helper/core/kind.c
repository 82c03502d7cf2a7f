/* SPDX-License-Identifier: MIT */
/* kind.c — the kinds of credential and their token shapes. */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "core/kind.h"
#include "core/nearest.h"

static const char *const kind_names[] = {
    [HS_KIND_PRIVATE_APP] = "private-app",
    [HS_KIND_SERVICE_KEY] = "service-key",
    [HS_KIND_OAUTH] = "oauth",
    [HS_KIND_PERSONAL_ACCESS_KEY] = "personal-access-key",
    [HS_KIND_API_KEY] = "api-key",
};

/* Longest token we accept: OAuth access tokens run to 300 characters and the
 * other kinds are shorter; this bound leaves room for HubSpot to grow them. */
#define TOKEN_MAX 4096

const char *hs_kind_name(HsKind kind) {
  if ((unsigned)kind >= G_N_ELEMENTS(kind_names)) return "unknown";
  return kind_names[kind];
}

gboolean hs_kind_from_name(const char *name, HsKind *ret_kind, GError **error) {
  const char *near;

  for (size_t i = 0; i < G_N_ELEMENTS(kind_names); i++) {
    if (name != NULL && strcmp(name, kind_names[i]) == 0) {
      *ret_kind = (HsKind)i;
      return TRUE;
    }
  }
  near = hs_nearest_match(name, kind_names, G_N_ELEMENTS(kind_names));
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "unknown kind '%s'%s%s%s; use one of private-app, service-key, "
              "oauth, personal-access-key, api-key",
              name ? name : "", near ? " (did you mean '" : "",
              near ? near : "", near ? "'?)" : "");
  return FALSE;
}

gboolean hs_kind_is_static(HsKind kind) {
  return kind == HS_KIND_PRIVATE_APP || kind == HS_KIND_SERVICE_KEY;
}

/* A hublet: lower-case letters then digits ("na1", "eu1", "ap1"). */
static size_t hublet_len(const char *s) {
  size_t i = 0;

  while (s[i] >= 'a' && s[i] <= 'z') i++;
  if (i == 0) return 0;
  if (!g_ascii_isdigit(s[i])) return 0;
  while (g_ascii_isdigit(s[i])) i++;
  return i;
}

/* The shape of private-app tokens is known only from third parties
 * (docs/design.md, "HubSpot"): pat-<hublet>-<UUID>.  We hold to the prefix and
 * the hublet and accept any reasonably long tail of UUID characters. */
static gboolean check_private_app(const char *token, GError **error) {
  size_t h, tail;

  if (strncmp(token, "pat-", 4) != 0 || (h = hublet_len(token + 4)) == 0 ||
      token[4 + h] != '-') {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the token does not look like a private-app access token "
                "(pat-<region>-…); copy it from the private app's Auth tab in "
                "HubSpot, or use --kind service-key for a service key");
    return FALSE;
  }
  tail =
      strspn(token + 5 + h,
             "0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz-");
  if (tail < 20 || token[5 + h + tail] != '\0') {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the private-app token is cut short or has characters other "
                "than letters, digits and '-' after pat-<region>-; copy the "
                "whole token again");
    return FALSE;
  }
  return TRUE;
}

static gboolean check_charset(const char *token, const char *accept,
                              const char *what, GError **error) {
  size_t len = strlen(token);

  if (strspn(token, accept) != len) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the %s has a character that cannot be in one (at position "
                "%zu); copy it again",
                what, strspn(token, accept) + 1);
    return FALSE;
  }
  return TRUE;
}

gboolean hs_kind_check_token(HsKind kind, const char *token, GError **error) {
  static const char printable[] =
      "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
      "abcdefghijklmnopqrstuvwxyz{|}~";
  static const char base64ish[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_";
  size_t len = token ? strlen(token) : 0;

  if (len == 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE, "the token is empty");
    return FALSE;
  }
  if (len > TOKEN_MAX) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "the token is %zu characters long; no HubSpot %s is longer "
                "than %d",
                len, hs_kind_name(kind), TOKEN_MAX);
    return FALSE;
  }
  switch (kind) {
    case HS_KIND_PRIVATE_APP:
      return check_private_app(token, error);
    case HS_KIND_PERSONAL_ACCESS_KEY:
      return check_charset(token, base64ish, "personal access key", error);
    case HS_KIND_SERVICE_KEY:
    case HS_KIND_OAUTH:
    case HS_KIND_API_KEY:
    default:
      /* No documented shape: any printable ASCII without blanks. */
      return check_charset(token, printable, "token", error);
  }
}

char *hs_kind_hublet_from_token(HsKind kind, const char *token) {
  size_t h;

  if (kind != HS_KIND_PRIVATE_APP || token == NULL ||
      strncmp(token, "pat-", 4) != 0)
    return NULL;
  h = hublet_len(token + 4);
  if (h == 0 || token[4 + h] != '-') return NULL;
  return g_strndup(token + 4, h);
}
