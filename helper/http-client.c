/* http-client.c — one HTTPS request over libcurl. */
#include "config.h"

#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "hs-error.h"
#include "http-client.h"
#include "secure-mem.h"

struct HsHttpClient {
  CURL *curl; /* reused, so that retries and follow-up calls keep the
                 connection */
  char *ca_file;
};

typedef struct {
  GString *body;
  gboolean too_big;
  char *retry_after;
} Sink;

HsHttpClient *hs_http_client_new(const char *ca_file) {
  static gsize initialised = 0;
  HsHttpClient *client = g_new0(HsHttpClient, 1);

  if (g_once_init_enter(&initialised)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_once_init_leave(&initialised, 1);
  }
  client->curl = curl_easy_init();
  client->ca_file = g_strdup(ca_file);
  return client;
}

void hs_http_client_free(HsHttpClient *client) {
  if (client == NULL) return;
  if (client->curl != NULL) curl_easy_cleanup(client->curl);
  g_free(client->ca_file);
  g_free(client);
}

void hs_http_response_free(HsHttpResponse *response) {
  if (response == NULL) return;
  hs_secret_free_len(response->body, response->body_len);
  g_free(response->retry_after);
  g_free(response);
}

/* Grow the body without leaving unwiped copies behind when it moves. */
static size_t on_body(char *data, size_t size, size_t n, void *user_data) {
  Sink *sink = user_data;
  size_t len = size * n;

  if (sink->body->len + len > HS_HTTP_MAX_BODY) {
    sink->too_big = TRUE;
    return 0; /* abort the transfer */
  }
  if (sink->body->len + len + 1 > sink->body->allocated_len) {
    gsize cap = MAX(sink->body->allocated_len * 2, sink->body->len + len + 1);
    char *bigger = g_malloc(cap);
    memcpy(bigger, sink->body->str, sink->body->len + 1);
    explicit_bzero(sink->body->str, sink->body->allocated_len);
    g_free(sink->body->str);
    sink->body->str = bigger;
    sink->body->allocated_len = cap;
  }
  g_string_append_len(sink->body, data, (gssize)len);
  return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *user_data) {
  Sink *sink = user_data;
  size_t len = size * n;
  static const char name[] = "retry-after:";

  if (len > sizeof name - 1 && strncasecmp(data, name, sizeof name - 1) == 0) {
    g_free(sink->retry_after);
    sink->retry_after =
        g_strstrip(g_strndup(data + sizeof name - 1, len - (sizeof name - 1)));
  }
  return len;
}

/* Wipe every header string (one of them carries the bearer token) before
 * curl frees the list. */
static void free_headers(struct curl_slist *headers) {
  for (struct curl_slist *h = headers; h != NULL; h = h->next)
    explicit_bzero(h->data, strlen(h->data));
  curl_slist_free_all(headers);
}

HsHttpResponse *hs_http_send(HsHttpClient *client, const HsHttpRequest *request,
                             GError **error) {
  g_autoptr(HsHttpResponse) response = g_new0(HsHttpResponse, 1);
  struct curl_slist *headers = NULL;
  char curl_error[CURL_ERROR_SIZE] = "";
  Sink sink = {g_string_sized_new(1024), FALSE, NULL};
  CURL *curl = client->curl;
  CURLcode rc;

  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, request->url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (client->ca_file != NULL)
    curl_easy_setopt(curl, CURLOPT_CAINFO, client->ca_file);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   (long)HS_HTTP_CONNECT_TIMEOUT_S);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)HS_HTTP_TOTAL_TIMEOUT_S);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "hs-exec/" PACKAGE_VERSION);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request->method);
  headers = curl_slist_append(headers, "Accept: application/json");
  if (request->bearer != NULL) {
    hs_autosecret auth =
        g_strconcat("Authorization: Bearer ", request->bearer, NULL);
    headers = curl_slist_append(headers, auth);
  }
  if (request->body != NULL) {
    g_autofree char *ct =
        g_strconcat("Content-Type: ", request->content_type, NULL);
    headers = curl_slist_append(headers, ct);
    /* POSTFIELDS is not copied by curl: the caller's buffer, wiped by the
     * caller, is the only copy. */
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)request->body_len);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  rc = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
  free_headers(headers);
  response->body_len = sink.body->len;
  response->body = g_string_free(sink.body, FALSE);
  response->retry_after = sink.retry_after;
  if (rc != CURLE_OK) {
    const char *why = sink.too_big  ? "the response was larger than 1 MiB"
                      : *curl_error ? curl_error
                                    : curl_easy_strerror(rc);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK, "%s", why);
    return NULL;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
  return g_steal_pointer(&response);
}
