/* hs-token — manage hs-exec's HubSpot profiles.
 *
 * A thin main: an operation table {name, fn} as git's credential helpers
 * have; each operation parses its own options, calls the core and maps the
 * result to an exit code (DESIGN.md §4). */
#include "config.h"

#include <stdio.h>
#include <sys/auxv.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "audit.h"
#include "doctor.h"
#include "hs-config.h"
#include "hs-error.h"
#include "hubspot-auth.h"
#include "kind.h"
#include "profile-name.h"
#include "record.h"
#include "secret-input.h"
#include "secure-mem.h"
#include "store.h"
#include "token-cache.h"

typedef gboolean (*CommandFn)(int argc, char **argv, GError **error);

typedef struct {
  const char *name;
  CommandFn fn;
  const char *args;
  const char *summary;
} Command;

static const Command *find_command(const char *name);

/* Parse a subcommand's options; exactly `nargs` positional arguments remain
 * (argv[1..]), or any number when nargs < 0. */
static gboolean parse(const char *name, const char *args, GOptionEntry *entries,
                      int nargs, int *argc, char ***argv, GError **error) {
  g_autofree char *param = g_strdup_printf("%s %s", name, args);
  g_autoptr(GOptionContext) ctx = g_option_context_new(param);
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary(ctx, find_command(name)->summary);
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!g_option_context_parse(ctx, argc, argv, &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: %s; see 'hs-token %s --help'", name, local->message, name);
    return FALSE;
  }
  if (nargs >= 0 && *argc - 1 != nargs) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: expected %s; see 'hs-token %s --help'", name,
                *args ? args : "no arguments", name);
    return FALSE;
  }
  return TRUE;
}

static HsStores *open_stores(GError **error) {
  g_autoptr(HsConfig) config = hs_config_load(error);

  if (config == NULL) return NULL;
  return hs_stores_open(config, error);
}

static char *format_time(gint64 t) {
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0) return NULL;
  dt = g_date_time_new_from_unix_utc(t);
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static gboolean valid_hub_id(const char *s) {
  size_t n = s ? strlen(s) : 0;

  return n > 0 && n <= 20 && strspn(s, "0123456789") == n;
}

/* ---- add ---- */

/* Read the kind's secret(s) from stdin or hidden prompts into `record`. */
static gboolean read_secrets(HsRecord *record, GError **error) {
  static const char *const oauth_keys[] = {"client_secret", "refresh_token",
                                           NULL};
  g_autofree char *prompt = NULL;
  char **values;

  if (record->kind != HS_KIND_OAUTH) {
    prompt = g_strdup_printf("HubSpot %s for %s (input hidden): ",
                             hs_kind_name(record->kind), record->profile);
    record->token =
        hs_secret_read_token(STDIN_FILENO, record->kind, prompt, error);
    return record->token != NULL;
  }
  values = hs_secret_read_pairs(STDIN_FILENO, oauth_keys, error);
  if (values == NULL) return FALSE;
  record->client_secret = g_steal_pointer(&values[0]);
  record->refresh_token = g_steal_pointer(&values[1]);
  g_free(values);
  return TRUE;
}

/* Ask HubSpot whether the new credential works; record what it says. */
static gboolean verify_new(HsApi *api, HsRecord *record, GError **error) {
  g_autoptr(HsGrant) grant = hs_auth_obtain(api, record, error);

  if (grant == NULL) return FALSE;
  if (record->hub_id != NULL && grant->hub_id != NULL &&
      strcmp(record->hub_id, grant->hub_id) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "add: the credential belongs to hub %s, not hub %s as "
                "--hub-id says; nothing was stored",
                grant->hub_id, record->hub_id);
    return FALSE;
  }
  if (grant->hub_id != NULL) {
    g_free(record->hub_id);
    record->hub_id = g_steal_pointer(&grant->hub_id);
  }
  if (grant->hublet != NULL) {
    g_free(record->hublet);
    record->hublet = g_steal_pointer(&grant->hublet);
  }
  if (grant->scopes != NULL) {
    g_strfreev(record->scopes);
    record->scopes = g_steal_pointer(&grant->scopes);
  }
  if (grant->refresh_token != NULL && record->kind == HS_KIND_OAUTH) {
    hs_secret_free(record->refresh_token);
    record->refresh_token = g_steal_pointer(&grant->refresh_token);
  }
  record->verified = g_get_real_time() / G_USEC_PER_SEC;
  if (grant->expires_at != 0)
    (void)hs_cache_put(record->profile, grant->access_token, grant->expires_at,
                       record->hub_id, record->verified);
  return TRUE;
}

