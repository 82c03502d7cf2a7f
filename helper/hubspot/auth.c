/* SPDX-License-Identifier: MIT */
/* auth.c — asking HubSpot about a credential. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "core/error.h"
#include "core/hubspot-dates.h"
#include "hubspot/auth.h"
#include "core/json.h"
#include "core/secure.h"

void hs_auth_grant_free(HsGrant *grant) {
  if (grant == NULL) return;
  hs_secure_free(grant->access_token);
  hs_secure_free(grant->refresh_token);
  g_free(grant->hub_id);
  g_free(grant->hublet);
  g_strfreev(grant->scopes);
  g_free(grant);
}

typedef struct {
  JsonParser *parser;
  JsonObject *obj;
} Doc;

static gboolean doc_load(Doc *doc, const char *body, gsize len,
                         GError **error) {
  JsonNode *root;

  doc->parser = json_parser_new_immutable();
  if (body == NULL ||
      !json_parser_load_from_data(doc->parser, body, (gssize)len, NULL) ||
      (root = json_parser_get_root(doc->parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(root)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "HubSpot's answer could not be read (not a JSON object); try "
                "again later");
    return FALSE;
  }
  doc->obj = json_node_get_object(root);
  return TRUE;
}

static void doc_clear(Doc *doc) {
  if (doc->parser != NULL) {
    hs_json_wipe(json_parser_get_root(doc->parser));
    g_clear_object(&doc->parser);
  }
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Doc, doc_clear)

static const char *doc_string(Doc *doc, const char *name) {
  return hs_json_string(doc->obj, name);
}

static char *doc_id(Doc *doc, const char *name) {
  gint64 v;
  return hs_json_int(doc->obj, name, &v) && v > 0
             ? g_strdup_printf("%" G_GINT64_FORMAT, v)
             : NULL;
}

static void missing(GError **error, const char *field) {
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
              "HubSpot's answer could not be read (no %s); try again later",
              field);
}

HsGrant *hs_auth_parse_oauth(const char *body, gsize len, gint64 now,
                             GError **error) {
  g_auto(Doc) doc = {0};
  g_autoptr(HsGrant) grant = g_new0(HsGrant, 1);
  const char *token;
  gint64 expires_in;

  if (!doc_load(&doc, body, len, error)) return NULL;
  token = doc_string(&doc, "access_token");
  if (token == NULL || *token == '\0') {
    missing(error, "access_token");
    return NULL;
  }
  /* Longer than ten years is not a lifetime HubSpot gives, and must not
   * overflow `now + expires_in`. */
  if (!hs_json_int(doc.obj, "expires_in", &expires_in) || expires_in <= 0 ||
      expires_in > HS_AUTH_MAX_LIFETIME) {
    missing(error, "expires_in");
    return NULL;
  }
  grant->access_token = g_strdup(token);
  grant->expires_at = now + expires_in;
  grant->refresh_token = g_strdup(doc_string(&doc, "refresh_token"));
  grant->hub_id = doc_id(&doc, "hub_id");
  grant->scopes = hs_json_strv(doc.obj, "scopes");
  return g_steal_pointer(&grant);
}

HsGrant *hs_auth_parse_pak(const char *body, gsize len, gint64 now,
                           GError **error) {
  g_auto(Doc) doc = {0};
  g_autoptr(HsGrant) grant = g_new0(HsGrant, 1);
  const char *token;
  gint64 millis;

  if (!doc_load(&doc, body, len, error)) return NULL;
  token = doc_string(&doc, "oauthAccessToken");
  if (token == NULL || *token == '\0') {
    missing(error, "oauthAccessToken");
    return NULL;
  }
  /* As expires_in: the token cache's kernel timeout is the time left, and
   * a time left past what a 32-bit timeout holds wrapped round, to 0
   * ("never") at 2^32 s. */
  if (!hs_json_int(doc.obj, "expiresAtMillis", &millis) || millis <= 0 ||
      millis / 1000 - now > HS_AUTH_MAX_LIFETIME) {
    missing(error, "expiresAtMillis");
    return NULL;
  }
  grant->access_token = g_strdup(token);
  grant->expires_at = millis / 1000;
  grant->hub_id = doc_id(&doc, "hubId");
  grant->scopes = hs_json_strv(doc.obj, "scopeGroups");
  return g_steal_pointer(&grant);
}

