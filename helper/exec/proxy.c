/* SPDX-License-Identifier: MIT */
/* proxy.c — the loopback proxy of hs-exec --proxy. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "core/secure.h"
#include "exec/proxy-request.h"
#include "exec/proxy.h"
#include "hubspot/http.h"

/* Response header bytes accepted from upstream. */
#define MAX_RESPONSE_HEAD (64 * 1024)
/* Connections refused with a 503 whose request is drained before they are
 * closed (a close with unread bytes would reset the connection and could
 * take the 503 with it), and for how long at most. */
#define MAX_REFUSED 64
#define REFUSED_LINGER_US (1 * G_USEC_PER_SEC)
/* Out of descriptors, accepting pauses this long. */
#define ACCEPT_PAUSE_US (100 * 1000)

typedef struct Conn Conn;

struct HsProxy {
  char *upstream;           /* "https://host[:port]", no trailing '/' */
  char *upstream_authority; /* "host[:port]" */
  char *ca_file;
  char *placeholder; /* SECRET */
  HsProxyTokenFunc get_token;
  gpointer user_data;
  guint max_connections;
  gint64 head_timeout_us;
  char *busy; /* the whole 503 answer beyond max_connections */
  guint16 port;
  char *self[2]; /* "127.0.0.1:PORT", "localhost:PORT" */
  int listen_fd;
  int wake_fd; /* eventfd: hs_proxy_stop() ends the accept thread */
  GThread *thread;
  gint stopping; /* atomic: aborts the requests upstream */

  GMutex lock;      /* guards what follows */
  GCond idle;       /* the last connection ended */
  GPtrArray *conns; /* Conn*, each served by a thread of its own */
  char *forced;     /* SECRET: what the last forced refresh gave, or NULL */
};

char *hs_proxy_new_placeholder(void) {
  guint8 raw[24];
  GString *s = g_string_new("hs-exec-proxy-");
  gsize got = 0;

  while (got < sizeof raw) {
    ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
    if (n < 0 && errno == EINTR) continue;
    g_assert(n > 0); /* getrandom(2) on Linux >= 3.17 does not fail */
    got += (gsize)n;
  }
  for (gsize i = 0; i < sizeof raw; i++)
    g_string_append_printf(s, "%02x", raw[i]);
  explicit_bzero(raw, sizeof raw);
  return g_string_free(s, FALSE);
}

guint16 hs_proxy_port(const HsProxy *proxy) { return proxy->port; }

/* ---- one connection ---- */

struct Conn {
  HsProxy *proxy;
  int fd;
  const char *leftover; /* body bytes read with the head */
  gsize leftover_len;
  gint64 body_left;
  GString *head; /* the response head being collected */
  int status;
  char *reason;
  gboolean head_sent;
  /* Whether the connection serves another request after this one: the
   * client asked for it (HTTP/1.1 without "Connection: close") and the
   * response's end can be told (a Content-Length, no body, or chunks of
   * our own). */
  gboolean keep_alive;
  gboolean no_body;     /* HEAD, 204, 304: the head is the whole answer */
  gboolean has_length;  /* upstream sent a Content-Length */
  gboolean upstream_te; /* upstream sent a Transfer-Encoding */
  gboolean chunked;     /* the body goes to the client in chunks */
  /* A request without a body may be sent again: a 401 is held back (up to
   * MAX_HELD bytes) until a fresh token is known to be no better. */
  gboolean may_retry;
  gboolean holding;
  GString *held;
};

#define MAX_HELD (64 * 1024)

/* `more` (MSG_MORE): what follows at once joins these bytes in one segment.
 * Without it they go now: the socket has TCP_NODELAY, since a kept-alive
 * client waiting for the last piece of an answer would otherwise wait for
 * its own delayed ACK (40 ms) first. */
