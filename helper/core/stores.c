/* SPDX-License-Identifier: MIT */
/* stores.c — the configured, ordered stores as one. */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "core/kind.h"
#include "core/nearest.h"
#include "core/profile-name.h"
#include "core/secure.h"
#include "core/plugin.h"
#include "core/stores.h"

typedef struct {
  const HsStoreSpec *spec;
  HsPlugin *plugin; /* NULL when it did not load */
  gboolean opened;  /* plugin is set and open */
  char *why;        /* why it is unavailable */
  gboolean failed;  /* opened, but answered UNAVAIL since (a locked keyring) */
} Store;

struct HsStores {
  Store *items;
  guint n;
  GPtrArray *specs; /* a reference to the config's, which items point into */
};

#define MSG_SIZE HS_PLUGIN_MSG_SIZE

HsStores *hs_stores_open(const HsConfig *config, GError **error) {
  g_autoptr(HsStores) stores = g_new0(HsStores, 1);

  stores->specs = g_ptr_array_ref(config->stores);
  stores->items = g_new0(Store, config->stores->len);
  for (guint i = 0; i < config->stores->len; i++) {
    Store *s = &stores->items[stores->n++];
    g_autoptr(GError) local = NULL;
    g_autoptr(HsPlugin) plugin = NULL;

    s->spec = g_ptr_array_index(stores->specs, i);
    plugin = hs_plugin_load(s->spec->name, &local);
    if (plugin == NULL && local->code == HS_ERR_CONFIG) {
      g_propagate_prefixed_error(error, g_steal_pointer(&local),
                                 "%s: [stores] order: ", s->spec->origin);
      return NULL;
    }
    /* Kept loaded when it cannot open, so that doctor can ask it why. */
    s->opened =
        plugin != NULL &&
        hs_plugin_open(plugin, (const char *const *)s->spec->options, &local);
    if (!s->opened && local->code == HS_ERR_CONFIG) {
      g_propagate_prefixed_error(error, g_steal_pointer(&local),
                                 "%s: [store %s]: ", s->spec->options_origin,
                                 s->spec->name);
      return NULL;
    }
    if (!s->opened) s->why = g_strdup(local->message);
    s->plugin = g_steal_pointer(&plugin);
  }
  return g_steal_pointer(&stores);
}

void hs_stores_free(HsStores *stores) {
  if (stores == NULL) return;
  for (guint i = 0; i < stores->n; i++) {
    hs_plugin_free(stores->items[i].plugin);
    g_free(stores->items[i].why);
  }
  g_free(stores->items);
  g_ptr_array_unref(stores->specs);
  g_free(stores);
}

static const char *store_name(const Store *s) {
  return s->opened ? hs_plugin_name(s->plugin) : s->spec->name;
}

/* Remember why `s` could not answer, for the final message. */
static void note_unavailable(GString *why, const Store *s, const char *msg) {
  if (why->len > 0) g_string_append(why, "; ");
  if (!s->opened || (s->failed && *msg == '\0'))
    g_string_append(why, s->why);
  else
    g_string_append_printf(why, "store %s: %s", store_name(s),
                           *msg ? msg : "unavailable");
}

typedef struct {
  const char *profile;
  HsRecord *record;
  GError *error;
} LookupData;

static int take_entry(const hs_entry *entry, void *user_data) {
  LookupData *data = user_data;

  if (entry->secret == NULL) return 1;
  data->record = hs_record_from_json(entry->secret, (gssize)entry->secret_len,
                                     &data->error);
  if (data->record != NULL &&
      strcmp(data->record->profile, data->profile) != 0) {
    g_clear_pointer(&data->record, hs_record_free);
    g_set_error(&data->error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "the stored record for %s names another profile; remove it "
                "with 'hs-token remove %s' and add it again",
                data->profile, data->profile);
  }
  return 1;
}

static char *nearest_profile(HsStores *stores, const char *profile);

