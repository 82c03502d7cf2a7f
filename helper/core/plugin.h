/* SPDX-License-Identifier: MIT */
/* plugin.h — finding, vetting and loading store plugins, and calling them.
 *
 * A loaded plugin is opaque: its function table is reached only through the
 * hs_plugin_* calls below, which keep the rules of the plugin ABI
 * (hs-plugin(7)) in one place:
 *   - msg is cleared before every call and NUL-terminated after it;
 *   - HS_TRYAGAIN is retried once, at once, the same way for every hook;
 *   - a hook added after ABI 1.0 is called only when the plugin's declared
 *     struct_size covers it;
 *   - calls on one plugin never overlap (a lock per plugin), whichever
 *     thread makes them.
 * An entry callback (hs_entry_fn) runs under that lock, so it must not call
 * into the same plugin. */
#ifndef HS_STORE_LOADER_H
#define HS_STORE_LOADER_H

#include <glib.h>

#include "hs-plugin.h"

typedef struct HsPlugin HsPlugin;

/* A buffer size for plugin messages that fits every message we know. */
#define HS_PLUGIN_MSG_SIZE 512

/* The directory plugins are loaded from by name: $(pkglibdir)/plugins, or
 * in a test build the one core/hooks names (transfer none). */
const char *hs_plugin_dir(void);

/* The names of the plugins in hs_plugin_dir(), sorted, for messages
 * (transfer full, NULL-terminated; empty when there are none). */
char **hs_plugin_installed(void);

/* Load plugin `name` (a name, looked up in hs_plugin_dir(), or an absolute
 * path already vetted by the config loader).  The file must be a regular
 * file, not a symbolic link, owned by root or the user, not group- or
 * world-writable; it must export HS_PLUGIN_SYMBOL with our ABI major and all
 * of the 1.0 functions.  (transfer full) NULL with HS_ERR_CONFIG when no
 * such plugin exists and HS_ERR_UNAVAILABLE when it is refused. */
HsPlugin *hs_plugin_load(const char *name, GError **error);

/* The store's name as the plugin gives it (transfer none). */
const char *hs_plugin_name(const HsPlugin *plugin);

/* The file loaded (transfer none). */
const char *hs_plugin_path(const HsPlugin *plugin);

/* The ABI version the plugin was built for. */
uint32_t hs_plugin_abi_version(const HsPlugin *plugin);

/* Call the plugin's open() with `options` (NULL, or a NULL-terminated list
 * of "key=value" strings, borrowed for the call).  On failure the plugin
 * stays loaded (for hs_plugin_probe()) but not open, and the error carries
 * its message: HS_ERR_CONFIG when it answered HS_ERROR to options it was
 * given (a key it does not know, a value it cannot use), else
 * HS_ERR_UNAVAILABLE. */
gboolean hs_plugin_open(HsPlugin *plugin, const char *const *options,
                        GError **error);

/* Whether hs_plugin_open() succeeded. */
gboolean hs_plugin_is_open(const HsPlugin *plugin);

/* The four store hooks of hs-plugin.h, on an open plugin.  `msg` is a
 * buffer of `msg_size` (>= 1) bytes; it holds the plugin's message, always
 * NUL-terminated, "" when it gave none.  A status the ABI does not define
 * is returned as HS_ERROR.  A hook that answers HS_TRYAGAIN is called once
 * more, unless it had already passed entries to `fn` (they would be passed
 * twice); HS_TRYAGAIN from the second call is returned. */
hs_status hs_plugin_lookup(HsPlugin *plugin, const char *profile,
                           hs_entry_fn fn, void *user_data, char *msg,
                           size_t msg_size);
hs_status hs_plugin_store(HsPlugin *plugin, const hs_entry *entry, char *msg,
                          size_t msg_size);
hs_status hs_plugin_remove(HsPlugin *plugin, const char *profile, char *msg,
                           size_t msg_size);
hs_status hs_plugin_list(HsPlugin *plugin, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size);

/* Whether the plugin has the ABI 1.2 store_until hook: whether its store
 * can forget a profile by itself at a given time. */
gboolean hs_plugin_can_expire(const HsPlugin *plugin);

/* store() with a lifetime (the ABI 1.2 store_until hook): the store forgets
 * the entry at `expires_at` (unix seconds, not 0).  HS_ERROR with a message
 * when the plugin lacks the hook. */
hs_status hs_plugin_store_until(HsPlugin *plugin, const hs_entry *entry,
                                gint64 expires_at, char *msg, size_t msg_size);

/* What a store says of its own state (the ABI 1.1 probe hook).  Every
 * string is NUL-terminated, "" when the plugin gave none. */
typedef struct {
  hs_state state;
  char why[HS_PLUGIN_MSG_SIZE];  /* why it is not available */
  char fix[HS_PLUGIN_MSG_SIZE];  /* what the user should do about it */
  char note[HS_PLUGIN_MSG_SIZE]; /* worth knowing while it is available */
} HsPluginReport;

/* Ask the plugin how its store is doing, whether or not hs_plugin_open()
 * succeeded.  FALSE, with `ret_report` untouched, when the plugin predates
 * ABI 1.1 or has no probe hook: the caller judges from its other calls.
 * When the hook itself fails, the state is HS_STATE_UNAVAILABLE and `why`
 * its message. */
gboolean hs_plugin_probe(HsPlugin *plugin, HsPluginReport *ret_report);

/* Close (if opened) and free; the shared object stays mapped. */
void hs_plugin_free(HsPlugin *plugin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsPlugin, hs_plugin_free)

#endif
