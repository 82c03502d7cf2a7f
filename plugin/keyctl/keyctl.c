/* SPDX-License-Identifier: MIT */
/* keyctl.c — store plugin keeping profiles in the Linux kernel keyring, for
 * headless hosts and CI runners without a D-Bus session.
 *
 * Each profile is one "user" key described "hs-exec-profile:PROFILE" in the
 * user keyring (@u): readable by every later process of the user, whatever
 * its kind of session, never on disk, and there until it is removed, its
 * lifetime (store_until, `hs-token add --ttl`) ends, or the machine
 * reboots — the user keyring itself outlives the user's last process.  The
 * payload is a short header with the non-secret attributes, a blank line,
 * then the record.  A new key is linked over the old one in a single
 * step, so a crash leaves the old record or the new one.  Links
 * libkeyutils and libc only.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <keyutils.h>

#include "common/store-util.h"
#include "hs-plugin.h"

#define PREFIX "hs-exec-profile:"
#define MAGIC "hs-exec-keyctl 1\n"
#define MAX_FIELD HS_PU_MAX_FIELD

/* What a process of the same user that does not possess the key (its
 * session keyring does not link @u: ssh, cron, CI, a system service) may
 * do: view, find (search, which keyctl_invalidate needs too) and read it.
 * Not write (a new record is a new key linked over it), not setattr
 * (nobody can lift a lifetime), not link.  Group and others: none. */
