/* SPDX-License-Identifier: MIT */
/* login.c — see login.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "core/secure.h"
#include "hubspot/login.h"

/* A browser's request head is a few hundred bytes; HubSpot's codes are
 * short.  Anything longer is not the redirect we wait for. */
#define REQUEST_MAX 8192
/* How long one connection may take to send its request line. */
#define REQUEST_TIMEOUT_S 10

char *hs_login_new_state(GError **error) {
  guchar bytes[32];
  char *s;

  if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "add --login: the kernel gave no random bytes for the state "
                "(%s); try again",
                g_strerror(errno));
    return NULL;
  }
  s = g_base64_encode(bytes, sizeof bytes);
  explicit_bzero(bytes, sizeof bytes);
  /* base64url (RFC 4648 §5): the state travels in a query string. */
  g_strdelimit(s, "+", '-');
  g_strdelimit(s, "/", '_');
  *strchrnul(s, '=') = '\0';
  return s;
}

char *hs_login_authorize_base(const char *configured, const char *hublet) {
  if (configured != NULL) return g_strdup(configured);
  /* Documented: https://app.hubspot.com/oauth/authorize is the authorize
   * URL of HubSpot's OAuth guide, for every account; HubSpot sends the
   * browser on to the account's own UI host after sign-in.
   * Inferred: the per-hublet UI hosts (app-eu1, app-na2, app-ap1, …) are
   * the uiDomain account info gives; HubSpot does not document them as
   * authorize hosts, so they are used only when the profile's hublet is
   * known, and a wrong guess still ends at a HubSpot redirect. */
  if (hublet != NULL && *hublet != '\0' && strcmp(hublet, "na1") != 0) {
    for (const char *p = hublet; *p; p++)
      if (!g_ascii_isalnum(*p)) return g_strdup("https://app.hubspot.com");
    return g_strdup_printf("https://app-%s.hubspot.com", hublet);
  }
  return g_strdup("https://app.hubspot.com");
}

char *hs_login_authorize_url(const char *base, const char *client_id,
                             const char *const *scopes,
                             const char *redirect_uri, const char *state) {
  g_autofree char *scope = g_strjoinv(" ", (char **)scopes);
  g_autofree char *e_client = g_uri_escape_string(client_id, NULL, FALSE);
  g_autofree char *e_scope = g_uri_escape_string(scope, NULL, FALSE);
  g_autofree char *e_redirect = g_uri_escape_string(redirect_uri, NULL, FALSE);
  g_autofree char *e_state = g_uri_escape_string(state, NULL, FALSE);

  return g_strdup_printf(
      "%s/oauth/authorize?client_id=%s&scope=%s&redirect_uri=%s&state=%s", base,
      e_client, e_scope, e_redirect, e_state);
}

static void wipe_value(gpointer key, gpointer value, gpointer user_data) {
  (void)key;
  (void)user_data;
  explicit_bzero(value, strlen(value));
}

HsLoginResult hs_login_parse_callback(const char *target, const char *path,
                                      const char *state, char **ret_code,
                                      GError **error) {
  const char *q = strchr(target, '?');
  g_autofree char *got_path =
      g_strndup(target, q ? (gsize)(q - target) : strlen(target));
  g_autoptr(GHashTable) params = NULL;
  const char *got_state, *err, *code;
  HsLoginResult result = HS_LOGIN_REJECTED;

  *ret_code = NULL;
  if (strcmp(got_path, path) != 0) return HS_LOGIN_OTHER;
  params = q ? g_uri_parse_params(q + 1, -1, "&", G_URI_PARAMS_WWW_FORM, NULL)
             : NULL;
  if (params == NULL) params = g_hash_table_new(g_str_hash, g_str_equal);
  got_state = g_hash_table_lookup(params, "state");
  err = g_hash_table_lookup(params, "error");
  code = g_hash_table_lookup(params, "code");
  if (got_state == NULL || strcmp(got_state, state) != 0)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "add --login: the redirect's state is not the one this run "
                "sent (an old browser tab, or another program); nothing was "
                "stored; run the command again and open the URL it prints");
  else if (err != NULL) {
    const char *desc = g_hash_table_lookup(params, "error_description");
    g_autofree char *said = g_strescape(desc ? desc : err, NULL);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "add --login: HubSpot did not authorise the app (%s%s%s); "
                "nothing was stored; run the command again and grant access, "
                "or ask a super admin of the account to",
                strcmp(err, "access_denied") == 0 ? "access_denied" : "error",
                *said ? ": " : "", said);
  } else if (code == NULL || *code == '\0')
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_REFUSED,
                "add --login: the redirect carried no code; nothing was "
                "stored; run the command again");
  else {
    *ret_code = g_strdup(code);
    result = HS_LOGIN_CODE;
  }
  g_hash_table_foreach(params, wipe_value, NULL);
  return result;
}

