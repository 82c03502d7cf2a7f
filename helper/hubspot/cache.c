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

#include <keyutils.h>

#include "base/cache-entry.h"
#include "core/secure.h"
#include "hubspot/cache.h"

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

/* Gone from @u: invalidated, or (a key an older version made without
 * search permission for the user) at least unlinked. */
static int forget(key_serial_t key) {
  if (keyctl_invalidate(key) == 0) return 0;
  return keyctl_unlink(key, KEY_SPEC_USER_KEYRING) < 0 ? -1 : 0;
}

HsCachedToken *hs_cache_get(const char *profile, gint64 now) {
  HsCacheEntry entry;
  HsCachedToken *cached;

  if (!hs_cache_entry_read(profile, &entry)) return NULL;
  if (entry.expires_at <= now) {
    hs_cache_entry_clear(&entry);
    return NULL;
  }
  cached = g_new0(HsCachedToken, 1);
  cached->access_token = hs_secure_dup(entry.access_token);
  cached->expires_at = entry.expires_at;
  cached->hub_id = g_strdup(entry.hub_id);
  hs_cache_entry_clear(&entry);
  return cached;
}

gboolean hs_cache_put(const char *profile, const char *token, gint64 expires_at,
                      const char *hub_id, gint64 now) {
  g_autofree char *desc = g_strconcat(HS_CACHE_ENTRY_PREFIX, profile, NULL);
  gsize len = 0;
  key_serial_t key;
  char *payload;

  if (expires_at <= now) return FALSE;
  payload = hs_cache_entry_encode(token, expires_at, hub_id, &len);
  if (payload == NULL) return FALSE;
  key = publish(desc, payload, len,
                (unsigned)MIN(expires_at - now, MAX_TIMEOUT_S));
  explicit_bzero(payload, len);
  free(payload);
  return key >= 0;
}

void hs_cache_drop(const char *profile) {
  key_serial_t key = hs_cache_entry_find(profile);

  if (key >= 0) (void)forget(key);
}

gboolean hs_cache_probe(char **ret_why) {
  /* A profile no one can have: names never start with '.'. */
  static const char probe[] = ".doctor-probe";
  static const char desc[] = HS_CACHE_ENTRY_PREFIX ".doctor-probe";
  const char *failed = NULL;
  char buf[8] = "";
  key_serial_t key;
  int saved = 0;

  /* What a run does: publish, find from @u, read, then what remove does.
   * The probe's own timeout bounds it should the process die midway. */
  if (publish(desc, "probe", 5, 30) < 0)
    failed = "storing a key";
  else if ((key = hs_cache_entry_find(probe)) < 0)
    failed = "finding it in the user keyring";
  else if (keyctl_read(key, buf, sizeof buf) != 5)
    failed = "reading it";
  else if (keyctl_invalidate(key) < 0)
    failed = "removing it";
  if (failed == NULL) return TRUE;
  saved = errno;
  key = hs_cache_entry_find(probe);
  if (key >= 0) (void)forget(key);
  *ret_why = g_strdup_printf("%s: %s", failed, g_strerror(saved));
  return FALSE;
}
