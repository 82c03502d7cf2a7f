/* SPDX-License-Identifier: MIT */
/* proxy.c — the loopback proxy of hs-exec --proxy. */
#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/random.h>

#include "core/error.h"
#include "hubspot/http.h"
#include "exec/proxy-request.h"
#include "exec/proxy.h"
#include "core/secure.h"

/* Response header bytes accepted from upstream. */
#define MAX_RESPONSE_HEAD (64 * 1024)

struct HsProxy {
  char *upstream;           /* "https://host[:port]", no trailing '/' */
  char *upstream_authority; /* "host[:port]" */
  char *ca_file;
  char *placeholder;
  HsProxyTokenFunc get_token;
  gpointer user_data;
  guint16 port;
  char *self[2]; /* "127.0.0.1:PORT", "localhost:PORT" */

  GThread *thread;
  GMainContext *ctx;
  GMainLoop *loop;
  GMutex lock;
  GCond cond;
  gboolean ready;
  GError *start_error;
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

typedef struct {
  HsProxy *proxy;
  GInputStream *in;
  GOutputStream *out;
  const char *leftover; /* body bytes read with the head */
  gsize leftover_len;
  gint64 body_left;
  GString *head; /* the response head being collected */
  int status;
  char *reason;
  gboolean head_sent;
  /* A request without a body may be sent again: a 401 is held back (up to
   * MAX_HELD bytes) until a fresh token is known to be no better. */
  gboolean may_retry;
  gboolean holding;
  GString *held;
} Conn;

#define MAX_HELD (64 * 1024)

static gboolean send_all(Conn *c, const char *data, gsize len) {
  return g_output_stream_write_all(c->out, data, len, NULL, NULL, NULL);
}

/* Answer with an error of HubSpot's shape, saying it came from hs-exec. */
static void respond(Conn *c, int status, const char *reason,
                    const char *message) {
  g_autofree char *msg = g_strescape(message, NULL);
  g_autofree char *body = g_strdup_printf(
      "{\"status\":\"error\",\"message\":\"hs-exec --proxy: %s\","
      "\"category\":\"HS_EXEC_PROXY\"}\n",
      msg);
  g_autofree char *head = g_strdup_printf(
      "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
      status, reason, strlen(body));

  if (send_all(c, head, strlen(head))) send_all(c, body, strlen(body));
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
    n = g_input_stream_read(c->in, buf, want, NULL, NULL);
    if (n <= 0) return -1; /* the client went away mid-body */
  }
  c->body_left -= n;
  return n;
}

static gboolean send_head(Conn *c) {
  g_autofree char *line =
      g_strdup_printf("HTTP/1.1 %d %s\r\n", c->status, c->reason);

  c->head_sent = TRUE;
  g_string_append(c->head, "Connection: close\r\n\r\n");
  return send_all(c, line, strlen(line)) &&
         send_all(c, c->head->str, c->head->len);
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
  if (colon == NULL || is_hop_by_hop(line, (gsize)(colon - line))) return TRUE;
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
  return send_all(c, data, len);
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
  c->body_left = MAX(req->content_length, 0);
  c->may_retry = req->content_length <= 0;
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
        hs_secure_clear(&token);
        token = g_steal_pointer(&fresh);
        stream.bearer = token;
        g_string_truncate(c->held, 0);
        continue;
      }
      if (send_head(c)) send_all(c, c->held->str, c->held->len);
    } else if (!sent && !c->head_sent) {
      g_autofree char *msg =
          g_strdup_printf("HubSpot could not be reached: %s", error->message);
      respond(c, 502, "Bad Gateway", msg);
    }
    break;
  }
  g_string_free(c->held, TRUE);
}

static gboolean on_run(GThreadedSocketService *service,
                       GSocketConnection *connection, GObject *source,
                       gpointer user_data) {
  HsProxy *p = user_data;
  char buf[HS_PROXY_MAX_HEAD];
  gsize len = 0;
  g_autoptr(HsProxyRequest) req = NULL;
  HsProxyParse r = HS_PROXY_PARSE_INCOMPLETE;
  int status = 400;
  const char *path;
  Conn c = {.proxy = p};

  (void)service;
  (void)source;
  g_socket_set_timeout(g_socket_connection_get_socket(connection),
                       HS_PROXY_CLIENT_TIMEOUT_S);
  c.in = g_io_stream_get_input_stream(G_IO_STREAM(connection));
  c.out = g_io_stream_get_output_stream(G_IO_STREAM(connection));
  c.head = g_string_new(NULL);
  while (r == HS_PROXY_PARSE_INCOMPLETE && len < sizeof buf) {
    gssize n =
        g_input_stream_read(c.in, buf + len, sizeof buf - len, NULL, NULL);
    if (n <= 0) goto out;
    len += (gsize)n;
    r = hs_proxy_request_parse(buf, len, &req, &status);
  }
  if (r != HS_PROXY_PARSE_OK) {
    respond(&c, status,
            status == 431   ? "Request Header Fields Too Large"
            : status == 501 ? "Not Implemented"
            : status == 505 ? "HTTP Version Not Supported"
                            : "Bad Request",
            "the request could not be read");
    goto out;
  }
  c.leftover = buf + req->head_len;
  c.leftover_len = len - req->head_len;
  path = target_path(p, req->target);
  if (g_ascii_strcasecmp(req->method, "CONNECT") == 0) {
    respond(&c, 405, "Method Not Allowed",
            "CONNECT is refused: only the HubSpot API is reachable");
  } else if (path == NULL ||
             !host_allowed(p, hs_proxy_request_header(req, "Host"))) {
    respond(&c, 403, "Forbidden",
            "only the HubSpot API is reachable through this proxy");
  } else if (!authorized(p, hs_proxy_request_header(req, "Authorization"))) {
    respond(&c, 401, "Unauthorized",
            "send the token from HUBSPOT_ACCESS_TOKEN as 'Authorization: "
            "Bearer'");
  } else if (req->chunked) {
    respond(&c, 411, "Length Required",
            "send request bodies with a Content-Length");
  } else {
    serve(p, &c, req, path);
  }
out:
  explicit_bzero(buf, sizeof buf);
  g_string_free(c.head, TRUE);
  g_free(c.reason);
  g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
  return TRUE;
}