struct HsLoginListener {
  int fds[2]; /* IPv4 and IPv6 loopback, -1 when not used */
  char *path;
};

void hs_login_listener_free(HsLoginListener *l) {
  if (l == NULL) return;
  hs_fd_close(&l->fds[0]);
  hs_fd_close(&l->fds[1]);
  g_free(l->path);
  g_free(l);
}

/* Bind a listening socket on the loopback of `family`; -1 with errno. */
static int listen_loopback(int family, int port) {
  hs_autofd fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in v4 = {.sin_family = AF_INET,
                           .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct sockaddr_in6 v6 = {.sin6_family = AF_INET6,
                            .sin6_port = htons((uint16_t)port),
                            .sin6_addr = IN6ADDR_LOOPBACK_INIT};
  int one = 1;

  if (fd < 0) return -1;
  /* Rebinding a port a finished sign-in left in TIME_WAIT; a live
   * listener still makes bind() fail with EADDRINUSE. */
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (family == AF_INET6)
    (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if ((family == AF_INET ? bind(fd, (struct sockaddr *)&v4, sizeof v4)
                         : bind(fd, (struct sockaddr *)&v6, sizeof v6)) != 0 ||
      listen(fd, 4) != 0)
    return -1;
  return hs_fd_steal(&fd);
}

HsLoginListener *hs_login_listen(const char *redirect_uri, GError **error) {
  g_autoptr(GUri) uri = g_uri_parse(redirect_uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr(HsLoginListener) l = g_new0(HsLoginListener, 1);
  const char *host = uri ? g_uri_get_host(uri) : NULL;
  gboolean v4, v6;
  int port;

  l->fds[0] = l->fds[1] = -1;
  if (uri == NULL || g_strcmp0(g_uri_get_scheme(uri), "http") != 0 ||
      host == NULL || g_uri_get_port(uri) <= 0 ||
      g_uri_get_query(uri) != NULL || g_uri_get_fragment(uri) != NULL ||
      g_uri_get_userinfo(uri) != NULL ||
      (strcmp(host, "localhost") != 0 && strcmp(host, "127.0.0.1") != 0 &&
       strcmp(host, "::1") != 0)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "add: --redirect-uri '%s' is not a loopback address hs-token "
                "can listen on; give http://localhost:PORT/PATH (or "
                "127.0.0.1 or [::1]) with a port, as listed in the app's "
                "Auth settings",
                redirect_uri);
    return NULL;
  }
  port = g_uri_get_port(uri);
  l->path = g_strdup(*g_uri_get_path(uri) ? g_uri_get_path(uri) : "/");
  /* A browser may try either address for "localhost". */
  v4 = strcmp(host, "::1") != 0;
  v6 = strcmp(host, "127.0.0.1") != 0;
  if (v4) l->fds[0] = listen_loopback(AF_INET, port);
  if (v4 && l->fds[0] < 0) goto fail;
  if (v6) l->fds[1] = listen_loopback(AF_INET6, port);
  /* No IPv6 on this host is fine when IPv4 listens. */
  if (v6 && l->fds[1] < 0 &&
      (errno == EADDRINUSE || !v4 ||
       (errno != EADDRNOTAVAIL && errno != EAFNOSUPPORT)))
    goto fail;
  return g_steal_pointer(&l);

fail:
  if (errno == EADDRINUSE)
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "add --login: port %d on %s is in use (another sign-in, or "
                "another program); stop it, or pass --redirect-uri "
                "http://localhost:PORT/callback with a free port and list "
                "that URI in the app's Auth settings",
                port, host);
  else
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "add --login: cannot listen on %s port %d (%s); pass "
                "--redirect-uri with another port, listed in the app's Auth "
                "settings",
                host, port, g_strerror(errno));
  return NULL;
}

