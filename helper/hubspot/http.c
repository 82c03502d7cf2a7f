/* SPDX-License-Identifier: MIT */
/* http.c — one HTTPS request over libcurl. */
#include "config.h"

#include <dlfcn.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "core/error.h"
#include "hubspot/http.h"
#include "core/secure.h"

/* libcurl is loaded on first use, not linked: with its TLS and protocol
 * libraries it is two thirds of hs-exec's start-up (10 ms of 15 on the
 * project's machines, bench/exec-cached), and hs-exec on a cached token
 * or a static token never makes a request. */
#define LIBCURL_SONAME "libcurl.so.4"

static struct {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL *curl);
  CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
  void (*easy_reset)(CURL *curl);
  void (*easy_cleanup)(CURL *curl);
  const char *(*easy_strerror)(CURLcode code);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
  void (*slist_free_all)(struct curl_slist *list);
  time_t (*getdate)(const char *date, const time_t *unused);
  CURLSH *(*share_init)(void);
  CURLSHcode (*share_setopt)(CURLSH *share, CURLSHoption option, ...);
} lib;
static char *lib_error;

static gboolean load_libcurl(GError **error) {
  static gsize once = 0;

  if (g_once_init_enter(&once)) {
    void *dl = dlopen(LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    const struct {
      const char *name;
      void **slot;
    } syms[] = {
        {"curl_global_init", (void **)&lib.global_init},
        {"curl_easy_init", (void **)&lib.easy_init},
        {"curl_easy_setopt", (void **)&lib.easy_setopt},
        {"curl_easy_perform", (void **)&lib.easy_perform},
        {"curl_easy_getinfo", (void **)&lib.easy_getinfo},
        {"curl_easy_reset", (void **)&lib.easy_reset},
        {"curl_easy_cleanup", (void **)&lib.easy_cleanup},
        {"curl_easy_strerror", (void **)&lib.easy_strerror},
        {"curl_slist_append", (void **)&lib.slist_append},
        {"curl_slist_free_all", (void **)&lib.slist_free_all},
        {"curl_getdate", (void **)&lib.getdate},
        {"curl_share_init", (void **)&lib.share_init},
        {"curl_share_setopt", (void **)&lib.share_setopt},
    };

    if (dl == NULL) lib_error = g_strdup(dlerror());
    for (size_t i = 0; dl != NULL && i < G_N_ELEMENTS(syms); i++) {
      *syms[i].slot = dlsym(dl, syms[i].name);
      if (*syms[i].slot == NULL && lib_error == NULL)
        lib_error =
            g_strdup_printf("%s lacks %s", LIBCURL_SONAME, syms[i].name);
    }
    if (lib_error == NULL) lib.global_init(CURL_GLOBAL_DEFAULT);
    g_once_init_leave(&once, 1);
  }
  if (lib_error != NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "cannot load libcurl (%s); reinstall libcurl4", lib_error);
    return FALSE;
  }
  return TRUE;
}

gint64 hs_http_parse_date(const char *date) {
  time_t t;

  if (date == NULL || !load_libcurl(NULL)) return -1;
  t = lib.getdate(date, NULL);
  return t == (time_t)-1 ? -1 : (gint64)t;
}

struct HsHttpClient {
  CURL *curl; /* reused, so that retries and follow-up calls keep the
                 connection */
  char *ca_file;
  long timeout_ms; /* the whole request; HS_HTTP_TOTAL_TIMEOUT_S unless set */
  gboolean untrusted; /* the last request: the certificate was refused */
};

typedef struct {
  GString *body;
  gboolean too_big;
  char *retry_after;
  char *date;
} Sink;

HsHttpClient *hs_http_client_new(const char *ca_file) {
  HsHttpClient *client = g_new0(HsHttpClient, 1);

  client->ca_file = g_strdup(ca_file);
  client->timeout_ms = HS_HTTP_TOTAL_TIMEOUT_S * 1000L;
  return client;
}

void hs_http_client_set_timeout_ms(HsHttpClient *client, long timeout_ms) {
  if (timeout_ms > 0) client->timeout_ms = timeout_ms;
}

gboolean hs_http_client_untrusted(const HsHttpClient *client) {
  return client->untrusted;
}

/* The failures of certificate verification, as opposed to the network. */
static gboolean is_trust_failure(CURLcode rc) {
  switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION: /* also CURLE_SSL_CACERT */
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return TRUE;
    default:
      return FALSE;
  }
}

void hs_http_client_disconnect(HsHttpClient *client) {
  if (client == NULL || client->curl == NULL) return;
  lib.easy_cleanup(client->curl);
  client->curl = NULL;
}

void hs_http_client_free(HsHttpClient *client) {
  if (client == NULL) return;
  hs_http_client_disconnect(client);
  g_free(client->ca_file);
  g_free(client);
}

/* Every connection close-on-exec: libcurl's own socket() call leaves it
 * open across the execve of a COMMAND started while it lives. */