HsRecord *hs_stores_lookup(HsStores *stores, const char *profile,
                           const char **ret_store, GError **error) {
  g_autoptr(GString) why = g_string_new(NULL);

  for (guint i = 0; i < stores->n; i++) {
    Store *s = &stores->items[i];
    LookupData data = {profile, NULL, NULL};
    char msg[MSG_SIZE] = "";
    hs_status status;
    HsAction action;

    if (!s->opened) {
      note_unavailable(why, s, "");
      if (s->spec->on_unavail == HS_ACTION_RETURN) break;
      continue;
    }
    status = hs_plugin_lookup(s->plugin, profile, take_entry, &data, msg,
                              sizeof msg);
    if (status == HS_OK) {
      if (data.error != NULL || data.record == NULL) {
        if (data.error == NULL)
          g_set_error(&data.error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                      "store %s returned no record for %s", store_name(s),
                      profile);
        g_propagate_prefixed_error(error, data.error,
                                   "store %s: ", store_name(s));
        return NULL;
      }
      if (ret_store != NULL) *ret_store = store_name(s);
      return data.record;
    }
    if (status == HS_ERROR) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                  "store %s failed: %s", store_name(s),
                  *msg ? msg : "no reason given");
      return NULL;
    }
    if (status == HS_NOTFOUND) {
      action = s->spec->on_notfound;
    } else {
      note_unavailable(why, s, msg);
      /* Remembered, so that a save in this run does not try it again. */
      s->failed = TRUE;
      g_free(s->why);
      s->why = g_strdup_printf("store %s: %s", store_name(s),
                               *msg ? msg : "unavailable");
      action =
          status == HS_TRYAGAIN ? s->spec->on_tryagain : s->spec->on_unavail;
    }
    if (action == HS_ACTION_RETURN) break;
  }
  if (why->len > 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "cannot look up profile %s: %s", profile, why->str);
    return NULL;
  }
  g_autofree char *near = nearest_profile(stores, profile);
  if (near != NULL)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NOT_FOUND,
                "no profile named '%s'; did you mean '%s'? (see 'hs-token "
                "list')",
                profile, near);
  else
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NOT_FOUND,
                "no profile named '%s'; see 'hs-token list', or add it with "
                "'hs-token add %s --kind KIND'",
                profile, profile);
  return NULL;
}

/* Why nothing could be saved: no store named `store` (`why` empty), or
 * each store's reason in `why`. */
static void set_cannot_save(GError **error, const char *store,
                            const GString *why, const char *profile) {
  if (why->len == 0)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "no configured store is named '%s'; see [stores] order= in "
                "hs-exec.conf",
                store ? store : "");
  else if (profile != NULL)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "no store could save profile %s, so nothing was saved: %s",
                profile, why->str);
  else
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "no store can save a profile: %s", why->str);
}

gboolean hs_stores_save(HsStores *stores, const HsRecord *record,
                        const char *store, const char **ret_store,
                        GError **error) {
  g_autoptr(GString) why = g_string_new(NULL);
  hs_autosecret json = NULL;
  gsize len = 0;
  hs_entry entry = {0};

  json = hs_record_to_json(record, &len);
  entry.profile = record->profile;
  entry.kind = hs_kind_name(record->kind);
  entry.hub_id = record->hub_id;
  entry.version = HS_RECORD_VERSION;
  entry.secret = json;
  entry.secret_len = len;

  for (guint i = 0; i < stores->n; i++) {
    Store *s = &stores->items[i];
    char msg[MSG_SIZE] = "";
    hs_status status;

    if (store != NULL && strcmp(store, store_name(s)) != 0) continue;
    if (!s->opened || s->failed) {
      note_unavailable(why, s, "");
      continue;
    }
    if (record->store_until != 0 && !hs_plugin_can_expire(s->plugin)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "store %s cannot give profile %s a lifetime (--ttl); use "
                  "--store keyctl, or add it without --ttl",
                  store_name(s), record->profile);
      return FALSE;
    }
    status = record->store_until != 0
                 ? hs_plugin_store_until(s->plugin, &entry, record->store_until,
                                         msg, sizeof msg)
                 : hs_plugin_store(s->plugin, &entry, msg, sizeof msg);
    if (status == HS_OK) {
      if (ret_store != NULL) *ret_store = store_name(s);
      return TRUE;
    }
    if (status == HS_ERROR || status == HS_NOTFOUND) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                  "store %s could not save profile %s: %s", store_name(s),
                  record->profile, *msg ? msg : "no reason given");
      return FALSE;
    }
    /* Still refused after the loader's second try: the entry changed
     * under us (Vault's check-and-set).  A copy in a later store would
     * hide the newer one behind it, so nothing is saved; running the
     * command again reads the new one first. */
    if (status == HS_TRYAGAIN) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                  "store %s did not save profile %s: %s", store_name(s),
                  record->profile, *msg ? msg : "try again");
      return FALSE;
    }
    note_unavailable(why, s, msg);
  }
  set_cannot_save(error, store, why, record->profile);
  return FALSE;
}

