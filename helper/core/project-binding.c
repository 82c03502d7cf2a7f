/* SPDX-License-Identifier: MIT */
/* project-binding.c — see project-binding.h.
 *
 * The file shapes and their order come from HubSpot's CLI library,
 * github.com/HubSpot/hubspot-local-dev-lib (read at 8628cc38, 2026-08):
 *  - config/hsSettings.ts + types/HsSettings.ts: `hs account link` writes
 *    .hs/settings.json = {"accounts": [N, …], "localDefaultAccount": N},
 *    found with findup from the working directory;
 *  - config/defaultAccountOverride.ts + constants/config.ts
 *    (DEFAULT_ACCOUNT_OVERRIDE_FILE_NAME = '.hsaccount'): a file holding an
 *    account id, read with parseInt, found with findup;
 *  - config/index.ts getConfigDefaultAccount(): settings.json's
 *    localDefaultAccount first, else the .hsaccount override. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "core/config.h"
#include "core/error.h"
#include "base/fd.h"
#include "core/json.h"
#include "core/project-binding.h"
#include "core/stores.h"

void hs_binding_free(HsBinding *binding) {
  if (binding == NULL) return;
  g_free(binding->hub_id);
  g_free(binding->path);
  g_free(binding);
}

static char *id_string(gint64 v) {
  return v > 0 ? g_strdup_printf("%" G_GINT64_FORMAT, v) : NULL;
}

gboolean hs_binding_parse_settings(const char *text, gsize len,
                                   char **ret_hub_id, char **ret_accounts,
                                   GError **error) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  g_autoptr(GString) all = g_string_new(NULL);
  g_autofree char *only = NULL;
  JsonNode *root, *accounts;
  JsonObject *obj;
  gint64 v;
  int count = 0;

  *ret_hub_id = NULL;
  if (ret_accounts != NULL) *ret_accounts = NULL;
  if (!json_parser_load_from_data(parser, text, (gssize)len, NULL) ||
      (root = json_parser_get_root(parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(root)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "not the HubSpot CLI's settings (a JSON object)");
    return FALSE;
  }
  obj = json_node_get_object(root);
  accounts = json_object_get_member(obj, "accounts");
  if (accounts != NULL && JSON_NODE_HOLDS_ARRAY(accounts)) {
    JsonArray *a = json_node_get_array(accounts);
    for (guint i = 0; i < json_array_get_length(a); i++) {
      JsonNode *n = json_array_get_element(a, i);
      if (!JSON_NODE_HOLDS_VALUE(n) ||
          json_node_get_value_type(n) != G_TYPE_INT64 ||
          json_node_get_int(n) <= 0)
        continue;
      g_string_append_printf(all, "%s%" G_GINT64_FORMAT, all->len ? ", " : "",
                             json_node_get_int(n));
      if (count++ == 0) only = id_string(json_node_get_int(n));
    }
  }
  if (hs_json_int(obj, "localDefaultAccount", &v) && v > 0)
    *ret_hub_id = id_string(v);
  else if (count == 1)
    *ret_hub_id = g_steal_pointer(&only);
  if (ret_accounts != NULL)
    *ret_accounts = g_string_free(g_steal_pointer(&all), FALSE);
  return TRUE;
}

char *hs_binding_parse_hsaccount(const char *text, gsize len, GError **error) {
  gsize i = 0, start;

  /* parseInt(): leading blanks, then as many digits as there are. */
  while (i < len && g_ascii_isspace(text[i])) i++;
  start = i;
  while (i < len && g_ascii_isdigit(text[i]) && i - start < 18) i++;
  if (i == start || (i - start == 1 && text[start] == '0')) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "holds no account id (the HubSpot CLI writes digits only)");
    return NULL;
  }
  return g_strndup(text + start, i - start);
}

/* The contents of `path`, a regular file of at most HS_BINDING_MAX_FILE
 * bytes; NULL and *ret_absent when it does not exist. */
static char *read_small(const char *path, gsize *ret_len, gboolean *ret_absent,
                        GError **error) {
  hs_autofd fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  struct stat st;
  g_autofree char *buf = NULL;
  gsize len = 0;

  *ret_absent = FALSE;
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
    *ret_absent = TRUE;
    return NULL;
  }
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size > HS_BINDING_MAX_FILE) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s: cannot be read as the HubSpot CLI's project binding "
                "(%s); fix or remove it, or give hs-exec a PROFILE",
                path, fd < 0 ? g_strerror(errno) : "not a small regular file");
    return NULL;
  }
  buf = g_malloc((gsize)st.st_size + 1);
  while (len < (gsize)st.st_size) {
    ssize_t n = read(fd, buf + len, (gsize)st.st_size - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (gsize)n;
  }
  buf[len] = '\0';
  *ret_len = len;
  return g_steal_pointer(&buf);
}