char *hs_auth_hublet(const char *location, const char *ui_domain) {
  if (location != NULL && *location != '\0')
    return g_ascii_strdown(location, -1);
  if (ui_domain == NULL) return NULL;
  if (g_ascii_strcasecmp(ui_domain, "app.hubspot.com") == 0)
    return g_strdup("na1");
  if (g_str_has_prefix(ui_domain, "app-") &&
      g_str_has_suffix(ui_domain, ".hubspot.com")) {
    gsize n = strlen(ui_domain) - strlen("app-") - strlen(".hubspot.com");
    if (n > 0 && n < 8) return g_ascii_strdown(ui_domain + 4, (gssize)n);
  }
  return NULL;
}

HsGrant *hs_auth_parse_account_info(const char *body, gsize len,
                                    GError **error) {
  g_auto(Doc) doc = {0};
  g_autoptr(HsGrant) grant = g_new0(HsGrant, 1);

  if (!doc_load(&doc, body, len, error)) return NULL;
  grant->hub_id = doc_id(&doc, "portalId");
  if (grant->hub_id == NULL) {
    missing(error, "portalId");
    return NULL;
  }
  grant->hublet = hs_auth_hublet(doc_string(&doc, "dataHostingLocation"),
                                 doc_string(&doc, "uiDomain"));
  return g_steal_pointer(&grant);
}

/* Turn a non-2xx answer into an error: HubSpot refusing the credential
 * (400 BAD_*, 401, 403) is HS_ERR_REFUSED, anything else HS_ERR_NETWORK. */
static void set_http_error(GError **error, const HsHttpResponse *r,
                           const char *profile, const char *fix, int tries) {
  g_autoptr(HsApiError) e = hs_api_error_parse(r->body, r->body_len);
  g_autofree char *said = hs_api_error_describe(e, r->status);
  gboolean refused = r->status == 401 || r->status == 403 ||
                     (r->status == 400 && (e->status || e->error));

  if (refused)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "HubSpot refused the credential of profile %s: %s; %s", profile,
                said, fix);
  else if (r->status == 429 && e->policy_name &&
           strcmp(e->policy_name, "DAILY") == 0)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "HubSpot's daily request limit is reached: %s; wait until "
                "midnight in the account's time zone",
                said);
  else
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "HubSpot answered HTTP %ld after %d tr%s: %s; try again later",
                r->status, tries, tries == 1 ? "y" : "ies", said);
}

/* application/x-www-form-urlencoded, escaping every value (transfer full:
 * hs_secure_free). */
static char *form(const char *const *pairs) {
  GString *s = g_string_new(NULL);

  for (const char *const *p = pairs; p[0] != NULL; p += 2) {
    g_autofree char *v = g_uri_escape_string(p[1], NULL, FALSE);
    if (s->len) g_string_append_c(s, '&');
    g_string_append_printf(s, "%s=%s", p[0], v);
    explicit_bzero(v, strlen(v));
  }
  return g_string_free(s, FALSE);
}

static char *json_body(const char *key, const char *value) {
  g_autoptr(JsonBuilder) b = json_builder_new();
  g_autoptr(JsonGenerator) gen = json_generator_new();
  JsonNode *root;
  char *out;

  json_builder_begin_object(b);
  json_builder_set_member_name(b, key);
  json_builder_add_string_value(b, value);
  json_builder_end_object(b);
  root = json_builder_get_root(b);
  json_generator_set_root(gen, root);
  out = json_generator_to_data(gen, NULL);
  hs_json_wipe(root);
  json_node_unref(root);
  return out;
}

static HsGrant *verify_static(HsApi *api, const HsRecord *record,
                              GError **error) {
  g_autoptr(HsHttpResponse) r = NULL;
  g_autoptr(HsHttpResponse) info = NULL;
  HsGrant *grant;
  HsKind guess;
  int tries = 0;

  r = hs_api_call(api, HS_EP_ACCOUNT_INFO, NULL, "GET", record->token, NULL,
                  NULL, 0, &tries, error);
  if (r == NULL) return NULL;
  if (r->status != 200) {
    g_autofree char *fix =
        record->kind == HS_KIND_SERVICE_KEY
            ? g_strdup_printf(
                  "check the key in HubSpot (" HS_SERVICE_KEY_WHERE
                  "); if it was rotated or deleted, store the current one "
                  "with 'hs-token add %s --kind service-key --force'",
                  record->profile)
            : g_strdup_printf(
                  "check the app in HubSpot (Settings > Integrations > "
                  "Private Apps) and store its current token with 'hs-token "
                  "add %s --kind private-app --force'; if the app is "
                  "gone, " HS_ADVICE_SERVICE_KEY
                  " and add it with 'hs-token add %s "
                  "--kind service-key --force'",
                  record->profile, record->profile);
    set_http_error(error, r, record->profile, fix, tries);
    return NULL;
  }
  grant = hs_auth_parse_account_info(r->body, r->body_len, error);
  if (grant == NULL) return NULL;
  grant->tries = tries;
  grant->access_token = g_strdup(record->token);
  /* A service key of the private-app shape is asked too: an app id in the
   * answer says it is a legacy private app's token after all. */
  if (record->kind == HS_KIND_PRIVATE_APP ||
      (record->kind == HS_KIND_SERVICE_KEY &&
       hs_kind_guess(record->token, &guess) && guess == HS_KIND_PRIVATE_APP)) {
    /* The scopes are nice to know; when HubSpot will not say, they stay
     * unknown and the token is still good. */
    hs_autosecret body = json_body("tokenKey", record->token);
    info = hs_api_call(api, HS_EP_PRIVATE_APP_INFO, NULL, "POST", record->token,
                       "application/json", body, strlen(body), NULL, NULL);
    if (info != NULL && info->status == 200) {
      g_auto(Doc) doc = {0};
      if (doc_load(&doc, info->body, info->body_len, NULL)) {
        grant->scopes = hs_json_strv(doc.obj, "scopes");
        if (!hs_json_int(doc.obj, "appId", &grant->app_id) || grant->app_id < 0)
          grant->app_id = 0;
      }
    }
  }
  return grant;
}

