/* SPDX-License-Identifier: MIT */
/* keyctl.c — store plugin keeping profiles in the Linux kernel keyring, for
 * headless hosts and CI runners without a D-Bus session.
 *
 * Each profile is one "user" key described "hs-exec-profile:PROFILE" in the
 * user keyring (@u): shared by the user's processes, never on disk, and gone
 * when the machine reboots (or when the user's last process ends) — the
 * caveat `hs-token doctor` and the README state.  The payload is a short
 * header with the non-secret attributes, a blank line, then the record.
 * add_key() replaces a payload atomically, so a crash leaves the old record
 * or the new one.  Links libkeyutils and libc only.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keyutils.h>

#include "hs-plugin.h"

#define PREFIX "hs-exec-profile:"
#define MAGIC "hs-exec-keyctl 1\n"
#define MAX_FIELD 128

static void set_msg(char *msg, size_t msg_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_msg(char *msg, size_t msg_size, const char *fmt, ...) {
  va_list ap;

  if (msg == NULL || msg_size == 0) return;
  va_start(ap, fmt);
  vsnprintf(msg, msg_size, fmt, ap);
  va_end(ap);
}

/* The user keyring; the session keyring when HS_EXEC_KEYCTL_KEYRING=session
 * (for tests isolated with `keyctl session`), never under AT_SECURE. */
static key_serial_t keyring(void) {
  const char *which = secure_getenv("HS_EXEC_KEYCTL_KEYRING");
  /* Test-only (tests/e2e/faults.sh), never under AT_SECURE: a keyring that
   * does not exist, so that every keyctl call fails as where the kernel
   * keyring is blocked. */
  if (secure_getenv("HS_EXEC_TEST_NO_KEYCTL") != NULL) return 0;
  return (which && strcmp(which, "session") == 0) ? KEY_SPEC_SESSION_KEYRING
                                                  : KEY_SPEC_USER_KEYRING;
}

static hs_status unavailable(int err, const char *what, char *msg,
                             size_t msg_size) {
  set_msg(msg, msg_size,
          "%s: the kernel keyring cannot be used (%s); a container's seccomp "
          "profile may block keyctl",
          what, strerror(err));
  return HS_UNAVAIL;
}

static hs_status kc_open(uint32_t host_abi_version, const char *const *options,
                         void **ret_handle, char *msg, size_t msg_size) {
  if (HS_PLUGIN_ABI_VERSION_MAJOR(host_abi_version) != HS_PLUGIN_ABI_MAJOR) {
    set_msg(msg, msg_size, "host speaks plugin ABI %u, this plugin %u",
            HS_PLUGIN_ABI_VERSION_MAJOR(host_abi_version),
            (unsigned)HS_PLUGIN_ABI_MAJOR);
    return HS_ERROR;
  }
  /* It takes no options: any key is a mistake in the configuration. */
  if (options != NULL && options[0] != NULL) {
    set_msg(msg, msg_size, "unknown option '%.*s'; this store takes none",
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

/* Split a payload into its attributes and the record; the strings point
 * into `payload`, which is modified.  -1 when it is not ours. */
static int parse_payload(char *payload, size_t len, hs_entry *entry, char *kind,
                         char *hub_id) {
  char *p = payload, *end = payload + len, *nl;

  if (len < sizeof MAGIC - 1 || memcmp(p, MAGIC, sizeof MAGIC - 1) != 0)
    return -1;
  p += sizeof MAGIC - 1;
  kind[0] = hub_id[0] = '\0';
  while (p < end && *p != '\n') {
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL) return -1;
    *nl = '\0';
    if (strncmp(p, "kind=", 5) == 0 && strlen(p + 5) < MAX_FIELD)
      strcpy(kind, p + 5);
    else if (strncmp(p, "hub_id=", 7) == 0 && strlen(p + 7) < MAX_FIELD)
      strcpy(hub_id, p + 7);
    else if (strncmp(p, "version=", 8) == 0)
      entry->version = (uint32_t)strtoul(p + 8, NULL, 10);
    p = nl + 1;
  }
  if (p >= end || kind[0] == '\0') return -1;
  p++; /* the blank line */
  entry->kind = kind;
  entry->hub_id = hub_id[0] ? hub_id : NULL;
  entry->secret = p;
  entry->secret_len = (size_t)(end - p);
  return 0;
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
  if (parse_payload(payload, (size_t)len, &entry, kind, hub_id) != 0) {
    explicit_bzero(payload, (size_t)len);
    free(payload);
    set_msg(msg, msg_size, "the key for profile %s is damaged", profile);
    return HS_ERROR;
  }
  if (!with_secret) {
    entry.secret = NULL;
    entry.secret_len = 0;
  }
  *ret_stop = fn(&entry, user_data);
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

static hs_status kc_store(void *handle, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  char desc[256];
  char *payload;
  size_t cap;
  int head;
  key_serial_t key;

  (void)handle;
  if (entry == NULL || entry->profile == NULL || entry->kind == NULL ||
      entry->secret == NULL ||
      description(desc, sizeof desc, entry->profile) != 0) {
    set_msg(msg, msg_size, "incomplete entry");
    return HS_ERROR;
  }
  cap = sizeof MAGIC + 3 * MAX_FIELD + entry->secret_len + 1;
  payload = malloc(cap);
  if (payload == NULL) {
    set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  head = snprintf(payload, cap, MAGIC "kind=%s\nhub_id=%s\nversion=%u\n\n",
                  entry->kind, entry->hub_id ? entry->hub_id : "",
                  (unsigned)entry->version);
  if (head < 0 || (size_t)head + entry->secret_len >= cap) {
    free(payload);
    set_msg(msg, msg_size, "attributes too long");
    return HS_ERROR;
  }
  memcpy(payload + head, entry->secret, entry->secret_len);
  key = add_key("user", desc, payload, (size_t)head + entry->secret_len,
                keyring());
  explicit_bzero(payload, cap);
  free(payload);
  if (key < 0) {
    if (errno == EDQUOT)
      set_msg(msg, msg_size,
              "the kernel keyring quota is full; raise "
              "/proc/sys/kernel/keys/maxbytes or remove profiles");
    return errno == EDQUOT ? HS_ERROR
                           : unavailable(errno, "storing", msg, msg_size);
  }
  /* Readable by the user's later processes that do not possess the key. */
  (void)keyctl_setperm(key, KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ |
                                KEY_USR_WRITE | KEY_USR_SEARCH |
                                KEY_USR_SETATTR);
  return HS_OK;
}

static hs_status kc_remove(void *handle, const char *profile, char *msg,
                           size_t msg_size) {
  key_serial_t key;
  hs_status status = find_key(profile, &key, msg, msg_size);

  (void)handle;
  if (status != HS_OK) return status;
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
  set_msg(report->note, report->note_size,
          "kernel-keyring profiles do not survive a reboot");
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
};
