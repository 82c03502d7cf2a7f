/* SPDX-License-Identifier: MIT */
/* check-http.c — the HTTP client's pure parts: header lines as libcurl
 * hands them over; and what a request leaves open in the process. */
#include "config.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check-common.h"
#include "hubspot/http.h"

START_TEST(test_header_value) {
  const char line[] = "Retry-After:  7\r\nX";
  char *v = hs_http_header_value(line, sizeof line - 2, "retry-after:");

  ck_assert_str_eq(v, "7");
  g_free(v);
  ck_assert_ptr_null(hs_http_header_value(line, 6, "retry-after:"));
  ck_assert_ptr_null(hs_http_header_value("Date: x", 7, "retry-after:"));
}
END_TEST

/* A one-request HTTP server on the loopback, in a child process, so that
 * the only sockets left in this one are the client's.  Its port. */
static int serve_once(pid_t *ret_pid) {
  struct sockaddr_in addr = {.sin_family = AF_INET,
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
  ck_assert_int_eq(listen(fd, 1), 0);
  ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
  *ret_pid = fork();
  if (*ret_pid == 0) {
    static const char answer[] =
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
    char buf[4096];
    int c = accept(fd, NULL, NULL);
    (void)!read(c, buf, sizeof buf);
    (void)!write(c, answer, sizeof answer - 1);
    while (read(c, buf, sizeof buf) > 0) {
    }
    _exit(0);
  }
  close(fd);
  return ntohs(addr.sin_port);
}

/* The sockets of this process: how many, and how many of them are
 * inherited across execve. */
static int count_sockets(int *ret_inheritable) {
  int n = 0;

  *ret_inheritable = 0;
  for (int fd = 3; fd < 1024; fd++) {
    int type, flags = fcntl(fd, F_GETFD);
    socklen_t len = sizeof type;
    if (flags < 0 || getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0)
      continue;
    n++;
    if (!(flags & FD_CLOEXEC)) (*ret_inheritable)++;
  }
  return n;
}

/* A COMMAND started while the client lives must not inherit its connection
 * to HubSpot, and after hs_http_client_disconnect() nothing of libcurl's is
 * left to inherit (its socketpair is not close-on-exec). */
START_TEST(test_sockets_close_on_exec) {
  g_autoptr(HsHttpClient) client = hs_http_client_new(NULL);
  g_autoptr(HsHttpResponse) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  int before, inheritable, tcp_inheritable = 0;
  pid_t pid;

  before = count_sockets(&inheritable);
  url = g_strdup_printf("http://127.0.0.1:%d/x", serve_once(&pid));
  {
    HsHttpRequest req = {.method = "GET", .url = url};
    r = hs_http_send(client, &req, &error);
  }
  ck_assert_ptr_nonnull(r);
  ck_assert_int_eq(r->status, 200);
  ck_assert_int_gt(count_sockets(&inheritable), before);
  for (int fd = 3; fd < 1024; fd++) {
    struct sockaddr_storage a;
    socklen_t len = sizeof a;
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0 &&
        (a.ss_family == AF_INET || a.ss_family == AF_INET6) &&
        !(flags & FD_CLOEXEC))
      tcp_inheritable++;
  }
  ck_assert_int_eq(tcp_inheritable, 0);
  hs_http_client_disconnect(client);
  ck_assert_int_eq(count_sockets(&inheritable), before);
  waitpid(pid, NULL, 0);
}
END_TEST

int main(void) {
  Suite *s = suite_create("http");
  TCase *tc = tcase_create("header");

  tcase_add_test(tc, test_header_value);
  suite_add_tcase(s, tc);
  tc = tcase_create("sockets");
  tcase_add_test(tc, test_sockets_close_on_exec);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
