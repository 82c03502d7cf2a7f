/* SPDX-License-Identifier: MIT */
/* plugin.c — finding, vetting and loading store plugins (after sudo's
 * load_plugins.c and pam_u2f's careful opens), and the one way into them. */
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
#include "core/hooks.h"
#include "core/plugin.h"

struct HsPlugin {
  char *name; /* as configured: a plugin name or an absolute path */
  char *path; /* the file loaded */
  /* The plugin's table, copied: members beyond the plugin's struct_size are
   * zero, so hooks of a newer minor version read as absent. */
  struct hs_plugin_v1 vt;
  void *handle; /* from vt.open(); valid once hs_plugin_open() succeeded */
  gboolean opened;
  GMutex lock; /* held around every call into the plugin */
};

/* How far the plugin's own table reaches, as it declares: everything up to
 * and including `field`. */
#define TABLE_REACHES(field)              \
  (offsetof(struct hs_plugin_v1, field) + \
   sizeof(((struct hs_plugin_v1 *)0)->field))

/* The size of a 1.0 table: everything up to and including list(). */
#define V1_0_SIZE TABLE_REACHES(list)

/* Calls of a hook that answers HS_TRYAGAIN: the first and one more. */
#define TRYAGAIN_ATTEMPTS 2

const char *hs_plugin_dir(void) {
  const char *dir = hs_hooks()->plugin_dir;
  return dir != NULL ? dir : PLUGINDIR;
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

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **hs_plugin_installed(void) {
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GDir) dir = g_dir_open(hs_plugin_dir(), 0, NULL);
  const char *file;

  while (dir != NULL && (file = g_dir_read_name(dir)) != NULL) {
    if (g_str_has_suffix(file, ".so") && file[0] != '.' &&
        strlen(file) > strlen(".so"))
      g_ptr_array_add(names, g_strndup(file, strlen(file) - strlen(".so")));
  }
  g_ptr_array_sort(names, compare_names);
  g_ptr_array_add(names, NULL);
  return (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
}

HsPlugin *hs_plugin_load(const char *name, GError **error) {
  g_autoptr(HsPlugin) plugin = g_new0(HsPlugin, 1);
  g_autoptr(GError) local = NULL;
  g_autofree char *fd_path = NULL;
  const struct hs_plugin_v1 *table;
  void *dl;
  int fd;

  g_mutex_init(&plugin->lock);
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
  fd = open_vetted(plugin->path, &local);
  if (fd < 0) {
    if (local->code == HS_ERR_CONFIG && name[0] != '/') {
      /* A misspelled name: say which ones would do. */
      g_auto(GStrv) installed = hs_plugin_installed();
      g_autofree char *list = g_strjoinv(", ", installed);
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "no store plugin named '%s' in %s (installed: %s); correct "
                  "[stores] order= in hs-exec.conf",
                  name, hs_plugin_dir(), *list ? list : "none");
      return NULL;
    }
    g_propagate_error(error, g_steal_pointer(&local));
    return NULL;
  }
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

const char *hs_plugin_name(const HsPlugin *plugin) { return plugin->vt.name; }

const char *hs_plugin_path(const HsPlugin *plugin) { return plugin->path; }

uint32_t hs_plugin_abi_version(const HsPlugin *plugin) {
  return plugin->vt.abi_version;
}

gboolean hs_plugin_is_open(const HsPlugin *plugin) { return plugin->opened; }

/* One call into the plugin: which hook, and its arguments. */
typedef enum {
  HOOK_OPEN,
  HOOK_LOOKUP,
  HOOK_STORE,
  HOOK_REMOVE,
  HOOK_LIST,
  HOOK_PROBE
} Hook;

typedef struct {
  Hook hook;
  const char *const *options; /* open */
  const char *profile;        /* lookup, remove */
  const hs_entry *entry;      /* store */
  int64_t expires_at;         /* store: store_until() when not 0 */
  unsigned int flags;         /* list */
  hs_entry_fn fn;             /* lookup, list: the caller's callback */
  void *user_data;
  hs_probe *report;   /* probe */
  gboolean delivered; /* fn has been given an entry */
} Call;

/* Stands between the plugin and the caller's callback, to know whether a
 * call already handed out entries. */
static int relay(const hs_entry *entry, void *user_data) {
  Call *call = user_data;

  call->delivered = TRUE;
  return call->fn(entry, call->user_data);
}

static hs_status invoke(HsPlugin *plugin, Call *call, char *msg,
                        size_t msg_size) {
  const struct hs_plugin_v1 *vt = &plugin->vt;

  switch (call->hook) {
    case HOOK_OPEN:
      return vt->open(HS_PLUGIN_ABI_VERSION, call->options, &plugin->handle,
                      msg, msg_size);
    case HOOK_LOOKUP:
      return vt->lookup(plugin->handle, call->profile, relay, call, msg,
                        msg_size);
    case HOOK_STORE:
      if (call->expires_at != 0)
        return vt->store_until(plugin->handle, call->entry, call->expires_at,
                               msg, msg_size);
      return vt->store(plugin->handle, call->entry, msg, msg_size);
    case HOOK_REMOVE:
      return vt->remove(plugin->handle, call->profile, msg, msg_size);
    case HOOK_LIST:
      return vt->list(plugin->handle, call->flags, relay, call, msg, msg_size);
    case HOOK_PROBE:
      return vt->probe(plugin->opened ? plugin->handle : NULL, call->report,
                       msg, msg_size);
  }
  g_assert_not_reached();
}

/* Every call into a plugin goes through here, so that each hook gets the
 * same treatment: one caller at a time, a cleared message buffer, a
 * terminated message, one more try after HS_TRYAGAIN (not after entries
 * went out: they would go out twice), and no status the ABI does not
 * define. */
static hs_status call_hook(HsPlugin *plugin, Call *call, char *msg,
                           size_t msg_size) {
  hs_status status;

  g_return_val_if_fail(msg != NULL && msg_size >= 1, HS_ERROR);
  g_mutex_lock(&plugin->lock);
  for (int attempt = 1;; attempt++) {
    msg[0] = '\0';
    if (call->report != NULL)
      call->report->fix[0] = call->report->note[0] = '\0';
    status = invoke(plugin, call, msg, msg_size);
    msg[msg_size - 1] = '\0';
    if (call->report != NULL) {
      call->report->fix[call->report->fix_size - 1] = '\0';
      call->report->note[call->report->note_size - 1] = '\0';
    }
    if (status != HS_TRYAGAIN || call->delivered ||
        attempt == TRYAGAIN_ATTEMPTS)
      break;
  }
  g_mutex_unlock(&plugin->lock);
  if ((unsigned)status > HS_ERROR) {
    if (*msg == '\0')
      g_snprintf(msg, msg_size,
                 "its plugin answered status %u, which the "
                 "plugin ABI does not define",
                 (unsigned)status);
    status = HS_ERROR;
  }
  return status;
}

gboolean hs_plugin_open(HsPlugin *plugin, const char *const *options,
                        GError **error) {
  char msg[HS_PLUGIN_MSG_SIZE];
  Call call = {.hook = HOOK_OPEN, .options = options};
  hs_status status = call_hook(plugin, &call, msg, sizeof msg);

  if (status == HS_ERROR && options != NULL) {
    /* The options are the configuration's: so is the mistake. */
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "store %s: %s",
                plugin->vt.name,
                *msg ? msg : "its plugin refused the options given");
    return FALSE;
  }
  if (status != HS_OK) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "store %s is unavailable: %s", plugin->vt.name,
                *msg ? msg : "its plugin gave no reason");
    return FALSE;
  }
  plugin->opened = TRUE;
  return TRUE;
}