static gboolean send_more(Conn *c, const char *data, gsize len, int more) {
  while (len > 0) {
    ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL | more);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return FALSE;
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

static gboolean send_all(Conn *c, const char *data, gsize len) {
  return send_more(c, data, len, 0);
}

/* Answer with an error of HubSpot's shape, saying it came from hs-exec;
 * `extra` is more header lines ("Name: value\r\n"), or "". */
static char *error_answer(int status, const char *reason, const char *extra,
                          const char *message) {
  g_autofree char *msg = g_strescape(message, NULL);
  g_autofree char *body = g_strdup_printf(
      "{\"status\":\"error\",\"message\":\"hs-exec --proxy: %s\","
      "\"category\":\"HS_EXEC_PROXY\"}\n",
      msg);

  return g_strdup_printf(
      "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n%s"
      "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
      status, reason, extra, strlen(body), body);
}

/* Our own answers close the connection (their head says so). */
static void respond_with(Conn *c, int status, const char *reason,
                         const char *extra, const char *message) {
  g_autofree char *answer = error_answer(status, reason, extra, message);

  c->keep_alive = FALSE;
  send_all(c, answer, strlen(answer));
}

static void respond(Conn *c, int status, const char *reason,
                    const char *message) {
  respond_with(c, status, reason, "", message);
}

static gboolean is_hop_by_hop(const char *name, gsize len) {
  static const char *const hop[] = {"connection",
                                    "keep-alive",
                                    "proxy-connection",
                                    "proxy-authenticate",
                                    "proxy-authorization",
                                    "te",
                                    "trailer",
                                    "transfer-encoding",
                                    "upgrade",
                                    NULL};
  for (const char *const *h = hop; *h; h++)
    if (strlen(*h) == len && g_ascii_strncasecmp(name, *h, len) == 0)
      return TRUE;
  return FALSE;
}

static gssize read_body(char *buf, gsize len, gpointer user_data) {
  Conn *c = user_data;
  gsize want = (gsize)MIN((gint64)len, c->body_left);
  gssize n;

  if (want == 0) return 0;
  if (c->leftover_len > 0) {
    n = (gssize)MIN(want, c->leftover_len);
    memcpy(buf, c->leftover, (gsize)n);
    c->leftover += n;
    c->leftover_len -= (gsize)n;
  } else {
    do n = recv(c->fd, buf, want, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return -1; /* the client went away mid-body, or stalled */
  }
  c->body_left -= n;
  return n;
}

/* libcurl has undone upstream's chunks, so the body keeps its length or
 * gets chunks of ours; else (an HTTP/1.0 client, or a length and chunks at
 * once) the connection's close ends it. */
static gboolean send_head(Conn *c) {
  g_autofree char *line =
      g_strdup_printf("HTTP/1.1 %d %s\r\n", c->status, c->reason);

  c->head_sent = TRUE;
  c->no_body = c->no_body || c->status == 204 || c->status == 304;
  if (c->keep_alive && !c->no_body && !(c->has_length && !c->upstream_te)) {
    if (c->has_length)
      c->keep_alive = FALSE;
    else
      c->chunked = TRUE;
  }
  if (c->chunked) g_string_append(c->head, "Transfer-Encoding: chunked\r\n");
  if (!c->keep_alive) g_string_append(c->head, "Connection: close\r\n");
  g_string_append(c->head, "\r\n");
  return send_more(c, line, strlen(line), MSG_MORE) &&
         send_more(c, c->head->str, c->head->len, c->no_body ? 0 : MSG_MORE);
}

static gboolean send_body(Conn *c, const char *data, gsize len) {
  char size[32];

  if (!c->chunked) return send_all(c, data, len);
  if (len == 0) return TRUE; /* a chunk of 0 would end the body */
  g_snprintf(size, sizeof size, "%zx\r\n", len);
  return send_more(c, size, strlen(size), MSG_MORE) &&
         send_more(c, data, len, MSG_MORE) && send_all(c, "\r\n", 2);
}

/* After the whole body went out: the last chunk, or (setting TCP_NODELAY
 * pushes what MSG_MORE held, tcp(7)) an empty body's head. */
static gboolean end_body(Conn *c) {
  if (c->chunked) return send_all(c, "0\r\n\r\n", 5);
  (void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
  return TRUE;
}

static gboolean on_header(const char *line, gsize len, gpointer user_data) {
  Conn *c = user_data;
  const char *colon;

  if (len >= 5 && memcmp(line, "HTTP/", 5) == 0) {
    /* "HTTP/1.1 200 OK\r\n": a new head (after a 1xx, there is another) */
    const char *sp = memchr(line, ' ', len);
    g_autofree char *rest = NULL;

    g_string_truncate(c->head, 0);
    g_clear_pointer(&c->reason, g_free);
    c->has_length = c->upstream_te = FALSE;
    if (sp == NULL) return FALSE;
    rest = g_strstrip(g_strndup(sp + 1, len - (gsize)(sp + 1 - line)));
    c->status = (int)g_ascii_strtoll(rest, NULL, 10);
    c->reason = g_strdup(strlen(rest) > 4 ? rest + 4 : "");
    return c->status >= 100 && c->status <= 999;
  }
  if (len <= 2 && (len == 0 || line[0] == '\r' || line[0] == '\n')) {
    if (c->status < 200) return TRUE; /* 1xx: ours to swallow */
    if (c->status == 401 && c->may_retry) {
      c->holding = TRUE;
      return TRUE;
    }
    return send_head(c);
  }
  colon = memchr(line, ':', len);
  if (colon == NULL) return TRUE;
  if (colon - line == 17 &&
      g_ascii_strncasecmp(line, "transfer-encoding", 17) == 0)
    c->upstream_te = TRUE;
  if (colon - line == 14 &&
      g_ascii_strncasecmp(line, "content-length", 14) == 0)
    c->has_length = TRUE;
  if (is_hop_by_hop(line, (gsize)(colon - line))) return TRUE;
  if (c->head->len + len > MAX_RESPONSE_HEAD) return FALSE;
  g_string_append_len(c->head, line, (gssize)len);
  return TRUE;
}

static gboolean on_body(const char *data, gsize len, gpointer user_data) {
  Conn *c = user_data;

  if (c->holding) {
    if (c->held->len + len > MAX_HELD) return FALSE;
    g_string_append_len(c->held, data, (gssize)len);
    return TRUE;
  }
  return send_body(c, data, len);
}

/* The path to ask upstream for, or NULL when the target names another host
 * (absolute-form to anything but us, authority-form, "*"). */
static const char *target_path(const HsProxy *p, const char *target) {
  const char *rest, *slash;
  gsize n;

  if (target[0] == '/') return target;
  if (g_ascii_strncasecmp(target, "http://", 7) == 0)
    rest = target + 7;
  else if (g_ascii_strncasecmp(target, "https://", 8) == 0)
    rest = target + 8;
  else
    return NULL;
  slash = strchr(rest, '/');
  n = slash ? (gsize)(slash - rest) : strlen(rest);
  for (int i = 0; i < 2; i++)
    if (strlen(p->self[i]) == n &&
        g_ascii_strncasecmp(rest, p->self[i], n) == 0)
      return slash ? slash : "/";
  if (strlen(p->upstream_authority) == n &&
      g_ascii_strncasecmp(rest, p->upstream_authority, n) == 0)
    return slash ? slash : "/";
  return NULL;
}

static gboolean host_allowed(const HsProxy *p, const char *host) {
  return host == NULL || g_ascii_strcasecmp(host, p->self[0]) == 0 ||
         g_ascii_strcasecmp(host, p->self[1]) == 0 ||
         g_ascii_strcasecmp(host, p->upstream_authority) == 0;
}

/* Those of HubSpot's API, as HS_PROXY_METHODS lists them (methods are case
 * sensitive).  TRACE above all stays out: a server on the way that reflects
 * it would show COMMAND the real Authorization. */
static gboolean method_allowed(const char *method) {
  static const char *const allowed[] = {"GET",   "HEAD",   "POST", "PUT",
                                        "PATCH", "DELETE", NULL};
  for (const char *const *m = allowed; *m; m++)
    if (strcmp(method, *m) == 0) return TRUE;
  return FALSE;
}

/* Constant time, so the placeholder cannot be guessed byte by byte. */
static gboolean authorized(const HsProxy *p, const char *auth) {
  gsize n = strlen(p->placeholder);
  guint8 diff = 0;

  if (auth == NULL || g_ascii_strncasecmp(auth, "Bearer ", 7) != 0)
    return FALSE;
  auth += 7;
  while (*auth == ' ') auth++;
  if (strlen(auth) != n) return FALSE;
  for (gsize i = 0; i < n; i++) diff |= (guint8)(auth[i] ^ p->placeholder[i]);
  return diff == 0;
}

/* Whether `token` came from a refresh a 401 forced: COMMAND could force
 * one per request otherwise, and a token HubSpot refuses just after it was
 * made will not do better after another. */
static gboolean was_forced(HsProxy *p, const char *token) {
  gboolean forced;

  g_mutex_lock(&p->lock);
  forced = p->forced != NULL && strcmp(p->forced, token) == 0;
  g_mutex_unlock(&p->lock);
  return forced;
}

static void remember_forced(HsProxy *p, const char *token) {
  g_mutex_lock(&p->lock);
  hs_secure_free(p->forced);
  p->forced = hs_secure_dup(token);
  g_mutex_unlock(&p->lock);
}

static void serve(HsProxy *p, Conn *c, const HsProxyRequest *req,
                  const char *path) {
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat(p->upstream, path, NULL);
  hs_autosecret token = NULL;
  const char *expect = hs_proxy_request_header(req, "Expect");
  const char *connection = hs_proxy_request_header(req, "Connection");
  HsHttpStream stream = {0};

  for (guint i = 0; i < req->headers->len; i++) {
    const HsProxyHeader *h = g_ptr_array_index(req->headers, i);
    const char *n = h->name;
    if (is_hop_by_hop(n, strlen(n)) || !g_ascii_strcasecmp(n, "Host") ||
        !g_ascii_strcasecmp(n, "Authorization") ||
        !g_ascii_strcasecmp(n, "Content-Length") ||
        !g_ascii_strcasecmp(n, "Expect") ||
        (connection && strcasestr(connection, n) != NULL))
      continue;
    g_ptr_array_add(headers, g_strdup_printf("%s: %s", n, h->value));
  }
  g_ptr_array_add(headers, NULL);

  token = p->get_token(p->user_data, NULL, &error);
  if (token == NULL) {
    respond(c, 502, "Bad Gateway", error->message);
    return;
  }
  if (expect && g_ascii_strcasecmp(expect, "100-continue") == 0)
    send_all(c, "HTTP/1.1 100 Continue\r\n\r\n", 25);
  stream.method = req->method;
  stream.url = url;
  stream.bearer = token;
  stream.headers = (const char *const *)headers->pdata;
  stream.body_len = req->content_length;
  stream.read_body = read_body;
  stream.on_header = on_header;
  stream.on_body = on_body;
  stream.user_data = c;
  stream.cancel = &p->stopping;
  c->body_left = MAX(req->content_length, 0);
  c->may_retry = req->content_length <= 0 && !was_forced(p, token);
  c->no_body = strcmp(req->method, "HEAD") == 0;
  c->held = g_string_new(NULL);
  for (;;) {
    gboolean sent = hs_http_stream(p->ca_file, &stream, &error);

    if (sent && c->holding) {
      /* HubSpot refused the token (revoked, rotated, expired early): once,
       * with a fresh one if there is one, else its 401 as it was. */
      hs_autosecret fresh = p->get_token(p->user_data, token, NULL);
      c->may_retry = FALSE;
      c->holding = FALSE;
      if (fresh != NULL && strcmp(fresh, token) != 0) {
        remember_forced(p, fresh);
        hs_secure_clear(&token);
        token = g_steal_pointer(&fresh);
        stream.bearer = token;
        g_string_truncate(c->held, 0);
        continue;
      }
      if (!send_head(c) || !send_body(c, c->held->str, c->held->len))
        sent = FALSE;
    } else if (!sent && !c->head_sent) {
      g_autofree char *msg =
          g_strdup_printf("HubSpot could not be reached: %s", error->message);
      respond(c, 502, "Bad Gateway", msg);
    }
    /* A response cut short can only end with the connection. */
    if (!sent || !c->head_sent || !end_body(c)) c->keep_alive = FALSE;
    break;
  }
  g_string_free(c->held, TRUE);
}

/* Read a request head into `buf` (`*len` bytes so far: what a client that
 * pipelines sent after the last request), all of it within the head
 * deadline: a client trickling bytes cannot hold the connection longer,
 * nor an idle kept-alive one.  OK with *ret_request, or the status to
 * answer (0: none, the client went away). */
static HsProxyParse read_head(HsProxy *p, Conn *c, char *buf, gsize *len,
                              HsProxyRequest **ret_request, int *ret_status) {
  gint64 deadline = g_get_monotonic_time() + p->head_timeout_us;
  HsProxyParse r = HS_PROXY_PARSE_INCOMPLETE;
  HsProxyRequestParser parser;

  hs_proxy_request_parser_init(&parser);
  if (*len > 0)
    r = hs_proxy_request_parser_feed(&parser, buf, *len, ret_request,
                                     ret_status);
  while (r == HS_PROXY_PARSE_INCOMPLETE) {
    gint64 left = deadline - g_get_monotonic_time();
    struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
    ssize_t n;

    if (left <= 0) {
      *ret_status = 408;
      r = HS_PROXY_PARSE_ERROR;
      break;
    }
    if (poll(&pfd, 1, (int)((left + 999) / 1000)) <= 0) continue;
    n = recv(c->fd, buf + *len, HS_PROXY_MAX_HEAD - *len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *ret_status = 0;
      r = HS_PROXY_PARSE_ERROR;
      break;
    }
    *len += (gsize)n;
    r = hs_proxy_request_parser_feed(&parser, buf, *len, ret_request,
                                     ret_status);
  }
  hs_proxy_request_parser_clear(&parser);
  return r;
}

static const char *reason_of(int status) {
  switch (status) {
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 501:
      return "Not Implemented";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Bad Request";
  }
}

/* One request of the connection: FALSE when it must close after it. */
static gboolean serve_request(HsProxy *p, Conn *c, char *buf, gsize *len,
                              gboolean first) {
  g_autoptr(HsProxyRequest) req = NULL;
  int status = 0;
  const char *path;
  const char *connection;

  if (read_head(p, c, buf, len, &req, &status) != HS_PROXY_PARSE_OK) {
    g_autofree char *msg = status == 408
                               ? g_strdup_printf(
                                     "the request head did not arrive "
                                     "within %" G_GINT64_FORMAT " ms",
                                     p->head_timeout_us / 1000)
                               : g_strdup("the request could not be read");
    /* A kept-alive connection that stayed idle just closes. */
    if (status == 408 && !first && *len == 0) status = 0;
    if (status != 0) respond(c, status, reason_of(status), msg);
    return FALSE;
  }
  connection = hs_proxy_request_header(req, "Connection");
  c->keep_alive = req->minor == 1 &&
                  !(connection && strcasestr(connection, "close") != NULL);
  c->head_sent = c->chunked = c->holding = FALSE;
  c->status = 0;
  c->leftover = buf + req->head_len;
  c->leftover_len = *len - req->head_len;
  c->body_left = 0;
  path = target_path(p, req->target);
  if (!method_allowed(req->method)) {
    g_autofree char *msg = g_strdup_printf(
        "%s is not forwarded: only HubSpot's API methods are (%s)", req->method,
        HS_PROXY_METHODS);
    respond_with(c, 405, "Method Not Allowed",
                 "Allow: " HS_PROXY_METHODS "\r\n", msg);
  } else if (path == NULL ||
             !host_allowed(p, hs_proxy_request_header(req, "Host"))) {
    respond(c, 403, "Forbidden",
            "only the HubSpot API is reachable through this proxy");
  } else if (!authorized(p, hs_proxy_request_header(req, "Authorization"))) {
    respond(c, 401, "Unauthorized",
            "send the token from HUBSPOT_ACCESS_TOKEN as 'Authorization: "
            "Bearer'");
  } else if (req->chunked) {
    respond(c, 411, "Length Required",
            "send request bodies with a Content-Length");
  } else {
    serve(p, c, req, path);
  }
  /* The next request starts where this one's body ended. */
  if (!c->keep_alive || c->body_left != 0) return FALSE;
  memmove(buf, c->leftover, c->leftover_len);
  *len = c->leftover_len;
  explicit_bzero(buf + *len, HS_PROXY_MAX_HEAD - *len);
  return TRUE;
}

/* Requests one after another while the client keeps the connection. */
static void serve_connection(HsProxy *p, Conn *c) {
  char buf[HS_PROXY_MAX_HEAD];
  gsize len = 0;
  struct timeval idle = {.tv_sec = HS_PROXY_CLIENT_TIMEOUT_S};

  /* Once the head is in: a client silent this long is dropped. */
  setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
  setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &idle, sizeof idle);
  for (gboolean first = TRUE; serve_request(p, c, buf, &len, first);
       first = FALSE)
    if (g_atomic_int_get(&p->stopping)) break;
  explicit_bzero(buf, sizeof buf);
}

static gpointer conn_main(gpointer data) {
  Conn *c = data;
  HsProxy *p = c->proxy;

  c->head = g_string_new(NULL);
  serve_connection(p, c);
  g_string_free(c->head, TRUE);
  g_free(c->reason);
  /* Closed under the lock, so that hs_proxy_stop() never shuts down a
   * descriptor number already reused; after the unlock, p may be gone. */
  g_mutex_lock(&p->lock);
  g_ptr_array_remove_fast(p->conns, c);
  close(c->fd);
  if (p->conns->len == 0) g_cond_broadcast(&p->idle);
  g_mutex_unlock(&p->lock);
  g_free(c);
  return NULL;
}

/* ---- accepting ---- */

typedef struct {
  int fd;
  gint64 until;
} Refused;

/* A thread for `fd` if fewer than max_connections are served; FALSE
 * leaves `fd` to the caller. */
static gboolean admit(HsProxy *p, int fd) {
  Conn *c;
  GThread *thread;

  g_mutex_lock(&p->lock);
  if (p->conns->len >= p->max_connections) {
    g_mutex_unlock(&p->lock);
    return FALSE;
  }
  c = g_new0(Conn, 1);
  c->proxy = p;
  c->fd = fd;
  g_ptr_array_add(p->conns, c);
  g_mutex_unlock(&p->lock);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
  thread = g_thread_try_new("hs-proxy-conn", conn_main, c, NULL);
  if (thread != NULL) {
    g_thread_unref(thread); /* hs_proxy_stop() waits on p->conns instead */
    return TRUE;
  }
  g_mutex_lock(&p->lock);
  g_ptr_array_remove_fast(p->conns, c);
  g_mutex_unlock(&p->lock);
  g_free(c);
  return FALSE;
}

/* The 503, then the client's request drained for a while before the close
 * (in `refused`, when there is room). */
static void refuse(HsProxy *p, int fd, Refused *refused, guint *n_refused) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  if (send(fd, p->busy, strlen(p->busy), MSG_NOSIGNAL) < 0 ||
      shutdown(fd, SHUT_WR) != 0 || *n_refused >= MAX_REFUSED) {
    close(fd);
    return;
  }
  refused[*n_refused].fd = fd;
  refused[*n_refused].until = g_get_monotonic_time() + REFUSED_LINGER_US;
  (*n_refused)++;
}

/* FALSE once the client has closed (or reset) its side. */
static gboolean drain(int fd) {
  char scratch[4096];

  for (;;) {
    ssize_t n = recv(fd, scratch, sizeof scratch, 0);
    if (n > 0) continue;
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
}

static void accept_all(HsProxy *p, Refused *refused, guint *n_refused,
                       gint64 *paused_until) {
  for (;;) {
    int fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        *paused_until = g_get_monotonic_time() + ACCEPT_PAUSE_US;
      return;
    }
    if (!admit(p, fd)) refuse(p, fd, refused, n_refused);
  }
}

static int ms_until(gint64 when, gint64 now) {
  return when <= now ? 0 : (int)MIN((when - now + 999) / 1000, G_MAXINT);
}

/* Our own accept loop, not GLib's socket service: that one paused at its
 * thread limit and resumed from the global default main context, which
 * nothing in hs-exec runs, so it stopped accepting for good. */
static gpointer accept_main(gpointer data) {
  HsProxy *p = data;
  Refused refused[MAX_REFUSED];
  guint n_refused = 0;
  gint64 paused_until = 0;

  for (;;) {
    struct pollfd fds[2 + MAX_REFUSED];
    gint64 now = g_get_monotonic_time();
    gboolean listening = now >= paused_until;
    nfds_t n = 0, first_refused;
    int timeout = listening ? -1 : ms_until(paused_until, now);
    guint kept = 0;

    fds[n++] = (struct pollfd){.fd = p->wake_fd, .events = POLLIN};
    if (listening)
      fds[n++] = (struct pollfd){.fd = p->listen_fd, .events = POLLIN};
    first_refused = n;
    for (guint i = 0; i < n_refused; i++) {
      int wait = ms_until(refused[i].until, now);
      fds[n++] = (struct pollfd){.fd = refused[i].fd, .events = POLLIN};
      if (timeout < 0 || wait < timeout) timeout = wait;
    }
    if (poll(fds, n, timeout) < 0 && errno != EINTR) {
      g_usleep(ACCEPT_PAUSE_US); /* ENOMEM: try again a little later */
      continue;
    }
    if (fds[0].revents != 0) break;
    now = g_get_monotonic_time();
    for (guint i = 0; i < n_refused; i++) {
      gboolean open =
          fds[first_refused + i].revents == 0 || drain(refused[i].fd);
      if (open && now < refused[i].until)
        refused[kept++] = refused[i];
      else
        close(refused[i].fd);
    }
    n_refused = kept;
    if (listening && (fds[1].revents & POLLIN))
      accept_all(p, refused, &n_refused, &paused_until);
  }
  for (guint i = 0; i < n_refused; i++) close(refused[i].fd);
  return NULL;
}

/* ---- start and stop ---- */

static void proxy_free(HsProxy *p) {
  g_free(p->upstream);
  g_free(p->upstream_authority);
  g_free(p->ca_file);
  hs_secure_free(p->placeholder);
  hs_secure_free(p->forced);
  g_free(p->busy);
  g_free(p->self[0]);
  g_free(p->self[1]);
  hs_fd_close(&p->listen_fd);
  hs_fd_close(&p->wake_fd);
  if (p->conns != NULL) g_ptr_array_free(p->conns, TRUE);
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->idle);
  g_free(p);
}

