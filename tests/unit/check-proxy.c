/* SPDX-License-Identifier: MIT */
/* check-proxy.c — the loopback proxy of hs-exec --proxy: its cap on
 * connections, the deadline for a request head, the methods it forwards,
 * and a stop that waits for every connection.  No upstream is needed: the
 * token callback holds requests for as long as a test wants, then fails,
 * which the proxy answers with 502. */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check-common.h"
#include "core/error.h"
#include "exec/proxy.h"

#define PLACEHOLDER "hs-exec-proxy-test"

/* The token callback: counts the requests that ask for a token and holds
 * them until released. */
typedef struct {
  GMutex lock;
  GCond cond;
  int entered, left;
  gboolean released;
} Gate;

static char *gate_token(gpointer data, const char *stale, GError **error) {
  Gate *g = data;

  (void)stale;
  g_mutex_lock(&g->lock);
  g->entered++;
  g_cond_broadcast(&g->cond);
  while (!g->released) g_cond_wait(&g->cond, &g->lock);
  g->left++;
  g_mutex_unlock(&g->lock);
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK, "no token in this test");
  return NULL;
}

static void gate_init(Gate *g, gboolean released) {
  memset(g, 0, sizeof *g);
  g_mutex_init(&g->lock);
  g_cond_init(&g->cond);
  g->released = released;
}

static void gate_wait_entered(Gate *g, int n) {
  g_mutex_lock(&g->lock);
  while (g->entered < n) g_cond_wait(&g->cond, &g->lock);
  g_mutex_unlock(&g->lock);
}

static void gate_release(Gate *g) {
  g_mutex_lock(&g->lock);
  g->released = TRUE;
  g_cond_broadcast(&g->cond);
  g_mutex_unlock(&g->lock);
}

static HsProxy *start(Gate *g, guint max_connections, guint head_timeout_ms) {
  HsProxyLimits limits = {max_connections, head_timeout_ms};
  GError *error = NULL;
  HsProxy *p = hs_proxy_start("https://127.0.0.1:9", NULL, PLACEHOLDER, &limits,
                              gate_token, g, &error);

  ck_assert_msg(p != NULL, "%s", error ? error->message : "");
  return p;
}

/* A client connection, which gives up reading after 30 s. */
static int connect_to(const HsProxy *p) {
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_port = htons(hs_proxy_port(p)),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct timeval limit = {.tv_sec = 30};
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  return fd;
}

static gboolean send_str(int fd, const char *s) {
  return send(fd, s, strlen(s), MSG_NOSIGNAL) == (ssize_t)strlen(s);
}

static char *request(const HsProxy *p, const char *method) {
  return g_strdup_printf(
      "%s /crm/v3/objects/contacts HTTP/1.1\r\n"
      "Host: 127.0.0.1:%u\r\n"
      "Authorization: Bearer " PLACEHOLDER "\r\n\r\n",
      method, hs_proxy_port(p));
}

static int send_request(const HsProxy *p, const char *method) {
  int fd = connect_to(p);
  g_autofree char *req = request(p, method);

  ck_assert(send_str(fd, req));
  return fd;
}

/* Everything the proxy sends until it closes (or 30 s pass); closes fd. */
static char *answer(int fd) {
  GString *got = g_string_new(NULL);
  char buf[4096];
  ssize_t n;

  while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
    g_string_append_len(got, buf, n);
  close(fd);
  return g_string_free(got, FALSE);
}

/* hs_proxy_stop() returns only once no connection uses the proxy: a request
 * held in the token callback is waited for, and a connection whose client
 * sent half a head is closed (it used to read on, and then use the freed
 * proxy: heap-use-after-free under ASan). */
typedef struct {
  HsProxy *proxy;
  gint stopped;
} Stopper;

static gpointer stop_main(gpointer data) {
  Stopper *s = data;

  hs_proxy_stop(s->proxy);
  g_atomic_int_set(&s->stopped, 1);
  return NULL;
}

START_TEST(test_stop_waits_for_connections) {
  Gate g;
  HsProxy *p;
  Stopper s;
  GThread *stopper;
  int held, half;
  char c;
  g_autofree char *head = NULL;

  gate_init(&g, FALSE);
  p = start(&g, 0, 0);
  held = send_request(p, "GET");
  gate_wait_entered(&g, 1);
  half = connect_to(p);
  head = g_strdup_printf("GET /x HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n",
                         hs_proxy_port(p));
  ck_assert(send_str(half, head));
  g_usleep(100 * 1000); /* the half head read by the proxy, most likely */

  s.proxy = p;
  s.stopped = 0;
  stopper = g_thread_new("stopper", stop_main, &s);
  g_usleep(200 * 1000);
  ck_assert_msg(!g_atomic_int_get(&s.stopped),
                "hs_proxy_stop returned while a request was in flight");
  gate_release(&g);
  g_thread_join(stopper);
  ck_assert_int_eq(g.left, 1);
  /* closed by the proxy: end of file (or a reset), not "nothing yet" */
  ck_assert_int_le(recv(half, &c, 1, MSG_DONTWAIT), 0);
  ck_assert_int_ne(errno, EAGAIN);
  send_str(half, "Authorization: Bearer " PLACEHOLDER "\r\n\r\n");
  close(half);
  g_free(answer(held));
}
END_TEST