static gboolean cmd_add(int argc, char **argv, GError **error) {
  g_autofree char *kind_name = NULL, *client_id = NULL, *hub_id = NULL,
                  *store = NULL;
  gboolean no_verify = FALSE, force = FALSE;
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
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(HsRecord) existing = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(GError) lookup_error = NULL;
  const char *profile, *saved_in = NULL;
  HsKind kind;

  if (!parse("add", "PROFILE --kind KIND", entries, 1, &argc, &argv, error))
    return FALSE;
  profile = argv[1];
  if (!hs_profile_name_validate(profile, error)) return FALSE;
  if (kind_name == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: --kind is required (private-app, service-key, oauth, "
                "personal-access-key, api-key)");
    return FALSE;
  }
  if (!hs_kind_from_name(kind_name, &kind, error)) return FALSE;
  if (kind == HS_KIND_API_KEY) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: HubSpot ended API keys on 2022-11-30; create a private "
                "app (Settings > Integrations > Private Apps) and add its "
                "token with --kind private-app");
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
  if (hub_id != NULL && !valid_hub_id(hub_id)) {
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
  existing = hs_stores_lookup(stores, profile, NULL, &lookup_error);
  if (existing != NULL && !force) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: profile %s already exists; use --force to replace it, "
                "or 'hs-token rotate %s' to rotate its token",
                profile, profile);
    return FALSE;
  }
  if (existing == NULL && lookup_error->code != HS_ERR_NOT_FOUND &&
      lookup_error->code != HS_ERR_UNAVAILABLE) {
    g_propagate_error(error, g_steal_pointer(&lookup_error));
    return FALSE;
  }
  if (!hs_stores_can_save(stores, store, error)) return FALSE;
  if (existing == NULL && lookup_error->code == HS_ERR_UNAVAILABLE)
    /* A headless host may list a store it never has (the Secret Service):
     * go on to the available ones, but say what could not be checked. */
    fprintf(stderr, "hs-token: warning: %s\n", lookup_error->message);
  g_clear_pointer(&existing, hs_record_free);
  if (!no_verify) {
    api = hs_api_new(hs_config_oauth_api(config), error);
    if (api == NULL) return FALSE;
  }

  record = hs_record_new(profile, kind);
  record->hub_id = g_steal_pointer(&hub_id);
  record->client_id = g_steal_pointer(&client_id);
  record->created = g_get_real_time() / G_USEC_PER_SEC;
  if (!read_secrets(record, error)) return FALSE;
  record->hublet = hs_kind_hublet_from_token(kind, record->token);
  if (api != NULL && !verify_new(api, record, error)) return FALSE;
  if (!hs_stores_save(stores, record, store, &saved_in, error)) return FALSE;
  /* A token cached for a profile of this name before --force is not this
   * profile's: verify_new cached a fresh one, or there is none. */
  if (api == NULL || hs_kind_is_static(kind)) hs_cache_drop(profile);
  hs_audit("add", profile, hs_kind_name(kind), api ? "ok" : "ok-unverified",
           NULL);
  printf("Added profile %s (%s%s%s) to store %s; %s.\n", profile,
         hs_kind_name(kind), record->hub_id ? ", hub " : "",
         record->hub_id ? record->hub_id : "", saved_in,
         api ? "HubSpot accepted it" : "not verified with HubSpot");
  return TRUE;
}

/* Unix seconds now, or HS_EXEC_FAKE_NOW for the tests of rotation age
 * (never under AT_SECURE). */
static gint64 now_for_age(void) {
  const char *fake = getauxval(AT_SECURE) ? NULL : getenv("HS_EXEC_FAKE_NOW");

  if (fake != NULL && g_ascii_isdigit(*fake))
    return g_ascii_strtoll(fake, NULL, 10);
  return g_get_real_time() / G_USEC_PER_SEC;
}

/* ---- list ---- */

