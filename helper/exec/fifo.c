/* SPDX-License-Identifier: MIT */
/* fifo.c — the token through a named pipe. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "core/secure.h"
#include "exec/fifo.h"

struct HsFifo {
  char *dir;
  char *path;
  char *token; /* SECRET, until written */
  GThread *writer;
  gint done; /* atomic: the writer has finished */
};

static gpointer write_token(gpointer data) {
  HsFifo *fifo = data;
  hs_autofd fd = -1;
  sigset_t pipe_set;

  /* A reader that closes the FIFO before the token is written gets EPIPE
   * here, not a SIGPIPE that would kill hs-exec and leave COMMAND
   * unsupervised: blocked in this thread, and a pending one taken back
   * below, the signal never reaches the process. */
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
  /* Blocks until a reader opens the FIFO (or hs_fifo_free does). */
  fd = open(fifo->path, O_WRONLY | O_CLOEXEC);
  /* Readable once: nobody else may open it after this first reader; the
   * directory, empty now, goes with it. */
  (void)unlink(fifo->path);
  (void)rmdir(fifo->dir);
  if (fd >= 0) {
    if (!g_atomic_int_get(&fifo->done)) {
      gsize len = strlen(fifo->token);
      const char *p = fifo->token;
      while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        p += n;
        len -= (gsize)n;
      }
      if (len == 0) (void)!write(fd, "\n", 1);
    }
  }
  {
    struct timespec now = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &now) == SIGPIPE) {
    }
  }
  hs_secure_clear(&fifo->token);
  return NULL;
}

HsFifo *hs_fifo_new(char *token, GError **error) {
  g_autoptr(HsFifo) fifo = g_new0(HsFifo, 1);
  const char *runtime = g_getenv("XDG_RUNTIME_DIR");
  struct stat st;

  fifo->token = token;
  if (runtime == NULL || *runtime != '/' || stat(runtime, &st) != 0 ||
      !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
      (st.st_mode & 0077) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "--file needs XDG_RUNTIME_DIR, a directory of yours that "
                "only you can enter (%s); log in through a session that "
                "sets it, or use --fd",
                runtime ? runtime : "not set");
    return NULL;
  }
  fifo->dir = g_build_filename(runtime, "hs-exec.XXXXXX", NULL);
  if (g_mkdtemp_full(fifo->dir, 0700) == NULL) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "cannot create a directory in %s: %s; check its permissions",
                runtime, g_strerror(errno));
    g_clear_pointer(&fifo->dir, g_free);
    return NULL;
  }
  fifo->path = g_build_filename(fifo->dir, "token", NULL);
  /* In a directory just made ours: only the system can refuse. */
  if (mkfifo(fifo->path, 0600) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "cannot create a FIFO in %s: %s; check the space left there",
                fifo->dir, g_strerror(errno));
    g_clear_pointer(&fifo->path, g_free);
    return NULL;
  }
  fifo->writer = g_thread_new("hs-token-fifo", write_token, fifo);
  return g_steal_pointer(&fifo);
}

const char *hs_fifo_path(const HsFifo *fifo) { return fifo->path; }

void hs_fifo_free(HsFifo *fifo) {
  if (fifo == NULL) return;
  if (fifo->writer != NULL) {
    hs_autofd fd = -1;
    g_atomic_int_set(&fifo->done, 1);
    /* A reader of our own releases a writer still waiting in open(). */
    fd = open(fifo->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    g_thread_join(fifo->writer);
  }
  hs_secure_clear(&fifo->token);
  if (fifo->path != NULL) (void)unlink(fifo->path);
  if (fifo->dir != NULL) (void)rmdir(fifo->dir);
  g_free(fifo->path);
  g_free(fifo->dir);
  g_free(fifo);
}
