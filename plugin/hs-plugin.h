/* SPDX-License-Identifier: MIT */
/* hs-plugin.h — the credential-store plugin ABI of hs-exec, version 1.2.
 *
 * A store plugin is a shared object that exports exactly one symbol,
 *
 *     const struct hs_plugin_v1 hs_plugin_v1 = { ... };
 *
 * and nothing else.  The host (hs-exec, hs-token) dlopen()s it by name from
 * $(pkglibdir)/plugins/NAME.so, looks the symbol up, and talks to it only
 * through the function pointers below.
 *
 * Versioning (as sudo's plugin API does it)
 *   abi_version = (major << 16) | minor.  The host refuses a plugin whose
 *   major differs from its own.  A minor bump only appends members at the end
 *   of struct hs_plugin_v1; the host reads only the members that the plugin's
 *   struct_size covers, so an old plugin keeps working with a newer host.
 *   open() receives the host's own abi_version so that a newer plugin can
 *   avoid hooks an older host will never call.
 *
 *   1.0  open, close, lookup, store, remove, list.
 *   1.1  probe (optional): the store's state (available, locked,
 *        unavailable) with what the user should do, for `hs-token doctor`.
 *        A 1.0 plugin keeps loading and working; the host just cannot ask
 *        it.  A 1.1 plugin works with a 1.0 host, which never calls probe.
 *   1.2  store_until (optional): store() with a lifetime, for
 *        `hs-token add --ttl`.  A store whose plugin lacks it cannot be
 *        given a profile with a lifetime: the host refuses, storing nothing.
 *
 * Status codes
 *   Every call returns an hs_status.  HS_NOTFOUND means "this store has no
 *   such profile" and is not an error; HS_UNAVAIL means the store cannot be
 *   used right now (no D-Bus session, keyring locked and not unlockable,
 *   kernel keyring blocked); HS_TRYAGAIN a transient failure worth one more
 *   attempt; HS_ERROR anything else.  The host decides, from its configured
 *   order of stores, whether to go on to the next store.
 *   A call that answers HS_TRYAGAIN is made once more, at once, with a
 *   cleared msg (not when it had already passed entries to the callback:
 *   they would be passed twice); if that fails too, its status stands.
 *   The host takes a status not listed here as HS_ERROR.
 *
 * Messages
 *   Every call that can fail takes a caller-owned buffer `msg` of `msg_size`
 *   bytes (msg_size >= 1).  On a status other than HS_OK the plugin may write
 *   one NUL-terminated line there saying what failed (truncated to fit); the
 *   host prefixes the store's name and shows it to the user.  A message never
 *   contains a secret.  The host sets msg[0] = '\0' before every call and
 *   msg[msg_size - 1] = '\0' after it, so a plugin that fills the buffer
 *   cannot make the host read past it.  probe()'s report carries two more
 *   buffers under the same rules.
 *
 * Ownership of buffers
 *   - Everything the host passes in (profile names, entries, options) is
 *     borrowed for the duration of the call; a plugin copies what it keeps.
 *   - Everything a plugin passes out is passed to a host callback
 *     (hs_entry_fn) and is borrowed by the host for the duration of that
 *     callback only.  The plugin owns it, and after the callback returns the
 *     plugin wipes every secret byte (explicit_bzero or its store library's
 *     wiping free) before releasing it.  The host copies what it keeps into
 *     its own wiped memory.  So no buffer ever crosses the boundary with its
 *     ownership, and no allocator is shared.
 *   - The secret a host passes to store() is wiped by the host after the
 *     call; the plugin must not keep a copy except in its backing store.
 *
 * Behaviour a plugin promises
 *   - It never prints, never calls exit() or abort(), never installs signal
 *     handlers, never changes the process's environment or working directory.
 *   - It never keeps a secret in memory after a call returns, except inside
 *     its backing store.
 *   - It never writes a secret to a file in plain text.
 *
 * Threads
 *   The host never makes two calls on one handle at the same time: its
 *   loader holds a lock per handle around every call, also while the
 *   host's callback runs (which never calls back into the plugin).  The
 *   calls on one handle may come from different threads, one after the
 *   other: hs-exec --proxy calls open() from its main thread, lookup() and
 *   store() (to keep a refresh token HubSpot rotated) from the proxy's
 *   worker threads, and close() from the main thread once those have
 *   ended.  So a plugin keeps no per-thread state from one call to the next
 *   (thread-local variables, a thread-default GMainContext).  The host
 *   opens one handle per configured store; different handles of the same
 *   plugin may be used from different threads at once only if the plugin
 *   documents it.  Static data in the plugin must be read-only (the
 *   exported struct is const).
 *
 * Lifetime
 *   open() is called once per host process before any other call but
 *   probe(), close() once at the end, and only after open() succeeded; the
 *   host never dlclose()s a plugin (libraries such as GLib cannot be
 *   unloaded safely).
 */
