/* SPDX-License-Identifier: MIT */
/* http.h — one HTTPS request over libcurl, nothing HubSpot-specific:
 * TLS verification always on, fixed timeouts, no token in any message. */
#ifndef HS_HTTP_CLIENT_H
#define HS_HTTP_CLIENT_H

#include <glib.h>

#define HS_HTTP_CONNECT_TIMEOUT_S 5
#define HS_HTTP_TOTAL_TIMEOUT_S 15
/* Responses larger than this are cut off and treated as garbage. */
#define HS_HTTP_MAX_BODY (1024 * 1024)

typedef struct {
  const char *method;       /* "GET", "POST", "DELETE" */
  const char *url;          /* absolute */
  const char *bearer;       /* SECRET: sent as Authorization: Bearer, or NULL */
  const char *content_type; /* of body, or NULL */
  const char *body;         /* may hold SECRETS (form fields), or NULL */
  gsize body_len;
} HsHttpRequest;

typedef struct {
  long status; /* HTTP status */
  char *body;  /* NUL-terminated; may hold SECRETS; wiped on free */
  gsize body_len;
  char *retry_after; /* the Retry-After header's value, or NULL */
  char *date;        /* the Date header's value, or NULL */
} HsHttpResponse;

typedef struct HsHttpClient HsHttpClient;

/* A client trusting the system's CAs, or only `ca_file` when not NULL.
 * (transfer full) */
HsHttpClient *hs_http_client_new(const char *ca_file);
void hs_http_client_free(HsHttpClient *client);

/* Close the connection kept for the next request, with the rest of libcurl's
 * handle (its socketpair among them); the next request opens a new one. */
void hs_http_client_disconnect(HsHttpClient *client);

/* Whether the client's last hs_http_send() failed because the server's
 * certificate was not trusted (or the CA file could not be read): trying
 * again cannot help. */
gboolean hs_http_client_untrusted(const HsHttpClient *client);

/* Shorten (or lengthen) the whole-request timeout; <= 0 keeps it. */
void hs_http_client_set_timeout_ms(HsHttpClient *client, long timeout_ms);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsHttpClient, hs_http_client_free)

/* Send `request` once.  A response of any status is success; no response
 * (DNS, connect, TLS, timeout, reset, a cut-off body) is HS_ERR_NETWORK with
 * curl's reason.  (transfer full) */
HsHttpResponse *hs_http_send(HsHttpClient *client, const HsHttpRequest *request,
                             GError **error);

void hs_http_response_free(HsHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsHttpResponse, hs_http_response_free)

/* A request whose body and response are streamed (hs-exec --proxy). */
typedef struct {
  const char *method;
  const char *url;
  const char *bearer;         /* SECRET, or NULL */
  const char *const *headers; /* more "Name: value" lines, or NULL */
  gint64 body_len;            /* -1: no body */
  /* Fill up to `len` bytes of the body; 0 at its end, -1 to abort. */
  gssize (*read_body)(char *buf, gsize len, gpointer user_data);
  /* Each response header line as received, status line first, CRLF
   * included, the blank line last; FALSE aborts. */
  gboolean (*on_header)(const char *line, gsize len, gpointer user_data);
  /* A piece of the response body; FALSE aborts. */
  gboolean (*on_body)(const char *data, gsize len, gpointer user_data);
  gpointer user_data;
  /* Set (non-zero, read atomically) from another thread, it aborts the
   * transfer within about a second; or NULL. */
  const gint *cancel;
} HsHttpStream;

/* Send `stream` once over HTTP/1.1, with no overall time limit but the
 * connect timeout and an idle limit.  FALSE with HS_ERR_NETWORK when no
 * complete response came (or a callback aborted).  Safe to call from many
 * threads at once: each call has a connection to itself while it runs,
 * taken from (and left in) a pool the calls share. */
gboolean hs_http_stream(const char *ca_file, const HsHttpStream *stream,
                        GError **error);

/* The value of header line `line` (`len` bytes, not NUL-terminated, as
 * libcurl hands it over) when it is header `name` (with the colon, any
 * case), blanks and CRLF stripped; else NULL.  (transfer full) */
char *hs_http_header_value(const char *line, gsize len, const char *name);

/* Unix seconds of an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT"), or -1. */
gint64 hs_http_parse_date(const char *date);

#endif
