/* SPDX-License-Identifier: MIT */
/* config.c — hs-exec.conf: the system file, then the user's (GKeyFile). */
#include "config.h" /* autoconf's, found first on the include path */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/error.h"
#include "base/fd.h"

#define DEFAULT_STORE "secret-service"

/* Every setting hs-exec.conf may hold, grouped by section in the order the
 * manual gives them.  Anything else is reported as unknown. */
static const struct {
  const char *group;
  const char *key;
} known_settings[] = {
    {"stores", "order"},    {"hubspot", "oauth-api"}, {"hubspot", "api-base"},
    {"hubspot", "ca-file"}, {"hubspot", "auth-base"},
};

/* "[store NAME]" sections hold one store's own options: its plugin, not
 * this table, knows their keys. */
#define STORE_SECTION_PREFIX "store "

static gboolean known_group(const char *group) {
  if (g_str_has_prefix(group, STORE_SECTION_PREFIX)) return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(known_settings); i++)
    if (strcmp(known_settings[i].group, group) == 0) return TRUE;
  return FALSE;
}

static gboolean known_key(const char *group, const char *key) {
  if (g_str_has_prefix(group, STORE_SECTION_PREFIX)) return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(known_settings); i++)
    if (strcmp(known_settings[i].group, group) == 0 &&
        strcmp(known_settings[i].key, key) == 0)
      return TRUE;
  return FALSE;
}

char *hs_config_known_settings(void) {
  GString *s = g_string_new(NULL);
  const char *group = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS(known_settings); i++) {
    if (group == NULL || strcmp(group, known_settings[i].group) != 0) {
      group = known_settings[i].group;
      g_string_append_printf(s, "%s[%s] ", s->len > 0 ? "; " : "", group);
    } else {
      g_string_append(s, ", ");
    }
    g_string_append(s, known_settings[i].key);
  }
  g_string_append(s, "; and [" STORE_SECTION_PREFIX
                     "NAME] for one store's "
                     "options");
  return g_string_free(s, FALSE);
}

char *hs_config_unknown_describe(const HsConfigUnknown *u) {
  g_autofree char *where = u->line > 0
                               ? g_strdup_printf("%s:%d", u->file, u->line)
                               : g_strdup(u->file);

  if (u->key == NULL)
    return g_strdup_printf("%s: unknown section [%s]", where, u->group);
  return g_strdup_printf("%s: unknown key '%s' in [%s]", where, u->key,
                         u->group);
}

static void unknown_free(gpointer data) {
  HsConfigUnknown *u = data;

  g_free(u->file);
  g_free(u->group);
  g_free(u->key);
  g_free(u);
}

static void store_spec_free(gpointer data) {
  HsStoreSpec *spec = data;

  g_free(spec->name);
  g_free(spec->origin);
  g_strfreev(spec->options);
  g_free(spec->options_origin);
  g_free(spec);
}

/* One [store NAME] section, merged over the files read. */
typedef struct {
  GPtrArray *options; /* char* "key=value", a later file's key replacing */
  char *origin;       /* "FILE:LINE" of the last file's section header */
} StoreSection;

static void store_section_free(gpointer data) {
  StoreSection *section = data;

  g_ptr_array_unref(section->options);
  g_free(section->origin);
  g_free(section);
}

GPtrArray *hs_config_store_specs_new(void) {
  return g_ptr_array_new_with_free_func(store_spec_free);
}

void hs_config_free(HsConfig *config) {
  if (config == NULL) return;
  g_ptr_array_unref(config->stores);
  g_ptr_array_unref(config->files_read);
  g_ptr_array_unref(config->unknown);
  g_free(config->api_base);
  g_free(config->ca_file);
  g_hash_table_unref(config->store_sections);
  g_free(config->auth_base);
  g_free(config);
}

static gboolean valid_store_name(const char *name) {
  if (*name == '\0') return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_') return FALSE;
  return TRUE;
}

