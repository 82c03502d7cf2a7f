/* SPDX-License-Identifier: MIT */
/* hs-token add, list, show and remove: a profile's life in the stores. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "base/audit.h"
#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "cmd/sign-in.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hubspot-dates.h"
#include "hubspot/auth.h"
#include "core/kind.h"
#include "core/profile-name.h"
#include "core/record.h"
#include "core/rotation.h"
#include "core/secret-input.h"
#include "core/secure.h"
#include "core/stores.h"
#include "hubspot/cache.h"
#include "cmd/commands.h"
#include "core/usage.h"

/* ---- add ---- */

/* Read the kind's secret(s) from stdin or hidden prompts into `record`;
 * with --login, oauth's client secret alone (HubSpot gives the refresh
 * token). */
static gboolean read_secrets(HsRecord *record, gboolean login, GError **error) {
  static const char *const oauth_keys[] = {"client_secret", "refresh_token",
                                           NULL};
  static const char *const login_keys[] = {"client_secret", NULL};
  g_autofree char *prompt = NULL;
  char **values;

  if (record->kind != HS_KIND_OAUTH) {
    prompt = g_strdup_printf("HubSpot %s for %s (input hidden): ",
                             hs_kind_name(record->kind), record->profile);
    record->token =
        hs_secret_read_token(STDIN_FILENO, record->kind, prompt, error);
    return record->token != NULL;
  }
  values = hs_secret_read_pairs(STDIN_FILENO, login ? login_keys : oauth_keys,
                                error);
  if (values == NULL) return FALSE;
  record->client_secret = g_steal_pointer(&values[0]);
  if (!login) record->refresh_token = g_steal_pointer(&values[1]);
  g_free(values);
  return TRUE;
}