#ifndef HS_PLUGIN_H
#define HS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HS_PLUGIN_ABI_MAJOR 1
#define HS_PLUGIN_ABI_MINOR 2
#define HS_PLUGIN_ABI_VERSION \
  ((uint32_t)((HS_PLUGIN_ABI_MAJOR << 16) | HS_PLUGIN_ABI_MINOR))
#define HS_PLUGIN_ABI_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define HS_PLUGIN_ABI_VERSION_MINOR(v) ((uint32_t)(v)&0xffffU)

/* The name of the one symbol a plugin exports. */
#define HS_PLUGIN_SYMBOL "hs_plugin_v1"

typedef enum hs_status {
  HS_OK = 0,       /* done */
  HS_NOTFOUND = 1, /* no such profile in this store */
  HS_UNAVAIL = 2,  /* the store cannot be used now; try another */
  HS_TRYAGAIN = 3, /* transient failure; the same call may succeed later */
  HS_ERROR = 4     /* anything else; msg says what */
} hs_status;

/* One profile as a store sees it.  The attributes (profile, kind, hub_id,
 * version) are not secret and may be shown by the store's own UI; `secret`
 * is an opaque, NUL-terminated document (the host's profile record) that the
 * store must keep encrypted or in memory only. */
typedef struct hs_entry {
  const char *profile; /* 1-64 of [A-Za-z0-9._-]; never NULL */
  const char *kind;    /* "private-app", "oauth", ...; never NULL */
  const char *hub_id;  /* decimal hub id, or NULL when unknown */
  uint32_t version;    /* version of the host's record format */
  const char *secret;  /* the record document; NULL in list() output
                          unless HS_LIST_SECRETS was asked for */
  size_t secret_len;   /* strlen(secret), or 0 when secret is NULL */
} hs_entry;

/* Host callback receiving one entry.  `entry` and every string it points to
 * are borrowed until the callback returns.  Return 0 to go on, non-zero to
 * stop the iteration (the plugin then returns HS_OK). */
typedef int (*hs_entry_fn)(const hs_entry *entry, void *user_data);

/* Flags for list(). */
#define HS_LIST_SECRETS 0x1U /* also load each entry's secret */

/* The state of a store, as probe() reports it (ABI 1.1). */
typedef enum hs_state {
  /* It can be used now. */
  HS_STATE_AVAILABLE = 0,
  /* It answers, but stays locked until the user unlocks it (a keyring
   * whose password nobody gave). */
  HS_STATE_LOCKED = 1,
  /* It cannot be used now: no service to talk to, blocked, broken. */
  HS_STATE_UNAVAILABLE = 2
} hs_state;

/* probe()'s report (ABI 1.1).  The host sets struct_size and the buffers
 * (each of at least 1 byte, cleared before the call and NUL-terminated
 * after it, like msg); the plugin sets state and may write one line into
 * each buffer.  A later minor version may append members: a plugin reads
 * struct_size before it touches a member added after 1.1. */
typedef struct hs_probe {
  /* sizeof(struct hs_probe) as the host was built. */
  uint32_t struct_size;
  /* Set by the plugin. */
  hs_state state;
  /* What the user should do when the store is not available ("unlock the
   * login keyring ..."). */
  char *fix;
  size_t fix_size;
  /* What the user should know even while it is available ("its profiles do
   * not survive a reboot"). */
  char *note;
  size_t note_size;
} hs_probe;