typedef struct {
  char *profile, *kind, *hub_id, *hublet, *store;
  gint64 created, age_days, cached_until;
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

static void collect_row(const HsRecord *record, const char *store,
                        void *user_data) {
  GPtrArray *rows = user_data;
  Row *row = g_new0(Row, 1);
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;

  row->profile = g_strdup(record->profile);
  row->kind = g_strdup(hs_kind_name(record->kind));
  row->hub_id = g_strdup(record->hub_id);
  row->hublet = g_strdup(record->hublet);
  row->store = g_strdup(store);
  row->created = record->created;
  row->age_days = hs_record_age_days(record, now_for_age());
  if (!hs_kind_is_static(record->kind)) {
    g_autoptr(HsCachedToken) cached = hs_cache_get(record->profile, now);
    row->cached_until = cached ? cached->expires_at : 0;
  }
  g_ptr_array_add(rows, row);
}

static gint compare_rows(gconstpointer a, gconstpointer b) {
  const Row *ra = *(Row *const *)a, *rb = *(Row *const *)b;
  int c = strcmp(ra->profile, rb->profile);
  return c != 0 ? c : strcmp(ra->store, rb->store);
}

static void print_json(JsonBuilder *b) {
  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *text = NULL;

  json_generator_set_pretty(gen, TRUE);
  json_generator_set_root(gen, root);
  text = json_generator_to_data(gen, NULL);
  printf("%s\n", text);
}

static void add_member(JsonBuilder *b, const char *name, const char *value) {
  json_builder_set_member_name(b, name);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

static gboolean cmd_list(int argc, char **argv, GError **error) {
  gboolean json = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(row_free);
  g_autoptr(GPtrArray) warnings = NULL;

  if (!parse("list", "", entries, 0, &argc, &argv, error)) return FALSE;
  stores = open_stores(error);
  if (stores == NULL) return FALSE;
  if (!hs_stores_list(stores, collect_row, rows, &warnings, error))
    return FALSE;
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "hs-token: warning: %s\n",
            (char *)g_ptr_array_index(warnings, i));
  g_ptr_array_sort(rows, compare_rows);

  if (json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < rows->len; i++) {
      Row *row = g_ptr_array_index(rows, i);
      g_autofree char *created = format_time(row->created);
      json_builder_begin_object(b);
      add_member(b, "profile", row->profile);
      add_member(b, "kind", row->kind);
      add_member(b, "hub_id", row->hub_id);
      add_member(b, "hublet", row->hublet);
      add_member(b, "store", row->store);
      add_member(b, "created", created);
      json_builder_set_member_name(b, "age_days");
      json_builder_add_int_value(b, row->age_days);
      add_member(b, "rotation", hs_rotation_status(row->age_days));
      {
        g_autofree char *until = format_time(row->cached_until);
        add_member(b, "cached_token_expires_at", until);
      }
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
    print_json(b);
    return TRUE;
  }
  if (rows->len == 0) {
    printf(
        "No profiles yet; add one with 'hs-token add PROFILE --kind "
        "private-app'.\n");
    return TRUE;
  }
  printf("%-20s %-20s %-12s %-7s %-16s %5s  %-8s %s\n", "PROFILE", "KIND",
         "HUB", "HUBLET", "STORE", "AGE", "ROTATION", "CACHED");
  for (guint i = 0; i < rows->len; i++) {
    Row *row = g_ptr_array_index(rows, i);
    g_autofree char *until = format_time(row->cached_until);
    printf("%-20s %-20s %-12s %-7s %-16s %4" G_GINT64_FORMAT "d  %-8s %s\n",
           row->profile, row->kind, row->hub_id ? row->hub_id : "-",
           row->hublet ? row->hublet : "-", row->store, row->age_days,
           hs_rotation_status(row->age_days), until ? until : "-");
  }
  return TRUE;
}

/* ---- show ---- */

static gboolean cmd_show(int argc, char **argv, GError **error) {
  gboolean json = FALSE, reveal = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {"reveal", 0, 0, G_OPTION_ARG_NONE, &reveal,
       "Also print the secret itself", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autofree char *created = NULL, *rotated = NULL;
  const char *store = NULL;
  gint64 age;

  if (!parse("show", "PROFILE", entries, 1, &argc, &argv, error)) return FALSE;
  if (!hs_profile_name_validate(argv[1], error)) return FALSE;
  stores = open_stores(error);
  if (stores == NULL) return FALSE;
  record = hs_stores_lookup(stores, argv[1], &store, error);
  if (record == NULL) return FALSE;
  if (reveal)
    hs_audit("show-reveal", record->profile, hs_kind_name(record->kind), "ok",
             NULL);
  created = format_time(record->created);
  rotated = format_time(record->rotated);
  age = hs_record_age_days(record, g_get_real_time() / G_USEC_PER_SEC);

  if (json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_object(b);
    add_member(b, "profile", record->profile);
    add_member(b, "kind", hs_kind_name(record->kind));
    add_member(b, "hub_id", record->hub_id);
    add_member(b, "hublet", record->hublet);
    add_member(b, "store", store);
    add_member(b, "created", created);
    add_member(b, "rotated", rotated);
    json_builder_set_member_name(b, "age_days");
    json_builder_add_int_value(b, age);
    add_member(b, "rotation", hs_rotation_status(age));
    json_builder_set_member_name(b, "scopes");
    if (record->scopes == NULL) {
      json_builder_add_null_value(b);
    } else {
      json_builder_begin_array(b);
      for (char **sc = record->scopes; *sc; sc++)
        json_builder_add_string_value(b, *sc);
      json_builder_end_array(b);
    }
    if (reveal && record->token) add_member(b, "token", record->token);
    if (reveal && record->client_secret) {
      add_member(b, "client_secret", record->client_secret);
      add_member(b, "refresh_token", record->refresh_token);
    }
    json_builder_end_object(b);
    print_json(b);
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

static gboolean cmd_remove(int argc, char **argv, GError **error) {
  gboolean revoke = FALSE;
  GOptionEntry entries[] = {
      {"revoke", 0, 0, G_OPTION_ARG_NONE, &revoke,
       "First revoke an OAuth refresh token at HubSpot; for other kinds, "
       "print how to deactivate the credential in HubSpot",
       NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsRecord) record = NULL;
  g_autoptr(HsApi) api = NULL;

  if (!parse("remove", "PROFILE", entries, 1, &argc, &argv, error))
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
      /* Revoke first: if HubSpot cannot be reached, the profile stays, so
       * the command can simply be run again. */
      api = hs_api_new(hs_config_oauth_api(config), error);
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

/* ---- check ---- */

static void collect_record(const HsRecord *record, const char *store,
                           void *user_data) {
  GPtrArray *records = user_data;
  g_autofree char *json = NULL;
  gsize len = 0;

  (void)store;
  /* A copy through the document keeps ownership simple. */
  json = hs_record_to_json(record, &len);
  g_ptr_array_add(records, hs_record_from_json(json, (gssize)len, NULL));
  explicit_bzero(json, len);
}

static gboolean cmd_check(int argc, char **argv, GError **error) {
  gboolean json = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsStores) stores = NULL;
  g_autoptr(HsApi) api = NULL;
  g_autoptr(GPtrArray) records =
      g_ptr_array_new_with_free_func((GDestroyNotify)hs_record_free);
  g_autoptr(JsonBuilder) b = json_builder_new();
  gint64 now = now_for_age();
  int worst = 0;

  if (!parse("check", "[PROFILE…]", entries, -1, &argc, &argv, error))
    return FALSE;
  config = hs_config_load(error);
  if (config == NULL) return FALSE;
  stores = hs_stores_open(config, error);
  if (stores == NULL) return FALSE;
  api = hs_api_new(hs_config_oauth_api(config), error);
  if (api == NULL) return FALSE;
  if (argc > 1) {
    for (int i = 1; i < argc; i++) {
      HsRecord *r;
      if (!hs_profile_name_validate(argv[i], error)) return FALSE;
      r = hs_stores_lookup(stores, argv[i], NULL, error);
      if (r == NULL) return FALSE;
      g_ptr_array_add(records, r);
    }
  } else if (!hs_stores_list(stores, collect_record, records, NULL, error)) {
    return FALSE;
  }
  json_builder_begin_array(b);
  for (guint i = 0; i < records->len; i++) {
    HsRecord *r = g_ptr_array_index(records, i);
    g_autoptr(GError) why = NULL;
    gint64 age;
    const char *rotation, *result;

    if (r == NULL) continue;
    age = hs_record_age_days(r, now);
    rotation = hs_rotation_status(age);
    if (hs_auth_check(api, r, &why)) {
      result = "ok";
    } else {
      result = why->code == HS_ERR_REFUSED ? "invalid" : "unreachable";
      hs_audit("check", r->profile, hs_kind_name(r->kind), result, NULL);
    }
    if (why != NULL)
      worst = 2;
    else if (strcmp(rotation, "ok") != 0 && worst < 1)
      worst = 1;
    if (json) {
      json_builder_begin_object(b);
      add_member(b, "profile", r->profile);
      add_member(b, "kind", hs_kind_name(r->kind));
      add_member(b, "result", result);
      add_member(b, "rotation", rotation);
      json_builder_set_member_name(b, "age_days");
      json_builder_add_int_value(b, age);
      add_member(b, "detail", why ? why->message : NULL);
      json_builder_end_object(b);
    } else {
      printf("%-20s %-20s %-12s %-8s %4" G_GINT64_FORMAT "d%s%s\n", r->profile,
             hs_kind_name(r->kind), result, rotation, age, why ? "  " : "",
             why ? why->message : "");
    }
  }
  json_builder_end_array(b);
  if (json) print_json(b);
  fflush(stdout);
  /* check's own exit codes (DESIGN.md §2): 0 all good, 1 a rotation is
   * due, 2 a token is invalid or HubSpot unreachable. */
  if (worst != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, worst,
                worst == 2 ? "check: a credential is invalid or could not be "
                             "checked; see above"
                           : "check: a rotation is due; rotate the token in "
                             "HubSpot and store it with 'hs-token add "
                             "PROFILE --force'");
    return FALSE;
  }
  return TRUE;
}

/* ---- audit ---- */

static gboolean cmd_audit(int argc, char **argv, GError **error) {
  gboolean json = FALSE;
  g_autofree char *since = NULL;
  GOptionEntry entries[] = {
      {"since", 0, 0, G_OPTION_ARG_STRING, &since,
       "Only events at or after DATE (YYYY-MM-DD or RFC 3339)", "DATE"},
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON lines", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autofree char *path = hs_audit_path();
  g_autofree char *text = NULL, *since_iso = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) local = NULL;
  const char *profile = NULL;

  if (!parse("audit", "[PROFILE]", entries, -1, &argc, &argv, error))
    return FALSE;
  if (argc > 2) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "audit: give at most one PROFILE");
    return FALSE;
  }
  if (argc == 2) {
    profile = argv[1];
    if (!hs_profile_name_validate(profile, error)) return FALSE;
  }
  if (since != NULL) {
    /* Both forms compare as strings once made full RFC 3339 UTC. */
    g_autoptr(GDateTime) t = NULL;
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc();
    if (strlen(since) == 10) {
      g_autofree char *full = g_strconcat(since, "T00:00:00Z", NULL);
      t = g_date_time_new_from_iso8601(full, utc);
    } else {
      t = g_date_time_new_from_iso8601(since, utc);
    }
    if (t == NULL) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "audit: --since '%s' is not a date; use YYYY-MM-DD or "
                  "YYYY-MM-DDTHH:MM:SSZ",
                  since);
      return FALSE;
    }
    g_autoptr(GDateTime) t_utc = g_date_time_to_utc(t);
    since_iso = g_date_time_format(t_utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  if (!g_file_get_contents(path, &text, NULL, &local)) {
    if (g_error_matches(local, G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
      if (!json) printf("No audit events yet (%s).\n", path);
      return TRUE;
    }
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG, "audit: %s",
                local->message);
    return FALSE;
  }
  lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    g_autoptr(JsonParser) parser = json_parser_new();
    JsonObject *o;
    const char *time, *who;

    if (**l == '\0' || !json_parser_load_from_data(parser, *l, -1, NULL) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)))
      continue;
    o = json_node_get_object(json_parser_get_root(parser));
    time = json_object_get_string_member_with_default(o, "time", "");
    who = json_object_get_string_member_with_default(o, "profile", "");
    if (profile != NULL && strcmp(who, profile) != 0) continue;
    if (since_iso != NULL && strcmp(time, since_iso) < 0) continue;
    if (json) {
      printf("%s\n", *l);
    } else {
      const char *cmd =
          json_object_get_string_member_with_default(o, "command", NULL);
      printf("%s  %-12s %-20s %-20s %s%s%s\n", time,
             json_object_get_string_member_with_default(o, "event", ""), who,
             json_object_get_string_member_with_default(o, "kind", "-"),
             json_object_get_string_member_with_default(o, "outcome", ""),
             cmd ? "  " : "", cmd ? cmd : "");
    }
  }
  return TRUE;
}