gboolean hs_stores_can_save(HsStores *stores, const char *store,
                            gboolean with_lifetime, GError **error) {
  g_autoptr(GString) why = g_string_new(NULL);

  for (guint i = 0; i < stores->n; i++) {
    Store *s = &stores->items[i];

    if (store != NULL && strcmp(store, store_name(s)) != 0) continue;
    if (!s->opened || s->failed) {
      note_unavailable(why, s, "");
      continue;
    }
    if (with_lifetime && !hs_plugin_can_expire(s->plugin)) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "store %s cannot give a profile a lifetime (--ttl); use "
                  "--store keyctl, or add it without --ttl",
                  store_name(s));
      return FALSE;
    }
    return TRUE;
  }
  set_cannot_save(error, store, why, NULL);
  return FALSE;
}

gboolean hs_stores_remove(HsStores *stores, const char *profile,
                          GError **error) {
  g_autoptr(GString) why = g_string_new(NULL);
  gboolean removed = FALSE;

  for (guint i = 0; i < stores->n; i++) {
    Store *s = &stores->items[i];
    char msg[MSG_SIZE] = "";
    hs_status status;

    if (!s->opened) {
      note_unavailable(why, s, "");
      continue;
    }
    status = hs_plugin_remove(s->plugin, profile, msg, sizeof msg);
    if (status == HS_OK)
      removed = TRUE;
    else if (status != HS_NOTFOUND)
      note_unavailable(why, s, msg);
  }
  if (why->len > 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "profile %s may still be stored: %s; run the command again "
                "once the store is back",
                profile, why->str);
    return FALSE;
  }
  if (!removed) {
    g_autofree char *near = nearest_profile(stores, profile);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NOT_FOUND,
                "no profile named '%s'%s%s%s; see 'hs-token list'", profile,
                near ? "; did you mean '" : "", near ? near : "",
                near ? "'?" : "");
    return FALSE;
  }
  return TRUE;
}

typedef struct {
  HsStoresListFn fn;        /* records, or */
  HsStoresEntryFn entry_fn; /* attributes only */
  void *user_data;
  const char *store;
  GPtrArray *warnings;
} ListData;

static int list_entry(const hs_entry *entry, void *user_data) {
  ListData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecord) record = NULL;

  if (data->entry_fn != NULL) {
    HsStoresEntry e = {entry->profile, HS_KIND_PRIVATE_APP, entry->hub_id,
                       data->store};
    /* Attributes a store's own UI may have changed: checked as a record's
     * would be, since they are printed. */
    if (!hs_profile_name_validate(entry->profile, &error) ||
        !hs_kind_from_name(entry->kind, &e.kind, &error) ||
        (entry->hub_id != NULL && !hs_record_valid_hub_id(entry->hub_id))) {
      g_ptr_array_add(
          data->warnings,
          g_strdup_printf("store %s: a profile with attributes that cannot be "
                          "read (%s); skipped",
                          data->store,
                          error ? error->message : "a bad hub id"));
      return 0;
    }
    data->entry_fn(&e, data->user_data);
    return 0;
  }
  record = hs_record_from_json(entry->secret ? entry->secret : "",
                               (gssize)entry->secret_len, &error);
  if (record == NULL) {
    g_ptr_array_add(data->warnings,
                    g_strdup_printf("store %s: profile %s: %s", data->store,
                                    entry->profile, error->message));
    return 0;
  }
  data->fn(record, data->store, data->user_data);
  return 0;
}

