/* SPDX-License-Identifier: MIT */
/* api.c — HubSpot's endpoints, where to reach them, how to retry,
 * and what an error response says. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-glib/json-glib.h>

#include "core/error.h"
#include "core/hooks.h"
#include "hubspot/api.h"
#include "core/json.h"

/* One row per endpoint: a change at HubSpot is a one-line change here. */
static const struct {
  const char *v2026;
  const char *v1;
} endpoints[] = {
    [HS_EP_ACCOUNT_INFO] = {"/account-info/v3/details",
                            "/account-info/v3/details"},
    [HS_EP_PRIVATE_APP_INFO] = {"/oauth/v2/private-apps/get/access-token-info",
                                "/oauth/v2/private-apps/get/access-token-info"},
    [HS_EP_OAUTH_TOKEN] = {"/oauth/2026-03/token", "/oauth/v1/token"},
    [HS_EP_OAUTH_INTROSPECT] = {"/oauth/2026-03/token/introspect",
                                "/oauth/2026-03/token/introspect"},
    /* v1's revoke is DELETE /oauth/v1/refresh-tokens/{token}: the token in
     * a URL, which we never send; the 2026-03 form serves both families. */
    [HS_EP_OAUTH_REVOKE] = {"/oauth/2026-03/token/revoke",
                            "/oauth/2026-03/token/revoke"},
    [HS_EP_PAK_EXCHANGE] = {"/localdevauth/v1/auth/refresh",
                            "/localdevauth/v1/auth/refresh"},
};

struct HsApi {
  char *base;
  HsOAuthApi family;
  HsHttpClient *http;
  char *ca_file; /* or NULL: the system's CAs */
  gint64 retry_base_ms;
};

const char *hs_api_path(HsEndpoint endpoint, HsOAuthApi family) {
  return family == HS_OAUTH_API_V1 ? endpoints[endpoint].v1
                                   : endpoints[endpoint].v2026;
}

char *hs_api_base_validate(const char *url, GError **error) {
  g_autoptr(GUri) uri = NULL;
  const char *host;
  char *base;

  if (url != NULL) uri = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host(uri)) == NULL || *host == '\0') {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "[hubspot] api-base '%s' is not an absolute URL; use "
                "https://HOST[:PORT]",
                url ? url : "");
    return NULL;
  }
  if (g_uri_get_userinfo(uri) != NULL || g_uri_get_query(uri) != NULL ||
      g_uri_get_fragment(uri) != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "[hubspot] api-base must not carry credentials, a query or a "
                "fragment");
    return NULL;
  }
  /* https only: a token is never sent in the clear, not even to a loopback
   * host (the stand-in speaks TLS too). */
  if (g_ascii_strcasecmp(g_uri_get_scheme(uri), "https") != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "[hubspot] api-base '%s' is refused: use an https URL", url);
    return NULL;
  }
  base = g_strdup(url);
  while (g_str_has_suffix(base, "/")) base[strlen(base) - 1] = '\0';
  return base;
}

static char *member_string(JsonObject *obj, const char *name) {
  return g_strdup(hs_json_string(obj, name));
}