gboolean hs_cmd_add(int argc, char **argv, GError **error) {
  g_autofree char *kind_name = NULL, *client_id = NULL, *hub_id = NULL,
                  *store = NULL, *ttl = NULL;
  gboolean no_verify = FALSE, force = FALSE, login = FALSE;
  gint64 lifetime = 0;
  HsSignIn sign_in = {0};
  g_auto(GStrv) opt_scopes = NULL;
  g_autofree char *opt_redirect = NULL;
  GOptionEntry entries[] = {
      {"kind", 0, 0, G_OPTION_ARG_STRING, &kind_name,
       "private-app, service-key, oauth, personal-access-key or api-key",
       "KIND"},
      {"client-id", 0, 0, G_OPTION_ARG_STRING, &client_id,
       "OAuth client id (oauth)", "ID"},
      {"hub-id", 0, 0, G_OPTION_ARG_STRING, &hub_id, "HubSpot hub (portal) id",
       "N"},
      {"no-verify", 0, 0, G_OPTION_ARG_NONE, &no_verify,
       "Store without asking HubSpot whether the token works", NULL},
      {"force", 0, 0, G_OPTION_ARG_NONE, &force,
       "Replace an existing profile of that name", NULL},
      {"store", 0, 0, G_OPTION_ARG_STRING, &store,
       "Save to this store (default: the first available)", "NAME"},
      {"ttl", 0, 0, G_OPTION_ARG_STRING, &ttl,
       "The store forgets the profile after this long (30m, 8h, 2d; keyctl)",
       "DURATION"},
      {"login", 0, 0, G_OPTION_ARG_NONE, &login,
       "oauth: sign in with the browser and authorise the app, instead of "
       "giving a refresh token",
       NULL},
      {"scope", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_scopes,
       "--login: a scope the app requires (repeatable)", "SCOPE"},
      {"redirect-uri", 0, 0, G_OPTION_ARG_STRING, &opt_redirect,
       "--login: the app's redirect URI on this host (default "
       "" HS_LOGIN_DEFAULT_REDIRECT ")",
       "URI"},
      {"no-browser", 0, 0, G_OPTION_ARG_NONE, &sign_in.no_browser,
       "--login: print the URL instead of opening a browser", NULL},
      {"timeout", 0, 0, G_OPTION_ARG_INT, &sign_in.timeout_s,
       "--login: wait this long for HubSpot's redirect (default 300)",
       "SECONDS"},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(HsRecord) record = NULL, previous = NULL;
  g_autoptr(HsLoginListener) listener = NULL;
  g_auto(GStrv) scopes = NULL;
  g_autofree char *hint = NULL, *unavailable = NULL;
  const char *profile, *saved_in = NULL;
  HsKind kind;

  if (!hs_options_parse("add", "PROFILE --kind KIND", entries, 1, &argc, &argv,
                        error))
    return FALSE;
  profile = argv[1];
  if (!hs_profile_name_validate(profile, error)) return FALSE;
  if (kind_name == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: --kind is required: for one account's "
                "scripts, " HS_ADVICE_SERVICE_KEY
                " and use --kind service-key; to sign "
                "in to an OAuth app, --kind oauth --client-id ID --login; "
                "private-app and personal-access-key take existing tokens");
    return FALSE;
  }
  if (!hs_kind_from_name(kind_name, &kind, error)) return FALSE;
  if (kind == HS_KIND_API_KEY) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: HubSpot ended API keys on " HS_DATE_API_KEYS_ENDED
                "; " HS_ADVICE_SERVICE_KEY
                " and add it with --kind "
                "service-key");
    return FALSE;
  }
  if ((client_id != NULL) != (kind == HS_KIND_OAUTH)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                kind == HS_KIND_OAUTH
                    ? "add: --kind oauth needs --client-id ID (the app's "
                      "client id, from its Auth tab)"
                    : "add: --client-id goes only with --kind oauth");
    return FALSE;
  }
  sign_in.scopes = opt_scopes;
  sign_in.redirect_uri = opt_redirect;
  if (!login && (sign_in.scopes || sign_in.redirect_uri || sign_in.no_browser ||
                 sign_in.timeout_s)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: --scope, --redirect-uri, --no-browser and --timeout go "
                "only with --login");
    return FALSE;
  }
  if (login && (kind != HS_KIND_OAUTH || no_verify)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                kind != HS_KIND_OAUTH
                    ? "add: --login goes only with --kind oauth --client-id ID"
                    : "add: --login asks HubSpot for the token, so it cannot "
                      "go with --no-verify");
    return FALSE;
  }
  if (login && sign_in.timeout_s < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: --timeout must be a positive number of seconds");
    return FALSE;
  }
  if (ttl != NULL && !hs_options_duration("add: --ttl", ttl, &lifetime, error))
    return FALSE;
  if (hub_id != NULL && !hs_record_valid_hub_id(hub_id)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: --hub-id '%s' is not a hub id (digits only, as in the "
                "URL app.hubspot.com/…/HUBID)",
                hub_id);
    return FALSE;
  }

  config = hs_config_load(error);
  if (config == NULL) return FALSE;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return FALSE;
  /* Refuse before asking for the secret, so nobody types it for nothing. */
  hint = g_strdup_printf(
      "use --force to replace it, or 'hs-token rotate %s' to rotate its "
      "token",
      profile);
  if (!hs_new_profile_may_write(stores, profile, force, "add", hint,
                                &unavailable, error))
    return FALSE;
  if (!hs_stores_can_save(stores, store, lifetime != 0, error)) return FALSE;
  if (unavailable != NULL)
    /* A headless host may list a store it never has (the Secret Service):
     * go on to the available ones, but say what could not be checked. */
    fprintf(stderr, "hs-token: warning: %s\n", unavailable);
  if (!no_verify) {
    api = hs_options_api_new(config, error);
    if (api == NULL) return FALSE;
  }

  record = hs_record_new(profile, kind);
  record->hub_id = g_steal_pointer(&hub_id);
  record->client_id = g_steal_pointer(&client_id);
  record->created = g_get_real_time() / G_USEC_PER_SEC;
  if (lifetime != 0) record->store_until = record->created + lifetime;
  if (login) {
    /* A profile signed in before tells the app's scopes and hublet. */
    previous = hs_stores_lookup(stores, profile, NULL, NULL);
    scopes = hs_sign_in_scopes(&sign_in, record, previous, error);
    if (scopes == NULL) return FALSE;
    /* Before the secret is asked for: a port in use fails first. */
    listener = hs_sign_in_listen(&sign_in, error);
    if (listener == NULL) return FALSE;
  }
  if (!read_secrets(record, login, error)) return FALSE;
  if (login &&
      !hs_sign_in_run(api, config, listener, &sign_in, scopes,
                      previous ? previous->hublet : NULL, record, error))
    return FALSE;
  if (record->hublet == NULL)
    record->hublet = hs_kind_hublet_from_token(kind, record->token);
  if (api != NULL &&
      !hs_new_profile_verify(api, record, "add", "--hub-id", error))
    return FALSE;
  if (!hs_new_profile_store(stores, record, store, "add", &saved_in, error))
    return FALSE;
  hs_new_profile_note_sharing(stores, record);
  printf(
      "Added profile %s (%s%s%s) to store %s; %s.\n", profile,
      hs_kind_name(kind), record->hub_id ? ", hub " : "",
      record->hub_id ? record->hub_id : "", saved_in,
      record->verified ? "HubSpot accepted it" : "not verified with HubSpot");
  return TRUE;
}