static curl_socket_t open_socket(void *user_data, curlsocktype purpose,
                                 struct curl_sockaddr *address) {
  (void)user_data;
  (void)purpose;
  return socket(address->family, address->socktype | SOCK_CLOEXEC,
                address->protocol);
}

void hs_http_response_free(HsHttpResponse *response) {
  if (response == NULL) return;
  hs_secure_free_len(response->body, response->body_len);
  g_free(response->retry_after);
  g_free(response->date);
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

char *hs_http_header_value(const char *line, gsize len, const char *name) {
  size_t n = strlen(name);

  if (len <= n || strncasecmp(line, name, n) != 0) return NULL;
  return g_strstrip(g_strndup(line + n, len - n));
}

/* Keep the value of header `name` (with the colon) in *slot. */
static void take_header(const char *data, size_t len, const char *name,
                        char **slot) {
  char *value = hs_http_header_value(data, len, name);

  if (value != NULL) {
    g_free(*slot);
    *slot = value;
  }
}

static size_t on_header(char *data, size_t size, size_t n, void *user_data) {
  Sink *sink = user_data;
  size_t len = size * n;

  take_header(data, len, "retry-after:", &sink->retry_after);
  take_header(data, len, "date:", &sink->date);
  return len;
}

/* Wipe every header string (one of them carries the bearer token) before
 * curl frees the list. */
static void free_headers(struct curl_slist *headers) {
  for (struct curl_slist *h = headers; h != NULL; h = h->next)
    explicit_bzero(h->data, strlen(h->data));
  lib.slist_free_all(headers);
}

HsHttpResponse *hs_http_send(HsHttpClient *client, const HsHttpRequest *request,
                             GError **error) {
  g_autoptr(HsHttpResponse) response = g_new0(HsHttpResponse, 1);
  struct curl_slist *headers = NULL;
  char curl_error[CURL_ERROR_SIZE] = "";
  Sink sink = {g_string_sized_new(1024), FALSE, NULL, NULL};
  CURL *curl;
  CURLcode rc;

  client->untrusted = FALSE;
  if (!load_libcurl(error)) {
    g_string_free(sink.body, TRUE);
    return NULL;
  }
  if (client->curl == NULL) client->curl = lib.easy_init();
  curl = client->curl;
  lib.easy_reset(curl);
  lib.easy_setopt(curl, CURLOPT_URL, request->url);
  lib.easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  lib.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  lib.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  lib.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (client->ca_file != NULL)
    lib.easy_setopt(curl, CURLOPT_CAINFO, client->ca_file);
  lib.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                  (long)HS_HTTP_CONNECT_TIMEOUT_S);
  lib.easy_setopt(curl, CURLOPT_TIMEOUT_MS, client->timeout_ms);
  lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(curl, CURLOPT_USERAGENT, "hs-exec/" PACKAGE_VERSION);
  lib.easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  lib.easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  lib.easy_setopt(curl, CURLOPT_HEADERDATA, &sink);
  lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request->method);
  headers = lib.slist_append(headers, "Accept: application/json");
  if (request->bearer != NULL) {
    hs_autosecret auth =
        g_strconcat("Authorization: Bearer ", request->bearer, NULL);
    headers = lib.slist_append(headers, auth);
  }
  if (request->body != NULL) {
    g_autofree char *ct =
        g_strconcat("Content-Type: ", request->content_type, NULL);
    headers = lib.slist_append(headers, ct);
    /* POSTFIELDS is not copied by curl: the caller's buffer, wiped by the
     * caller, is the only copy. */
    lib.easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)request->body_len);
    lib.easy_setopt(curl, CURLOPT_POSTFIELDS, request->body);
  }
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  rc = lib.easy_perform(curl);
  client->untrusted = is_trust_failure(rc);
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
  free_headers(headers);
  response->body_len = sink.body->len;
  response->body = g_string_free(sink.body, FALSE);
  response->retry_after = sink.retry_after;
  response->date = sink.date;
  if (rc != CURLE_OK) {
    const char *why = sink.too_big  ? "the response was larger than 1 MiB"
                      : *curl_error ? curl_error
                                    : lib.easy_strerror(rc);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK, "%s", why);
    return NULL;
  }
  lib.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response->status);
  return g_steal_pointer(&response);
}

typedef struct {
  const HsHttpStream *stream;
  gboolean aborted;
} StreamState;

static size_t stream_read(char *buf, size_t size, size_t n, void *user_data) {
  StreamState *st = user_data;
  gssize got = st->stream->read_body(buf, size * n, st->stream->user_data);

  if (got < 0) {
    st->aborted = TRUE;
    return CURL_READFUNC_ABORT;
  }
  return (size_t)got;
}

static size_t stream_header(char *data, size_t size, size_t n,
                            void *user_data) {
  StreamState *st = user_data;

  if (!st->stream->on_header(data, size * n, st->stream->user_data)) {
    st->aborted = TRUE;
    return 0;
  }
  return size * n;
}

static size_t stream_body(char *data, size_t size, size_t n, void *user_data) {
  StreamState *st = user_data;

  if (!st->stream->on_body(data, size * n, st->stream->user_data)) {
    st->aborted = TRUE;
    return 0;
  }
  return size * n;
}

