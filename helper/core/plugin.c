/* plugin.c — finding, vetting and loading store plugins (after sudo's
 * load_plugins.c and pam_u2f's careful opens). */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/plugin.h"

/* The size of a 1.0 table: everything up to and including list(). */
#define V1_0_SIZE                        \
  (offsetof(struct hs_plugin_v1, list) + \
   sizeof(((struct hs_plugin_v1 *)0)->list))

const char *hs_plugin_dir(void) {
  const char *dir = secure_getenv("HS_EXEC_PLUGIN_DIR");
  return (dir != NULL && *dir != '\0') ? dir : PLUGINDIR;
}

/* Open `path` refusing links, foreign owners and loose modes.  Returns the
 * fd or -1 with an error. */
static int open_vetted(const char *path, GError **error) {
  struct stat st;
  int fd;

  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    int saved = errno;
    if (saved == ENOENT)
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "store plugin %s does not exist; check [stores] order= in "
                  "hs-exec.conf or reinstall hs-exec",
                  path);
    else if (saved == ELOOP)
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                  "store plugin %s is a symbolic link and was refused; "
                  "install the plugin file itself",
                  path);
    else
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                  "store plugin %s cannot be opened: %s", path,
                  g_strerror(saved));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store plugin %s is not a regular file and was refused", path);
    return -1;
  }
  if (st.st_uid != 0 && st.st_uid != getuid()) {
    close(fd);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store plugin %s is owned by uid %u, neither root nor you, "
                "and was refused",
                path, (unsigned)st.st_uid);
    return -1;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    close(fd);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store plugin %s is writable by group or others and was "
                "refused; fix it with chmod go-w %s",
                path, path);
    return -1;
  }
  return fd;
}

static gboolean check_table(const struct hs_plugin_v1 *table, const char *path,
                            GError **error) {
  const char *problem = NULL;

  if (HS_PLUGIN_ABI_VERSION_MAJOR(table->abi_version) != HS_PLUGIN_ABI_MAJOR) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store plugin %s is built for plugin ABI %u.%u, this hs-exec "
                "speaks %u.x; rebuild the plugin against this hs-exec",
                path, HS_PLUGIN_ABI_VERSION_MAJOR(table->abi_version),
                HS_PLUGIN_ABI_VERSION_MINOR(table->abi_version),
                (unsigned)HS_PLUGIN_ABI_MAJOR);
    return FALSE;
  }
  if (table->struct_size < V1_0_SIZE)
    problem = "its table is shorter than ABI 1.0 requires";
  else if (table->name == NULL)
    problem = "it has no name";
  else if (!table->open || !table->close || !table->lookup || !table->store ||
           !table->remove || !table->list)
    problem = "it lacks one of open, close, lookup, store, remove, list";
  if (problem != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store plugin %s was refused: %s; rebuild it against "
                "hs-plugin.h",
                path, problem);
    return FALSE;
  }
  return TRUE;
}

HsPlugin *hs_plugin_load(const char *name, GError **error) {
  g_autoptr(HsPlugin) plugin = g_new0(HsPlugin, 1);
  g_autofree char *fd_path = NULL;
  const struct hs_plugin_v1 *table;
  void *dl;
  int fd;

  plugin->name = g_strdup(name);
  if (name[0] == '/') {
    plugin->path = g_strdup(name);
  } else {
    g_autofree char *file = g_strconcat(name, ".so", NULL);
    if (strchr(name, '/') != NULL || name[0] == '.') {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "'%s' is not a store name", name);
      return NULL;
    }
    plugin->path = g_build_filename(hs_plugin_dir(), file, NULL);
  }
  fd = open_vetted(plugin->path, error);
  if (fd < 0) return NULL;
  /* Load the file we vetted, not whatever the path names by now.  The
   * descriptor stays open for the life of the process: glibc knows a loaded
   * object by the name it was opened with, so a later plugin opened through
   * a reused "/proc/self/fd/N" would be taken for this one.  Plugins are
   * never unloaded (RTLD_NODELETE), and the fd is O_CLOEXEC. */
  fd_path = g_strdup_printf("/proc/self/fd/%d", fd);
  dl = dlopen(fd_path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (dl == NULL) {
    close(fd);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store plugin %s cannot be loaded: %s", plugin->path,
                dlerror());
    return NULL;
  }
  table = dlsym(dl, HS_PLUGIN_SYMBOL);
  if (table == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "%s is not a store plugin: it does not export %s", plugin->path,
                HS_PLUGIN_SYMBOL);
    return NULL;
  }
  if (!check_table(table, plugin->path, error)) return NULL;
  /* Read only what the plugin's struct_size covers (sudo's minor gating). */
  memcpy(&plugin->vt, table,
         MIN((size_t)table->struct_size, sizeof plugin->vt));
  return g_steal_pointer(&plugin);
}

gboolean hs_plugin_open(HsPlugin *plugin, GError **error) {
  char msg[512] = "";
  hs_status status;

  status = plugin->vt.open(HS_PLUGIN_ABI_VERSION, NULL, &plugin->handle, msg,
                           sizeof msg);
  if (status != HS_OK) {
    msg[sizeof msg - 1] = '\0';
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store %s is unavailable: %s", plugin->vt.name,
                *msg ? msg : "its plugin gave no reason");
    return FALSE;
  }
  plugin->opened = TRUE;
  return TRUE;
}

void hs_plugin_free(HsPlugin *plugin) {
  if (plugin == NULL) return;
  if (plugin->opened) plugin->vt.close(plugin->handle);
  g_free(plugin->name);
  g_free(plugin->path);
  g_free(plugin);
}