/* ---- the server thread ---- */

static gpointer server_main(gpointer data) {
  HsProxy *p = data;
  GSocketService *service;
  g_autoptr(GInetAddress) lo =
      g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default(p->ctx);
  service = g_threaded_socket_service_new(HS_PROXY_MAX_CONNECTIONS);
  if (!g_socket_listener_add_address(
          G_SOCKET_LISTENER(service), addr, G_SOCKET_TYPE_STREAM,
          G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error)) {
    g_mutex_lock(&p->lock);
    g_set_error(&p->start_error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "--proxy cannot listen on 127.0.0.1: %s; check the loopback "
                "interface and the limit on open files (ulimit -n)",
                error->message);
    g_error_free(error);
    p->ready = TRUE;
    g_cond_signal(&p->cond);
    g_mutex_unlock(&p->lock);
    g_object_unref(service);
    g_main_context_pop_thread_default(p->ctx);
    return NULL;
  }
  p->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
  p->self[0] = g_strdup_printf("127.0.0.1:%u", p->port);
  p->self[1] = g_strdup_printf("localhost:%u", p->port);
  g_signal_connect(service, "run", G_CALLBACK(on_run), p);
  g_socket_service_start(service);
  g_mutex_lock(&p->lock);
  p->ready = TRUE;
  g_cond_signal(&p->cond);
  g_mutex_unlock(&p->lock);

  g_main_loop_run(p->loop);
  g_socket_service_stop(service);
  g_socket_listener_close(G_SOCKET_LISTENER(service));
  g_object_unref(service); /* waits for the connections in flight */
  g_main_context_pop_thread_default(p->ctx);
  return NULL;
}

static void proxy_free(HsProxy *p) {
  g_free(p->upstream);
  g_free(p->upstream_authority);
  g_free(p->ca_file);
  hs_secure_free(p->placeholder);
  g_free(p->self[0]);
  g_free(p->self[1]);
  if (p->loop) g_main_loop_unref(p->loop);
  if (p->ctx) g_main_context_unref(p->ctx);
  g_mutex_clear(&p->lock);
  g_cond_clear(&p->cond);
  g_clear_error(&p->start_error);
  g_free(p);
}

HsProxy *hs_proxy_start(const char *upstream, const char *ca_file,
                        const char *placeholder, HsProxyTokenFunc get_token,
                        gpointer user_data, GError **error) {
  HsProxy *p = g_new0(HsProxy, 1);
  const char *auth = strstr(upstream, "://");
  const char *slash;

  p->upstream = g_strdup(upstream);
  auth = auth ? auth + 3 : upstream;
  slash = strchr(auth, '/');
  p->upstream_authority =
      slash ? g_strndup(auth, (gsize)(slash - auth)) : g_strdup(auth);
  p->ca_file = g_strdup(ca_file);
  p->placeholder = hs_secure_dup(placeholder);
  p->get_token = get_token;
  p->user_data = user_data;
  g_mutex_init(&p->lock);
  g_cond_init(&p->cond);
  p->ctx = g_main_context_new();
  p->loop = g_main_loop_new(p->ctx, FALSE);
  p->thread = g_thread_new("hs-proxy", server_main, p);
  g_mutex_lock(&p->lock);
  while (!p->ready) g_cond_wait(&p->cond, &p->lock);
  g_mutex_unlock(&p->lock);
  if (p->start_error != NULL) {
    g_propagate_error(error, g_steal_pointer(&p->start_error));
    g_thread_join(p->thread);
    proxy_free(p);
    return NULL;
  }
  return p;
}

static gboolean quit(gpointer data) {
  g_main_loop_quit(data);
  return G_SOURCE_REMOVE;
}

void hs_proxy_stop(HsProxy *proxy) {
  if (proxy == NULL) return;
  g_main_context_invoke(proxy->ctx, quit, proxy->loop);
  g_thread_join(proxy->thread);
  proxy_free(proxy);
}