/* Called by libcurl at least once a second while a transfer runs. */
static int stream_progress(void *user_data, curl_off_t dltotal,
                           curl_off_t dlnow, curl_off_t ultotal,
                           curl_off_t ulnow) {
  StreamState *st = user_data;

  (void)dltotal;
  (void)dlnow;
  (void)ultotal;
  (void)ulnow;
  if (!g_atomic_int_get(st->stream->cancel)) return 0;
  st->aborted = TRUE;
  return 1;
}

/* The streamed transfers' upstream connections, TLS sessions and DNS
 * answers, kept between them: a request through hs-exec --proxy reuses an
 * idle connection to HubSpot instead of a new TCP and TLS handshake each
 * (8 ms of the 9 it added, bench/proxy-latency).  libcurl hands one
 * connection to one transfer at a time, and checks that a kept connection
 * was verified the same way before it reuses it.  Never freed: the process
 * ends with it. */
static GMutex share_locks[CURL_LOCK_DATA_LAST];

static void share_lock(CURL *curl, curl_lock_data data, curl_lock_access access,
                       void *user_data) {
  (void)curl;
  (void)access;
  (void)user_data;
  g_mutex_lock(&share_locks[data]);
}

static void share_unlock(CURL *curl, curl_lock_data data, void *user_data) {
  (void)curl;
  (void)user_data;
  g_mutex_unlock(&share_locks[data]);
}

static CURLSH *stream_share(void) {
  static gsize once = 0;
  static CURLSH *share;

  if (g_once_init_enter(&once)) {
    share = lib.share_init();
    if (share != NULL) {
      lib.share_setopt(share, CURLSHOPT_LOCKFUNC, share_lock);
      lib.share_setopt(share, CURLSHOPT_UNLOCKFUNC, share_unlock);
      lib.share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
      lib.share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
      lib.share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    }
    g_once_init_leave(&once, 1);
  }
  return share;
}

/* Stalled this long (under 1 byte/s), a streamed transfer is given up. */
#define HS_HTTP_STREAM_IDLE_S 60

gboolean hs_http_stream(const char *ca_file, const HsHttpStream *stream,
                        GError **error) {
  struct curl_slist *headers = NULL;
  char curl_error[CURL_ERROR_SIZE] = "";
  StreamState st = {stream, FALSE};
  CURL *curl;
  CURLcode rc;

  if (!load_libcurl(error)) return FALSE;
  curl = lib.easy_init();
  if (curl == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                "libcurl could not start a transfer");
    return FALSE;
  }
  lib.easy_setopt(curl, CURLOPT_URL, stream->url);
  if (stream_share() != NULL)
    lib.easy_setopt(curl, CURLOPT_SHARE, stream_share());
  lib.easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  lib.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  lib.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  lib.easy_setopt(curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  lib.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (ca_file != NULL) lib.easy_setopt(curl, CURLOPT_CAINFO, ca_file);
  lib.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                  (long)HS_HTTP_CONNECT_TIMEOUT_S);
  lib.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  lib.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, (long)HS_HTTP_STREAM_IDLE_S);
  lib.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  lib.easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  lib.easy_setopt(curl, CURLOPT_HEADERFUNCTION, stream_header);
  lib.easy_setopt(curl, CURLOPT_HEADERDATA, &st);
  lib.easy_setopt(curl, CURLOPT_WRITEFUNCTION, stream_body);
  lib.easy_setopt(curl, CURLOPT_WRITEDATA, &st);
  if (stream->body_len >= 0) {
    lib.easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    lib.easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                    (curl_off_t)stream->body_len);
    lib.easy_setopt(curl, CURLOPT_READFUNCTION, stream_read);
    lib.easy_setopt(curl, CURLOPT_READDATA, &st);
  }
  if (stream->cancel != NULL) {
    lib.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stream_progress);
    lib.easy_setopt(curl, CURLOPT_XFERINFODATA, &st);
    lib.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  }
  if (g_ascii_strcasecmp(stream->method, "HEAD") == 0)
    lib.easy_setopt(curl, CURLOPT_NOBODY, 1L);
  else
    lib.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, stream->method);
  /* curl's own defaults give way to what the client sent; no 100-continue
   * round trip of our own. */
  headers = lib.slist_append(headers, "Expect:");
  for (const char *const *h = stream->headers; h && *h; h++)
    headers = lib.slist_append(headers, *h);
  if (stream->bearer != NULL) {
    hs_autosecret auth =
        g_strconcat("Authorization: Bearer ", stream->bearer, NULL);
    headers = lib.slist_append(headers, auth);
  }
  lib.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

  rc = lib.easy_perform(curl);
  lib.easy_cleanup(curl);
  free_headers(headers);
  if (rc != CURLE_OK) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK, "%s",
                st.aborted    ? "the client went away"
                : *curl_error ? curl_error
                              : lib.easy_strerror(rc));
    return FALSE;
  }
  return TRUE;
}