/* ---- doctor ---- */

static gboolean cmd_doctor(int argc, char **argv, GError **error) {
  gboolean json = FALSE;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};
  g_autoptr(GPtrArray) checks = NULL;
  int code;

  if (!parse("doctor", "", entries, 0, &argc, &argv, error)) return FALSE;
  checks = hs_doctor_run();
  if (json) {
    g_autoptr(JsonBuilder) b = json_builder_new();
    json_builder_begin_array(b);
    for (guint i = 0; i < checks->len; i++) {
      HsCheck *c = g_ptr_array_index(checks, i);
      json_builder_begin_object(b);
      add_member(b, "area", c->area);
      json_builder_set_member_name(b, "ok");
      json_builder_add_boolean_value(b, c->ok);
      add_member(b, "detail", c->detail);
      add_member(b, "fix", c->fix);
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
    print_json(b);
  } else {
    for (guint i = 0; i < checks->len; i++) {
      HsCheck *c = g_ptr_array_index(checks, i);
      printf("%-8s %-7s %s\n", c->area, c->ok ? "ok" : "PROBLEM", c->detail);
      if (c->fix != NULL) printf("%-8s %-7s fix: %s\n", "", "", c->fix);
    }
  }
  fflush(stdout);
  code = hs_doctor_exit_code(checks);
  if (code != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, code,
                "doctor found a problem; each is shown above with its fix");
    return FALSE;
  }
  return TRUE;
}

