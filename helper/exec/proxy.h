/* SPDX-License-Identifier: MIT */
/* proxy.h — hs-exec --proxy: a loopback HTTP server that forwards each
 * request carrying a per-run placeholder token to the HubSpot API over TLS
 * with the real, current access token, so COMMAND never holds a real one. */
#ifndef HS_PROXY_H
#define HS_PROXY_H

#include <glib.h>

/* Connections served at once; more wait in the listen backlog. */
#define HS_PROXY_MAX_CONNECTIONS 16
/* A client silent this long is dropped. */
#define HS_PROXY_CLIENT_TIMEOUT_S 60

/* The current access token (transfer full: SECRET, free with
 * hs_secure_free), or NULL with *error.  `stale` (or NULL) is a token
 * HubSpot just refused: refresh unless the current one differs already.
 * Called from many threads. */
typedef char *(*HsProxyTokenFunc)(gpointer user_data, const char *stale,
                                  GError **error);

typedef struct HsProxy HsProxy;

/* A random placeholder token from getrandom() (transfer full). */
char *hs_proxy_new_placeholder(void);

/* Listen on 127.0.0.1 at a port the kernel picks and serve in threads of
 * our own: requests whose Authorization is "Bearer `placeholder`" go to
 * `upstream` (a validated base URL; `ca_file` or NULL for the system's CAs)
 * with the token from `get_token`.  (transfer full) NULL with HS_ERR_SYSTEM
 * when the port cannot be opened. */
HsProxy *hs_proxy_start(const char *upstream, const char *ca_file,
                        const char *placeholder, HsProxyTokenFunc get_token,
                        gpointer user_data, GError **error);

/* The port it listens on. */
guint16 hs_proxy_port(const HsProxy *proxy);

/* Stop listening, wait for the requests in flight, free. */
void hs_proxy_stop(HsProxy *proxy);

#endif