hs_status hs_plugin_lookup(HsPlugin *plugin, const char *profile,
                           hs_entry_fn fn, void *user_data, char *msg,
                           size_t msg_size) {
  Call call = {.hook = HOOK_LOOKUP,
               .profile = profile,
               .fn = fn,
               .user_data = user_data};

  g_return_val_if_fail(plugin->opened, HS_ERROR);
  return call_hook(plugin, &call, msg, msg_size);
}

hs_status hs_plugin_store(HsPlugin *plugin, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  Call call = {.hook = HOOK_STORE, .entry = entry};

  g_return_val_if_fail(plugin->opened, HS_ERROR);
  return call_hook(plugin, &call, msg, msg_size);
}

hs_status hs_plugin_remove(HsPlugin *plugin, const char *profile, char *msg,
                           size_t msg_size) {
  Call call = {.hook = HOOK_REMOVE, .profile = profile};

  g_return_val_if_fail(plugin->opened, HS_ERROR);
  return call_hook(plugin, &call, msg, msg_size);
}

hs_status hs_plugin_list(HsPlugin *plugin, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size) {
  Call call = {
      .hook = HOOK_LIST, .flags = flags, .fn = fn, .user_data = user_data};

  g_return_val_if_fail(plugin->opened, HS_ERROR);
  return call_hook(plugin, &call, msg, msg_size);
}

/* Whether the plugin's table, as long as it declares it, reaches `hook`
 * (as sudo's front end gates the hooks of later minor versions). */
#define HAS_HOOK(plugin, hook)                                \
  ((size_t)(plugin)->vt.struct_size >= TABLE_REACHES(hook) && \
   (plugin)->vt.hook != NULL)

gboolean hs_plugin_can_expire(const HsPlugin *plugin) {
  return HAS_HOOK(plugin, store_until);
}

hs_status hs_plugin_store_until(HsPlugin *plugin, const hs_entry *entry,
                                gint64 expires_at, char *msg, size_t msg_size) {
  Call call = {.hook = HOOK_STORE, .entry = entry, .expires_at = expires_at};

  g_return_val_if_fail(plugin->opened && expires_at != 0, HS_ERROR);
  if (!hs_plugin_can_expire(plugin)) {
    g_strlcpy(msg, "it cannot give a profile a lifetime", msg_size);
    return HS_ERROR;
  }
  return call_hook(plugin, &call, msg, msg_size);
}

gboolean hs_plugin_probe(HsPlugin *plugin, HsPluginReport *ret_report) {
  hs_probe report = {
      .struct_size = sizeof report,
      .state = HS_STATE_UNAVAILABLE,
      .fix = ret_report->fix,
      .fix_size = sizeof ret_report->fix,
      .note = ret_report->note,
      .note_size = sizeof ret_report->note,
  };
  Call call = {.hook = HOOK_PROBE, .report = &report};
  hs_status status;

  if (!HAS_HOOK(plugin, probe)) return FALSE;
  status = call_hook(plugin, &call, ret_report->why, sizeof ret_report->why);
  ret_report->state = report.state;
  if (status != HS_OK || (unsigned)report.state > HS_STATE_UNAVAILABLE) {
    ret_report->state = HS_STATE_UNAVAILABLE;
    if (ret_report->why[0] == '\0')
      g_strlcpy(ret_report->why, "its plugin could not tell how it is doing",
                sizeof ret_report->why);
  }
  return TRUE;
}

void hs_plugin_free(HsPlugin *plugin) {
  if (plugin == NULL) return;
  if (plugin->opened) {
    g_mutex_lock(&plugin->lock);
    plugin->vt.close(plugin->handle);
    g_mutex_unlock(&plugin->lock);
  }
  g_mutex_clear(&plugin->lock);
  g_free(plugin->name);
  g_free(plugin->path);
  g_free(plugin);
}