/* ---- dispatch ---- */

static const Command commands[] = {
    {"add", cmd_add, "PROFILE --kind KIND",
     "Store a profile's token, read from standard input or a hidden prompt."},
    {"list", cmd_list, "", "List profiles; never prints a secret."},
    {"show", cmd_show, "PROFILE", "Show a profile's metadata."},
    {"remove", cmd_remove, "PROFILE", "Delete a profile from every store."},
    {"check", cmd_check, "[PROFILE…]",
     "Ask HubSpot whether each token works; exit 1 if a rotation is due, 2 "
     "if one is invalid."},
    {"audit", cmd_audit, "[PROFILE]",
     "Show the audit trail: who added, revealed, used, removed what."},
    {"doctor", cmd_doctor, "",
     "Check the stores, the cache, the config and HubSpot; say each fix."},
};

static const Command *find_command(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

static void usage(FILE *out) {
  fprintf(out, "Usage: hs-token COMMAND [OPTIONS…]\n\nCommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "  %-8s %-22s %s\n", commands[i].name, commands[i].args,
            commands[i].summary);
  fprintf(out,
          "\n'hs-token COMMAND --help' shows a command's options.\n"
          "Exit status: 0 ok; 1 usage; 2 no such profile; 3 store "
          "unavailable;\n4 HubSpot refused the credential; 5 HubSpot "
          "unreachable; 6 configuration error.\n");
}

int main(int argc, char **argv) {
  g_autoptr(GError) error = NULL;
  const Command *command;
  int code;

  hs_secure_process();
  g_set_prgname("hs-token");
  if (argc < 2) {
    usage(stderr);
    fprintf(stderr, "hs-token: no command given; see 'hs-token --help'\n");
    return HS_ERR_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("hs-token %s\n", PACKAGE_VERSION);
    return 0;
  }
  command = find_command(argv[1]);
  if (command == NULL) {
    fprintf(stderr, "hs-token: unknown command '%s'; see 'hs-token --help'\n",
            argv[1]);
    return HS_ERR_USAGE;
  }
  if (command->fn(argc - 1, argv + 1, &error)) return 0;
  code = hs_error_exit_code(error);
  fprintf(stderr, "hs-token: %s\n", error->message);
  return code;
}