#define PROFILE_PERM \
  (KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

/* Put a key into @u from any kind of session.  add_key() straight into @u
 * gives a key that only a possessor may change, and a process whose
 * session keyring does not link @u does not possess it: so it is made in
 * this process's own keyring, given its permissions (and timeout, unless
 * `timeout` is 0) there, linked into @u, which drops the older key of that
 * description, and unlinked from the process keyring.  A failure
 * invalidates it.  The key, or -1 with errno set. */
static key_serial_t publish(const char *desc, const void *payload, size_t len,
                            unsigned timeout) {
  key_serial_t key;
  int saved;

  key = add_key("user", desc, payload, len, KEY_SPEC_PROCESS_KEYRING);
  if (key < 0) return -1;
  if ((timeout == 0 || keyctl_set_timeout(key, timeout) == 0) &&
      keyctl_setperm(key, PROFILE_PERM) == 0 &&
      keyctl_link(key, KEY_SPEC_USER_KEYRING) == 0 &&
      keyctl_unlink(key, KEY_SPEC_PROCESS_KEYRING) == 0)
    return key;
  saved = errno;
  (void)keyctl_invalidate(key);
  errno = saved;
  return -1;
}

static key_serial_t keyring(void) { return KEY_SPEC_USER_KEYRING; }

static hs_status unavailable(int err, const char *what, char *msg,
                             size_t msg_size) {
  hs_pu_set_msg(
      msg, msg_size,
      "%s: the kernel keyring cannot be used (%s); a container's seccomp "
      "profile may block keyctl",
      what, strerror(err));
  return HS_UNAVAIL;
}

static hs_status kc_open(uint32_t host_abi_version, const char *const *options,
                         void **ret_handle, char *msg, size_t msg_size) {
  if (hs_pu_check_abi(host_abi_version, msg, msg_size) != HS_OK)
    return HS_ERROR;
  /* It takes no options: any key is a mistake in the configuration. */
  if (options != NULL && options[0] != NULL) {
    hs_pu_set_msg(msg, msg_size, "unknown option '%.*s'; this store takes none",
                  (int)strcspn(options[0], "="), options[0]);
    return HS_ERROR;
  }
  if (keyctl_get_keyring_ID(keyring(), 1) < 0)
    return unavailable(errno, "opening the keyring", msg, msg_size);
  *ret_handle = NULL;
  return HS_OK;
}

static void kc_close(void *handle) { (void)handle; }

static int description(char *buf, size_t size, const char *profile) {
  return snprintf(buf, size, PREFIX "%s", profile) < (int)size ? 0 : -1;
}

/* Read key `key` and hand it to `fn` as `profile`; wipe the payload after. */
static hs_status emit(key_serial_t key, const char *profile, int with_secret,
                      hs_entry_fn fn, void *user_data, int *ret_stop, char *msg,
                      size_t msg_size) {
  char kind[MAX_FIELD], hub_id[MAX_FIELD];
  hs_entry entry = {0};
  void *payload = NULL;
  long len;

  len = keyctl_read_alloc(key, &payload);
  if (len < 0) {
    if (errno == ENOKEY || errno == EKEYEXPIRED || errno == EKEYREVOKED)
      return HS_NOTFOUND;
    return unavailable(errno, "reading a profile", msg, msg_size);
  }
  entry.profile = profile;
  if (hs_pu_parse_payload(payload, (size_t)len, MAGIC, &entry, kind, hub_id) !=
      0) {
    explicit_bzero(payload, (size_t)len);
    free(payload);
    hs_pu_set_msg(msg, msg_size, "the key for profile %s is damaged", profile);
    return HS_ERROR;
  }
  *ret_stop = hs_pu_hand_over(&entry, with_secret, fn, user_data);
  explicit_bzero(payload, (size_t)len);
  free(payload);
  return HS_OK;
}

/* The key holding `profile`: HS_OK with *ret_key, HS_NOTFOUND, or
 * HS_UNAVAIL when the keyring cannot be searched. */
static hs_status find_key(const char *profile, key_serial_t *ret_key, char *msg,
                          size_t msg_size) {
  char desc[256];

  if (description(desc, sizeof desc, profile) != 0) return HS_NOTFOUND;
  *ret_key = keyctl_search(keyring(), "user", desc, 0);
  if (*ret_key >= 0) return HS_OK;
  if (errno == ENOKEY || errno == EKEYEXPIRED || errno == EKEYREVOKED)
    return HS_NOTFOUND;
  return unavailable(errno, "searching the keyring", msg, msg_size);
}

static hs_status kc_lookup(void *handle, const char *profile, hs_entry_fn fn,
                           void *user_data, char *msg, size_t msg_size) {
  key_serial_t key;
  hs_status status = find_key(profile, &key, msg, msg_size);
  int stop = 0;

  (void)handle;
  if (status != HS_OK) return status;
  return emit(key, profile, 1, fn, user_data, &stop, msg, msg_size);
}

/* Store `entry` for `timeout` seconds, or for good when it is 0. */
static hs_status store_for(const hs_entry *entry, unsigned timeout, char *msg,
                           size_t msg_size) {
  char desc[256];
  char *payload;
  size_t cap;
  int head;
  key_serial_t key;

  if (entry == NULL || entry->profile == NULL || entry->kind == NULL ||
      entry->secret == NULL ||
      description(desc, sizeof desc, entry->profile) != 0) {
    hs_pu_set_msg(msg, msg_size, "incomplete entry");
    return HS_ERROR;
  }
  cap = sizeof MAGIC + 3 * MAX_FIELD + entry->secret_len + 1;
  payload = malloc(cap);
  if (payload == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  head = snprintf(payload, cap, MAGIC "kind=%s\nhub_id=%s\nversion=%u\n\n",
                  entry->kind, entry->hub_id ? entry->hub_id : "",
                  (unsigned)entry->version);
  if (head < 0 || (size_t)head + entry->secret_len >= cap) {
    free(payload);
    hs_pu_set_msg(msg, msg_size, "attributes too long");
    return HS_ERROR;
  }
  memcpy(payload + head, entry->secret, entry->secret_len);
  key = publish(desc, payload, (size_t)head + entry->secret_len, timeout);
  explicit_bzero(payload, cap);
  free(payload);
  if (key < 0) {
    if (errno == EDQUOT)
      hs_pu_set_msg(msg, msg_size,
                    "the kernel keyring quota is full; raise "
                    "/proc/sys/kernel/keys/maxbytes or remove profiles");
    return errno == EDQUOT ? HS_ERROR
                           : unavailable(errno, "storing", msg, msg_size);
  }
  return HS_OK;
}

static hs_status kc_store(void *handle, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  (void)handle;
  return store_for(entry, 0, msg, msg_size);
}

/* The kernel forgets the key at `expires_at`: its timeout, never 0 (which
 * would mean "never") and clamped to what the kernel takes. */
static hs_status kc_store_until(void *handle, const hs_entry *entry,
                                int64_t expires_at, char *msg,
                                size_t msg_size) {
  int64_t left = expires_at - (int64_t)time(NULL);

  (void)handle;
  if (left <= 0) {
    hs_pu_set_msg(msg, msg_size, "the profile's lifetime has already ended");
    return HS_ERROR;
  }
  return store_for(entry, left > UINT32_MAX ? UINT32_MAX : (unsigned)left, msg,
                   msg_size);
}

static hs_status kc_remove(void *handle, const char *profile, char *msg,
                           size_t msg_size) {
  key_serial_t key;
  hs_status status = find_key(profile, &key, msg, msg_size);

  (void)handle;
  if (status != HS_OK) return status;
  /* Invalidation needs search permission, which a key an older version
   * made may lack for a non-possessor; unlinking from @u needs only write
   * on @u, which the user has. */
  if (keyctl_invalidate(key) < 0 && keyctl_unlink(key, keyring()) < 0)
    return unavailable(errno, "deleting", msg, msg_size);
  return HS_OK;
}

static hs_status kc_list(void *handle, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size) {
  key_serial_t *keys = NULL;
  hs_status status = HS_OK;
  long len;
  int stop = 0;

  (void)handle;
  len = keyctl_read_alloc(keyring(), (void **)&keys);
  if (len < 0) return unavailable(errno, "listing the keyring", msg, msg_size);
  for (long i = 0; i < len / (long)sizeof *keys && !stop; i++) {
    char *info = NULL, *desc;
    hs_status s;

    if (keyctl_describe_alloc(keys[i], &info) < 0) continue;
    /* "type;uid;gid;perm;description" */
    desc = strrchr(info, ';');
    if (strncmp(info, "user;", 5) == 0 && desc != NULL &&
        strncmp(desc + 1, PREFIX, sizeof PREFIX - 1) == 0) {
      s = emit(keys[i], desc + 1 + sizeof PREFIX - 1,
               (flags & HS_LIST_SECRETS) != 0, fn, user_data, &stop, msg,
               msg_size);
      if (s != HS_OK && s != HS_NOTFOUND) status = s;
    }
    free(info);
    if (status != HS_OK) break;
  }
  free(keys);
  return status;
}

/* Available when the keyring can be found, as open() finds it, and read,
 * as list() reads it. */
static hs_status kc_probe(void *handle, hs_probe *report, char *msg,
                          size_t msg_size) {
  const char *failed = NULL;

  (void)handle;
  if (keyctl_get_keyring_ID(keyring(), 1) < 0)
    failed = "opening the keyring";
  else if (keyctl_read(keyring(), NULL, 0) < 0)
    failed = "listing the keyring";
  if (failed != NULL) {
    (void)unavailable(errno, failed, msg, msg_size);
    report->state = HS_STATE_UNAVAILABLE;
    return HS_OK;
  }
  report->state = HS_STATE_AVAILABLE;
  hs_pu_set_msg(report->note, report->note_size,
                "profiles stay in the user keyring until removed, their --ttl "
                "ends or the machine reboots");
  return HS_OK;
}

const struct hs_plugin_v1 hs_plugin_v1 = {
    .abi_version = HS_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct hs_plugin_v1),
    .name = "keyctl",
    .open = kc_open,
    .close = kc_close,
    .lookup = kc_lookup,
    .store = kc_store,
    .remove = kc_remove,
    .list = kc_list,
    .probe = kc_probe,
    .store_until = kc_store_until,
};
