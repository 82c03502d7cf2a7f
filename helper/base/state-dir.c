/* SPDX-License-Identifier: MIT */
/* state-dir.c — the state directory's path. */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/state-dir.h"

char *hs_state_dir_path(const char *name) {
  const char *state = getenv("XDG_STATE_HOME");
  const char *home = getenv("HOME");
  char *path = NULL;
  int n;

  if (state != NULL && *state != '\0') {
    n = asprintf(&path, "%s/hs-exec%s%s", state, name ? "/" : "",
                 name ? name : "");
  } else {
    struct passwd pw, *found = NULL;
    char buf[4096];

    if (home == NULL &&
        getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found)
      home = found->pw_dir;
    n = asprintf(&path, "%s/.local/state/hs-exec%s%s", home ? home : "/",
                 name ? "/" : "", name ? name : "");
  }
  return n < 0 ? NULL : path;
}

int hs_state_dir_open(bool create, HsSafeDirError *error) {
  char *dir = hs_state_dir_path(NULL);
  int fd;

  if (dir == NULL) {
    if (error != NULL) {
      error->err = ENOMEM;
      snprintf(error->message, sizeof error->message, "out of memory");
    }
    return -1;
  }
  fd = hs_safe_dir_open(dir, create, error);
  free(dir);
  return fd;
}