HsApiError *hs_api_error_parse(const char *body, gsize len) {
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  HsApiError *e = g_new0(HsApiError, 1);
  JsonNode *root;
  JsonObject *obj;

  if (body == NULL || len == 0 ||
      !json_parser_load_from_data(parser, body, (gssize)len, NULL) ||
      (root = json_parser_get_root(parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT(root))
    return e;
  obj = json_node_get_object(root);
  e->status = member_string(obj, "status");
  e->message = member_string(obj, "message");
  e->correlation_id = member_string(obj, "correlationId");
  e->error = member_string(obj, "error");
  e->error_description = member_string(obj, "error_description");
  e->category = member_string(obj, "category");
  e->policy_name = member_string(obj, "policyName");
  return e;
}

void hs_api_error_free(HsApiError *e) {
  if (e == NULL) return;
  g_free(e->status);
  g_free(e->message);
  g_free(e->correlation_id);
  g_free(e->error);
  g_free(e->error_description);
  g_free(e->category);
  g_free(e->policy_name);
  g_free(e);
}

char *hs_api_error_describe(const HsApiError *e, long http_status) {
  GString *s = g_string_new(NULL);
  const char *what = e->error_description ? e->error_description : e->message;
  const char *code = e->status && strcmp(e->status, "error") != 0 ? e->status
                     : e->category                                ? e->category
                                                                  : e->error;

  if (what != NULL)
    g_string_append(s, what);
  else
    g_string_append_printf(s, "HTTP %ld", http_status);
  if (code != NULL || e->correlation_id != NULL) {
    g_string_append(s, " (");
    if (code != NULL) g_string_append(s, code);
    if (code != NULL && e->correlation_id != NULL) g_string_append(s, ", ");
    if (e->correlation_id != NULL)
      g_string_append_printf(s, "correlation id %s", e->correlation_id);
    g_string_append(s, ")");
  }
  return g_string_free(s, FALSE);
}

gint64 hs_api_retry_after_parse(const char *value, gint64 now) {
  char *end = NULL;
  gint64 secs;
  time_t when;

  if (value == NULL) return -1;
  while (*value == ' ' || *value == '\t') value++;
  if (*value == '\0') return -1;
  if (g_ascii_isdigit(*value)) {
    secs = g_ascii_strtoll(value, &end, 10);
    while (end && (*end == ' ' || *end == '\t')) end++;
    return (end && *end == '\0' && secs >= 0) ? secs : -1;
  }
  when = (time_t)hs_http_parse_date(value);
  if (when == (time_t)-1) return -1;
  return when > now ? (gint64)when - now : 0;
}

gint64 hs_api_retry_delay_ms(int attempt, long http_status,
                             gint64 retry_after_s, const char *policy_name,
                             gint64 base_ms, double jitter) {
  gboolean retryable = http_status == 0 || http_status == 429 ||
                       (http_status >= 500 && http_status <= 599);
  gint64 delay;

  if (!retryable || attempt >= HS_API_MAX_TRIES) return -1;
  if (http_status == 429 && policy_name != NULL &&
      strcmp(policy_name, "DAILY") == 0)
    return -1;
  if (retry_after_s >= 0) {
    /* Capped before the multiplication: Retry-After is HubSpot's (or a
     * proxy's) number, and a huge one must not overflow. */
    delay = MIN(retry_after_s, HS_API_MAX_RETRY_DELAY_MS / 1000) * 1000;
  } else {
    delay = base_ms << (attempt - 1);
    delay += (gint64)(jitter * (double)delay);
  }
  return MIN(delay, HS_API_MAX_RETRY_DELAY_MS);
}

HsApi *hs_api_new(HsOAuthApi family, const char *base, const char *ca_file,
                  GError **error) {
  const HsHooks *hooks = hs_hooks();
  HsApi *api = g_new0(HsApi, 1);

  api->base = hs_api_base_validate(base ? base : HS_API_DEFAULT_BASE, error);
  if (api->base == NULL) {
    g_free(api);
    return NULL;
  }
  api->family = family;
  api->ca_file = g_strdup(ca_file);
  api->http = hs_http_client_new(api->ca_file);
  if (hooks->http_timeout_ms > 0)
    hs_http_client_set_timeout_ms(api->http, hooks->http_timeout_ms);
  api->retry_base_ms = hooks->retry_base_ms >= 0 ? hooks->retry_base_ms : 1000;
  return api;
}

void hs_api_free(HsApi *api) {
  if (api == NULL) return;
  g_free(api->base);
  g_free(api->ca_file);
  hs_http_client_free(api->http);
  g_free(api);
}

void hs_api_disconnect(HsApi *api) {
  if (api != NULL) hs_http_client_disconnect(api->http);
}

HsApi *hs_api_new_for_config(const HsConfig *config, GError **error) {
  return hs_api_new(
      config->oauth_api_v1 ? HS_OAUTH_API_V1 : HS_OAUTH_API_2026_03,
      config->api_base, config->ca_file, error);
}

char *hs_api_note(const HsApi *api) {
  gboolean elsewhere = strcmp(api->base, HS_API_DEFAULT_BASE) != 0;

  if (elsewhere && api->ca_file != NULL)
    return g_strdup_printf(
        "HubSpot API at %s, not " HS_API_DEFAULT_BASE
        ", trusting only the "
        "CAs in %s ([hubspot] api-base and ca-file in hs-exec.conf)",
        api->base, api->ca_file);
  if (elsewhere)
    return g_strdup_printf("HubSpot API at %s, not " HS_API_DEFAULT_BASE
                           " ([hubspot] api-base in hs-exec.conf)",
                           api->base);
  if (api->ca_file != NULL)
    return g_strdup_printf(
        "HubSpot API certificate checked against the CAs in %s only, not "
        "the system's ([hubspot] ca-file in hs-exec.conf)",
        api->ca_file);
  return NULL;
}

HsOAuthApi hs_api_oauth_family(const HsApi *api) { return api->family; }

const char *hs_api_base(const HsApi *api) { return api->base; }

const char *hs_api_ca_file(const HsApi *api) { return api->ca_file; }

static HsApiProgressFunc progress_func;
static gpointer progress_data;

void hs_api_set_progress(HsApiProgressFunc func, gpointer user_data) {
  progress_func = func;
  progress_data = user_data;
}

static void report(HsApiProgressStep step, HsEndpoint endpoint, int attempt,
                   long status, gint64 wait_ms) {
  HsApiProgress p = {step,   endpoint, attempt, HS_API_MAX_TRIES,
                     status, wait_ms};

  if (progress_func != NULL) progress_func(&p, progress_data);
}

char *hs_api_progress_describe(const HsApiProgress *p) {
  gint64 secs;

  switch (p->step) {
    case HS_API_PROGRESS_SEND:
      switch (p->endpoint) {
        case HS_EP_OAUTH_TOKEN:
        case HS_EP_PAK_EXCHANGE:
          return g_strdup("getting a new access token from HubSpot…");
        case HS_EP_OAUTH_REVOKE:
          return g_strdup("revoking the refresh token at HubSpot…");
        default:
          return g_strdup("checking the token with HubSpot…");
      }
    case HS_API_PROGRESS_RETRY:
      secs = (p->wait_ms + 999) / 1000;
      if (p->status != 0)
        return g_strdup_printf(
            "HubSpot answered %ld; retrying in %" G_GINT64_FORMAT " s (%d/%d)",
            p->status, secs, p->attempt, p->max_tries);
      return g_strdup_printf(
          "HubSpot did not answer; retrying in %" G_GINT64_FORMAT " s (%d/%d)",
          secs, p->attempt, p->max_tries);
    case HS_API_PROGRESS_DONE:
    default:
      return NULL;
  }
}

/* The error of a request that got no answer: what happened and what to
 * check. */
static void set_no_answer(HsApi *api, int attempt, const GError *why,
                          GError **error) {
  if (hs_http_client_untrusted(api->http)) {
    if (api->ca_file != NULL)
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                  "the certificate of %s is not trusted (%s); it was checked "
                  "against the CAs in %s only ([hubspot] ca-file in "
                  "hs-exec.conf): put the CA that signed it there, or remove "
                  "ca-file to trust the system's",
                  api->base, why->message, api->ca_file);
    else
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                  "the certificate of %s is not trusted (%s); it was checked "
                  "against the system's CAs: update them (ca-certificates), "
                  "or, behind a proxy that inspects TLS, name its CA in "
                  "[hubspot] ca-file in hs-exec.conf",
                  api->base, why->message);
    return;
  }
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
              "HubSpot could not be reached after %d tr%s: %s; check the "
              "network connection and any proxy (https_proxy), then try again",
              attempt, attempt == 1 ? "y" : "ies", why->message);
}

