/* SPDX-License-Identifier: MIT */
/* api.h — HubSpot's endpoints, where to reach them, how to retry,
 * and what an error response says (docs/design.md, "HubSpot"). */
#ifndef HS_HUBSPOT_API_H
#define HS_HUBSPOT_API_H

#include <glib.h>

#include "core/config.h"
#include "hubspot/http.h"

#define HS_API_DEFAULT_BASE "https://api.hubapi.com"
#define HS_API_MAX_TRIES 3
/* Longest wait between tries, whatever Retry-After asks. */
#define HS_API_MAX_RETRY_DELAY_MS 10000

/* Every path HubSpot is asked for, in one table (hubspot-api.c). */
typedef enum {
  HS_EP_ACCOUNT_INFO,     /* GET, bearer */
  HS_EP_PRIVATE_APP_INFO, /* POST JSON {tokenKey}, bearer */
  HS_EP_OAUTH_TOKEN,      /* POST form: refresh, and add --login's code */
  HS_EP_OAUTH_INTROSPECT, /* POST form */
  HS_EP_OAUTH_REVOKE,     /* POST form (2026-03); v1 uses DELETE */
  HS_EP_PAK_EXCHANGE,     /* POST JSON {encodedOAuthRefreshToken} */
} HsEndpoint;

typedef enum { HS_OAUTH_API_2026_03, HS_OAUTH_API_V1 } HsOAuthApi;

/* The path of `endpoint` in `family` (transfer none). */
const char *hs_api_path(HsEndpoint endpoint, HsOAuthApi family);

/* Check a base URL: https with a host, no credentials, query or fragment.
 * Returns the URL without a trailing '/' (transfer full), or NULL with
 * HS_ERR_CONFIG. */
char *hs_api_base_validate(const char *url, GError **error);

/* HubSpot's error JSON, old and new shapes; absent fields are NULL. */
typedef struct {
  char *status; /* "BAD_REFRESH_TOKEN", "error", ... */
  char *message;
  char *correlation_id;
  char *error; /* "invalid_grant" (2026-03 endpoints) */
  char *error_description;
  char *category;    /* "EXPIRED_AUTHENTICATION", ... */
  char *policy_name; /* 429: "DAILY", "TEN_SECONDLY_ROLLING", ... */
} HsApiError;

/* Parse an error body; never fails (garbage gives all NULL).  The parsed
 * strings are HubSpot's words, which never carry the credential. */
HsApiError *hs_api_error_parse(const char *body, gsize len);
void hs_api_error_free(HsApiError *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsApiError, hs_api_error_free)

/* "MESSAGE (STATUS, correlation id ID)" for a user (transfer full). */
char *hs_api_error_describe(const HsApiError *e, long http_status);

/* Seconds to wait from a Retry-After value (delta-seconds or an HTTP date,
 * relative to `now`), or -1 when absent or unreadable. */
gint64 hs_api_retry_after_parse(const char *value, gint64 now);

/* How long to wait before try number `attempt` + 1 (attempt counts from 1)
 * after an answer with `http_status` (0: no answer at all), or -1 not to
 * retry.  429 and 5xx and no answer are retried up to HS_API_MAX_TRIES,
 * except a 429 of the DAILY policy.  `retry_after_s` (-1 absent) is honoured
 * up to HS_API_MAX_RETRY_DELAY_MS; otherwise exponential backoff from
 * `base_ms` with `jitter` in [0,1) added. */
gint64 hs_api_retry_delay_ms(int attempt, long http_status,
                             gint64 retry_after_s, const char *policy_name,
                             gint64 base_ms, double jitter);

typedef struct HsApi HsApi;

/* The API client for `base` (NULL: HubSpot's) trusting the CAs in
 * `ca_file` (NULL: the system's); a test build's backoff and timeout
 * (core/hooks).  No variable of the environment changes either.
 * (transfer full) NULL with HS_ERR_CONFIG for a bad base URL. */
HsApi *hs_api_new(HsOAuthApi family, const char *base, const char *ca_file,
                  GError **error);
/* hs_api_new() for what `config` says: the OAuth family ([hubspot]
 * oauth-api), [hubspot] api-base and ca-file. */
HsApi *hs_api_new_for_config(const HsConfig *config, GError **error);

/* A note for stderr when `api` sends elsewhere than HubSpot's API or
 * trusts other CAs than the system's, saying where (transfer full), or
 * NULL.  The programs print it once a run. */
char *hs_api_note(const HsApi *api);
void hs_api_free(HsApi *api);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsApi, hs_api_free)

/* Close the connection kept to HubSpot (hs_http_client_disconnect); NULL is
 * fine. */
void hs_api_disconnect(HsApi *api);

HsOAuthApi hs_api_oauth_family(const HsApi *api);

/* The base URL requests go to (transfer none). */
const char *hs_api_base(const HsApi *api);

/* The CA bundle trusted instead of the system's, or NULL (transfer none). */
const char *hs_api_ca_file(const HsApi *api);

/* What hs_api_call() is doing, for a program that shows long waits. */
typedef enum {
  HS_API_PROGRESS_SEND,  /* a request is about to go out */
  HS_API_PROGRESS_RETRY, /* the last one failed; waiting to try again */
  HS_API_PROGRESS_DONE,  /* the call is over, answered or not */
} HsApiProgressStep;

typedef struct {
  HsApiProgressStep step;
  HsEndpoint endpoint;
  int attempt;    /* SEND: this try; RETRY: the next one (from 1) */
  int max_tries;  /* HS_API_MAX_TRIES */
  long status;    /* RETRY: the HTTP status that failed, 0 for no answer */
  gint64 wait_ms; /* RETRY: how long until the next try */
} HsApiProgress;

/* Called on the calling thread (or in an isolated worker, which inherits
 * it); must not call back into the API. */
typedef void (*HsApiProgressFunc)(const HsApiProgress *progress,
                                  gpointer user_data);

/* Have every API client of the process report its progress to `func` (NULL:
 * to nobody, the default).  Set once, before any request or worker; the
 * hubspot layer itself never prints. */
void hs_api_set_progress(HsApiProgressFunc func, gpointer user_data);

/* A line saying what `progress` means ("checking the token with HubSpot…",
 * "HubSpot answered 503; retrying in 2 s (2/3)"), or NULL for DONE
 * (transfer full). */
char *hs_api_progress_describe(const HsApiProgress *progress);

/* Send a request to `endpoint` (its path appended to the base, plus
 * `query` when not NULL), retrying as hs_api_retry_delay_ms says.  Returns the
 * final response of any status, or NULL with HS_ERR_NETWORK saying what
 * happened on the last try, how many tries were made and what to check; a
 * certificate that is not trusted is not tried again, and its error names
 * the CAs it was checked against.  *ret_tries (may be
 * NULL) is set to the number of requests sent. */
HsHttpResponse *hs_api_call(HsApi *api, HsEndpoint endpoint, const char *query,
                            const char *method, const char *bearer,
                            const char *content_type, const char *body,
                            gsize body_len, int *ret_tries, GError **error);

#endif
