/* SPDX-License-Identifier: MIT */
/* example-store.c — a complete, small hs-exec store plugin to start from.
 *
 * It keeps each profile as one "user" key in the caller's *session* keyring:
 * gone at logout, never on disk, private to the session.  Build it against
 * the installed header (see Makefile here):
 *
 *     cc -fPIC -shared -fvisibility=hidden $(pkg-config --cflags
 * hs-exec-plugin) \ -o example.so example-store.c -lkeyutils
 *
 * and name it in hs-exec.conf by absolute path (the file must be owned by
 * you or root and not group- or world-writable):
 *
 *     [stores]
 *     order=/path/to/example.so secret-service
 *
 * Everything below follows hs-plugin.h: status codes, never print, never
 * exit, messages into the caller's buffer, secrets handed out only to the
 * callback and wiped right after.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hs-plugin.h>
#include <keyutils.h>

#define EXPORT __attribute__((visibility("default")))
/* Key description: "hs-exec-example:PROFILE" */
#define PREFIX "hs-exec-example:"

static void say(char *msg, size_t size, const char *what) {
  snprintf(msg, size, "%s: %s", what, strerror(errno));
}

static hs_status ex_open(uint32_t host_abi, const char *const *options,
                         void **ret_handle, char *msg, size_t msg_size) {
  (void)options;
  if (HS_PLUGIN_ABI_VERSION_MAJOR(host_abi) != HS_PLUGIN_ABI_MAJOR) {
    snprintf(msg, msg_size, "built for plugin ABI %d", HS_PLUGIN_ABI_MAJOR);
    return HS_ERROR;
  }
  if (keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 1) < 0) {
    say(msg, msg_size, "no session keyring");
    return HS_UNAVAIL; /* let the next configured store answer */
  }
  *ret_handle = NULL; /* this store needs no state */
  return HS_OK;
}

static void ex_close(void *handle) { (void)handle; }

/* The key of `profile`, or -1 with errno (ENOKEY when there is none). */
static key_serial_t find(const char *profile) {
  char desc[128];

  if (snprintf(desc, sizeof desc, PREFIX "%s", profile) >= (int)sizeof desc) {
    errno = ENOKEY;
    return -1;
  }
  return keyctl_search(KEY_SPEC_SESSION_KEYRING, "user", desc, 0);
}

/* The payload is "KIND\nHUB_ID\n" (HUB_ID empty when unknown) followed by
 * the host's record document.  The attributes sit outside the record so
 * that list() can report them without handing out the secret. */
static hs_status give(key_serial_t key, const char *profile, int with_secret,
                      hs_entry_fn fn, void *user_data, char *msg,
                      size_t msg_size) {
  void *data = NULL;
  long len = keyctl_read_alloc(key, &data);
  char *kind_end, *hub_end = NULL;
  hs_entry entry = {0};

  if (len < 0) {
    say(msg, msg_size, "reading a key");
    return HS_ERROR;
  }
  kind_end = memchr(data, '\n', (size_t)len);
  if (kind_end != NULL)
    hub_end = memchr(kind_end + 1, '\n',
                     (size_t)len - (size_t)(kind_end + 1 - (char *)data));
  if (hub_end != NULL) {
    *kind_end = *hub_end = '\0';
    entry.profile = profile;
    entry.kind = data; /* even without the secret: the host needs it */
    entry.hub_id = kind_end[1] != '\0' ? kind_end + 1 : NULL;
    entry.version = 1;
    entry.secret = with_secret ? hub_end + 1 : NULL;
    entry.secret_len =
        with_secret ? (size_t)(len - (hub_end + 1 - (char *)data)) : 0;
    fn(&entry, user_data); /* borrowed by the host for this call only */
  } else {
    snprintf(msg, msg_size, "the key of %s is not in this store's format",
             profile);
  }
  explicit_bzero(data, (size_t)len); /* then wiped, as the ABI asks */
  free(data);
  return hub_end ? HS_OK : HS_ERROR;
}

static hs_status ex_lookup(void *handle, const char *profile, hs_entry_fn fn,
                           void *user_data, char *msg, size_t msg_size) {
  key_serial_t key = find(profile);

  (void)handle;
  if (key < 0) return errno == ENOKEY ? HS_NOTFOUND : HS_UNAVAIL;
  return give(key, profile, 1, fn, user_data, msg, msg_size);
}

