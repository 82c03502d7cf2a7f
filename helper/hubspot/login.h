/* SPDX-License-Identifier: MIT */
/* login.h — the local half of OAuth's authorization-code flow
 * (`hs-token add --login`): the authorize URL, a random single-use state,
 * and a one-shot listener on the loopback address of the redirect URI that
 * takes HubSpot's redirect (docs/design.md, "Signing in"). */
#ifndef HS_HUBSPOT_LOGIN_H
#define HS_HUBSPOT_LOGIN_H

#include <glib.h>

/* The redirect URI when none is given; the app's Auth settings in HubSpot
 * must list it exactly. */
#define HS_LOGIN_DEFAULT_REDIRECT "http://localhost:8735/callback"
#define HS_LOGIN_DEFAULT_TIMEOUT 300

/* A fresh state: 32 random bytes from getrandom(), base64url without
 * padding (transfer full).  NULL with HS_ERR_SYSTEM when the kernel has no
 * randomness to give. */
char *hs_login_new_state(GError **error);

/* Where the browser signs in: `configured` ([hubspot] auth-base, already
 * vetted) when set, else HubSpot's UI host for `hublet` (NULL: unknown)
 * (transfer full). */
char *hs_login_authorize_base(const char *configured, const char *hublet);

/* BASE/oauth/authorize?client_id=…&scope=…&redirect_uri=…&state=…, every
 * value escaped, scopes joined by spaces (transfer full). */
char *hs_login_authorize_url(const char *base, const char *client_id,
                             const char *const *scopes,
                             const char *redirect_uri, const char *state);

/* What a request to the listener was. */
typedef enum {
  HS_LOGIN_OTHER,    /* another path (a browser's /favicon.ico): 404 */
  HS_LOGIN_CODE,     /* the redirect, with our state and a code */
  HS_LOGIN_REJECTED, /* the redirect, but an error, a wrong state, no code */
} HsLoginResult;

/* Read a request target ("/callback?code=…&state=…") against the redirect
 * URI's `path` and the `state` sent.  HS_LOGIN_CODE sets *ret_code
 * (transfer full: hs_secure_free); HS_LOGIN_REJECTED sets `error`
 * (HS_ERR_REFUSED, one line with the fix). */
HsLoginResult hs_login_parse_callback(const char *target, const char *path,
                                      const char *state, char **ret_code,
                                      GError **error);

typedef struct HsLoginListener HsLoginListener;

/* Listen where `redirect_uri` points: it must be http:// on localhost
 * (127.0.0.1 and ::1), 127.0.0.1 or [::1] with a port.  HS_ERR_USAGE for
 * another URI, HS_ERR_SYSTEM when the port is taken (saying how to free it
 * or choose another).  (transfer full) */
HsLoginListener *hs_login_listen(const char *redirect_uri, GError **error);

/* Wait up to `timeout_s` seconds for the redirect, answer the browser with
 * a short page, and close the listener whatever happens: a second request
 * finds nothing listening.  Returns the authorization code (transfer full:
 * hs_secure_free), or NULL with the hs_login_parse_callback error, or
 * HS_ERR_NETWORK when no redirect came in time. */
char *hs_login_wait(HsLoginListener *listener, const char *state, int timeout_s,
                    GError **error);

void hs_login_listener_free(HsLoginListener *listener);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsLoginListener, hs_login_listener_free)

#endif
