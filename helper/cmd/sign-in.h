/* SPDX-License-Identifier: MIT */
/* sign-in.h — `hs-token add --kind oauth --login`: run OAuth's
 * authorization-code flow from the terminal (hubspot/login.h) and put the
 * refresh token it yields into a new record. */
#pragma once

#include <glib.h>
#include "core/config.h"
#include "core/record.h"
#include "hubspot/api.h"
#include "hubspot/login.h"

typedef struct {
  char **scopes;      /* --scope; NULL: the scopes a profile had before */
  char *redirect_uri; /* --redirect-uri; NULL: HS_LOGIN_DEFAULT_REDIRECT */
  gboolean no_browser;
  int timeout_s; /* --timeout; 0: HS_LOGIN_DEFAULT_TIMEOUT */
} HsSignIn;

/* Listen on the redirect URI before anything is asked of the user, so
 * that a port in use fails first (transfer full; errors as
 * hs_login_listen). */
HsLoginListener *hs_sign_in_listen(const HsSignIn *opts, GError **error);

/* The scopes to ask for: --scope, else `previous`'s when it is an oauth
 * profile of the same client (transfer full).  NULL with HS_ERR_USAGE
 * when neither says. */
char **hs_sign_in_scopes(const HsSignIn *opts, const HsRecord *record,
                         const HsRecord *previous, GError **error);

/* Send the browser to HubSpot's authorize page (xdg-open, or the URL on
 * stderr with --no-browser or no display), wait for the redirect on
 * `listener`, and exchange its code with `api`.  `record` holds the
 * profile, client id and secret; on success its refresh token, hub id and
 * scopes are HubSpot's.  `hublet` picks the authorize host (NULL:
 * app.hubspot.com).  Nothing is stored here; errors are one line with the
 * fix. */
gboolean hs_sign_in_run(HsApi *api, const HsConfig *config,
                        HsLoginListener *listener, const HsSignIn *opts,
                        char **scopes, const char *hublet, HsRecord *record,
                        GError **error);
