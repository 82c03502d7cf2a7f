/* SPDX-License-Identifier: MIT */
/* cache-entry.c — the payload of a cached access token. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cache-entry.h"

#define MAGIC "hs-exec-cache 1\n"

char *hs_cache_entry_encode(const char *access_token, int64_t expires_at,
                            const char *hub_id, size_t *ret_len) {
  char *payload = NULL;
  int n;

  if (strchr(access_token, '\n') != NULL ||
      (hub_id != NULL && strchr(hub_id, '\n') != NULL))
    return NULL;
  n = asprintf(&payload,
               MAGIC "expires_at=%" PRId64 "\nhub_id=%s\naccess_token=%s\n",
               expires_at, hub_id ? hub_id : "", access_token);
  if (n < 0) return NULL;
  *ret_len = (size_t)n;
  return payload;
}

/* The value of line "NAME=VALUE\n" at *at, copied (transfer full), *at moved
 * past it; NULL when the line is not that. */
static char *take(const char *payload, size_t len, size_t *at,
                  const char *name) {
  size_t n = strlen(name);
  const char *start = payload + *at, *nl;
  char *value;

  if (len - *at < n + 1 || memcmp(start, name, n) != 0 || start[n] != '=')
    return NULL;
  start += n + 1;
  nl = memchr(start, '\n', len - (size_t)(start - payload));
  if (nl == NULL || memchr(start, '\0', (size_t)(nl - start)) != NULL)
    return NULL;
  value = strndup(start, (size_t)(nl - start));
  *at = (size_t)(nl - payload) + 1;
  return value;
}

bool hs_cache_entry_decode(const char *payload, size_t len,
                           HsCacheEntry *entry) {
  size_t at = strlen(MAGIC);
  char *expires = NULL, *end = NULL;
  long long value;

  *entry = (HsCacheEntry){0};
  if (len < at || memcmp(payload, MAGIC, at) != 0) return false;
  expires = take(payload, len, &at, "expires_at");
  entry->hub_id = take(payload, len, &at, "hub_id");
  entry->access_token = take(payload, len, &at, "access_token");
  if (expires != NULL) {
    errno = 0;
    value = strtoll(expires, &end, 10);
    if (errno == 0 && end != expires && *end == '\0') entry->expires_at = value;
  }
  free(expires);
  if (entry->hub_id != NULL && entry->hub_id[0] == '\0') {
    free(entry->hub_id);
    entry->hub_id = NULL;
  }
  if (entry->access_token == NULL || entry->access_token[0] == '\0' ||
      entry->expires_at <= 0 || at != len) {
    hs_cache_entry_clear(entry);
    return false;
  }
  return true;
}

key_serial_t hs_cache_entry_find(const char *profile) {
  char desc[sizeof HS_CACHE_ENTRY_PREFIX + 256];

  if ((size_t)snprintf(desc, sizeof desc, HS_CACHE_ENTRY_PREFIX "%s",
                       profile) >= sizeof desc) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return keyctl_search(KEY_SPEC_USER_KEYRING, "user", desc, 0);
}

bool hs_cache_entry_read(const char *profile, HsCacheEntry *entry) {
  /* Far more than an entry needs; a larger key is not ours. */
  char payload[4096];
  key_serial_t key;
  long len;
  bool ok;

  *entry = (HsCacheEntry){0};
  key = hs_cache_entry_find(profile);
  if (key < 0) return false;
  len = keyctl_read(key, payload, sizeof payload);
  ok = len > 0 && (size_t)len <= sizeof payload &&
       hs_cache_entry_decode(payload, (size_t)len, entry);
  explicit_bzero(payload, sizeof payload);
  return ok;
}

void hs_cache_entry_clear(HsCacheEntry *entry) {
  if (entry->access_token != NULL) {
    explicit_bzero(entry->access_token, strlen(entry->access_token));
    free(entry->access_token);
  }
  free(entry->hub_id);
  *entry = (HsCacheEntry){0};
}
