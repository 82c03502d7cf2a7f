/* SPDX-License-Identifier: MIT */
/* hs-token unit: the systemd drop-in that hands a service its profile as an
 * encrypted credential and runs its command through hs-exec. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/dropin.h"
#include "cmd/options.h"
#include "core/config.h"
#include "core/error.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/stores.h"

#define CREDS_STORE "systemd-creds"
#define DEFAULT_CRED_DIR "/etc/credstore.encrypted"

/* Where systemd looks for a system unit, most local first. */
static const char *const unit_dirs[] = {
    "/etc/systemd/system", "/run/systemd/system",
    "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
    "/lib/systemd/system"};

/* The systemd-creds store's dir= option, or its default (transfer none). */
static const char *cred_dir(const HsConfig *config) {
  for (guint i = 0; i < config->stores->len; i++) {
    const HsStoreSpec *spec = g_ptr_array_index(config->stores, i);

    if (strcmp(spec->name, CREDS_STORE) != 0 || spec->options == NULL) continue;
    for (char **o = spec->options; *o != NULL; o++)
      if (g_str_has_prefix(*o, "dir=")) return *o + strlen("dir=");
  }
  return DEFAULT_CRED_DIR;
}

/* UNIT as given: a unit name ("myapp", "myapp.service") or the path of its
 * file.  Sets the unit's name and the file found (NULL when none). */
static gboolean find_unit(const char *arg, char **ret_name, char **ret_file,
                          GError **error) {
  g_autofree char *name = NULL;

  *ret_file = NULL;
  if (strchr(arg, '/') != NULL) {
    name = g_path_get_basename(arg);
    if (g_file_test(arg, G_FILE_TEST_IS_REGULAR)) *ret_file = g_strdup(arg);
  } else {
    name =
        strchr(arg, '.') ? g_strdup(arg) : g_strconcat(arg, ".service", NULL);
  }
  if (!g_str_has_suffix(name, ".service") ||
      strspn(name,
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
             "0123456789:-_.\\@") != strlen(name)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "unit: '%s' is not a service unit; give its name "
                "(myapp.service) or the path of its file",
                arg);
    return FALSE;
  }
  for (size_t i = 0; *ret_file == NULL && i < G_N_ELEMENTS(unit_dirs); i++) {
    g_autofree char *path = g_build_filename(unit_dirs[i], name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      *ret_file = g_steal_pointer(&path);
  }
  *ret_name = g_steal_pointer(&name);
  return TRUE;
}

gboolean hs_cmd_unit(int argc, char **argv, GError **error) {
  GOptionEntry entries[] = {{NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autofree char *name = NULL, *file = NULL, *text = NULL, *dropin = NULL;
  g_auto(GStrv) commands = NULL;
  const char *store = NULL, *profile;
  gboolean wrappable = TRUE;
  HsDropin d = {0};

  if (!hs_options_parse("unit", "PROFILE UNIT", entries, 2, &argc, &argv,
                        error))
    return FALSE;
  profile = argv[1];
  if (!hs_profile_name_validate(profile, error)) return FALSE;
  if (!find_unit(argv[2], &name, &file, error)) return FALSE;

  config = hs_config_load(error);
  if (config == NULL) return FALSE;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return FALSE;
  /* The kind decides KeyringMode=; and a service can load the profile only
   * from the systemd-creds store. */
  record = hs_stores_lookup(stores, profile, &store, error);
  if (record == NULL) return FALSE;
  if (strcmp(store, CREDS_STORE) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "unit: profile %s is in store %s, which a service cannot "
                "load; as root, add it to the systemd-creds store with "
                "'hs-token add %s --store systemd-creds --kind %s'",
                profile, store, profile, hs_kind_name(record->kind));
    return FALSE;
  }

  if (file != NULL && g_file_get_contents(file, &text, NULL, NULL))
    commands = hs_dropin_exec_starts(text);
  for (char **c = commands; c != NULL && *c != NULL; c++)
    wrappable = wrappable && hs_dropin_command_wrappable(*c);
  d.profile = profile;
  d.unit = name;
  d.cred_dir = cred_dir(config);
  d.hs_exec = BINDIR "/hs-exec";
  d.commands = wrappable ? (const char *const *)commands : NULL;
  d.keyring_cache = !hs_kind_is_static(record->kind);
  dropin = hs_dropin_render(&d);
  fputs(dropin, stdout);
  if (d.commands == NULL || d.commands[0] == NULL)
    fprintf(stderr,
            "hs-token: note: %s; edit the ExecStart= line of the drop-in "
            "before you use it\n",
            file == NULL       ? "the unit file was not found"
            : commands == NULL ? "the unit file could not be read"
            : !wrappable       ? "its ExecStart= uses the '@' prefix"
                               : "its unit file has no ExecStart=");
  return TRUE;
}
