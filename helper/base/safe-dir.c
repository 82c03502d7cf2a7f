/* SPDX-License-Identifier: MIT */
/* safe-dir.c — the state directory, walked without trusting links. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fd.h"
#include "base/safe-dir.h"

/* As the kernel's own limit on links followed in one lookup. */
#define MAX_LINKS 40

static bool owner_trusted(const struct stat *st) {
  return st->st_uid == 0 || st->st_uid == geteuid();
}

__attribute__((format(printf, 3, 4))) static int fail(HsSafeDirError *error,
                                                      int err, const char *fmt,
                                                      ...) {
  va_list ap;

  if (error != NULL) {
    error->err = err;
    va_start(ap, fmt);
    vsnprintf(error->message, sizeof error->message, fmt, ap);
    va_end(ap);
  }
  errno = err;
  return -1;
}

/* The names still to walk: a path whose first component is taken off the
 * front, and a link's target put in front of what is left. */
typedef struct {
  char *text;
  size_t at;
} Todo;

static void todo_clear(Todo *todo) { free(todo->text); }

/* The next component into `part` (NUL-terminated, at most NAME_MAX), or
 * false when none is left.  "" and "." are skipped. */
static bool todo_pop(Todo *todo, char part[NAME_MAX + 1]) {
  for (;;) {
    const char *p = todo->text + todo->at;
    size_t n;

    while (*p == '/') p++;
    if (*p == '\0') return false;
    n = strcspn(p, "/");
    todo->at = (size_t)(p - todo->text) + n;
    if (n == 1 && *p == '.') continue;
    if (n > NAME_MAX) n = NAME_MAX; /* openat says ENAMETOOLONG anyway */
    memcpy(part, p, n);
    part[n] = '\0';
    return true;
  }
}

static bool todo_push(Todo *todo, const char *front) {
  const char *rest = todo->text + todo->at;
  size_t len = strlen(front) + 1 + strlen(rest) + 1;
  char *text = malloc(len);

  if (text == NULL) return false;
  snprintf(text, len, "%s/%s", front, rest);
  free(todo->text);
  todo->text = text;
  todo->at = 0;
  return true;
}

int hs_safe_dir_open(const char *path, bool create, HsSafeDirError *error) {
  __attribute__((cleanup(todo_clear))) Todo todo = {NULL, 0};
  char part[NAME_MAX + 1];
  hs_autofd fd = -1;
  int links = 0;

  if (path[0] != '/')
    return fail(error, EINVAL,
                "%s: not an absolute path; set XDG_STATE_HOME to one", path);
  todo.text = strdup(path);
  if (todo.text == NULL) return fail(error, ENOMEM, "%s: out of memory", path);
  fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail(error, errno, "%s: \"/\" %s", path, strerror(errno));
  while (todo_pop(&todo, part)) {
    hs_autofd next = -1;
    struct stat st;

    next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (mkdirat(fd, part, 0700) != 0 && errno != EEXIST)
        return fail(error, errno, "%s: cannot make \"%s\": %s", path, part,
                    strerror(errno));
      next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0 && (errno == ENOTDIR || errno == ELOOP) &&
        fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISLNK(st.st_mode)) {
      char target[PATH_MAX];
      ssize_t n;

      /* Root's links are the system's layout (/home -> /var/home); our own
       * lead where we could write anyway.  Anyone else's is a trap. */
      if (!owner_trusted(&st))
        return fail(error, EPERM,
                    "%s: \"%s\" is a symbolic link that belongs to another "
                    "user; it is not followed",
                    path, part);
      n = readlinkat(fd, part, target, sizeof target - 1);
      if (n <= 0 || ++links > MAX_LINKS)
        return fail(error, ELOOP,
                    "%s: \"%s\" is a link that cannot be followed", path, part);
      target[n] = '\0';
      if (!todo_push(&todo, target))
        return fail(error, ENOMEM, "%s: out of memory", path);
      if (target[0] == '/') {
        hs_fd_close(&fd);
        fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
          return fail(error, errno, "%s: \"/\" %s", path, strerror(errno));
      }
      continue;
    }
    if (next < 0)
      return fail(error, errno, "%s: \"%s\" %s", path, part, strerror(errno));
    if (fstat(next, &st) != 0 || !owner_trusted(&st))
      return fail(error, EPERM,
                  "%s: \"%s\" belongs to another user; fix the path or its "
                  "owner",
                  path, part);
    hs_fd_close(&fd);
    fd = hs_fd_steal(&next);
  }
  return hs_fd_steal(&fd);
}

int hs_safe_dir_open_file(int dirfd, const char *name, int flags,
                          HsSafeDirError *error) {
  hs_autofd fd = -1;
  struct stat st;

  fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return fail(error, errno, "%s: %s", name,
                errno == ELOOP ? "it is a symbolic link; it is not followed"
                               : strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
    return fail(error, EPERM, "%s: it is not a regular file of yours", name);
  return hs_fd_steal(&fd);
}