HsHttpResponse *hs_api_call(HsApi *api, HsEndpoint endpoint, const char *query,
                            const char *method, const char *bearer,
                            const char *content_type, const char *body,
                            gsize body_len, int *ret_tries, GError **error) {
  g_autofree char *url =
      g_strconcat(api->base, hs_api_path(endpoint, api->family),
                  query ? "?" : "", query ? query : "", NULL);
  HsHttpRequest request = {method, url, bearer, content_type, body, body_len};
  int attempt;

  for (attempt = 1;; attempt++) {
    g_autoptr(GError) local = NULL;
    g_autoptr(HsApiError) api_error = NULL;
    HsHttpResponse *response;
    long status;
    gint64 delay, retry_after = -1;

    report(HS_API_PROGRESS_SEND, endpoint, attempt, 0, 0);
    response = hs_http_send(api->http, &request, &local);
    status = response ? response->status : 0;
    if (response != NULL) {
      if (status == 429)
        api_error = hs_api_error_parse(response->body, response->body_len);
      retry_after = hs_api_retry_after_parse(
          response->retry_after, g_get_real_time() / G_USEC_PER_SEC);
    }
    /* An untrusted certificate stays untrusted: no second try. */
    delay =
        response == NULL && hs_http_client_untrusted(api->http)
            ? -1
            : hs_api_retry_delay_ms(attempt, status, retry_after,
                                    api_error ? api_error->policy_name : NULL,
                                    api->retry_base_ms, g_random_double());
    if (delay < 0) {
      report(HS_API_PROGRESS_DONE, endpoint, attempt, status, 0);
      if (ret_tries != NULL) *ret_tries = attempt;
      if (response == NULL) set_no_answer(api, attempt, local, error);
      return response;
    }
    hs_http_response_free(response);
    report(HS_API_PROGRESS_RETRY, endpoint, attempt + 1, status, delay);
    g_usleep((gulong)delay * 1000);
  }
}
