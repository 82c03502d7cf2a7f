/* SPDX-License-Identifier: MIT */
/* proxy.h — hs-exec --proxy: a loopback HTTP server that forwards each
 * request carrying a per-run placeholder token to the HubSpot API over TLS
 * with the real, current access token, so COMMAND never holds a real one. */
#ifndef HS_PROXY_H
#define HS_PROXY_H

#include <glib.h>

/* Connections served at once; one more is answered 503 and closed. */
#define HS_PROXY_MAX_CONNECTIONS 64
/* A request head must have arrived this long after the connection. */
#define HS_PROXY_HEAD_TIMEOUT_S 10
/* Once the head is in, a client silent this long is dropped. */
#define HS_PROXY_CLIENT_TIMEOUT_S 60
/* The methods forwarded, those of HubSpot's API; others are answered 405. */
#define HS_PROXY_METHODS "GET, HEAD, POST, PUT, PATCH, DELETE"

/* Limits of one proxy; 0 in a field means its default above. */
typedef struct {
  guint max_connections;
  guint head_timeout_ms;
} HsProxyLimits;

/* The current access token (transfer full: SECRET, free with
 * hs_secure_free), or NULL with *error.  `stale` (or NULL) is a token
 * HubSpot just refused: refresh unless the current one differs already.
 * Called from many threads. */
typedef char *(*HsProxyTokenFunc)(gpointer user_data, const char *stale,
                                  GError **error);

typedef struct HsProxy HsProxy;

/* A random placeholder token from getrandom() (transfer full). */
char *hs_proxy_new_placeholder(void);

/* Listen on 127.0.0.1 at a port the kernel picks and serve each connection
 * in a thread of its own, at most `limits->max_connections` at once
 * (`limits` NULL: the defaults): requests whose Authorization is "Bearer
 * `placeholder`" go to `upstream` (a validated base URL; `ca_file` or NULL
 * for the system's CAs) with the token from `get_token`.  A 401 from
 * upstream makes a request without a body ask `get_token` for a fresh
 * token and go once more, but not when its token came from such a forced
 * refresh itself.  (transfer full) NULL with HS_ERR_SYSTEM when the port
 * cannot be opened. */
HsProxy *hs_proxy_start(const char *upstream, const char *ca_file,
                        const char *placeholder, const HsProxyLimits *limits,
                        HsProxyTokenFunc get_token, gpointer user_data,
                        GError **error);

/* The port it listens on. */
guint16 hs_proxy_port(const HsProxy *proxy);

/* Stop listening, cut every connection (its client sees it closed, its
 * request upstream is aborted), wait until no thread of the proxy uses it
 * or `get_token` any more, free. */
void hs_proxy_stop(HsProxy *proxy);

#endif