/* What to do when HubSpot refuses an oauth profile's refresh token: sign
 * in again (add --login), which asks for the scopes recorded. */
static char *oauth_fix(const HsRecord *record) {
  return g_strdup_printf(
      "sign in again with 'hs-token add %s --kind oauth --client-id %s "
      "--login --force' (or store a new refresh token without --login)",
      record->profile, record->client_id);
}

static HsGrant *refresh_oauth(HsApi *api, const HsRecord *record,
                              GError **error) {
  const char *fields[] = {"grant_type",
                          "refresh_token",
                          "client_id",
                          record->client_id,
                          "client_secret",
                          record->client_secret,
                          "refresh_token",
                          record->refresh_token,
                          NULL,
                          NULL};
  hs_autosecret body = form(fields);
  g_autoptr(HsHttpResponse) r = NULL;
  g_autofree char *fix = oauth_fix(record);
  HsGrant *grant;
  int tries = 0;

  r = hs_api_call(api, HS_EP_OAUTH_TOKEN, NULL, "POST", NULL,
                  "application/x-www-form-urlencoded", body, strlen(body),
                  &tries, error);
  if (r == NULL) return NULL;
  if (r->status != 200) {
    set_http_error(error, r, record->profile, fix, tries);
    return NULL;
  }
  grant = hs_auth_parse_oauth(r->body, r->body_len,
                              g_get_real_time() / G_USEC_PER_SEC, error);
  if (grant != NULL) grant->tries = tries;
  return grant;
}

HsGrant *hs_auth_exchange_code(HsApi *api, const char *profile,
                               const char *client_id, const char *client_secret,
                               const char *code, const char *redirect_uri,
                               GError **error) {
  const char *fields[] = {"grant_type",
                          "authorization_code",
                          "client_id",
                          client_id,
                          "client_secret",
                          client_secret,
                          "redirect_uri",
                          redirect_uri,
                          "code",
                          code,
                          NULL,
                          NULL};
  hs_autosecret body = form(fields);
  g_autoptr(HsHttpResponse) r = NULL;
  g_autoptr(HsGrant) grant = NULL;
  int tries = 0;

  r = hs_api_call(api, HS_EP_OAUTH_TOKEN, NULL, "POST", NULL,
                  "application/x-www-form-urlencoded", body, strlen(body),
                  &tries, error);
  if (r == NULL) return NULL;
  if (r->status != 200) {
    set_http_error(error, r, profile,
                   "check the client id and secret (the app's Auth tab) and "
                   "that the app lists the redirect URI, then run the "
                   "command again; nothing was stored",
                   tries);
    return NULL;
  }
  grant = hs_auth_parse_oauth(r->body, r->body_len,
                              g_get_real_time() / G_USEC_PER_SEC, error);
  if (grant == NULL) return NULL;
  if (grant->refresh_token == NULL || *grant->refresh_token == '\0') {
    missing(error, "refresh_token");
    return NULL;
  }
  grant->tries = tries;
  return g_steal_pointer(&grant);
}