/* "[NOTFOUND=return UNAVAIL=continue]" applied to `spec`. */
static gboolean parse_actions(const char *text, HsStoreSpec *spec,
                              const char *origin, GError **error) {
  g_auto(GStrv) words = g_strsplit_set(text, " \t", -1);

  for (char **w = words; *w != NULL; w++) {
    const char *eq;
    HsAction action;
    g_autofree char *status = NULL;

    if (**w == '\0') continue;
    eq = strchr(*w, '=');
    if (eq == NULL) goto bad;
    status = g_ascii_strup(*w, eq - *w);
    if (g_ascii_strcasecmp(eq + 1, "continue") == 0)
      action = HS_ACTION_CONTINUE;
    else if (g_ascii_strcasecmp(eq + 1, "return") == 0)
      action = HS_ACTION_RETURN;
    else
      goto bad;
    if (strcmp(status, "NOTFOUND") == 0)
      spec->on_notfound = action;
    else if (strcmp(status, "UNAVAIL") == 0)
      spec->on_unavail = action;
    else if (strcmp(status, "TRYAGAIN") == 0)
      spec->on_tryagain = action;
    else
      goto bad;
    continue;
  bad:
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s: [stores] order: '%s' is not STATUS=ACTION with STATUS one "
                "of NOTFOUND, UNAVAIL, TRYAGAIN and ACTION continue or return",
                origin, *w);
    return FALSE;
  }
  return TRUE;
}

gboolean hs_config_parse_order(const char *order, const char *origin,
                               gboolean allow_paths, GPtrArray *specs,
                               GError **error) {
  const char *p = order;
  HsStoreSpec *last = NULL;
  guint first = specs->len;

  while (*p != '\0') {
    if (*p == ' ' || *p == '\t') {
      p++;
    } else if (*p == '[') {
      const char *close = strchr(p, ']');
      g_autofree char *inside = NULL;
      if (close == NULL || last == NULL) {
        g_set_error(
            error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "%s: [stores] order: '[' %s",
            origin,
            close == NULL ? "without a closing ']'" : "before any store name");
        return FALSE;
      }
      inside = g_strndup(p + 1, close - p - 1);
      if (!parse_actions(inside, last, origin, error)) return FALSE;
      p = close + 1;
    } else {
      size_t n = strcspn(p, " \t[");
      g_autofree char *name = g_strndup(p, n);
      gboolean is_path = name[0] == '/';

      if (is_path && !allow_paths) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                    "%s: [stores] order: plugin path %s is accepted only from "
                    "a config file owned by root or you and not writable by "
                    "group or others; fix the file's mode or use a plugin "
                    "name",
                    origin, name);
        return FALSE;
      }
      if (!is_path && !valid_store_name(name)) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                    "%s: [stores] order: '%s' is not a store name (letters, "
                    "digits, '-', '_') or an absolute path",
                    origin, name);
        return FALSE;
      }
      for (guint i = first; i < specs->len; i++) {
        HsStoreSpec *other = g_ptr_array_index(specs, i);
        if (strcmp(other->name, name) == 0) {
          g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                      "%s: [stores] order: store '%s' is listed twice", origin,
                      name);
          return FALSE;
        }
      }
      last = g_new0(HsStoreSpec, 1);
      last->name = g_steal_pointer(&name);
      last->origin = g_strdup(origin);
      /* NSS's defaults: go on to the next source unless told otherwise. */
      last->on_notfound = HS_ACTION_CONTINUE;
      last->on_unavail = HS_ACTION_CONTINUE;
      last->on_tryagain = HS_ACTION_CONTINUE;
      g_ptr_array_add(specs, last);
      p += n;
    }
  }
  if (specs->len == first) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s: [stores] order is empty; name at least one store, e.g. "
                "order=secret-service",
                origin);
    return FALSE;
  }
  return TRUE;
}

/* A key file from `text` (NUL-terminated); HS_ERR_CONFIG naming `path`. */
static GKeyFile *parse_text(const char *text, const char *path,
                            GError **error) {
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autoptr(GError) local = NULL;

  if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE,
                                 &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "%s: %s", path,
                local->message);
    return NULL;
  }
  return g_steal_pointer(&kf);
}

/* Read `path` if it exists.  *ret_vetted tells whether the file is owned by
 * root or the user and not group- or world-writable. */
