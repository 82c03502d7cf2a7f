/* SPDX-License-Identifier: MIT */
/* sign-in.c — see sign-in.h. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd/sign-in.h"
#include "core/error.h"
#include "core/secure.h"
#include "hubspot/auth.h"

static const char *redirect_uri(const HsSignIn *opts) {
  return opts->redirect_uri ? opts->redirect_uri : HS_LOGIN_DEFAULT_REDIRECT;
}

HsLoginListener *hs_sign_in_listen(const HsSignIn *opts, GError **error) {
  return hs_login_listen(redirect_uri(opts), error);
}

char **hs_sign_in_scopes(const HsSignIn *opts, const HsRecord *record,
                         const HsRecord *previous, GError **error) {
  if (opts->scopes != NULL && opts->scopes[0] != NULL)
    return g_strdupv(opts->scopes);
  /* The app's required scopes are known only from a profile it was
   * installed for before; HubSpot has no public API that tells them. */
  if (previous != NULL && previous->kind == record->kind &&
      g_strcmp0(previous->client_id, record->client_id) == 0 &&
      previous->scopes != NULL && previous->scopes[0] != NULL)
    return g_strdupv(previous->scopes);
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
              "add --login: give the scopes the app requires with --scope "
              "(repeatable), as listed in the app's Auth settings");
  return NULL;
}

/* xdg-open URL, argv only (no shell sees the URL); FALSE when there is no
 * display or it cannot be started. */
static gboolean open_browser(const char *url) {
  const char *argv[] = {"xdg-open", url, NULL};
  const char *x = g_getenv("DISPLAY"), *w = g_getenv("WAYLAND_DISPLAY");

  if ((x == NULL || *x == '\0') && (w == NULL || *w == '\0')) return FALSE;
  return g_spawn_async(NULL, (char **)argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                           G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL);
}

/* The account's hublet, which OAuth's answers do not give: account info
 * with the new access token, read as a static token's.  It picks the
 * authorize host of a later sign-in; unknown when HubSpot will not say. */
static void record_hublet(HsApi *api, const char *access_token,
                          HsRecord *record) {
  g_autoptr(HsRecord) probe =
      hs_record_new(record->profile, HS_KIND_SERVICE_KEY);
  g_autoptr(HsGrant) info = NULL;

  probe->token = hs_secure_dup(access_token);
  info = hs_auth_obtain(api, probe, NULL);
  if (info != NULL && info->hublet != NULL) {
    g_free(record->hublet);
    record->hublet = g_steal_pointer(&info->hublet);
  }
}

gboolean hs_sign_in_run(HsApi *api, const HsConfig *config,
                        HsLoginListener *listener, const HsSignIn *opts,
                        char **scopes, const char *hublet, HsRecord *record,
                        GError **error) {
  g_autofree char *state = hs_login_new_state(error);
  g_autofree char *base = NULL, *url = NULL;
  g_autoptr(HsGrant) grant = NULL;
  hs_autosecret code = NULL;
  int timeout_s =
      opts->timeout_s > 0 ? opts->timeout_s : HS_LOGIN_DEFAULT_TIMEOUT;
  gboolean opened;

  if (state == NULL) return FALSE;
  if (config->auth_base != NULL) {
    /* https with a host, as [hubspot] api-base must be. */
    g_autofree char *checked = hs_api_base_validate(config->auth_base, error);
    if (checked == NULL) {
      g_prefix_error(error, "[hubspot] auth-base: ");
      return FALSE;
    }
    base = hs_login_authorize_base(checked, hublet);
  } else
    base = hs_login_authorize_base(NULL, hublet);
  url = hs_login_authorize_url(base, record->client_id,
                               (const char *const *)scopes, redirect_uri(opts),
                               state);
  fprintf(stderr,
          "hs-token: authorise app %s for profile %s in the browser; the "
          "app's Auth settings in HubSpot must list the redirect URI %s "
          "exactly (HubSpot may accept http://localhost only for apps in "
          "development)\n",
          record->client_id, record->profile, redirect_uri(opts));
  opened = !opts->no_browser && open_browser(url);
  fprintf(stderr, "hs-token: %s:\n  %s\n",
          opened ? "a browser was asked to open; if none did, open this URL"
                 : "open this URL in a browser",
          url);
  fprintf(stderr, "hs-token: waiting up to %d s for HubSpot's redirect…\n",
          timeout_s);
  code = hs_login_wait(listener, state, timeout_s, error);
  if (code == NULL) return FALSE;
  grant = hs_auth_exchange_code(api, record->profile, record->client_id,
                                record->client_secret, code, redirect_uri(opts),
                                error);
  if (grant == NULL) return FALSE;
  hs_secure_free(record->refresh_token);
  record->refresh_token = g_steal_pointer(&grant->refresh_token);
  if (grant->hub_id != NULL && record->hub_id != NULL &&
      strcmp(grant->hub_id, record->hub_id) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "add --login: the app was authorised for hub %s, not hub %s "
                "as --hub-id says; nothing was stored; sign in to the right "
                "account and run the command again",
                grant->hub_id, record->hub_id);
    return FALSE;
  }
  if (grant->hub_id != NULL) {
    g_free(record->hub_id);
    record->hub_id = g_steal_pointer(&grant->hub_id);
  }
  g_strfreev(record->scopes);
  record->scopes =
      grant->scopes ? g_steal_pointer(&grant->scopes) : g_strdupv(scopes);
  record_hublet(api, grant->access_token, record);
  return TRUE;
}