static HsGrant *exchange_pak(HsApi *api, const HsRecord *record,
                             GError **error) {
  hs_autosecret body = json_body("encodedOAuthRefreshToken", record->token);
  g_autofree char *query =
      record->hub_id ? g_strdup_printf("portalId=%s", record->hub_id) : NULL;
  g_autoptr(HsHttpResponse) r = NULL;
  g_autofree char *fix = g_strdup_printf(
      "create a new personal access key in HubSpot and store it with "
      "'hs-token add %s --kind personal-access-key --force'",
      record->profile);
  HsGrant *grant;
  int tries = 0;

  r = hs_api_call(api, HS_EP_PAK_EXCHANGE, query, "POST", NULL,
                  "application/json", body, strlen(body), &tries, error);
  if (r == NULL) return NULL;
  if (r->status != 200) {
    set_http_error(error, r, record->profile, fix, tries);
    return NULL;
  }
  grant = hs_auth_parse_pak(r->body, r->body_len,
                            g_get_real_time() / G_USEC_PER_SEC, error);
  if (grant != NULL) grant->tries = tries;
  return grant;
}

HsGrant *hs_auth_obtain(HsApi *api, const HsRecord *record, GError **error) {
  switch (record->kind) {
    case HS_KIND_PRIVATE_APP:
    case HS_KIND_SERVICE_KEY:
      return verify_static(api, record, error);
    case HS_KIND_OAUTH:
      return refresh_oauth(api, record, error);
    case HS_KIND_PERSONAL_ACCESS_KEY:
      return exchange_pak(api, record, error);
    case HS_KIND_API_KEY:
    default:
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                  "HubSpot ended API keys on " HS_DATE_API_KEYS_ENDED
                  "; " HS_ADVICE_SERVICE_KEY
                  " and add it with 'hs-token add %s --kind service-key "
                  "--force'",
                  record->profile);
      return NULL;
  }
}

gboolean hs_auth_parse_introspect(const char *body, gsize len,
                                  gboolean *ret_active, GError **error) {
  g_auto(Doc) doc = {0};
  JsonNode *active;

  if (!doc_load(&doc, body, len, error)) return FALSE;
  active = json_object_get_member(doc.obj, "active");
  *ret_active = active != NULL && JSON_NODE_HOLDS_VALUE(active) &&
                json_node_get_value_type(active) == G_TYPE_BOOLEAN &&
                json_node_get_boolean(active);
  return TRUE;
}

/* The form introspect and revoke both send: the app's credentials and the
 * refresh token.  (transfer full, SECRET) */
static char *refresh_token_form(const HsRecord *record) {
  const char *fields[] = {"client_id",
                          record->client_id,
                          "client_secret",
                          record->client_secret,
                          "token",
                          record->refresh_token,
                          "token_type_hint",
                          "refresh_token",
                          NULL,
                          NULL};
  return form(fields);
}

/* Introspect the refresh token: {"active": true} or not. */
static gboolean introspect_oauth(HsApi *api, const HsRecord *record,
                                 GError **error) {
  hs_autosecret body = refresh_token_form(record);
  g_autoptr(HsHttpResponse) r = NULL;
  g_autofree char *fix = oauth_fix(record);
  gboolean active = FALSE;
  int tries = 0;

  r = hs_api_call(api, HS_EP_OAUTH_INTROSPECT, NULL, "POST", NULL,
                  "application/x-www-form-urlencoded", body, strlen(body),
                  &tries, error);
  if (r == NULL) return FALSE;
  if (r->status != 200) {
    set_http_error(error, r, record->profile, fix, tries);
    return FALSE;
  }
  if (!hs_auth_parse_introspect(r->body, r->body_len, &active, error))
    return FALSE;
  if (!active) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "HubSpot says the refresh token of profile %s is no longer "
                "active; %s",
                record->profile, fix);
    return FALSE;
  }
  return TRUE;
}

gboolean hs_auth_check(HsApi *api, const HsRecord *record, GError **error) {
  g_autoptr(HsGrant) grant = NULL;

  if (record->kind == HS_KIND_OAUTH)
    return introspect_oauth(api, record, error);
  grant = hs_auth_obtain(api, record, error);
  return grant != NULL;
}

gboolean hs_auth_revoke(HsApi *api, const HsRecord *record, GError **error) {
  g_autoptr(HsHttpResponse) r = NULL;
  int tries = 0;

  {
    hs_autosecret body = refresh_token_form(record);
    r = hs_api_call(api, HS_EP_OAUTH_REVOKE, NULL, "POST", NULL,
                    "application/x-www-form-urlencoded", body, strlen(body),
                    &tries, error);
  }
  if (r == NULL) return FALSE;
  if (r->status != 200 && r->status != 204) {
    set_http_error(error, r, record->profile,
                   "revoke the app's access in HubSpot (Settings > "
                   "Integrations > Connected Apps)",
                   tries);
    return FALSE;
  }
  return TRUE;
}
