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
  HsKind guess;

  if (strncmp(token, "pat-", 4) != 0 || (h = hublet_len(token + 4)) == 0 ||
      token[4 + h] != '-') {
    if (hs_kind_guess(token, &guess) && guess == HS_KIND_PERSONAL_ACCESS_KEY)
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "the token looks like a personal access key (HubSpot CLI), "
                  "not a private-app access token; use --kind "
                  "personal-access-key");
    else
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "the token does not look like a private-app access token "
                  "(pat-<region>-…); copy it from the private app's Auth tab "
                  "in HubSpot, or use --kind service-key for a service key");
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
  HsKind guess;

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
      if (hs_kind_guess(token, &guess) && guess == HS_KIND_PRIVATE_APP) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                    "the token looks like a private-app access token or "
                    "service key (pat-<region>-…), not a personal access key; "
                    "use --kind private-app (or --kind service-key)");
        return FALSE;
      }
      return check_charset(token, base64ish, "personal access key", error);
    case HS_KIND_SERVICE_KEY:
    case HS_KIND_OAUTH:
    case HS_KIND_API_KEY:
    default:
      /* No documented shape: any printable ASCII without blanks. */
      return check_charset(token, printable, "token", error);
  }
}

/* The value of a base64 character (standard or URL-safe), or -1. */
static int base64_value(char c) {
  static const char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p;

  if (c == '-') return 62;
  if (c == '_') return 63;
  p = c != '\0' ? strchr(alphabet, c) : NULL;
  return p ? (int)(p - alphabet) : -1;
}

/* HubSpot's CLI key is the base64 of a protocol-buffer message whose first
 * field (tag 0x0a, then its length) is "<hublet>-<UUID>": decoding its
 * first 16 characters shows the tag, a plausible length and the hublet. */
static gboolean looks_like_pak(const char *token) {
  guint8 head[12];
  size_t n = 0, h;
  gboolean ok;

  if (strlen(token) < 40) return FALSE;
  for (size_t i = 0; i < 16; i++)
    if (base64_value(token[i]) < 0) return FALSE;
  for (size_t i = 0; i < 16; i += 4) {
    int v[4] = {base64_value(token[i]), base64_value(token[i + 1]),
                base64_value(token[i + 2]), base64_value(token[i + 3])};
    head[n++] = (guint8)(v[0] << 2 | v[1] >> 4);
    head[n++] = (guint8)((v[1] & 0xf) << 4 | v[2] >> 2);
    head[n++] = (guint8)((v[2] & 0x3) << 6 | v[3]);
  }
  head[n - 1] = '\0'; /* hublet_len stops there at the latest */
  h = hublet_len((const char *)head + 2);
  ok = head[0] == 0x0a && head[1] >= 20 && head[1] < 0x80 && h > 0 &&
       head[2 + h] == '-';
  explicit_bzero(head, sizeof head);
  return ok;
}

gboolean hs_kind_guess(const char *token, HsKind *ret_kind) {
  size_t h;

  if (token == NULL) return FALSE;
  if (strncmp(token, "pat-", 4) == 0 && (h = hublet_len(token + 4)) > 0 &&
      token[4 + h] == '-') {
    *ret_kind = HS_KIND_PRIVATE_APP;
    return TRUE;
  }
  if (looks_like_pak(token)) {
    *ret_kind = HS_KIND_PERSONAL_ACCESS_KEY;
    return TRUE;
  }
  return FALSE;
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
