/* SPDX-License-Identifier: MIT */
/* cache.c — derived access tokens in the Linux kernel keyring.
 *
 * Which keyring: the user keyring (@u).  It lives as long as the user has
 * processes, is shared by all of them (a cron job, a second terminal, a CI
 * step), and is not inherited by other users.  A key in @u is usable by a
 * later process only if that process possesses it or the key grants the
 * user (not just the possessor) read and search, so each key is given
 * user view/read/search/write: the same reach as the user's own files, and
 * less than a file (no disk, gone on reboot, gone at expiry).  Tests isolate
 * themselves with HS_EXEC_CACHE_KEYRING=session inside `keyctl session`.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <keyutils.h>

#include "core/secure.h"
#include "hubspot/cache.h"

#define DESCRIPTION_PREFIX "hs-exec:"

void hs_cache_token_free(HsCachedToken *cached) {
  if (cached == NULL) return;
  hs_secure_free(cached->access_token);
  g_free(cached->hub_id);
  g_free(cached);
}

static key_serial_t cache_keyring(void) {
  const char *which = secure_getenv("HS_EXEC_CACHE_KEYRING");
  /* Test-only (tests/e2e/faults.sh), never under AT_SECURE: a keyring that
   * does not exist, so that every keyctl call fails as where the kernel
   * keyring is blocked. */
  if (secure_getenv("HS_EXEC_TEST_NO_KEYCTL") != NULL) return 0;
  if (which != NULL && strcmp(which, "session") == 0)
    return KEY_SPEC_SESSION_KEYRING;
  return KEY_SPEC_USER_KEYRING;
}

static char *description(const char *profile) {
  return g_strconcat(DESCRIPTION_PREFIX, profile, NULL);
}

HsCachedToken *hs_cache_get(const char *profile, gint64 now) {
  g_autofree char *desc = description(profile);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(HsCachedToken) cached = NULL;
  void *payload = NULL;
  key_serial_t key;
  JsonObject *obj;
  JsonNode *root;
  long len;

  /* ENOKEY, EKEYEXPIRED, EKEYREVOKED, EACCES, ENOSYS, EPERM: all "none". */
  key = keyctl_search(cache_keyring(), "user", desc, 0);
  if (key < 0) return NULL;
  len = keyctl_read_alloc(key, &payload);
  if (len <= 0) {
    free(payload);
    return NULL;
  }
  parser = json_parser_new_immutable();
  if (json_parser_load_from_data(parser, payload, len, NULL) &&
      (root = json_parser_get_root(parser)) != NULL &&
      JSON_NODE_HOLDS_OBJECT(root)) {
    obj = json_node_get_object(root);
    cached = g_new0(HsCachedToken, 1);
    cached->access_token = g_strdup(
        json_object_get_string_member_with_default(obj, "access_token", NULL));
    cached->expires_at =
        json_object_get_int_member_with_default(obj, "expires_at", 0);
    cached->hub_id = g_strdup(
        json_object_get_string_member_with_default(obj, "hub_id", NULL));
    if (cached->access_token != NULL) {
      char *s = (char *)json_object_get_string_member(obj, "access_token");
      explicit_bzero(s, strlen(s));
    }
  }
  explicit_bzero(payload, (size_t)len);
  free(payload);
  if (cached == NULL || cached->access_token == NULL ||
      cached->expires_at <= now)
    return NULL;
  return g_steal_pointer(&cached);
}

gboolean hs_cache_put(const char *profile, const char *token, gint64 expires_at,
                      const char *hub_id, gint64 now) {
  g_autofree char *desc = description(profile);
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) gen = json_generator_new();
  hs_autosecret payload = NULL;
  JsonNode *root;
  key_serial_t key;
  gsize len = 0;

  if (expires_at <= now) return FALSE;
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "access_token");
  json_builder_add_string_value(b, token);
  json_builder_set_member_name(b, "expires_at");
  json_builder_add_int_value(b, expires_at);
  if (hub_id != NULL) {
    json_builder_set_member_name(b, "hub_id");
    json_builder_add_string_value(b, hub_id);
  }
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  payload = json_generator_to_data(gen, &len);
  {
    char *s = (char *)json_object_get_string_member(json_node_get_object(root),
                                                    "access_token");
    explicit_bzero(s, strlen(s));
  }
  json_node_unref(root);

  /* add_key replaces the payload of an existing key of that description. */
  key = add_key("user", desc, payload, len, cache_keyring());
  if (key < 0) return FALSE;
  if (keyctl_setperm(key, KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ |
                              KEY_USR_WRITE | KEY_USR_SEARCH |
                              KEY_USR_SETATTR) < 0 ||
      keyctl_set_timeout(key, (unsigned)(expires_at - now)) < 0) {
    (void)keyctl_invalidate(key);
    return FALSE;
  }
  return TRUE;
}

void hs_cache_drop(const char *profile) {
  g_autofree char *desc = description(profile);
  key_serial_t key = keyctl_search(cache_keyring(), "user", desc, 0);

  if (key >= 0) (void)keyctl_invalidate(key);
}

gboolean hs_cache_probe(char **ret_why) {
  /* A description no profile can have: names never start with '.'. */
  static const char desc[] = DESCRIPTION_PREFIX ".doctor-probe";
  char buf[8] = "";
  key_serial_t key;

  key = add_key("user", desc, "probe", 5, cache_keyring());
  if (key < 0 || keyctl_read(key, buf, sizeof buf) != 5) {
    *ret_why = g_strdup(g_strerror(errno));
    if (key >= 0) (void)keyctl_invalidate(key);
    return FALSE;
  }
  (void)keyctl_invalidate(key);
  return TRUE;
}