/* Beyond max_connections, a 503 at once that says why; served again once
 * a connection has ended. */
START_TEST(test_cap) {
  Gate g;
  HsProxy *p;
  int fds[3];
  g_autofree char *busy = NULL;
  g_autofree char *after = NULL;

  gate_init(&g, FALSE);
  p = start(&g, 3, 0);
  for (int i = 0; i < 3; i++) fds[i] = send_request(p, "GET");
  gate_wait_entered(&g, 3);
  busy = answer(send_request(p, "GET"));
  ck_assert_msg(g_str_has_prefix(busy, "HTTP/1.1 503 "), "%s", busy);
  ck_assert_ptr_nonnull(strstr(busy, "\r\nRetry-After: 1\r\n"));
  ck_assert_ptr_nonnull(strstr(busy, "3 connections are open"));
  gate_release(&g);
  for (int i = 0; i < 3; i++) {
    g_autofree char *got = answer(fds[i]);
    ck_assert_msg(g_str_has_prefix(got, "HTTP/1.1 502 "), "%s", got);
  }
  after = answer(send_request(p, "GET"));
  ck_assert_msg(g_str_has_prefix(after, "HTTP/1.1 502 "), "%s", after);
  ck_assert_int_eq(g.entered, 4);
  hs_proxy_stop(p);
}
END_TEST

/* The whole head within the deadline: a client sending a byte every 100 ms
 * is answered 408 and cut off after 500 ms, well before its 100 bytes. */
START_TEST(test_head_deadline) {
  Gate g;
  HsProxy *p;
  int fd;
  int sent = 0;
  g_autofree char *got = NULL;

  gate_init(&g, TRUE);
  p = start(&g, 0, 500);
  fd = connect_to(p);
  for (; sent < 100; sent++) {
    static const char start[] = "GET /x HTTP/1.1\r\nX-Slow: ";
    char byte = sent < (int)sizeof start - 1 ? start[sent] : 'a';
    struct pollfd pfd = {.fd = fd, .events = POLLIN};

    if (poll(&pfd, 1, 0) != 0 || send(fd, &byte, 1, MSG_NOSIGNAL) != 1) break;
    g_usleep(100 * 1000);
  }
  got = answer(fd);
  ck_assert_msg(g_str_has_prefix(got, "HTTP/1.1 408 "), "%s", got);
  ck_assert_int_lt(sent, 100);
  ck_assert_int_eq(g.entered, 0);
  hs_proxy_stop(p);
}
END_TEST

/* Only the methods of HubSpot's API are forwarded; TRACE, OPTIONS, CONNECT
 * and a lower-case "get" are answered 405 with Allow, without a token. */
START_TEST(test_methods) {
  static const char *const refused[] = {"TRACE", "OPTIONS", "CONNECT", "get",
                                        "PROPFIND"};
  static const char *const forwarded[] = {"GET", "HEAD",  "POST",
                                          "PUT", "PATCH", "DELETE"};
  Gate g;
  HsProxy *p;

  gate_init(&g, TRUE);
  p = start(&g, 0, 0);
  for (gsize i = 0; i < G_N_ELEMENTS(refused); i++) {
    g_autofree char *got = answer(send_request(p, refused[i]));
    ck_assert_msg(g_str_has_prefix(got, "HTTP/1.1 405 "), "%s", got);
    ck_assert_ptr_nonnull(strstr(got, "\r\nAllow: " HS_PROXY_METHODS "\r\n"));
  }
  ck_assert_int_eq(g.entered, 0);
  for (gsize i = 0; i < G_N_ELEMENTS(forwarded); i++) {
    g_autofree char *got = answer(send_request(p, forwarded[i]));
    ck_assert_msg(g_str_has_prefix(got, "HTTP/1.1 502 "), "%s", got);
  }
  ck_assert_int_eq(g.entered, G_N_ELEMENTS(forwarded));
  hs_proxy_stop(p);
}
END_TEST

int main(void) {
  Suite *s = suite_create("proxy");
  TCase *tc = tcase_create("proxy");

  tcase_add_test(tc, test_stop_waits_for_connections);
  tcase_add_test(tc, test_cap);
  tcase_add_test(tc, test_head_deadline);
  tcase_add_test(tc, test_methods);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