static GKeyFile *read_file(const char *path, gboolean *ret_vetted,
                           char **ret_text, GError **error) {
  g_autoptr(GKeyFile) kf = NULL;
  g_autofree char *data = NULL;
  struct stat st;
  GString *buf;
  char chunk[4096];
  ssize_t n;
  hs_autofd fd = -1;

  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NULL;
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "%s: %s", path,
                g_strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "%s: not a regular file",
                path);
    return NULL;
  }
  *ret_vetted = (st.st_uid == 0 || st.st_uid == getuid()) &&
                (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
  buf = g_string_new(NULL);
  while ((n = read(fd, chunk, sizeof chunk)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || buf->len > 1024 * 1024) {
      g_string_free(buf, TRUE);
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "%s: cannot be read (%s)", path,
                  n < 0 ? g_strerror(errno) : "larger than 1 MiB");
      return NULL;
    }
    g_string_append_len(buf, chunk, n);
  }
  data = g_string_free(buf, FALSE);
  kf = parse_text(data, path, error);
  if (kf == NULL) return NULL;
  *ret_text = g_steal_pointer(&data);
  return g_steal_pointer(&kf);
}

/* The 1-based line of `key` in `[group]` of a key file's text, or of the
 * section's first header when `key` is NULL; 0 when not found.  GKeyFile
 * does not keep line numbers. */
static int setting_line(const char *text, const char *group, const char *key) {
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  gboolean in_group = FALSE;
  size_t n = key != NULL ? strlen(key) : 0;
  int found = 0;

  for (int i = 0; lines[i] != NULL; i++) {
    const char *l = lines[i];

    while (*l == ' ' || *l == '\t') l++;
    if (*l == '[') {
      const char *end = strchr(l, ']');
      in_group = end != NULL && (size_t)(end - l - 1) == strlen(group) &&
                 strncmp(l + 1, group, strlen(group)) == 0;
      if (in_group && key == NULL) return i + 1;
    } else if (in_group && key != NULL && strncmp(l, key, n) == 0 &&
               (l[n] == '=' || l[n] == ' ' || l[n] == '\t')) {
      found = i + 1; /* the last one wins, as in GKeyFile */
    }
  }
  return found;
}

static void add_unknown(HsConfig *config, const char *text, const char *path,
                        const char *group, const char *key) {
  HsConfigUnknown *u = g_new0(HsConfigUnknown, 1);

  u->file = g_strdup(path);
  u->line = setting_line(text, group, key);
  u->group = g_strdup(group);
  u->key = g_strdup(key);
  g_ptr_array_add(config->unknown, u);
}

/* Note each section and key of `kf` that known_settings does not list. */
static void find_unknown(HsConfig *config, GKeyFile *kf, const char *text,
                         const char *path) {
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

  for (char **g = groups; *g != NULL; g++) {
    g_auto(GStrv) keys = NULL;

    if (!known_group(*g)) {
      add_unknown(config, text, path, *g, NULL);
      continue;
    }
    keys = g_key_file_get_keys(kf, *g, NULL, NULL);
    for (char **k = keys; k != NULL && *k != NULL; k++)
      if (!known_key(*g, *k)) add_unknown(config, text, path, *g, *k);
  }
}

/* [hubspot] api-base=, auth-base= or ca-file= into *ret_value: where
 * credentials go (auth-base: where the browser signs in and whose code we
 * take) and whom to trust for it, so only from a file a repository or another
 * user cannot have written. */
static gboolean read_hubspot_where(GKeyFile *kf, const char *path,
                                   gboolean vetted, const char *key,
                                   char **ret_value, GError **error) {
  g_autofree char *value = g_key_file_get_string(kf, "hubspot", key, NULL);

  if (value == NULL) return TRUE;
  g_strstrip(value);
  if (!vetted) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s: [hubspot] %s is accepted only from a config file owned "
                "by root or you and not writable by group or others; fix the "
                "file's mode (chmod go-w %s) or remove the key",
                path, key, path);
    return FALSE;
  }
  if (strcmp(key, "ca-file") == 0 && *value != '\0' &&
      !g_path_is_absolute(value)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s: [hubspot] ca-file='%s' is not an absolute path; give "
                "the CA bundle's full path",
                path, value);
    return FALSE;
  }
  g_free(*ret_value);
  /* Empty: back to HubSpot's, or the system's CAs. */
  *ret_value = *value != '\0' ? g_steal_pointer(&value) : NULL;
  return TRUE;
}

/* The 1-based line of the header `[group]` in a key file's text, or 0. */
static int group_line(const char *text, const char *group) {
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

  for (int i = 0; lines[i] != NULL; i++) {
    const char *l = lines[i];
    size_t n = strlen(group);

    while (*l == ' ' || *l == '\t') l++;
    if (*l == '[' && strncmp(l + 1, group, n) == 0 && l[n + 1] == ']')
      return i + 1;
  }
  return 0;
}