/* ---- list ---- */

typedef struct {
  char *profile, *kind, *hub_id, *hublet, *store;
  gint64 created, age_days, cached_until;
  gint64 last_used;   /* from the usage log, 0 if never */
  gboolean long_form; /* read from the record: hublet, created, age */
} Row;

static void row_free(gpointer data) {
  Row *row = data;
  g_free(row->profile);
  g_free(row->kind);
  g_free(row->hub_id);
  g_free(row->hublet);
  g_free(row->store);
  g_free(row);
}

static Row *row_new(const char *profile, HsKind kind, const char *hub_id,
                    const char *store) {
  Row *row = g_new0(Row, 1);

  row->profile = g_strdup(profile);
  row->kind = g_strdup(hs_kind_name(kind));
  row->hub_id = g_strdup(hub_id);
  row->store = g_strdup(store);
  if (!hs_kind_is_static(kind)) {
    g_autoptr(HsCachedToken) cached =
        hs_cache_get(profile, g_get_real_time() / G_USEC_PER_SEC);
    row->cached_until = cached ? cached->expires_at : 0;
  }
  return row;
}

/* `list`: what the stores' attributes say, no secret loaded. */
static void collect_entry(const HsStoresEntry *entry, void *user_data) {
  g_ptr_array_add(user_data, row_new(entry->profile, entry->kind, entry->hub_id,
                                     entry->store));
}

/* `list --long`: the records, for what only they hold. */
static void collect_record(const HsRecord *record, const char *store,
                           void *user_data) {
  Row *row = row_new(record->profile, record->kind, record->hub_id, store);

  row->hublet = g_strdup(record->hublet);
  row->created = record->created;
  row->age_days = hs_record_age_days(record, hs_options_now());
  row->long_form = TRUE;
  g_ptr_array_add(user_data, row);
}

static gint compare_rows(gconstpointer a, gconstpointer b) {
  const Row *ra = *(Row *const *)a, *rb = *(Row *const *)b;
  int c = strcmp(ra->profile, rb->profile);
  return c != 0 ? c : strcmp(ra->store, rb->store);
}