static void listener_close(HsLoginListener *l) {
  hs_fd_close(&l->fds[0]);
  hs_fd_close(&l->fds[1]);
}

/* Read a request head from `fd` into `buf` (NUL-terminated): TRUE once
 * the blank line that ends it arrived. */
static gboolean read_head(int fd, char *buf, gsize size) {
  gsize len = 0;

  while (len + 1 < size) {
    ssize_t n = recv(fd, buf + len, size - 1 - len, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (gsize)n;
    buf[len] = '\0';
    if (strstr(buf, "\r\n\r\n") != NULL || strstr(buf, "\n\n") != NULL)
      return TRUE;
  }
  buf[len] = '\0';
  return FALSE;
}

static void answer(int fd, const char *status, const char *text) {
  g_autofree char *body = g_strdup_printf(
      "<!doctype html>\n<meta charset=\"utf-8\">\n<title>hs-token</title>\n"
      "<p>%s</p>\n",
      text);
  g_autofree char *head = g_strdup_printf(
      "HTTP/1.1 %s\r\nContent-Type: text/html; charset=utf-8\r\n"
      "Content-Length: %zu\r\nCache-Control: no-store\r\n"
      "Referrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
      status, strlen(body));

  (void)!send(fd, head, strlen(head), MSG_NOSIGNAL);
  (void)!send(fd, body, strlen(body), MSG_NOSIGNAL);
  (void)shutdown(fd, SHUT_WR);
}

/* The request target of a request head "GET TARGET HTTP/1.x", or NULL
 * (transfer none: points into `head`, which it cuts). */
static char *request_target(char *head) {
  char *sp, *end;

  if (!g_str_has_prefix(head, "GET ")) return NULL;
  sp = head + 4;
  end = strchr(sp, ' ');
  if (end == NULL || end == sp) return NULL;
  *end = '\0';
  return sp;
}

char *hs_login_wait(HsLoginListener *l, const char *state, int timeout_s,
                    GError **error) {
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout_s * G_USEC_PER_SEC;
  char *head = g_malloc(REQUEST_MAX);
  char *code = NULL;

  for (;;) {
    struct pollfd p[2] = {{.fd = l->fds[0], .events = POLLIN},
                          {.fd = l->fds[1], .events = POLLIN}};
    struct timeval tv = {.tv_sec = REQUEST_TIMEOUT_S};
    gint64 left = deadline - g_get_monotonic_time();
    hs_autofd conn = -1;
    HsLoginResult result;
    char *target;
    int n;

    if (left <= 0) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                  "add --login: no redirect from HubSpot within %d s; nothing "
                  "was stored; run the command again (give --timeout SECONDS "
                  "for more time) and finish signing in in the browser",
                  timeout_s);
      break;
    }
    n = poll(p, 2, (int)MIN(left / 1000 + 1, G_MAXINT));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                  "add --login: waiting for the redirect failed (%s); run "
                  "the command again",
                  g_strerror(errno));
      break;
    }
    for (int i = 0; i < 2 && conn < 0; i++)
      if (p[i].revents & POLLIN)
        conn = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
    if (conn < 0) continue;
    (void)setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (!read_head(conn, head, REQUEST_MAX) ||
        (target = request_target(head)) == NULL) {
      answer(conn, "400 Bad Request", "hs-token expected a GET request.");
      explicit_bzero(head, REQUEST_MAX);
      continue;
    }
    result = hs_login_parse_callback(target, l->path, state, &code, error);
    explicit_bzero(head, REQUEST_MAX);
    if (result == HS_LOGIN_OTHER) {
      answer(conn, "404 Not Found", "Not found.");
      continue;
    }
    /* One redirect per run: whatever it said, nothing listens after it. */
    listener_close(l);
    if (result == HS_LOGIN_CODE)
      answer(conn, "200 OK",
             "hs-token has HubSpot's answer and is storing the profile. You "
             "may close this window.");
    else
      answer(conn, "400 Bad Request",
             "Signing in did not complete; hs-token says why in the "
             "terminal. You may close this window.");
    break;
  }
  listener_close(l);
  g_free(head);
  return code;
}
