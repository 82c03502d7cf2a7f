/* SPDX-License-Identifier: MIT */
/* refresh-lock.c — one refresh at a time per profile, across processes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "base/fd.h"
#include "hubspot/refresh-lock.h"

/* Open (creating) our directory under the runtime dir, refusing one that is
 * a symlink, someone else's, or open to group or others. */
static int open_lock_dir(GError **error) {
  g_autofree char *dir =
      g_build_filename(g_get_user_runtime_dir(), "hs-exec", NULL);
  struct stat st;
  hs_autofd fd = -1;

  if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "cannot create %s: %s; check XDG_RUNTIME_DIR", dir,
                g_strerror(errno));
    return -1;
  }
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 || fstat(fd, &st) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "cannot open %s: %s; check XDG_RUNTIME_DIR", dir,
                g_strerror(errno));
    return -1;
  }
  if (st.st_uid != getuid() || (st.st_mode & 077) != 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "%s is not private to you (owner uid %u, mode %03o); remove "
                "it, or set XDG_RUNTIME_DIR to a directory of your own with "
                "mode 0700",
                dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 0777));
    return -1;
  }
  return hs_fd_steal(&fd);
}

int hs_refresh_lock(const char *profile, int timeout_ms, GError **error) {
  g_autofree char *name = g_strconcat(profile, ".lock", NULL);
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
  struct timespec seen = {0, 0};
  hs_autofd dir = -1;
  hs_autofd fd = -1;

  dir = open_lock_dir(error);
  if (dir < 0) return -1;
  fd = openat(dir, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_CONFIG,
                "cannot open the lock file %s: %s", name, g_strerror(errno));
    return -1;
  }
  while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    struct stat st;

    if (errno != EWOULDBLOCK && errno != EINTR) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                  "cannot lock %s: %s; try again", name, g_strerror(errno));
      return -1;
    }
    /* Each holder stamps the file as it takes the lock: while holders
     * come and go (runs queued behind each other's refresh, as where the
     * cache cannot be used), the wait goes on; only one holder that keeps
     * it for timeout_ms ends it. */
    if (fstat(fd, &st) == 0 && (st.st_mtim.tv_sec != seen.tv_sec ||
                                st.st_mtim.tv_nsec != seen.tv_nsec)) {
      seen = st.st_mtim;
      deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
    }
    if (g_get_monotonic_time() >= deadline) {
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_NETWORK,
                  "another hs-exec has been refreshing the token of profile "
                  "%s for %d s; try again",
                  profile, timeout_ms / 1000);
      return -1;
    }
    g_usleep(20 * 1000);
  }
  /* The stamp waiters watch; should it fail, they wait timeout_ms in all. */
  (void)futimens(fd, NULL);
  return hs_fd_steal(&fd);
}

void hs_refresh_unlock(int fd) {
  if (fd < 0) return;
  (void)flock(fd, LOCK_UN);
  close(fd);
}

gboolean hs_refresh_dir_check(char **ret_path, GError **error) {
  hs_autofd fd = open_lock_dir(error);

  *ret_path = g_build_filename(g_get_user_runtime_dir(), "hs-exec", NULL);
  return fd >= 0;
}