static void print_json(GPtrArray *rows) {
  g_autoptr(JsonBuilder) b = json_builder_new();

  json_builder_begin_array(b);
  for (guint i = 0; i < rows->len; i++) {
    Row *row = g_ptr_array_index(rows, i);
    g_autofree char *created = hs_output_format_time(row->created);
    g_autofree char *until = hs_output_format_time(row->cached_until);
    g_autofree char *last = hs_output_format_time(row->last_used);

    json_builder_begin_object(b);
    hs_output_add_member(b, "profile", row->profile);
    hs_output_add_member(b, "kind", row->kind);
    hs_output_add_hub_id(b, "hub_id", row->hub_id);
    if (row->long_form) hs_output_add_member(b, "hublet", row->hublet);
    hs_output_add_member(b, "store", row->store);
    if (row->long_form) {
      hs_output_add_member(b, "created", created);
      json_builder_set_member_name(b, "age_days");
      json_builder_add_int_value(b, row->age_days);
      hs_output_add_member(b, "rotation", hs_rotation_status(row->age_days));
    }
    hs_output_add_member(b, "cached_token_expires_at", until);
    hs_output_add_member(b, "last_used", last);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  hs_output_print_json(b);
}

/* The columns in list's order; when the terminal is narrow, the cached
 * token's expiry goes first, then the store (most people have one), and
 * for --long the last use before what --long is for. */
static const HsOutputColumn short_columns[] = {
    {"PROFILE", FALSE, 0}, {"KIND", FALSE, 0},     {"HUB", FALSE, 3},
    {"STORE", FALSE, 2},   {"LAST-USE", FALSE, 4}, {"CACHED", FALSE, 1},
};
static const HsOutputColumn long_columns[] = {
    {"PROFILE", FALSE, 0},  {"KIND", FALSE, 0},     {"HUB", FALSE, 4},
    {"HUBLET", FALSE, 5},   {"STORE", FALSE, 2},    {"AGE", TRUE, 0},
    {"ROTATION", FALSE, 0}, {"LAST-USE", FALSE, 3}, {"CACHED", FALSE, 1},
};

static void print_table(GPtrArray *rows, gboolean long_form) {
  g_autoptr(GPtrArray) cells =
      g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);

  for (guint i = 0; i < rows->len; i++) {
    Row *row = g_ptr_array_index(rows, i);
    g_autofree char *until = hs_output_format_minute(row->cached_until);
    g_autofree char *last = hs_output_format_minute(row->last_used);
    GStrvBuilder *line = g_strv_builder_new();

    g_strv_builder_add(line, row->profile);
    g_strv_builder_add(line, row->kind);
    g_strv_builder_add(line, row->hub_id ? row->hub_id : "-");
    if (long_form) g_strv_builder_add(line, row->hublet ? row->hublet : "-");
    g_strv_builder_add(line, row->store);
    if (long_form) {
      g_autofree char *age =
          g_strdup_printf("%" G_GINT64_FORMAT "d", row->age_days);
      g_strv_builder_add(line, age);
      g_strv_builder_add(line, hs_rotation_status(row->age_days));
    }
    g_strv_builder_add(line, last ? last : "-");
    g_strv_builder_add(line, until ? until : "-");
    g_ptr_array_add(cells, g_strv_builder_end(line));
    g_strv_builder_unref(line);
  }
  if (long_form)
    hs_output_table(long_columns, G_N_ELEMENTS(long_columns), cells,
                    hs_output_width());
  else
    hs_output_table(short_columns, G_N_ELEMENTS(short_columns), cells,
                    hs_output_width());
}

gboolean hs_cmd_list(int argc, char **argv, GError **error) {
  gboolean json = FALSE, long_form = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {"long", 'l', 0, G_OPTION_ARG_NONE, &long_form,
       "Also the hublet, creation time, age and rotation status (reads each "
       "profile's secret record)",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(row_free);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GHashTable) usage = NULL;
  gboolean listed;

  if (!hs_options_parse("list", "", entries, 0, &argc, &argv, error))
    return FALSE;
  stores = hs_options_open_stores(error);
  if (stores == NULL) return FALSE;
  /* The age and hublet live in the record, which is stored with the
   * secret: only --long loads them. */
  listed = long_form
               ? hs_stores_list(stores, collect_record, rows, &warnings, error)
               : hs_stores_list_entries(stores, collect_entry, rows, &warnings,
                                        error);
  if (!listed) return FALSE;
  /* The usage log is read once for all rows. */
  usage = hs_usage_load(hs_options_now());
  for (guint i = 0; i < rows->len; i++) {
    Row *row = g_ptr_array_index(rows, i);
    HsUsage *u = g_hash_table_lookup(usage, row->profile);
    row->last_used = u ? u->last_time : 0;
  }
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "hs-token: warning: %s\n",
            (char *)g_ptr_array_index(warnings, i));
  g_ptr_array_sort(rows, compare_rows);

  if (json) {
    print_json(rows);
    return TRUE;
  }
  if (rows->len == 0) {
    printf(
        "No profiles yet; add a service key with 'hs-token add PROFILE "
        "--kind service-key', or sign in to an OAuth app with 'hs-token add "
        "PROFILE --kind oauth --client-id ID --login'.\n");
    return TRUE;
  }
  print_table(rows, long_form);
  return TRUE;
}

/* ---- show ---- */