/* The binding `path` gives: `settings` says which shape.  NULL with no
 * error when the file is absent or (settings.json) names no account. */
static HsBinding *read_binding(const char *path, gboolean settings,
                               GError **error) {
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *hub = NULL;
  gboolean absent;
  gsize len = 0;
  HsBinding *b;

  text = read_small(path, &len, &absent, error);
  if (text == NULL) return NULL;
  if (settings)
    (void)hs_binding_parse_settings(text, len, &hub, NULL, &local);
  else
    hub = hs_binding_parse_hsaccount(text, len, &local);
  if (local != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s: %s; fix it (hs account link), or give hs-exec a PROFILE",
                path, local->message);
    return NULL;
  }
  if (hub == NULL) return NULL;
  b = g_new0(HsBinding, 1);
  b->hub_id = g_steal_pointer(&hub);
  b->path = g_strdup(path);
  return b;
}

/* findup: the nearest `name` from `dir` up to the root, or NULL. */
static HsBinding *find_up(const char *dir, const char *name, gboolean settings,
                          GError **error) {
  g_autofree char *d = g_canonicalize_filename(dir, NULL);

  for (;;) {
    g_autofree char *path = g_build_filename(d, name, NULL);
    g_autofree char *parent = NULL;
    gboolean exists = g_file_test(path, G_FILE_TEST_EXISTS);
    HsBinding *b;

    if (exists) {
      /* The nearest file decides, even when it names nothing (as the
       * CLI's findup stops at the first). */
      b = read_binding(path, settings, error);
      return b;
    }
    parent = g_path_get_dirname(d);
    if (strcmp(parent, d) == 0) return NULL;
    g_free(d);
    d = g_steal_pointer(&parent);
  }
}

HsBinding *hs_binding_find(const char *dir, GError **error) {
  GError *local = NULL;
  HsBinding *b = find_up(dir, ".hs/settings.json", TRUE, &local);

  if (b != NULL || local != NULL) {
    if (local != NULL) g_propagate_error(error, local);
    return b;
  }
  return find_up(dir, ".hsaccount", FALSE, error);
}

typedef struct {
  const char *hub_id;
  GPtrArray *matches; /* char*: profile names */
  GString *others;    /* "name (hub N)" of the rest */
} Match;

static void match_entry(const HsStoresEntry *entry, void *user_data) {
  Match *m = user_data;

  if (g_strcmp0(entry->hub_id, m->hub_id) == 0) {
    for (guint i = 0; i < m->matches->len; i++)
      if (strcmp(g_ptr_array_index(m->matches, i), entry->profile) == 0)
        return; /* the same profile in two stores is one profile */
    g_ptr_array_add(m->matches, g_strdup(entry->profile));
    return;
  }
  g_string_append_printf(m->others, "%s%s (hub %s)", m->others->len ? ", " : "",
                         entry->profile,
                         entry->hub_id ? entry->hub_id : "unknown");
}

char *hs_binding_pick_profile(const HsBinding *binding, GError **error) {
  g_autoptr(HsConfig) config = hs_config_load(error);
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GString) others = g_string_new(NULL);
  Match m = {binding->hub_id, matches, others};

  if (config == NULL) return NULL;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return NULL;
  if (!hs_stores_list_entries(stores, match_entry, &m, &warnings, error))
    return NULL;
  if (matches->len == 1) return g_strdup(g_ptr_array_index(matches, 0));
  if (matches->len == 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NOT_FOUND,
                "%s links account %s, and no profile is of hub %s (%s%s); "
                "add one for it ('hs-token add NAME --kind service-key "
                "--hub-id %s') or give hs-exec a PROFILE",
                binding->path, binding->hub_id, binding->hub_id,
                others->len ? "profiles: " : "no profiles", others->str,
                binding->hub_id);
    return NULL;
  }
  g_ptr_array_add(matches, NULL);
  {
    g_autofree char *names = g_strjoinv(", ", (char **)matches->pdata);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s links account %s, and several profiles are of hub %s "
                "(%s); give hs-exec the one to use: hs-exec PROFILE -- "
                "COMMAND",
                binding->path, binding->hub_id, binding->hub_id, names);
  }
  return NULL;
}