#define STORE_SECTION_PREFIX "store "

/* Every [store NAME] section of one file, merged into config->store_sections:
 * each key=value replaces the same key from an earlier file. */
static gboolean read_store_sections(GKeyFile *kf, const char *text,
                                    const char *path, gboolean vetted,
                                    HsConfig *config, GError **error) {
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

  for (char **group = groups; *group != NULL; group++) {
    const char *name = *group + strlen(STORE_SECTION_PREFIX);
    g_auto(GStrv) keys = NULL;
    g_autofree char *where = NULL;
    StoreSection *section;
    int line;

    if (!g_str_has_prefix(*group, STORE_SECTION_PREFIX)) continue;
    line = group_line(text, *group);
    where = line > 0 ? g_strdup_printf("%s:%d", path, line) : g_strdup(path);
    if (name[0] != '/' && !valid_store_name(name)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "%s: [%s]: '%s' is not a store name (letters, digits, '-', "
                  "'_') or an absolute plugin path",
                  where, *group, name);
      return FALSE;
    }
    if (!vetted) {
      /* An option may say where a store keeps secrets, or where it sends
       * them: no more trusted than a plugin path. */
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "%s: [%s] is accepted only from a config file owned by root "
                  "or you and not writable by group or others; fix the "
                  "file's owner or mode",
                  where, *group);
      return FALSE;
    }
    section = g_hash_table_lookup(config->store_sections, name);
    if (section == NULL) {
      section = g_new0(StoreSection, 1);
      section->options = g_ptr_array_new_with_free_func(g_free);
      g_hash_table_insert(config->store_sections, g_strdup(name), section);
    }
    g_free(section->origin);
    section->origin = g_steal_pointer(&where);
    keys = g_key_file_get_keys(kf, *group, NULL, NULL);
    for (char **key = keys; key != NULL && *key != NULL; key++) {
      g_autoptr(GError) local = NULL;
      g_autofree char *value = g_key_file_get_string(kf, *group, *key, &local);
      size_t n = strlen(*key);

      if (value == NULL) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "%s: [%s] %s: %s",
                    section->origin, *group, *key, local->message);
        return FALSE;
      }
      for (guint i = 0; i < section->options->len; i++) {
        const char *old = g_ptr_array_index(section->options, i);
        if (strncmp(old, *key, n) == 0 && old[n] == '=') {
          g_ptr_array_remove_index(section->options, i);
          break;
        }
      }
      g_ptr_array_add(section->options,
                      g_strconcat(*key, "=", g_strstrip(value), NULL));
    }
  }
  return TRUE;
}

/* Give each configured store the options of its section. */
static void attach_store_options(HsConfig *config) {
  for (guint i = 0; i < config->stores->len; i++) {
    HsStoreSpec *spec = g_ptr_array_index(config->stores, i);
    StoreSection *section =
        g_hash_table_lookup(config->store_sections, spec->name);

    if (section == NULL) continue;
    spec->options = g_new0(char *, section->options->len + 1);
    for (guint j = 0; j < section->options->len; j++)
      spec->options[j] = g_strdup(g_ptr_array_index(section->options, j));
    spec->options_origin = g_strdup(section->origin);
  }
}

/* [hubspot] oauth-api = 2026-03 (default) | v1, api-base=, auth-base=,
 * ca-file= */
static gboolean read_hubspot_group(GKeyFile *kf, const char *path,
                                   gboolean vetted, HsConfig *config,
                                   GError **error) {
  g_autofree char *api =
      g_key_file_get_string(kf, "hubspot", "oauth-api", NULL);

  if (!read_hubspot_where(kf, path, vetted, "api-base", &config->api_base,
                          error) ||
      !read_hubspot_where(kf, path, vetted, "auth-base", &config->auth_base,
                          error) ||
      !read_hubspot_where(kf, path, vetted, "ca-file", &config->ca_file, error))
    return FALSE;
  if (api == NULL) return TRUE;
  g_strstrip(api);
  if (strcmp(api, "v1") == 0 || strcmp(api, "2026-03") == 0) {
    config->oauth_api_v1 = strcmp(api, "v1") == 0;
    return TRUE;
  }
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
              "%s: [hubspot] oauth-api='%s'; use 2026-03 (the default) or v1",
              path, api);
  return FALSE;
}