/* Each available store's list(), with or without the secrets. */
static gboolean list_all(HsStores *stores, ListData proto, unsigned flags,
                         GPtrArray **ret_warnings, GError **error) {
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GString) why = g_string_new(NULL);
  gboolean any = FALSE;

  for (guint i = 0; i < stores->n; i++) {
    Store *s = &stores->items[i];
    ListData data = proto;
    char msg[MSG_SIZE] = "";
    hs_status status;

    data.store = store_name(s);
    data.warnings = warnings;
    if (!s->opened) {
      note_unavailable(why, s, "");
      g_ptr_array_add(warnings, g_strdup(s->why));
      continue;
    }
    status =
        hs_plugin_list(s->plugin, flags, list_entry, &data, msg, sizeof msg);
    if (status == HS_OK) {
      any = TRUE;
    } else {
      note_unavailable(why, s, msg);
      g_ptr_array_add(warnings, g_strdup_printf("store %s: %s", store_name(s),
                                                *msg ? msg : "unavailable"));
    }
  }
  if (!any) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_UNAVAILABLE,
                "no store could be listed: %s", why->str);
    return FALSE;
  }
  if (ret_warnings != NULL) *ret_warnings = g_steal_pointer(&warnings);
  return TRUE;
}

gboolean hs_stores_list(HsStores *stores, HsStoresListFn fn, void *user_data,
                        GPtrArray **ret_warnings, GError **error) {
  ListData proto = {.fn = fn, .user_data = user_data};

  return list_all(stores, proto, HS_LIST_SECRETS, ret_warnings, error);
}

gboolean hs_stores_list_entries(HsStores *stores, HsStoresEntryFn fn,
                                void *user_data, GPtrArray **ret_warnings,
                                GError **error) {
  ListData proto = {.entry_fn = fn, .user_data = user_data};

  return list_all(stores, proto, 0, ret_warnings, error);
}

static int count_entry(const hs_entry *entry, void *user_data) {
  (void)entry;
  (*(int *)user_data)++;
  return 0;
}

/* The store's own answer (ABI 1.1), when it is not available: FALSE when
 * its plugin did not load or cannot say, or says it is available. */
static gboolean not_available(Store *s, HsPluginReport *report,
                              HsStoreStatus *st) {
  if (s->plugin == NULL || !hs_plugin_probe(s->plugin, report)) return FALSE;
  if (report->state == HS_STATE_AVAILABLE) return FALSE;
  st->state =
      report->state == HS_STATE_LOCKED ? HS_STORE_LOCKED : HS_STORE_UNAVAILABLE;
  /* For a store this run could not open, what open() said stands. */
  if (s->opened) st->why = *report->why ? report->why : "unavailable";
  st->fix = *report->fix ? report->fix : NULL;
  return TRUE;
}

void hs_stores_status(HsStores *stores, HsStoreStatusFn fn, void *user_data) {
  for (guint i = 0; i < stores->n; i++) {
    Store *s = &stores->items[i];
    HsStoreStatus st = {.name = s->spec->name,
                        .state = HS_STORE_UNAVAILABLE,
                        .why = s->why,
                        .profiles = -1};
    HsPluginReport report = {0};
    char msg[MSG_SIZE] = "";
    int count = 0;

    if (!not_available(s, &report, &st) && s->opened) {
      if (hs_plugin_list(s->plugin, 0, count_entry, &count, msg, sizeof msg) ==
          HS_OK) {
        st.state = HS_STORE_AVAILABLE;
        st.path = hs_plugin_path(s->plugin);
        st.profiles = count;
        st.note = *report.note ? report.note : NULL;
      } else {
        st.why = *msg ? msg : "listing its profiles failed";
      }
    }
    fn(&st, user_data);
  }
}

static void collect_name(const HsStoresEntry *entry, void *user_data) {
  g_ptr_array_add(user_data, g_strdup(entry->profile));
}

/* "Did you mean": the stored profile name nearest to `profile`, from the
 * stores' attributes (no secret is read), or NULL (transfer full). */
static char *nearest_profile(HsStores *stores, const char *profile) {
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) warnings = NULL;
  const char *near;

  if (!hs_stores_list_entries(stores, collect_name, names, &warnings, NULL))
    return NULL;
  near =
      hs_nearest_match(profile, (const char *const *)names->pdata, names->len);
  return g_strdup(near);
}