struct hs_plugin_v1 {
  /* (HS_PLUGIN_ABI_MAJOR << 16) | HS_PLUGIN_ABI_MINOR at build time. */
  uint32_t abi_version;
  /* sizeof(struct hs_plugin_v1) at build time. */
  uint32_t struct_size;
  /* The store's name as used in configuration ("secret-service"). */
  const char *name;

  /* Open the store.  `options` is a NULL-terminated list of "key=value"
   * strings, the store's [store NAME] section of hs-exec.conf in file
   * order (the key as written, '=', the value with surrounding blanks
   * removed); NULL when there is no such section.  A key the plugin does
   * not know, or a value it cannot use, is answered HS_ERROR with msg
   * naming the key: the host then stops with a configuration error naming
   * the store and the file.  HS_UNAVAIL means the store cannot be used
   * now.  On HS_OK *ret_handle is the plugin's handle (may be NULL if it
   * needs none); on any other status *ret_handle is untouched and close()
   * is not called. */
  hs_status (*open)(uint32_t host_abi_version, const char *const *options,
                    void **ret_handle, char *msg, size_t msg_size);

  /* Release the handle.  Never fails. */
  void (*close)(void *handle);

  /* Find `profile`.  On HS_OK, `fn` has been called exactly once with the
   * entry, its secret loaded.  HS_NOTFOUND when the store has no such
   * profile. */
  hs_status (*lookup)(void *handle, const char *profile, hs_entry_fn fn,
                      void *user_data, char *msg, size_t msg_size);

  /* Create or replace the entry for entry->profile.  Atomic as far as the
   * backing store allows: after a crash the store holds either the old or the
   * new entry, never none and never a mix. */
  hs_status (*store)(void *handle, const hs_entry *entry, char *msg,
                     size_t msg_size);

  /* Delete every entry for `profile`.  HS_NOTFOUND when there was none. */
  hs_status (*remove)(void *handle, const char *profile, char *msg,
                      size_t msg_size);

  /* Call `fn` once per profile in the store, in no particular order.
   * `flags` is 0 or HS_LIST_SECRETS.  Without HS_LIST_SECRETS each entry
   * still carries its attributes: kind always, hub_id when known (so a
   * store keeps them where it can read them without the secret); the host
   * skips, with a warning, an entry whose kind it does not know.  An empty
   * store returns HS_OK without calling `fn`. */
  hs_status (*list)(void *handle, unsigned int flags, hs_entry_fn fn,
                    void *user_data, char *msg, size_t msg_size);

  /* ---- ABI 1.1: the host calls these only when struct_size covers
   * them. ---- */

  /* Say how the store is doing, for diagnostics (`hs-token doctor`); may be
   * NULL.  `handle` is what open() gave, or NULL when open() failed (the
   * host still asks why): then the plugin checks afresh, as open() would.
   * It reaches the store the way lookup() would, and may prompt to unlock
   * it as lookup() would, but reads no secret.  On HS_OK report->state is
   * set and, unless the store is available, `msg` says why and
   * report->fix what to do.  Any other status means the probe itself
   * failed: the host takes the store as unavailable, with `msg`. */
  hs_status (*probe)(void *handle, hs_probe *report, char *msg,
                     size_t msg_size);

  /* ---- ABI 1.2 ---- */

  /* As store(), and the store forgets the entry at `expires_at` (unix
   * seconds, in the future) by itself, also when no host runs then; may be
   * NULL when the store cannot.  The lifetime belongs to this entry only:
   * the host passes it again whenever it stores the profile again (it
   * keeps it in the record), and a later store() makes an entry without
   * one.  HS_ERROR when `expires_at` has passed. */
  hs_status (*store_until)(void *handle, const hs_entry *entry,
                           int64_t expires_at, char *msg, size_t msg_size);

  /* Members added by later minor versions go here, at the end. */
};

#ifdef __cplusplus
}
#endif

#endif /* HS_PLUGIN_H */