gboolean hs_cmd_show(int argc, char **argv, GError **error) {
  gboolean json = FALSE, reveal = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {"reveal", 0, 0, G_OPTION_ARG_NONE, &reveal,
       "Also print the secret itself", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autofree char *created = NULL, *rotated = NULL, *previous_until = NULL;
  g_autofree char *last_used = NULL;
  g_autoptr(GHashTable) usage = NULL;
  const HsUsage *use;
  const char *store = NULL;
  gint64 age;

  if (!hs_options_parse("show", "PROFILE", entries, 1, &argc, &argv, error))
    return FALSE;
  if (!hs_profile_name_validate(argv[1], error)) return FALSE;
  stores = hs_options_open_stores(error);
  if (stores == NULL) return FALSE;
  record = hs_stores_lookup(stores, argv[1], &store, error);
  if (record == NULL) return FALSE;
  (void)hs_new_profile_expire_previous(stores, record, store, hs_options_now());
  previous_until = hs_output_format_time(record->previous_until);
  usage = hs_usage_load(hs_options_now());
  use = g_hash_table_lookup(usage, record->profile);
  last_used = hs_output_format_time(use ? use->last_time : 0);
  if (reveal)
    hs_audit("show-reveal", record->profile, hs_kind_name(record->kind), "ok",
             NULL);
  created = hs_output_format_time(record->created);
  rotated = hs_output_format_time(record->rotated);
  age = hs_record_age_days(record, hs_options_now());

  if (json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    hs_output_add_member(b, "profile", record->profile);
    hs_output_add_member(b, "kind", hs_kind_name(record->kind));
    hs_output_add_hub_id(b, "hub_id", record->hub_id);
    hs_output_add_member(b, "hublet", record->hublet);
    hs_output_add_member(b, "store", store);
    hs_output_add_member(b, "created", created);
    hs_output_add_member(b, "rotated", rotated);
    json_builder_set_member_name(b, "age_days");
    json_builder_add_int_value(b, age);
    hs_output_add_member(b, "rotation", hs_rotation_status(age));
    hs_output_add_member(b, "previous_until", previous_until);
    json_builder_set_member_name(b, "generation");
    json_builder_add_int_value(b, record->generation);
    json_builder_set_member_name(b, "uses_last_7_days");
    json_builder_add_int_value(b, use ? use->uses_in_window : 0);
    hs_output_add_member(b, "last_used", last_used);
    hs_output_add_member(b, "last_command",
                         use && use->last_time ? use->last_command : NULL);
    json_builder_set_member_name(b, "scopes");
    if (record->scopes == NULL) {
      json_builder_add_null_value(b);
    } else {
      json_builder_begin_array(b);
      for (char **sc = record->scopes; *sc; sc++)
        json_builder_add_string_value(b, *sc);
      json_builder_end_array(b);
    }
    if (reveal && record->token)
      hs_output_add_member(b, "token", record->token);
    if (reveal && record->client_secret) {
      hs_output_add_member(b, "client_secret", record->client_secret);
      hs_output_add_member(b, "refresh_token", record->refresh_token);
    }
    json_builder_end_object(b);
    hs_output_print_json(b);
  } else {
    printf(
        "profile:  %s\nkind:     %s\nhub id:   %s\nhublet:   %s\n"
        "store:    %s\ncreated:  %s\nrotated:  %s\nage:      %" G_GINT64_FORMAT
        " days (%s)\n",
        record->profile, hs_kind_name(record->kind),
        record->hub_id ? record->hub_id : "unknown",
        record->hublet ? record->hublet : "unknown", store,
        created ? created : "unknown", rotated ? rotated : "never", age,
        hs_rotation_status(age));
    if (last_used != NULL)
      printf("usage:    used %u time%s in the last 7 days, last on %s by %s\n",
             use->uses_in_window, use->uses_in_window == 1 ? "" : "s",
             last_used, use->last_command ? use->last_command : "?");
    else
      printf("usage:    never used through hs-exec\n");
    if (previous_until != NULL)
      printf(
          "previous: kept until %s ('hs-token rotate %s --commit' drops "
          "it)\n",
          previous_until, record->profile);
    if (record->client_id) printf("client id: %s\n", record->client_id);
    if (record->scopes) {
      g_autofree char *scopes = g_strjoinv(" ", record->scopes);
      printf("scopes:   %s\n", scopes);
    } else {
      printf("scopes:   unknown\n");
    }
    if (reveal && record->token) printf("token:    %s\n", record->token);
    if (reveal && record->client_secret)
      printf("client secret: %s\nrefresh token: %s\n", record->client_secret,
             record->refresh_token);
  }
  fflush(stdout);
  return TRUE;
}

/* ---- remove ---- */

/* Before an oauth profile's refresh token is revoked, which ends it for
 * every profile holding it: name those, ask on a terminal, and off one
 * refuse while others hold it, unless --yes. */
static gboolean confirm_revoke(HsStores *stores, const HsRecord *record,
                               gboolean yes, GError **error) {
  g_auto(GStrv) others = hs_new_profile_sharing(stores, record);
  g_autofree char *list = g_strjoinv(", ", others);
  gboolean terminal = isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
  char answer[16] = "";

  if (others[0] != NULL)
    fprintf(stderr,
            "hs-token: profile%s %s hold%s the same refresh token as %s; "
            "revoking it stops %s working too\n",
            others[1] ? "s" : "", list, others[1] ? "" : "s", record->profile,
            others[1] ? "those profiles" : "that profile");
  if (yes) return TRUE;
  if (!terminal) {
    if (others[0] == NULL) return TRUE;
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "remove: --revoke would end the refresh token of profile%s "
                "%s too; nothing was removed (pass --yes to revoke anyway, or "
                "leave out --revoke to remove only %s)",
                others[1] ? "s" : "", list, record->profile);
    return FALSE;
  }
  fprintf(stderr, "Revoke the refresh token of profile %s at HubSpot? [y/N] ",
          record->profile);
  fflush(stderr);
  if (fgets(answer, sizeof answer, stdin) == NULL ||
      (g_ascii_strcasecmp(g_strstrip(answer), "y") != 0 &&
       g_ascii_strcasecmp(answer, "yes") != 0)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "remove: not confirmed; nothing was revoked or removed");
    return FALSE;
  }
  return TRUE;
}

