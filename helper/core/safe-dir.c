/* SPDX-License-Identifier: MIT */
/* safe-dir.c — the state directory, walked without trusting links. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fd.h"
#include "core/safe-dir.h"

/* As the kernel's own limit on links followed in one lookup. */
#define MAX_LINKS 40

static gboolean owner_trusted(const struct stat *st) {
  return st->st_uid == 0 || st->st_uid == geteuid();
}

/* Put the components of `path` in front of `todo` (a queue of names). */
static void push_front(GQueue *todo, const char *path) {
  g_auto(GStrv) parts = g_strsplit(path, "/", -1);

  for (gint i = (gint)g_strv_length(parts) - 1; i >= 0; i--)
    if (parts[i][0] != '\0' && strcmp(parts[i], ".") != 0)
      g_queue_push_head(todo, g_strdup(parts[i]));
}

/* The queue owns its names: whatever an early return leaves in it is
 * freed with it. */
static void names_free(GQueue **todo) {
  if (*todo != NULL) g_queue_free_full(*todo, g_free);
}

static int fail(GError **error, const char *path, const char *part,
                const char *why) {
  g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM, "%s: \"%s\" %s", path,
              part, why);
  return -1;
}

int hs_safe_dir_open(const char *path, gboolean create, GError **error) {
  __attribute__((cleanup(names_free))) GQueue *todo = g_queue_new();
  hs_autofd fd = -1;
  int links = 0;

  if (!g_path_is_absolute(path)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "%s: not an absolute path; set XDG_STATE_HOME to one", path);
    return -1;
  }
  fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(error, path, "/", g_strerror(errno));
  push_front(todo, path);
  while (!g_queue_is_empty(todo)) {
    g_autofree char *part = g_queue_pop_head(todo);
    hs_autofd next = -1;
    struct stat st;

    next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (mkdirat(fd, part, 0700) != 0 && errno != EEXIST) {
        g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                    "%s: cannot make \"%s\": %s", path, part,
                    g_strerror(errno));
        return -1;
      }
      next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0 && (errno == ENOTDIR || errno == ELOOP) &&
        fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n;

      /* Root's links are the system's layout (/home -> /var/home); our own
       * lead where we could write anyway.  Anyone else's is a trap. */
      if (!owner_trusted(&st)) {
        return fail(error, path, part,
                    "is a symbolic link that belongs to another user; it is "
                    "not followed");
      }
      n = readlinkat(fd, part, target, sizeof target - 1);
      if (n <= 0 || ++links > MAX_LINKS) {
        return fail(error, path, part, "is a link that cannot be followed");
      }
      target[n] = '\0';
      push_front(todo, target);
      if (target[0] == '/') {
        hs_fd_close(&fd);
        fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
          return fail(error, path, "/", g_strerror(errno));
        }
      }
      continue;
    }
    if (next < 0) {
      return fail(error, path, part, g_strerror(errno));
    }
    if (fstat(next, &st) != 0 || !owner_trusted(&st)) {
      return fail(error, path, part,
                  "belongs to another user; fix the path or its owner");
    }
    hs_fd_close(&fd);
    fd = hs_fd_steal(&next);
  }
  return hs_fd_steal(&fd);
}

int hs_safe_dir_open_file(int dirfd, const char *name, int flags,
                          GError **error) {
  hs_autofd fd = -1;
  struct stat st;

  fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    int saved = errno;
    if (saved == ENOENT)
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: %s", name,
                  g_strerror(saved));
    else
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM, "%s: %s", name,
                  saved == ELOOP ? "it is a symbolic link; it is not followed"
                                 : g_strerror(saved));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_SYSTEM,
                "%s: it is not a regular file of yours", name);
    return -1;
  }
  return hs_fd_steal(&fd);
}