static hs_status ex_store(void *handle, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  char desc[128];
  const char *hub_id = entry->hub_id ? entry->hub_id : "";
  size_t kind_len = strlen(entry->kind), hub_len = strlen(hub_id);
  size_t len = kind_len + 1 + hub_len + 1 + entry->secret_len;
  char *payload;
  key_serial_t key;

  (void)handle;
  payload = malloc(len);
  if (payload == NULL) return HS_TRYAGAIN;
  if (snprintf(desc, sizeof desc, PREFIX "%s", entry->profile) >=
      (int)sizeof desc) {
    free(payload);
    snprintf(msg, msg_size, "profile name too long");
    return HS_ERROR;
  }
  memcpy(payload, entry->kind, kind_len);
  payload[kind_len] = '\n';
  memcpy(payload + kind_len + 1, hub_id, hub_len);
  payload[kind_len + 1 + hub_len] = '\n';
  memcpy(payload + kind_len + 1 + hub_len + 1, entry->secret,
         entry->secret_len);
  /* add_key replaces an existing key's payload atomically */
  key = add_key("user", desc, payload, len, KEY_SPEC_SESSION_KEYRING);
  explicit_bzero(payload, len);
  free(payload);
  if (key < 0) {
    say(msg, msg_size, "storing");
    return HS_UNAVAIL;
  }
  return HS_OK;
}

static hs_status ex_remove(void *handle, const char *profile, char *msg,
                           size_t msg_size) {
  key_serial_t key = find(profile);

  (void)handle;
  if (key < 0) return errno == ENOKEY ? HS_NOTFOUND : HS_UNAVAIL;
  if (keyctl_unlink(key, KEY_SPEC_SESSION_KEYRING) < 0) {
    say(msg, msg_size, "removing");
    return HS_ERROR;
  }
  return HS_OK;
}

static hs_status ex_list(void *handle, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size) {
  key_serial_t *keys = NULL;
  long n = keyctl_read_alloc(KEY_SPEC_SESSION_KEYRING, (void **)&keys);

  (void)handle;
  if (n < 0) {
    say(msg, msg_size, "listing");
    return HS_UNAVAIL;
  }
  for (long i = 0; i < n / (long)sizeof *keys; i++) {
    char *info = NULL, *desc;
    if (keyctl_describe_alloc(keys[i], &info) < 0) continue;
    desc = strrchr(info, ';'); /* "type;uid;gid;perm;description" */
    if (desc && strncmp(info, "user;", 5) == 0 &&
        strncmp(desc + 1, PREFIX, strlen(PREFIX)) == 0)
      (void)give(keys[i], desc + 1 + strlen(PREFIX),
                 (flags & HS_LIST_SECRETS) != 0, fn, user_data, msg, msg_size);
    free(info);
  }
  free(keys);
  return HS_OK;
}

/* Optional (ABI 1.1), for `hs-token doctor`: how the store is doing, and
 * what to do about it.  Asked even when open() failed (handle NULL then). */
static hs_status ex_probe(void *handle, hs_probe *report, char *msg,
                          size_t msg_size) {
  (void)handle;
  if (keyctl_get_keyring_ID(KEY_SPEC_SESSION_KEYRING, 1) < 0) {
    say(msg, msg_size, "no session keyring");
    report->state = HS_STATE_UNAVAILABLE;
    snprintf(report->fix, report->fix_size,
             "run inside a login session, or under `keyctl session`");
    return HS_OK;
  }
  report->state = HS_STATE_AVAILABLE;
  snprintf(report->note, report->note_size,
           "its profiles end with the session");
  return HS_OK;
}

/* The one exported symbol. */
EXPORT const struct hs_plugin_v1 hs_plugin_v1 = {
    .abi_version = HS_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct hs_plugin_v1),
    .name = "example",
    .open = ex_open,
    .close = ex_close,
    .lookup = ex_lookup,
    .store = ex_store,
    .remove = ex_remove,
    .list = ex_list,
    .probe = ex_probe, /* may be left out: a store without it still works */
};