gboolean hs_cmd_remove(int argc, char **argv, GError **error) {
  gboolean revoke = FALSE, yes = FALSE;
  GOptionEntry entries[] = {
      {"revoke", 0, 0, G_OPTION_ARG_NONE, &revoke,
       "First revoke an OAuth refresh token at HubSpot (asks on a terminal); "
       "for other kinds, print how to deactivate the credential in HubSpot",
       NULL},
      {"yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
       "Revoke without asking, also when other profiles hold the same "
       "refresh token",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(HsApi) api = NULL;

  if (!hs_options_parse("remove", "PROFILE", entries, 1, &argc, &argv, error))
    return FALSE;
  if (!hs_profile_name_validate(argv[1], error)) return FALSE;
  config = hs_config_load(error);
  if (config == NULL) return FALSE;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return FALSE;
  if (revoke) {
    record = hs_stores_lookup(stores, argv[1], NULL, error);
    if (record == NULL) return FALSE;
    if (record->kind == HS_KIND_OAUTH) {
      if (!confirm_revoke(stores, record, yes, error)) return FALSE;
      /* Revoke first: if HubSpot cannot be reached, the profile stays, so
       * the command can simply be run again. */
      api = hs_options_api_new(config, error);
      if (api == NULL || !hs_auth_revoke(api, record, error)) {
        hs_audit("revoke", argv[1], "oauth", "failed", NULL);
        g_prefix_error(error, "remove: nothing was removed: ");
        return FALSE;
      }
      hs_audit("revoke", argv[1], "oauth", "ok", NULL);
      printf("Revoked the refresh token of profile %s at HubSpot.\n", argv[1]);
    }
  }
  hs_cache_drop(argv[1]);
  if (!hs_stores_remove(stores, argv[1], error)) return FALSE;
  hs_audit("remove", argv[1], record ? hs_kind_name(record->kind) : NULL, "ok",
           NULL);
  printf("Removed profile %s from every store.\n", argv[1]);
  if (record != NULL && hs_kind_is_static(record->kind))
    printf(
        "HubSpot has no API to deactivate a %s token. To deactivate it:\n"
        "  1. In HubSpot, open Settings > Integrations > Private Apps (or "
        "Development > Keys > Service keys).\n"
        "  2. Open the app, go to the Auth tab and choose Rotate > Rotate "
        "and expire now.\n",
        hs_kind_name(record->kind));
  else if (record != NULL && record->kind == HS_KIND_PERSONAL_ACCESS_KEY)
    printf(
        "HubSpot has no API to deactivate a personal access key. In "
        "HubSpot, open your profile's Personal access key page and choose "
        "Deactivate.\n");
  return TRUE;
}