/* Apply one file's settings (`kf`, its text, read from `path`). */
static gboolean apply_file(HsConfig *config, GKeyFile *kf, const char *text,
                           const char *path, gboolean vetted, GError **error) {
  g_autofree char *order = NULL, *where = NULL;

  g_ptr_array_add(config->files_read, g_strdup(path));
  find_unknown(config, kf, text, path);
  if (!read_hubspot_group(kf, path, vetted, config, error)) return FALSE;
  if (!read_store_sections(kf, text, path, vetted, config, error)) return FALSE;
  order = g_key_file_get_string(kf, "stores", "order", NULL);
  if (order != NULL) {
    /* A later file's order replaces an earlier one's. */
    g_ptr_array_set_size(config->stores, 0);
    /* GKeyFile does not tell lines: find the key's line for messages. */
    int line = setting_line(text, "stores", "order");
    where = line > 0 ? g_strdup_printf("%s:%d", path, line) : g_strdup(path);
    if (!hs_config_parse_order(order, where, vetted, config->stores, error))
      return FALSE;
  }
  return TRUE;
}

static HsConfig *config_new(void) {
  HsConfig *config = g_new0(HsConfig, 1);

  config->stores = hs_config_store_specs_new();
  config->files_read = g_ptr_array_new_with_free_func(g_free);
  config->unknown = g_ptr_array_new_with_free_func(unknown_free);
  config->store_sections = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 g_free, store_section_free);
  return config;
}

/* With no order= anywhere, the default store; then each store's options. */
static void finish_stores(HsConfig *config) {
  if (config->stores->len == 0) {
    HsStoreSpec *spec = g_new0(HsStoreSpec, 1);
    spec->name = g_strdup(DEFAULT_STORE);
    spec->origin = g_strdup("built-in default");
    g_ptr_array_add(config->stores, spec);
  }
  attach_store_options(config);
}

HsConfig *hs_config_load_files(const char *const *paths, GError **error) {
  g_autoptr(HsConfig) config = config_new();

  for (const char *const *path = paths; *path != NULL; path++) {
    g_autoptr(GKeyFile) kf = NULL;
    g_autoptr(GError) local = NULL;
    g_autofree char *text = NULL;
    gboolean vetted = FALSE;

    kf = read_file(*path, &vetted, &text, &local);
    if (local != NULL) {
      g_propagate_error(error, g_steal_pointer(&local));
      return NULL;
    }
    if (kf == NULL) continue;
    if (!apply_file(config, kf, text, *path, vetted, error)) return NULL;
  }
  finish_stores(config);
  return g_steal_pointer(&config);
}

HsConfig *hs_config_load_data(const char *data, gsize len, const char *origin,
                              gboolean vetted, GError **error) {
  g_autoptr(HsConfig) config = config_new();
  g_autofree char *text = g_strndup(data, len);
  g_autoptr(GKeyFile) kf = parse_text(text, origin, error);

  if (kf == NULL) return NULL;
  if (!apply_file(config, kf, text, origin, vetted, error)) return NULL;
  finish_stores(config);
  return g_steal_pointer(&config);
}

HsConfig *hs_config_load(GError **error) {
  g_autofree char *system_file =
      g_build_filename(SYSCONFDIR, "hs-exec", "hs-exec.conf", NULL);
  g_autofree char *user_file = g_build_filename(
      g_get_user_config_dir(), "hs-exec", "hs-exec.conf", NULL);
  const char *paths[] = {system_file, user_file, NULL};
  static gboolean warned;
  HsConfig *config = hs_config_load_files(paths, error);

  /* A typo in a key is otherwise silent: the setting just does not apply. */
  if (config != NULL && !warned) {
    for (guint i = 0; i < config->unknown->len; i++) {
      g_autofree char *what =
          hs_config_unknown_describe(g_ptr_array_index(config->unknown, i));
      fprintf(stderr,
              "%s: warning: %s, ignored; see hs-exec.conf(5) or run "
              "'hs-token doctor'\n",
              g_get_prgname() ? g_get_prgname() : "hs-exec", what);
    }
    warned = TRUE;
  }
  return config;
}
