/* SPDX-License-Identifier: MIT */
/* auth.h — asking HubSpot about a credential: verify a static token,
 * refresh an OAuth token, exchange a personal access key. */
#ifndef HS_HUBSPOT_AUTH_H
#define HS_HUBSPOT_AUTH_H

#include <glib.h>

#include "hubspot/api.h"
#include "core/record.h"

/* What HubSpot said about a credential.  Fields it did not give are NULL/0. */
typedef struct {
  char *access_token;  /* SECRET: the bearer token to use */
  gint64 expires_at;   /* unix seconds; 0 when it does not expire */
  char *refresh_token; /* SECRET: the refresh token HubSpot returned, if any */
  char *hub_id;
  char *hublet;
  char **scopes;
  gint64 app_id; /* a legacy private app's id, when HubSpot tells it; 0 */
  int tries;     /* requests sent to HubSpot */
} HsGrant;

void hs_auth_grant_free(HsGrant *grant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsGrant, hs_auth_grant_free)

/* The longest access-token lifetime taken from HubSpot (ten years; it
 * gives 30 minutes): beyond it an answer is refused, so that now + lifetime
 * cannot overflow and the token cache's kernel timeout stays positive. */
#define HS_AUTH_MAX_LIFETIME (10 * 366 * 86400)

/* Parsers of HubSpot's success bodies, for the unit tests and the calls
 * below.  `now` is unix seconds.  NULL with HS_ERR_NETWORK ("could not be
 * read") on a body without the fields that matter, or with an expiry more
 * than HS_AUTH_MAX_LIFETIME after `now`. */
HsGrant *hs_auth_parse_oauth(const char *body, gsize len, gint64 now,
                             GError **error);
HsGrant *hs_auth_parse_pak(const char *body, gsize len, gint64 now,
                           GError **error);
HsGrant *hs_auth_parse_account_info(const char *body, gsize len,
                                    GError **error);

/* Token introspection's body: *ret_active is TRUE only for
 * {"active": true}.  FALSE with HS_ERR_NETWORK on a body that is not a JSON
 * object. */
gboolean hs_auth_parse_introspect(const char *body, gsize len,
                                  gboolean *ret_active, GError **error);

/* The hublet ("na1", "eu1") from account info's dataHostingLocation, else
 * from its uiDomain (app.hubspot.com → na1, app-eu1.hubspot.com → eu1), or
 * NULL (transfer full). */
char *hs_auth_hublet(const char *data_hosting_location, const char *ui_domain);

/* Get a usable access token for `record`: for private-app and service-key
 * profiles, verify the token (account info, and the scopes and app id of a
 * private-app token, or of a service key shaped like one, where HubSpot
 * tells them); for oauth, refresh; for a personal access
 * key, exchange.  HS_ERR_REFUSED when HubSpot refused the credential (with
 * HubSpot's message and what to do), HS_ERR_NETWORK when it could not be
 * asked.  (transfer full) */
HsGrant *hs_auth_obtain(HsApi *api, const HsRecord *record, GError **error);

/* Exchange an authorization code (OAuth's code flow, `add --login`) at the
 * token endpoint of `api`'s family: grant_type=authorization_code with the
 * app's credentials and the same `redirect_uri` the browser was sent with.
 * The grant holds the access and refresh tokens, hub id and scopes where
 * HubSpot gives them.  HS_ERR_REFUSED / HS_ERR_NETWORK as hs_auth_obtain;
 * an answer without a refresh token is HS_ERR_NETWORK.  (transfer full) */
HsGrant *hs_auth_exchange_code(HsApi *api, const char *profile,
                               const char *client_id, const char *client_secret,
                               const char *code, const char *redirect_uri,
                               GError **error);

/* Ask HubSpot whether `record`'s credential is good, changing nothing:
 * account info for static tokens, token introspection for an OAuth refresh
 * token, the exchange for a personal access key.  FALSE with
 * HS_ERR_REFUSED or HS_ERR_NETWORK as hs_auth_obtain. */
gboolean hs_auth_check(HsApi *api, const HsRecord *record, GError **error);

/* Revoke an oauth profile's refresh token at HubSpot. */
gboolean hs_auth_revoke(HsApi *api, const HsRecord *record, GError **error);

#endif
