/* plugin.h — finding, vetting and loading store plugins. */
#ifndef HS_STORE_LOADER_H
#define HS_STORE_LOADER_H

#include <glib.h>

#include "hs-plugin.h"

typedef struct {
  char *name; /* as configured: a plugin name or an absolute path */
  char *path; /* the file loaded */
  /* The plugin's table, copied: members beyond the plugin's struct_size are
   * zero, so hooks of a newer minor version read as absent. */
  struct hs_plugin_v1 vt;
  void *handle; /* from vt.open(); valid once hs_plugin_open() succeeded */
  gboolean opened;
} HsPlugin;

/* The directory plugins are loaded from by name: $(pkglibdir)/plugins, or
 * $HS_EXEC_PLUGIN_DIR unless the program runs with AT_SECURE (transfer
 * none). */
const char *hs_plugin_dir(void);

/* Load plugin `name` (a name, looked up in hs_plugin_dir(), or an absolute
 * path already vetted by the config loader).  The file must be a regular
 * file, not a symbolic link, owned by root or the user, not group- or
 * world-writable; it must export HS_PLUGIN_SYMBOL with our ABI major and all
 * of the 1.0 functions.  (transfer full) NULL with HS_ERR_CONFIG when no
 * such plugin exists and HS_ERR_UNAVAILABLE when it is refused. */
HsPlugin *hs_plugin_load(const char *name, GError **error);

/* Call the plugin's open().  HS_ERR_UNAVAILABLE with its message on
 * failure. */
gboolean hs_plugin_open(HsPlugin *plugin, GError **error);

/* Close (if opened) and free; the shared object stays mapped. */
void hs_plugin_free(HsPlugin *plugin);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsPlugin, hs_plugin_free)

#endif
