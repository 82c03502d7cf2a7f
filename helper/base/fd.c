/* SPDX-License-Identifier: MIT */
/* fd.c — file descriptors closed on every path. */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "base/fd.h"

void hs_fd_close(int *fdp) {
  int saved = errno;

  if (*fdp >= 0) {
    /* Linux frees the descriptor even when close() fails (EINTR
     * included): retrying could close another thread's new one. */
    (void)close(*fdp);
    *fdp = -1;
  }
  errno = saved;
}

void hs_fd_close_pair(int (*pair)[2]) {
  hs_fd_close(&(*pair)[0]);
  hs_fd_close(&(*pair)[1]);
}

int hs_fd_steal(int *fdp) {
  int fd = *fdp;

  *fdp = -1;
  return fd;
}
