/* SPDX-License-Identifier: MIT */
/* isolate.c — work on secrets done in a process of its own. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "hubspot/isolate.h"

/* One request or answer: a token, a record's public part, notes. */
#define MESSAGE_MAX (64 * 1024)

struct HsIsolate {
  int fd; /* SOCK_SEQPACKET: one message, one request or answer */
  pid_t pid;
};

static void wipe_free(gpointer buf) {
  explicit_bzero(buf, MESSAGE_MAX);
  g_free(buf);
}

/* A message received on `fd` (transfer full: wiped on free), or NULL at the
 * end or on an error (errno). */
static GVariant *receive(int fd) {
  guint8 *buf = g_malloc(MESSAGE_MAX);
  ssize_t n;

  do {
    n = recv(fd, buf, MESSAGE_MAX, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) {
    wipe_free(buf);
    if (n == 0) errno = EPIPE;
    return NULL;
  }
  return g_variant_ref_sink(g_variant_new_from_bytes(
      G_VARIANT_TYPE_VARDICT,
      g_bytes_new_with_free_func(buf, (gsize)n, wipe_free, buf), FALSE));
}

static gboolean send_variant(int fd, GVariant *v) {
  gsize size = g_variant_get_size(v);
  g_autofree guint8 *buf = g_malloc(MAX(size, 1));
  ssize_t n;

  if (size > MESSAGE_MAX) return FALSE;
  g_variant_store(v, buf);
  do {
    n = send(fd, buf, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  explicit_bzero(buf, size);
  return n == (ssize_t)size;
}

static GVariant *failure(const char *what) {
  GVariantDict d;

  g_variant_dict_init(&d, NULL);
  g_variant_dict_insert(&d, "error-code", "i", (gint32)HS_ERR_SYSTEM);
  g_variant_dict_insert(&d, "error-message", "s", what);
  return g_variant_dict_end(&d);
}

/* The worker: answer one request, exit.  The process ends without running
 * anything registered with atexit (libraries' shutdown: not ours). */
static G_GNUC_NORETURN void worker(int fd, HsIsolateFunc func,
                                   GVariant *request) {
  g_autoptr(GVariant) answer = g_variant_ref_sink(func(request));

  _exit(send_variant(fd, answer) ? 0 : 1);
}

/* The helper: a copy of the caller made before any secret, forking a
 * worker per request until the caller closes its end. */
static G_GNUC_NORETURN void helper(int fd, HsIsolateFunc func) {
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);

  /* Nothing of the caller's but the socket: its stdout, stderr and any
   * descriptor it inherited stay open only as long as the caller lives. */
  for (int i = 0; i < 3 && null >= 0; i++) (void)dup2(null, i);
  if (fd > 3) (void)close_range(3, (unsigned)fd - 1, 0);
  (void)close_range((unsigned)fd + 1, ~0U, 0);
  for (;;) {
    g_autoptr(GVariant) request = receive(fd);
    int status = 0;
    pid_t pid;

    if (request == NULL) _exit(0);
    pid = fork();
    if (pid == 0) worker(fd, func, request);
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      g_autofree char *why =
          pid < 0 ? g_strdup(
                        "cannot fork a process to look up the token; "
                        "check the limit on processes (ulimit -u)")
          : WIFSIGNALED(status)
              ? g_strdup_printf(
                    "the process that looks up the token was "
                    "killed by signal %d (%s); check the limits "
                    "on open files and memory, then run "
                    "'hs-token doctor'",
                    WTERMSIG(status), strsignal(WTERMSIG(status)))
              : g_strdup(
                    "the process that looks up the token could not "
                    "answer; run 'hs-token doctor'");
      g_autoptr(GVariant) answer = g_variant_ref_sink(failure(why));
      if (!send_variant(fd, answer)) _exit(1);
    }
  }
}

HsIsolate *hs_isolate_start(HsIsolateFunc func, GError **error) {
  hs_autopipe sv[2] = {-1, -1};
  HsIsolate *isolate;
  pid_t pid;

  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0 ||
      (pid = fork()) < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot start the process that refreshes the token: %s; "
                "check the limits on open files and processes",
                g_strerror(errno));
    return NULL;
  }
  if (pid == 0) {
    hs_fd_close(&sv[0]);
    helper(sv[1], func);
  }
  isolate = g_new0(HsIsolate, 1);
  isolate->fd = hs_fd_steal(&sv[0]);
  isolate->pid = pid;
  return isolate;
}

GVariant *hs_isolate_call(HsIsolate *isolate, GVariant *request,
                          GError **error) {
  g_autoptr(GVariant) sunk = g_variant_ref_sink(request);
  GVariant *answer;

  if (isolate->fd < 0 || !send_variant(isolate->fd, sunk) ||
      (answer = receive(isolate->fd)) == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "the process that refreshes the token has ended (%s); try "
                "again",
                g_strerror(errno));
    return NULL;
  }
  return answer;
}

void hs_isolate_stop(HsIsolate *isolate) {
  if (isolate == NULL) return;
  hs_fd_close(&isolate->fd);
  while (waitpid(isolate->pid, NULL, 0) < 0 && errno == EINTR) {
  }
  g_free(isolate);
}
