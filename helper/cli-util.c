/* Shared by hs-token's commands: option parsing with one error form, the
 * stores, times and JSON printing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "cli-util.h"
#include "audit.h"
#include "hs-error.h"
#include "kind.h"
#include "rotation.h"
#include "secure-mem.h"
#include "token-cache.h"

/* Parse a subcommand's options; exactly `nargs` positional arguments remain
 * (argv[1..]), or any number when nargs < 0. */
gboolean hs_cli_parse(const char *name, const char *args, GOptionEntry *entries,
                      int nargs, int *argc, char ***argv, GError **error) {
  g_autofree char *param = g_strdup_printf("%s %s", name, args);
  g_autoptr(GOptionContext) ctx = g_option_context_new(param);
  g_autoptr(GError) local = NULL;

  g_option_context_set_summary(ctx, hs_token_command_summary(name));
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

HsStores *hs_cli_open_stores(GError **error) {
  g_autoptr(HsConfig) config = hs_config_load(error);

  if (config == NULL) return NULL;
  return hs_stores_open(config, error);
}

char *hs_cli_format_time(gint64 t) {
  g_autoptr(GDateTime) dt = NULL;

  if (t <= 0) return NULL;
  dt = g_date_time_new_from_unix_utc(t);
  return dt ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

gboolean hs_cli_valid_hub_id(const char *s) {
  size_t n = s ? strlen(s) : 0;

  return n > 0 && n <= 20 && strspn(s, "0123456789") == n;
}

/* Unix seconds now, or HS_EXEC_FAKE_NOW for the tests of rotation age
 * (never under AT_SECURE). */
gint64 hs_cli_now(void) {
  const char *fake = getauxval(AT_SECURE) ? NULL : getenv("HS_EXEC_FAKE_NOW");

  if (fake != NULL && g_ascii_isdigit(*fake))
    return g_ascii_strtoll(fake, NULL, 10);
  return g_get_real_time() / G_USEC_PER_SEC;
}

gboolean hs_cli_expire_previous(HsStores *stores, HsRecord *record,
                                const char *store, gint64 now) {
  g_autoptr(GError) error = NULL;

  if (!hs_rotation_expire(record, now)) return FALSE;
  if (!hs_stores_save(stores, record, store, NULL, &error)) {
    fprintf(stderr,
            "hs-token: warning: the previous token of profile %s is past its "
            "7 days but could not be dropped (%s); it is ignored\n",
            record->profile, error->message);
    return TRUE;
  }
  hs_audit("rotate-expire", record->profile, hs_kind_name(record->kind), "ok",
           NULL);
  return TRUE;
}

void hs_cli_print_json(JsonBuilder *b) {
  g_autoptr(JsonGenerator) gen = json_generator_new();
  g_autoptr(JsonNode) root = json_builder_get_root(b);
  g_autofree char *text = NULL;

  json_generator_set_pretty(gen, TRUE);
  json_generator_set_root(gen, root);
  text = json_generator_to_data(gen, NULL);
  printf("%s\n", text);
}

void hs_cli_add_member(JsonBuilder *b, const char *name, const char *value) {
  json_builder_set_member_name(b, name);
  if (value != NULL)
    json_builder_add_string_value(b, value);
  else
    json_builder_add_null_value(b);
}

/* Ask HubSpot whether the new credential works; record what it says. */
gboolean hs_cli_verify_new(HsApi *api, HsRecord *record, const char *command,
                           const char *hub_source, GError **error) {
  g_autoptr(HsGrant) grant = hs_auth_obtain(api, record, error);

  if (grant == NULL) return FALSE;
  if (record->hub_id != NULL && grant->hub_id != NULL &&
      strcmp(record->hub_id, grant->hub_id) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "%s: the credential belongs to hub %s, not hub %s as %s "
                "says; nothing was stored",
                command, grant->hub_id, record->hub_id, hub_source);
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

gboolean hs_cli_may_write_profile(HsStores *stores, const char *profile,
                                  gboolean force, const char *cmd,
                                  const char *hint, char **ret_unavailable,
                                  GError **error) {
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(HsRecord) existing =
      hs_stores_lookup(stores, profile, NULL, &lookup_error);

  if (ret_unavailable != NULL) *ret_unavailable = NULL;
  if (existing != NULL) {
    if (force) return TRUE;
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "%s: profile %s already exists; %s", cmd, profile, hint);
    return FALSE;
  }
  if (lookup_error->code == HS_ERR_UNAVAILABLE) {
    if (ret_unavailable != NULL)
      *ret_unavailable = g_strdup(lookup_error->message);
    return TRUE;
  }
  if (lookup_error->code != HS_ERR_NOT_FOUND) {
    g_propagate_error(error, g_steal_pointer(&lookup_error));
    return FALSE;
  }
  return TRUE;
}
