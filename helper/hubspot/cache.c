/* SPDX-License-Identifier: MIT */
/* cache.c — derived access tokens in the Linux kernel keyring.
 *
 * Which keyring: the user keyring (@u), shared by all of the user's
 * processes (a cron job, a second terminal, a CI step) and no one else's.
 * docs/design.md, "Where secrets live", says how a key gets there from any
 * kind of session.
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

/* At most this long in the kernel, whatever the token says: a day is far
 * more than HubSpot's 30 minutes, and an expiry too far away never wraps
 * to a timeout of 0, which the kernel takes as "never". */
#define MAX_TIMEOUT_S (24 * 60 * 60)

/* What a process of the same user that does not possess the key (one
 * whose session keyring does not link @u: ssh, cron, CI, a system service)
 * may do: view it, find it (search, which keyctl_invalidate needs too) and
 * read it.  Not write (a new token is a new key linked over this one), not
 * setattr (nobody can lift the timeout), not link.  Group and others: none.
 * The same reach as the user's own files, and less than a file (no disk,
 * gone at expiry or reboot). */
#define CACHE_PERM (KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

/* Put a "user" key into @u with its timeout and permissions, from any
 * kind of session.  add_key() straight into @u gives a key that only a
 * possessor may change, and a process whose session keyring does not link
 * @u does not possess it.  So the key is made in the process keyring (its
 * own, always possessed, private to this process and gone at its exit or
 * execve), given its timeout and permissions there, linked into @u (which
 * drops any older key of that description from @u) and unlinked from the
 * process keyring.  Any failure invalidates the key: it never stays
 * anywhere without its timeout.  The key or -1 with errno set. */
static key_serial_t publish(const char *desc, const void *payload, size_t len,
                            unsigned timeout) {
  key_serial_t key;
  int saved;

  key = add_key("user", desc, payload, len, KEY_SPEC_PROCESS_KEYRING);
  if (key < 0) return -1;
  if (keyctl_set_timeout(key, timeout) == 0 &&
      keyctl_setperm(key, CACHE_PERM) == 0 &&
      keyctl_link(key, KEY_SPEC_USER_KEYRING) == 0 &&
      keyctl_unlink(key, KEY_SPEC_PROCESS_KEYRING) == 0)
    return key;
  saved = errno;
  (void)keyctl_invalidate(key);
  errno = saved;
  return -1;
}

/* The key of `desc` in @u, from any kind of session, or -1. */
static key_serial_t find(const char *desc) {
  return keyctl_search(KEY_SPEC_USER_KEYRING, "user", desc, 0);
}

/* Gone from @u: invalidated, or (a key an older version made without
 * search permission for the user) at least unlinked. */
static int forget(key_serial_t key) {
  if (keyctl_invalidate(key) == 0) return 0;
  return keyctl_unlink(key, KEY_SPEC_USER_KEYRING) < 0 ? -1 : 0;
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
  key = find(desc);
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

  return publish(desc, payload, len,
                 (unsigned)MIN(expires_at - now, MAX_TIMEOUT_S)) >= 0;
}

void hs_cache_drop(const char *profile) {
  g_autofree char *desc = description(profile);
  key_serial_t key = find(desc);

  if (key >= 0) (void)forget(key);
}

gboolean hs_cache_probe(char **ret_why) {
  /* A description no profile can have: names never start with '.'. */
  static const char desc[] = DESCRIPTION_PREFIX ".doctor-probe";
  const char *failed = NULL;
  char buf[8] = "";
  key_serial_t key;
  int saved = 0;

  /* What a run does: publish, find from @u, read, then what remove does.
   * The probe's own timeout bounds it should the process die midway. */
  if (publish(desc, "probe", 5, 30) < 0)
    failed = "storing a key";
  else if ((key = find(desc)) < 0)
    failed = "finding it in the user keyring";
  else if (keyctl_read(key, buf, sizeof buf) != 5)
    failed = "reading it";
  else if (keyctl_invalidate(key) < 0)
    failed = "removing it";
  if (failed == NULL) return TRUE;
  saved = errno;
  key = find(desc);
  if (key >= 0) (void)forget(key);
  *ret_why = g_strdup_printf("%s: %s", failed, g_strerror(saved));
  return FALSE;
}