/* A listening socket on 127.0.0.1 at a port the kernel picks. */
static gboolean listen_loopback(HsProxy *p, GError **error) {
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t addr_len = sizeof addr;

  p->listen_fd =
      socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
  p->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (p->listen_fd < 0 || p->wake_fd < 0 ||
      bind(p->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
      listen(p->listen_fd, SOMAXCONN) != 0 ||
      getsockname(p->listen_fd, (struct sockaddr *)&addr, &addr_len) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "--proxy cannot listen on 127.0.0.1: %s; check the loopback "
                "interface and the limit on open files (ulimit -n)",
                g_strerror(errno));
    return FALSE;
  }
  p->port = ntohs(addr.sin_port);
  return TRUE;
}

HsProxy *hs_proxy_start(const char *upstream, const char *ca_file,
                        const char *placeholder, const HsProxyLimits *limits,
                        HsProxyTokenFunc get_token, gpointer user_data,
                        GError **error) {
  HsProxy *p = g_new0(HsProxy, 1);
  const char *auth = strstr(upstream, "://");
  const char *slash;
  g_autofree char *busy_msg = NULL;

  p->listen_fd = -1;
  p->wake_fd = -1;
  p->upstream = g_strdup(upstream);
  auth = auth ? auth + 3 : upstream;
  slash = strchr(auth, '/');
  p->upstream_authority =
      slash ? g_strndup(auth, (gsize)(slash - auth)) : g_strdup(auth);
  p->ca_file = g_strdup(ca_file);
  p->placeholder = hs_secure_dup(placeholder);
  p->get_token = get_token;
  p->user_data = user_data;
  p->max_connections = limits && limits->max_connections
                           ? limits->max_connections
                           : HS_PROXY_MAX_CONNECTIONS;
  p->head_timeout_us = limits && limits->head_timeout_ms
                           ? (gint64)limits->head_timeout_ms * 1000
                           : (gint64)HS_PROXY_HEAD_TIMEOUT_S * G_USEC_PER_SEC;
  busy_msg = g_strdup_printf(
      "%u connections are open, the most it serves at once; retry when one "
      "has closed",
      p->max_connections);
  p->busy =
      error_answer(503, "Service Unavailable", "Retry-After: 1\r\n", busy_msg);
  p->conns = g_ptr_array_new();
  g_mutex_init(&p->lock);
  g_cond_init(&p->idle);
  if (!listen_loopback(p, error)) {
    proxy_free(p);
    return NULL;
  }
  p->self[0] = g_strdup_printf("127.0.0.1:%u", p->port);
  p->self[1] = g_strdup_printf("localhost:%u", p->port);
  p->thread = g_thread_new("hs-proxy", accept_main, p);
  return p;
}

void hs_proxy_stop(HsProxy *proxy) {
  if (proxy == NULL) return;
  g_atomic_int_set(&proxy->stopping, 1);
  eventfd_write(proxy->wake_fd, 1);
  g_thread_join(proxy->thread);
  /* No more connections: those still in the backlog are reset. */
  hs_fd_close(&proxy->listen_fd);
  g_mutex_lock(&proxy->lock);
  for (guint i = 0; i < proxy->conns->len; i++) {
    const Conn *c = g_ptr_array_index(proxy->conns, i);
    shutdown(c->fd, SHUT_RDWR);
  }
  while (proxy->conns->len > 0) g_cond_wait(&proxy->idle, &proxy->lock);
  g_mutex_unlock(&proxy->lock);
  proxy_free(proxy);
}
